import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSchema } from '../../shared/defaultSchema';
import { schemaProblems } from '../../shared/schemaRules';
import { actionFor, type KeyPress, RESERVED_KEYS, TAKEN_KEYS } from '../../shared/shortcuts';
import { openWorkspace, TempDirs } from './helpers';

/**
 * The keys of assisted tagging (A accepts, X rejects, Shift+A accepts what is on screen) came
 * after Margin had given A and X to new labels: a schema that has them must still be valid and
 * its project must still open; new labels no longer get them.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const press = (key: string, shiftKey = false): KeyPress => ({ key, shiftKey, ctrlKey: false, metaKey: false, altKey: false });

describe('the keys of suggestions', () => {
  it('A and X act on suggestions, Shift+A on those on screen, and Caps Lock does not turn A into Shift+A', () => {
    expect(actionFor(press('a'))).toBe('accept-suggestion');
    expect(actionFor(press('Enter'))).toBe('accept-suggestion');
    expect(actionFor(press('x'))).toBe('reject-suggestion');
    expect(actionFor(press('A', true))).toBe('accept-suggestions-on-screen');
    // Caps Lock: "A" typed without Shift is still A, one suggestion; the same for J.
    expect(actionFor(press('A'))).toBe('accept-suggestion');
    expect(actionFor(press('J'))).toBe('next-annotation');
    // Shift+J is nothing.
    expect(actionFor(press('J', true))).toBeNull();
  });

  it('a schema whose labels use A and X stays valid and its project opens; new labels never get them', async () => {
    expect(RESERVED_KEYS).not.toContain('a');
    expect(RESERVED_KEYS).not.toContain('x');
    expect(TAKEN_KEYS).toEqual(expect.arrayContaining(['a', 'x', 'j', 'k']));
    const schema = { ...defaultSchema, labels: defaultSchema.labels.map((l, i) => (i === 0 ? { ...l, key: 'a' } : i === 1 ? { ...l, key: 'X' } : l)) };
    expect(schemaProblems(schema)).toEqual([]);

    // A project written by the version before, with those keys in margin.json.
    const projectDir = path.join(temps.make(), 'project');
    const first = await openWorkspace(temps, projectDir);
    await first.close();
    const file = path.join(projectDir, 'margin.json');
    const project = JSON.parse(readFileSync(file, 'utf8')) as { schema: typeof schema };
    project.schema.labels[0]!.key = 'a';
    project.schema.labels[1]!.key = 'x';
    writeFileSync(file, `${JSON.stringify(project, null, 2)}\n`);
    const ws = await openWorkspace(temps, projectDir);
    try {
      const session = await ws.handlers.getSession({});
      expect(session.schema.labels.slice(0, 2).map((l) => l.key)).toEqual(['a', 'x']);
    } finally {
      await ws.close();
    }
  });
});
