import type { TagSchema } from '../../../shared/model';

interface Props {
  schema: TagSchema;
  enabled: boolean;
  onTag: (label: string) => void;
  /** Further document actions at the end of the bar. */
  children?: React.ReactNode;
}

function title(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** One button per label, with its shortcut key. */
export function TagToolbar({ schema, enabled, onTag, children }: Props) {
  return (
    <div className="tag-toolbar" role="toolbar" aria-label="Tag the selection">
      {schema.labels.map((label) => (
        <button
          key={label.name}
          type="button"
          className="tag-button"
          style={{ borderColor: label.color }}
          disabled={!enabled}
          title={`Tag the selection as ${label.name} (key ${label.key})`}
          // Keep the text selection alive: a click on the button must not collapse it first.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onTag(label.name)}
        >
          <span className="swatch" style={{ background: label.color }} aria-hidden />
          {title(label.name)}
          <kbd>{label.key}</kbd>
        </button>
      ))}
      <span className="toolbar-hint">{enabled ? 'Tag the selected text' : 'Select text to tag it'}</span>
      {children}
    </div>
  );
}
