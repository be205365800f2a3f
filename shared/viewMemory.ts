import { z } from 'zod';
import { AnnotatorName, DocId } from './model';

/**
 * What a user's window looked like when they last worked on a project (issue 11, item 19): the
 * open document, hidden layers, panel widths, the document list's order and search, the
 * annotation list's filter. It is one user's view, not team data, so it never goes into the
 * project folder colleagues sync; the services keep it in the user's app-data folder, keyed by
 * the project's path (electron/services/store/viewMemory.ts).
 */

/** Panel widths in CSS pixels: what a drag may set, and what a stored width must fall within. */
export const PANEL_WIDTHS = {
  list: { min: 180, max: 560, initial: 280 },
  side: { min: 260, max: 680, initial: 360 },
} as const;
export type PanelName = keyof typeof PANEL_WIDTHS;

export const DOCUMENT_SORT_KEYS = ['imported', 'title', 'annotations', 'status'] as const;

const width = (panel: PanelName) => z.number().int().min(PANEL_WIDTHS[panel].min).max(PANEL_WIDTHS[panel].max);

const fields = {
  openDocId: DocId.nullable(),
  hiddenLayers: z.array(AnnotatorName).max(200).readonly(),
  panelWidths: z.object({ list: width('list'), side: width('side') }).strict(),
  documentSort: z.enum(DOCUMENT_SORT_KEYS),
  documentQuery: z.string().max(500),
  annotationFilter: z
    .object({
      text: z.string().max(500),
      labels: z.array(z.string().max(200)).max(200).readonly(),
      annotator: AnnotatorName.nullable(),
    })
    .strict(),
};

/** What a window saves: every field checked, nothing unknown. */
export const ViewMemory = z.object(fields).strict();
export type ViewMemory = z.infer<typeof ViewMemory>;

export const INITIAL_VIEW: ViewMemory = {
  openDocId: null,
  hiddenLayers: [],
  panelWidths: { list: PANEL_WIDTHS.list.initial, side: PANEL_WIDTHS.side.initial },
  documentSort: 'imported',
  documentQuery: '',
  annotationFilter: { text: '', labels: [], annotator: null },
};

/**
 * What was stored, read leniently: a field that is missing or wrong (an older version, a hand
 * edit, a width out of range) falls back to its initial value alone, the others are kept.
 */
const StoredViewMemory = z.object({
  openDocId: fields.openDocId.catch(INITIAL_VIEW.openDocId),
  hiddenLayers: fields.hiddenLayers.catch(INITIAL_VIEW.hiddenLayers),
  panelWidths: z
    .object({ list: fields.panelWidths.shape.list.catch(INITIAL_VIEW.panelWidths.list), side: fields.panelWidths.shape.side.catch(INITIAL_VIEW.panelWidths.side) })
    .catch(INITIAL_VIEW.panelWidths),
  documentSort: fields.documentSort.catch(INITIAL_VIEW.documentSort),
  documentQuery: fields.documentQuery.catch(INITIAL_VIEW.documentQuery),
  annotationFilter: fields.annotationFilter.catch(INITIAL_VIEW.annotationFilter),
});

/** Never fails: anything unreadable gives the initial view. */
export function parseViewMemory(stored: unknown): ViewMemory {
  const parsed = StoredViewMemory.safeParse(stored ?? {});
  return parsed.success ? parsed.data : INITIAL_VIEW;
}

/** A width kept within its panel's range (a drag past the end stops there). */
export function clampWidth(panel: PanelName, value: number): number {
  const { min, max } = PANEL_WIDTHS[panel];
  return Math.round(Math.min(max, Math.max(min, value)));
}

/** What the project holds now, to check a remembered view against. */
export interface ProjectContents {
  hasDocument: (docId: string) => boolean;
  annotators: readonly string[];
  labels: readonly string[];
}

/**
 * The remembered view, less what the project no longer has: a deleted document is not reopened,
 * a layer or label that is gone is no longer hidden or filtered on. Nothing is reported: the
 * user sees the project as it is now.
 */
export function fitToProject(view: ViewMemory, project: ProjectContents): ViewMemory {
  const annotators = new Set(project.annotators);
  const labels = new Set(project.labels);
  const filter = view.annotationFilter;
  return {
    ...view,
    openDocId: view.openDocId !== null && project.hasDocument(view.openDocId) ? view.openDocId : null,
    hiddenLayers: view.hiddenLayers.filter((name) => annotators.has(name)),
    annotationFilter: {
      text: filter.text,
      labels: filter.labels.filter((label) => labels.has(label)),
      annotator: filter.annotator !== null && annotators.has(filter.annotator) ? filter.annotator : null,
    },
  };
}
