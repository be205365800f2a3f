/**
 * The peer's page: @recogito/text-annotator 4.1.1 on the same article and annotations, bundled
 * by esbuild for the benchmark only (never part of Margin). "Open" fetches the workload, renders
 * one <p> per paragraph (no whitespace between them, so offsets count the paragraphs' characters
 * side by side, as the workload's do), creates the annotator with its default SPANS renderer and
 * loads the annotations with bulkAddAnnotations(list, true) (a plain setAnnotations draws nothing
 * in 4.1.1). Key 1 tags the current selection, as in Margin; the peer's own create-on-select is
 * turned off so that a selection alone changes nothing.
 */
import { createTextAnnotator, type TextAnnotation, type TextAnnotator } from '@recogito/text-annotator';
import '@recogito/text-annotator/text-annotator.css';

interface Span {
  id: string;
  start: number;
  end: number;
  label: string;
}

interface PeerWindow {
  anno?: TextAnnotator<TextAnnotation, TextAnnotation>;
  /** The id key 1 gives the next annotation (set by the benchmark before each add). */
  nextId?: string;
}

const peer = window as unknown as PeerWindow;
const container = document.getElementById('text')!;
const withAnnotations = new URLSearchParams(location.search).get('annotations') !== '0';

function annotation(id: string, label: string, quote: string, start: number, end: number, range?: Range): TextAnnotation {
  const created = new Date();
  return {
    id,
    bodies: [{ id: `${id}-tag`, annotation: id, purpose: 'tagging', value: label, created }],
    target: { annotation: id, created, selector: [{ quote, start, end, ...(range ? { range } : {}) } as TextAnnotation['target']['selector'][number]] },
  };
}

document.getElementById('open')!.addEventListener('click', async () => {
  const data = (await (await fetch('workload.json')).json()) as { paragraphs: string[]; annotations: Span[] };
  const fragment = document.createDocumentFragment();
  let at = 0;
  data.paragraphs.forEach((text, index) => {
    const p = document.createElement('p');
    p.dataset.start = String(at);
    p.dataset.index = String(index);
    p.textContent = text;
    fragment.append(p);
    at += text.length;
  });
  container.append(fragment);
  const anno = createTextAnnotator(container, { renderer: 'SPANS', annotatingEnabled: false });
  peer.anno = anno as unknown as PeerWindow['anno'];
  if (withAnnotations) {
    const text = data.paragraphs.join('');
    anno.state.store.bulkAddAnnotations(
      data.annotations.map((a) => annotation(a.id, a.label, text.slice(a.start, a.end), a.start, a.end)),
      true,
    );
  }
});

window.addEventListener('keydown', (event) => {
  const anno = peer.anno;
  const selection = document.getSelection();
  if (event.key !== '1' || !anno || !selection || selection.isCollapsed) return;
  const range = selection.getRangeAt(0);
  const before = document.createRange();
  before.setStart(container, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const start = before.toString().length;
  const quote = range.toString();
  anno.state.store.addAnnotation(annotation(peer.nextId ?? `added-${Date.now()}`, 'claim', quote, start, start + quote.length, range.cloneRange()));
  selection.removeAllRanges();
});
