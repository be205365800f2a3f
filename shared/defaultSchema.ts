import type { TagSchema } from './model';

/** The schema a new project starts with (DESIGN.md: claims, quotes, events, attribution). */
export const defaultSchema: TagSchema = {
  labels: [
    {
      name: 'claim',
      color: '#e4572e',
      key: '1',
      attributes: [
        { name: 'claimant', type: 'text' },
        { name: 'check-worthy', type: 'boolean' },
      ],
    },
    {
      name: 'quote',
      color: '#2e86de',
      key: '2',
      attributes: [
        { name: 'speaker', type: 'text' },
        { name: 'kind', type: 'choice', values: ['direct', 'indirect'] },
      ],
    },
    {
      name: 'event',
      color: '#17a35a',
      key: '3',
      attributes: [
        { name: 'type', type: 'text' },
        { name: 'date', type: 'date' },
        { name: 'place', type: 'text' },
      ],
    },
  ],
  relations: [{ type: 'attributed-to', from: ['claim', 'quote'], to: ['event', 'claim', 'quote'] }],
};
