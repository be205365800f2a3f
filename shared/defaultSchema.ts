import type { TagSchema } from './model';

/** The schema a new project starts with: claims, quotes, events, and the sources they come from. */
export const defaultSchema: TagSchema = {
  labels: [
    {
      name: 'claim',
      color: '#c0392b',
      key: '1',
      attributes: [
        { name: 'claimant', type: 'text' },
        { name: 'check-worthy', type: 'boolean' },
      ],
    },
    {
      name: 'quote',
      color: '#2563b8',
      key: '2',
      attributes: [
        { name: 'speaker', type: 'text' },
        { name: 'kind', type: 'choice', values: ['direct', 'indirect', 'partial'] },
      ],
    },
    {
      name: 'event',
      color: '#1e7d45',
      key: '3',
      attributes: [
        { name: 'type', type: 'choice', values: ['meeting', 'statement', 'attack', 'negotiation', 'agreement', 'other'] },
        { name: 'date', type: 'date' },
        { name: 'place', type: 'text' },
      ],
    },
    { name: 'source', color: '#7b3fa0', key: '4', attributes: [] },
  ],
  relations: [{ type: 'attributed-to', from: ['claim', 'quote'], to: ['source'] }],
};
