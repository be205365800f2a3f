// The suggestion thread run from the TypeScript sources (CLI through tsx, browser mode, tests):
// tsx compiles it on the fly. The built app runs out/main/suggestWorker.js.
import { register } from 'tsx/esm/api';

register();
await import('./suggestWorker.ts');
