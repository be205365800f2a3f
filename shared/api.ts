import { z } from 'zod';
import type { ApiMethod } from './apiMethods';
import { ACTION_IDS } from './shortcuts';
import { ViewMemory } from './viewMemory';
import { PackedAnnotations } from './annotationPack';
import { EXPORT_FORMATS, IMPORT_FORMATS } from './formats/dataset';
import { Annotation, AnnotatorName, AttributeValue, DocId, DocStatus, DocumentMeta, DocumentSummary, Orphan, ProjectSettings, Relation, ReviewRecord, TagSchema } from './model';

/** Files cross the API as base64 so both transports (IPC and JSON over HTTP) carry them alike. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export const Session = z.object({
  project: z.object({ dir: z.string(), name: z.string() }),
  annotator: z.string().nullable(),
  schema: TagSchema,
  /** margin.json's revision: a schema edit names it, and is refused when the file has moved on. */
  revision: z.number().int().nonnegative(),
  /** Why margin.json on disk cannot be used right now (e.g. a git merge left conflict markers); the last good schema stays in force. */
  problem: z.string().optional(),
  /** 'electron' when native menus and dialogs exist; 'browser' for `margin serve`. */
  mode: z.enum(['electron', 'browser']),
  /** The project's settings (margin.json), each one decided. */
  settings: z.object({
    /** Colleagues' layers of a document stay hidden from an annotator until they mark it done or open the compare view. */
    blindAnnotation: z.boolean(),
    /** Assisted tagging: on or off, and the engine's labels suggested (those the schema has). */
    suggestions: z.object({ enabled: z.boolean(), labels: z.array(z.string()) }),
  }),
});
export type Session = z.infer<typeof Session>;

const ImportedDoc = z.object({ fileName: z.string(), docId: DocId, title: z.string() });
export const ImportReport = z.object({
  imported: z.array(ImportedDoc),
  duplicates: z.array(ImportedDoc),
  /** Imported documents that nearly repeat another one (also listed under imported). */
  nearDuplicates: z.array(ImportedDoc.extend({ of: z.array(z.object({ docId: DocId, title: z.string() })) })),
  failed: z.array(z.object({ fileName: z.string(), reason: z.string() })),
  /** True when the import was stopped before every file was done. */
  cancelled: z.boolean().optional(),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const DocumentView = z.object({
  id: DocId,
  title: z.string(),
  text: z.string(),
  fileName: z.string().optional(),
  importedAt: z.string(),
  /** Extracted metadata with the user's edits applied. */
  meta: DocumentMeta,
  nearDuplicates: z.array(z.object({ id: DocId, title: z.string(), outlet: z.string().optional(), similarity: z.number() })),
});
export type DocumentView = z.infer<typeof DocumentView>;

const none = z.object({}).strict();
const Id = z.string().min(1).max(128);
const SpanArgs = z.object({
  label: z.string().min(1).max(64),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
const endAfterStart = (a: { start: number; end: number }) => a.end > a.start;
const endAfterStartIssue = { message: 'end must be after start', path: ['end'] };

export const ExportRequest = z
  .object({
    format: z.enum(EXPORT_FORMATS),
    /** Only these annotators' layers (all when absent or empty). */
    annotators: z.array(AnnotatorName).max(1000).optional(),
    /** Only these labels (all when absent or empty). */
    labels: z.array(z.string().min(1).max(64)).max(1000).optional(),
    documents: z.enum(['all', 'done']).default('all'),
    conllOverlap: z.enum(['outermost', 'innermost', 'first', 'longest']).optional(),
  })
  .strict();
export type ExportRequest = z.input<typeof ExportRequest>;

export const JobProgress = z.object({
  jobId: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  current: z.string(),
  finished: z.boolean(),
  cancelled: z.boolean(),
  error: z.string().optional(),
  /** When finished: where the export was written and what it holds. */
  result: z.object({ path: z.string(), documents: z.number().int(), annotations: z.number().int() }).optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const AnnotationImportReport = z.object({
  annotator: z.string(),
  files: z.array(
    z.object({
      name: z.string(),
      documents: z.number().int(),
      imported: z.number().int(),
      /** Records the layer already holds (same id, or the same span and label): not added again. */
      alreadyPresent: z.number().int(),
      reanchored: z.number().int(),
      orphaned: z.number().int(),
      /** Records that could not be taken: line (when known) and reason. */
      rejected: z.array(z.object({ line: z.number().int().optional(), reason: z.string() })),
      /** Records imported with a change, said: an attribute the tag schema lacks left out, a label spelled differently only in case. */
      notes: z.array(z.object({ line: z.number().int().optional(), reason: z.string() })),
    }),
  ),
  /** Documents created from the files' text because the project did not have them. */
  createdDocuments: z.array(z.object({ docId: DocId, title: z.string() })),
  /** What the schema lacks for these files (added when addToSchema, otherwise those records are rejected). */
  schemaAdditions: z.object({
    labels: z.array(z.string()),
    attributes: z.array(z.object({ label: z.string(), name: z.string() })),
    relationTypes: z.array(z.string()),
  }),
  /** True for a dry run: nothing was written. */
  dryRun: z.boolean(),
});
export type AnnotationImportReport = z.infer<typeof AnnotationImportReport>;

/**
 * A span Margin proposes (assisted tagging): not an annotation, nobody's work, until accepted.
 * `key` is `${label}:${start}:${end}`, stable since a document's text never changes: a rejection
 * remembers it.
 */
export const SuggestionView = z.object({
  key: z.string(),
  label: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  text: z.string(),
  attributes: z.record(z.string(), AttributeValue),
  /** attributed-to and the like: `to` is the key of another suggestion in the same list. */
  links: z.array(z.object({ type: z.string(), to: z.string() })),
  /** The engine, or an annotation the analyst made on a copy of this story (a near-duplicate). */
  from: z.discriminatedUnion('kind', [z.object({ kind: z.literal('engine') }), z.object({ kind: z.literal('copy'), docId: DocId, title: z.string() })]),
});
export type SuggestionView = z.infer<typeof SuggestionView>;

const SuggestionKeys = z.array(z.string().min(1).max(200)).min(1).max(5000);

/** One reviewer's verdict on a colleague's annotation (stored in the reviewer's layer file). */
export const Review = ReviewRecord;
export type Review = z.infer<typeof Review>;

export const SpanStatus = z.enum(['agreed', 'label-conflict', 'boundary-conflict', 'only-one']);
export type SpanStatus = z.infer<typeof SpanStatus>;

/** One place where the compared layers meet: the annotations involved, by annotator, and how they relate. */
export const Comparison = z.object({
  annotators: z.array(z.string()),
  items: z.array(
    z.object({
      id: z.string(),
      status: SpanStatus,
      start: z.number().int(),
      end: z.number().int(),
      /** Each annotator's annotation here (absent: that annotator has none). */
      byAnnotator: z.record(z.string(), Annotation),
      /** Items whose annotations share one label (agreed, boundary conflicts, some annotators): the attributes whose values differ. */
      attributeDifferences: z.array(z.string()),
      /** What the gold layer holds here already, if anything. */
      gold: Annotation.nullable(),
      /** Resolved: the gold layer accepted or rejected it. */
      resolved: z.boolean(),
    }),
  ),
  /** Spans of a layer that could not be placed in this text (re-anchoring failed): listed, never compared. */
  unplaced: z.array(z.object({ annotator: z.string(), label: z.string(), exact: z.string(), reason: z.string() })),
  /** Links compared like spans: the same type between the same two items is one link, whoever drew it. */
  links: z.array(
    z.object({
      /** Stable, recorded when rejected: `link:${from}>${type}>${to}`. */
      id: z.string(),
      type: z.string(),
      /** The items (ids) the link goes from and to. */
      from: z.string(),
      to: z.string(),
      /** agreed: every compared annotator drew it; only-one: some did. */
      status: z.enum(['agreed', 'only-one']),
      /** Each annotator's link here (absent: that annotator did not link these spans so). */
      byAnnotator: z.record(z.string(), Relation),
      /** The gold layer's link between the items' gold annotations, if any. */
      gold: Relation.nullable(),
      /** Resolved: gold has the link or rejected it. */
      resolved: z.boolean(),
    }),
  ),
});
export type Comparison = z.infer<typeof Comparison>;

const MeasureValue = z.object({ value: z.number().nullable(), reason: z.string().optional() });
export const PairAgreement = z.object({
  a: z.string(),
  b: z.string(),
  label: z.string().nullable(),
  exactF1: MeasureValue,
  overlapF1: MeasureValue,
  cohenKappa: MeasureValue,
  alphaNominal: MeasureValue,
  alphaUnitizing: MeasureValue,
});
export const AgreementReport = z.object({
  annotators: z.array(z.string()),
  labels: z.array(z.string()),
  /** Over the whole project (or the documents asked for): every pair, overall (label null) and per label. */
  pairs: z.array(PairAgreement),
  fleissKappa: MeasureValue.nullable(),
  documents: z.array(z.object({ docId: DocId, title: z.string(), pairs: z.array(PairAgreement), fleissKappa: MeasureValue.nullable() })),
  problems: z.array(z.string()),
  /** The layer each annotator is scored against (pairs are then annotator–reference only), or null: annotators with each other. */
  against: z.string().nullable(),
  /** Adjudication layers (gold…) in the project: never counted as annotators unless named. */
  adjudicationLayers: z.array(z.string()),
  /**
   * Per layer scored (the annotators, then the reference): the spans scored and how many of them
   * were accepted suggestions (origin "suggested"). Two analysts who accepted the same suggestions
   * agree by construction, so the figures say how far kappa and F1 reflect independent judgement.
   * `excluded`: accepted suggestions (of the labels scored) left out by `excludeSuggested`.
   */
  assisted: z.array(
    z.object({ annotator: z.string(), spans: z.number().int().nonnegative(), suggested: z.number().int().nonnegative(), excluded: z.number().int().nonnegative() }),
  ),
  /** Scored on the analysts' own spans only: accepted suggestions left out. */
  excludeSuggested: z.boolean(),
});
export type AgreementReport = z.infer<typeof AgreementReport>;

/** What deleting a document takes with it: every annotator's layer (annotations, links) and metadata edits. */
export const DocumentFootprint = z.object({
  docId: DocId,
  title: z.string(),
  /** One entry per annotator with a layer file for the document; annotations include those that could not be placed. */
  layers: z.array(z.object({ annotator: z.string(), annotations: z.number().int(), relations: z.number().int() })),
  /** Annotators who edited the document's metadata ('' for the shared file of earlier versions). */
  metadataEdits: z.array(z.string()),
});
export type DocumentFootprint = z.infer<typeof DocumentFootprint>;

/** A deleted document's files, kept in the project's trash folder until restored or purged. */
export const TRASH_ID_PATTERN = /^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{16}$/;

/** Something another writer (git, a sync drive, another tool) changed in the project folder. */
export const ProjectChange = z.discriminatedUnion('kind', [
  /** margin.json: the tag schema or the project's name. */
  z.object({ kind: z.literal('schema') }),
  /** A document file came, went or changed. */
  z.object({ kind: z.literal('documents') }),
  /** One annotator's layer of one document. */
  z.object({ kind: z.literal('layer'), docId: DocId, annotator: z.string() }),
  /** A document's metadata edits. */
  z.object({ kind: z.literal('metadata'), docId: DocId }),
]);
export type ProjectChange = z.infer<typeof ProjectChange>;

/** What a Sync did (or what stopped it, and what to do), for a notice and for scripts. */
export const SyncReport = z.object({
  /** True when the work went both ways (or there was nothing to send or fetch). */
  ok: z.boolean(),
  /** One paragraph for a person: what happened, or what stopped Sync and what to do about it. */
  summary: z.string(),
  /** The folder was not a git repository: Sync made it one. */
  initialised: z.boolean(),
  /** The message of the commit of the annotator's own work, when there was something to commit. */
  committed: z.string().nullable(),
  /** The branch synced with ("origin/main"), when there is a remote. */
  remote: z.string().nullable(),
  /** Colleagues' work came in (the project's files changed on disk). */
  pulled: z.boolean(),
  pushed: z.boolean(),
  /** What came in, one line per colleague ("Ben: 42 new annotations in 3 documents"). */
  incoming: z.array(z.string()),
  /** Every file git reported in conflict, before Margin resolved it (or gave up on it). */
  conflicts: z.array(z.string()),
  /** What Margin decided while merging (the tag schema), in plain words. */
  notes: z.array(z.string()),
  /** Pushes tried: more than one when someone pushed meanwhile. */
  pushAttempts: z.number().int(),
});
export type SyncReport = z.infer<typeof SyncReport>;

export const SyncStep = z.enum(['starting', 'committing', 'pulling', 'merging', 'pushing', 'done']);
export type SyncStep = z.infer<typeof SyncStep>;

/** What each step of a Sync is doing, as the window and the CLI say it. */
export const SYNC_STEP_TEXT: Record<SyncStep, string> = {
  starting: 'Getting ready…',
  committing: 'Committing your work…',
  pulling: "Pulling your colleagues' work…",
  merging: 'Merging changes made on both sides…',
  pushing: 'Pushing to the team…',
  done: 'Done.',
};

export const SyncProgress = z.object({
  jobId: z.string(),
  step: SyncStep,
  finished: z.boolean(),
  error: z.string().optional(),
  result: SyncReport.optional(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

/** The one contract: every method's argument and result schema. Both transports validate against it. */
export const contract = {
  getSession: { args: none, result: Session },
  setAnnotator: { args: z.object({ name: AnnotatorName }).strict(), result: Session },
  /**
   * The change feed (a long poll): resolves at once with the changes after `since` when there are
   * any, else when one comes or after about 20 seconds with none. `since: 0` asks for the current
   * cursor alone. A cursor the feed no longer knows (another project, a restarted server) is
   * answered with a schema and a documents change: reload everything.
   */
  waitForChanges: {
    args: z.object({ since: z.number().int().nonnegative() }).strict(),
    result: z.object({ cursor: z.number().int().nonnegative(), changes: z.array(ProjectChange) }),
  },
  /** With a query, only documents whose title or text contains it (case-insensitive). */
  listDocuments: { args: z.object({ query: z.string().max(500).optional() }).strict(), result: z.array(DocumentSummary) },
  getDocument: { args: z.object({ docId: DocId }).strict(), result: DocumentView },
  importFiles: {
    args: z
      .object({
        files: z
          .array(
            z
              .object({
                name: z.string().min(1).max(1024),
                data: z.string().max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 4, 'file larger than 20 MB'),
              })
              .strict(),
          )
          .min(1)
          .max(10_000),
      })
      .strict(),
    result: ImportReport,
  },
  loadSamples: { args: none, result: ImportReport },
  /** A new document from pasted text; the title is optional (the first line otherwise). */
  importText: {
    args: z.object({ text: z.string().max(MAX_IMPORT_BYTES), title: z.string().max(1000).optional() }).strict(),
    result: ImportReport,
  },
  /** Changes the metadata (never the text, so offsets stay valid); an empty string clears a field. */
  updateDocumentMeta: { args: z.object({ docId: DocId, meta: DocumentMeta }).strict(), result: DocumentView },
  /**
   * Starts writing a dataset into the project's exports/ folder (never anywhere the caller names:
   * the CLI alone chooses a path); poll exportProgress for progress and the result.
   */
  startExport: { args: ExportRequest, result: JobProgress },
  /** What deleting a document would remove, for the confirmation. */
  documentFootprint: { args: z.object({ docId: DocId }).strict(), result: DocumentFootprint },
  /**
   * Deletes a document with every annotator's layer and metadata edits on it, moved into the
   * project's trash folder (restoreDocument puts them back). Made against the counts the user
   * confirmed; refused with code 'conflict' when the document holds other counts now.
   */
  deleteDocument: {
    args: z
      .object({ docId: DocId, confirmed: z.object({ layers: z.number().int().nonnegative(), annotations: z.number().int().nonnegative() }).strict() })
      .strict(),
    result: z.object({ trashId: z.string(), footprint: DocumentFootprint }),
  },
  /** Undo of deleteDocument: the files back where they were, unless the project has new ones there meanwhile. */
  restoreDocument: { args: z.object({ trashId: z.string().regex(TRASH_ID_PATTERN, 'not a deleted document') }).strict(), result: z.object({ docId: DocId }) },
  exportProgress: { args: z.object({ jobId: z.string().max(100) }).strict(), result: JobProgress },
  cancelExport: { args: z.object({ jobId: z.string().max(100) }).strict(), result: JobProgress },
  /** Opens the folder holding an export in the system's file manager (desktop app; paths inside the project only). */
  revealExport: { args: z.object({ path: z.string().max(4096) }).strict(), result: z.object({ revealed: z.boolean() }) },
  /**
   * Imports a colleague's annotations. A dry run reads and checks everything and says what the
   * schema lacks, writing nothing; then the real run adds to the schema when addToSchema is true.
   */
  importAnnotations: {
    args: z
      .object({
        format: z.enum(IMPORT_FORMATS),
        files: z
          .array(z.object({ name: z.string().min(1).max(1024), data: z.string().max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 4) }).strict())
          .min(1)
          .max(10_000),
        /** Whose layer they land in; when absent, the annotator the file names (else the file's name). */
        annotator: AnnotatorName.optional(),
        addToSchema: z.boolean().default(false),
        dryRun: z.boolean().default(false),
      })
      .strict(),
    result: AnnotationImportReport,
  },
  /** How the chosen annotators' layers of a document relate, span by span, with the gold layer's state. */
  compareLayers: {
    args: z.object({ docId: DocId, annotators: z.array(AnnotatorName).min(2).max(50), gold: AnnotatorName.default('gold') }).strict(),
    result: Comparison,
  },
  /**
   * Builds the gold layer: accept an annotator's annotation (copied into gold, with its links),
   * accept all (every agreed item), or reject (gold keeps nothing there). Returns the gold
   * annotations before and after, so the UI can undo with restoreLayer.
   */
  adjudicate: {
    args: z
      .object({
        docId: DocId,
        gold: AnnotatorName.default('gold'),
        annotators: z.array(AnnotatorName).min(2).max(50),
        action: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('accept'), annotationIds: z.array(z.string()).min(1) }),
          z.object({ kind: z.literal('accept-agreed') }),
          /** A span item's or a link's id: gold keeps nothing there. */
          z.object({ kind: z.literal('reject'), itemId: z.string() }),
          /** One compared link into gold, between the gold annotations of its two items. */
          z.object({ kind: z.literal('accept-link'), linkId: z.string() }),
          /** An edited version: change an accepted gold annotation's label, boundaries or attribute values (null removes one). */
          z.object({
            kind: z.literal('edit'),
            goldId: z.string(),
            label: z.string().min(1).max(64).optional(),
            start: z.number().int().nonnegative().optional(),
            end: z.number().int().nonnegative().optional(),
            attributes: z.record(z.string(), AttributeValue.nullable()).optional(),
          }),
        ]),
      })
      .strict(),
    result: z.object({
      before: z.array(Annotation),
      after: z.array(Annotation),
      beforeRelations: z.array(Relation),
      afterRelations: z.array(Relation),
      /** The gold layer's rejected items before and after, so undo can un-reject. */
      beforeRejected: z.array(z.string()),
      afterRejected: z.array(z.string()),
    }),
  },
  /** Puts a layer's annotations and links back as they were (undo of adjudication): only your own layer or gold. */
  restoreLayer: {
    args: z
      .object({ docId: DocId, annotator: AnnotatorName, annotations: z.array(Annotation), relations: z.array(Relation), rejected: z.array(z.string()).optional() })
      .strict(),
    result: z.object({ annotations: z.array(Annotation) }),
  },
  /** A reviewer's verdict on a colleague's annotation, seen by its annotator on their own layer. */
  setReview: {
    args: z
      .object({ docId: DocId, annotationId: z.string(), verdict: z.enum(['approved', 'needs-change']).nullable(), comment: z.string().max(10_000).default('') })
      .strict(),
    result: z.object({ reviews: z.array(Review) }),
  },
  listReviews: { args: z.object({ docId: DocId }).strict(), result: z.array(Review) },
  /** Agreement between annotators, over the project (or the given documents), per label and overall. */
  agreement: {
    args: z
      .object({
        annotators: z.array(AnnotatorName).max(50).optional(),
        labels: z.array(z.string()).optional(),
        docIds: z.array(DocId).optional(),
        /** Score each annotator against this layer (e.g. gold) instead of against each other. */
        against: AnnotatorName.optional(),
        /** Score only the analysts' own spans: accepted suggestions (origin "suggested") left out. */
        excludeSuggested: z.boolean().optional(),
      })
      .strict(),
    result: AgreementReport,
  },
  /**
   * Sync through git: commits the annotator's own files, pulls colleagues' work (merging the tag
   * schema by label), pushes. Runs in the background; poll syncProgress. One Sync at a time: a
   * second call while one runs returns that one.
   */
  startSync: { args: none, result: SyncProgress },
  syncProgress: { args: z.object({ jobId: z.string().max(100) }).strict(), result: SyncProgress },
  /** Stops the import running in the main process (File → Import in the desktop app) after the current file. */
  cancelImport: { args: none, result: z.object({ cancelled: z.boolean() }) },
  listAnnotations: { args: z.object({ docId: DocId }).strict(), result: z.array(Annotation) },
  createAnnotation: { args: SpanArgs.extend({ docId: DocId }).strict().refine(endAfterStart, endAfterStartIssue), result: Annotation },
  /** Many spans at once (tag all matches); one write, one undo step. */
  createAnnotations: {
    args: z.object({ docId: DocId, spans: z.array(SpanArgs.strict().refine(endAfterStart, endAfterStartIssue)).min(1).max(5000) }).strict(),
    result: z.array(Annotation),
  },
  /** Relabel, move a boundary, set attributes or the note; attributes are checked against the schema. */
  updateAnnotation: {
    args: z
      .object({
        docId: DocId,
        annotationId: Id,
        changes: z
          .object({
            label: z.string().min(1).max(64).optional(),
            start: z.number().int().nonnegative().optional(),
            end: z.number().int().nonnegative().optional(),
            /** Only the attributes named change; null (or empty text, an empty list) removes one. */
            attributes: z.record(z.string(), AttributeValue.nullable()).optional(),
            note: z.string().max(100_000).optional(),
          })
          .strict(),
      })
      .strict(),
    /** `before` is what undo puts back; links the new label no longer allows are removed and returned. */
    result: z.object({ before: Annotation, after: Annotation, removedRelations: z.array(Relation) }),
  },
  /** Deleting a span deletes its links too; both come back for undo. */
  deleteAnnotations: {
    args: z.object({ docId: DocId, annotationIds: z.array(Id).min(1).max(5000) }).strict(),
    result: z.object({ deleted: z.array(Annotation), relations: z.array(Relation) }),
  },
  /**
   * The document's suggestions for the caller, less those they rejected and those their own
   * annotations already cover. `enabled` is false when the project's setting turns them off.
   */
  listSuggestions: {
    args: z.object({ docId: DocId }).strict(),
    result: z.object({ enabled: z.boolean(), suggestions: z.array(SuggestionView), rejected: z.number().int().nonnegative() }),
  },
  /** Each named suggestion (as listSuggestions gives it now) becomes the caller's annotation, origin "suggested", with its links. */
  acceptSuggestions: {
    args: z.object({ docId: DocId, keys: SuggestionKeys }).strict(),
    result: z.object({ annotations: z.array(Annotation), relations: z.array(Relation) }),
  },
  /** Remembers rejected suggestions in the caller's layer; `forget` takes them back (undo). Returns the keys changed. */
  rejectSuggestions: {
    args: z.object({ docId: DocId, keys: SuggestionKeys, forget: z.boolean().optional() }).strict(),
    result: z.object({ rejected: z.array(z.string()) }),
  },
  /** Puts annotations and links back exactly as given, replacing any with the same id (undo). */
  restoreAnnotations: {
    args: z.object({ annotations: z.array(Annotation).max(100_000), relations: z.array(Relation).max(100_000) }).strict(),
    result: z.object({ annotations: z.array(Annotation), relations: z.array(Relation) }),
  },
  listRelations: { args: z.object({ docId: DocId }).strict(), result: z.array(Relation) },
  /** Imported annotations that could not be placed in the text, every layer's, with the reason. */
  listOrphans: { args: z.object({ docId: DocId }).strict(), result: z.array(Orphan.extend({ annotator: z.string() })) },
  /**
   * The reading view's one read of a document (on opening it, and after each change): what
   * listAnnotations, listRelations, listOrphans and listReviews return, in one answer, with the
   * annotations packed (shared/annotationPack), and the document itself when asked for.
   */
  openDocument: {
    args: z.object({ docId: DocId, withDocument: z.boolean() }).strict(),
    result: z.object({
      document: DocumentView.nullable(),
      annotations: PackedAnnotations,
      relations: z.array(Relation),
      orphans: z.array(Orphan.extend({ annotator: z.string() })),
      reviews: z.array(ReviewRecord),
    }),
  },
  createRelation: {
    args: z.object({ docId: DocId, type: z.string().min(1).max(64), from: Id, to: Id }).strict(),
    result: Relation,
  },
  deleteRelation: { args: z.object({ docId: DocId, relationId: Id }).strict(), result: z.object({ deleted: Relation }) },
  /** The current annotator's status on a document. */
  setDocumentStatus: { args: z.object({ docId: DocId, status: DocStatus }).strict(), result: z.object({ status: DocStatus }) },
  /** How many annotations in the whole project use each label, and each label's attribute ("label/attribute"). */
  labelUsage: {
    args: none,
    result: z.object({ labels: z.record(z.string(), z.number().int()), attributes: z.record(z.string(), z.number().int()) }),
  },
  /**
   * Replaces the tag schema (margin.json alone: labels and attributes keep stable ids, so renames
   * never touch a layer). Made against `baseRevision`; refused with code 'conflict' when
   * margin.json has moved on. A removed label keeps its annotations (shown as an unknown label)
   * unless it is listed in `deleteLabels` with the count the user confirmed, which must still be
   * the count. What was deleted comes back, so undo can restore it.
   */
  updateSchema: {
    args: z
      .object({
        schema: TagSchema,
        renameLabels: z.array(z.object({ from: z.string(), to: z.string() }).strict()).default([]),
        renameAttributes: z.array(z.object({ label: z.string(), from: z.string(), to: z.string() }).strict()).default([]),
        baseRevision: z.number().int().nonnegative(),
        deleteLabels: z.array(z.object({ label: z.string(), annotations: z.number().int().nonnegative() }).strict()).default([]),
        /** Applied last: the previous versions an undo puts back. */
        restore: z.object({ annotations: z.array(Annotation), relations: z.array(Relation) }).strict().optional(),
      })
      .strict(),
    result: z.object({
      session: Session,
      changed: z.array(Annotation),
      removed: z.array(Annotation),
      removedRelations: z.array(Relation),
    }),
  },
  /**
   * Maps a label found in layer files but unknown to the schema (a colleague's label, one removed
   * from the schema) to a label of the schema, for everyone: the unknown id becomes an alias of
   * that label in margin.json. No layer file is written.
   */
  mapUnknownLabel: {
    args: z.object({ from: z.string().min(1).max(128), to: z.string().min(1).max(64), baseRevision: z.number().int().nonnegative() }).strict(),
    result: z.object({ session: Session }),
  },
  /**
   * Changes the project's settings for everyone (margin.json; only the settings named change).
   * Made against `baseRevision`; refused with code 'conflict' when margin.json has moved on.
   */
  updateProjectSettings: {
    args: z.object({ settings: ProjectSettings.strict(), baseRevision: z.number().int().nonnegative() }).strict(),
    result: Session,
  },
  /**
   * This user's last view of the open project (shared/viewMemory.ts), kept in their app-data
   * folder, never in the project; a document, layer or label that is gone is left out.
   */
  getViewMemory: { args: none, result: ViewMemory },
  saveViewMemory: { args: z.object({ view: ViewMemory }).strict(), result: z.object({}) },
} satisfies Record<ApiMethod, { args: z.ZodType; result: z.ZodType }>;

// Compile-time check that apiMethods.ts lists exactly the contract's methods.
type Contract = typeof contract;
type _SameMethods = [ApiMethod] extends [keyof Contract] ? ([keyof Contract] extends [ApiMethod] ? true : never) : never;
export const sameMethods: _SameMethods = true;

export type ApiArgs<M extends ApiMethod> = z.input<Contract[M]['args']>;
export type ApiResult<M extends ApiMethod> = z.output<Contract[M]['result']>;

/** What the renderer calls, whatever the transport. */
export type MarginApi = { [M in ApiMethod]: (args: ApiArgs<M>) => Promise<ApiResult<M>> };

/** Browser mode: the header naming the tab a request comes from (see Caller). */
export const WINDOW_HEADER = 'X-Margin-Window';
export const WINDOW_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** The window of calls that name none (the CLI, an HTTP client without the header). */
export const DEFAULT_WINDOW = 'default';

/** Who calls: each window (desktop window, browser tab) has its own annotator name. */
export interface Caller {
  windowId: string;
  /** Aborted when the caller is gone (request closed, server closing): a long poll ends then. */
  signal?: AbortSignal;
}

/** What the services implement: arguments arrive already validated; no caller means DEFAULT_WINDOW. */
export type ApiHandlers = { [M in ApiMethod]: (args: z.output<Contract[M]['args']>, caller?: Caller) => Promise<ApiResult<M>> };

export const ErrorCode = z.enum(['validation', 'not-found', 'bad-input', 'conflict', 'store', 'internal', 'unauthorized']);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiError = z.object({ code: ErrorCode, message: z.string(), issues: z.array(z.string()).optional() });
export type ApiErrorBody = z.infer<typeof ApiError>;

/** Results travel in an envelope so an error keeps its code and message across IPC and HTTP. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/** Pushed by the main process (menus, dialogs) to the window. */
export const AppEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('project-changed') }),
  z.object({ type: z.literal('imported'), report: ImportReport }),
  /** Progress of an import run by the main process: files done of total, and the file at hand. */
  z.object({ type: z.literal('import-progress'), done: z.number().int(), total: z.number().int(), current: z.string() }),
  z.object({ type: z.literal('error'), message: z.string() }),
  /** A menu command the window carries out itself (its own undo stack, for one). */
  z.object({ type: z.literal('command'), command: z.enum(ACTION_IDS) }),
]);
export type AppEvent = z.infer<typeof AppEvent>;

/** What the preload puts on `window.margin`. */
export type MarginBridge = {
  [M in ApiMethod]: (args: ApiArgs<M>) => Promise<Envelope<ApiResult<M>>>;
} & { onEvent: (listener: (event: AppEvent) => void) => () => void };
