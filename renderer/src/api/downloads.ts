/**
 * Browser mode: where the server offers a finished export as a download (GET /download/<name>,
 * authorised by the cookie the page's token set). Exports lie directly in <project>/exports/, so
 * the name is the last part of the path the export reported, whichever separator the server uses.
 */
export function exportDownloadHref(exportPath: string): string {
  const name = exportPath.split(/[\\/]/).pop() ?? '';
  return `/download/${encodeURIComponent(name)}`;
}
