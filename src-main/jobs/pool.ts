/**
 * Worker-thread pools shared by every job of the process: starting a worker costs ~1 s here (it
 * loads the engine's modules), so pools are created once per worker file and size, kept warm while
 * work keeps coming, and released after a minute idle (or by destroyPools at shutdown).
 */
import { Piscina } from 'piscina';

const pools = new Map<string, Piscina>();
/**
 * What piscina loads in each worker; it loads the pool's worker module, named in workerData (why:
 * see the file). So a pool runs its module's default export only: piscina's `name` and per-task
 * `filename` options do not apply, and workerData belongs to this file.
 */
const WORKER_ENTRY = new URL('./worker-entry.js', import.meta.url);

/** The shared pool running `workerFile` (a file URL) on `threads` threads. */
export function sharedPool(workerFile: URL, threads: number): Piscina {
  const key = `${workerFile.href}#${threads}`;
  let pool = pools.get(key);
  if (!pool) {
    // Piscina unrefs idle workers, so a warm pool never keeps a finished CLI command alive.
    // minThreads 0: idle workers are reaped after idleTimeout instead of living for the process.
    // Where the process strips TypeScript on Node's hooks thread (bin/register-typescript-hooks.js),
    // its workers do too: stripping in a worker would slow its simulations (see the hooks file).
    // Only that flag: a worker given the parent's flags explicitly refuses process-wide ones such as
    // --max-old-space-size (ERR_WORKER_INVALID_EXEC_ARGV), which users pass for big banks.
    const hooks = process.env.SGNN_TYPESCRIPT_HOOKS;
    const execArgv = hooks ? ['--import', hooks] : undefined;
    pool = new Piscina({
      filename: WORKER_ENTRY.href, workerData: { workerModule: workerFile.href },
      minThreads: 0, maxThreads: threads, idleTimeout: 60_000, execArgv,
    });
    pools.set(key, pool);
  }
  return pool;
}

/** Terminate every shared pool (engine shutdown, end of a CLI command). */
export async function destroyPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.allSettled(all.map((p) => p.destroy()));
}
