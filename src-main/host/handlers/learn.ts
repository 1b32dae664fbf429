/** Operations on networks, estimates, fits, comparisons and reports (long ones are jobs). */
import type { Handlers, HandlerContext } from '../engine.ts';
import { AppError } from '../../contract/errors.ts';
import type { EngineEvents, EstimateSummary, JobProgress, NetworkSummary } from '../../contract/types.ts';
import type { Project } from '../../store/project.ts';
import type { Dataset } from '../../interop/dataset-csv.ts';
import type { FitHooks } from '../../jobs/fit/pipeline.ts';
import type { FitReport } from '../../report/fit-report.ts';
import type { JobContext } from '../../jobs/scheduler.ts';
import { renderReportHtml } from '../../report/html.ts';

/** Pipeline hooks that report through a job: step progress, and training losses for live curves. */
function jobHooks(job: JobContext): FitHooks {
  let last: JobProgress | null = null;
  return {
    signal: job.signal,
    progress(step, current, total, message) {
      last = { step, current, total, message, losses: step === 'train' ? last?.losses : undefined };
      job.progress(last);
    },
    onTrain(p) {
      last = { step: 'train', current: p.epoch, total: p.epochs, message: `epoch ${p.epoch}/${p.epochs}`, losses: { epoch: p.epoch - 1 + p.batch / p.batches, train: p.trainLoss, validation: p.valLoss } };
      job.progress(last);
    },
  };
}

function storedDatasets(p: Project, ids: number[]): Dataset[] {
  return ids.map((id) => {
    const d = p.datasets.get(id);
    if (!d) throw new AppError('not-found', `${p.path} has no dataset ${id}`);
    return { id: d.name, times: Float64Array.from(d.times), observables: d.observables, values: Float64Array.from(d.values), columns: d.columns ?? {} };
  });
}

function storedModel(p: Project, modelId: number) {
  const m = p.models.get(modelId);
  if (!m) throw new AppError('not-found', `${p.path} has no model ${modelId}`);
  return m.model;
}

type Changed = EngineEvents['project.changed']['what'];

/** A fit or comparison stores models, a design, a bank, a network, datasets and estimates. */
const FIT_CHANGES: Changed[] = ['models', 'designs', 'banks', 'networks', 'datasets', 'estimates'];

function startJob(ctx: HandlerContext, project: string, kind: 'fit' | 'train' | 'evaluate' | 'estimate', spec: unknown, run: (job: JobContext) => Promise<unknown>, what: Changed | Changed[]): { jobId: number } {
  const jobId = ctx.jobs.start(project, kind, spec, async (job) => {
    const result = await run(job);
    for (const w of Array.isArray(what) ? what : [what]) ctx.emit('project.changed', { project: job.project.path, what: w });
    return result;
  });
  return { jobId };
}

export const learnHandlers: Pick<Handlers, 'fit.run' | 'compare.run' | 'network.train' | 'network.list' | 'network.evaluate' | 'estimate.run' | 'estimate.list' | 'report.render'> = {
  'fit.run'(input, ctx) {
    const p = ctx.projects.get(input.project);
    const model = storedModel(p, input.modelId);
    const datasets = storedDatasets(p, input.datasetIds);
    return startJob(ctx, input.project, 'fit', input, async (job) => {
      const { runFit } = await import('../../jobs/fit/pipeline.ts');
      return runFit({ models: [model], modelIds: [input.modelId], datasets, datasetIds: input.datasetIds, sims: input.sims, head: input.head, epochs: input.epochs, seed: input.seed, tStart: input.tStart, scaling: input.scaling, projectPath: p.path, workers: ctx.jobs.workers }, jobHooks(job));
    }, FIT_CHANGES);
  },
  'compare.run'(input, ctx) {
    const p = ctx.projects.get(input.project);
    const models = input.modelIds.map((id) => storedModel(p, id));
    const datasets = storedDatasets(p, input.datasetIds);
    return startJob(ctx, input.project, 'fit', input, async (job) => {
      const { runCompare } = await import('../../jobs/fit/pipeline.ts');
      return runCompare({ models, modelIds: input.modelIds, datasets, datasetIds: input.datasetIds, sims: input.sims, epochs: input.epochs, seed: input.seed, tStart: input.tStart, scaling: input.scaling, mlHeldOut: input.mlHeldOut, projectPath: p.path, workers: ctx.jobs.workers }, jobHooks(job));
    }, FIT_CHANGES);
  },
  'network.train'(input, ctx) {
    // Ids are checked before a job starts, so a typo is an error, not a failed job record.
    const p = ctx.projects.get(input.project);
    if (!p.banks.get(input.bankId)) throw new AppError('not-found', `${p.path} has no bank ${input.bankId}`);
    return startJob(ctx, input.project, 'train', input, async (job) => {
      const { trainOnBank } = await import('../../jobs/fit/project-steps.ts');
      return trainOnBank(job.project, input.bankId, { head: input.head, epochs: input.epochs, heldOut: input.heldOut, seed: input.seed, scaling: input.scaling, name: input.name, workers: ctx.jobs.workers }, jobHooks(job));
    }, 'networks');
  },
  'network.list'({ project }, { projects }): NetworkSummary[] {
    return projects.get(project).networks.list().map((n) => ({
      networkId: n.networkId, name: n.name, bankId: n.bankId, kind: n.kind, backend: n.backend,
      epochs: Array.isArray(n.history) ? n.history.length : 0, checks: n.checks, createdAt: n.createdAt,
    }));
  },
  'network.evaluate'(input, ctx) {
    const p = ctx.projects.get(input.project);
    if (!p.networks.list().some((n) => n.networkId === input.networkId)) throw new AppError('not-found', `${p.path} has no network ${input.networkId}`);
    return startJob(ctx, input.project, 'evaluate', input, async (job) => {
      const { evaluateNetwork } = await import('../../jobs/fit/project-steps.ts');
      return evaluateNetwork(job.project, input.networkId, input.seed ?? 0);
    }, 'networks');
  },
  'estimate.run'(input, ctx) {
    const p = ctx.projects.get(input.project);
    if (!p.networks.list().some((n) => n.networkId === input.networkId)) throw new AppError('not-found', `${p.path} has no network ${input.networkId}`);
    storedDatasets(p, input.datasetIds);
    return startJob(ctx, input.project, 'estimate', input, async (job) => {
      const { estimateWithNetwork } = await import('../../jobs/fit/project-steps.ts');
      return estimateWithNetwork(job.project, input.networkId, input.datasetIds, input.seed ?? 0);
    }, 'estimates');
  },
  'estimate.list'({ project }, { projects }): EstimateSummary[] {
    return projects.get(project).estimates.list().map((e) => ({ estimateId: e.estimateId, networkId: e.networkId, datasetId: e.datasetId ?? 0, name: e.name ?? '', createdAt: e.createdAt, result: e.result }));
  },
  'report.render'({ report, project, name }, ctx) {
    const fit = report as unknown as FitReport;
    if (fit.kind !== 'fit' && fit.kind !== 'compare') throw new AppError('invalid-input', 'report must be the result of a fit or comparison job');
    const html = renderReportHtml(fit);
    let reportId: number | null = null;
    if (project) {
      const p = ctx.projects.get(project);
      reportId = p.reports.save({ name: name ?? fit.title, html });
      ctx.emit('project.changed', { project: p.path, what: 'reports' });
    }
    return { html, reportId };
  },
};
