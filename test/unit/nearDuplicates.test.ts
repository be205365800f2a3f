import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  estimatedJaccard,
  findNearDuplicates,
  jaccard,
  MIN_WORDS,
  NEAR_DUPLICATE_THRESHOLD,
  NearDuplicateIndex,
  normalizedWords,
  textSignature,
} from '../../shared/nearDuplicates';
import { samplePaths } from './helpers';

const samples = samplePaths().map((file) => ({ id: path.basename(file, '.txt'), text: readFileSync(file, 'utf8') }));

/** Every pair of samples with its exact similarity, computed once for the test names. */
const samplePairs = samples.flatMap((a, i) =>
  samples.slice(i + 1).map((b) => ({ a: a.id, b: b.id, similarity: jaccard(textSignature(a.text), textSignature(b.text)) })),
);
const TOUR_PAIR = ['002_e7f105aa316f8cda', '003_6daa1d6b280d8e7e'];
console.log(`[near-duplicates] sample similarities (5-word shingle Jaccard): ${samplePairs.map((p) => `${p.a.slice(0, 3)}–${p.b.slice(0, 3)} ${p.similarity.toFixed(3)}`).join(', ')}`);

describe('near-duplicates among the four sample articles', () => {
  it('the two reports of Blinken’s ninth regional tour (002 Khaleej Times/AFP, 003 a rewrite) are the one pair', () => {
    // Both really are about the ninth tour; the other two are different trips.
    for (const id of TOUR_PAIR) expect(samples.find((s) => s.id === id)!.text).toMatch(/ninth regional tour/);
    for (const s of samples.filter((x) => !TOUR_PAIR.includes(x.id))) expect(s.text).not.toMatch(/ninth regional tour/);

    const pairs = findNearDuplicates(samples);
    expect(pairs).toHaveLength(1);
    expect([pairs[0]!.a, pairs[0]!.b]).toEqual(TOUR_PAIR);
    expect(pairs[0]!.similarity).toBeGreaterThanOrEqual(NEAR_DUPLICATE_THRESHOLD);
  });

  it.each(samplePairs.map((p) => [`${p.a.slice(0, 3)} vs ${p.b.slice(0, 3)}: ${p.similarity.toFixed(3)}`, p] as const))('%s', (_name, pair) => {
    const isTour = pair.a === TOUR_PAIR[0] && pair.b === TOUR_PAIR[1];
    if (isTour) {
      expect(pair.similarity).toBeGreaterThan(0.4);
    } else {
      // Same subject (Blinken, Israel, Gaza, hostages) but another story: far below the threshold.
      expect(pair.similarity).toBeLessThan(0.02);
    }
  });

  it('is deterministic and the same whichever order the documents come in', () => {
    const forward = findNearDuplicates(samples);
    const backward = findNearDuplicates([...samples].reverse());
    expect(backward).toEqual(forward);
    expect(textSignature(samples[2]!.text)).toEqual(textSignature(samples[2]!.text));
    // The MinHash estimate agrees with the exact value within its error (σ ≈ 0.044 at 128 hashes).
    const [a, b] = TOUR_PAIR.map((id) => textSignature(samples.find((s) => s.id === id)!.text));
    expect(Math.abs(estimatedJaccard(a!, b!) - jaccard(a!, b!))).toBeLessThan(0.15);
  });
});

const WIRE = [
  'GENEVA (Wire) - Negotiators from forty countries agreed early on Saturday on a draft treaty to limit plastic pollution in the oceans, after talks that ran through the night and nearly collapsed twice over funding for poorer nations.',
  'The text, which still has to be ratified by national parliaments, sets a target of cutting the production of single-use plastics by a third within ten years and creates a fund to help coastal states clean up their beaches and harbours.',
  '"This is not everything we wanted, but it is the first time the world has put a number on the problem," the chair of the talks, Maria Lindqvist, told reporters as delegates filed out of the conference hall.',
  'Oil-producing states had pushed to drop the production target altogether, arguing that recycling and waste collection should come first, while a group of island nations threatened to walk out if the target was weakened any further.',
  'Environmental groups gave the deal a cautious welcome. Greenpeace said the target was too modest but called the fund a breakthrough that could pay for collection systems in countries that currently burn or dump most of their waste.',
  'Under the draft, rich countries would pay into the fund according to how much plastic they produce, with the first payments due two years after the treaty enters into force. A review conference would raise the target every five years.',
  'Industry representatives said they would study the text before commenting. Plastics makers have warned that a hard cap on production could raise prices for medical supplies and food packaging.',
  'The treaty will be opened for signature at a ceremony in Nairobi in March, and needs ratification by at least fifty states before it takes effect.',
];

describe('near-duplicates in synthetic news copy', () => {
  it('finds a wire story run by two outlets with their own intro, byline and boilerplate', () => {
    const outletA = [
      'Ocean plastics treaty agreed after all-night talks',
      'By Staff Reporter | Published 14 June 2025',
      'Delegates in Geneva have finally struck a deal on ocean plastics, and our correspondent says the mood in the hall was one of exhausted relief.',
      ...WIRE,
      'Sign up for our morning newsletter to get the day’s top stories delivered to your inbox. Follow us on social media for live updates.',
    ].join('\n\n');
    const outletB = [
      'World nations strike deal to curb plastic waste at sea',
      'Photo: Delegates applaud at the close of the talks in Geneva. (Pool)',
      'It took a sleepless night, two near-collapses and a last-minute compromise on money, but the world now has a draft plastics treaty.',
      // The wire copy with the outlet's style edits: another dateline, a dropped paragraph, small rewordings.
      WIRE[0]!.replace('GENEVA (Wire) - ', 'Geneva, Switzerland — '),
      WIRE[1]!,
      WIRE[2]!.replace('told reporters', 'said'),
      WIRE[3]!.replace('Oil-producing', 'Oil producing'),
      WIRE[5]!,
      WIRE[6]!,
      WIRE[7]!,
      '© 2025 Daily Courier. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.',
    ].join('\n\n');
    const a = textSignature(outletA);
    const b = textSignature(outletB);
    const similarity = jaccard(a, b);
    console.log(`[near-duplicates] wire story, two outlets: ${similarity.toFixed(3)}`);
    expect(similarity).toBeGreaterThanOrEqual(NEAR_DUPLICATE_THRESHOLD);

    const index = new NearDuplicateIndex();
    expect(index.add('a', outletA)).toEqual([]);
    expect(index.add('b', outletB)).toEqual([{ id: 'a', similarity: Math.round(similarity * 1000) / 1000 }]);
    expect(index.matchesOf('a')).toEqual([{ id: 'b', similarity: Math.round(similarity * 1000) / 1000 }]);
  });

  it('does not pair two independently written stories on the same event', () => {
    const other = [
      'Plastic treaty: what was agreed in Geneva and what happens next',
      'After a fortnight of negotiations in Geneva, diplomats from forty countries have approved a draft agreement on plastic pollution in the oceans. Here is what it contains.',
      'The headline figure is a reduction of single-use plastic production by one third over a decade. Campaigners had hoped for a cut of half; oil-producing states wanted no cap at all.',
      'Money was the sticking point. Poorer coastal countries, which receive much of the world’s waste, insisted on a fund for cleaning beaches and ports. Rich producers will finance it in proportion to their output.',
      'Maria Lindqvist, who chaired the talks, described the outcome as a first step. Island nations, which had threatened to leave, said they would sign but keep pressing for more.',
      'The chemical industry has warned about costs for hospitals and food companies. Parliaments must now ratify the text; fifty ratifications are required before the treaty applies, and signing opens in Nairobi in March.',
    ].join('\n\n');
    const similarity = jaccard(textSignature(WIRE.join('\n\n')), textSignature(other));
    console.log(`[near-duplicates] same event, independent stories: ${similarity.toFixed(3)}`);
    expect(similarity).toBeLessThan(0.05);
    expect(findNearDuplicates([{ id: 'wire', text: WIRE.join('\n\n') }, { id: 'explainer', text: other }])).toEqual([]);
  });

  it('treats spelling variants of outlets’ style guides as the same words', () => {
    expect(normalizedWords('U.S. cease-fire, Hamas’s 1,198 “HOSTAGES”')).toEqual(['us', 'ceasefire', 'hamass', '1198', 'hostages']);
    expect(normalizedWords('US ceasefire, Hamas\'s 1198 hostages')).toEqual(['us', 'ceasefire', 'hamass', '1198', 'hostages']);
  });

  it('never pairs texts too short to judge, and an empty text matches nothing', () => {
    const short = 'Storm closes port for two days, harbour master says.';
    expect(normalizedWords(short).length).toBeLessThan(MIN_WORDS);
    const index = new NearDuplicateIndex();
    index.add('x', short);
    expect(index.add('y', `${short} Again.`)).toEqual([]);
    expect(index.add('z', '')).toEqual([]);
    expect(index.pairs()).toEqual([]);
  });

  it('adding an id twice changes nothing, and removing one drops its links', () => {
    const index = new NearDuplicateIndex();
    const text = WIRE.join('\n\n');
    index.add('one', text);
    index.add('two', `${text}\n\nThis story has been updated.`);
    expect(index.add('two', 'something else entirely')).toEqual([{ id: 'one', similarity: expect.any(Number) }]);
    expect(index.size).toBe(2);
    index.remove('one');
    expect(index.matchesOf('two')).toEqual([]);
    expect(index.add('three', text)).toEqual([{ id: 'two', similarity: expect.any(Number) }]);
  });
});

/** Deterministic pseudo-random news-like texts: a shared vocabulary, so every text is "on topic". */
function syntheticCorpus(count: number): { id: string; text: string }[] {
  const vocabulary = (
    'minister talks ceasefire hostages said officials government army border aid trucks reporters statement ' +
    'president prime meeting capital city week monday tuesday deal negotiators agreement war peace forces ' +
    'attack killed wounded civilians humanitarian crisis region security council vote sanctions oil prices'
  ).split(' ');
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
  return Array.from({ length: count }, (_, i) => ({
    id: i.toString(16).padStart(16, '0'),
    text: Array.from({ length: 400 }, () => vocabulary[next() % vocabulary.length]).join(' '),
  }));
}

describe('scale', () => {
  it('indexes thousands of same-topic documents with a small number of exact comparisons', () => {
    const docs = syntheticCorpus(3000);
    // Plant copies: every 500th document is re-run by "another outlet" with a new intro.
    const copies = docs.filter((_, i) => i % 500 === 0).map((d, k) => ({ id: `c${k.toString().padStart(15, '0')}`, text: `Another outlet's own intro paragraph here.\n\n${d.text}` }));
    const index = new NearDuplicateIndex();
    const started = performance.now();
    for (const doc of [...docs, ...copies]) index.add(doc.id, doc.text);
    const elapsed = performance.now() - started;
    const n = docs.length + copies.length;
    console.log(`[near-duplicates] indexed ${n} documents in ${elapsed.toFixed(0)} ms with ${index.comparisons} exact comparisons (all pairs: ${(n * (n - 1)) / 2})`);
    // LSH keeps the exact work to a tiny share of all pairs (the texts share a 36-word vocabulary).
    expect(index.comparisons).toBeLessThan((n * (n - 1)) / 2 / 100);
    expect(index.pairs().map((p) => p.b).sort()).toEqual(copies.map((c) => c.id));
  });
});
