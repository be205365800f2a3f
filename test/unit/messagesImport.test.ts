/**
 * Import reasons the user reads never carry a parser's or the system's own text (issue 12,
 * item 6): a reader that fails unexpectedly, pdf.js refusing a damaged file, an unknown file
 * system error, a document the store could not save. Each names what failed and what to do.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extractArticle } from '../../electron/services/intake/extract';
import { importText, readErrorReason } from '../../electron/services/intake/importer';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { samplePaths, TempDirs } from './helpers';

vi.mock('../../electron/services/intake/extract/markdown', () => ({
  extractMarkdown: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'children')");
  },
}));

const temps = new TempDirs();
afterEach(() => {
  vi.restoreAllMocks();
  temps.cleanup();
});

const INTERNALS = /Cannot read properties|TypeError|XRef|Invalid PDF|FormatError|EWEIRD|\bat \S+:\d+|undefined|null/;

describe('what an import says when a file cannot be read', () => {
  it('a reader failing unexpectedly: the file could not be read and what to try, not its error text', async () => {
    const result = await extractArticle('note.md', new TextEncoder().encode('# A title\n\nSome text.'));
    expect(result.ok).toBe(false);
    const reason = result.ok ? '' : result.reason;
    expect(reason).toMatch(/^could not be read/);
    expect(reason).toMatch(/save it again|another format/);
    expect(reason).not.toMatch(INTERNALS);
  });

  it('a PDF whose structure pdf.js cannot read: damaged, without pdf.js text', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\nxref\n0 2\nzzzz\ntrailer << /Root 1 0 R /Size 2 >>\nstartxref\n9999\n%%EOF\n');
    const result = await extractArticle('report.pdf', bytes);
    expect(result.ok).toBe(false);
    const reason = result.ok ? '' : result.reason;
    expect(reason).toMatch(/^is damaged or not a PDF/);
    expect(reason).not.toMatch(INTERNALS);
  });

  it('an unknown file system error: cannot be read, without its code or message', () => {
    const reason = readErrorReason(Object.assign(new Error("EWEIRD: weird failure, open '/x/y.txt'"), { code: 'EWEIRD' }));
    expect(reason).toMatch(/^cannot be read/);
    expect(reason).not.toMatch(/EWEIRD|weird failure|\/x\/y\.txt/);
  });

  it('a document the store fails to save: names the file and what to do, not the error text', async () => {
    const store = await ProjectStore.open(path.join(temps.make(), 'project'));
    try {
      vi.spyOn(store, 'addDocument').mockRejectedValue(new TypeError("Cannot read properties of undefined (reading 'id')"));
      const text = readFileSync(samplePaths()[0]!, 'utf8');
      const report = await importText(store, text, undefined, 'cnn.txt');
      expect(report.failed).toHaveLength(1);
      const reason = report.failed[0]!.reason;
      expect(reason).toContain('cnn.txt');
      expect(reason).toMatch(/could not be saved in the project/);
      expect(reason).toMatch(/[Tt]ry again/);
      expect(reason).not.toMatch(INTERNALS);
    } finally {
      await store.close();
    }
  });
});
