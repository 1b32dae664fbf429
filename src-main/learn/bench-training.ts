/**
 * Training throughput of the reference MLP (100 inputs → 256 → 256 → 8 outputs, batch 256, Adam),
 * through the same code as trainNetwork (mean head with 2 parameters = 8 outputs; 50 time points
 * × 1 observable = 100 inputs with the mask channel). For `npm run bench`.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './types.ts';
import { backendInfo, initBackend, setWasmMatMulFix } from './backend.ts';
import { trainNetwork } from './train.ts';
import type { TrainingData } from './types.ts';
import { rngFor } from '../simulate/random/rng.ts';
import { sampleStandardNormal } from '../simulate/random/distributions.ts';

export interface TrainingThroughput {
  samplesPerSec: number;
  /** Per second of this process's CPU time: steadier than wall time on a shared machine (training is single-threaded). */
  samplesPerCpuSec: number;
  backend: BackendName;
  /** wasm only: whether the transposed-matMul fix was on. */
  matMulFix?: boolean;
}

function benchData(nRuns: number): TrainingData {
  const nTimes = 50, rng = rngFor(7, 0);
  const theta = new Float64Array(nRuns * 2), x = new Float32Array(nRuns * nTimes);
  for (let r = 0; r < nRuns; r++) {
    const a = sampleStandardNormal(rng), b = sampleStandardNormal(rng);
    theta[2 * r] = a;
    theta[2 * r + 1] = b;
    for (let t = 0; t < nTimes; t++) x[r * nTimes + t] = a + b * (t / nTimes) + 0.3 * sampleStandardNormal(rng);
  }
  return {
    nRuns, times: Float64Array.from({ length: nTimes }, (_, t) => t), observables: [{ id: 'y', noise: 'normal' }],
    x, paramIds: ['a', 'b'], priors: [{ dist: 'normal', mean: 0, sd: 1 }, { dist: 'normal', mean: 0, sd: 1 }], theta,
    modelLabels: new Int32Array(nRuns), modelNames: ['m'], modelPrior: [1],
  };
}

/**
 * Samples per second of training on `backend` ('wasm-stock' = wasm without the matMul fix).
 * Times `epochs` epochs of `nRuns` runs after one warm-up epoch (validation is a small share).
 */
export async function benchTrainingThroughput(backend: BackendName | 'wasm-stock', o: { nRuns?: number; epochs?: number } = {}): Promise<TrainingThroughput> {
  const name = await initBackend(backend === 'wasm-stock' ? 'wasm' : backend);
  if (name === 'wasm') setWasmMatMulFix(backend !== 'wasm-stock');
  try {
    const nRuns = o.nRuns ?? 5120, epochs = o.epochs ?? 2;
    const data = benchData(nRuns);
    const options = { head: 'mean', encoder: 'mlp', width: 256, depth: 2, batchSize: 256, validationFraction: 0.05, maskRate: 0, seed: 1, patience: 1000 } as const;
    await trainNetwork(data, { ...options, epochs: 1 });
    const start = performance.now(), cpuStart = process.cpuUsage();
    const net = await trainNetwork(data, { ...options, epochs });
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const trained = net.history.length * Math.round(nRuns * (1 - options.validationFraction));
    tf.disposeVariables();
    return { samplesPerSec: trained / seconds, samplesPerCpuSec: trained / cpuSeconds, backend: name, ...(name === 'wasm' ? { matMulFix: backendInfo()?.wasmMatMulFix ?? false } : {}) };
  } finally {
    if (name === 'wasm') setWasmMatMulFix(true);
  }
}
