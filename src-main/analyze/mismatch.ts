/**
 * Simulator–data mismatch in the network's embedding space: a kernel two-sample test (MMD with a
 * permutation p-value) between the real datasets' embeddings and simulations', and a per-dataset
 * atypicality score. The SGNN theory bounds real-data risk by synthetic risk plus a mismatch
 * penalty; this is the check that the penalty is small, and the verdict says so plainly when not.
 *
 * Embeddings are rows (Float32Array, one per dataset or run), all of the same length.
 */
import { rngFor } from '../simulate/random/rng.ts';
import { formatNumber, formatP, formatPercent, median, sampleIndices, shuffle } from './stats.ts';
import type { Verdict } from './stats.ts';

export type Embeddings = readonly Float32Array[];

/** Squared Euclidean distance between two rows. */
export function squaredDistance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

function checkDims(what: string, rows: Embeddings, dim: number): void {
  rows.forEach((r, i) => {
    if (r.length !== dim) throw new RangeError(`${what}: embedding ${i} has length ${r.length}, expected ${dim} (all embeddings must come from the same network)`);
  });
}

/** Median pairwise distance of the rows (the median heuristic's bandwidth), from at most `maxRows` rows (seeded subsample). */
export function medianHeuristic(rows: Embeddings, seed = 0, maxRows = 400): number {
  const idx = sampleIndices(rows.length, maxRows, rngFor(seed, 0x3ed));
  const d: number[] = [];
  for (let a = 0; a < idx.length; a++) for (let b = a + 1; b < idx.length; b++) d.push(Math.sqrt(squaredDistance(rows[idx[a]], rows[idx[b]])));
  const m = median(d);
  // All rows identical: any bandwidth gives the same (zero) statistic; 1 avoids dividing by 0.
  return m > 0 ? m : 1;
}

/** Gaussian kernel matrix exp(−‖zᵢ − zⱼ‖² / (2σ²)) of the pooled rows, row-major N × N. */
function kernelMatrix(z: Embeddings, sigma: number): Float64Array {
  const N = z.length;
  const K = new Float64Array(N * N);
  const g = 1 / (2 * sigma * sigma);
  for (let i = 0; i < N; i++) {
    K[i * N + i] = 1;
    for (let j = i + 1; j < N; j++) {
      const v = Math.exp(-g * squaredDistance(z[i], z[j]));
      K[i * N + j] = v;
      K[j * N + i] = v;
    }
  }
  return K;
}

/**
 * The pooled kernel matrix with its row sums (diagonal excluded) and the total over pairs, so a
 * relabelling's MMD² costs O(n_small²) rather than O(N²): with A the smaller group,
 * Σ_{i∈A} rowSum_i = 2·S_AA + S_AB and S_AA + S_AB + S_BB = total.
 */
interface PooledKernel {
  K: Float64Array;
  N: number;
  rowSum: Float64Array;
  total: number;
}

function pooledKernel(z: Embeddings, sigma: number): PooledKernel {
  const K = kernelMatrix(z, sigma);
  const N = z.length;
  const rowSum = new Float64Array(N);
  let total = 0;
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < N; j++) if (j !== i) s += K[i * N + j];
    rowSum[i] = s;
    total += s;
  }
  return { K, N, rowSum, total: total / 2 };
}

/**
 * MMD² when `members` (the first sample, size nx) are relabelled as X. Unbiased (U-statistic,
 * diagonal excluded) when both samples have ≥ 2 rows; with a single real dataset the
 * within-sample term needs its diagonal, so the biased V-statistic is used (the permutation test
 * is valid for either, as both are functions of the labelled pool).
 */
function mmd2Split(pk: PooledKernel, members: Int32Array, nx: number, unbiased: boolean): number {
  // members[0..nx) are X, members[nx..N) are Y; sum within the smaller side.
  const { K, N, rowSum, total } = pk;
  const ny = N - nx;
  const smallIsX = nx <= ny;
  const from = smallIsX ? 0 : nx, to = smallIsX ? nx : N;
  let sAA = 0, rA = 0;
  for (let a = from; a < to; a++) {
    const i = members[a];
    rA += rowSum[i];
    const row = i * N;
    for (let b = a + 1; b < to; b++) sAA += K[row + members[b]];
  }
  const sxy = rA - 2 * sAA;
  const sBB = total - sAA - sxy;
  const sxx = smallIsX ? sAA : sBB, syy = smallIsX ? sBB : sAA;
  if (unbiased) return (2 * sxx) / (nx * (nx - 1)) + (2 * syy) / (ny * (ny - 1)) - (2 * sxy) / (nx * ny);
  return (2 * sxx + nx) / (nx * nx) + (2 * syy + ny) / (ny * ny) - (2 * sxy) / (nx * ny);
}

export interface MmdOptions {
  /** Permutations for the p-value (default 500; at least 200 are used). */
  permutations: number;
  /** Simulated embeddings are subsampled to at most this many (default 500) so the test stays O(N²) small. */
  maxSimulations: number;
  /** Kernel bandwidth σ; default: median heuristic on the pooled rows. */
  bandwidth?: number;
  seed: number;
  /** p below which the verdict reports a mismatch (default 0.01). */
  alpha: number;
}

export const DEFAULT_MMD: MmdOptions = { permutations: 500, maxSimulations: 500, seed: 0, alpha: 0.01 };

export interface MmdResult {
  mmd2: number;
  estimator: 'unbiased' | 'biased';
  bandwidth: number;
  pValue: number;
  permutations: number;
  nReal: number;
  nSimulated: number;
  /** Smallest attainable p-value, 1/(permutations + 1). */
  pFloor: number;
}

/** MMD² (Gaussian kernel) between real and simulated embeddings with a seeded permutation p-value. */
export function mmdTest(real: Embeddings, simulated: Embeddings, options: Partial<MmdOptions> = {}): MmdResult {
  const o: MmdOptions = { ...DEFAULT_MMD, ...options };
  if (real.length === 0 || simulated.length === 0) throw new RangeError(`mmdTest: needs at least one real and one simulated embedding (got ${real.length} and ${simulated.length})`);
  const dim = real[0].length;
  checkDims('mmdTest (real)', real, dim);
  checkDims('mmdTest (simulated)', simulated, dim);
  const sims = sampleIndices(simulated.length, o.maxSimulations, rngFor(o.seed, 0x313d, 1));
  const pool: Float32Array[] = [...real, ...Array.from(sims, (i) => simulated[i])];
  const nx = real.length, N = pool.length, ny = N - nx;
  const bandwidth = o.bandwidth ?? medianHeuristic(pool, o.seed);
  const pk = pooledKernel(pool, bandwidth);
  const unbiased = nx >= 2 && ny >= 2;
  const order = new Int32Array(N);
  for (let i = 0; i < N; i++) order[i] = i;
  const observed = mmd2Split(pk, order, nx, unbiased);
  const permutations = Math.max(200, Math.floor(o.permutations));
  const rng = rngFor(o.seed, 0x313d, 2);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    shuffle(order, rng);
    // ≥ with a relative slack so ties from round-off count against rejecting (conservative).
    if (mmd2Split(pk, order, nx, unbiased) >= observed - 1e-12 * Math.abs(observed)) atLeast++;
  }
  return {
    mmd2: observed, estimator: unbiased ? 'unbiased' : 'biased', bandwidth,
    pValue: (1 + atLeast) / (1 + permutations), permutations, nReal: nx, nSimulated: ny, pFloor: 1 / (1 + permutations),
  };
}

export interface Atypicality {
  /** Distance from the dataset's embedding to its k-th nearest simulated embedding. */
  distance: number;
  /** Fraction of reference simulations whose own k-th-nearest distance is smaller: 0.997 = "more atypical than 99.7% of simulations". */
  percentile: number;
  /** (1 + #reference ≥ distance)/(1 + nReference): a p-value for "this dataset is a typical simulation". */
  pValue: number;
  verdict: Verdict;
}

export interface AtypicalityOptions {
  /** Which nearest neighbour (default 5; smaller is more local, larger more stable). */
  k: number;
  /** Simulations used as neighbours (default 2000) and as the reference set (default 500), subsampled with the seed. */
  maxNeighbours: number;
  maxReference: number;
  seed: number;
}

export const DEFAULT_ATYPICALITY: AtypicalityOptions = { k: 5, maxNeighbours: 2000, maxReference: 500, seed: 0 };

function kthNearest(q: Float32Array, rows: Embeddings, idx: Int32Array, k: number, skip: number): number {
  // Keep the k smallest squared distances in a small sorted buffer (k is single digits).
  const best = new Float64Array(k).fill(Infinity);
  for (let a = 0; a < idx.length; a++) {
    const i = idx[a];
    if (i === skip) continue;
    const d = squaredDistance(q, rows[i]);
    if (d >= best[k - 1]) continue;
    let p = k - 1;
    while (p > 0 && best[p - 1] > d) { best[p] = best[p - 1]; p--; }
    best[p] = d;
  }
  return Math.sqrt(best[k - 1]);
}

/**
 * How atypical each real dataset is among simulations: its distance to the k-th nearest simulated
 * embedding, ranked against the same distance for simulations themselves (leave-one-out).
 */
export function atypicality(real: Embeddings, simulated: Embeddings, options: Partial<AtypicalityOptions> = {}): Atypicality[] {
  const o: AtypicalityOptions = { ...DEFAULT_ATYPICALITY, ...options };
  if (simulated.length <= o.k) throw new RangeError(`atypicality: needs more than k = ${o.k} simulated embeddings (got ${simulated.length})`);
  const dim = simulated[0].length;
  checkDims('atypicality (real)', real, dim);
  checkDims('atypicality (simulated)', simulated, dim);
  const neighbours = sampleIndices(simulated.length, o.maxNeighbours, rngFor(o.seed, 0xa7f, 1));
  // References come from the neighbour set and leave themselves out, so a reference sees
  // nNeighbours − 1 candidates where a real dataset sees nNeighbours: a negligible, conservative difference.
  const refIdx = neighbours.slice(0, Math.min(o.maxReference, neighbours.length));
  const ref = Float64Array.from(refIdx, (i) => kthNearest(simulated[i], simulated, neighbours, o.k, i)).sort();
  return real.map((q) => {
    const distance = kthNearest(q, simulated, neighbours, o.k, -1);
    let below = 0;
    while (below < ref.length && ref[below] < distance) below++;
    const percentile = below / ref.length;
    const pValue = (1 + ref.length - below) / (1 + ref.length);
    return { distance, percentile, pValue, verdict: atypicalityVerdict(percentile) };
  });
}

function atypicalityVerdict(percentile: number): Verdict {
  const pct = formatPercent(percentile);
  if (percentile >= 0.99) return { severity: 'problem', text: `more atypical than ${pct} of simulations: the model rarely produces data like this` };
  if (percentile >= 0.95) return { severity: 'warning', text: `more atypical than ${pct} of simulations: at the edge of what the model produces` };
  return { severity: 'ok', text: `typical of the simulations (more atypical than ${pct} of them)` };
}

export interface MismatchReport {
  mmd: MmdResult;
  datasets: Atypicality[];
  verdict: Verdict;
}

/** The mismatch check: MMD test plus per-dataset atypicality, with one plain verdict. */
export function checkMismatch(real: Embeddings, simulated: Embeddings, options: { mmd?: Partial<MmdOptions>; atypicality?: Partial<AtypicalityOptions> } = {}): MismatchReport {
  const mmd = mmdTest(real, simulated, options.mmd);
  const datasets = atypicality(real, simulated, options.atypicality);
  const alpha = options.mmd?.alpha ?? DEFAULT_MMD.alpha;
  const p = formatP(mmd.pValue, mmd.pFloor);
  const atypical = datasets.filter((d) => d.percentile >= 0.99);
  // Among many datasets ~1% reach the 99th percentile by chance, so the overall verdict needs the
  // most atypical one to survive a Bonferroni correction; fewer only earn a warning.
  const minP = datasets.reduce((m, d) => Math.min(m, d.pValue), 1);
  const bonferroni = Math.min(1, minP * datasets.length);
  const worst = datasets.reduce((m, d) => Math.max(m, d.percentile), 0);
  const which = atypical.length === 1 ? 'One dataset is' : `${atypical.length} datasets are`;
  let verdict: Verdict;
  if (mmd.pValue < alpha) {
    verdict = { severity: 'problem', text: `The data look unlike anything the model produces (${p}): check the model or the noise model before trusting the estimates.` };
  } else if (atypical.length > 0 && bonferroni < alpha) {
    verdict = { severity: 'problem', text: `${which} unlike what the model produces (the most atypical beyond ${formatPercent(worst)} of simulations; ${formatP(bonferroni)} after correcting for ${datasets.length} datasets), though the data as a whole do not differ clearly (${p}): check ${atypical.length === 1 ? 'it' : 'them'} against the model before trusting the estimates.` };
  } else if (atypical.length > 0) {
    const expected = 0.01 * datasets.length;
    verdict = { severity: 'warning', text: `${which} more atypical than 99% of simulations (${formatNumber(expected)} expected by chance among ${datasets.length}); the data as a whole look like simulations (${p}).` };
  } else if (mmd.pValue < 0.05) {
    verdict = { severity: 'warning', text: `Some sign that the data differ from the simulations (${p}): the estimates may carry extra error from the mismatch.` };
  } else {
    verdict = { severity: 'ok', text: `The data look like simulations from the model (${p}).` };
  }
  return { mmd, datasets, verdict };
}
