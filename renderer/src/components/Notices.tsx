import type { Notice, NoticeAction } from '../hooks/useNotices';

function ActionControl({ action, onClose }: { action: NoticeAction; onClose: () => void }) {
  if ('href' in action) {
    // No file name here: the server's Content-Disposition names it (a folder export comes as .zip).
    return (
      <a className="button" href={action.href} download="">
        {action.label}
      </a>
    );
  }
  return (
    <button
      type="button"
      onClick={() => {
        action.run();
        if (action.closes) onClose();
      }}
    >
      {action.label}
    </button>
  );
}

export function Notices({ notices, onDismiss }: { notices: readonly Notice[]; onDismiss: (id: number) => void }) {
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <div className="notice-body">
            <p>{n.text}</p>
            {n.details && (
              <ul>
                {n.details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            )}
            {n.actions && (
              <div className="notice-actions">
                {n.actions.map((a) => (
                  <ActionControl key={a.label} action={a} onClose={() => onDismiss(n.id)} />
                ))}
              </div>
            )}
          </div>
          <button type="button" className="dismiss" aria-label="Dismiss" onClick={() => onDismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
