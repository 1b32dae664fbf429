/**
 * Classifier two-sample test (C2ST) as in sbibm (Lueckmann et al. 2021, `sbibm.metrics.c2st`):
 * the cross-validated accuracy of a classifier told to separate reference posterior samples from
 * ours. 0.5 = indistinguishable, 1 = completely separable.
 *
 * Same recipe as sbibm: z-score both sets with the reference set's mean and sd; an MLP with two
 * ReLU hidden layers of 10·dim units and a logistic output; Adam (lr 1e-3, β = 0.9/0.999),
 * minibatches of min(200, n), L2 penalty 1e-4, Glorot-uniform initialisation; training stops when
 * the epoch loss has not improved by 1e-4 for 10 epochs (scikit-learn's MLPClassifier defaults,
 * which sbibm uses); 5-fold shuffled K-fold; the score is the mean test accuracy.
 * Differences: plain JS in Float64 rather than scikit-learn, seeded with our generator (so the
 * folds and initial weights differ from sbibm's for the same seed), and a default cap of 1000
 * epochs instead of sklearn's max_iter = 10000 (reached only when the sets are almost separable,
 * where the accuracy is already near 1). Scores agree with sbibm's up to that randomness.
 */
import { rngFor } from '../simulate/random/rng.ts';
import type { Rng } from '../simulate/random/rng.ts';
import { shuffle } from './stats.ts';

export interface C2stOptions {
  seed: number;
  folds: number;
  /** Hidden units per layer (default 10·dim, as sbibm). */
  hidden?: number;
  maxEpochs: number;
  learningRate: number;
  batchSize: number;
  l2: number;
  tol: number;
  patience: number;
  /** z-score both sets with the reference set's mean and sd (default true, as sbibm). */
  zScore: boolean;
}

export const DEFAULT_C2ST: C2stOptions = {
  seed: 1, folds: 5, maxEpochs: 1000, learningRate: 1e-3, batchSize: 200, l2: 1e-4, tol: 1e-4, patience: 10, zScore: true,
};

export interface C2stResult {
  /** Mean test accuracy over the folds. */
  accuracy: number;
  foldAccuracies: number[];
  /** Epochs trained in each fold. */
  epochs: number[];
}

/**
 * C2ST accuracy between samples X (reference) and Y (ours), each n × dim row-major
 * (Float64Array or Float32Array with `dim` columns).
 */
export function c2st(x: ArrayLike<number>, y: ArrayLike<number>, dim: number, options: Partial<C2stOptions> = {}): C2stResult {
  const o: C2stOptions = { ...DEFAULT_C2ST, ...options };
  if (x.length % dim !== 0 || y.length % dim !== 0) throw new RangeError(`c2st: sample arrays must hold whole rows of ${dim} values (got ${x.length} and ${y.length})`);
  const nx = x.length / dim, ny = y.length / dim, n = nx + ny;
  if (nx < o.folds || ny < o.folds) throw new RangeError(`c2st: needs at least ${o.folds} samples in each set (got ${nx} and ${ny})`);
  const data = new Float64Array(n * dim);
  const labels = new Float64Array(n);
  const mean = new Float64Array(dim), sd = new Float64Array(dim).fill(1);
  if (o.zScore) {
    for (let i = 0; i < nx; i++) for (let d = 0; d < dim; d++) mean[d] += x[i * dim + d] / nx;
    for (let d = 0; d < dim; d++) {
      let s = 0;
      for (let i = 0; i < nx; i++) s += (x[i * dim + d] - mean[d]) ** 2;
      // torch.std is the n − 1 estimator; a constant column keeps sd 1 rather than dividing by 0.
      const v = Math.sqrt(s / Math.max(1, nx - 1));
      sd[d] = v > 0 ? v : 1;
    }
  }
  for (let i = 0; i < nx; i++) for (let d = 0; d < dim; d++) data[i * dim + d] = (x[i * dim + d] - mean[d]) / sd[d];
  for (let i = 0; i < ny; i++) for (let d = 0; d < dim; d++) data[(nx + i) * dim + d] = (y[i * dim + d] - mean[d]) / sd[d];
  for (let i = nx; i < n; i++) labels[i] = 1;

  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffle(order, rngFor(o.seed, 0xc2, 0));
  const foldAccuracies: number[] = [], epochs: number[] = [];
  for (let f = 0; f < o.folds; f++) {
    // KFold: the first n mod k folds get one extra sample (as scikit-learn).
    const size = (i: number): number => Math.floor(n / o.folds) + (i < n % o.folds ? 1 : 0);
    let lo = 0;
    for (let i = 0; i < f; i++) lo += size(i);
    const hi = lo + size(f);
    const test = order.slice(lo, hi);
    const train = Int32Array.from([...order.slice(0, lo), ...order.slice(hi)]);
    const net = new Mlp(dim, o.hidden ?? 10 * dim, rngFor(o.seed, 0xc2, 1, f));
    epochs.push(net.fit(data, labels, train, o, rngFor(o.seed, 0xc2, 2, f)));
    let correct = 0;
    for (const i of test) if ((net.predict(data, i) >= 0.5 ? 1 : 0) === labels[i]) correct++;
    foldAccuracies.push(correct / test.length);
  }
  return { accuracy: foldAccuracies.reduce((a, b) => a + b, 0) / o.folds, foldAccuracies, epochs };
}

/** dim → h → h → 1 ReLU network with a logistic output; parameters in one array for Adam. */
class Mlp {
  readonly dim: number;
  readonly h: number;
  readonly params: Float64Array;
  // Offsets of W1 (h×dim), b1, W2 (h×h), b2, w3 (h), b3 in params.
  readonly oW1: number;
  readonly oB1: number;
  readonly oW2: number;
  readonly oB2: number;
  readonly oW3: number;
  readonly oB3: number;
  readonly a1: Float64Array;
  readonly a2: Float64Array;

  constructor(dim: number, h: number, rng: Rng) {
    this.dim = dim;
    this.h = h;
    this.oW1 = 0;
    this.oB1 = h * dim;
    this.oW2 = this.oB1 + h;
    this.oB2 = this.oW2 + h * h;
    this.oW3 = this.oB2 + h;
    this.oB3 = this.oW3 + h;
    this.params = new Float64Array(this.oB3 + 1);
    this.a1 = new Float64Array(h);
    this.a2 = new Float64Array(h);
    // Glorot uniform, as scikit-learn: bound √(6/(fan_in + fan_out)) (√(2/…) for the logistic output), biases too.
    const init = (off: number, count: number, fanIn: number, fanOut: number, factor: number): void => {
      const b = Math.sqrt(factor / (fanIn + fanOut));
      for (let i = 0; i < count; i++) this.params[off + i] = (2 * rng.next() - 1) * b;
    };
    init(this.oW1, h * dim, dim, h, 6);
    init(this.oB1, h, dim, h, 6);
    init(this.oW2, h * h, h, h, 6);
    init(this.oB2, h, h, h, 6);
    init(this.oW3, h, h, 1, 2);
    init(this.oB3, 1, h, 1, 2);
  }

  /** Forward pass for row i of data; fills a1, a2; returns the logit. */
  forward(data: Float64Array, i: number): number {
    const { dim, h, params: w, a1, a2 } = this;
    const xo = i * dim;
    for (let u = 0; u < h; u++) {
      let s = w[this.oB1 + u];
      const ro = this.oW1 + u * dim;
      for (let d = 0; d < dim; d++) s += w[ro + d] * data[xo + d];
      a1[u] = s > 0 ? s : 0;
    }
    for (let u = 0; u < h; u++) {
      let s = w[this.oB2 + u];
      const ro = this.oW2 + u * h;
      for (let v = 0; v < h; v++) s += w[ro + v] * a1[v];
      a2[u] = s > 0 ? s : 0;
    }
    let z = w[this.oB3];
    for (let u = 0; u < h; u++) z += w[this.oW3 + u] * a2[u];
    return z;
  }

  predict(data: Float64Array, i: number): number {
    return 1 / (1 + Math.exp(-this.forward(data, i)));
  }

  /** Adam on minibatches until the loss stalls; returns the number of epochs. */
  fit(data: Float64Array, labels: Float64Array, train: Int32Array, o: C2stOptions, rng: Rng): number {
    const { dim, h, params: w } = this;
    const P = w.length;
    const grad = new Float64Array(P), m = new Float64Array(P), v = new Float64Array(P);
    const d2 = new Float64Array(h), d1 = new Float64Array(h);
    const idx = Int32Array.from(train);
    const n = idx.length;
    const batch = Math.min(o.batchSize, n);
    const b1 = 0.9, b2 = 0.999, eps = 1e-8;
    let step = 0, best = Infinity, stall = 0, epoch = 0;
    const nWeights = [[this.oW1, h * dim], [this.oW2, h * h], [this.oW3, h]] as const;
    while (epoch < o.maxEpochs) {
      epoch++;
      shuffle(idx, rng);
      let epochLoss = 0;
      for (let start = 0; start < n; start += batch) {
        const end = Math.min(n, start + batch);
        const bs = end - start;
        grad.fill(0);
        let batchLoss = 0;
        for (let q = start; q < end; q++) {
          const i = idx[q];
          const z = this.forward(data, i);
          const yv = labels[i];
          // log(1 + e^z) − y·z, written to stay finite for large |z|.
          batchLoss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - yv * z;
          const dz = 1 / (1 + Math.exp(-z)) - yv;
          grad[this.oB3] += dz;
          for (let u = 0; u < h; u++) {
            grad[this.oW3 + u] += dz * this.a2[u];
            d2[u] = this.a2[u] > 0 ? dz * w[this.oW3 + u] : 0;
          }
          d1.fill(0);
          for (let u = 0; u < h; u++) {
            const g = d2[u];
            if (g === 0) continue;
            grad[this.oB2 + u] += g;
            const ro = this.oW2 + u * h;
            for (let s = 0; s < h; s++) {
              grad[ro + s] += g * this.a1[s];
              d1[s] += g * w[ro + s];
            }
          }
          const xo = i * dim;
          for (let s = 0; s < h; s++) {
            const g = this.a1[s] > 0 ? d1[s] : 0;
            if (g === 0) continue;
            grad[this.oB1 + s] += g;
            const ro = this.oW1 + s * dim;
            for (let d = 0; d < dim; d++) grad[ro + d] += g * data[xo + d];
          }
        }
        // Mean over the batch plus the L2 penalty on weights (not biases), as scikit-learn.
        for (let k = 0; k < P; k++) grad[k] /= bs;
        let sq = 0;
        for (const [off, count] of nWeights) {
          for (let k = off; k < off + count; k++) { grad[k] += (o.l2 * w[k]) / bs; sq += w[k] * w[k]; }
        }
        epochLoss += batchLoss + 0.5 * o.l2 * sq;
        step++;
        const c1 = 1 - Math.pow(b1, step), c2 = 1 - Math.pow(b2, step);
        const lr = (o.learningRate * Math.sqrt(c2)) / c1;
        for (let k = 0; k < P; k++) {
          m[k] = b1 * m[k] + (1 - b1) * grad[k];
          v[k] = b2 * v[k] + (1 - b2) * grad[k] * grad[k];
          w[k] -= (lr * m[k]) / (Math.sqrt(v[k]) + eps);
        }
      }
      const loss = epochLoss / n;
      // scikit-learn: "no improvement" when the loss is not below best − tol; stop after `patience` + 1 such epochs.
      if (loss > best - o.tol) stall++;
      else stall = 0;
      if (loss < best) best = loss;
      if (stall > o.patience) break;
    }
    return epoch;
  }
}
