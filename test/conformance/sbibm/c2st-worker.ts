/** Worker-thread entry (piscina) for one C2ST, so the benchmark runs one per core. */
import { c2st } from '../../../src-main/analyze/c2st.ts';
import type { C2stOptions } from '../../../src-main/analyze/c2st.ts';

export default function run({ x, y, dim, options }: { x: Float64Array; y: Float64Array; dim: number; options: Partial<C2stOptions> }) {
  const t = performance.now();
  return { ...c2st(x, y, dim, options), seconds: (performance.now() - t) / 1000 };
}
