import { type KeyboardEvent, useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import type { TagSchema } from '../../../../shared/model';
import type { LabelDeletions } from '../../editing/steps';
import { ConfirmPanel } from './ConfirmPanel';
import { LabelCard } from './LabelCard';
import { RelationsEditor } from './RelationsEditor';
import {
  type Draft,
  type SchemaRenames,
  type Usage,
  addAttribute,
  addLabel,
  attributeUsage,
  deleteAttributeQuestion,
  deleteLabelQuestion,
  draftFromSchema,
  draftProblems,
  isDirty,
  labelUsage,
  removeAttribute,
  removeLabel,
  renamesOf,
  schemaFromDraft,
  setRelationLabel,
  updateAttribute,
  updateLabel,
} from './schemaDraft';
import './schema.css';

/** The schema an edit starts from, and its margin.json revision. */
export interface SchemaBase {
  schema: TagSchema;
  revision: number;
}

export interface SchemaEditorProps {
  schema: TagSchema;
  /** margin.json's revision of `schema`: the draft is made on the one the editor opened with. */
  revision: number;
  /** Counts over the whole project: labels by name, attributes as "label/attribute". */
  loadUsage: () => Promise<{ labels: Record<string, number>; attributes: Record<string, number> }>;
  /** Saves; rejects with an ApiError whose message (and issues) say what is wrong. */
  /** `deleteLabels`: removed labels whose annotations the user confirmed deleting, with the count confirmed. */
  /** `base`: the schema and revision the editor opened with (an edit from it is refused if the project moved on). */
  onSave: (schema: TagSchema, renames: SchemaRenames, deleteLabels: LabelDeletions, base: SchemaBase) => Promise<void>;
  onClose: () => void;
}

type UsageState = { status: 'loading' } | { status: 'ready'; usage: Usage } | { status: 'failed'; message: string };

type Confirm = { kind: 'label'; labelId: string } | { kind: 'attribute'; labelId: string; attributeId: string } | { kind: 'discard' };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function issuesOf(error: unknown): string[] {
  const issues = (error as { issues?: unknown } | null)?.issues;
  return Array.isArray(issues) ? issues.filter((i): i is string => typeof i === 'string') : [];
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * The tag schema editor: labels (name, colour, key, attributes) and which labels each relation
 * links. Nothing reaches the project until Save; renames are worked out from the rows then.
 */
export function SchemaEditor({ schema, revision, loadUsage, onSave, onClose }: SchemaEditorProps) {
  const [initial] = useState(() => draftFromSchema(schema));
  // The draft stays on the schema it was opened on, even when another window or a colleague's
  // sync changes the project meanwhile: saving it is then refused, never applied to newer tags.
  const [base] = useState<SchemaBase>(() => ({ schema, revision }));
  const outdated = revision !== base.revision;
  const [draft, setDraft] = useState<Draft>(initial);
  const [usage, setUsage] = useState<UsageState>({ status: 'loading' });
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  // Deleting a used label deletes its annotations only with this confirmation, against this count.
  const [deletions, setDeletions] = useState<LabelDeletions>([]);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<{ message: string; issues: string[] } | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  const problems = useMemo(() => draftProblems(draft), [draft]);
  const dirty = useMemo(() => isDirty(initial, draft), [initial, draft]);

  const fetchUsage = useEffectEvent(() => loadUsage());
  useEffect(() => {
    let live = true;
    fetchUsage().then(
      (u) => live && setUsage({ status: 'ready', usage: u }),
      (error: unknown) => live && setUsage({ status: 'failed', message: messageOf(error) }),
    );
    return () => {
      live = false;
    };
  }, []);

  // Focus moves into the dialog, and back to where it was when the dialog goes.
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    root.current?.focus();
    return () => before?.focus();
  }, []);

  // When a question is answered, focus returns to what asked it (or the dialog, if that is gone).
  useEffect(() => {
    if (confirm !== null) return;
    const target = returnFocus.current;
    returnFocus.current = null;
    if (target) (target.isConnected ? target : root.current)?.focus();
  }, [confirm]);

  const edit = (next: Draft) => {
    setDraft(next);
    setSaveError(null);
  };

  const ask = (question: Confirm) => {
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setConfirm(question);
  };

  const requestDeleteLabel = (labelId: string) => {
    const label = draft.labels.find((l) => l.id === labelId);
    if (!label) return;
    if (label.original === null || (usage.status === 'ready' && labelUsage(usage.usage, label) === 0)) return edit(removeLabel(draft, labelId));
    ask({ kind: 'label', labelId });
  };

  const requestDeleteAttribute = (labelId: string, attributeId: string) => {
    const label = draft.labels.find((l) => l.id === labelId);
    const attr = label?.attributes.find((a) => a.id === attributeId);
    if (!label || !attr) return;
    if (attr.original === null || label.original === null || (usage.status === 'ready' && attributeUsage(usage.usage, label, attr) === 0)) {
      return edit(removeAttribute(draft, labelId, attributeId));
    }
    ask({ kind: 'attribute', labelId, attributeId });
  };

  const requestClose = () => {
    if (saving) return;
    if (dirty) ask({ kind: 'discard' });
    else onClose();
  };

  const save = async () => {
    if (problems.count > 0 || saving) return;
    if (!dirty) return onClose();
    setSaving(true);
    setSaveError(null);
    try {
      const stillThere = new Set(draft.labels.map((l) => l.original));
      await onSave(
        schemaFromDraft(draft),
        renamesOf(draft),
        deletions.filter((d) => !stillThere.has(d.label)),
        base,
      );
      onClose();
    } catch (error) {
      setSaveError({ message: messageOf(error), issues: issuesOf(error) });
      setSaving(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // The reading view's single-key shortcuts must not act while the dialog has the keyboard.
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      if (confirm) setConfirm(null);
      else requestClose();
    } else if (event.key === 'Tab' && root.current) {
      // Keep Tab inside the dialog (inside the question, while one is asked).
      const scope = root.current.querySelector<HTMLElement>('[role="alertdialog"]') ?? root.current;
      const focusable = [...scope.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest('[inert]'));
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (!first || !last) return;
      const active = document.activeElement;
      if (event.shiftKey && (active === first || !scope.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !scope.contains(active) || active === root.current)) {
        event.preventDefault();
        first.focus();
      }
    }
  };

  const question = confirm ? questionFor(confirm) : null;
  function questionFor(c: Confirm) {
    const close = () => setConfirm(null);
    if (c.kind === 'discard') {
      return {
        message: 'Discard your changes to the tag schema?',
        confirmLabel: 'Discard changes',
        cancelLabel: 'Keep editing',
        busy: false,
        onConfirm: onClose,
        onCancel: close,
      };
    }
    const label = draft.labels.find((l) => l.id === c.labelId);
    const name = label?.original ?? '';
    const attr = c.kind === 'attribute' ? label?.attributes.find((a) => a.id === c.attributeId) : undefined;
    const count =
      usage.status === 'ready' && label ? (c.kind === 'label' ? labelUsage(usage.usage, label) : attr ? attributeUsage(usage.usage, label, attr) : 0) : null;
    const onConfirm = () => {
      setConfirm(null);
      if (c.kind === 'label' && label?.original && count) setDeletions((list) => [...list.filter((d) => d.label !== label.original), { label: label.original!, annotations: count }]);
      edit(c.kind === 'label' ? removeLabel(draft, c.labelId) : removeAttribute(draft, c.labelId, c.attributeId));
    };
    if (c.kind === 'label') {
      return {
        message:
          usage.status === 'loading'
            ? `Counting the annotations that use “${name}”…`
            : usage.status === 'failed'
              ? `The annotations that use “${name}” could not be counted (${usage.message}). Deleting the label keeps any that use it, shown as an unknown label.`
              : count === 0
                ? `No annotation uses “${name}”.`
                : deleteLabelQuestion(name, count ?? 0),
        confirmLabel: count === 0 ? 'Delete label' : 'Delete label and annotations',
        busy: usage.status === 'loading',
        onConfirm,
        onCancel: close,
      };
    }
    const attrName = attr?.original ?? '';
    return {
      message:
        usage.status === 'loading'
          ? `Counting the annotations with a value for “${attrName}”…`
          : usage.status === 'failed'
            ? `The annotations with a value for “${attrName}” could not be counted (${usage.message}). Deleting the attribute deletes any values it has.`
            : count === 0
              ? `No annotation has a value for “${attrName}”.`
              : deleteAttributeQuestion(name, attrName, count ?? 0),
      confirmLabel: 'Delete attribute',
      busy: usage.status === 'loading',
      onConfirm,
      onCancel: close,
    };
  }

  const problemCount = problems.count;
  return (
    <div
      className="dialog-backdrop"
      // A click beside the dialog must not take the focus (and with it the keyboard) out of it.
      onMouseDown={(e) => e.target === e.currentTarget && e.preventDefault()}
    >
      <div ref={root} className="dialog schema-editor" role="dialog" aria-modal="true" aria-label="Tag schema" tabIndex={-1} onKeyDown={onKeyDown}>
        <div className="schema-editor-content" inert={confirm !== null} aria-hidden={confirm !== null ? true : undefined}>
          <header className="schema-editor-header">
            <h2>Tag schema</h2>
            <p className="schema-note">Renames, new colours and deletions apply to every annotation in the project when you save.</p>
          </header>
          <div className="schema-editor-scroll">
            <section aria-label="Labels" className="schema-labels">
              {draft.labels.map((label) => (
                <LabelCard
                  key={label.id}
                  label={label}
                  problems={problems.fields}
                  usage={usage.status === 'ready' ? labelUsage(usage.usage, label) : null}
                  focusId={focusId}
                  canDelete={draft.labels.length > 1}
                  onChange={(changes) => edit(updateLabel(draft, label.id, changes))}
                  onDelete={() => requestDeleteLabel(label.id)}
                  onAddAttribute={() => {
                    const added = addAttribute(draft, label.id);
                    edit(added.draft);
                    setFocusId(added.id);
                  }}
                  onChangeAttribute={(attributeId, changes) => edit(updateAttribute(draft, label.id, attributeId, changes))}
                  onDeleteAttribute={(attributeId) => requestDeleteAttribute(label.id, attributeId)}
                />
              ))}
              <button
                type="button"
                className="schema-add"
                onClick={() => {
                  const added = addLabel(draft);
                  edit(added.draft);
                  setFocusId(added.id);
                }}
              >
                Add label
              </button>
            </section>
            <RelationsEditor
              relations={draft.relations}
              labels={draft.labels}
              problems={problems.fields}
              onToggle={(relationId, end, labelId, allowed) => edit(setRelationLabel(draft, relationId, end, labelId, allowed))}
            />
          </div>
          <footer className="schema-editor-footer">
            {problems.general.map((message) => (
              <p key={message} className="field-error">
                {message}
              </p>
            ))}
            {usage.status === 'failed' && <p className="schema-note">The annotations per label could not be counted: {usage.message}</p>}
            {outdated && !saveError && (
              <p className="schema-note" role="status">
                The tag schema was changed elsewhere (another window or a colleague’s sync) since this editor opened. Saving these changes will be refused;
                cancel and open <em>Tags…</em> again to start from the current tags.
              </p>
            )}
            {saveError && (
              <div className="schema-save-error" role="alert">
                <p>{saveError.message}</p>
                {saveError.issues.length > 0 && (
                  <ul>
                    {saveError.issues.map((issue) => (
                      <li key={issue}>{issue}</li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            <div className="dialog-actions">
              <span className="schema-summary" role="status">
                {problemCount > 0 ? `${problemCount} problem${problemCount === 1 ? '' : 's'} to fix before saving` : dirty ? 'Unsaved changes' : ''}
              </span>
              <button type="button" onClick={requestClose} disabled={saving}>
                Cancel
              </button>
              <button
                type="button"
                className="primary"
                disabled={problemCount > 0 || saving}
                aria-busy={saving}
                title={problemCount > 0 ? 'Fix the problems marked in red first' : undefined}
                onClick={() => void save()}
              >
                Save
              </button>
            </div>
          </footer>
        </div>
        {question && <ConfirmPanel {...question} />}
      </div>
    </div>
  );
}
