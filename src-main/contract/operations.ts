/**
 * The contract: every operation between a client (renderer, CLI, tests) and the engine, with a zod
 * schema for its input and the type of its output. Transports are generic over this map: adding an
 * operation never touches a transport. Long operations return `{ jobId }` at once; their progress
 * and results arrive as events (types.ts EngineEvents).
 */
import { z } from 'zod';
import type {
  BankSummary, DatasetRecord, EstimateSummary, NetworkSummary, DatasetSummary, DesignSummary, JobInfo, ModelProblem, ModelRecord,
  ModelSummary, ProjectInfo, SimulationPreview, TemplateInfo,
} from './types.ts';

/** Declares an operation: `op<Output>()(inputSchema)` (curried so the schema's type is inferred). */
function op<O>() {
  return <I extends z.ZodType>(input: I): { input: I; output: O } => ({ input, output: undefined as unknown as O });
}

const projectPath = z.string().min(1, 'must name a project file');
const id = z.number().int().positive();
const finiteNumber = z.number().refine(Number.isFinite, 'must be a finite number');
const method = z.enum(['auto', 'ode', 'stiff', 'ssa', 'tau']);

export const operations = {
  'app.version': op<{ version: string; node: string }>()(z.object({}).strict()),
  'template.list': op<TemplateInfo[]>()(z.object({}).strict()),

  'project.create': op<ProjectInfo>()(
    z.object({ path: projectPath, name: z.string().min(1).optional(), template: z.string().min(1).optional() }).strict(),
  ),
  'project.open': op<ProjectInfo>()(z.object({ path: projectPath }).strict()),
  'project.info': op<ProjectInfo>()(z.object({ path: projectPath }).strict()),
  'project.check': op<{ ok: boolean; problems: string[] }>()(z.object({ path: projectPath }).strict()),
  'project.close': op<{ closed: boolean }>()(z.object({ path: projectPath }).strict()),

  'model.validate': op<{ valid: boolean; problems: ModelProblem[] }>()(z.object({ model: z.unknown() }).strict()),
  'model.parseText': op<{ model: unknown; problems: ModelProblem[] }>()(z.object({ text: z.string() }).strict()),
  'model.formatText': op<{ text: string }>()(z.object({ model: z.unknown() }).strict()),
  'model.simulate': op<SimulationPreview>()(z.object({
    model: z.unknown(),
    times: z.array(finiteNumber).min(1).max(100_000),
    tStart: finiteNumber.optional(),
    params: z.record(z.string(), finiteNumber).optional(),
    method: method.optional(),
    seed: z.number().int().nonnegative().optional(),
    noise: z.boolean().optional(),
  }).strict()),
  /** SBML (Level 2/3 core) → model; unsupported constructs are refused with a message naming the element. */
  'model.importSbml': op<{ model: unknown; warnings: string[] }>()(z.object({ xml: z.string().min(1).max(50_000_000) }).strict()),
  /** A model → SBML Level 3 Version 2 text. */
  'model.exportSbml': op<{ xml: string }>()(z.object({ model: z.unknown() }).strict()),
  'model.add': op<ModelSummary>()(z.object({ project: projectPath, model: z.unknown(), modelId: id.optional() }).strict()),
  'model.list': op<ModelSummary[]>()(z.object({ project: projectPath }).strict()),
  'model.get': op<ModelRecord>()(z.object({ project: projectPath, modelId: id, version: id.optional() }).strict()),

  'dataset.import': op<{ datasets: DatasetSummary[]; warnings: string[] }>()(z.object({
    project: projectPath,
    csv: z.string().max(200_000_000),
    fileName: z.string().optional(),
    name: z.string().min(1).optional(),
    observables: z.array(z.string()).min(1),
    timeColumn: z.string().optional(),
    map: z.record(z.string(), z.string()).optional(),
  }).strict()),
  'dataset.list': op<DatasetSummary[]>()(z.object({ project: projectPath }).strict()),
  'dataset.get': op<DatasetRecord>()(z.object({ project: projectPath, datasetId: id }).strict()),

  'design.create': op<DesignSummary>()(z.object({
    project: projectPath,
    name: z.string().min(1).optional(),
    times: z.array(finiteNumber).min(1).optional(),
    datasetId: id.optional(),
    observables: z.array(z.string()).min(1).optional(),
  }).strict().refine((v) => (v.times === undefined) !== (v.datasetId === undefined), 'give either times or datasetId')),
  'design.list': op<DesignSummary[]>()(z.object({ project: projectPath }).strict()),

  'bank.create': op<{ jobId: number; bankId: number }>()(z.object({
    project: projectPath,
    name: z.string().min(1).optional(),
    models: z.array(z.object({ modelId: id, version: id.optional(), weight: z.number().positive().optional() }).strict()).min(1),
    designId: id,
    n: z.number().int().positive().max(100_000_000),
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    chunkSize: z.number().int().positive().max(1_000_000).optional(),
    noise: z.boolean().optional(),
    tStart: finiteNumber.optional(),
    method: method.optional(),
  }).strict()),
  'bank.resume': op<{ jobId: number; bankId: number }>()(z.object({ project: projectPath, bankId: id }).strict()),
  'bank.list': op<BankSummary[]>()(z.object({ project: projectPath }).strict()),
  'bank.get': op<BankSummary>()(z.object({ project: projectPath, bankId: id }).strict()),

  /** The whole pipeline on stored models and datasets: bank, train, checks, estimates (a job; result: FitReport). */
  'fit.run': op<{ jobId: number }>()(z.object({
    project: projectPath,
    modelId: id,
    datasetIds: z.array(id).min(1),
    sims: z.number().int().min(200).max(10_000_000).optional(),
    head: z.enum(['mean', 'density']).optional(),
    epochs: z.number().int().min(1).max(10_000).optional(),
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    tStart: finiteNumber.optional(),
    scaling: z.boolean().optional(),
  }).strict()),
  /** Mechanism comparison on stored models and datasets (a job; result: FitReport of kind 'compare'). */
  'compare.run': op<{ jobId: number }>()(z.object({
    project: projectPath,
    modelIds: z.array(id).min(2),
    datasetIds: z.array(id).min(1),
    sims: z.number().int().min(200).max(10_000_000).optional(),
    epochs: z.number().int().min(1).max(10_000).optional(),
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    tStart: finiteNumber.optional(),
    scaling: z.boolean().optional(),
    /** Held-out simulations also refitted by maximum likelihood for the AIC/BIC confusion matrices (default 60; each costs one fit per model). */
    mlHeldOut: z.number().int().min(5).max(10_000).optional(),
  }).strict()),
  'network.train': op<{ jobId: number }>()(z.object({
    project: projectPath,
    bankId: id,
    head: z.enum(['mean', 'density', 'classifier']).optional(),
    epochs: z.number().int().min(1).max(10_000).optional(),
    heldOut: z.number().int().min(20, 'must be at least 20: the checks need held-out simulations').optional(),
    seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    scaling: z.boolean().optional(),
    name: z.string().min(1).optional(),
  }).strict()),
  'network.list': op<NetworkSummary[]>()(z.object({ project: projectPath }).strict()),
  'network.evaluate': op<{ jobId: number }>()(z.object({ project: projectPath, networkId: id, seed: z.number().int().nonnegative().optional() }).strict()),
  'estimate.run': op<{ jobId: number }>()(z.object({ project: projectPath, networkId: id, datasetIds: z.array(id).min(1), seed: z.number().int().nonnegative().optional() }).strict()),
  'estimate.list': op<EstimateSummary[]>()(z.object({ project: projectPath }).strict()),
  /** The self-contained HTML report of a fit or comparison result; saved in the project when `project` is given. */
  'report.render': op<{ html: string; reportId: number | null }>()(z.object({ report: z.record(z.string(), z.unknown()), project: projectPath.optional(), name: z.string().min(1).optional() }).strict()),

  'job.list': op<JobInfo[]>()(z.object({ project: projectPath }).strict()),
  'job.get': op<JobInfo>()(z.object({ project: projectPath, jobId: id }).strict()),
  'job.cancel': op<{ cancelled: boolean }>()(z.object({ project: projectPath, jobId: id }).strict()),
  'job.resume': op<{ jobId: number }>()(z.object({ project: projectPath, jobId: id }).strict()),
  /** Resolves when the job ends (for scripts and tests); the UI listens to events instead. */
  'job.wait': op<JobInfo>()(z.object({ project: projectPath, jobId: id }).strict()),
} as const;

export type Operations = typeof operations;
export type OpName = keyof Operations;
export type OpInput<K extends OpName> = z.input<Operations[K]['input']>;
export type OpParsedInput<K extends OpName> = z.output<Operations[K]['input']>;
export type OpOutput<K extends OpName> = Operations[K]['output'];

export const OP_NAMES = Object.keys(operations) as OpName[];
