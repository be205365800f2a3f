/**
 * Claims and events of the engine against the hand-annotated fixture of the four sample
 * articles (test/fixtures/suggest/sample-claims-events.json): a suggestion matches a hand span when
 * they overlap by at least half of their union, one to one, best overlap first (as score.py
 * matches quotes). For matched events, how often type, date and place agree with the hand's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { suggest } from '../../shared/suggest';
import type { Span } from '../../shared/suggest/types';
import { repoRoot } from './processes';

interface HandSpan {
  file: string;
  label: 'claim' | 'event';
  text: string;
  attributes: Record<string, string>;
}

export interface LabelScore {
  hand: number;
  suggested: number;
  matched: number;
  precision: number;
  recall: number;
  f1: number;
  /** Matched spans whose attribute equals the hand's, over those where the hand gave one. */
  attributes: Record<string, string>;
}

const iou = (a: Span, b: Span) => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start)) / (Math.max(a.end, b.end) - Math.min(a.start, b.start));

/** The first occurrence of `needle`, a space matching any white space (the articles carry non-breaking spaces). */
function locate(text: string, needle: string, file: string): Span {
  const pattern = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s\\u00a0]+'), 'u');
  const m = pattern.exec(text);
  if (!m) throw new Error(`${file}: the fixture's span "${needle.slice(0, 60)}…" is not in the article`);
  return { start: m.index, end: m.index + m[0].length };
}

function match(hand: readonly Span[], suggested: readonly Span[]): [number, number][] {
  const pairs = hand.flatMap((h, i) => suggested.map((s, j) => [iou(h, s), i, j] as const)).filter(([v]) => v >= 0.5);
  pairs.sort((a, b) => b[0] - a[0]);
  const usedH = new Set<number>();
  const usedS = new Set<number>();
  const out: [number, number][] = [];
  for (const [, i, j] of pairs) {
    if (usedH.has(i) || usedS.has(j)) continue;
    usedH.add(i);
    usedS.add(j);
    out.push([i, j]);
  }
  return out;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function scoreFixture(): Record<'claim' | 'event', LabelScore> {
  const fixture = JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/suggest/sample-claims-events.json'), 'utf8')) as { published: Record<string, string>; annotations: HandSpan[] };
  const totals = { claim: { hand: 0, suggested: 0, matched: 0, agree: {} as Record<string, [number, number]> }, event: { hand: 0, suggested: 0, matched: 0, agree: {} as Record<string, [number, number]> } };
  for (const file of Object.keys(fixture.published)) {
    const text = readFileSync(path.join(repoRoot, 'resources/samples', file), 'utf8');
    const suggestions = suggest(text, { publishedDate: fixture.published[file], labels: ['claim', 'event'] });
    for (const label of ['claim', 'event'] as const) {
      const hand = fixture.annotations.filter((a) => a.file === file && a.label === label);
      const spans = hand.map((h) => locate(text, h.text, file));
      const mine = suggestions.filter((s) => s.label === label);
      const t = totals[label];
      const pairs = match(spans, mine);
      t.hand += hand.length;
      t.suggested += mine.length;
      t.matched += pairs.length;
      for (const [i, j] of pairs) {
        for (const [name, value] of Object.entries(hand[i]!.attributes)) {
          const [ok, of] = t.agree[name] ?? [0, 0];
          // A claimant agrees when one name contains the other ("Biden" and "US President Joe Biden").
          const got = mine[j]!.attributes[name] ?? '';
          const same = name === 'claimant' ? got !== '' && (got.toLowerCase().includes(value.toLowerCase()) || value.toLowerCase().includes(got.toLowerCase())) : got === value;
          t.agree[name] = [ok + (same ? 1 : 0), of + 1];
        }
      }
    }
  }
  const score = (t: (typeof totals)['claim']): LabelScore => {
    const p = t.suggested ? t.matched / t.suggested : 0;
    const r = t.hand ? t.matched / t.hand : 0;
    return {
      hand: t.hand,
      suggested: t.suggested,
      matched: t.matched,
      precision: round(p),
      recall: round(r),
      f1: round(p + r ? (2 * p * r) / (p + r) : 0),
      attributes: Object.fromEntries(Object.entries(t.agree).map(([k, [ok, of]]) => [k, `${ok}/${of}`])),
    };
  };
  return { claim: score(totals.claim), event: score(totals.event) };
}

if (process.argv[1] === import.meta.filename) console.log(JSON.stringify(scoreFixture(), null, 2));
