import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliRun, REPO_ROOT, runMargin, TempDirs } from './helpers';

/**
 * brat through Margin and back as an analyst does it: `margin import-annotations --format brat`
 * of a corpus folder, then `margin export --format brat`. Every line of every .ann comes back:
 * the same set of lines, ids aside (each id is replaced by what it names, so "T3" reads as the
 * span it marks and "E1" as its event). Comments of every type, normalizations, equivalences,
 * discontinuous spans, attributes with values, events with repeated roles and shared triggers,
 * and lines Margin has no field for (an attribute on a relation) are all kept.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const TUTORIAL = path.resolve(REPO_ROOT, '..', 'shared', 'conformance', 'brat-news-tutorial');

// ---------------------------------------------------------------------------------------------
// An independent reading of .ann lines: each line with its ids replaced by what they name.

/** The lines of an .ann file, each as text with ids resolved to content, as a set. */
function linesModuloIds(ann: string): Set<string> {
  const rows = ann
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [id, data = '', ...tail] = l.split('\t');
      return { id: id!, data, tail: tail.join('\t') };
    });
  const byId = new Map(rows.filter((r) => r.id !== '*').map((r) => [r.id, r]));
  const keys = new Map<string, string>();
  const keyOf = (id: string, seen: string[] = []): string => {
    const known = keys.get(id);
    if (known !== undefined) return known;
    const row = byId.get(id);
    if (!row || seen.includes(id)) return `?${id}`;
    const key = describe(row, [...seen, id]);
    keys.set(id, key);
    return key;
  };
  /** A token: an id in the file is replaced by what it names; Role:Id keeps its role. */
  const token = (t: string, seen: string[]): string => {
    if (byId.has(t)) return `<${keyOf(t, seen)}>`;
    const colon = t.lastIndexOf(':');
    if (colon > 0 && byId.has(t.slice(colon + 1))) return `${t.slice(0, colon)}:<${keyOf(t.slice(colon + 1), seen)}>`;
    return t;
  };
  const describe = (row: { id: string; data: string; tail: string }, seen: string[]): string => {
    const kind = row.id === '*' ? '*' : row.id[0] === 'M' ? 'A' : row.id[0]!;
    const parts = row.data.split(' ');
    if (kind === 'T') return `T ${row.data} «${row.tail}»`;
    // brat: "the event arguments can appear in any order"; equivalence members are a set.
    if (kind === 'E') return `E ${token(parts[0]!, seen)} [${parts.slice(1).map((p) => token(p, seen)).sort().join(' ')}]`;
    if (kind === '*') return `* ${parts[0]} {${parts.slice(1).map((p) => token(p, seen)).sort().join(' ')}}`;
    return `${kind} ${parts.map((p) => token(p, seen)).join(' ')}${row.tail === '' && kind !== 'R' ? '' : ` «${row.tail}»`}`;
  };
  return new Set(rows.map((r) => (r.id === '*' ? describe(r, []) : keyOf(r.id))));
}

/** Lines of `a` missing from `b`, readable. */
function missing(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((l) => !b.has(l));
}

// ---------------------------------------------------------------------------------------------
// Through the CLI.

interface Corpus {
  /** base name → .txt and .ann content */
  docs: Map<string, { txt: string; ann: string }>;
}

function readCorpus(dir: string): Corpus {
  const docs = new Map<string, { txt: string; ann: string }>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ann')).sort()) {
    const base = name.slice(0, -4);
    docs.set(base, { ann: readFileSync(path.join(dir, name), 'utf8'), txt: readFileSync(path.join(dir, `${base}.txt`), 'utf8') });
  }
  return { docs };
}

/** Imports the corpus folder into a fresh project and exports it again; the exported .ann by original base name. */
async function throughMargin(folder: string, corpus: Corpus, times = 1): Promise<{ exported: Map<string, string>; importRun: CliRun }> {
  const root = temps.make();
  const project = path.join(root, 'project');
  const userData = temps.make('margin-cli-ud-');
  let importRun = await runMargin(['import-annotations', '--project', project, '--format', 'brat', '--annotator', 'analyst', folder], userData);
  for (let again = 1; again < times; again++) {
    // The same files again add nothing: each record is found as the one it is (two events on one trigger included).
    importRun = await runMargin(['import-annotations', '--project', project, '--format', 'brat', '--annotator', 'analyst', folder], userData);
    expect(importRun.stdout).toMatch(/ 0 imported, \d+ already present, 0 orphaned, 0 rejected/);
  }
  const out = path.join(root, 'out');
  const exportRun = await runMargin(['export', '--project', project, '--format', 'brat', '--out', out], userData);
  expect(exportRun.code, exportRun.stderr).toBe(0);
  // Margin names documents by id: the exported .txt says which original each .ann is.
  const exported = new Map<string, string>();
  const byText = new Map([...corpus.docs].map(([base, d]) => [d.txt, base]));
  for (const name of existsSync(out) ? readdirSync(out).filter((n) => n.endsWith('.ann')) : []) {
    const txt = readFileSync(path.join(out, name.replace(/\.ann$/, '.txt')), 'utf8');
    const base = byText.get(txt);
    expect(base, `${name}: its text is none of the corpus's`).toBeDefined();
    exported.set(base!, readFileSync(path.join(out, name), 'utf8'));
  }
  return { exported, importRun };
}

function expectSameLines(corpus: Corpus, exported: Map<string, string>): number {
  let lines = 0;
  for (const [base, { ann }] of corpus.docs) {
    const before = linesModuloIds(ann);
    const after = linesModuloIds(exported.get(base) ?? '');
    lines += ann.split('\n').filter((l) => l.trim() !== '').length;
    expect(missing(before, after), `${base}.ann: lines lost on the way through Margin`).toEqual([]);
    expect(missing(after, before), `${base}.ann: lines Margin added`).toEqual([]);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// A corpus of our own: every line type and option brat's standoff format documents, on news text.

const NEWS = [
  'Blinken met Netanyahu in Jerusalem on Tuesday.\u00a0The talks, Blinken said, were “productive”.',
  'Hamas leader Yahya Sinwar was killed last week; Israel’s army confirmed his death 🕊.',
  'North and South Korea exchanged fire near the border, Yonhap reported.',
  '',
].join('\n');

/** [start end] in code points of the n-th occurrence of `needle`. */
function at(needle: string, nth = 1): string {
  let from = -1;
  for (let i = 0; i < nth; i++) from = NEWS.indexOf(needle, from + 1);
  if (from < 0) throw new Error(`${needle} is not in the text`);
  const cp = (u16: number) => [...NEWS.slice(0, u16)].length;
  return `${cp(from)} ${cp(from + needle.length)}`;
}

const OWN_ANN = [
  `T1\tPerson ${at('Blinken')}\tBlinken`,
  `T2\tPerson ${at('Netanyahu')}\tNetanyahu`,
  `T3\tGPE ${at('Jerusalem')}\tJerusalem`,
  `T4\tMeet ${at('met')}\tmet`,
  // Two events on one trigger; a role repeated as such and in brat's numbered style.
  'E1\tMeet:T4 Participant:T1 Participant:T2 Place:T3',
  'E2\tMeet:T4 Participant:T1 Participant2:T2',
  `T5\tPerson ${at('Blinken', 2)}\tBlinken`,
  `T6\tStatement ${at('said')}\tsaid`,
  // An event as an argument, given before the event it names is complete.
  'E3\tStatement:T6 Speaker:T5 Topic:E1',
  // A span across a line break: its fragments split at the break.
  `T13\tQuote ${at('“productive”.').split(' ')[0]} ${at('“productive”.').split(' ')[1]};${at('Hamas')}\t“productive”. Hamas`,
  `T7\tPerson ${at('Yahya Sinwar')}\tYahya Sinwar`,
  `T15\tPerson ${at('Hamas leader')}\tHamas leader`,
  `T16\tPerson ${at('his')}\this`,
  `T8\tDie ${at('killed')}\tkilled`,
  'E4\tDie:T8 Victim:T7',
  `T9\tGPE ${at('Israel')}\tIsrael`,
  `T17\tStatement ${at('confirmed')}\tconfirmed`,
  // An event without arguments.
  'E6\tStatement:T17',
  // A discontinuous span: "North … Korea".
  `T10\tLocation ${at('North')};${at('Korea')}\tNorth Korea`,
  `T11\tLocation ${at('South Korea')}\tSouth Korea`,
  `T12\tAttack ${at('exchanged fire')}\texchanged fire`,
  'E5\tAttack:T12 Attacker:T10 Attacker2:T11',
  'R1\tLocated Arg1:T2 Arg2:T3\t',
  // Argument names of one's own.
  'R2\tCoreference Anaphor:T5 Antecedent:T1\t',
  // Equivalence sets: two of one type, one of three members.
  '*\tAlias T7 T15 T16',
  '*\tAlias T1 T5',
  // Attributes: binary, with values, the legacy M, on events, on spans, on a trigger.
  'A1\tConfirmed E4',
  'A2\tConfidence E1 High',
  'M1\tSpeculation E3',
  'A3\tRole T7 Leader',
  'A4\tMention T16 Pronominal',
  'A5\tTense T4 Past',
  // An attribute on a relation: Margin has no field for it, so it is kept as it is.
  'A6\tDisputed R1',
  // Normalizations, on spans and on an event.
  'N1\tReference T1 Wikidata:Q31271\tAntony Blinken',
  'N2\tReference T2 Wikidata:Q43723\tBenjamin Netanyahu',
  'N3\tReference E4 Wikidata:Q4\tdeath',
  // Comments: AnnotatorNotes and other types, on spans, events, relations and a trigger; several on one span.
  '#1\tAnnotatorNotes T3\tThe city, not the district',
  '#2\tAnnotatorNotes E1\tTwo meetings or one?',
  '#3\tAnnotatorNotes R1\tFrom the dateline',
  '#4\tLemma T6\tsay',
  '#5\tNote T6\tReporting verb',
  '#6\tAnnotatorNotes T1\tSecretary of State',
  '#7\tAnnotatorNotes T1\tA second note on the same span',
  '#8\tQuestion R2\tIs this coreference?',
  '#9\tAnnotatorNotes T8\tA note on the trigger',
  '#10\tSource E5\tYonhap',
  '#11\tLemma T13\tproductive',
].join('\n');

describe('brat: import → export through Margin keeps every line', () => {
  it('every .ann file of the brat news tutorial', async () => {
    const corpus = readCorpus(TUTORIAL);
    expect(corpus.docs.size).toBeGreaterThanOrEqual(13);
    const { exported, importRun } = await throughMargin(TUTORIAL, corpus);
    expect(importRun.code, importRun.stderr).toBe(0);
    const lines = expectSameLines(corpus, exported);
    console.log(`brat news tutorial: ${corpus.docs.size} .ann files, ${lines} lines, every one back after import → export`);
  }, 180_000);

  it('a corpus using every line type and option of the standoff format, on news text', async () => {
    const folder = temps.make('brat-own-');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'news.txt'), NEWS);
    writeFileSync(path.join(folder, 'news.ann'), `${OWN_ANN}\n`);
    const corpus = readCorpus(folder);
    const { exported, importRun } = await throughMargin(folder, corpus, 2);
    expect(importRun.stderr).not.toMatch(/rejected/);
    expect(importRun.code, importRun.stderr).toBe(0);
    const lines = expectSameLines(corpus, exported);
    expect(lines).toBe(OWN_ANN.split('\n').length);
    console.log(`own corpus: ${lines} lines of every type, every one back after import → export (imported twice)`);
  }, 180_000);
});
