/**
 * Simulator benchmarks: ODE (dopri5, rodas, auto), SSA (direct method) and tau-leaping, each JS
 * number beside the same algorithm in C (test/bench/c/simref.c, gcc -O3) measured in the same run,
 * plus the worker-pool speed-up of simulateRuns. See test/bench/README.md for how to read them.
 *
 * Timing: C and JS windows alternate (round r: one C window, then one JS window) and each side
 * keeps its best window, so a burst of load from other processes on this shared machine hits both
 * sides alike. JS is warmed up first (JIT). Before timing, one run of each side is compared: steps,
 * rejected steps, f evaluations and the outputs themselves, so both provably do the same work.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileModel } from '../../src-main/model/compile.ts';
import type { CompiledModel } from '../../src-main/model/compiled.ts';
import type { Model } from '../../src-main/model/schema.ts';
import { prepareSimulation, simulate } from '../../src-main/simulate/simulate.ts';
import { ODE_SOLVERS } from '../../src-main/simulate/ode/registry.ts';
import { ssaDirect } from '../../src-main/simulate/ssa/direct.ts';
import { bindReactionSystem } from '../../src-main/simulate/ssa/types.ts';
import { rngFor } from '../../src-main/simulate/random/rng.ts';
import { DEFAULT_ODE_OPTIONS } from '../../src-main/simulate/types.ts';
import type { Method, OdeOptions, OdeSystem, SolverStats } from '../../src-main/simulate/types.ts';
import { simulateRuns } from '../../src-main/jobs/simulate-runs.ts';
import { rates } from './bench-row.ts';
import type { BenchRow } from './bench-row.ts';

// ---------------------------------------------------------------------------------------------
// The problems (printed in the notes and the JSON).

const SIR_T1 = 14; // days; sir.json suggests 14 to 30
const N_OUT = 100;
const SIR_RTOL = 1e-6, SIR_ATOL = 1e-9;
const ROBER_T1 = 4e10; // Hairer & Wanner's ROBER horizon
const ROBER_RTOL = 1e-6, ROBER_ATOL = 1e-10;
const SSA_N = 1000, SSA_I0 = 10;
const TAU_N = 1_000_000, TAU_I0 = 100;
const SEED = 20240601;
const RUNS_ALL_CORES = 80_000;

function linspace(t1: number, n: number): Float64Array {
  const t = new Float64Array(n);
  for (let k = 0; k < n; k++) t[k] = t1 * k / (n - 1);
  return t;
}

/** n log-spaced times from 1e-6 to t1 (the last exactly t1). */
function logspace(t1: number, n: number): Float64Array {
  const a = -6, b = Math.log10(t1);
  const t = new Float64Array(n);
  for (let k = 0; k < n; k++) t[k] = 10 ** (a + (b - a) * k / (n - 1));
  t[n - 1] = t1;
  return t;
}

function loadModel(name: string): { model: Model; c: CompiledModel } {
  const model = JSON.parse(readFileSync(fileURLToPath(new URL(`../../resources/models/${name}.json`, import.meta.url)), 'utf8')) as Model;
  return { model, c: compileModel(model) };
}

function paramsWith(c: CompiledModel, overrides: Record<string, number>): Float64Array {
  const p = Float64Array.from(c.paramDefaults);
  for (const [id, v] of Object.entries(overrides)) {
    const i = c.paramIds.indexOf(id);
    if (i < 0) throw new Error(`bench: model has no parameter ${id}`);
    p[i] = v;
  }
  return p;
}

/** The OdeSystem exactly as simulate() builds it. */
function odeSystem(c: CompiledModel, p: Float64Array): OdeSystem {
  return {
    n: c.stateIds.length,
    f: (t, y, dydt) => c.rhs(t, y, p, dydt),
    jac: (t, y, J) => c.jacobian(t, y, p, J),
    autonomous: !c.timeDependent,
  };
}

function freshStats(): SolverStats {
  return { steps: 0, rejected: 0, fEvals: 0, jacEvals: 0, switchedToStiffAt: null };
}

// ---------------------------------------------------------------------------------------------
// The C reference: built once per bench run into test/bench/c/build/ (git-ignored).

const C_DIR = fileURLToPath(new URL('./c/', import.meta.url));
const C_BIN = `${C_DIR}build/simref`;
const C_FLAGS = ['-O3'];

function buildReference(): { ok: true; compiler: string } | { ok: false; why: string } {
  const version = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return { ok: false, why: 'gcc not found' };
  mkdirSync(`${C_DIR}build`, { recursive: true });
  const cc = spawnSync('gcc', [...C_FLAGS, '-o', C_BIN, `${C_DIR}simref.c`, '-lm', '-lpthread'], { encoding: 'utf8' });
  if (cc.status !== 0) return { ok: false, why: `gcc failed: ${cc.stderr.trim()}` };
  return { ok: true, compiler: `${version.stdout.split('\n')[0]} ${C_FLAGS.join(' ')}` };
}

interface CSpec {
  bench: string;
  params: Float64Array;
  times: Float64Array;
  t0?: number;
  rtol?: number;
  atol?: number;
  seed?: number;
  verifyRuns?: number;
  threads?: number;
}

interface CResult {
  rate: number;
  cpuRate: number;
  steps: number;
  rejected: number;
  fEvals?: number;
  jacEvals?: number;
  switchedToStiffAt?: number;
  out?: number[];
  verifyRuns?: number;
  finalWeightedSum?: number;
  threads?: number;
  threadsRate?: number;
  error?: number;
}

function runC(spec: CSpec, seconds: number, repeats: number, warmup: number): CResult {
  const lines = [
    `bench ${spec.bench}`, `seconds ${seconds}`, `repeats ${repeats}`, `warmup ${warmup}`,
    `t0 ${spec.t0 ?? 0}`, `threads ${spec.threads ?? 1}`,
    `params ${spec.params.length} ${Array.from(spec.params, String).join(' ')}`,
    `times ${spec.times.length} ${Array.from(spec.times, String).join(' ')}`,
  ];
  if (spec.rtol !== undefined) lines.push(`rtol ${spec.rtol}`, `atol ${spec.atol}`);
  if (spec.seed !== undefined) lines.push(`seed ${spec.seed}`, `verifyRuns ${spec.verifyRuns ?? 200}`);
  const r = spawnSync(C_BIN, [], { input: lines.join('\n') + '\n', encoding: 'utf8' });
  if (r.status !== 0 && !r.stdout) throw new Error(`C reference failed: ${r.stderr}`);
  const res = JSON.parse(r.stdout) as CResult;
  if (res.error !== undefined) throw new Error(`C reference ${spec.bench}: error code ${res.error}`);
  return res;
}

// ---------------------------------------------------------------------------------------------
// Timing.

interface Timing { seconds: number; rounds: number; warmup: number }

interface Compared {
  /** Best CPU-time rates (ops per CPU-second of the measuring thread): what the table shows. */
  js: number;
  c: number | undefined;
  /** Best wall-clock rates, for the JSON. */
  jsWall: number;
  cWall: number | undefined;
  cResult: CResult | undefined;
}

/** Best-of-rounds rates of JS and C, their windows alternating (round r: C then JS). */
function compare(js: () => number, c: CSpec | null, timing: Timing): Compared {
  rates(js, timing.warmup, 1);
  const best: Compared = { js: 0, c: undefined, jsWall: 0, cWall: undefined, cResult: undefined };
  for (let r = 0; r < timing.rounds; r++) {
    if (c) {
      const res = runC(c, timing.seconds, 1, 0.05);
      best.cResult = res;
      best.c = Math.max(best.c ?? 0, res.cpuRate);
      best.cWall = Math.max(best.cWall ?? 0, res.rate);
    }
    const j = rates(js, timing.seconds, 1);
    best.js = Math.max(best.js, j.cpu);
    best.jsWall = Math.max(best.jsWall, j.wall);
    if (process.env.BENCH_DEBUG) process.stderr.write(`  round ${r}: C ${best.cResult?.cpuRate.toFixed(0)} (wall ${best.cResult?.rate.toFixed(0)}) JS ${j.cpu.toFixed(0)} (wall ${j.wall.toFixed(0)})\n`);
  }
  return best;
}

/** Largest |a − b| / (atol + rtol·max(|a|, |b|)) over two output arrays: the difference in units of the solvers' own tolerance. */
function maxTolDiff(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / (atol + rtol * Math.max(Math.abs(a[i]), Math.abs(b[i]))));
  return m;
}

function statsText(s: { steps: number; rejected: number; fEvals?: number; jacEvals?: number }): string {
  return `${s.steps} steps, ${s.rejected} rejected, ${s.fEvals} f, ${s.jacEvals} J`;
}

function cpuSeconds(): number {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1e6;
}

function fmtRate(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

// ---------------------------------------------------------------------------------------------

/** The sections of the group, each measured in a process of its own (see simulatorBenchmarks). */
const SECTIONS = ['sir-simulate', 'sir-prepared', 'sir-after-others', 'sir-raw', 'pool', 'robertson', 'ssa', 'ssa-raw', 'tau'];
/** Set in a section's child process: the file its rows go to. */
const CHILD_ENV = 'SGNN_BENCH_ROWS_OUT';

function sectionInChild(section: string, quick: boolean): BenchRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'sgnn-bench-'));
  const out = join(dir, 'rows.json');
  try {
    const args = [fileURLToPath(new URL('./run.ts', import.meta.url)), '--only', 'simulators', '--parts', section];
    if (quick) args.push('--quick');
    if (process.argv.includes('--no-pool')) args.push('--no-pool');
    // process.execArgv: the child loads the engine as this process does (bin/register-typescript-hooks.js).
    const r = spawnSync(process.execPath, [...process.execArgv, ...args], { env: { ...process.env, [CHILD_ENV]: out }, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`bench section ${section} failed (exit ${r.status})`);
    return JSON.parse(readFileSync(out, 'utf8')) as BenchRow[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function simulatorBenchmarks(quick: boolean): Promise<BenchRow[]> {
  const timing: Timing = quick ? { seconds: 0.25, rounds: 2, warmup: 0.3 } : { seconds: 0.3, rounds: 5, warmup: 0.75 };
  const ref = buildReference();
  const haveC = ref.ok;
  const cName = ref.ok ? 'C (gcc -O3)' : undefined;
  if (!ref.ok) process.stderr.write(`bench: C reference skipped (${ref.why}); JS numbers only\n`);
  const rows: BenchRow[] = [];
  // `--parts sir-simulate,pool,...` runs only those sections (all by default; see SECTIONS).
  const partsArg = process.argv.includes('--parts') ? process.argv[process.argv.indexOf('--parts') + 1].split(',') : null;
  const selected = SECTIONS.filter((name) => partsArg === null || partsArg.includes(name));
  if (process.env[CHILD_ENV] === undefined && selected.length > 1) {
    // Each section in a fresh process: V8 specialises the solvers' call sites to the right-hand
    // sides they have seen, so a section run after others would measure a JIT state that no real
    // job has (a bank's worker simulates one model through one path).
    for (const section of selected) rows.push(...sectionInChild(section, quick));
    return rows;
  }
  const part = (name: string): boolean => selected.includes(name);

  /** A row measured against the C reference: ratio = C/JS (times slower). */
  const vsC = (name: string, unit: string, cLabel: string, res: Compared, note: string, details: Record<string, unknown>): BenchRow => ({
    name, value: res.js, unit,
    reference: res.c === undefined ? 'C skipped (no gcc)' : `${cLabel}`,
    referenceValue: res.c,
    ratio: res.c === undefined ? undefined : res.c / res.js,
    target: 'C/JS ≤ 2',
    note,
    details: {
      ...details, compiler: ref.ok ? ref.compiler : null, clock: 'CPU time of the measuring thread',
      wallClock: { js: res.jsWall, c: res.cWall, ratio: res.cWall === undefined ? undefined : res.cWall / res.jsWall },
    },
  });

  // ---- 1. SIR, deterministic (dopri5 and auto), one thread ----------------------------------
  if (part('sir-simulate') || part('sir-prepared') || part('sir-after-others') || part('sir-raw')) {
    const { c } = loadModel('sir');
    const p = c.paramDefaults;
    const times = linspace(SIR_T1, N_OUT);
    const ode: Partial<OdeOptions> = { rtol: SIR_RTOL, atol: SIR_ATOL };
    const opts: OdeOptions = { ...DEFAULT_ODE_OPTIONS, ...ode };
    const problem = `SIR (sir.json defaults: beta=${p[0]}, gamma=${p[1]}, N=${p[3]}, I0=${p[4]}), t in [0, ${SIR_T1}], ${N_OUT} outputs, rtol ${SIR_RTOL}, atol ${SIR_ATOL}`;
    if (c.paramIds.join() !== 'beta,gamma,phi_inv,N,I0') throw new Error('bench: sir.json parameters changed; update simref.c');
    const cSpec = (bench: string): CSpec | null => (haveC ? { bench, params: p, times, rtol: SIR_RTOL, atol: SIR_ATOL } : null);

    for (const method of part('sir-simulate') ? ['ode', 'auto'] as const : []) {
      const viaSimulate = (): SimulationCheck => {
        const r = simulate(c, { times, tStart: 0, method, ode });
        return { states: r.states, stats: r.stats };
      };
      const check = viaSimulate();
      const cBench = method === 'ode' ? 'sir-ode' : 'sir-auto';
      const res = compare(() => (viaSimulate(), 1), cSpec(cBench), timing);
      rows.push(vsC(`SIR ${method}: simulate(), 1 thread`, 'traj/s (CPU)', `${cName ?? 'C'} ${method === 'ode' ? 'dopri5' : 'auto'}`, res,
        workNote(`SIR ${method}`, check, res.cResult, [SIR_RTOL, SIR_ATOL]), { problem, js: check.stats, c: stripOut(res.cResult) }));
    }

    // The batch path (banks, simulateRuns, likelihoods): set up once, then run() per trajectory.
    if (part('sir-prepared')) {
    const prepared = prepareSimulation(c, { times, tStart: 0, method: 'ode', ode, rules: false });
    const viaPrepared = (): SimulationCheck => {
      prepared.run(p);
      return { states: prepared.states, stats: prepared.stats };
    };
    const preparedCheck = viaPrepared();
    const preparedCheckCopy = { states: Float64Array.from(preparedCheck.states), stats: { ...preparedCheck.stats } };
    const resPrepared = compare(() => (viaPrepared(), 1), cSpec('sir-ode'), timing);
    rows.push(vsC('SIR ode: prepared simulation run(), 1 thread', 'traj/s (CPU)', `${cName ?? 'C'} dopri5`, resPrepared,
      workNote('SIR prepared run()', preparedCheckCopy, resPrepared.cResult, [SIR_RTOL, SIR_ATOL]), { problem, js: preparedCheckCopy.stats, c: stripOut(resPrepared.cResult) }));
    }

    // The same, after other models ran in this thread (a bank of several mechanisms, or a warm
    // worker reused for another model): the solver's call sites have seen several right-hand sides.
    if (part('sir-after-others')) {
      // Three other 3-state models: the same generated step loop (one per system size) sees them all.
      for (const other of ['sirs', 'sir-vital-dynamics', 'two-compartment-pk']) {
        const o = loadModel(other).c;
        const oTimes = linspace(SIR_T1, N_OUT);
        const sim = prepareSimulation(o, { times: oTimes, tStart: 0, method: 'ode', ode, rules: false });
        const t0 = performance.now();
        while (performance.now() - t0 < 300) sim.run(o.paramDefaults);
      }
      const prepared = prepareSimulation(c, { times, tStart: 0, method: 'ode', ode, rules: false });
      const res = compare(() => (prepared.run(p), 1), cSpec('sir-ode'), timing);
      const check = { states: Float64Array.from(prepared.states), stats: { ...prepared.stats } };
      rows.push(vsC('SIR ode: prepared run() after 3 other 3-state models', 'traj/s (CPU)', `${cName ?? 'C'} dopri5`, res,
        workNote('SIR prepared run() after other models', check, res.cResult, [SIR_RTOL, SIR_ATOL]), { problem, js: check.stats, c: stripOut(res.cResult) }));
    }

    // The raw solver with the compiled rhs: what simulate() adds is the difference.
    if (part('sir-raw')) {
    const sys = odeSystem(c, p);
    const y0 = new Float64Array(3);
    c.initial(p, y0, 0);
    const y = new Float64Array(3), out = new Float64Array(N_OUT * 3);
    let rawStats = freshStats();
    const raw = (): number => {
      y.set(y0);
      rawStats = freshStats();
      ODE_SOLVERS.ode(sys, 0, y, SIR_T1, times, 0, N_OUT, out, opts, rawStats);
      return 1;
    };
    raw();
    const rawCheck = { states: Float64Array.from(out), stats: rawStats };
    const res = compare(raw, cSpec('sir-ode'), timing);
    rows.push(vsC('SIR ode: raw dopri5 + compiled rhs', 'traj/s (CPU)', `${cName ?? 'C'} dopri5`, res,
      workNote('SIR raw dopri5', rawCheck, res.cResult, [SIR_RTOL, SIR_ATOL]), { problem, js: rawCheck.stats, c: stripOut(res.cResult) }));
    }
  }

  // ---- 2. SIR on all cores: simulateRuns, 1 worker vs all -----------------------------------
  // `--no-pool` skips it (the single-thread rows do not need the worker pool).
  if (part('pool') && !process.argv.includes('--no-pool')) {
    const { model, c } = loadModel('sir');
    const times = linspace(SIR_T1, N_OUT);
    const cores = availableParallelism();
    const runs = quick ? RUNS_ALL_CORES / 4 : RUNS_ALL_CORES;
    /**
     * One simulateRuns call. total: runs/s of the whole call (pool start-up included); steady:
     * runs/s after the first 25% of runs were delivered (workers started, compiled and warm);
     * firstRun: seconds until run 0 was delivered (start-up + one task); mainCpu: CPU-seconds of
     * the main thread per wall second in the steady phase (its share of a core).
     */
    interface Batch { total: number; steady: number; firstRun: number; mainCpu: number }
    const batch = async (workers: number): Promise<Batch> => {
      const skip = Math.floor(runs / 4);
      let tSkip = 0, tFirst = 0, cpuSkip = 0;
      const start = performance.now();
      await simulateRuns({
        model, times, tStart: 0, method: 'ode' satisfies Method, params: c.paramDefaults, ode: { rtol: SIR_RTOL, atol: SIR_ATOL },
        runs, seed: SEED, noise: false, fromPrior: true, workers,
      }, (run) => {
        if (run.index === 0) tFirst = performance.now();
        if (run.index === skip) {
          tSkip = performance.now();
          cpuSkip = cpuSeconds();
        }
      });
      const end = performance.now();
      return {
        total: runs / ((end - start) / 1000), steady: (runs - skip) / ((end - tSkip) / 1000),
        firstRun: (tFirst - start) / 1000, mainCpu: (cpuSeconds() - cpuSkip) / ((end - tSkip) / 1000),
      };
    };
    await batch(1); // JIT warm-up of the in-process path
    const zero = (): Batch => ({ total: 0, steady: 0, firstRun: Infinity, mainCpu: 0 });
    const best = { one: zero(), all: zero() };
    for (let r = 0; r < (quick ? 1 : 2); r++) {
      for (const [key, w] of [['one', 1], ['all', cores]] as const) {
        const b = await batch(w);
        const k = best[key];
        if (b.steady > k.steady) k.mainCpu = b.mainCpu;
        k.total = Math.max(k.total, b.total);
        k.steady = Math.max(k.steady, b.steady);
        k.firstRun = Math.min(k.firstRun, b.firstRun);
      }
    }
    // What the machine gives right now: the C loop on 1 thread and on `cores` threads.
    const cThreads = haveC ? runC({ bench: 'sir-ode', params: c.paramDefaults, times, rtol: SIR_RTOL, atol: SIR_ATOL, threads: cores }, timing.seconds, timing.rounds, 0.1) : undefined;
    const machine = cThreads?.threadsRate !== undefined ? cThreads.threadsRate / cThreads.rate : undefined;
    const problem = `${runs} SIR runs, beta and gamma drawn from their priors, method ode, rtol ${SIR_RTOL}, atol ${SIR_ATOL}, ${N_OUT} outputs on [0, ${SIR_T1}]`;
    rows.push({
      name: 'SIR ode: simulateRuns, 1 worker (in-process)', value: best.one.steady, unit: 'runs/s',
      note: `simulateRuns ${problem}: steady state (after the first 25% of runs) ${fmtRate(best.one.steady)} runs/s with 1 worker, ${fmtRate(best.all.steady)} with ${cores} ` +
        `(speed-up ${(best.all.steady / best.one.steady).toFixed(2)}×${machine === undefined ? '' : `; the C loop got ${machine.toFixed(2)}× from ${cores} threads in this run, so the pool reached ${(100 * (best.all.steady / best.one.steady) / machine).toFixed(0)}% of what the machine allowed`}); ` +
        `whole call incl. pool start-up ${fmtRate(best.one.total)} vs ${fmtRate(best.all.total)} runs/s (speed-up ${(best.all.total / best.one.total).toFixed(2)}×); ` +
        `first run delivered after ${(1000 * best.one.firstRun).toFixed(0)} ms (1 worker) vs ${(1000 * best.all.firstRun).toFixed(0)} ms (${cores} workers: pool start-up); ` +
        `main thread busy ${(100 * best.all.mainCpu).toFixed(0)}% of a core while ${cores} workers run`,
      details: { problem, best },
    });
    rows.push({
      name: `SIR ode: simulateRuns, ${cores} workers`, value: best.all.steady, unit: 'runs/s',
      reference: '1 worker', referenceValue: best.one.steady, ratio: best.all.steady / best.one.steady, target: `N/1 ≥ 1.8 (N=${cores})`,
      details: { problem, best, includingPoolStartup: { one: best.one.total, all: best.all.total, speedup: best.all.total / best.one.total } },
    });
    if (cThreads?.threadsRate !== undefined) {
      rows.push({
        name: `C dopri5 SIR loop, ${cores} threads (machine check)`, value: cThreads.threadsRate, unit: 'traj/s',
        reference: 'C, 1 thread', referenceValue: cThreads.rate, ratio: cThreads.threadsRate / cThreads.rate, target: `N/1, ideal ${cores}`,
        note: `the speed-up this shared machine allowed during the run (same C loop on ${cores} threads vs 1); compare the simulateRuns speed-up with it`,
        details: { cThreads },
      });
    }
  }

  // ---- 3. Robertson, stiff (rodas) and auto ---------------------------------------------------
  if (part('robertson')) {
    const { c } = loadModel('robertson');
    const p = c.paramDefaults;
    if (c.paramIds.join() !== 'k1,k2,k3,A0') throw new Error('bench: robertson.json parameters changed; update simref.c');
    const times = logspace(ROBER_T1, N_OUT);
    const ode: Partial<OdeOptions> = { rtol: ROBER_RTOL, atol: ROBER_ATOL };
    const opts: OdeOptions = { ...DEFAULT_ODE_OPTIONS, ...ode };
    const problem = `Robertson (k1=${p[0]}, k2=${p[1]}, k3=${p[2]}), t in [0, ${ROBER_T1}], ${N_OUT} log-spaced outputs from 1e-6, rtol ${ROBER_RTOL}, atol ${ROBER_ATOL}`;
    const cSpec = (bench: string): CSpec | null => (haveC ? { bench, params: p, times, rtol: ROBER_RTOL, atol: ROBER_ATOL } : null);
    for (const method of ['stiff', 'auto'] as const) {
      const viaSimulate = (): SimulationCheck => {
        const r = simulate(c, { times, tStart: 0, method, ode });
        return { states: r.states, stats: r.stats };
      };
      const check = viaSimulate();
      const res = compare(() => (viaSimulate(), 1), cSpec(method === 'stiff' ? 'rober-stiff' : 'rober-auto'), timing);
      rows.push(vsC(`Robertson ${method}: simulate()`, 'traj/s (CPU)', `${cName ?? 'C'} ${method === 'stiff' ? 'rodas' : 'auto'}`, res,
        workNote(`Robertson ${method}`, check, res.cResult, [ROBER_RTOL, ROBER_ATOL]), { problem, js: check.stats, c: stripOut(res.cResult) }));
    }
    const sys = odeSystem(c, p);
    const y0 = new Float64Array(3);
    c.initial(p, y0, 0);
    const y = new Float64Array(3), out = new Float64Array(N_OUT * 3);
    let rawStats = freshStats();
    const raw = (): number => {
      y.set(y0);
      rawStats = freshStats();
      ODE_SOLVERS.stiff(sys, 0, y, ROBER_T1, times, 0, N_OUT, out, opts, rawStats);
      return 1;
    };
    raw();
    const rawCheck = { states: Float64Array.from(out), stats: rawStats };
    const res = compare(raw, cSpec('rober-stiff'), timing);
    rows.push(vsC('Robertson stiff: raw rodas + compiled rhs/jac', 'traj/s (CPU)', `${cName ?? 'C'} rodas`, res,
      workNote('Robertson raw rodas', rawCheck, res.cResult, [ROBER_RTOL, ROBER_ATOL]), { problem, js: rawCheck.stats, c: stripOut(res.cResult) }));
  }

  // ---- 4. SSA (direct method) and 5. tau-leaping on SIR ---------------------------------------
  if (part('ssa') || part('ssa-raw') || part('tau')) {
    const { c } = loadModel('sir');
    const times = linspace(SIR_T1, N_OUT);
    for (const method of (['ssa', 'tau'] as const).filter((m) => part(m) || (m === 'ssa' && part('ssa-raw')))) {
      const [N, I0] = method === 'ssa' ? [SSA_N, SSA_I0] : [TAU_N, TAU_I0];
      const p = paramsWith(c, { N, I0 });
      const problem = `SIR N=${N}, I0=${I0} (beta=${p[0]}, gamma=${p[1]}), t in [0, ${SIR_T1}], ${N_OUT} outputs; run r draws from rngFor(${SEED}, r, 1)`;
      const verifyRuns = method === 'ssa' ? 200 : 50;
      // One run through the product path; returns reactions fired (ssa) or 1 trajectory (tau).
      let run = 0;
      let last = freshStats();
      let lastStates: Float64Array<ArrayBufferLike> = new Float64Array(0);
      const viaSimulate = (): number => {
        const r = simulate(c, { times, tStart: 0, method, params: p, rng: rngFor(SEED, run++, 1) });
        last = r.stats;
        lastStates = r.states;
        return method === 'ssa' ? r.stats.steps : 1;
      };
      const jsVerify = (fn: () => number): { steps: number; rejected: number; finalWeightedSum: number } => {
        run = 0;
        let steps = 0, rejected = 0, finalWeightedSum = 0;
        for (let r = 0; r < verifyRuns; r++) {
          fn();
          steps += last.steps;
          rejected += last.rejected;
          for (let i = 0; i < 3; i++) finalWeightedSum += lastStates[(N_OUT - 1) * 3 + i] * (i + 1);
        }
        run = 0;
        return { steps, rejected, finalWeightedSum };
      };
      const cSpec: CSpec | null = haveC ? { bench: `sir-${method}`, params: p, times, seed: SEED, verifyRuns } : null;
      const unit = method === 'ssa' ? 'reactions/s (CPU)' : 'traj/s (CPU)';
      if (part(method)) {
        const jsCheck = jsVerify(viaSimulate);
        const res = compare(viaSimulate, cSpec, timing);
        const rowName = method === 'ssa' ? `SIR ssa N=${N}: simulate()` : `SIR tau N=${N}: simulate()`;
        rows.push(vsC(rowName, unit, `${cName ?? 'C'} ${method === 'ssa' ? 'direct method' : 'tau-leaping'}`, res,
          stochasticNote(rowName, verifyRuns, jsCheck, res.cResult), { problem, js: jsCheck, c: res.cResult }));
      }

      if (method === 'ssa' && part('ssa-raw')) {
        // The raw direct method with the compiled propensities.
        const rsys = bindReactionSystem(c, p);
        const y0 = new Float64Array(3);
        c.initial(p, y0, 0);
        const y = new Float64Array(3), out = new Float64Array(N_OUT * 3);
        const raw = (): number => {
          y.set(y0);
          last = freshStats();
          ssaDirect(rsys, 0, y, SIR_T1, times, 0, N_OUT, out, rngFor(SEED, run++, 1), last);
          lastStates = out;
          return last.steps;
        };
        const rawCheck = jsVerify(raw);
        const r2 = compare(raw, cSpec, timing);
        rows.push(vsC(`SIR ssa N=${N}: raw ssaDirect`, unit, `${cName ?? 'C'} direct method`, r2,
          stochasticNote('SIR raw ssaDirect', verifyRuns, rawCheck, r2.cResult), { problem, js: rawCheck, c: r2.cResult }));
      }
    }
  }
  return rows;
}

interface SimulationCheck { states: Float64Array; stats: SolverStats }

function stripOut(r: CResult | undefined): Omit<CResult, 'out'> | undefined {
  if (!r) return undefined;
  const { out: _out, ...rest } = r;
  return rest;
}

function workNote(label: string, js: SimulationCheck, c: CResult | undefined, tol: [rtol: number, atol: number]): string {
  const sw = js.stats.switchedToStiffAt != null ? `, switched to rodas at t=${js.stats.switchedToStiffAt.toPrecision(4)}` : '';
  if (!c) return `${label}: JS ${statsText(js.stats)}${sw} (no C reference)`;
  const csw = c.switchedToStiffAt !== undefined ? `, switched at t=${c.switchedToStiffAt.toPrecision(4)}` : '';
  const diff = c.out ? maxTolDiff(js.states, c.out, tol[0], tol[1]) : NaN;
  return `${label}: JS ${statsText(js.stats)}${sw} | C ${statsText(c)}${csw} | outputs differ by ≤ ${diff.toExponential(1)} × (atol + rtol·|y|)`;
}

function stochasticNote(label: string, runs: number, js: { steps: number; rejected: number; finalWeightedSum: number }, c: CResult | undefined): string {
  const j = `JS ${js.steps} steps, ${js.rejected} rejected, final-state checksum ${js.finalWeightedSum}`;
  if (!c) return `${label}, first ${runs} runs: ${j} (no C reference)`;
  const same = c.steps === js.steps && c.finalWeightedSum === js.finalWeightedSum ? 'identical' : 'DIFFERENT';
  return `${label}, first ${runs} runs (same seeds): ${j} | C ${c.steps} steps, ${c.rejected} rejected, checksum ${c.finalWeightedSum} (${same})`;
}
