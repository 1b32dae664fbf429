/** `sgnn project|model|data|design|bank|serve`: projects through the engine's contract. */
import { basename } from 'node:path';
import type { Command, CliIo } from '../command.ts';
import { UsageError, InputError } from '../errors.ts';
import { withEngine, progressPrinter } from '../engine-session.ts';
import { parseCount, parseSeed, parseIdList, parseFiniteNumber } from '../parse-values.ts';
import { readModelFile, readTextFile } from '../../../interop/model-file.ts';
import type { EngineClient } from '../../../contract/client.ts';
import type { ModelSummary, ProjectInfo } from '../../../contract/types.ts';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function sub(positionals: string[], allowed: string[], command: string): [string, string[]] {
  const [name, ...rest] = positionals;
  if (!name) throw new UsageError(`missing subcommand: sgnn ${command} ${allowed.join('|')}`);
  if (!allowed.includes(name)) throw new UsageError(`unknown subcommand "${command} ${name}"; use one of: ${allowed.join(', ')}`);
  return [name, rest];
}

function one(rest: string[], what: string): string {
  if (rest.length !== 1) throw new UsageError(rest.length === 0 ? `missing ${what}` : `expected one ${what}, got: ${rest.join(' ')}`);
  return rest[0];
}

function print(io: CliIo, values: Values, data: unknown, human: () => string): void {
  io.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function describeProject(info: ProjectInfo): string {
  const c = info.counts;
  const lines = [
    `${info.path}: project "${info.name}" (schema ${info.schemaVersion}, ${bytes(info.fileBytes)})`,
    `  models ${c.models} (${c.modelVersions} versions), datasets ${c.datasets}, designs ${c.designs}, banks ${c.banks}, networks ${c.networks}, estimates ${c.estimates}, reports ${c.reports}, jobs ${c.jobs}`,
  ];
  const sized = Object.entries(info.bytes).filter(([, b]) => b > 0);
  if (sized.length) lines.push(`  stored: ${sized.map(([k, b]) => `${k} ${bytes(b)}`).join(', ')}`);
  for (const job of info.interruptedJobs) {
    const at = job.progress ? `${job.progress.current}/${job.progress.total}` : 'start';
    const bankId = (job.spec as { bankId?: number } | undefined)?.bankId;
    const how = job.kind === 'bank' && bankId !== undefined ? `; resume with \`sgnn bank ${info.path} --resume ${bankId}\`` : '; run it again';
    lines.push(`  interrupted: job ${job.jobId} (${job.kind}) at ${at}${how}`);
  }
  return lines.join('\n');
}

export const projectCommand: Command = {
  name: 'project',
  summary: 'create, describe and check project files (*.sgnn)',
  usage: `Usage:
  sgnn project new FILE [--template NAME] [--name NAME]   create a project (optionally with a template model)
  sgnn project info FILE [--json]                         what it holds, sizes, jobs
  sgnn project check FILE [--json]                        integrity check (exit 1 when damaged)
  sgnn project templates                                  list the model templates`,
  options: { template: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const [name, rest] = sub(positionals, ['new', 'info', 'check', 'templates'], 'project');
    return withEngine(async (client) => {
      if (name === 'templates') {
        const templates = await client.call('template.list', {});
        print(io, values, templates.map(({ id, name: n, description }) => ({ id, name: n, description })), () => templates.map((t) => `${t.id.padEnd(28)} ${t.name}`).join('\n'));
        return 0;
      }
      const file = one(rest, 'project FILE');
      if (name === 'new') {
        const info = await client.call('project.create', { path: file, template: values.template as string | undefined, name: (values.name as string | undefined) ?? basename(file).replace(/\.sgnn$/, '') });
        print(io, values, info, () => `created ${describeProject(info)}`);
        return 0;
      }
      if (name === 'info') {
        const info = await client.call('project.info', { path: file });
        print(io, values, info, () => describeProject(info));
        return 0;
      }
      const check = await client.call('project.check', { path: file });
      print(io, values, check, () => (check.ok ? `${file}: ok` : `${file}: damaged\n${check.problems.map((p) => `  ${p}`).join('\n')}`));
      return check.ok ? 0 : 1;
    });
  },
};

/** A model given as a numeric id or a name. */
async function resolveModel(client: EngineClient, project: string, ref: string): Promise<ModelSummary> {
  const models = await client.call('model.list', { project });
  const byId = /^\d+$/.test(ref) ? models.find((m) => m.modelId === Number(ref)) : undefined;
  const found = byId ?? models.find((m) => m.name === ref) ?? models.find((m) => m.name.toLowerCase() === ref.toLowerCase());
  if (!found) throw new UsageError(`the project has no model "${ref}"; models: ${models.map((m) => `${m.modelId} (${m.name})`).join(', ') || 'none'}`);
  return found;
}

export const modelCommand: Command = {
  name: 'model',
  summary: 'add, list and show the models of a project',
  usage: `Usage:
  sgnn model add PROJECT MODEL_FILE [--as ID]   add a model (or, with --as, a new version of model ID); JSON, text or SBML
  sgnn model list PROJECT [--json]
  sgnn model show PROJECT ID [--version V] [--json]   ID is a model id or name`,
  options: { as: { type: 'string' }, version: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const [name, rest] = sub(positionals, ['add', 'list', 'show'], 'model');
    return withEngine(async (client) => {
      if (name === 'add') {
        if (rest.length !== 2) throw new UsageError('usage: sgnn model add PROJECT MODEL_FILE');
        const { model, warnings } = await readModelFile(rest[1]);
        for (const w of warnings) io.stderr.write(`sgnn: warning: ${w}\n`);
        const modelId = values.as === undefined ? undefined : (await resolveModel(client, rest[0], values.as as string)).modelId;
        const saved = await client.call('model.add', { project: rest[0], model, modelId });
        print(io, values, saved, () => `model ${saved.modelId} "${saved.name}" version ${saved.version}`);
        return 0;
      }
      if (name === 'list') {
        const models = await client.call('model.list', { project: one(rest, 'PROJECT') });
        print(io, values, models, () => (models.length ? models.map((m) => `${String(m.modelId).padStart(3)}  ${m.name}  (version ${m.version} of ${m.versions})`).join('\n') : 'no models'));
        return 0;
      }
      if (rest.length !== 2) throw new UsageError('usage: sgnn model show PROJECT ID');
      const ref = await resolveModel(client, rest[0], rest[1]);
      const record = await client.call('model.get', { project: rest[0], modelId: ref.modelId, version: values.version === undefined ? undefined : parseCount(values.version as string, '--version') });
      if (values.json) io.stdout.write(`${JSON.stringify(record.model, null, 2)}\n`);
      else io.stdout.write((await client.call('model.formatText', { model: record.model })).text);
      return 0;
    });
  },
};

export const dataCommand: Command = {
  name: 'data',
  summary: 'import observed data (CSV) into a project',
  usage: `Usage: sgnn data import PROJECT CSV [options]
       sgnn data list PROJECT [--json]

The CSV has a time column ("time", or --time-col NAME), one column per observable (matched by the
observable's id, or --map OBS=COLUMN), empty or NA cells for missing values, and optionally a
"dataset" column holding several datasets in one file.
  --model ID           the model whose observables the columns are (default: all models' observables)
  --observables A,B    the observables to read (instead of --model)
  --time-col NAME      the time column
  --map OBS=COLUMN     read observable OBS from COLUMN (repeatable)
  --name NAME          the dataset's name (default: the file name)`,
  options: { model: { type: 'string' }, observables: { type: 'string' }, 'time-col': { type: 'string' }, map: { type: 'string', multiple: true }, name: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const [name, rest] = sub(positionals, ['import', 'list'], 'data');
    return withEngine(async (client) => {
      if (name === 'list') {
        const list = await client.call('dataset.list', { project: one(rest, 'PROJECT') });
        print(io, values, list, () => (list.length ? list.map((d) => `${String(d.datasetId).padStart(3)}  ${d.name}  ${d.nTimes} times × ${d.observables.join(', ')}`).join('\n') : 'no datasets'));
        return 0;
      }
      if (rest.length !== 2) throw new UsageError('usage: sgnn data import PROJECT CSV');
      const [project, csvPath] = rest;
      let observables: string[];
      if (values.observables) observables = parseIdList(values.observables as string, '--observables');
      else {
        const models = values.model ? [await resolveModel(client, project, values.model as string)] : await client.call('model.list', { project });
        const all = new Set<string>();
        for (const m of models) for (const o of (await client.call('model.get', { project, modelId: m.modelId })).model.observables) all.add(o.id);
        observables = [...all];
        if (observables.length === 0) throw new UsageError('no observables to read: add a model with observables first, or give --observables');
      }
      const map: Record<string, string> = {};
      for (const m of (values.map as string[] | undefined) ?? []) {
        const eq = m.indexOf('=');
        if (eq <= 0) throw new UsageError(`--map expects OBS=COLUMN, got "${m}"`);
        map[m.slice(0, eq).trim()] = m.slice(eq + 1).trim();
      }
      const imported = await client.call('dataset.import', {
        project, csv: readTextFile(csvPath), fileName: basename(csvPath), name: values.name as string | undefined,
        observables, timeColumn: values['time-col'] as string | undefined, map: Object.keys(map).length ? map : undefined,
      });
      for (const w of imported.warnings) io.stderr.write(`sgnn: warning: ${w}\n`);
      print(io, values, imported, () => imported.datasets.map((d) => `dataset ${d.datasetId} "${d.name}": ${d.nTimes} times × ${d.observables.join(', ')}`).join('\n'));
      return 0;
    });
  },
};

export const designCommand: Command = {
  name: 'design',
  summary: 'create and list designs (observation times × observables)',
  usage: `Usage:
  sgnn design create PROJECT --times T1,T2,... --observables A,B [--name NAME]
  sgnn design create PROJECT --dataset ID [--observables A,B] [--name NAME]   the dataset's times
  sgnn design create PROJECT --t-end T --points N --observables A,B            evenly spaced from --t-start (0)
  sgnn design list PROJECT [--json]`,
  options: {
    times: { type: 'string' }, dataset: { type: 'string' }, observables: { type: 'string' }, name: { type: 'string' },
    't-start': { type: 'string' }, 't-end': { type: 'string' }, points: { type: 'string' }, json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const [name, rest] = sub(positionals, ['create', 'list'], 'design');
    const project = one(rest, 'PROJECT');
    return withEngine(async (client) => {
      if (name === 'list') {
        const list = await client.call('design.list', { project });
        print(io, values, list, () => (list.length ? list.map((d) => `${String(d.designId).padStart(3)}  ${d.name}  ${d.times.length} times in [${d.times[0]}, ${d.times.at(-1)}] × ${d.observables.join(', ')}`).join('\n') : 'no designs'));
        return 0;
      }
      const observables = values.observables ? parseIdList(values.observables as string, '--observables') : undefined;
      let times: number[] | undefined;
      if (values.times) times = parseIdList(values.times as string, '--times').map((t) => parseFiniteNumber(t, '--times'));
      else if (values['t-end'] !== undefined) {
        const t0 = values['t-start'] === undefined ? 0 : parseFiniteNumber(values['t-start'] as string, '--t-start');
        const t1 = parseFiniteNumber(values['t-end'] as string, '--t-end');
        const n = values.points === undefined ? 101 : parseCount(values.points as string, '--points');
        times = Array.from({ length: n }, (_, k) => (k === n - 1 ? t1 : t0 + ((t1 - t0) * k) / (n - 1)));
      }
      const datasetId = values.dataset === undefined ? undefined : parseCount(values.dataset as string, '--dataset');
      if ((times === undefined) === (datasetId === undefined)) throw new UsageError('give either --times (or --t-end/--points) or --dataset');
      const design = await client.call('design.create', { project, name: values.name as string | undefined, times, datasetId, observables });
      print(io, values, design, () => `design ${design.designId} "${design.name}": ${design.times.length} times × ${design.observables.join(', ')}`);
      return 0;
    });
  },
};

export const bankCommand: Command = {
  name: 'bank',
  summary: 'simulate a bank: N prior draws of one or more models for a design',
  usage: `Usage:
  sgnn bank PROJECT --model ID [--model ID ...] --design ID --n N --seed S [options]
  sgnn bank PROJECT --resume BANK_ID
  sgnn bank PROJECT --list [--json]

Draws N parameter sets from the priors (and, with several models, the model of each run), simulates
them for the design with the noise model applied, and stores them in the project chunk by chunk.
An interrupted bank (cancel, crash, kill) keeps its completed chunks; --resume finishes it and gives
exactly the bank an uninterrupted run would have. Progress goes to stderr.
  --chunk-size K     runs per stored chunk (default: ~2 MB of observations)
  --no-noise         store noise-free observables
  --method M         auto | ode | stiff | ssa | tau (default auto)
  --workers N        worker threads (default: all cores)
  --name NAME`,
  options: {
    model: { type: 'string', multiple: true }, design: { type: 'string' }, n: { type: 'string' }, seed: { type: 'string' },
    'chunk-size': { type: 'string' }, 'no-noise': { type: 'boolean' }, method: { type: 'string' }, workers: { type: 'string' },
    name: { type: 'string' }, resume: { type: 'string' }, list: { type: 'boolean' }, json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const project = one(positionals, 'PROJECT');
    const workers = values.workers === undefined ? undefined : parseCount(values.workers as string, '--workers');
    return withEngine(async (client) => {
      if (values.list) {
        const banks = await client.call('bank.list', { project });
        print(io, values, banks, () => (banks.length ? banks.map((b) => `${String(b.bankId).padStart(3)}  ${b.name}  ${b.nDone}/${b.nTotal} runs (${b.status})${b.nFailed ? `, ${b.nFailed} failed` : ''}  seed ${b.seed}`).join('\n') : 'no banks'));
        return 0;
      }
      let started: { jobId: number; bankId: number };
      if (values.resume !== undefined) {
        started = await client.call('bank.resume', { project, bankId: parseCount(values.resume as string, '--resume') });
      } else {
        const refs = (values.model as string[] | undefined) ?? [];
        if (refs.length === 0) throw new UsageError('missing --model (a model id or name; repeat for several mechanisms)');
        if (values.design === undefined) throw new UsageError('missing --design (create one with `sgnn design create`)');
        if (values.n === undefined) throw new UsageError('missing --n (number of simulations)');
        if (values.seed === undefined) throw new UsageError('missing --seed (banks are always seeded, so they can be resumed and reproduced)');
        const models = [];
        for (const ref of refs) models.push({ modelId: (await resolveModel(client, project, ref)).modelId });
        const method = values.method as 'auto' | 'ode' | 'stiff' | 'ssa' | 'tau' | undefined;
        if (method !== undefined && !['auto', 'ode', 'stiff', 'ssa', 'tau'].includes(method)) throw new UsageError(`--method must be one of auto, ode, stiff, ssa, tau, not "${method}"`);
        started = await client.call('bank.create', {
          project, models, designId: parseCount(values.design as string, '--design'), n: parseCount(values.n as string, '--n'),
          seed: parseSeed(values.seed as string), chunkSize: values['chunk-size'] === undefined ? undefined : parseCount(values['chunk-size'] as string, '--chunk-size'),
          noise: !values['no-noise'], method, name: values.name as string | undefined,
        });
      }
      const bar = progressPrinter(io, `bank ${started.bankId}`);
      const off = client.on('job.progress', (e) => {
        if (e.jobId === started.jobId) bar.update(e.progress.current, e.progress.total, e.progress.etaSeconds);
      });
      // Ctrl-C cancels the job cleanly (completed chunks stay; --resume continues).
      const onSigint = (): void => void client.call('job.cancel', { project, jobId: started.jobId });
      process.once('SIGINT', onSigint);
      const job = await client.call('job.wait', { project, jobId: started.jobId });
      process.off('SIGINT', onSigint);
      off();
      bar.done();
      const bank = await client.call('bank.get', { project, bankId: started.bankId });
      if (job.status !== 'succeeded') {
        io.stderr.write(`sgnn: bank ${bank.bankId} ${job.status === 'cancelled' ? 'was cancelled' : `failed: ${job.error?.message}`}; ${bank.nDone}/${bank.nTotal} runs are stored. Resume with: sgnn bank ${project} --resume ${bank.bankId}\n`);
        return 1;
      }
      const result = job.result as { nFailed: number; firstFailure: string | null; seconds: number };
      if (result.nFailed > 0) io.stderr.write(`sgnn: warning: ${result.nFailed} runs failed and are stored as missing; first: ${result.firstFailure}\n`);
      print(io, values, { ...bank, job: { jobId: job.jobId, seconds: result.seconds } }, () => `bank ${bank.bankId} "${bank.name}": ${bank.nDone} runs (seed ${bank.seed}) in ${result.seconds.toFixed(1)} s`);
      return 0;
    }, { workers });
  },
};

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the app and the engine on 127.0.0.1 for a browser',
  usage: `Usage: sgnn serve [--port P] [--token T]

Starts the engine with an HTTP + WebSocket API on 127.0.0.1 (a random port unless --port) and serves
the app; prints the URL with its token (random unless --token). Every request needs the token.
Stop with Ctrl-C.`,
  options: { port: { type: 'string' }, token: { type: 'string' } },
  async run({ values }, io) {
    const { serve } = await import('../../server/serve.ts');
    const { createEngine } = await import('../../engine.ts');
    const engine = createEngine();
    const port = values.port === undefined ? 0 : parseCount(values.port as string, '--port');
    if (port > 65535) throw new UsageError(`--port must be at most 65535, not ${port}`);
    let server;
    try {
      server = await serve({ engine, port, token: values.token as string | undefined });
    } catch (err) {
      await engine.close();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new InputError(`port ${port} is already in use; choose another --port or leave it out for a free one`);
      if (code === 'EACCES') throw new InputError(`no permission to listen on port ${port}; choose a port above 1023`);
      throw err;
    }
    io.stdout.write(`SGNN Studio is serving at ${server.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await engine.close();
    return 0;
  },
};
