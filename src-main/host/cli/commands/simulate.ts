/** `sgnn simulate`: simulate a model file (JSON, text or SBML) and write the spec's CSV. */
import type { Command, CliIo } from '../command.ts';
import { UsageError } from '../errors.ts';
import { openOutput, write, writeOrWait, closeOutput } from '../output.ts';
import { modelFileKind, readModelFile, readTextFile } from '../../../interop/model-file.ts';
import { compileModel } from '../../../model/compile.ts';
import { closestName } from '../../../model/expr/names.ts';
import type { Method } from '../../../simulate/types.ts';
import { simulateRuns } from '../../../jobs/simulate-runs.ts';
import type { RunsSpec } from '../../../jobs/simulate-runs.ts';
import { parseFiniteNumber, parseCount, parseSeed, parseIdList, randomSeed } from '../parse-values.ts';

const METHODS: readonly Method[] = ['auto', 'ode', 'stiff', 'ssa', 'tau'];

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'simulate a model and write the trajectories as CSV',
  usage: `Usage: sgnn simulate MODEL --t-end T [options]

MODEL is a model file: *.json (sgnn-model/1), *.sgnn.txt (text syntax) or *.xml (SBML).

Options:
  --t-end T            end time (required)
  --t-start T          start time (default 0)
  --points N           number of output rows, evenly spaced from t-start to t-end inclusive (default 101)
  --set ID=VALUE       set a parameter (or a species' initial value); repeatable
  --method M           auto | ode | stiff | ssa | tau (default auto: deterministic, switches to
                       a stiff solver when needed)
  --runs K             K runs; adds a first column "run" (1..K)
  --seed S             seed for stochastic methods, noise and prior draws (default: random, printed)
  --noise              apply each observable's noise model
  --from-prior         each run draws the unknown parameters from their priors; adds columns param:<id>
  --rtol X, --atol X   ODE tolerances (defaults 1e-8 and 1e-12)
  --workers N          worker threads for many runs (default: all cores)
  --out FILE           write the CSV to FILE instead of standard output
SBML only (the SBML Test Suite's settings):
  --columns ID,...     columns after time: species, parameters or compartments, in that order
  --amounts ID,...     species reported as amounts
  --concentrations ID,...  species reported as concentrations

Columns: time, the species, the odes and the observables in file order (observables are noise-free
unless --noise). Numbers are written with full double precision.`,
  options: {
    't-end': { type: 'string' },
    't-start': { type: 'string' },
    points: { type: 'string' },
    set: { type: 'string', multiple: true },
    method: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    noise: { type: 'boolean' },
    'from-prior': { type: 'boolean' },
    rtol: { type: 'string' },
    atol: { type: 'string' },
    workers: { type: 'string' },
    out: { type: 'string' },
    columns: { type: 'string' },
    amounts: { type: 'string' },
    concentrations: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing MODEL file' : `expected one MODEL file, got ${positionals.length}: ${positionals.join(' ')}`);
    const path = positionals[0];
    if (values['t-end'] === undefined) throw new UsageError('missing --t-end');
    const tStart = values['t-start'] === undefined ? 0 : parseFiniteNumber(values['t-start'] as string, '--t-start');
    const tEnd = parseFiniteNumber(values['t-end'] as string, '--t-end');
    if (tEnd < tStart) throw new UsageError(`--t-end (${tEnd}) must not be before --t-start (${tStart})`);
    const points = values.points === undefined ? 101 : parseCount(values.points as string, '--points');
    if (points < 2 && tEnd > tStart) throw new UsageError('--points must be at least 2 when --t-end is after --t-start');
    const method = (values.method ?? 'auto') as Method;
    if (!METHODS.includes(method)) {
      const near = closestName(method, METHODS);
      throw new UsageError(`--method must be one of ${METHODS.join(', ')}, not "${method}"${near ? ` (did you mean "${near}"?)` : ''}`);
    }
    const ode: { rtol?: number; atol?: number } = {};
    if (values.rtol !== undefined) ode.rtol = parsePositive(values.rtol as string, '--rtol');
    if (values.atol !== undefined) ode.atol = parsePositive(values.atol as string, '--atol');

    if (modelFileKind(path) === 'sbml' && (values.columns || values.amounts || values.concentrations)) {
      return simulateSbmlColumns(path, values, { tStart, tEnd, points, method, ode }, io);
    }
    if (values.columns || values.amounts || values.concentrations) {
      throw new UsageError('--columns, --amounts and --concentrations apply to SBML models only');
    }

    const { model, warnings } = await readModelFile(path);
    for (const w of warnings) io.stderr.write(`sgnn: warning: ${w}\n`);
    const compiled = compileModel(model);
    const runs = values.runs === undefined ? 1 : parseCount(values.runs as string, '--runs');
    const random = values.noise === true || values['from-prior'] === true || method === 'ssa' || method === 'tau';
    let seed = values.seed === undefined ? undefined : parseSeed(values.seed as string);
    if (seed === undefined && random) {
      seed = randomSeed();
      io.stderr.write(`sgnn: using seed ${seed} (pass --seed ${seed} to repeat this run)\n`);
    }
    if (values['from-prior'] && compiled.unknownParams.length === 0) {
      throw new UsageError('--from-prior: the model has no parameter with a prior');
    }

    const params = Float64Array.from(compiled.paramDefaults);
    const initialOverrides: [number, number][] = [];
    for (const assignment of (values.set as string[] | undefined) ?? []) {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(assignment);
      if (!m) throw new UsageError(`--set expects ID=VALUE, got "${assignment}"`);
      const [, id, raw] = m;
      const value = parseFiniteNumber(raw, `--set ${id}`);
      const pi = compiled.paramIds.indexOf(id);
      const si = compiled.stateIds.indexOf(id);
      if (pi >= 0) params[pi] = value;
      else if (si >= 0) initialOverrides.push([si, value]);
      else {
        const near = closestName(id, [...compiled.paramIds, ...compiled.stateIds]);
        throw new UsageError(`--set: the model has no parameter or species "${id}"${near ? ` (did you mean "${near}"?)` : ''}`);
      }
    }

    const times = new Float64Array(points);
    for (let k = 0; k < points; k++) times[k] = points === 1 ? tStart : k === points - 1 ? tEnd : tStart + ((tEnd - tStart) * k) / (points - 1);

    const spec: RunsSpec = {
      model, times, tStart, method, params, initialOverrides, ode,
      runs, seed: seed ?? 0, noise: values.noise === true, fromPrior: values['from-prior'] === true,
      workers: values.workers === undefined ? undefined : parseCount(values.workers as string, '--workers'),
    };

    const out = openOutput(values.out as string | undefined, io.stdout);
    const header = ['time', ...compiled.stateIds, ...compiled.observableIds];
    if (values.runs !== undefined) header.unshift('run');
    const priorIds = spec.fromPrior ? compiled.unknownParams.map((i) => compiled.paramIds[i]) : [];
    for (const id of priorIds) header.push(`param:${id}`);
    await write(out, `${header.join(',')}\n`);

    const nState = compiled.stateIds.length;
    const nObs = compiled.observableIds.length;
    // Returns a promise only when the output is full (see writeOrWait): no microtask per run.
    await simulateRuns(spec, (run) => {
      let text = '';
      const drawn = run.drawnParams ? Array.from(run.drawnParams, String).join(',') : '';
      for (let k = 0; k < points; k++) {
        const cells: string[] = [];
        if (values.runs !== undefined) cells.push(String(run.index + 1));
        cells.push(String(times[k]));
        for (let i = 0; i < nState; i++) cells.push(String(run.states[k * nState + i]));
        for (let j = 0; j < nObs; j++) cells.push(String(run.observables[k * nObs + j]));
        text += cells.join(',');
        text += drawn ? `,${drawn}\n` : '\n';
      }
      return writeOrWait(out, text);
    });
    await closeOutput(out, io.stdout);
    return 0;
  },
};

function parsePositive(raw: string, flag: string): number {
  const v = parseFiniteNumber(raw, flag);
  if (v <= 0) throw new UsageError(`${flag} must be > 0, not ${raw}`);
  return v;
}

async function simulateSbmlColumns(
  path: string,
  values: Record<string, unknown>,
  opts: { tStart: number; tEnd: number; points: number; method: Method; ode: { rtol?: number; atol?: number } },
  io: CliIo,
): Promise<number> {
  const { simulateSbml } = await import('../../../interop/sbml/simulate.ts');
  const xml = readTextFile(path);
  const columns = values.columns ? parseIdList(values.columns as string, '--columns') : undefined;
  const result = simulateSbml(xml, {
    start: opts.tStart,
    duration: opts.tEnd - opts.tStart,
    steps: opts.points - 1,
    columns,
    amounts: values.amounts ? parseIdList(values.amounts as string, '--amounts') : [],
    concentrations: values.concentrations ? parseIdList(values.concentrations as string, '--concentrations') : [],
    method: opts.method,
    ...opts.ode,
  });
  const out = openOutput(values.out as string | undefined, io.stdout);
  await write(out, `${result.header.join(',')}\n`);
  for (const row of result.rows) await write(out, `${row.map(String).join(',')}\n`);
  await closeOutput(out, io.stdout);
  return 0;
}
