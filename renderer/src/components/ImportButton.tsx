import { forwardRef, useImperativeHandle, useRef } from 'react';
import { filesFromInput, type SourceFile } from '../api/files';

interface Props {
  onFiles: (files: SourceFile[]) => void;
  /** Choose a folder instead of files: everything inside it, recursively. */
  folder?: boolean;
  disabled?: boolean;
}

const ACCEPT = '.txt,.text,.md,.markdown,.html,.htm,.docx,.pdf';

/**
 * The Import buttons: a real button (Tab reaches it, Enter and Space press it) that opens the
 * hidden file input's picker. The ref is the input, so the Menu's import entries open it too.
 */
export const ImportButton = forwardRef<HTMLInputElement, Props>(function ImportButton({ onFiles, folder = false, disabled = false }, ref) {
  const input = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => input.current!, []);
  return (
    <>
      <button
        type="button"
        className="import-button"
        disabled={disabled}
        title={folder ? 'Import every article in a folder and its subfolders' : 'Import articles: text, Markdown, HTML, Word, PDF'}
        onClick={() => input.current?.click()}
      >
        {folder ? 'Import folder…' : 'Import…'}
      </button>
      <input
        ref={input}
        type="file"
        hidden
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
    </>
  );
});
