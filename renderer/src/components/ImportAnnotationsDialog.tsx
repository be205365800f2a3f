import { useState } from 'react';
import type { AnnotationImportReport } from '../../../shared/api';
import { IMPORT_FORMATS, type ImportFormat } from '../../../shared/formats/dataset';
import { AnnotatorName } from '../../../shared/model';
import { api, messageOf } from '../api/client';
import { readBase64 } from '../api/files';
import { plural } from '../../../shared/plural';
import { DialogError } from './DialogError';

interface Props {
  onImported: (report: AnnotationImportReport) => void;
  onClose: () => void;
}

const ACCEPT: Record<ImportFormat, string> = {
  jsonl: '.jsonl,.json',
  w3c: '.jsonld,.json',
  brat: '.ann,.txt',
  doccano: '.jsonl,.json',
  'label-studio': '.json',
};

function additionsText(report: AnnotationImportReport): string[] {
  const { labels, attributes, relationTypes } = report.schemaAdditions;
  return [
    ...labels.map((l) => `label “${l}”`),
    ...attributes.map((a) => `attribute “${a.name}” of ${a.label}`),
    ...relationTypes.map((r) => `relation “${r}”`),
  ];
}

/** A colleague's annotations in: pick the format and files, see what the schema lacks, then import. */
export function ImportAnnotationsDialog({ onImported, onClose }: Props) {
  const [format, setFormat] = useState<ImportFormat>('doccano');
  const [files, setFiles] = useState<File[]>([]);
  const [annotator, setAnnotator] = useState('');
  const [preview, setPreview] = useState<AnnotationImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (dryRun: boolean, addToSchema: boolean) => {
    setError(null);
    const name = annotator.trim();
    if (name) {
      const parsed = AnnotatorName.safeParse(name);
      if (!parsed.success) return setError(`Annotator: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    setBusy(true);
    try {
      const payload = await Promise.all(files.map(async (f) => ({ name: f.name, data: await readBase64(f) })));
      const report = await api.importAnnotations({ format, files: payload, dryRun, addToSchema, ...(name ? { annotator: name } : {}) });
      if (dryRun) setPreview(report);
      else onImported(report);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const additions = preview ? additionsText(preview) : [];
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog wide"
        role="dialog"
        aria-modal="true"
        aria-labelledby="import-annotations-title"
        onSubmit={(e) => {
          e.preventDefault();
          void run(true, false);
        }}
        onKeyDown={(e) => e.key === 'Escape' && !busy && onClose()}
      >
        <h2 id="import-annotations-title">Import annotations</h2>
        <label>
          Format
          <select
            value={format}
            onChange={(e) => {
              setFormat(e.target.value as ImportFormat);
              setPreview(null);
            }}
          >
            {IMPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <label>
          Files
          <input
            type="file"
            multiple
            accept={ACCEPT[format]}
            data-testid="annotation-files"
            onChange={(e) => {
              setFiles(Array.from(e.target.files ?? []));
              setPreview(null);
            }}
          />
        </label>
        <label>
          Into the layer of
          <input value={annotator} onChange={(e) => setAnnotator(e.target.value)} placeholder="The annotator named in the file" />
        </label>
        {preview && (
          <section className="import-preview" aria-label="What will be imported">
            <ul>
              {preview.files.map((f) => (
                <li key={f.name}>
                  {f.name}: {plural(f.imported, 'annotation')} in {plural(f.documents, 'document')}
                  {f.reanchored > 0 && `, ${f.reanchored} re-anchored`}
                  {f.alreadyPresent > 0 && `, ${f.alreadyPresent} already present`}
                  {f.orphaned > 0 && `, ${f.orphaned} cannot be placed (kept as orphans)`}
                  {f.rejected.length > 0 && `, ${f.rejected.length} rejected`}
                  {f.notes.length > 0 && `, ${f.notes.length} without an attribute the schema lacks`}
                  {f.rejected.length + f.notes.length > 0 && (
                    <ul>
                      {[...f.rejected, ...f.notes].slice(0, 20).map((r, i) => (
                        <li key={i}>
                          {r.line ? `line ${r.line}: ` : ''}
                          {r.reason}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
            {additions.length > 0 && (
              <p>
                The tag schema lacks {additions.join(', ')}. Add {additions.length === 1 ? 'it' : 'them'} to the schema?
              </p>
            )}
          </section>
        )}
        <DialogError message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          {!preview && (
            <button type="submit" className="primary" disabled={busy || files.length === 0}>
              Check files
            </button>
          )}
          {preview && additions.length > 0 && (
            <button type="button" onClick={() => void run(false, false)} disabled={busy}>
              Import without {additions.length === 1 ? 'it' : 'them'}
            </button>
          )}
          {preview && (
            <button type="button" className="primary" onClick={() => void run(false, additions.length > 0)} disabled={busy}>
              {additions.length > 0 ? 'Add to schema and import' : 'Import'}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
