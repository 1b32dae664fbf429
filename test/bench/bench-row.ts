/** One line of the benchmark table. `ratio` = value / referenceValue, oriented so that > 1 is better for us when `higherIsBetter`. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  reference?: string;
  referenceValue?: number;
  ratio?: number;
  target?: string;
  details?: Record<string, unknown>;
}

/** Run fn repeatedly for at least `seconds`, return operations per second (best of `repeats` windows). */
export function rate(fn: () => number, seconds = 1, repeats = 3): number {
  let best = 0;
  for (let r = 0; r < repeats; r++) {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < seconds * 1000) {
      ops += fn();
      elapsed = performance.now() - start;
    }
    best = Math.max(best, ops / (elapsed / 1000));
  }
  return best;
}
