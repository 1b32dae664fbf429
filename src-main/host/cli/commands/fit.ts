/** `sgnn fit` and `sgnn compare`: the headless main jobs, bank → train → check → estimate → report. */
import { basename } from 'node:path';
import type { Command, CliIo } from '../command.ts';
import { UsageError } from '../errors.ts';
import { openOutput, write, closeOutput } from '../output.ts';
import { progressPrinter } from '../engine-session.ts';
import { parseCount, parseSeed, parseFiniteNumber, randomSeed } from '../parse-values.ts';
import { readModelFile, readTextFile } from '../../../interop/model-file.ts';
import { parseDatasetCsv } from '../../../interop/dataset-csv.ts';
import type { Model } from '../../../model/schema.ts';
import type { FitReport } from '../../../report/fit-report.ts';
import type { FitRequest } from '../../../jobs/fit/pipeline.ts';
import { AppError } from '../../../contract/errors.ts';
import { InputError } from '../errors.ts';

const DATA_OPTIONS = {
  'time-col': { type: 'string' }, map: { type: 'string', multiple: true }, t0: { type: 'string' },
  sims: { type: 'string' }, 'held-out': { type: 'string' }, seed: { type: 'string' }, epochs: { type: 'string' },
  'no-scaling': { type: 'boolean' }, workers: { type: 'string' }, project: { type: 'string' },
  report: { type: 'string' }, json: { type: 'boolean' },
} as const;

const DATA_HELP = `Data: a CSV with a time column ("time", or --time-col NAME), observable columns matched by id
(or --map OBS=COLUMN, repeatable), empty or NA cells missing, and an optional "dataset" column
holding several datasets in one file. Simulations start at --t0 (default 0).
  --sims N          training simulations
  --held-out N      held-out simulations for the checks (default min(1000, sims/5))
  --seed S          seed (default: random, printed)
  --epochs N        training epochs at most (default 40; early stopping on a validation split)
  --no-scaling      skip the scaling curve (networks on 1/8, 1/4, 1/2 of the simulations)
  --project FILE    keep the bank, network and estimates in this project
  --report F.html   write the self-contained HTML report
  --json            print the result as JSON on stdout
  --workers N       worker threads (default: all cores)`;

function parseMap(values: Record<string, unknown>): Record<string, string> | undefined {
  const map: Record<string, string> = {};
  for (const m of (values.map as string[] | undefined) ?? []) {
    const eq = m.indexOf('=');
    if (eq <= 0) throw new UsageError(`--map expects OBS=COLUMN, got "${m}"`);
    map[m.slice(0, eq).trim()] = m.slice(eq + 1).trim();
  }
  return Object.keys(map).length ? map : undefined;
}

async function buildRequest(models: Model[], dataPath: string, values: Record<string, unknown>, io: CliIo): Promise<FitRequest> {
  const observables = [...new Set(models.flatMap((m) => m.observables.map((o) => o.id)))];
  const { datasets, warnings } = parseDatasetCsv(readTextFile(dataPath), {
    observables, timeColumn: values['time-col'] as string | undefined, map: parseMap(values), fileName: basename(dataPath),
  });
  for (const w of warnings) io.stderr.write(`sgnn: warning: ${w}\n`);
  let seed = values.seed === undefined ? undefined : parseSeed(values.seed as string);
  if (seed === undefined) {
    seed = randomSeed();
    io.stderr.write(`sgnn: using seed ${seed} (pass --seed ${seed} to repeat this run)\n`);
  }
  return {
    models, datasets, seed,
    sims: values.sims === undefined ? undefined : parseCount(values.sims as string, '--sims'),
    heldOut: values['held-out'] === undefined ? undefined : minimum(parseCount(values['held-out'] as string, '--held-out'), 20, '--held-out'),
    epochs: values.epochs === undefined ? undefined : parseCount(values.epochs as string, '--epochs'),
    tStart: values.t0 === undefined ? undefined : parseFiniteNumber(values.t0 as string, '--t0'),
    scaling: !values['no-scaling'],
    projectPath: values.project as string | undefined,
    workers: values.workers === undefined ? undefined : parseCount(values.workers as string, '--workers'),
    mlHeldOut: values['ml-held-out'] === undefined ? undefined : parseCount(values['ml-held-out'] as string, '--ml-held-out'),
  };
}

function minimum(value: number, least: number, flag: string): number {
  if (value < least) throw new UsageError(`${flag} must be at least ${least} (the checks need that many held-out simulations), not ${value}`);
  return value;
}

/** Progress of the steps on stderr, one bar per step. */
function stepProgress(io: CliIo): { progress(step: string, current: number, total: number, message?: string): void; done(): void } {
  let step = '';
  let bar = progressPrinter(io, '');
  return {
    progress(s, current, total) {
      if (s !== step) {
        bar.done();
        step = s;
        bar = progressPrinter(io, s.padEnd(8));
      }
      bar.update(current, total);
    },
    done: () => bar.done(),
  };
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : x.toPrecision(4);
}

function humanFit(r: FitReport): string {
  const lines: string[] = [`${r.title} (backend ${r.backend}, ${r.settings.sims} simulations, ${r.timings.total.toFixed(1)} s)`];
  for (const d of r.datasets) {
    lines.push('', `dataset ${d.id}`, `  ${'parameter'.padEnd(14)} ${'mean'.padStart(11)} ${'sd'.padStart(11)} ${'2.5%'.padStart(11)} ${'median'.padStart(11)} ${'97.5%'.padStart(11)}`);
    for (const [id, e] of Object.entries(d.estimates)) lines.push(`  ${id.padEnd(14)} ${fmt(e.mean).padStart(11)} ${fmt(e.sd).padStart(11)} ${fmt(e.q025).padStart(11)} ${fmt(e.q50).padStart(11)} ${fmt(e.q975).padStart(11)}`);
    if (d.mismatch) lines.push(`  ${d.mismatch.verdict.text}`);
  }
  lines.push('', 'checks:');
  for (const v of r.verdicts) lines.push(`  [${v.severity}] ${v.text}`);
  return lines.join('\n');
}

function humanCompare(r: FitReport): string {
  const lines: string[] = [`${r.title} (backend ${r.backend}, ${r.settings.sims} simulations, ${r.timings.total.toFixed(1)} s)`];
  for (const d of r.datasets) {
    const c = d.comparison!;
    const w = Math.max(5, ...Object.keys(c.sgnn.probabilities).map((m) => m.length));
    lines.push('', `dataset ${d.id}: SGNN picks ${c.sgnn.choice}, AIC ${c.aic.choice}, BIC ${c.bic.choice}`, `  ${'model'.padEnd(w)} ${'p (SGNN)'.padStart(9)} ${'AIC'.padStart(11)} ${'BIC'.padStart(11)}`);
    for (const m of Object.keys(c.sgnn.probabilities)) lines.push(`  ${m.padEnd(w)} ${c.sgnn.probabilities[m].toFixed(3).padStart(9)} ${fmt(c.aic.values[m]).padStart(11)} ${fmt(c.bic.values[m]).padStart(11)}`);
  }
  lines.push('', 'checks:');
  for (const v of r.verdicts) lines.push(`  [${v.severity}] ${v.text}`);
  return lines.join('\n');
}

/** The `--json` body of sgnn compare: per dataset {id, sgnn, aic, bic}. */
function compareJson(r: FitReport): unknown {
  return {
    backend: r.backend,
    datasets: r.datasets.map((d) => ({ id: d.id, sgnn: d.comparison!.sgnn, aic: { values: d.comparison!.aic.values, choice: d.comparison!.aic.choice }, bic: { values: d.comparison!.bic.values, choice: d.comparison!.bic.choice }, ml: d.comparison!.ml, mismatch: d.mismatch })),
    checks: r.checks,
    mismatch: r.mismatch,
    timings: r.timings,
    settings: r.settings,
  };
}

async function run(kind: 'fit' | 'compare', modelPaths: string[], dataPath: string, values: Record<string, unknown>, io: CliIo): Promise<number> {
  const models: Model[] = [];
  for (const p of modelPaths) {
    const { model, warnings } = await readModelFile(p);
    for (const w of warnings) io.stderr.write(`sgnn: warning: ${w}\n`);
    models.push(model);
  }
  const request = await buildRequest(models, dataPath, values, io);
  if (kind === 'fit') {
    const head = (values.head as string | undefined) ?? 'density';
    if (head !== 'mean' && head !== 'density') throw new UsageError(`--head must be mean or density, not "${head}"`);
    request.head = head;
    request.online = values.online === true;
  }
  // Opened before the fit, so a bad report path fails in a second, not after the whole fit.
  const reportOut = values.report ? openOutput(values.report as string, io.stdout) : null;
  const { runFit, runCompare } = await import('../../../jobs/fit/pipeline.ts');
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  const steps = stepProgress(io);
  let report: FitReport;
  try {
    report = await (kind === 'fit' ? runFit : runCompare)(request, { progress: steps.progress, signal: controller.signal });
  } catch (err) {
    if (controller.signal.aborted) throw new InputError(`${kind} cancelled; nothing was kept${request.projectPath ? ` in ${request.projectPath} beyond the simulations already stored` : ''}`);
    if (err instanceof AppError && err.code !== 'internal') throw new InputError(err.message);
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    steps.done();
  }
  io.stderr.write(`sgnn: ${report.backendDescription}\n`);
  if (reportOut) {
    const { renderReportHtml } = await import('../../../report/html.ts');
    await write(reportOut, renderReportHtml(report));
    await closeOutput(reportOut, io.stdout);
    io.stderr.write(`sgnn: report written to ${values.report as string}\n`);
  }
  if (values.json) io.stdout.write(`${JSON.stringify(kind === 'fit' ? report : compareJson(report))}\n`);
  else io.stdout.write(`${kind === 'fit' ? humanFit(report) : humanCompare(report)}\n`);
  return 0;
}

export const fitCommand: Command = {
  name: 'fit',
  summary: 'fit a model to data: simulate, train an SGNN, check it, estimate with uncertainty',
  usage: `Usage: sgnn fit MODEL DATA.csv [options]

Simulates the model under its priors, trains a Simulation-Grounded Neural Network on those
simulations, checks it on held-out simulations (recovery, coverage, calibration, scaling curve),
and applies it to every dataset in DATA: posterior mean, sd, median and 95% interval of each
unknown parameter and derived quantity, samples, posterior-predictive bands, a simulator–data
mismatch test and attribution.
  --head mean|density   mean: the SGNN posterior-mean estimator (with a learned sd);
                        density: a Gaussian-mixture posterior (default)
  --online              train on --sims fresh simulations every epoch instead of re-using the bank
${DATA_HELP}`,
  options: { ...DATA_OPTIONS, head: { type: 'string' }, online: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 2) throw new UsageError('usage: sgnn fit MODEL DATA.csv');
    return run('fit', [positionals[0]], positionals[1], values, io);
  },
};

export const compareCommand: Command = {
  name: 'compare',
  summary: 'which of several mechanisms produced the data: SGNN probabilities beside AIC/BIC',
  usage: `Usage: sgnn compare MODEL MODEL... DATA.csv [options]

Simulates every model under its priors (equal prior model probabilities), trains an SGNN
classifier, and reports for each dataset the SGNN's mechanism probabilities beside the AIC and
BIC choices of maximum-likelihood fits, with confusion matrices of all three on held-out
simulations. The models must share the observables that the data measure.
  --ml-held-out N   held-out simulations refitted by maximum likelihood for the AIC/BIC confusion
                    matrices (default 60, within a one-minute budget)
${DATA_HELP}`,
  options: { ...DATA_OPTIONS, 'ml-held-out': { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length < 3) throw new UsageError('usage: sgnn compare MODEL MODEL... DATA.csv (at least two models)');
    return run('compare', positionals.slice(0, -1), positionals.at(-1)!, values, io);
  },
};
