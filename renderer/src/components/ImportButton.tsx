import { forwardRef } from 'react';
import { filesFromInput, type SourceFile } from '../api/files';

interface Props {
  onFiles: (files: SourceFile[]) => void;
  /** Choose a folder instead of files: everything inside it, recursively. */
  folder?: boolean;
  disabled?: boolean;
}

const ACCEPT = '.txt,.text,.md,.markdown,.html,.htm,.docx,.pdf';

/** The file picker behind the Import buttons (and File → Import in browser mode). */
export const ImportButton = forwardRef<HTMLInputElement, Props>(function ImportButton({ onFiles, folder = false, disabled = false }, ref) {
  return (
    <label
      className={`button import-button${disabled ? ' disabled' : ''}`}
      title={folder ? 'Import every article in a folder and its subfolders' : 'Import articles: text, Markdown, HTML, Word, PDF'}
    >
      {folder ? 'Import folder…' : 'Import…'}
      <input
        ref={ref}
        type="file"
        multiple
        disabled={disabled}
        {...(folder ? { webkitdirectory: '' } : { accept: ACCEPT })}
        data-testid={folder ? 'import-folder-input' : 'import-input'}
        onChange={(e) => {
          const files = filesFromInput(e.target.files);
          e.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </label>
  );
});
