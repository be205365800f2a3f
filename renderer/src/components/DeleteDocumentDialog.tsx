import { useCallback, useEffect, useState } from 'react';
import type { ApiResult, DocumentFootprint } from '../../../shared/api';
import { plural } from '../../../shared/plural';
import { displayKey } from '../../../shared/shortcuts';
import { api, messageOf } from '../api/client';
import { isMac } from './ShortcutOverlay';
import { DialogError } from './DialogError';

interface Props {
  docId: string;
  /** The annotator working in this window: their layer is "yours". */
  annotator: string | null;
  onDeleted: (result: ApiResult<'deleteDocument'>) => void;
  onClose: () => void;
}

function layerLine(layer: DocumentFootprint['layers'][number], annotator: string | null): string {
  const what = [plural(layer.annotations, 'annotation'), ...(layer.relations > 0 ? [plural(layer.relations, 'link')] : [])].join(' and ');
  return layer.annotator === annotator ? `${what} by you (${layer.annotator})` : `${what} by ${layer.annotator}`;
}

const editor = (name: string) => (name === '' ? 'an earlier version of Margin' : name);

/**
 * Confirms deleting a document, naming what goes with it, whoever made it. The counts shown are
 * the ones the deletion is made against: if a colleague's work arrives meanwhile, it is refused
 * and the new counts are shown.
 */
export function DeleteDocumentDialog({ docId, annotator, onDeleted, onClose }: Props) {
  const [footprint, setFootprint] = useState<DocumentFootprint | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api
      .documentFootprint({ docId })
      .then(setFootprint)
      .catch((e: unknown) => setError(messageOf(e)));
  }, [docId]);
  useEffect(load, [load]);

  const remove = async () => {
    if (!footprint) return;
    setBusy(true);
    setError(null);
    try {
      const annotations = footprint.layers.reduce((n, l) => n + l.annotations, 0);
      onDeleted(await api.deleteDocument({ docId, confirmed: { layers: footprint.layers.length, annotations } }));
    } catch (e) {
      setError(messageOf(e));
      load();
    } finally {
      setBusy(false);
    }
  };

  const colleagues = footprint?.layers.filter((l) => l.annotator !== annotator) ?? [];
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && !busy && onClose()}>
      <div className="dialog wide" role="alertdialog" aria-modal="true" aria-labelledby="delete-doc-title" aria-describedby="delete-doc-what">
        <h2 id="delete-doc-title">Delete this document?</h2>
        {!footprint && !error && <p>Counting what is on it…</p>}
        {footprint && (
          <div id="delete-doc-what">
            <p>
              “{footprint.title}” leaves the project with everything on it
              {footprint.layers.length === 0 && footprint.metadataEdits.length === 0 ? ': no one has tagged or edited it yet.' : ':'}
            </p>
            {(footprint.layers.length > 0 || footprint.metadataEdits.length > 0) && (
              <ul className="delete-counts">
                {footprint.layers.map((l) => (
                  <li key={l.annotator}>{layerLine(l, annotator)}</li>
                ))}
                {footprint.metadataEdits.length > 0 && <li>metadata edits by {footprint.metadataEdits.map(editor).join(', ')}</li>}
              </ul>
            )}
            {colleagues.length > 0 && (
              <p className="delete-warning">
                This deletes your colleagues’ work too: {colleagues.map((l) => `${l.annotator}’s layer`).join(', ')}. Copies they already have through Sync are not
                touched.
              </p>
            )}
            <p className="hint">You can undo this with {displayKey('Mod+Z', isMac())} or from the notice that follows. The files stay in the project’s .margin-trash folder for 30 days.</p>
          </div>
        )}
        <DialogError message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose} disabled={busy} autoFocus>
            Cancel
          </button>
          <button type="button" className="primary danger" onClick={() => void remove()} disabled={busy || !footprint}>
            Delete document
          </button>
        </div>
      </div>
    </div>
  );
}
