import { forwardRef } from 'react';

interface Props {
  onFiles: (files: File[]) => void;
}

/** The file picker behind File → Import in browser mode and the toolbar button in both modes. */
export const ImportButton = forwardRef<HTMLInputElement, Props>(function ImportButton({ onFiles }, ref) {
  return (
    <label className="button import-button" title="Import plain-text articles (.txt)">
      Import…
      <input
        ref={ref}
        type="file"
        multiple
        accept=".txt,.text,text/plain"
        data-testid="import-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </label>
  );
});
