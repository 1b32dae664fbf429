/** Operations on simulation banks: create (a job), resume, inspect. */
import type { Handlers, HandlerContext } from '../engine.ts';
import { AppError } from '../../contract/errors.ts';
import type { BankSummary } from '../../contract/types.ts';
import type { Project } from '../../store/project.ts';
import type { Method } from '../../simulate/types.ts';
import { compileModel } from '../../model/compile.ts';
import type { BankSpec } from '../../jobs/bank-chunk.ts';
import { runBankJob } from '../../jobs/bank-job.ts';

/** What a bank stores about how it was made (its `spec` column); enough to resume it exactly. */
interface StoredBankSpec {
  tStart: number;
  method: Method;
  observables: string[];
  paramIds: string[];
}

/** Default chunk size: ~1–4 MB of observations per chunk keeps writes efficient and memory bounded. */
function defaultChunkSize(nTimes: number, nObs: number, n: number): number {
  const perRun = Math.max(1, nTimes * nObs);
  return Math.min(n, Math.max(100, Math.min(10_000, Math.floor(500_000 / perRun))));
}

/** Rebuild the simulation spec of a stored bank from the model versions and design it records. */
export function bankSpec(p: Project, bankId: number): BankSpec {
  const bank = p.banks.get(bankId);
  if (!bank) throw new AppError('not-found', `${p.path} has no bank ${bankId}`);
  const design = p.designs.get(bank.designId);
  if (!design) throw new AppError('not-found', `bank ${bankId}: its design ${bank.designId} is missing`);
  const stored = bank.spec as StoredBankSpec;
  return {
    models: bank.models.map((m) => {
      const record = p.models.get(m.modelId, m.version);
      if (!record) throw new AppError('not-found', `bank ${bankId}: model ${m.modelId} version ${m.version} is missing`);
      return { model: record.model, label: m.label, weight: m.weight };
    }),
    times: Float64Array.from(design.times),
    tStart: stored.tStart,
    observables: stored.observables,
    seed: bank.seed,
    noise: bank.noise,
    method: stored.method,
    paramIds: stored.paramIds,
  };
}

/** Start (or restart) the job that fills in a bank's missing chunks. */
export function resumeBank(projectPath: string, bankId: number, ctx: HandlerContext, jobId?: number): { jobId: number; bankId: number } {
  const p = ctx.projects.get(projectPath);
  const spec = bankSpec(p, bankId);
  const id = ctx.jobs.start(projectPath, 'bank', { bankId }, async (job) => {
    const result = await runBankJob(job, p, bankId, spec, ctx.jobs.workers);
    ctx.emit('project.changed', { project: p.path, what: 'banks' });
    return result;
  }, jobId);
  return { jobId: id, bankId };
}

function summary(b: ReturnType<Project['banks']['get']> & object): BankSummary {
  return {
    bankId: b.bankId, name: b.name, designId: b.designId, models: b.models, seed: b.seed, nTotal: b.nTotal,
    nDone: b.nDone, nFailed: b.nFailed ?? 0, chunkSize: b.chunkSize, noise: b.noise,
    status: b.status === 'complete' ? 'complete' : 'incomplete', createdAt: b.createdAt,
  };
}

export const bankHandlers: Pick<Handlers, 'bank.create' | 'bank.resume' | 'bank.list' | 'bank.get'> = {
  'bank.create'(input, ctx) {
    const p = ctx.projects.get(input.project);
    const design = p.designs.get(input.designId);
    if (!design) throw new AppError('not-found', `${p.path} has no design ${input.designId}`);
    const models = input.models.map((m) => {
      const record = p.models.get(m.modelId, m.version);
      if (!record) throw new AppError('not-found', `${p.path} has no model ${m.modelId}${m.version ? ` version ${m.version}` : ''}`);
      return { record, weight: m.weight ?? 1 };
    });
    const paramIds: string[] = [];
    for (const { record } of models) {
      const c = compileModel(record.model);
      for (const id of design.observables) {
        if (!c.observableIds.includes(id)) throw new AppError('invalid-input', `model "${record.name}" has no observable "${id}" that the design measures (it has: ${c.observableIds.join(', ') || 'none'})`);
      }
      for (const pi of c.unknownParams) if (!paramIds.includes(c.paramIds[pi])) paramIds.push(c.paramIds[pi]);
    }
    const labels = models.map(({ record }) => record.name);
    if (new Set(labels).size !== labels.length) labels.forEach((l, i) => (labels[i] = `${l} (model ${models[i].record.modelId})`));
    const stored: StoredBankSpec = { tStart: input.tStart ?? 0, method: input.method ?? 'auto', observables: design.observables, paramIds };
    if (stored.tStart > design.times[0]) throw new AppError('invalid-input', `tStart (${stored.tStart}) is after the design's first time (${design.times[0]})`);
    const bankId = p.banks.create({
      name: input.name ?? `${labels.join(' + ')} × ${input.n}`,
      designId: input.designId,
      models: models.map(({ record, weight }, i) => ({ modelId: record.modelId, version: record.version, label: labels[i], weight })),
      seed: input.seed,
      nTotal: input.n,
      chunkSize: input.chunkSize ?? defaultChunkSize(design.times.length, design.observables.length, input.n),
      noise: input.noise ?? true,
      spec: stored,
    });
    ctx.emit('project.changed', { project: p.path, what: 'banks' });
    return resumeBank(input.project, bankId, ctx);
  },
  'bank.resume'({ project, bankId }, ctx) {
    const p = ctx.projects.get(project);
    const bank = p.banks.get(bankId);
    if (!bank) throw new AppError('not-found', `${p.path} has no bank ${bankId}`);
    const previous = p.jobs.list().filter((j) => j.kind === 'bank' && (j.spec as { bankId?: number })?.bankId === bankId).at(-1);
    if (previous && ctx.jobs.isRunning(project, previous.jobId)) throw new AppError('conflict', `bank ${bankId} is already being generated by job ${previous.jobId}`);
    return resumeBank(project, bankId, ctx, previous && previous.status !== 'succeeded' ? previous.jobId : undefined);
  },
  'bank.list'({ project }, { projects }) {
    return projects.get(project).banks.list().map(summary);
  },
  'bank.get'({ project, bankId }, { projects }) {
    const p = projects.get(project);
    const b = p.banks.get(bankId);
    if (!b) throw new AppError('not-found', `${p.path} has no bank ${bankId}`);
    return summary(b);
  },
};
