import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ApiHandlers, Session } from '../../shared/api';
import { quoteAt } from '../../shared/anchoring';
import type { Annotation } from '../../shared/model';
import { MarginError } from './errors';
import { emptyReport, importBytes, importPaths } from './importer';
import { samplesDir } from './paths';
import { ProjectStore } from './projectStore';
import { Settings } from './settings';

export interface WorkspaceOptions {
  userData: string;
  /** Project to open; defaults to the last one used, then the default project. */
  projectDir: string;
  mode: Session['mode'];
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

function byTextOrder(a: Annotation, b: Annotation): number {
  return a.start - b.start || b.end - a.end || a.createdAt.localeCompare(b.createdAt);
}

/** The services behind the API: the open project, the user's settings, and every method's implementation. */
export class Workspace {
  private constructor(
    private store: ProjectStore,
    private readonly settings: Settings,
    private readonly mode: Session['mode'],
  ) {}

  static async open(options: WorkspaceOptions): Promise<Workspace> {
    const settings = await Settings.open(options.userData);
    const store = await ProjectStore.open(options.projectDir);
    await settings.update({ lastProject: store.dir });
    return new Workspace(store, settings, options.mode);
  }

  get projectDir(): string {
    return this.store.dir;
  }

  /** Imports files from disk: the native dialog and drag and drop in the desktop app. */
  importPaths(paths: readonly string[]) {
    return importPaths(this.store, paths);
  }

  /** Opens (or creates, when empty) another project folder and makes it current. */
  async switchProject(dir: string): Promise<void> {
    // Reopening the current project would trip over our own lock: it is already open.
    if (path.resolve(dir) === this.store.dir) return;
    const next = await ProjectStore.open(dir);
    await this.store.close();
    this.store = next;
    await this.settings.update({ lastProject: next.dir });
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  private session(): Session {
    return {
      project: { dir: this.store.dir, name: this.store.project.name },
      annotator: this.settings.value.annotator,
      schema: this.store.project.schema,
      mode: this.mode,
    };
  }

  private annotator(): string {
    const name = this.settings.value.annotator;
    if (!name) throw new MarginError('bad-input', 'Set your annotator name before tagging.');
    return name;
  }

  readonly handlers: ApiHandlers = {
    getSession: async () => this.session(),

    setAnnotator: async ({ name }) => {
      await this.settings.update({ annotator: name });
      return this.session();
    },

    listDocuments: async () => {
      const summaries = [];
      for (const doc of this.store.listDocuments()) {
        const summary = { id: doc.id, title: doc.title, length: doc.text.length, importedAt: doc.importedAt, annotationCount: 0 };
        try {
          const layers = await this.store.layersOf(doc.id);
          summary.annotationCount = layers.reduce((n, l) => n + l.annotations.length, 0);
          summaries.push(summary);
        } catch (error) {
          // One unreadable layer file must not hide the whole project: flag that document alone.
          summaries.push({ ...summary, problem: (error as Error).message });
        }
      }
      return summaries;
    },

    getDocument: async ({ docId }) => {
      const { id, title, text, fileName, importedAt } = this.store.getDocument(docId);
      return { id, title, text, fileName, importedAt };
    },

    importFiles: async ({ files }) => {
      const report = emptyReport();
      for (const file of files) {
        await importBytes(this.store, file.name, Buffer.from(file.data, 'base64'), report);
      }
      return report;
    },

    loadSamples: async () => {
      const dir = samplesDir();
      const names = (await readdir(dir)).filter((n) => n.endsWith('.txt')).sort();
      return importPaths(
        this.store,
        names.map((n) => path.join(dir, n)),
      );
    },

    listAnnotations: async ({ docId }) => {
      this.store.getDocument(docId);
      const layers = await this.store.layersOf(docId);
      return layers.flatMap((l) => l.annotations).sort(byTextOrder);
    },

    createAnnotation: async ({ docId, label, start, end }) => {
      const annotator = this.annotator();
      const doc = this.store.getDocument(docId);
      if (!this.store.project.schema.labels.some((l) => l.name === label)) {
        throw new MarginError('bad-input', `label: "${label}" is not in this project's tag schema.`);
      }
      if (end > doc.text.length) {
        throw new MarginError('bad-input', `end: ${end} is past the end of the document (${doc.text.length}).`);
      }
      // Never store surrounding whitespace; a span of nothing but whitespace is no span.
      let s = start;
      let e = end;
      while (s < e && /\s/u.test(doc.text[s]!)) s++;
      while (e > s && /\s/u.test(doc.text[e - 1]!)) e--;
      if (s === e) throw new MarginError('bad-input', 'The selection is only whitespace; nothing was tagged.');
      // Never cut an emoji or other astral character in two: exports count code points.
      if (s > 0 && isLowSurrogate(doc.text.charCodeAt(s)) && isHighSurrogate(doc.text.charCodeAt(s - 1))) s--;
      if (e < doc.text.length && isLowSurrogate(doc.text.charCodeAt(e)) && isHighSurrogate(doc.text.charCodeAt(e - 1))) e++;
      const now = new Date().toISOString();
      const annotation: Annotation = {
        id: randomUUID(),
        docId,
        annotator,
        label,
        start: s,
        end: e,
        quote: quoteAt(doc.text, s, e),
        attributes: {},
        createdAt: now,
        updatedAt: now,
      };
      await this.store.updateLayer(annotator, docId, (layer) => {
        layer.annotations.push(annotation);
        layer.annotations.sort(byTextOrder);
      });
      return annotation;
    },

    deleteAnnotation: async ({ docId, annotationId }) => {
      const annotator = this.annotator();
      this.store.getDocument(docId);
      const own = await this.store.readLayer(annotator, docId);
      const found = own.annotations.find((a) => a.id === annotationId);
      if (!found) {
        const elsewhere = (await this.store.layersOf(docId)).find((l) => l.annotations.some((a) => a.id === annotationId));
        throw elsewhere
          ? new MarginError('bad-input', `That annotation belongs to ${elsewhere.annotator}'s layer; only your own can be deleted.`)
          : new MarginError('not-found', `There is no annotation ${annotationId} in document ${docId}.`);
      }
      await this.store.updateLayer(annotator, docId, (layer) => {
        layer.annotations = layer.annotations.filter((a) => a.id !== annotationId);
        layer.relations = layer.relations.filter((r) => r.from !== annotationId && r.to !== annotationId);
      });
      return { deleted: found };
    },

    restoreAnnotation: async ({ annotation }) => {
      const annotator = this.annotator();
      if (annotation.annotator !== annotator) {
        throw new MarginError('bad-input', `annotation.annotator: only your own annotations (${annotator}) can be restored.`);
      }
      const doc = this.store.getDocument(annotation.docId);
      if (annotation.end > doc.text.length || annotation.end <= annotation.start) {
        throw new MarginError('bad-input', `annotation.end: the span ${annotation.start}–${annotation.end} does not fit the document.`);
      }
      await this.store.updateLayer(annotator, annotation.docId, (layer) => {
        if (layer.annotations.some((a) => a.id === annotation.id)) return;
        layer.annotations.push(annotation);
        layer.annotations.sort(byTextOrder);
      });
      return annotation;
    },
  };
}
