// The file piscina loads in every pool worker; it loads the pool's TypeScript worker module
// (workerData.workerModule, set by pool.ts). Why not give piscina the .ts file itself: piscina
// require()s its file first, and Node's require() strips a .ts file's types in the worker's own
// thread, with WebAssembly that detaches an ArrayBuffer, after which V8 checks every typed-array
// access in that thread for detachment: the simulators ran 15–20% slower in pool workers than in
// the main thread. import() goes through the module hooks instead (bin/typescript-hooks.js), which
// strip types on Node's hooks thread. This file is plain JavaScript so that require() needs no
// stripping; piscina awaits a default export that is a promise.
import { workerData } from 'node:worker_threads';

export default import(workerData.workerModule).then((module) => module.default);
