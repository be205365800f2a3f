// The reader thread run from the TypeScript sources (CLI, browser mode, tests): tsx compiles it
// on the fly, as bin/margin.js does for the CLI. The built app runs out/main/extractWorker.js.
import { register } from 'tsx/esm/api';

register();
await import('./extractWorker.ts');
