import { describe, expect, it } from 'vitest';
import type { LabelDef, ProjectFile, TagSchema } from '../../shared/model';
import { mergeProjectFile } from '../../shared/schemaMerge';
import { schemaProblems } from '../../shared/schemaRules';

/** margin.json as three clones hold it: the default labels with ids, at a revision. */
function project(revision: number, change: (schema: TagSchema) => void = () => undefined): ProjectFile {
  const schema: TagSchema = {
    labels: [
      { id: 'L1', name: 'claim', color: '#c0392b', key: '1', attributes: [{ id: 'A1', name: 'claimant', type: 'text' }] },
      { id: 'L2', name: 'quote', color: '#2563b8', key: '2', attributes: [{ id: 'A2', name: 'speaker', type: 'text' }] },
      { id: 'L3', name: 'source', color: '#7b3fa0', key: '4', attributes: [] },
    ],
    relations: [{ type: 'attributed-to', from: ['claim', 'quote'], to: ['source'] }],
  };
  change(schema);
  return { version: 1, name: 'News', createdAt: '2024-08-19T00:00:00.000Z', schema, revision };
}

const label = (schema: TagSchema, name: string): LabelDef => {
  const found = schema.labels.find((l) => l.name === name);
  if (!found) throw new Error(`no label ${name} in ${schema.labels.map((l) => l.name).join(', ')}`);
  return found;
};

describe('three-way merge of margin.json', () => {
  it('keeps a change made on one side, whichever side made it', () => {
    const base = project(3);
    const ours = project(4, (s) => {
      label(s, 'claim').color = '#6d28d9';
      label(s, 'quote').attributes.push({ id: 'A9', name: 'kind', type: 'choice', values: ['direct', 'indirect'] });
    });
    const theirs = project(5, (s) => {
      label(s, 'quote').name = 'citation';
      s.relations[0]!.from = ['claim', 'citation'];
      label(s, 'source').key = '7';
    });
    const { merged, notes, problems } = mergeProjectFile(base, ours, theirs);
    expect(notes).toEqual([]);
    expect(problems).toEqual([]);
    expect(merged.schema.labels.map((l) => [l.id, l.name, l.color, l.key])).toEqual([
      ['L1', 'claim', '#6d28d9', '1'],
      ['L2', 'citation', '#2563b8', '2'],
      ['L3', 'source', '#7b3fa0', '7'],
    ]);
    expect(label(merged.schema, 'citation').attributes.map((a) => a.name)).toEqual(['speaker', 'kind']);
    expect(merged.schema.relations).toEqual([{ type: 'attributed-to', from: ['claim', 'citation'], to: ['source'] }]);
  });

  it("a colour both sides changed differently keeps the team's, and says so naming the label, both values and what to do", () => {
    const { merged, notes, problems } = mergeProjectFile(
      project(3),
      project(4, (s) => (label(s, 'claim').color = '#9a3412')),
      project(4, (s) => (label(s, 'claim').color = '#6d28d9')),
    );
    expect(label(merged.schema, 'claim').color).toBe('#6d28d9');
    expect(notes).toEqual([
      'Label "claim": you changed its colour to #9a3412 and a colleague changed it to #6d28d9. The colleague\'s #6d28d9 was kept (it is already shared with the team); if yours should stand, set it again in Tags… and Sync.',
    ]);
    expect(problems).toEqual([]);
  });

  it('the same change on both sides is no conflict', () => {
    const both = (s: TagSchema) => (label(s, 'claim').color = '#6d28d9');
    const { merged, notes } = mergeProjectFile(project(3), project(4, both), project(4, both));
    expect(notes).toEqual([]);
    expect(label(merged.schema, 'claim').color).toBe('#6d28d9');
  });

  it('two new labels with the same name (and key): both kept, ours renamed and given a free key, both reported', () => {
    const { merged, notes, problems } = mergeProjectFile(
      project(3),
      project(4, (s) => s.labels.push({ id: 'OURS', name: 'person', color: '#0f766e', key: '5', attributes: [] })),
      project(4, (s) => s.labels.push({ id: 'THEIRS', name: 'Person', color: '#1d4ed8', key: '5', attributes: [] })),
    );
    expect(problems).toEqual([]);
    expect(schemaProblems(merged.schema)).toEqual([]);
    const added = merged.schema.labels.filter((l) => l.id === 'OURS' || l.id === 'THEIRS').map((l) => [l.id, l.name, l.key]);
    expect(added).toEqual([
      ['THEIRS', 'Person', '5'],
      ['OURS', 'person 2', '3'],
    ]);
    expect(notes).toEqual([
      'Two labels were called "person": a colleague\'s and one you made. Yours is now called "person 2" (its annotations keep it). Rename it in Tags…, or move its annotations to "person" and remove it.',
      '"Person" and "person 2" both had the shortcut key 5: "Person" keeps it and "person 2" now has 3. Change it in Tags… if you prefer another.',
    ]);
  });

  it('labels without ids (older projects) are matched by name', () => {
    const strip = (p: ProjectFile): ProjectFile => ({ ...p, schema: { ...p.schema, labels: p.schema.labels.map(({ id: _id, ...rest }) => rest) } });
    const { merged, notes } = mergeProjectFile(
      strip(project(0)),
      strip(project(0, (s) => s.labels.push({ name: 'person', color: '#0f766e', key: '5', attributes: [] }))),
      strip(project(0, (s) => s.labels.push({ name: 'person', color: '#1d4ed8', key: '6', attributes: [] }))),
    );
    expect(merged.schema.labels.map((l) => l.name)).toEqual(['claim', 'quote', 'source', 'person']);
    expect(label(merged.schema, 'person')).toMatchObject({ color: '#1d4ed8', key: '6' });
    expect(notes).toHaveLength(2); // colour and key, each: the colleague's kept
  });

  it('revision is one more than the larger of both sides', () => {
    expect(mergeProjectFile(project(3), project(7), project(4)).merged.revision).toBe(8);
    expect(mergeProjectFile(project(3), project(4), project(9)).merged.revision).toBe(10);
    const { revision: _r, ...old } = project(0);
    expect(mergeProjectFile(null, old as ProjectFile, old as ProjectFile).merged.revision).toBe(1);
  });

  it('a label removed on one side goes, unless the other side changed it: then it stays, with a note', () => {
    const removeSource = (s: TagSchema) => {
      s.labels = s.labels.filter((l) => l.name !== 'source');
      s.relations = [];
    };
    const gone = mergeProjectFile(project(3), project(4, removeSource), project(3));
    expect(gone.merged.schema.labels.map((l) => l.name)).toEqual(['claim', 'quote']);
    expect(gone.notes).toEqual([]);

    const kept = mergeProjectFile(project(3), project(4, removeSource), project(4, (s) => (label(s, 'source').color = '#1d4ed8')));
    expect(kept.merged.schema.labels.map((l) => l.name)).toEqual(['claim', 'quote', 'source']);
    expect(kept.notes).toEqual(['You removed the label "source" while a colleague changed it, so it was kept. Remove it again in Tags… if it should go.']);
    expect(kept.problems).toEqual([]);
  });

  it("relation types follow a label the colleague renamed, and drop a label that is gone", () => {
    const { merged, notes, problems } = mergeProjectFile(
      project(3),
      project(4, (s) => s.relations.push({ type: 'supports', from: ['claim'], to: ['quote'] })),
      project(4, (s) => {
        label(s, 'claim').name = 'assertion';
        s.relations[0]!.from = ['assertion', 'quote'];
      }),
    );
    expect(problems).toEqual([]);
    expect(notes).toEqual([]);
    expect(merged.schema.relations).toEqual([
      { type: 'attributed-to', from: ['assertion', 'quote'], to: ['source'] },
      { type: 'supports', from: ['assertion'], to: ['quote'] },
    ]);
  });

  it('attributes merge by id too: two added to one label are both kept; one changed both ways keeps the colleague\'s', () => {
    const { merged, notes } = mergeProjectFile(
      project(3),
      project(4, (s) => {
        label(s, 'claim').attributes.push({ id: 'A7', name: 'check-worthy', type: 'boolean' });
        label(s, 'quote').attributes[0]!.required = true;
      }),
      project(4, (s) => {
        label(s, 'claim').attributes.push({ id: 'A8', name: 'date', type: 'date' });
        label(s, 'quote').attributes[0]!.required = false;
      }),
    );
    expect(label(merged.schema, 'claim').attributes.map((a) => a.name)).toEqual(['claimant', 'date', 'check-worthy']);
    expect(label(merged.schema, 'quote').attributes[0]!.required).toBe(false);
    expect(notes).toEqual([
      'Label "quote", attribute "speaker": you changed its "required" to true and a colleague changed it to false. The colleague\'s false was kept (it is already shared with the team); if yours should stand, set it again in Tags… and Sync.',
    ]);
  });

  it('never returns a schema that breaks the rules without saying so', () => {
    // Both sides gave the same label an unreadable colour: the merge keeps it and reports the problem.
    const pale = (s: TagSchema) => (label(s, 'claim').color = '#fafafa');
    const { problems } = mergeProjectFile(project(3), project(4, pale), project(4, pale));
    expect(problems).toEqual([{ path: 'labels.0.color', message: '#fafafa is too light: white text on it would be unreadable' }]);
  });
});
