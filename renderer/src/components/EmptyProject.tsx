interface Props {
  busy: boolean;
  onLoadSamples: () => void;
}

/** What a new project shows instead of an empty list. */
export function EmptyProject({ busy, onLoadSamples }: Props) {
  return (
    <section className="empty-project">
      <h2>This project has no articles yet</h2>
      <p>Import articles (text, Markdown, HTML pages, Word, PDF) or whole folders with the buttons above or the File menu, drop them onto this window, paste text, or start with four real news articles.</p>
      <button type="button" className="primary" disabled={busy} onClick={onLoadSamples}>
        Load sample articles
      </button>
    </section>
  );
}
