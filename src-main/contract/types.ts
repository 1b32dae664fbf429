/** Domain types that cross the contract (results of operations, payloads of events). Plain data only. */
import type { Model } from '../model/schema.ts';
import type { ModelProblem } from '../model/problems.ts';
import type { ErrorData } from './errors.ts';

export type { Model, ModelProblem };

export interface ProjectInfo {
  path: string;
  name: string;
  schemaVersion: number;
  createdWith: string | null;
  counts: { models: number; modelVersions: number; datasets: number; designs: number; banks: number; networks: number; estimates: number; reports: number; jobs: number };
  /** Bytes of stored data per kind. */
  bytes: Record<string, number>;
  fileBytes: number;
  /** Jobs that were running when the project was last closed uncleanly (can be resumed). */
  interruptedJobs: JobInfo[];
}

export interface ModelSummary {
  modelId: number;
  name: string;
  version: number;
  versions: number;
  updatedAt: string;
}

export interface ModelRecord extends ModelSummary {
  model: Model;
}

export interface DatasetSummary {
  datasetId: number;
  name: string;
  observables: string[];
  nTimes: number;
  importedAt: string;
}

export interface DatasetRecord extends DatasetSummary {
  times: number[];
  /** values[k][j]: observable j at times[k]; null = missing. */
  values: (number | null)[][];
  columns: Record<string, string>;
}

export interface DesignSummary {
  designId: number;
  name: string;
  times: number[];
  observables: string[];
  datasetId: number | null;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export type JobKind = 'bank' | 'train' | 'evaluate' | 'estimate' | 'fit' | 'report';

export interface JobProgress {
  step: string;
  current: number;
  total: number;
  message?: string;
  /** Live training losses (train/validation) for loss curves. */
  losses?: { epoch: number; train: number; validation: number | null };
  /** Seconds left, estimated from the rate so far. */
  etaSeconds?: number;
}

export interface JobInfo {
  jobId: number;
  project: string;
  kind: JobKind;
  /** What the job was started with (e.g. {bankId} for a bank job). */
  spec?: unknown;
  status: JobStatus;
  progress: JobProgress | null;
  error: ErrorData | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface BankSummary {
  bankId: number;
  name: string;
  designId: number;
  models: { modelId: number; version: number; label: string; weight: number }[];
  seed: number;
  nTotal: number;
  nDone: number;
  nFailed: number;
  chunkSize: number;
  noise: boolean;
  status: 'incomplete' | 'complete';
  createdAt: string;
}

export interface NetworkSummary {
  networkId: number;
  name: string;
  bankId: number;
  kind: string;
  backend: string;
  epochs: number;
  /** Stored checks (parameters, recovery, scaling, confusion), when evaluated. */
  checks: unknown;
  createdAt: string;
}

export interface EstimateSummary {
  estimateId: number;
  networkId: number;
  datasetId: number;
  name: string;
  createdAt: string;
  /** A DatasetResult (report/fit-report.ts). */
  result: unknown;
}

export interface SimulationPreview {
  times: number[];
  stateIds: string[];
  /** states[i][k]: state i at times[k] */
  states: number[][];
  observableIds: string[];
  observables: number[][];
  ruleIds: string[];
  rules: number[][];
}

export interface TemplateInfo {
  id: string;
  name: string;
  description: string;
  source: string;
  model: Model;
}

/** Events the engine emits; every transport forwards them. */
export interface EngineEvents {
  'job.progress': { project: string; jobId: number; kind: JobKind; progress: JobProgress };
  'job.finished': { project: string; jobId: number; kind: JobKind; status: JobStatus; result?: unknown; error?: ErrorData };
  'project.changed': { project: string; what: 'models' | 'datasets' | 'designs' | 'banks' | 'networks' | 'estimates' | 'reports' | 'jobs' };
}
export type EventName = keyof EngineEvents;
