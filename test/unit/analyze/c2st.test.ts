import { describe, expect, it } from 'vitest';
import { c2st } from '../../../src-main/analyze/c2st.ts';
import { sampleStandardNormal } from '../../../src-main/simulate/random/distributions.ts';
import { rngFor } from '../../../src-main/simulate/random/rng.ts';
import { normalCdf } from '../../../src-main/simulate/random/special.ts';

/** n × dim samples of N(shift·e₁, I). */
function gaussian(n: number, dim: number, seed: number, shift = 0): Float64Array {
  const rng = rngFor(seed);
  const out = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) out[i * dim + d] = (d === 0 ? shift : 0) + sampleStandardNormal(rng);
  return out;
}

describe('C2ST', () => {
  it('is ≈ 0.5 for two samples of one distribution', () => {
    const r = c2st(gaussian(800, 2, 1), gaussian(800, 2, 2), 2, { seed: 1 });
    expect(r.foldAccuracies).toHaveLength(5);
    expect(r.accuracy).toBeGreaterThan(0.45);
    expect(r.accuracy).toBeLessThan(0.55);
  });

  it('approaches the Bayes accuracy Φ(δ/2) for Gaussians shifted by δ', () => {
    // δ = 1: Φ(0.5) = 0.691; δ = 2: Φ(1) = 0.841. The classifier can only do worse than Bayes, by a little.
    for (const [delta, n] of [[1, 1000], [2, 700]]) {
      const bayes = normalCdf(delta / 2);
      const r = c2st(gaussian(n, 2, 3), gaussian(n, 2, 4, delta), 2, { seed: 2 });
      expect(r.accuracy).toBeGreaterThan(bayes - 0.035);
      expect(r.accuracy).toBeLessThan(bayes + 0.025);
    }
  });

  it('is ≈ 1 for well separated samples and reproducible for a seed', () => {
    const x = gaussian(150, 2, 5), y = gaussian(150, 2, 6, 8);
    // Separable sets keep lowering the training loss; 120 epochs (240 Adam steps) are plenty to separate them.
    const r = c2st(x, y, 2, { seed: 4, maxEpochs: 120 });
    expect(r.accuracy).toBeGreaterThan(0.99);
    expect(c2st(x, y, 2, { seed: 4, maxEpochs: 120 })).toEqual(r);
  });

  it('refuses arrays that are not whole rows', () => {
    expect(() => c2st(new Float64Array(7), new Float64Array(8), 2)).toThrow(/whole rows of 2 values/);
  });
});
