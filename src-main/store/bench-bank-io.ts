/**
 * Bank I/O benchmark for `npm run bench`: writes then streams back a bank shaped like an SIR study
 * (2 parameters, 100 times × 1 observable in float32, chunks of 10 000 runs) and reports
 * throughput and the peak resident memory seen, which must not grow with the number of runs.
 * Data are generated once per chunk shape, so the numbers measure the store, not a simulator.
 */
import { rmSync } from 'node:fs';
import { createProject } from './project.ts';

export interface BankIoBench {
  nRuns: number;
  chunkSize: number;
  writeRunsPerSec: number;
  readRunsPerSec: number;
  /** Peak RSS sampled after every chunk, write and read phases together. */
  peakRssMb: number;
  /** RSS before the bank was written. */
  baselineRssMb: number;
  fileMb: number;
  writeSeconds: number;
  readSeconds: number;
}

/** Writes and reads back an nRuns bank in a new project at `path` (removed afterwards unless keep). */
export function benchBankIo(path: string, nRuns: number, options: { chunkSize?: number; nTimes?: number; keep?: boolean } = {}): BankIoBench {
  const chunkSize = options.chunkSize ?? 10_000;
  const nTimes = options.nTimes ?? 100;
  const nParams = 2;
  const mb = (bytes: number): number => bytes / 2 ** 20;
  const project = createProject(path, { name: 'bank I/O benchmark' });
  try {
    const times = Float64Array.from({ length: nTimes }, (_, k) => k + 1);
    const designId = project.designs.add({ name: 'daily', times, observables: ['cases'] });
    const { modelId, version } = project.models.save({ format: 'sgnn-model/1', name: 'SIR', parameters: [], species: [], rules: [], odes: [], reactions: [], observables: [] });
    const bankId = project.banks.create({
      name: `bench ${nRuns}`, designId, models: [{ modelId, version, label: 'SIR', weight: 1 }],
      seed: 1, nTotal: nRuns, chunkSize, noise: true, spec: { bench: true }, paramNames: ['beta', 'gamma'],
    });

    // One chunk of plausible epidemic curves, reused with a per-chunk marker so every chunk differs.
    const full = { params: new Float64Array(chunkSize * nParams), observations: new Float32Array(chunkSize * nTimes), modelLabels: new Int32Array(chunkSize) };
    for (let r = 0; r < chunkSize; r++) {
      const beta = 0.2 + 0.6 * ((r * 7919) % 1000) / 1000;
      const gamma = 0.05 + 0.2 * ((r * 104729) % 1000) / 1000;
      full.params[r * 2] = beta;
      full.params[r * 2 + 1] = gamma;
      for (let k = 0; k < nTimes; k++) full.observations[r * nTimes + k] = Math.round(1000 * Math.exp(-((k - 40 * gamma / beta) ** 2) / 200));
    }

    let peak = process.memoryUsage.rss();
    const baseline = peak;
    const nChunks = Math.ceil(nRuns / chunkSize);
    const t0 = performance.now();
    for (let c = 0; c < nChunks; c++) {
      const n = Math.min(chunkSize, nRuns - c * chunkSize);
      const params = n === chunkSize ? full.params : full.params.subarray(0, n * nParams);
      params[0] = c;
      project.banks.writeChunk(bankId, c, {
        nRuns: n, params,
        observations: n === chunkSize ? full.observations : full.observations.subarray(0, n * nTimes),
        modelLabels: n === chunkSize ? full.modelLabels : full.modelLabels.subarray(0, n),
      });
      peak = Math.max(peak, process.memoryUsage.rss());
    }
    project.banks.markComplete(bankId);
    const writeSeconds = (performance.now() - t0) / 1000;

    const t1 = performance.now();
    let runs = 0;
    let check = 0;
    for (const chunk of project.banks.readChunks(bankId)) {
      runs += chunk.nRuns;
      check += chunk.observations[chunk.observations.length - 1] + chunk.params[0];
      peak = Math.max(peak, process.memoryUsage.rss());
    }
    const readSeconds = (performance.now() - t1) / 1000;
    if (runs !== nRuns || !Number.isFinite(check)) throw new Error(`bank benchmark read back ${runs} runs of ${nRuns}`);
    const fileMb = mb(project.info().fileBytes);
    return {
      nRuns, chunkSize,
      writeRunsPerSec: nRuns / writeSeconds,
      readRunsPerSec: nRuns / readSeconds,
      peakRssMb: mb(peak),
      baselineRssMb: mb(baseline),
      fileMb, writeSeconds, readSeconds,
    };
  } finally {
    project.close();
    if (options.keep !== true) for (const s of ['', '-wal', '-shm']) rmSync(path + s, { force: true });
  }
}
