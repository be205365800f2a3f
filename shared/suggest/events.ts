import { findDates } from './dates';
import type { Sentence } from './sentences';
import type { Span } from './types';
import { isCapitalized, type Word, wordsIn } from './words';

/**
 * Events: sentences that report something happening (a meeting, an attack, talks, an
 * agreement, a statement made at an occasion) at a stated time or place. Type from the trigger
 * word; date normalised (dates.ts); place from "in/at <Name>".
 */
export type EventType = 'meeting' | 'statement' | 'attack' | 'negotiation' | 'agreement' | 'other';

export interface FoundEvent extends Span {
  type: EventType;
  date?: string;
  place?: string;
}

const TRIGGERS: Record<EventType, string[]> = {
  meeting: ['met', 'meet', 'meets', 'meeting', 'meetings', 'summit', 'visited', 'visit', 'visits', 'hosted', 'gathered', 'rally', 'rallied', 'convened', 'conference'],
  statement: ['spoke', 'announced', 'announces', 'declared', 'unveiled', 'speech', 'addressed', 'testified', 'testimony', 'debate', 'interview'],
  attack: ['attacked', 'attack', 'attacks', 'bombed', 'bombing', 'killed', 'shot', 'shooting', 'exploded', 'explosion', 'stabbed', 'raid', 'airstrike', 'airstrikes', 'strikes', 'struck', 'fired', 'wounded', 'massacre'],
  negotiation: ['negotiated', 'negotiations', 'negotiating', 'talks', 'mediated', 'mediators', 'ceasefire talks'],
  agreement: ['signed', 'agreement', 'deal', 'ceasefire', 'accord', 'treaty', 'ratified', 'approved', 'truce'],
  other: ['elected', 'voted', 'arrested', 'resigned', 'died', 'launched', 'protested', 'protest', 'protests', 'collapsed', 'crashed', 'invaded', 'won', 'lost', 'released', 'captured', 'fled', 'evacuated', 'hospitalized', 'diagnosed'],
};
const TYPE_OF = new Map<string, EventType>(Object.entries(TRIGGERS).flatMap(([type, words]) => words.map((w) => [w, type as EventType] as [string, EventType])));
const NOT_PLACES = /^(January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|The|A|An|His|Her|Their|This|That|Mr|Mrs|Ms)\b/;

/** "in Colorado Springs", "at Ground Zero": the first capitalised phrase after in/at that is not a date. */
function placeIn(words: readonly Word[]): string | undefined {
  for (let i = 0; i < words.length - 1; i++) {
    if (words[i]!.lower !== 'in' && words[i]!.lower !== 'at') continue;
    let j = i + 1;
    if (words[j]!.lower === 'the' && isCapitalized(words[j + 1])) j++;
    if (!isCapitalized(words[j]) || NOT_PLACES.test(words[j]!.text)) continue;
    let e = j;
    while (e + 1 < words.length && isCapitalized(words[e + 1]) && !NOT_PLACES.test(words[e + 1]!.text)) e++;
    return words.slice(j, e + 1).map((w) => w.text).join(' ');
  }
  return undefined;
}

export function findEvents(text: string, sentences: readonly Sentence[], quotes: readonly Span[], publishedDate?: string): FoundEvent[] {
  const out: FoundEvent[] = [];
  for (const sentence of sentences) {
    const words = wordsIn(text, sentence.start, sentence.end).filter((w) => !quotes.some((q) => q.start <= w.start && w.end <= q.end));
    const trigger = words.find((w) => TYPE_OF.has(w.lower));
    if (!trigger) continue;
    const date = findDates(text, sentence.start, sentence.end, publishedDate)[0]?.date;
    const place = placeIn(words);
    // Something happening somewhere or at some time: a trigger word alone is too weak a sign.
    if (!date && !place) continue;
    let end = sentence.end;
    while (end > sentence.start && /[\s.!?]/u.test(text[end - 1]!)) end--;
    out.push({ start: sentence.start, end, type: TYPE_OF.get(trigger.lower)!, ...(date ? { date } : {}), ...(place ? { place } : {}) });
  }
  return out;
}
