import { describe, expect, it } from 'vitest';
import {
  bd0, betaInc, betaIncInverse, gammaP, gammaPInverse, gammaQ, lbeta, lgamma, logGammaQ, normalCdf,
  normalLogCdf, normalLogIntervalMass, normalQuantile, stirlerr,
} from '../../../../src-main/simulate/random/special.ts';

/** |a − b| ≤ tol·max(1, |b|)-style check that reports both numbers. */
function close(a: number, b: number, rel: number, abs = 0): void {
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(rel * Math.abs(b) + abs);
}

describe('lgamma', () => {
  it('matches known values to 1e-14', () => {
    close(lgamma(0.5), 0.5 * Math.log(Math.PI), 0, 1e-15);
    close(lgamma(1), 0, 0, 1e-15);
    close(lgamma(2), 0, 0, 1e-15);
    close(lgamma(3), Math.log(2), 0, 1e-15);
    close(lgamma(10), Math.log(362880), 1e-15);
    close(lgamma(100), 359.13420536957539878, 1e-15);
    close(lgamma(1e-8), 18.420680738180209, 1e-15); // −log x − γx
    close(lgamma(-0.5), Math.log(2 * Math.sqrt(Math.PI)), 1e-15);
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-3)).toBe(Infinity);
  });

  it('satisfies lgamma(x + 1) − lgamma(x) = log x to 1e-14 over (0.01, 60)', () => {
    for (let x = 0.01; x < 60; x *= 1.07) close(lgamma(x + 1) - lgamma(x), Math.log(x), 0, 1.5e-14 * Math.max(1, Math.abs(lgamma(x))));
  });

  it('agrees with log n! summed exactly for integers up to 170', () => {
    let lf = 0;
    for (let n = 1; n <= 170; n++) {
      lf += Math.log(n);
      close(lgamma(n + 1), lf, 2e-15, 1e-15);
    }
  });

  it('lbeta avoids cancellation for large arguments', () => {
    // The recurrence B(a, b+1) = B(a, b)·b/(a+b). lbeta is ~−1.9e6 here (ulp 2e-10); a sum of lgammas of
    // size ~4e7 would carry errors of ~1e-8.
    const a = 1e6, b = 2e6;
    close(lbeta(a, b + 1) - lbeta(a, b), Math.log(b / (a + b)), 0, 1e-9);
    close(lbeta(3, 4), Math.log(1 / 60), 0, 1e-15);
    close(lbeta(0.5, 0.5), Math.log(Math.PI), 0, 1e-15);
  });
});

describe('stirlerr and bd0', () => {
  it('match the tabulated values of Loader (2000) / R', () => {
    close(stirlerr(1), 0.0810614667953272582196702, 1e-15);
    close(stirlerr(2), 0.0413406959554092940938221, 1e-15);
    close(stirlerr(3), 0.02767792568499833914878929, 1e-15);
    close(stirlerr(10), 0.008330563433362871256469318, 0, 1e-16);
    close(stirlerr(0.5), 0.1534264097200273452913848, 1e-14);
    close(stirlerr(7.5), 0.01110455975820691732662991, 1e-14);
  });

  it('bd0 is accurate near x = m, where the naive formula cancels', () => {
    // bd0(x, m) = m·[r·log r + 1 − r], r = x/m; for r = 1 + δ: ≈ m·δ²/2·(1 − δ/3).
    const m = 1e6, delta = 1e-6;
    close(bd0(m * (1 + delta), m), m * (delta * delta / 2 - delta ** 3 / 6), 1e-9);
    close(bd0(3, 7), 3 * Math.log(3 / 7) + 4, 1e-14);
  });
});

describe('incomplete gamma', () => {
  it('matches closed forms', () => {
    for (const x of [1e-3, 0.5, 1, 2, 5, 20]) close(gammaP(1, x), -Math.expm1(-x), 1e-14);
    close(gammaP(3, 2), 1 - 5 * Math.exp(-2), 1e-14);
    close(gammaP(0.5, 1), 0.8427007929497149, 1e-14); // erf(1)
    close(gammaQ(0.5, 25), 1.5374597944280349e-12, 1e-13); // erfc(5)
  });

  it('matches the Poisson-sum identity Q(k, x) = P(Poisson(x) < k) for k up to 400', () => {
    for (const [k, x] of [[10, 7.5], [100, 90], [100, 130], [400, 380], [400, 500]]) {
      // Terms are positive: the sum is exact to rounding.
      let term = Math.exp(-x), sum = 0;
      if (term === 0) {
        // exp(−500) underflows: carry the sum in logs.
        let lt = -x, ls = -Infinity;
        for (let i = 0; i < k; i++) {
          ls = Math.max(ls, lt) + Math.log1p(Math.exp(-Math.abs(ls - lt)));
          lt += Math.log(x) - Math.log(i + 1);
        }
        close(logGammaQ(k, x), ls, 1e-12);
        continue;
      }
      for (let i = 0; i < k; i++) {
        sum += term;
        term *= x / (i + 1);
      }
      close(gammaQ(k, x), sum, 1e-12);
    }
  });

  it('inverts to 1e-10 and matches chi-square tables', () => {
    close(2 * gammaPInverse(0.5, 0.95), 3.841458820694124, 1e-12); // χ²₁ 95%
    close(2 * gammaPInverse(5, 0.95), 18.307038053275146, 1e-12); // χ²₁₀ 95%
    close(2 * gammaPInverse(50, 0.01), 70.0648949, 1e-9); // χ²₁₀₀ 1%
    for (const a of [0.01, 0.3, 1, 4.5, 80, 1e4]) {
      for (const q of [1e-300, 1e-12, 1e-3, 0.2, 0.5, 0.9, 1 - 1e-9]) {
        const x = gammaPInverse(a, q);
        // Lower tail P ≈ x^a/Γ(a+1): e.g. a = 0.01, q = 1e-12 has quantile ~1e-1200, below the doubles.
        if ((Math.log(q) + lgamma(a + 1)) / a < -700) {
          expect(x).toBeLessThan(1e-300);
          continue;
        }
        const back = q <= 0.5 ? gammaP(a, x) : 1 - gammaQ(a, x);
        close(back, q, 1e-10);
      }
    }
  });
});

describe('incomplete beta', () => {
  it('matches closed forms and the binomial-sum identity', () => {
    for (const x of [1e-6, 0.1, 0.5, 0.9, 0.999]) {
      close(betaInc(1, 3.5, x), -Math.expm1(3.5 * Math.log1p(-x)), 1e-14);
      close(betaInc(2.5, 1, x), x ** 2.5, 1e-14);
      close(betaInc(0.5, 0.5, x), 2 / Math.PI * Math.asin(Math.sqrt(x)), 1e-13);
    }
    // I_p(k, n−k+1) = P(Binomial(n, p) ≥ k).
    const n = 30, p = 0.37;
    for (const k of [1, 5, 11, 20, 30]) {
      let s = 0;
      for (let j = k; j <= n; j++) {
        let c = 1;
        for (let i = 0; i < j; i++) c = c * (n - i) / (i + 1);
        s += c * p ** j * (1 - p) ** (n - j);
      }
      close(betaInc(k, n - k + 1, p), s, 1e-13);
    }
  });

  it('inverts to 1e-10 in both tails', () => {
    close(betaIncInverse(2, 3, 0.5), 0.38572756813238945, 1e-13);
    for (const q of [1e-9, 0.05, 0.5, 0.95]) close(betaIncInverse(0.5, 0.5, q), Math.sin(Math.PI * q / 2) ** 2, 1e-12);
    for (const [a, b] of [[0.05, 0.05], [0.5, 3], [2, 3], [40, 2], [1e3, 3e3]]) {
      for (const q of [1e-200, 1e-10, 0.01, 0.5, 0.99, 1 - 1e-10]) {
        const x = betaIncInverse(a, b, q);
        // Lower tail I ≈ x^a/(a·B): for a = 0.05, q = 1e-200 the quantile is ~1e-4000, below the doubles;
        // likewise 1 − x in the upper tail, where x then rounds to 1.
        if ((Math.log(q) + Math.log(a) + lbeta(a, b)) / a < -700) {
          expect(x).toBeLessThan(1e-300);
          continue;
        }
        if ((Math.log1p(-q) + Math.log(b) + lbeta(a, b)) / b < -37) {
          expect(x).toBeGreaterThan(1 - 1e-15);
          continue;
        }
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
        const back = q <= 0.5 ? betaInc(a, b, x) : 1 - betaInc(b, a, 1 - x);
        close(back, q, 1e-10);
      }
    }
  });
});

describe('normal CDF and quantile', () => {
  it('matches known values, including far tails', () => {
    close(normalCdf(-1.96), 0.024997895148220435, 1e-14);
    close(normalCdf(1), 0.8413447460685429, 1e-15);
    close(normalCdf(-10), 7.619853024160527e-24, 1e-13);
    close(normalLogCdf(-40), -804.6084420137538, 1e-14);
    close(normalQuantile(0.975), 1.959963984540054, 1e-15);
    close(normalQuantile(1e-10), -6.361340902404056, 1e-14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it('Φ(Φ⁻¹(p)) = p to 1e-14·max(1, x²/25) from 1e-300 to 1 − 1e-16', () => {
    for (let lp = -300; lp < -0.3; lp += 3.7) {
      const p = 10 ** lp;
      const x = normalQuantile(p);
      // Conditioning: one ulp of x moves Φ by a relative |x|·ulp(x) ≈ x²·1.1e-16 (1.5e-13 at x = −37).
      close(normalCdf(x), p, 1e-14 * Math.max(1, x * x / 25));
      if (p > 1e-16) close(normalCdf(normalQuantile(1 - p)), 1 - p, 1e-15);
    }
  });

  it('interval masses stay finite and accurate deep in a tail', () => {
    // Mills ratio: P(Z > 40) ≈ φ(40)/40·(1 − 1/40² + 3/40⁴); the interval [40, 41] has nearly all of it.
    const lsf40 = -800 - 0.5 * Math.log(2 * Math.PI) - Math.log(40) + Math.log1p(-1 / 1600 + 3 / 40 ** 4 - 15 / 40 ** 6);
    close(normalLogIntervalMass(40, Infinity), lsf40, 1e-12);
    close(normalLogIntervalMass(-Infinity, -40), lsf40, 1e-12);
    close(normalLogIntervalMass(40, 41), lsf40, 1e-12);
    close(normalLogIntervalMass(-1, 2), Math.log(normalCdf(2) - normalCdf(-1)), 1e-14);
  });
});
