/**
 * The API's method names alone, without their schemas: the sandboxed preload needs the list
 * but must stay tiny and dependency-free. `api.ts` checks at compile time that it matches.
 */
export const API_METHODS = [
  'getSession',
  'setAnnotator',
  'waitForChanges',
  'listDocuments',
  'getDocument',
  'importFiles',
  'loadSamples',
  'importText',
  'updateDocumentMeta',
  'documentFootprint',
  'deleteDocument',
  'restoreDocument',
  'cancelImport',
  'startExport',
  'exportProgress',
  'cancelExport',
  'startSync',
  'syncProgress',
  'revealExport',
  'importAnnotations',
  'compareLayers',
  'adjudicate',
  'restoreLayer',
  'setReview',
  'listReviews',
  'agreement',
  'listAnnotations',
  'createAnnotation',
  'createAnnotations',
  'updateAnnotation',
  'deleteAnnotations',
  'restoreAnnotations',
  'listSuggestions',
  'acceptSuggestions',
  'rejectSuggestions',
  'listRelations',
  'listOrphans',
  'openDocument',
  'createRelation',
  'deleteRelation',
  'setDocumentStatus',
  'labelUsage',
  'updateSchema',
  'mapUnknownLabel',
  'updateProjectSettings',
  'getViewMemory',
  'saveViewMemory',
] as const;

export type ApiMethod = (typeof API_METHODS)[number];

/** IPC channel of a method; one prefix so nothing else can be invoked through it. */
export const channelOf = (method: ApiMethod): string => `margin:${method}`;

/** Channel on which the main process pushes AppEvents to the window. */
export const EVENT_CHANNEL = 'margin:event';
