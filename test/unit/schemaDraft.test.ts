import { describe, expect, it } from 'vitest';
import { defaultSchema } from '../../shared/defaultSchema';
import { isReadableColor } from '../../shared/schemaRules';
import { TAKEN_KEYS } from '../../shared/shortcuts';
import {
  type Draft,
  addAttribute,
  addLabel,
  attributeField,
  attributeUsage,
  deleteAttributeQuestion,
  deleteLabelQuestion,
  draftFromSchema,
  draftProblems,
  fieldOfPath,
  isDirty,
  keyFromInput,
  labelField,
  labelUsage,
  parseValues,
  relationField,
  removeAttribute,
  removeLabel,
  renamesOf,
  schemaFromDraft,
  setRelationLabel,
  updateAttribute,
  updateLabel,
} from '../../renderer/src/components/schema/schemaDraft';

const labelId = (draft: Draft, name: string) => {
  const row = draft.labels.find((l) => l.name === name);
  if (!row) throw new Error(`no label ${name}`);
  return row.id;
};
const attributeId = (draft: Draft, label: string, name: string) => {
  const row = draft.labels.find((l) => l.name === label)?.attributes.find((a) => a.name === name);
  if (!row) throw new Error(`no attribute ${label}/${name}`);
  return row.id;
};
const rename = (draft: Draft, from: string, to: string) => updateLabel(draft, labelId(draft, from), { name: to });

describe('a draft of the schema', () => {
  it('gives back the schema it was made from, unchanged and not dirty', () => {
    const draft = draftFromSchema(defaultSchema);
    expect(schemaFromDraft(draft)).toEqual(defaultSchema);
    expect(isDirty(draft, draft)).toBe(false);
    expect(renamesOf(draft)).toEqual({ renameLabels: [], renameAttributes: [] });
    expect(draftProblems(draft)).toEqual({ fields: {}, general: [], count: 0 });
  });

  it('trims names and parses choices', () => {
    expect(parseValues(' direct, indirect ,, partial ,')).toEqual(['direct', 'indirect', 'partial']);
    let draft = draftFromSchema(defaultSchema);
    draft = rename(draft, 'quote', ' citation ');
    const quote = draft.labels[1]!;
    draft = updateAttribute(draft, quote.id, quote.attributes[1]!.id, { valuesText: 'direct,  indirect' });
    const schema = schemaFromDraft(draft);
    expect(schema.labels[1]?.name).toBe('citation');
    expect(schema.labels[1]?.attributes[1]).toEqual({ name: 'kind', type: 'choice', values: ['direct', 'indirect'] });
  });

  it('keeps typed choices when the type changes and restores them when it changes back', () => {
    let draft = draftFromSchema(defaultSchema);
    const [quote, kind] = [labelId(draft, 'quote'), attributeId(draft, 'quote', 'kind')];
    draft = updateAttribute(draft, quote, kind, { type: 'text' });
    expect(schemaFromDraft(draft).labels[1]?.attributes[1]).toEqual({ name: 'kind', type: 'text' });
    draft = updateAttribute(draft, quote, kind, { type: 'multi', required: true });
    expect(schemaFromDraft(draft).labels[1]?.attributes[1]).toEqual({ name: 'kind', type: 'multi', values: ['direct', 'indirect', 'partial'], required: true });
  });
});

describe('renames computed from the rows', () => {
  it('a renamed label is one rename from its original name', () => {
    const draft = rename(draftFromSchema(defaultSchema), 'quote', 'citation');
    expect(renamesOf(draft)).toEqual({ renameLabels: [{ from: 'quote', to: 'citation' }], renameAttributes: [] });
    expect(isDirty(draftFromSchema(defaultSchema), draft)).toBe(true);
  });

  it('a label renamed twice is still one rename from the original', () => {
    let draft = rename(draftFromSchema(defaultSchema), 'quote', 'citation');
    draft = rename(draft, 'citation', 'statement');
    expect(renamesOf(draft).renameLabels).toEqual([{ from: 'quote', to: 'statement' }]);
  });

  it('a label renamed back is no rename, and the draft is clean again', () => {
    const initial = draftFromSchema(defaultSchema);
    let draft = rename(initial, 'quote', 'citation');
    draft = rename(draft, 'citation', 'quote');
    expect(renamesOf(draft)).toEqual({ renameLabels: [], renameAttributes: [] });
    expect(isDirty(initial, draft)).toBe(false);
  });

  it('a new label is no rename, however it is renamed', () => {
    const added = addLabel(draftFromSchema(defaultSchema));
    let draft = updateLabel(added.draft, added.id, { name: 'person' });
    draft = updateLabel(draft, added.id, { name: 'organisation' });
    expect(renamesOf(draft).renameLabels).toEqual([]);
    expect(schemaFromDraft(draft).labels.map((l) => l.name)).toEqual(['claim', 'quote', 'event', 'source', 'organisation']);
  });

  it('a new label that takes a deleted label’s name is no rename either', () => {
    let draft = removeLabel(draftFromSchema(defaultSchema), labelId(draftFromSchema(defaultSchema), 'source'));
    const added = addLabel(draft);
    draft = updateLabel(added.draft, added.id, { name: 'source' });
    expect(renamesOf(draft).renameLabels).toEqual([]);
  });

  it('a deleted label is no rename and leaves the schema', () => {
    const initial = draftFromSchema(defaultSchema);
    const draft = removeLabel(rename(initial, 'event', 'happening'), labelId(initial, 'event'));
    expect(renamesOf(draft)).toEqual({ renameLabels: [], renameAttributes: [] });
    expect(schemaFromDraft(draft).labels.map((l) => l.name)).toEqual(['claim', 'quote', 'source']);
  });

  it('swapping two label names is two renames', () => {
    let draft = rename(draftFromSchema(defaultSchema), 'claim', 'tmp');
    draft = rename(draft, 'quote', 'claim');
    draft = rename(draft, 'tmp', 'quote');
    expect(renamesOf(draft).renameLabels).toEqual([
      { from: 'claim', to: 'quote' },
      { from: 'quote', to: 'claim' },
    ]);
  });

  it('attribute renames name the label by its new name when the label is renamed too', () => {
    const initial = draftFromSchema(defaultSchema);
    let draft = updateAttribute(initial, labelId(initial, 'quote'), attributeId(initial, 'quote', 'speaker'), { name: 'who' });
    draft = updateAttribute(draft, labelId(initial, 'quote'), attributeId(initial, 'quote', 'speaker'), { name: 'speaker name' });
    draft = rename(draft, 'quote', 'citation');
    expect(renamesOf(draft)).toEqual({
      renameLabels: [{ from: 'quote', to: 'citation' }],
      renameAttributes: [{ label: 'citation', from: 'speaker', to: 'speaker name' }],
    });
  });

  it('an attribute renamed back, added or deleted is no rename', () => {
    const initial = draftFromSchema(defaultSchema);
    const [event, place, type] = [labelId(initial, 'event'), attributeId(initial, 'event', 'place'), attributeId(initial, 'event', 'type')];
    let draft = updateAttribute(initial, event, place, { name: 'location' });
    draft = updateAttribute(draft, event, place, { name: 'place' });
    const added = addAttribute(draft, event);
    draft = updateAttribute(added.draft, event, added.id, { name: 'casualties', type: 'number' });
    draft = removeAttribute(draft, event, type);
    expect(renamesOf(draft).renameAttributes).toEqual([]);
    expect(schemaFromDraft(draft).labels[2]?.attributes).toEqual([
      { name: 'date', type: 'date' },
      { name: 'place', type: 'text' },
      { name: 'casualties', type: 'number' },
    ]);
  });

  it('attributes of a new label are never renames', () => {
    const added = addLabel(draftFromSchema(defaultSchema));
    const withAttr = addAttribute(added.draft, added.id);
    let draft = updateAttribute(withAttr.draft, added.id, withAttr.id, { name: 'role' });
    draft = updateAttribute(draft, added.id, withAttr.id, { name: 'function' });
    expect(renamesOf(draft)).toEqual({ renameLabels: [], renameAttributes: [] });
  });
});

describe('relations follow the labels', () => {
  it('a renamed label is renamed in every relation’s source and target lists', () => {
    let draft = rename(draftFromSchema(defaultSchema), 'source', 'speaker');
    draft = rename(draft, 'quote', 'citation');
    expect(schemaFromDraft(draft).relations).toEqual([{ type: 'attributed-to', from: ['claim', 'citation'], to: ['speaker'] }]);
  });

  it('a rename through another label’s name does not capture that label’s relations', () => {
    // claim -> quote (colliding for a moment) -> statement: quote stays a source on its own.
    let draft = rename(draftFromSchema(defaultSchema), 'claim', 'quote');
    expect(draftProblems(draft).count).toBeGreaterThan(0);
    draft = updateLabel(draft, draft.labels[0]!.id, { name: 'statement' });
    expect(schemaFromDraft(draft).relations[0]).toEqual({ type: 'attributed-to', from: ['statement', 'quote'], to: ['source'] });
  });

  it('a deleted label leaves every relation', () => {
    const initial = draftFromSchema(defaultSchema);
    const draft = removeLabel(initial, labelId(initial, 'claim'));
    expect(schemaFromDraft(draft).relations).toEqual([{ type: 'attributed-to', from: ['quote'], to: ['source'] }]);
  });

  it('labels can be allowed and disallowed at either end', () => {
    const initial = draftFromSchema(defaultSchema);
    const relation = initial.relations[0]!.id;
    const added = addLabel(initial);
    let draft = updateLabel(added.draft, added.id, { name: 'organisation' });
    draft = setRelationLabel(draft, relation, 'to', added.id, true);
    draft = setRelationLabel(draft, relation, 'to', added.id, true); // twice is once
    draft = setRelationLabel(draft, relation, 'from', labelId(draft, 'claim'), false);
    expect(schemaFromDraft(draft).relations).toEqual([{ type: 'attributed-to', from: ['quote'], to: ['source', 'organisation'] }]);
  });
});

describe('problems mapped to fields', () => {
  it('maps schema paths to the rows’ fields', () => {
    const draft = draftFromSchema(defaultSchema);
    const quote = draft.labels[1]!;
    expect(fieldOfPath(draft, 'labels.1.key')).toBe(labelField(quote.id, 'key'));
    expect(fieldOfPath(draft, 'labels.1.attributes.1.values')).toBe(attributeField(quote.id, quote.attributes[1]!.id, 'values'));
    expect(fieldOfPath(draft, 'relations.0.from')).toBe(relationField(draft.relations[0]!.id, 'from'));
    expect(fieldOfPath(draft, 'labels.9.name')).toBeNull();
    expect(fieldOfPath(draft, 'labels')).toBeNull();
  });

  it('puts a duplicate name and key next to each label that has it', () => {
    const initial = draftFromSchema(defaultSchema);
    const [claim, quote] = [labelId(initial, 'claim'), labelId(initial, 'quote')];
    const draft = updateLabel(updateLabel(initial, quote, { name: 'Claim' }), quote, { key: '1' });
    const { fields, count } = draftProblems(draft);
    for (const id of [claim, quote]) {
      expect(fields[labelField(id, 'name')]?.[0]).toMatch(/used by another label/);
      expect(fields[labelField(id, 'key')]).toEqual(['"1" is the shortcut of another label']);
    }
    expect(count).toBe(4);
  });

  it('refuses a key an action owns, an empty key and two keys', () => {
    const initial = draftFromSchema(defaultSchema);
    const claim = labelId(initial, 'claim');
    const problem = (key: string) => draftProblems(updateLabel(initial, claim, { key })).fields[labelField(claim, 'key')];
    expect(problem('j')).toEqual(['"j" is already a shortcut of its own']);
    expect(problem('?')).toEqual(['"?" is already a shortcut of its own']);
    expect(problem('')).toEqual(['the shortcut is one key']);
    expect(problem('ab')?.[0]).toBe('the shortcut is one key');
  });

  it('shows an unreadable colour at the colour field', () => {
    const initial = draftFromSchema(defaultSchema);
    const event = labelId(initial, 'event');
    const { fields } = draftProblems(updateLabel(initial, event, { color: '#ffff66' }));
    expect(fields[labelField(event, 'color')]).toEqual(['#ffff66 is too light: white text on it would be unreadable']);
  });

  it('shows attribute problems at the attribute’s fields', () => {
    const initial = draftFromSchema(defaultSchema);
    const quote = labelId(initial, 'quote');
    const kind = attributeId(initial, 'quote', 'kind');
    let draft = updateAttribute(initial, quote, kind, { valuesText: ' , ' });
    const added = addAttribute(draft, quote);
    draft = added.draft;
    const { fields } = draftProblems(draft);
    expect(fields[attributeField(quote, kind, 'values')]).toEqual(['a choice needs at least one value']);
    // A new attribute starts without a name: one message, not the rules' and the shape's both.
    expect(fields[attributeField(quote, added.id, 'name')]).toEqual(['an attribute needs a name']);
    draft = updateAttribute(draft, quote, added.id, { name: 'Speaker' });
    expect(draftProblems(draft).fields[attributeField(quote, added.id, 'name')]).toEqual(['"Speaker" is used twice in quote']);
    draft = updateAttribute(draft, quote, kind, { valuesText: 'direct, direct' });
    expect(draftProblems(draft).fields[attributeField(quote, kind, 'values')]).toEqual(['each value once']);
  });

  it('a schema without labels is a general problem', () => {
    let draft = draftFromSchema(defaultSchema);
    for (const label of draft.labels) draft = removeLabel(draft, label.id);
    expect(draftProblems(draft)).toEqual({ fields: {}, general: ['the schema needs at least one label'], count: 1 });
  });
});

describe('new rows', () => {
  it('a new label has a unique name, a free key that no action owns and a readable colour', () => {
    let draft = draftFromSchema(defaultSchema);
    const keys = new Set(draft.labels.map((l) => l.key));
    for (let i = 0; i < 8; i++) {
      const added = addLabel(draft);
      draft = added.draft;
      const row = draft.labels.find((l) => l.id === added.id)!;
      expect(keys.has(row.key)).toBe(false);
      expect(TAKEN_KEYS).not.toContain(row.key);
      expect(isReadableColor(row.color)).toBe(true);
      keys.add(row.key);
    }
    expect(draft.labels.slice(4).map((l) => l.name)).toEqual(['new label', ...[2, 3, 4, 5, 6, 7, 8].map((n) => `new label ${n}`)]);
    expect(draftProblems(draft).count).toBe(0);
  });

  it('row ids are never reused', () => {
    let draft = draftFromSchema(defaultSchema);
    const a = addLabel(draft);
    draft = removeLabel(a.draft, a.id);
    const b = addLabel(draft);
    expect(b.id).not.toBe(a.id);
  });
});

describe('the shortcut key field', () => {
  it('takes the key typed over the old one, in front of it or behind it', () => {
    expect(keyFromInput('5', '1')).toBe('5');
    expect(keyFromInput('15', '1')).toBe('5');
    expect(keyFromInput('51', '1')).toBe('5');
    expect(keyFromInput('', '1')).toBe('');
    expect(keyFromInput('11', '1')).toBe('1');
  });
});

describe('usage and the questions asked before deleting', () => {
  const usage = { labels: { quote: 12, claim: 1 }, attributes: { 'quote/speaker': 3 } };

  it('counts by the original names, and nothing for new rows', () => {
    let draft = rename(draftFromSchema(defaultSchema), 'quote', 'citation');
    const quote = draft.labels[1]!;
    expect(labelUsage(usage, quote)).toBe(12);
    expect(attributeUsage(usage, quote, quote.attributes[0]!)).toBe(3);
    expect(attributeUsage(usage, quote, quote.attributes[1]!)).toBe(0);
    const added = addLabel(draft);
    draft = added.draft;
    expect(labelUsage(usage, draft.labels.find((l) => l.id === added.id)!)).toBe(0);
  });

  it('says how many annotations are deleted', () => {
    expect(deleteLabelQuestion('quote', 12)).toBe('12 annotations use “quote”. Deleting the label deletes them too.');
    expect(deleteLabelQuestion('claim', 1)).toBe('1 annotation uses “claim”. Deleting the label deletes it too.');
    expect(deleteAttributeQuestion('quote', 'speaker', 3)).toBe(
      '3 annotations have a value for “speaker” of “quote”. Deleting the attribute hides those values; they stay stored with the annotations, so nothing a colleague typed is lost.',
    );
  });
});
