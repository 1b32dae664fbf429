/**
 * One line of the benchmark table. `ratio` is the comparison the row's `target` names: for a row
 * measured against the C reference it is C/JS (how many times slower the engine is; ≤ 2 is the
 * target), for a scaling row it is the speed-up N workers / 1 worker (≥ 1.8 is the target).
 * `note` is printed under the table (work done by each side, e.g. steps taken).
 */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  reference?: string;
  referenceValue?: number;
  ratio?: number;
  target?: string;
  note?: string;
  details?: Record<string, unknown>;
}

/**
 * Run fn repeatedly for at least `seconds`, return operations per second (best of `repeats`
 * windows). fn returns the operations it did (1 for one trajectory, the reactions fired, …).
 * `warmupSeconds` of unmeasured calls come first (JIT tiers, caches).
 */
export function rate(fn: () => number, seconds = 1, repeats = 3, warmupSeconds = 0): number {
  return rates(fn, seconds, repeats, warmupSeconds).wall;
}

/** Operations per second of wall-clock time and per second of this thread's CPU time. */
export interface Rates { wall: number; cpu: number }

/**
 * Like rate(), measuring each window both ways: `wall` (what a user waits) and `cpu`, operations
 * per CPU-second of the calling thread (process.threadCpuUsage). On a shared machine the CPU-time
 * rate is the stable one: time the thread spends descheduled does not count against it. A window
 * lasts `seconds` of CPU time (at most 4× that of wall time). Best of `repeats`, for each clock.
 */
export function rates(fn: () => number, seconds = 1, repeats = 3, warmupSeconds = 0): Rates {
  if (warmupSeconds > 0) window(fn, warmupSeconds);
  const best = { wall: 0, cpu: 0 };
  for (let r = 0; r < repeats; r++) {
    const w = window(fn, seconds);
    best.wall = Math.max(best.wall, w.wall);
    best.cpu = Math.max(best.cpu, w.cpu);
  }
  return best;
}

function cpuMicros(): number {
  const u = process.threadCpuUsage();
  return u.user + u.system;
}

function window(fn: () => number, seconds: number): Rates {
  // Clocks are read once per batch of calls (about 1 ms of work), so reading them costs nothing.
  const t = performance.now();
  let ops = fn();
  const first = Math.max(performance.now() - t, 1e-6);
  const batch = Math.max(1, Math.min(10_000, Math.floor(1 / first)));
  const wall0 = performance.now();
  const cpu0 = cpuMicros();
  ops = 0;
  let wall = 0, cpu = 0;
  while (cpu < seconds * 1e6 && wall < 4 * seconds * 1000) {
    for (let i = 0; i < batch; i++) ops += fn();
    wall = performance.now() - wall0;
    cpu = cpuMicros() - cpu0;
  }
  return { wall: ops / (wall / 1000), cpu: ops / (Math.max(cpu, 1) / 1e6) };
}
