/**
 * Light heuristics for news copy pasted or saved as plain text: the lines a browser copy drags
 * along above the story (a photo caption, a dateline with the outlet, a "Published:" line) and a
 * headline when the copy has none. Pure functions: they read the text and never change it, so
 * offsets into the text stay valid whatever they decide.
 */

export interface Dateline {
  /** "Ankara, Turkey" in "Ankara, Turkey CNN —"; absent for a bare "CNN —". */
  place?: string;
  /** "CNN", "Reuters", "AP"...; absent for a place-only dateline ("LONDON —"). */
  outlet?: string;
  /** What follows the dateline on the same line (the story's first words), if anything. */
  rest: string;
}

export interface NewsCopyInfo {
  /** A headline line when the copy has one, else the first body sentence (shortened). */
  title?: string;
  outlet?: string;
  /** ISO 8601 when the date could be read (2024-08-19T11:33), else as the copy gives it. */
  published?: string;
  /** The leading lines recognised as photo captions (trimmed), in order. */
  captions: string[];
  dateline?: Dateline;
  /** True when `title` is a headline line of the copy, false when it was made from the body. */
  titleIsHeadline: boolean;
}

export const TITLE_MAX = 140;

const AGENCIES =
  'AP|AFP|Reuters|EPA|EFE|Getty Images|Getty|Bloomberg|Xinhua|Anadolu(?: Agency)?|WAM|ANI|PTI|SPA|DPA|UPI|Pool|Handout|Supplied|File|AP Photo|Shutterstock|Alamy';

const CAPTION_START =
  /^(?:(?:this|a|an|the|in this)\s+)?(?:(?:handout|file|undated|aerial|satellite|screen ?grab|video|pool)\s+)*(?:image|photo|photograph|picture|still|screenshot|frame grab|grab)\b.{0,400}?\b(?:shows?|showing|depicts?|released by|provided by|taken)\b/i;
const CREDIT_IN_PARENS = new RegExp(`\\(([^()]{2,120})\\)\\s*\\.?\\s*$`);
const CREDIT_AFTER_DASH = new RegExp(`(?:^|\\s)[—–-]{1,2}\\s*(?:(?:photo|picture|image|file)s?:?\\s*)?(?:${AGENCIES})(?:\\s+(?:file|photo|pictures?))?\\s*\\.?\\s*$`, 'i');
const CREDIT_LABEL = /(?:^|[\s.])(?:photo|photograph|picture|image|credit)s?\s*(?:credit)?\s*:\s*[^.:]{2,80}$/i;

/** A photo caption line, as news sites put above the story: "This handout image … shows …", "… (Jonathan Ernst/Pool via AP)", "… — Reuters". */
export function isPhotoCaption(line: string): boolean {
  const l = line.replace(/\s+/g, ' ').trim();
  if (l.length < 2 || l.length > 1200) return false;
  if (CAPTION_START.test(l)) return true;
  const paren = CREDIT_IN_PARENS.exec(l);
  if (paren) {
    const inner = paren[1]!;
    if (/\//.test(inner) && /\b(?:photo|pool|via|getty|images?|AP|AFP|Reuters|EPA|handout)\b/i.test(inner)) return true;
    if (new RegExp(`^(?:(?:photo|picture|image)s?:?\\s*)?(?:${AGENCIES})(?:\\s+(?:photo|file|pictures?))?$`, 'i').test(inner.trim())) return true;
    if (/\bvia\s+(?:AP|AFP|Reuters|Getty|EPA)\b/i.test(inner)) return true;
  }
  return CREDIT_AFTER_DASH.test(l) || CREDIT_LABEL.test(l);
}

const DASH = '[—–-]{1,2}';
/** "Ankara, Turkey CNN —", "CNN —", "Hong Kong CNN Business —". */
const DATELINE_ONLY = new RegExp(`^(?:(.{1,80}?)[\\s,]+)?([A-Z][A-Z0-9&]{1,7}(?: (?:Business|News|Politics|Sport|Sports|Digital|International))?)\\s*${DASH}\\s*$`, 'u');
/** "LONDON, Aug 19 (Reuters) - The story…", "WASHINGTON (AP) — The story…". */
const DATELINE_PAREN = new RegExp(`^([A-Z][\\p{L}\\p{N} .,'’/-]{1,80}?)\\s*\\(([A-Z][\\p{L} .&]{1,40})\\)\\s*${DASH}\\s*`, 'u');
/** "GAZA CITY — The story…" (a place in capitals, no outlet). */
const DATELINE_PLACE = new RegExp(`^([A-Z][A-Z .,'’-]{2,50}[A-Z])\\s+${DASH}\\s+`, 'u');

/** Reads a dateline at the start of a line, if there is one. */
export function parseDateline(line: string): Dateline | null {
  const l = line.replace(/\s+/g, ' ').trim();
  if (l.length <= 100) {
    const only = DATELINE_ONLY.exec(l);
    if (only) {
      const place = only[1]?.replace(/[\s,]+$/, '').trim();
      return { ...(place ? { place } : {}), outlet: only[2]!, rest: '' };
    }
  }
  const paren = DATELINE_PAREN.exec(l);
  if (paren) {
    const place = paren[1]!.replace(/[\s,]+$/, '').trim();
    return { place, outlet: paren[2]!.trim(), rest: l.slice(paren[0].length) };
  }
  const placeOnly = DATELINE_PLACE.exec(l);
  if (placeOnly && /[A-Z]{3}/.test(placeOnly[1]!)) return { place: placeOnly[1]!.trim(), rest: l.slice(placeOnly[0].length) };
  return null;
}

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11,
  dec: 12, december: 12,
};
const ZONES: Record<string, string> = {
  z: 'Z', utc: 'Z', gmt: 'Z', est: '-05:00', edt: '-04:00', cst: '-06:00', cdt: '-05:00', mst: '-07:00', mdt: '-06:00',
  pst: '-08:00', pdt: '-07:00', bst: '+01:00', cet: '+01:00', cest: '+02:00', eet: '+02:00', eest: '+03:00', gst: '+04:00',
};

const pad = (n: number) => String(n).padStart(2, '0');

function validDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || year < 1000 || year > 9999) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A date as news pages write it ("Mon 19 Aug 2024, 11:33 AM", "Aug. 19, 2024 at 3:05 p.m. EDT",
 * "2024-08-19T11:33:00Z") as ISO 8601; null when it cannot be read with confidence.
 * A time without a zone stays local ("2024-08-19T11:33").
 */
export function parseNewsDate(input: string): string | null {
  const s = input.replace(/\s+/g, ' ').trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, zone] = iso;
    if (!validDay(Number(y), Number(mo), Number(d))) return null;
    if (h === undefined) return `${y}-${mo}-${d}`;
    const z = zone ? (zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone) : '';
    return `${y}-${mo}-${d}T${h}:${mi}${sec ? `:${sec}` : ''}${z}`;
  }
  const words = s
    .replace(/\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?,?/gi, ' ')
    .replace(/\b(?:at|on)\b/gi, ' ')
    .replace(/,/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const dmy = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3,9})\.? (\d{4})\b(.*)$/.exec(words);
  const mdy = /^([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)? (\d{4})\b(.*)$/.exec(words);
  let year: number, month: number | undefined, day: number, rest: string;
  if (dmy) {
    [day, month, year, rest] = [Number(dmy[1]), MONTHS[dmy[2]!.toLowerCase()], Number(dmy[3]), dmy[4]!];
  } else if (mdy) {
    [month, day, year, rest] = [MONTHS[mdy[1]!.toLowerCase()], Number(mdy[2]), Number(mdy[3]), mdy[4]!];
  } else {
    return null;
  }
  if (month === undefined || !validDay(year, month, day)) return null;
  const date = `${year}-${pad(month)}-${pad(day)}`;
  const time = /^\s*(?:[-–—|]\s*)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?\s*(?:\(?([A-Za-z]{1,4}|[+-]\d{2}:?\d{2})\)?)?\s*$/i.exec(rest);
  if (!time) return date;
  let hour = Number(time[1]);
  const minute = Number(time[2]);
  const ampm = time[4]?.toLowerCase().replace(/\./g, '');
  if (ampm === 'pm' && hour < 12) hour += 12;
  if (ampm === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return date;
  let zone = '';
  const z = time[5];
  if (z) {
    if (/^[+-]/.test(z)) zone = z.length === 5 ? `${z.slice(0, 3)}:${z.slice(3)}` : z;
    else zone = ZONES[z.toLowerCase()] ?? '';
  }
  return `${date}T${pad(hour)}:${pad(minute)}${time[3] ? `:${time[3]}` : ''}${zone}`;
}

const PUBLISHED_LINE = /^(?:first\s+)?(?:published|posted|date\s*published)(?:\s+(?:on|at))?\s*:?\s+(.{4,120})$/i;

/** The date of a "Published: Mon 19 Aug 2024, 11:33 AM Last updated: …" line: ISO when readable, else as written; null when the line is not one. */
export function parsePublishedLine(line: string): string | null {
  const l = line.replace(/\s+/g, ' ').trim();
  const m = PUBLISHED_LINE.exec(l);
  if (!m) return null;
  const value = m[1]!.split(/\s*(?:\||·|•|\blast\s+updated\b|\bupdated\b|\bmodified\b)/i)[0]!.trim();
  if (!/\d/.test(value)) return null;
  return parseNewsDate(value) ?? value.slice(0, 100);
}

const ABBREVIATIONS = new Set(
  'mr mrs ms dr st gen sen rep gov lt col sgt capt cmdr adm maj pres prof jr sr inc corp ltd co no vs etc mt ft jan feb mar apr jun jul aug sep sept oct nov dec est approx dept univ'.split(' '),
);

function isAbbreviation(word: string): boolean {
  const w = word.replace(/^[("“‘'[]+/, '');
  if (/^\p{L}$/u.test(w)) return true; // an initial: "J. Smith"
  if (/^(?:\p{L}\.)+\p{L}$/u.test(w)) return true; // "U.S", "a.m"
  return ABBREVIATIONS.has(w.toLowerCase());
}

/** The first sentence of a paragraph (abbreviations such as "U.S." and "Oct." do not end it). */
export function firstSentence(paragraph: string): string {
  const p = paragraph.replace(/\s+/g, ' ').trim();
  const end = /[.!?…]+["”’')\]]*(?=\s+["“‘'([]?[\p{Lu}\p{N}])/gu;
  for (let m = end.exec(p); m; m = end.exec(p)) {
    if (/^\.["”’')\]]*$/.test(m[0])) {
      const before = p.slice(0, m.index).split(' ').pop() ?? '';
      if (isAbbreviation(before)) continue;
    }
    return p.slice(0, m.index + m[0].length);
  }
  return p;
}

/** Shortens at a word boundary to at most `max` characters, with an ellipsis when cut. */
export function shortenTitle(text: string, max = TITLE_MAX): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  let cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  if (space > max / 2) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:–—-]+$/, '')}…`;
}

/** A title made from a body paragraph: its first sentence, shortened, without the final full stop. */
export function titleFromSentence(paragraph: string, max = TITLE_MAX): string {
  let sentence = firstSentence(paragraph);
  const last = /(\S+)\.$/.exec(sentence);
  if (last && !isAbbreviation(last[1]!)) sentence = sentence.slice(0, -1);
  return shortenTitle(sentence, max);
}

/** A line that reads like a headline: short, several words, no sentence punctuation at its end. */
export function looksLikeHeadline(line: string): boolean {
  const l = line.replace(/\s+/g, ' ').trim();
  if (l.length < 8 || l.length > 200) return false;
  if (l.split(' ').length < 2) return false;
  if (/[.,;:]["”’')\]]*$/.test(l)) return false;
  return /\p{L}/u.test(l);
}

const LEADING_LINES = 8;

/** What the copy's leading lines say about the story: captions, dateline, outlet, published date, title. */
/**
 * The heuristics only ever look at the top of an article, and no caption, dateline or headline
 * is thousands of characters long: capping both keeps a 20 MB one-line file from stalling them.
 */
const HEAD_CHARS = 20_000;
const LINE_CHARS = 2_000;

export function analyzeNewsCopy(text: string): NewsCopyInfo {
  const info: NewsCopyInfo = { captions: [], titleIsHeadline: false };
  const lines = text
    .slice(0, HEAD_CHARS)
    .split(/\r\n?|\n/)
    .map((l) => l.slice(0, LINE_CHARS).replace(/[\s\uFEFF]+/g, ' ').trim())
    .filter((l) => l !== '');
  let i = 0;
  let title: string | undefined;
  for (; i < lines.length && i < LEADING_LINES; i++) {
    const line = lines[i]!;
    const published = parsePublishedLine(line);
    if (published !== null) {
      info.published ??= published;
      continue;
    }
    const dateline = parseDateline(line);
    if (dateline && dateline.rest === '') {
      info.dateline ??= dateline;
      if (dateline.outlet) info.outlet ??= dateline.outlet;
      continue;
    }
    // A caption sits above the story: never the last line, never once the body has begun.
    if (title === undefined && i + 1 < lines.length && isPhotoCaption(line)) {
      info.captions.push(line);
      continue;
    }
    if (title === undefined && i + 1 < lines.length && looksLikeHeadline(line) && !dateline) {
      title = shortenTitle(line, 200);
      info.titleIsHeadline = true;
      continue;
    }
    // The first body line: maybe with an inline dateline ("WASHINGTON (AP) — …").
    if (dateline) {
      info.dateline ??= dateline;
      if (dateline.outlet) info.outlet ??= dateline.outlet;
    }
    const body = dateline ? dateline.rest : line;
    if (title === undefined && body !== '') title = titleFromSentence(body);
    break;
  }
  // A "Published:" line may also follow the headline or the first paragraph.
  for (let j = i; j < lines.length && j < LEADING_LINES && info.published === undefined; j++) {
    const published = parsePublishedLine(lines[j]!);
    if (published !== null) info.published = published;
  }
  if (title === undefined && lines.length > 0) {
    // Nothing but captions and datelines: fall back to the first line that is not a dateline.
    const first = lines.find((l) => !parseDateline(l) && parsePublishedLine(l) === null) ?? lines[0]!;
    title = titleFromSentence(first);
  }
  if (title) info.title = title;
  return info;
}
