import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const out = path.resolve(import.meta.dirname, '../../out');
const built = existsSync(path.join(out, 'renderer', 'index.html'));
if (!built) console.log('build output checks skipped: run `npm run build` first (npm test does)');

describe.skipIf(!built)('npm run build output', () => {
  it('has the main process, the sandboxed preload and the renderer', () => {
    expect(existsSync(path.join(out, 'main', 'main.js'))).toBe(true);
    expect(existsSync(path.join(out, 'preload', 'preload.cjs'))).toBe(true);
    expect(existsSync(path.join(out, 'renderer', 'index.html'))).toBe(true);
  });

  it('ships the page with a strict CSP and no inline script', () => {
    const html = readFileSync(path.join(out, 'renderer', 'index.html'), 'utf8');
    expect(html).toMatch(/http-equiv="Content-Security-Policy"[^>]*script-src 'self'/);
    expect(html).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('bundles the preload into one CommonJS file that requires nothing but electron', () => {
    const preload = readFileSync(path.join(out, 'preload', 'preload.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(readdirSync(path.join(out, 'preload'))).toEqual(['preload.cjs']);
  });
});
