import { z } from 'zod';
import type { ApiMethod } from './apiMethods';
import { Annotation, AnnotatorName, DocId, DocumentSummary, TagSchema } from './model';

/** Files cross the API as base64 so both transports (IPC and JSON over HTTP) carry them alike. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export const Session = z.object({
  project: z.object({ dir: z.string(), name: z.string() }),
  annotator: z.string().nullable(),
  schema: TagSchema,
  /** 'electron' when native menus and dialogs exist; 'browser' for `margin serve`. */
  mode: z.enum(['electron', 'browser']),
});
export type Session = z.infer<typeof Session>;

export const ImportReport = z.object({
  imported: z.array(z.object({ fileName: z.string(), docId: DocId, title: z.string() })),
  duplicates: z.array(z.object({ fileName: z.string(), docId: DocId, title: z.string() })),
  failed: z.array(z.object({ fileName: z.string(), reason: z.string() })),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const DocumentView = z.object({
  id: DocId,
  title: z.string(),
  text: z.string(),
  fileName: z.string().optional(),
  importedAt: z.string(),
});
export type DocumentView = z.infer<typeof DocumentView>;

const none = z.object({}).strict();

/** The one contract: every method's argument and result schema. Both transports validate against it. */
export const contract = {
  getSession: { args: none, result: Session },
  setAnnotator: { args: z.object({ name: AnnotatorName }).strict(), result: Session },
  listDocuments: { args: none, result: z.array(DocumentSummary) },
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
  listAnnotations: { args: z.object({ docId: DocId }).strict(), result: z.array(Annotation) },
  createAnnotation: {
    args: z
      .object({
        docId: DocId,
        label: z.string().min(1).max(64),
        start: z.number().int().nonnegative(),
        end: z.number().int().nonnegative(),
      })
      .strict()
      .refine((a) => a.end > a.start, { message: 'end must be after start', path: ['end'] }),
    result: Annotation,
  },
  deleteAnnotation: {
    args: z.object({ docId: DocId, annotationId: z.string().min(1).max(128) }).strict(),
    result: z.object({ deleted: Annotation }),
  },
  /** Puts back an annotation exactly as it was (undo of a delete). */
  restoreAnnotation: { args: z.object({ annotation: Annotation }).strict(), result: Annotation },
} satisfies Record<ApiMethod, { args: z.ZodType; result: z.ZodType }>;

// Compile-time check that apiMethods.ts lists exactly the contract's methods.
type Contract = typeof contract;
type _SameMethods = [ApiMethod] extends [keyof Contract] ? ([keyof Contract] extends [ApiMethod] ? true : never) : never;
export const sameMethods: _SameMethods = true;

export type ApiArgs<M extends ApiMethod> = z.input<Contract[M]['args']>;
export type ApiResult<M extends ApiMethod> = z.output<Contract[M]['result']>;

/** What the renderer calls, whatever the transport. */
export type MarginApi = { [M in ApiMethod]: (args: ApiArgs<M>) => Promise<ApiResult<M>> };

/** What the services implement: arguments arrive already validated. */
export type ApiHandlers = { [M in ApiMethod]: (args: z.output<Contract[M]['args']>) => Promise<ApiResult<M>> };

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
  z.object({ type: z.literal('error'), message: z.string() }),
  /** A menu command the window carries out itself (its own undo stack, for one). */
  z.object({ type: z.literal('command'), command: z.enum(['undo', 'redo']) }),
]);
export type AppEvent = z.infer<typeof AppEvent>;

/** What the preload puts on `window.margin`. */
export type MarginBridge = {
  [M in ApiMethod]: (args: ApiArgs<M>) => Promise<Envelope<ApiResult<M>>>;
} & { onEvent: (listener: (event: AppEvent) => void) => () => void };
