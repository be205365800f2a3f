import { z } from 'zod';

/** Bumped when the on-disk shape changes; older files are migrated on open, never dropped. */
export const FORMAT_VERSION = 1;

export const AttributeValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type AttributeValue = z.infer<typeof AttributeValue>;

/**
 * A stable id for a label or an attribute: what layer files store, so renaming touches
 * margin.json alone. Absent in projects from before ids existed; there the name is the id.
 */
export const SchemaId = z.string().min(1).max(128);

export const AttributeDef = z.object({
  id: SchemaId.optional(),
  name: z.string().min(1),
  type: z.enum(['text', 'choice', 'multi', 'boolean', 'date', 'number']),
  values: z.array(z.string()).optional(),
  required: z.boolean().optional(),
});
export type AttributeDef = z.infer<typeof AttributeDef>;

export const LabelDef = z.object({
  id: SchemaId.optional(),
  name: z.string().min(1),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1f77b4'),
  key: z.string().max(1),
  attributes: z.array(AttributeDef),
  /** Other ids found in layer files that mean this label (an unknown label mapped to it). */
  aliases: z.array(SchemaId).optional(),
});
export type LabelDef = z.infer<typeof LabelDef>;

export const RelationDef = z.object({
  type: z.string().min(1),
  from: z.array(z.string()),
  to: z.array(z.string()),
});

export const TagSchema = z.object({
  labels: z.array(LabelDef).min(1),
  relations: z.array(RelationDef),
});
export type TagSchema = z.infer<typeof TagSchema>;

/** W3C TextQuoteSelector parts: lets a span be found again if offsets ever stop matching. */
export const Quote = z.object({ exact: z.string(), prefix: z.string(), suffix: z.string() });
export type Quote = z.infer<typeof Quote>;

/**
 * Annotator names become folder names (annotations/<annotator>/), so they are kept to
 * letters, digits, spaces and a little punctuation: nothing that could leave that folder.
 */
export const AnnotatorName = z
  .string()
  .trim()
  .min(1, 'a name is required')
  .max(64, 'at most 64 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'letters, digits, spaces, dots, dashes and underscores only');

export const DocId = z.string().regex(/^[0-9a-f]{16}$/, 'a 16-digit hexadecimal document id');

/**
 * Where an annotation came from: "suggested" when it was a suggestion of the engine an analyst
 * accepted or a pipeline pre-annotated (`margin suggest --into`); absent when the analyst drew it.
 * Kept so datasets and agreement can tell assisted tags apart from unassisted ones.
 */
export const AnnotationOrigin = z.enum(['suggested']);
export type AnnotationOrigin = z.infer<typeof AnnotationOrigin>;

export const Annotation = z.object({
  id: z.string().min(1),
  docId: DocId,
  annotator: AnnotatorName,
  label: z.string().min(1),
  /** UTF-16 offsets into the document text (JavaScript string indices). */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  quote: Quote,
  attributes: z.record(z.string(), AttributeValue),
  note: z.string().optional(),
  /** Links to a knowledge base (brat N lines): resource, id within it, and its text. */
  norms: z.array(z.object({ resource: z.string(), id: z.string(), text: z.string().optional() })).optional(),
  origin: AnnotationOrigin.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Annotation = z.infer<typeof Annotation>;

/** An imported annotation whose quote could not be found in the text: kept and shown, never dropped. */
export const Orphan = z.object({
  id: z.string().min(1),
  label: z.string(),
  quote: Quote,
  attributes: z.record(z.string(), AttributeValue),
  note: z.string().optional(),
  /** Where it came from and why it could not be placed. */
  source: z.string(),
  reason: z.string(),
});
export type Orphan = z.infer<typeof Orphan>;

export const Relation = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  from: z.string().min(1),
  to: z.string().min(1),
  annotator: AnnotatorName,
});
export type Relation = z.infer<typeof Relation>;

/** What is known about an article besides its text; every field may be missing. */
export const DocumentMeta = z.object({
  title: z.string().max(1000).optional(),
  outlet: z.string().max(500).optional(),
  author: z.string().max(1000).optional(),
  /** As the source gives it, ideally ISO 8601 (2024-08-19 or 2024-08-19T11:33:00Z). */
  published: z.string().max(100).optional(),
  url: z.string().max(4000).optional(),
  /** BCP 47 / ISO 639 code such as "en". */
  language: z.string().max(35).optional(),
});
export type DocumentMeta = z.infer<typeof DocumentMeta>;

export const DocumentRecord = z.object({
  version: z.literal(FORMAT_VERSION),
  id: DocId,
  title: z.string(),
  text: z.string(),
  fileName: z.string().optional(),
  importedAt: z.string(),
  /** Metadata extracted at import. Edits by the user live beside it (metadata/<docId>.json), never in this file. */
  meta: DocumentMeta.optional(),
});
export type DocumentRecord = z.infer<typeof DocumentRecord>;

/** A document without its text: what listing a project needs, so a big project is listed without reading every article. */
export const DocumentHeader = DocumentRecord.omit({ text: true }).extend({ length: z.number().int().nonnegative() });
export type DocumentHeader = z.infer<typeof DocumentHeader>;

/** Choices the whole team shares, kept in margin.json beside the tag schema. */
export const ProjectSettings = z.object({
  /**
   * Blind annotation: an annotator sees only their own layer of a document until they mark it
   * done, or open the compare view to review it. Absent (projects from before the setting): off.
   */
  blindAnnotation: z.boolean().optional(),
  /**
   * Assisted tagging: whether the reading view proposes spans as the analyst reads, and of which
   * labels (empty: every label the engine knows that the schema has). Absent: on, every label.
   */
  suggestions: z.object({ enabled: z.boolean(), labels: z.array(z.string().max(200)).max(100) }).strict().optional(),
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;

/** What a project made now starts with: colleagues' tags do not steer one's own. */
export const NEW_PROJECT_SETTINGS: ProjectSettings = { blindAnnotation: true };

export const ProjectFile = z.object({
  version: z.literal(FORMAT_VERSION),
  name: z.string(),
  createdAt: z.string(),
  schema: TagSchema,
  settings: ProjectSettings.optional(),
  /**
   * Bumped by every schema edit. An edit states the revision it was made from and is refused
   * when the file has moved on (another window, a colleague's sync): never applied to stale state.
   * Absent in projects from before revisions: 0.
   */
  revision: z.number().int().nonnegative().default(0),
});
export type ProjectFile = z.infer<typeof ProjectFile>;

/** Where an annotator stands on a document; only "done" is ever set by hand. */
export const DocStatus = z.enum(['not-started', 'in-progress', 'done']);
export type DocStatus = z.infer<typeof DocStatus>;

/**
 * A reviewer's verdict on a colleague's annotation. Stored in the REVIEWER's own layer file of the
 * document (LayerFile.reviews), so every annotator writes only their own files. Same shape as
 * `Review` in shared/api.ts (review.ts checks at compile time that the two stay identical).
 */
export const ReviewRecord = z.object({
  annotationId: z.string(),
  /** Whose annotation it is. */
  annotator: z.string(),
  reviewer: z.string(),
  verdict: z.enum(['approved', 'needs-change']),
  comment: z.string(),
  at: z.string(),
});
export type ReviewRecord = z.infer<typeof ReviewRecord>;

export const LayerFile = z.object({
  version: z.literal(FORMAT_VERSION),
  docId: DocId,
  annotator: AnnotatorName,
  annotations: z.array(Annotation),
  relations: z.array(Relation),
  /** Absent means "derived": in progress once there are annotations, else not started. */
  status: DocStatus.optional(),
  orphans: z.array(Orphan).optional(),
  /** Reviews this layer's annotator made of colleagues' annotations on this document. */
  reviews: z.array(ReviewRecord).optional(),
  /** Adjudication (in a gold layer): ids of compared items rejected, gold keeps nothing there (shared/compare.ts itemKey). */
  rejected: z.array(z.string()).optional(),
  /** Suggestions this layer's annotator rejected on this document, by key (`label:start:end`): not proposed again. */
  dismissedSuggestions: z.array(z.string()).optional(),
});
export type LayerFile = z.infer<typeof LayerFile>;

export const DocumentSummary = z.object({
  id: DocId,
  title: z.string(),
  length: z.number().int(),
  annotationCount: z.number().int(),
  importedAt: z.string(),
  /** Annotations per label, over every annotator's layer. */
  labelCounts: z.record(z.string(), z.number().int()),
  /** The current annotator's status on this document. */
  status: DocStatus,
  /** Every annotator's status, by annotator name. */
  statuses: z.record(z.string(), DocStatus),
  /** Why some of its files could not be read, when that happens. */
  problem: z.string().optional(),
  outlet: z.string().optional(),
  /** Ids of documents that carry nearly the same text (the same wire story from another outlet). */
  nearDuplicates: z.array(DocId),
});
export type DocumentSummary = z.infer<typeof DocumentSummary>;
