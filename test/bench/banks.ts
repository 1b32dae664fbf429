/**
 * 'banks' benchmark (issue 3): bank generation rate of the SIR template (100 time points, noise,
 * all cores) including SQLite storage, against a compiled-C program doing the same work in the
 * same run (test/bench/c/bankref.c); and the peak resident memory of a 10^6-run bank.
 *
 * 1. Throughput — the product path, in process: createEngine() (workers: all cores), then
 *    project.create, model.add (resources/models/sir.json), design.create (100 times, 0 to 14 days
 *    as `sgnn design create --t-end 14 --points 100`), and per round bank.create + job.wait: the
 *    scheduler runs runBankJob, the worker pool simulates chunks of 5 000 runs (bank.create's
 *    default for 100 × 1 values), the main thread writes each chunk in its own transaction.
 *    Wall clock from bank.create to the end of job.wait, pool start-up included in round 1 only
 *    (the pool stays warm between rounds, as in the app). C: bankref on all cores, the same runs
 *    (same seed, same draws), chunks pwritten into one file, fdatasync at the end. JS and C
 *    rounds alternate; each side keeps its best round. Ratio JS/C (target ≥ 0.5).
 * 2. Proof of same work — the first 200 runs of the JS bank against bankref's: parameters bit
 *    for bit and the 100 noisy counts of each run.
 * 3. Peak RSS — `node bin/sgnn.js bank … --n 1000000` (quick: 100 000) as a child process under
 *    /usr/bin/time -v (or, without it, VmHWM polled from /proc), beside the same for 20 000 runs:
 *    memory must not grow with the bank (target < 1 GB resident).
 * 4. Storage alone — benchBankIo (src-main/store/bench-bank-io.ts): SQLite writes of the same
 *    shape, no simulation, to show the share of storage in (1).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../src-main/host/engine.ts';
import { openProject } from '../../src-main/store/project.ts';
import { benchBankIo } from '../../src-main/store/bench-bank-io.ts';
import { destroyPools } from '../../src-main/jobs/pool.ts';
import type { Model } from '../../src-main/model/schema.ts';
import type { BenchRow } from './bench-row.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const C_DIR = fileURLToPath(new URL('./c/', import.meta.url));
const C_BIN = `${C_DIR}build/bankref`;
const SEED = 20240601;
const N_TIMES = 100;
const T_END = 14;
const CHUNK = 5000;
const VERIFY_RUNS = 200;

/** The design of `sgnn design create --t-end 14 --points 100`. */
function designTimes(): number[] {
  return Array.from({ length: N_TIMES }, (_, k) => (k === N_TIMES - 1 ? T_END : (T_END * k) / (N_TIMES - 1)));
}

function buildReference(): { ok: true; compiler: string } | { ok: false; why: string } {
  const version = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return { ok: false, why: 'gcc not found' };
  mkdirSync(`${C_DIR}build`, { recursive: true });
  const cc = spawnSync('gcc', ['-O3', '-o', C_BIN, `${C_DIR}bankref.c`, '-lm', '-lpthread'], { encoding: 'utf8' });
  if (cc.status !== 0) return { ok: false, why: `gcc failed: ${cc.stderr.trim().split('\n').slice(0, 3).join(' ')}` };
  return { ok: true, compiler: `${version.stdout.split('\n')[0]} -O3` };
}

interface CBank { runs: number; threads: number; seconds: number; cpuSeconds: number; rate: number; failed: number; verify?: { params: number[]; obs: number[] }[] }

function runC(model: Model, runs: number, threads: number, out: string, verify = 0): CBank {
  const p = (id: string): Model['parameters'][number] => model.parameters.find((q) => q.id === id)!;
  const prior = (id: string): number[] => {
    const pr = p(id).prior as { dist: string; mu?: number; sigma?: number; rate?: number };
    if (pr.dist === 'lognormal') return [pr.mu!, pr.sigma!];
    if (pr.dist === 'exponential') return [pr.rate!];
    throw new Error(`bench: bankref.c has no sampler for the ${pr.dist} prior of ${id}`);
  };
  const lines = [
    `runs ${runs}`, `threads ${threads}`, `chunk ${CHUNK}`, `seed ${SEED}`, `verify ${verify}`, 't0 0', `out ${out}`,
    `params 5 ${['beta', 'gamma', 'phi_inv', 'N', 'I0'].map((id) => String(p(id).value)).join(' ')}`,
    `priors 5 ${[...prior('beta'), ...prior('gamma'), ...prior('phi_inv')].join(' ')}`,
    `times ${N_TIMES} ${designTimes().map(String).join(' ')}`,
  ];
  const r = spawnSync(C_BIN, [], { input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`bankref failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as CBank;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Peak RSS (kB) of a child process: /usr/bin/time -v when present, else VmHWM polled from /proc. */
async function childPeakRss(args: string[]): Promise<{ kb: number; seconds: number; stdout: string; how: string }> {
  const useTime = existsSync('/usr/bin/time');
  const cmd = useTime ? '/usr/bin/time' : process.execPath;
  const argv = useTime ? ['-v', process.execPath, ...args] : args;
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', hwm = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = useTime ? null : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch { /* exited */ }
    }, 100);
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const seconds = (performance.now() - start) / 1000;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      if (useTime) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        resolve({ kb: m ? Number(m[1]) : NaN, seconds, stdout, how: '/usr/bin/time -v' });
      } else resolve({ kb: hwm, seconds, stdout, how: 'VmHWM polled every 100 ms' });
    });
  });
}

function sgnn(args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/sgnn.js', ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sgnn ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

export async function bankBenchmarks(quick: boolean): Promise<BenchRow[]> {
  const cores = availableParallelism();
  const rounds = quick ? 2 : 3;
  const runsPerRound = quick ? 20_000 : 50_000;
  const bigRuns = quick ? 100_000 : 1_000_000;
  const model = JSON.parse(readFileSync(`${ROOT}resources/models/sir.json`, 'utf8')) as Model;
  const ref = buildReference();
  if (!ref.ok) process.stderr.write(`bench: bank C reference skipped (${ref.why})\n`);
  const dir = mkdtempSync(join(tmpdir(), 'sgnn-bench-banks-'));
  const rows: BenchRow[] = [];
  try {
    // ---- 1. throughput, JS (engine) and C alternating ----------------------------------------
    const path = join(dir, 'banks.sgnn');
    const engine = createEngine({ workers: cores });
    let firstBankId = 0;
    const js = { best: 0, bestCpu: 0, first: 0, rounds: [] as { seconds: number; rate: number; cpuRate: number }[] };
    const c = { best: 0, bestCpu: 0, rounds: [] as CBank[] };
    try {
      await engine.handle('project.create', { path, name: 'bank benchmark' });
      const { modelId } = await engine.handle('model.add', { project: path, model }) as { modelId: number };
      const { designId } = await engine.handle('design.create', { project: path, name: '100 times', times: designTimes(), observables: ['cases'] }) as { designId: number };
      for (let r = 0; r < rounds; r++) {
        if (ref.ok) {
          const res = runC(model, runsPerRound, cores, join(dir, 'bankref.bin'));
          c.rounds.push(res);
          c.best = Math.max(c.best, res.rate);
          c.bestCpu = Math.max(c.bestCpu, res.runs / res.cpuSeconds);
        }
        const cpu0 = cpuSeconds();
        const t0 = performance.now();
        const { jobId, bankId } = await engine.handle('bank.create', { project: path, models: [{ modelId }], designId, n: runsPerRound, seed: SEED }) as { jobId: number; bankId: number };
        const job = await engine.handle('job.wait', { project: path, jobId }) as { status: string; error?: unknown };
        const seconds = (performance.now() - t0) / 1000;
        const cpu = cpuSeconds() - cpu0;
        if (job.status !== 'succeeded') throw new Error(`bench: bank job ${jobId} ended ${job.status}: ${JSON.stringify(job.error)}`);
        firstBankId ||= bankId;
        const round = { seconds, rate: runsPerRound / seconds, cpuRate: runsPerRound / cpu };
        js.rounds.push(round);
        if (r === 0) js.first = round.rate;
        js.best = Math.max(js.best, round.rate);
        js.bestCpu = Math.max(js.bestCpu, round.cpuRate);
        if (process.env.BENCH_DEBUG) process.stderr.write(`  round ${r}: C ${fmt(c.rounds.at(-1)?.rate ?? 0)} runs/s (${fmt((c.rounds.at(-1)?.runs ?? 0) / (c.rounds.at(-1)?.cpuSeconds ?? 1))}/CPU-s), JS ${fmt(round.rate)} runs/s (${fmt(round.cpuRate)}/CPU-s)\n`);
      }
    } finally {
      await engine.close();
      await destroyPools();
    }

    // ---- 1b. the same banks on one worker (in-process) and C on one thread: the speed-up ------
    const one = { best: 0, rounds: [] as number[] };
    const cOne = { best: 0, rounds: [] as number[] };
    if (cores > 1) {
      const path1 = join(dir, 'banks-1.sgnn');
      const engine1 = createEngine({ workers: 1 });
      try {
        await engine1.handle('project.create', { path: path1, name: 'bank benchmark, 1 worker' });
        const { modelId } = await engine1.handle('model.add', { project: path1, model }) as { modelId: number };
        const { designId } = await engine1.handle('design.create', { project: path1, name: '100 times', times: designTimes(), observables: ['cases'] }) as { designId: number };
        for (let r = 0; r < rounds; r++) {
          if (ref.ok) {
            const res = runC(model, runsPerRound, 1, join(dir, 'bankref-1.bin'));
            cOne.rounds.push(res.rate);
            cOne.best = Math.max(cOne.best, res.rate);
          }
          const t0 = performance.now();
          const { jobId } = await engine1.handle('bank.create', { project: path1, models: [{ modelId }], designId, n: runsPerRound, seed: SEED }) as { jobId: number };
          const job = await engine1.handle('job.wait', { project: path1, jobId }) as { status: string; error?: unknown };
          if (job.status !== 'succeeded') throw new Error(`bench: bank job ${jobId} (1 worker) ended ${job.status}: ${JSON.stringify(job.error)}`);
          const rate = runsPerRound / ((performance.now() - t0) / 1000);
          one.rounds.push(rate);
          one.best = Math.max(one.best, rate);
        }
      } finally {
        await engine1.close();
      }
    }

    // ---- 2. same work: the first runs of the JS bank against bankref --------------------------
    let workNote = 'no C reference';
    let sameParams = 0, sameObs = 0, maxRel = 0;
    if (ref.ok) {
      const cv = runC(model, VERIFY_RUNS, 1, '/dev/null', VERIFY_RUNS).verify!;
      const project = openProject(path);
      try {
        const chunk = project.banks.readChunks(firstBankId).next().value!;
        const nP = chunk.params.length / chunk.nRuns;
        for (let r = 0; r < VERIFY_RUNS; r++) {
          if ([0, 1, 2].every((j) => chunk.params[r * nP + j] === cv[r].params[j])) sameParams++;
          for (let j = 0; j < 3; j++) maxRel = Math.max(maxRel, Math.abs(chunk.params[r * nP + j] - cv[r].params[j]) / Math.abs(cv[r].params[j]));
          let same = true;
          for (let k = 0; k < N_TIMES; k++) {
            const a = chunk.observations[r * N_TIMES + k];
            if (!(a === cv[r].obs[k] || (Number.isNaN(a) && cv[r].obs[k] === -1))) same = false;
          }
          if (same) sameObs++;
        }
      } finally {
        project.close();
      }
      workNote = `first ${VERIFY_RUNS} runs of the JS bank vs bankref (same seed): parameters bit-identical in ${sameParams} (the others differ by ≤ ${maxRel.toExponential(1)} relative: 1–2 ulp differences of V8's Math.exp/Math.log and glibc's exp/log in the lognormal and exponential draws; the normal draws are identical), all ${N_TIMES} noisy counts identical in ${sameObs}`;
    }
    const cFailed = c.rounds.reduce((s, x) => s + x.failed, 0);
    const problem = `SIR template (beta ~ LogNormal(0,1), gamma ~ LogNormal(-1.1,0.6), phi_inv ~ Exp(5)), ${N_TIMES} times on [0, ${T_END}], method auto, rtol 1e-8, atol 1e-10, negative-binomial noise, chunks of ${CHUNK}, ${runsPerRound.toLocaleString('en-US')} runs per round, ${rounds} rounds alternating C/JS, ${cores} cores`;
    rows.push({
      name: `bank SIR ×${runsPerRound / 1000}k, ${cores} workers, incl. SQLite`, value: js.best, unit: 'runs/s (wall)',
      reference: ref.ok ? `C bankref, ${cores} threads, to file` : 'C skipped', referenceValue: ref.ok ? c.best : undefined,
      ratio: ref.ok ? js.best / c.best : undefined, target: 'JS/C ≥ 0.5',
      note: `banks: ${problem}. JS best ${fmt(js.best)} runs/s (rounds: ${js.rounds.map((r) => fmt(r.rate)).join(', ')}; round 1 includes the worker pool's start-up), C best ${fmt(c.best)} runs/s (${c.rounds.map((r) => fmt(r.rate)).join(', ')}; ${cFailed} failed runs). ` +
        `Per CPU-second of the whole process (all threads, a steadier measure on this shared machine): JS ${fmt(js.bestCpu)}, C ${fmt(c.bestCpu)}, JS/C ${(js.bestCpu / c.bestCpu).toFixed(2)}. ${workNote}`,
      details: { problem, js, c, compiler: ref.ok ? ref.compiler : null, sameParams, sameObs, maxParamRelDiff: maxRel, verifyRuns: VERIFY_RUNS },
    });
    if (ref.ok) {
      rows.push({
        name: 'bank SIR: per CPU-second (all threads)', value: js.bestCpu, unit: 'runs/CPU-s',
        reference: 'C bankref', referenceValue: c.bestCpu, ratio: js.bestCpu / c.bestCpu, target: 'JS/C (efficiency)',
      });
    }

    if (cores > 1) {
      const machine = ref.ok ? c.best / cOne.best : undefined;
      rows.push({
        name: `bank SIR: ${cores} workers vs 1`, value: js.best, unit: 'runs/s (wall)',
        reference: '1 worker (in-process)', referenceValue: one.best, ratio: js.best / one.best, target: `N/1 ≥ 1.8 (N=${cores})`,
        note: `bank speed-up: the same ${runsPerRound.toLocaleString('en-US')}-run banks with ${cores} workers (best ${fmt(js.best)} runs/s) and with 1 (in-process, rounds ${one.rounds.map(fmt).join(', ')}): ${(js.best / one.best).toFixed(2)}× ` +
          '(with 1 worker the same thread also writes SQLite, which N workers overlap with simulating: not a pure parallel speed-up, and C bankref writes a plain file)' +
          (machine === undefined ? '' : `; C bankref on ${cores} threads vs 1 in the same run: ${fmt(c.best)} vs ${fmt(cOne.best)} runs/s, ${machine.toFixed(2)}× (what this machine allowed)`),
        details: { one, cOne, machine },
      });
    }

    // ---- 4. storage alone ---------------------------------------------------------------------
    const io = benchBankIo(join(dir, 'io.sgnn'), quick ? 100_000 : 200_000, { chunkSize: CHUNK, nTimes: N_TIMES });
    rows.push({
      name: 'bank storage alone (benchBankIo write)', value: io.writeRunsPerSec, unit: 'runs/s',
      reference: 'JS bank incl. simulation', referenceValue: js.best, ratio: io.writeRunsPerSec / js.best, target: 'storage/total ≫ 1',
      note: `benchBankIo: ${io.nRuns.toLocaleString('en-US')} runs × ${N_TIMES} float32 in chunks of ${CHUNK}: write ${fmt(io.writeRunsPerSec)} runs/s, read ${fmt(io.readRunsPerSec)} runs/s, file ${io.fileMb.toFixed(0)} MB, peak RSS ${io.peakRssMb.toFixed(0)} MB; storage costs ~${(100 * js.best / io.writeRunsPerSec).toFixed(0)}% of the main thread's time at the JS bank rate`,
      details: { io },
    });

    // ---- 3. peak RSS of a big bank (the CLI, child process) -----------------------------------
    const file = join(dir, 'rss.sgnn');
    sgnn(['project', 'new', file, '--json']);
    const mid = (JSON.parse(sgnn(['model', 'add', file, `${ROOT}resources/models/sir.json`, '--json'])) as { modelId: number }).modelId;
    const did = (JSON.parse(sgnn(['design', 'create', file, '--t-end', String(T_END), '--points', String(N_TIMES), '--observables', 'cases', '--json'])) as { designId: number }).designId;
    const bankArgs = (n: number): string[] => ['bin/sgnn.js', 'bank', file, '--model', String(mid), '--design', String(did), '--n', String(n), '--seed', String(SEED), '--json'];
    const small = await childPeakRss(bankArgs(20_000));
    const big = await childPeakRss(bankArgs(bigRuns));
    const bigJob = (JSON.parse(big.stdout) as { job?: { seconds: number }; nFailed: number }).job;
    const fileMb = statSync(file).size / 2 ** 20;
    rows.push({
      name: `bank peak RSS, ${bigRuns.toLocaleString('en-US')} runs (sgnn bank)${quick ? ' [quick: 10^5, not 10^6]' : ''}`, value: big.kb / 1024, unit: 'MB',
      reference: '20 000 runs', referenceValue: small.kb / 1024, ratio: big.kb / small.kb, target: '< 1024 MB; ratio ≈ 1',
      note: `peak RSS of \`sgnn bank --n ${bigRuns}\` (${big.how}, whole process incl. ${cores} worker threads): ${(big.kb / 1024).toFixed(0)} MB vs ${(small.kb / 1024).toFixed(0)} MB for 20 000 runs; ` +
        `the ${bigRuns.toLocaleString('en-US')}-run bank took ${big.seconds.toFixed(0)} s (job ${bigJob?.seconds.toFixed(0) ?? '?'} s: ${bigJob ? fmt(bigRuns / bigJob.seconds) : '?'} runs/s), project file ${fileMb.toFixed(0)} MB`,
      details: { big: { kb: big.kb, seconds: big.seconds, jobSeconds: bigJob?.seconds }, small: { kb: small.kb, seconds: small.seconds }, fileMb, how: big.how },
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
