// Page furniture that sits inside a news article's markup and that Readability keeps: galleries
// and carousels (slide titles repeated once per slide), pagers, figure captions and photo
// credits, "Read more"/"Related" links and newsletter prompts. Two passes: elements, judged by
// their class or id and by how much of their text is links, while the article is read; then the
// paragraphs, judged by their text alone, for what carries no telling markup.

/** Class or id words of furniture inside an article body. */
const FURNITURE_HINT =
  /(?:^|[\s_-])(?:gallery|carousel|slideshow|slider|slides?|lightbox|pagination|pager|page-links|caption|credits?|copyright|byline|tags|topics|more-on|read-next|recommended|most-read|trending|signup|sign-up)(?:$|[\s_-])/i;

/**
 * A hinted element is furniture only while it is a small part of what is being read: a wrapper
 * named "entry-content-read-more" or "slides-body" that holds the whole story is still the story.
 */
const MAX_FURNITURE_SHARE = 0.4;

const CREDIT_HINT = /credit|copyright/i;

/** Blocks that stand alone as a paragraph: judged for being nothing but a link. */
const LEAF_BLOCK = new Set(['p', 'li', 'h2', 'h3', 'h4', 'h5', 'h6', 'dt', 'dd']);
/** A block that is all link and this short is a teaser ("READ MORE: …", an all-caps headline, "CLICK HERE …"). */
const TEASER_MAX = 200;

export const textLength = (node: Node) => (node.textContent ?? '').replace(/\s+/g, '').length;

/** Whether an element inside the article is furniture, given the length of the article's text. */
export function isFurniture(el: Element, tag: string, articleLength: number): boolean {
  if (tag === 'figcaption') return true;
  const hint = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
  if (FURNITURE_HINT.test(hint) && textLength(el) <= articleLength * MAX_FURNITURE_SHARE) return true;
  if (LEAF_BLOCK.has(tag)) {
    // A paragraph carrying a photo credit is a caption whose wrapper Readability unwrapped.
    // (Live collections and a regex: selector matching costs more on every paragraph of a long page.)
    for (const inner of el.getElementsByTagName('*')) if (CREDIT_HINT.test(inner.getAttribute('class') ?? '')) return true;
    const total = textLength(el);
    if (total === 0 || total > TEASER_MAX) return false;
    let linked = 0;
    for (const a of el.getElementsByTagName('a')) linked += textLength(a);
    // "Read more: <a>headline</a>" is mostly link; a sentence with a link in it is not.
    return linked / total >= 0.75;
  }
  return false;
}



// ---------------------------------------------------------------------------------------------
// Paragraphs judged by their text.

/** A pager or slide counter: "<< < 1 … 14 > >>", "1 of 14", "Pages: 1 2 3 Next »", "Previous Next". */
const PAGER = [
  /^[\d\s<>«»‹›←→…|·.,/-]*[<>«»‹›←→…][\d\s<>«»‹›←→…|·.,/-]*$/,
  /^\d+\s*(?:of|\/)\s*\d+$/i,
  /^(?:pages?:?\s*)?(?:(?:\d+|first|last|previous|prev|next|older|newer)\b[\s«»‹›<>]*)+$/i,
];
const PAGER_MAX = 80;
/** A link-list label or its inline form: "Read more", "READ MORE: …", "Related: …", "Related article", "More On:". */
const TEASER_LABEL =
  /^(?:read more|read next|read also|also read|see also|related(?: articles?| stories| story| content| coverage| topics| links)?|more on|more from [\w .'’-]{1,40}|more stories|recommended(?: stories)?|most read|you may also like|watch|click here\b[^.]*)\s*(?:[:：—–-]|$)/i;
/** A photo credit on its own: "Getty Images", "(Kevin Mohatt/Pool Photo via AP)", "REUTERS/Name", "Photo: AFP". */
const AGENCY = String.raw`(?:AP|AFP|Reuters|REUTERS|Getty Images|Getty|EPA|EPA-EFE|Shutterstock|Bloomberg|Pool|Handout|Alamy|PA|Xinhua|Anadolu|Sipa)`;
const CREDIT = [
  new RegExp(String.raw`^\(?(?:[\w .'’-]{0,60}(?:/|\bvia\s+))*${AGENCY}(?:\s+(?:Images|Photo|Pool|via\s+[\w .'-]{1,30}))?\)?$`, 'i'),
  /^(?:photo|image|picture|photograph|video|credit)s?(?:\s+\d+)?\s*(?:credit)?\s*:\s*.{1,80}$/i,
  /^purchase licensing rights$/i,
];
/** A caption whose credit closes it: "Blinken speaks to the press, Aug. 19. (Kevin Mohatt/Pool Photo via AP)". */
const CAPTION_TAIL = new RegExp(String.raw`\((?:[^()]{0,80}(?:/|\bvia\s+))?${AGENCY}(?:\s+(?:Images|Photo|Pool|via\s+[^()]{1,30}))?\)$`, 'i');
const CAPTION_MAX = 400;
/** Newsletter and app prompts. */
const PROMPT = [
  /^(?:thanks? (?:you )?for signing up|sign up\b|subscribe\b|click here to (?:get|download|sign up|subscribe))/i,
  /\bnewsletter\b.*\b(?:sign up|subscribe|inbox)\b|\b(?:sign up|subscribe)\b.*\bnewsletter\b/i,
];
const PROMPT_MAX = 250;
/** Titles repeated this often on one page are a gallery's slides or a repeated label, not the story. */
const REPEATS = 3;
const REPEAT_MAX = 150;
const SENTENCE_END = /[.!?…"”’)\]]$/;

const key = (p: string) => p.replace(/\s+/g, ' ').trim().toLowerCase();

/** Why a paragraph is furniture, or undefined when it may be the story. */
export function furnitureReason(paragraph: string, repeats: number): string | undefined {
  const p = paragraph.replace(/\s+/g, ' ').trim();
  if (p.length <= PAGER_MAX && PAGER.some((re) => re.test(p))) return 'pager';
  if (p.length <= TEASER_MAX && TEASER_LABEL.test(p)) return 'read-more';
  if (p.length <= 120 && CREDIT.some((re) => re.test(p))) return 'credit';
  if (p.length <= CAPTION_MAX && CAPTION_TAIL.test(p)) return 'caption';
  if (p.length <= PROMPT_MAX && PROMPT.some((re) => re.test(p))) return 'prompt';
  if (repeats >= REPEATS && p.length <= REPEAT_MAX && !SENTENCE_END.test(p)) return 'repeated';
  return undefined;
}

/** The paragraphs without the furniture their text gives away; the story's own order is kept. */
export function dropFurniture(paragraphs: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const p of paragraphs) counts.set(key(p), (counts.get(key(p)) ?? 0) + 1);
  return paragraphs.filter((p) => furnitureReason(p, counts.get(key(p)) ?? 0) === undefined);
}
