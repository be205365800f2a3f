/**
 * Electron fuses are flipped in the packaged binary by electron-builder (electron.builder.json,
 * "electronFuses"). The Electron binary cannot be packaged here, so this test asks
 * electron-builder's own code what it would do: it loads the configuration the way `npm run dist`
 * does, validates it against electron-builder's schema, and turns it into the fuse wire that
 * @electron/fuses would write. A fuse loosened, or left out (the binary's default is the
 * permissive one), fails the test. Writes the "fuses" row of the security summary.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { PlatformPackager } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { afterAll, describe, expect, it } from 'vitest';
import { recordSecurityRows, type Row } from '../securityReport';
import { REPO_ROOT } from '../unit/helpers';

/** What each fuse must be, and why a user is safer for it. */
const REQUIRED: { fuse: FuseV1Options; value: boolean; why: string }[] = [
  { fuse: FuseV1Options.RunAsNode, value: false, why: 'ELECTRON_RUN_AS_NODE cannot turn Margin into a Node shell' },
  { fuse: FuseV1Options.EnableCookieEncryption, value: true, why: 'cookies on disk are encrypted with the OS key' },
  { fuse: FuseV1Options.EnableNodeOptionsEnvironmentVariable, value: false, why: 'NODE_OPTIONS cannot inject code' },
  { fuse: FuseV1Options.EnableNodeCliInspectArguments, value: false, why: '--inspect and SIGUSR1 cannot attach a debugger' },
  { fuse: FuseV1Options.EnableEmbeddedAsarIntegrityValidation, value: true, why: 'a tampered app.asar is refused (macOS, Windows)' },
  { fuse: FuseV1Options.OnlyLoadAppFromAsar, value: true, why: 'no app/ folder beside app.asar is loaded instead' },
  // The page is served from app://margin (electron/protocol.ts): file:// needs no extra powers.
  { fuse: FuseV1Options.GrantFileProtocolExtraPrivileges, value: false, why: 'file:// pages get no more than in a browser' },
];

const CONFIG_FILE = 'electron.builder.json';

async function fuseWire() {
  const config = await getConfig(REPO_ROOT, CONFIG_FILE, null);
  await validateConfiguration(config, new DebugLogger(false));
  // The very mapping electron-builder applies right before signing (platformPackager.ts).
  const generate = (PlatformPackager.prototype as unknown as { generateFuseConfig(f: unknown): Promise<Record<number, boolean | undefined>> }).generateFuseConfig;
  return { config, wire: await generate.call(null, config.electronFuses ?? {}) };
}

const rows: Row[] = [];
afterAll(() => {
  if (rows.length > 0) recordSecurityRows('fuses', rows);
});

describe('Electron fuses in the packaged app', () => {
  it('npm run dist packages with electron.builder.json, and package.json holds no competing "build" configuration', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; build?: unknown };
    expect(pkg.scripts.dist).toContain(`electron-builder --config ${CONFIG_FILE}`);
    expect(pkg.build).toBeUndefined();
  });

  it('every fuse is set to its locked-down value, as electron-builder would write it', async () => {
    const { config, wire } = await fuseWire();
    const loosened = REQUIRED.filter(({ fuse, value }) => wire[fuse] !== value).map(({ fuse, value }) => `${FuseV1Options[fuse]} must be ${value} (is ${String(wire[fuse] ?? 'unset')})`);
    // OnlyLoadAppFromAsar and integrity validation mean nothing without an asar archive.
    const asar = config.asar !== false;
    rows.push({
      check: 'fuses',
      passed: REQUIRED.length - loosened.length,
      total: REQUIRED.length,
      failures: loosened.length + (asar ? 0 : 1),
      detail: loosened.length === 0 && asar ? `${CONFIG_FILE}, validated by electron-builder` : [...loosened, ...(asar ? [] : ['asar is off'])].join('; '),
    });
    expect(loosened).toEqual([]);
    expect(asar, 'asar must stay on: the asar fuses protect nothing without it').toBe(true);
  });

  it('electron-builder rejects a misspelt fuse, so a typo cannot silently leave one at its default', async () => {
    const config = await getConfig(REPO_ROOT, CONFIG_FILE, null);
    const typo = { ...config, electronFuses: { ...config.electronFuses, runAsnode: false } };
    await expect(validateConfiguration(typo, new DebugLogger(false))).rejects.toThrow(/configuration\.electronFuses/);
  });

  it('nothing in the main process needs RunAsNode: no child is started through the Electron binary', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.(ts|mjs|js)$/.test(entry.name)) {
          const text = readFileSync(file, 'utf8');
          // fork() re-runs the Electron binary as Node, and so does spawning process.execPath.
          if (/\bfork\(|process\.execPath|ELECTRON_RUN_AS_NODE/.test(text)) offenders.push(path.relative(REPO_ROOT, file));
        }
      }
    };
    walk(path.join(REPO_ROOT, 'electron'));
    expect(offenders).toEqual([]);
  });
});
