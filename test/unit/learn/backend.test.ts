/**
 * Backend selection (the native packages are not installed here, so 'auto' falls back to wasm and
 * says why) and the wasm transposed-matMul fix: equal to the cpu backend within 1e-5 relative to
 * the product's scale, for every transpose combination, batched, fused and through gradients.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backendInfo, describeBackend, initBackend, setWasmMatMulFix } from '../../../src-main/learn/backend.ts';
import { rngFor } from '../../../src-main/simulate/random/rng.ts';
import { sampleStandardNormal } from '../../../src-main/simulate/random/distributions.ts';

function randomArray(n: number, seed: number): Float32Array {
  const rng = rngFor(seed, 0);
  return Float32Array.from({ length: n }, () => sampleStandardNormal(rng));
}

/** Result of fn on the named backend, from fresh inputs (so nothing migrates between backends). */
async function on(backend: 'wasm' | 'cpu', fn: () => tf.Tensor): Promise<Float32Array> {
  await initBackend(backend);
  const t = tf.tidy(fn);
  const v = Float32Array.from(t.dataSync() as Float32Array);
  t.dispose();
  return v;
}

function maxScaledDiff(a: Float32Array, b: Float32Array, scale: number): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / scale);
  return m;
}

describe('initBackend', () => {
  afterAll(async () => {
    await initBackend('wasm');
  });

  it("'auto' falls back past the missing native packages to wasm and records why", async () => {
    expect(await initBackend('auto')).toBe('wasm');
    const info = backendInfo();
    expect(info?.name).toBe('wasm');
    expect(info?.tfBackend).toBe('wasm');
    expect(info?.wasmMatMulFix).toBe(true);
    expect(info?.fallbacks.map((f) => f.backend)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(info?.fallbacks[0].reason).toMatch(/tfjs-node-gpu/);
    expect(describeBackend()).toMatch(/backend wasm .*tensorflow-gpu unavailable/);
  });

  it('gives cpu when asked and rejects unknown names', async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    // @ts-expect-error: checks the run-time guard for callers outside TypeScript
    await expect(initBackend('gpu')).rejects.toThrow(/unknown backend 'gpu'; valid: auto, tensorflow-gpu/);
  });
});

describe('wasm matMul fix', () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[37, 53], [53, 29], false, false],
    [[53, 37], [53, 29], true, false],
    [[37, 53], [29, 53], false, true],
    [[53, 37], [29, 53], true, true],
    [[3, 53, 37], [3, 29, 53], true, true],
    [[4, 17, 23], [4, 17, 11], true, false],
  ];
  for (const [sa, sb, ta, tb] of cases) {
    it(`equals cpu for a ${sa.join('×')} · b ${sb.join('×')}, transposeA=${ta}, transposeB=${tb}`, async () => {
      const a = randomArray(sa.reduce((x, y) => x * y), 1), b = randomArray(sb.reduce((x, y) => x * y), 2);
      const f = (): tf.Tensor => tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), ta, tb);
      const ref = await on('cpu', f);
      const fixed = await on('wasm', f);
      // Entries are sums of ~50 products of N(0,1): scale √k.
      expect(maxScaledDiff(fixed, ref, Math.sqrt(53))).toBeLessThan(1e-5);
    });
  }

  it('equals cpu for the fused kernel (bias + relu) and for gradients of a dense layer', async () => {
    const x = randomArray(64 * 40, 3), w = randomArray(40 * 30, 4), bias = randomArray(64, 5);
    // The wasm fused kernel takes a rank-1 bias along the output's last axis.
    const fused = (): tf.Tensor => tf.fused.matMul({
      a: tf.tensor2d(w, [40, 30]), b: tf.tensor2d(x, [64, 40]), transposeA: true, transposeB: true, bias: tf.tensor1d(bias), activation: 'relu',
    });
    expect(maxScaledDiff(await on('wasm', fused), await on('cpu', fused), Math.sqrt(40))).toBeLessThan(1e-5);
    const grad = (): tf.Tensor => {
      const g = tf.grad((wt: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.matMul(tf.tensor2d(x, [64, 40]), wt as tf.Tensor2D)))));
      return g(tf.tensor2d(w, [40, 30]));
    };
    const ref = await on('cpu', grad);
    const scale = Math.max(...ref.map(Math.abs));
    expect(maxScaledDiff(await on('wasm', grad), ref, scale)).toBeLessThan(1e-5);
  });

  it('can be switched off and on again, and leaks no tensors', async () => {
    await initBackend('wasm');
    const a = tf.tensor2d(randomArray(20 * 30, 6), [30, 20]), b = tf.tensor2d(randomArray(30 * 10, 7), [30, 10]);
    const before = tf.memory().numTensors;
    const fixed = tf.matMul(a, b, true, false).dataSync().slice();
    setWasmMatMulFix(false);
    expect(backendInfo()?.wasmMatMulFix).toBe(false);
    const stock = tf.matMul(a, b, true, false).dataSync().slice();
    setWasmMatMulFix(true);
    expect(backendInfo()?.wasmMatMulFix).toBe(true);
    expect(maxScaledDiff(Float32Array.from(fixed), Float32Array.from(stock), Math.sqrt(30))).toBeLessThan(1e-5);
    tf.dispose([a, b]);
    // The two results were read and dropped: only they may remain beyond the inputs' release.
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
  });
});
