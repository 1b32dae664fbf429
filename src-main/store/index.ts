/** The project store: one SQLite file per project. Only this folder touches SQLite. */
export { ProjectError, isProjectError, type ProjectErrorCode } from './errors.ts';
export {
  Project, openProject, createProject, checkProjectFile, DEFAULT_BUSY_TIMEOUT_MS,
  type OpenProjectOptions, type CreateProjectOptions, type ProjectInfo, type ProjectUpgrade,
} from './project.ts';
export { MIGRATIONS, LATEST_SCHEMA_VERSION, APPLICATION_ID, backupPathFor, type Migration, type AppliedMigration } from './migrations.ts';
export type { IntegrityReport, IntegrityOptions } from './integrity.ts';
export type { Dtype, NumericArray } from './blob.ts';
export type { SavedModelVersion, ModelSummary, ModelVersionInfo, StoredModel } from './models.ts';
export type { NewDataset, DatasetSummary, StoredDataset, DatasetSource } from './datasets.ts';
export type { NewDesign, StoredDesign } from './designs.ts';
export type { NewBank, BankModelRef, BankChunkInput, BankChunk, BankInfo, BankStatus } from './banks.ts';
export type { NewNetwork, NetworkSummary, StoredNetwork, WeightTensor, WeightTensorInput } from './networks.ts';
export type { NewEstimate, StoredEstimate } from './estimates.ts';
export type { ReportSummary, StoredReport } from './reports.ts';
export { JOB_STATUSES, FINAL_JOB_STATUSES, type JobStatus, type JobProgress, type JobError, type JobRecord } from './jobs.ts';
export type { JobOwner } from './context.ts';
export { benchBankIo, type BankIoBench } from './bench-bank-io.ts';
