/**
 * The security summary's producers and its reader share this module. Each producer (a test file
 * or a script step) records its rows as `<repo>/.security-report/<name>.json`; `npm test` ends
 * with scripts/securityReport.ts, which prints every row in one table and fails the run when a
 * producer is missing or a row counts failures. A producer split over several test files may
 * write `<name>-<part>.json`: each part counts as that producer.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Row {
  /** What was checked, e.g. "fuzz: html", "fuses". */
  check: string;
  passed: number;
  total: number;
  /** Anything above 0 fails `npm test`. */
  failures: number;
  detail?: string;
}

/** MARGIN_SECURITY_REPORT_DIR lets the summary's own tests point it at a temporary folder. */
export const REPORT_DIR = process.env.MARGIN_SECURITY_REPORT_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.security-report');

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Writes (or replaces) one producer's rows. Written to a temporary file and renamed, so the
 * reader never sees half a file even if two test workers finish at once.
 */
export function recordSecurityRows(name: string, rows: Row[]): string {
  if (!NAME.test(name)) throw new Error(`security report name "${name}" must be lower-case letters, digits and "-"`);
  mkdirSync(REPORT_DIR, { recursive: true });
  const file = path.join(REPORT_DIR, `${name}.json`);
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, `${JSON.stringify(rows, null, 2)}\n`);
  renameSync(temp, file);
  return file;
}
