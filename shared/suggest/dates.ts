import type { Span } from './types';

/**
 * Dates as news writes them ("Sept. 11", "September 11, 2016", "11 September", "on Monday",
 * "yesterday"), normalised to YYYY-MM-DD. Relative ones and dates without a year count from the
 * article's publication date; without it only a date with its year is normalised.
 */
export interface FoundDate extends Span {
  date: string;
}

const MONTHS: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6, july: 7, jul: 7,
  august: 8, aug: 8, september: 9, sept: 9, sep: 9, october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
};
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTH = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept\\.?|Sep\\.?|Oct\\.?|Nov\\.?|Dec\\.?)';
const MONTH_DAY = new RegExp(`\\b${MONTH}[\\s\\u00a0]+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?[\\s\\u00a0]+(\\d{4})\\b)?`, 'g');
const DAY_MONTH = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?[\\s\\u00a0]+(?:of[\\s\\u00a0]+)?${MONTH}(?:,?[\\s\\u00a0]+(\\d{4})\\b)?`, 'g');
const ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const RELATIVE = /\b(yesterday|today|tonight|last night|this morning|this afternoon|this evening|(?:last |this |on |early |late )?(?:sunday|monday|tuesday|wednesday|thursday|friday|saturday))\b/gi;

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

function parsePublished(published: string | undefined): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(published ?? '');
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

function valid(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A month and day without a year: the publication's year, or the year before when that would put it well in the future. */
function yearFor(month: number, day: number, published: Date): number {
  const y = published.getUTCFullYear();
  const candidate = Date.UTC(y, month - 1, day);
  return candidate - published.getTime() > 60 * 86_400_000 ? y - 1 : y;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

function fromRelative(phrase: string, published: Date): string {
  const p = phrase.toLowerCase();
  const day = (d: Date) => iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  if (p === 'yesterday' || p === 'last night') return day(addDays(published, -1));
  if (!WEEKDAYS.some((w) => p.endsWith(w))) return day(published);
  // News reports what happened: "Monday" is the latest Monday on or before publication ("last Monday" the one a week before when today is Monday).
  const target = WEEKDAYS.findIndex((w) => p.endsWith(w));
  let back = (published.getUTCDay() - target + 7) % 7;
  if (back === 0 && p.startsWith('last ')) back = 7;
  return day(addDays(published, -back));
}

/** Every date in text[start, end), in text order. */
export function findDates(text: string, start: number, end: number, publishedDate?: string): FoundDate[] {
  const slice = text.slice(start, end);
  const published = parsePublished(publishedDate);
  const out: FoundDate[] = [];
  const add = (index: number, length: number, date: string | null) => {
    if (date && !out.some((d) => d.start < start + index + length && start + index < d.end)) out.push({ start: start + index, end: start + index + length, date });
  };
  const absolute = (m: number, d: number, y: number | undefined) => {
    if (y !== undefined) return valid(y, m, d) ? iso(y, m, d) : null;
    if (!published) return null;
    const year = yearFor(m, d, published);
    return valid(year, m, d) ? iso(year, m, d) : null;
  };
  for (const m of slice.matchAll(ISO)) add(m.index, m[0].length, valid(Number(m[1]), Number(m[2]), Number(m[3])) ? m[0] : null);
  for (const m of slice.matchAll(MONTH_DAY)) add(m.index, m[0].length, absolute(MONTHS[m[1]!.toLowerCase().replace('.', '')]!, Number(m[2]), m[3] ? Number(m[3]) : undefined));
  for (const m of slice.matchAll(DAY_MONTH)) add(m.index, m[0].length, absolute(MONTHS[m[2]!.toLowerCase().replace('.', '')]!, Number(m[1]), m[3] ? Number(m[3]) : undefined));
  if (published) for (const m of slice.matchAll(RELATIVE)) add(m.index, m[0].length, fromRelative(m[1]!.replace(/^on /i, ''), published));
  return out.sort((a, b) => a.start - b.start);
}
