import { Lexer, type Token, type Tokens } from 'marked';
import { analyzeNewsCopy, parseNewsDate } from '../../../../shared/newsCopy';
import { cleanMeta, decodeEntities, EMPTY_REASON, type Extracted, httpUrl, joinParagraphs, languageTag } from './common';
import { decodeText } from './text';

interface FrontMatter {
  [key: string]: string | undefined;
}

/** `---` YAML front matter at the very top: simple `key: value` lines (lists joined with ", "). */
export function splitFrontMatter(source: string): { front: FrontMatter; body: string } {
  const m = /^(?:\uFEFF)?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(source);
  if (!m) return { front: {}, body: source };
  const front: FrontMatter = {};
  let listKey: string | undefined;
  for (const line of m[1]!.split(/\r?\n/)) {
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item && listKey) {
      const value = unquote(item[1]!);
      front[listKey] = front[listKey] ? `${front[listKey]}, ${value}` : value;
      continue;
    }
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = kv[1]!.toLowerCase();
    let value = kv[2]!.trim();
    if (value === '') {
      listKey = key;
      continue;
    }
    listKey = undefined;
    const flow = /^\[(.*)\]$/.exec(value);
    if (flow) value = flow[1]!.split(',').map(unquote).filter(Boolean).join(', ');
    front[key] = unquote(value);
  }
  return { front, body: source.slice(m[0].length) };
}

function unquote(value: string): string {
  const v = value.trim().replace(/\s+#.*$/, '');
  const q = /^(["'])([\s\S]*)\1$/.exec(v);
  return q ? q[2]!.replace(/\\"/g, '"').replace(/''/g, "'") : v;
}

/** Inline tokens to plain text: markup dropped, links keep their text, images dropped, hard breaks kept. */
function inline(tokens: readonly Token[] | undefined): string {
  if (!tokens) return '';
  let out = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
        // A line break inside a text token is a soft wrap: a space. Hard breaks come as 'br'.
        out += 'tokens' in token && token.tokens ? inline(token.tokens) : decodeEntities((token as Tokens.Text).text).replace(/\s*\n\s*/g, ' ');
        break;
      case 'escape':
        out += (token as Tokens.Escape).text;
        break;
      case 'codespan':
        out += decodeEntities((token as Tokens.Codespan).text);
        break;
      case 'br':
        out += '\n';
        break;
      case 'image':
      case 'html':
        break;
      case 'link':
      case 'strong':
      case 'em':
      case 'del':
        out += inline((token as Tokens.Link).tokens);
        break;
      default:
        if ('tokens' in token && Array.isArray(token.tokens)) out += inline(token.tokens as Token[]);
        else if ('text' in token && typeof token.text === 'string') out += decodeEntities(token.text);
    }
  }
  return out;
}

/** White space runs inside a paragraph become one space; hard line breaks stay. */
function softWrap(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .trim();
}

/** Raw HTML in Markdown: only its text (script and style contents dropped, tags removed). */
function htmlText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style|template|noscript)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ')
      .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
      .replace(/<[^>]*>/g, ' '),
  )
    .replace(/[ \t]+/g, ' ')
    .trim();
}

interface Collected {
  paragraphs: string[];
  headings: { depth: number; text: string }[];
}

function blocks(tokens: readonly Token[], into: Collected): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading': {
        const text = inline((token as Tokens.Heading).tokens).replace(/\s+/g, ' ').trim();
        into.paragraphs.push(text);
        into.headings.push({ depth: (token as Tokens.Heading).depth, text });
        break;
      }
      case 'paragraph':
        into.paragraphs.push(softWrap(inline((token as Tokens.Paragraph).tokens)));
        break;
      case 'text':
        into.paragraphs.push(softWrap(inline('tokens' in token && token.tokens ? token.tokens : [token])));
        break;
      case 'list':
        for (const item of (token as Tokens.List).items) {
          // The item's own text is one paragraph; nested lists and paragraphs follow as their own.
          const own: Collected = { paragraphs: [], headings: into.headings };
          blocks(item.tokens, own);
          const prefix = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
          own.paragraphs.forEach((p, i) => into.paragraphs.push(i === 0 ? `${prefix}${p}` : p));
        }
        break;
      case 'blockquote':
        blocks((token as Tokens.Blockquote).tokens, into);
        break;
      case 'code':
        into.paragraphs.push((token as Tokens.Code).text.replace(/\n{2,}/g, '\n'));
        break;
      case 'table': {
        const table = token as Tokens.Table;
        const row = (cells: Tokens.TableCell[]) => cells.map((c) => inline(c.tokens).replace(/\s+/g, ' ').trim()).join(' | ');
        into.paragraphs.push(row(table.header));
        for (const r of table.rows) into.paragraphs.push(row(r));
        break;
      }
      case 'html':
        into.paragraphs.push(htmlText((token as Tokens.HTML).text));
        break;
      default:
        break; // space, hr, def
    }
  }
}

/** A .md article to readable text: one paragraph per block, heading and list item. */
export function extractMarkdown(bytes: Uint8Array): Extracted {
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  const { front, body } = splitFrontMatter(decoded.text);
  const collected: Collected = { paragraphs: [], headings: [] };
  blocks(new Lexer({ gfm: true }).lex(body), collected);
  let text = joinParagraphs(collected.paragraphs);
  const frontTitle = front.title ?? front.headline;
  if (frontTitle && !text.slice(0, frontTitle.length + 200).includes(frontTitle)) text = joinParagraphs([frontTitle, text]);
  if (text.trim() === '') return { ok: false, reason: EMPTY_REASON };
  const heading = collected.headings.find((h) => h.depth === 1) ?? collected.headings[0];
  const news = analyzeNewsCopy(text);
  const date = front.date ?? front.published ?? front.datepublished ?? front.pubdate;
  return {
    ok: true,
    text,
    meta: cleanMeta({
      title: frontTitle ?? heading?.text ?? news.title,
      author: front.author ?? front.authors ?? front.byline,
      published: date ? (parseNewsDate(date) ?? date) : news.published,
      url: httpUrl(front.url ?? front.canonical ?? front.link ?? front.source_url),
      outlet: front.outlet ?? front.site ?? front.site_name ?? front.publisher ?? front.source ?? news.outlet,
      language: languageTag(front.lang ?? front.language),
    }),
  };
}
