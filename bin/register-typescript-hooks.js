// Registers typescript-hooks.js (why: see there). Imported first by bin/sgnn.js, and given to worker
// threads with `--import` (src-main/jobs/pool.ts reads SGNN_TYPESCRIPT_HOOKS), so that no thread
// that simulates strips TypeScript itself. `npm run bench` runs with `--import` of this file too.
import { register } from 'node:module';

register(new URL('./typescript-hooks.js', import.meta.url));
process.env.SGNN_TYPESCRIPT_HOOKS = import.meta.url;
