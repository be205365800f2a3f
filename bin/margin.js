#!/usr/bin/env node
// The margin command: the CLI bundled from the TypeScript sources (bin/cliBundle.js), so `npx margin`
// works right after `npm install` and starts fast.
import { loadCli } from './cliBundle.js';

const { runCli } = await loadCli();
const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
process.exitCode = code;
