/**
 * Jobs: long tasks (bank, train, …) that report progress, can be cancelled, and leave their state in
 * the project, so a crash leaves them 'interrupted' (resumable) rather than lost. Progress events
 * are throttled at the source (≤ 1 per progressIntervalMs per job; the last one always goes out).
 */
import type { ErrorData } from '../contract/errors.ts';
import { AppError } from '../contract/errors.ts';
import type { EngineEvents, EventName, JobInfo, JobKind, JobProgress } from '../contract/types.ts';
import type { Project } from '../store/project.ts';
import type { ProjectRegistry } from '../host/project-registry.ts';

export interface JobContext {
  readonly jobId: number;
  readonly project: Project;
  readonly signal: AbortSignal;
  /** Report progress (throttled); also recorded in the project. */
  progress(p: JobProgress): void;
  /** Throws AppError('cancelled') once the job was cancelled. */
  throwIfCancelled(): void;
}

export type JobRunner = (ctx: JobContext) => Promise<unknown>;

interface RunningJob {
  controller: AbortController;
  done: Promise<JobInfo>;
}

export interface SchedulerOptions {
  projects: ProjectRegistry;
  emit<E extends EventName>(event: E, payload: EngineEvents[E]): void;
  workers?: number;
  progressIntervalMs: number;
}

export class JobScheduler {
  readonly workers: number | undefined;
  #options: SchedulerOptions;
  #running = new Map<string, RunningJob>();

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.workers = options.workers;
  }

  #key(projectPath: string, jobId: number): string {
    return `${this.#options.projects.key(projectPath)}#${jobId}`;
  }

  /** Start a job now; returns its id at once. `jobId` reuses an existing job record (resume). */
  start(projectPath: string, kind: JobKind, spec: unknown, run: JobRunner, jobId?: number): number {
    const project = this.#options.projects.get(projectPath);
    const id = jobId ?? project.jobs.create({ kind, spec });
    const key = this.#key(projectPath, id);
    if (this.#running.has(key)) throw new AppError('conflict', `job ${id} is already running`);
    const controller = new AbortController();
    const path = project.path;
    const emit = this.#options.emit;
    const interval = this.#options.progressIntervalMs;
    let lastSent = 0;
    let latest: JobProgress | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let finished = false;
    const started = Date.now();
    const flush = (): void => {
      timer = null;
      // A throttled report that comes due after the job ended (or its project closed) is dropped:
      // the final state is already written, and a closed database must not be touched.
      if (!latest || !project.isOpen) return;
      lastSent = Date.now();
      project.jobs.setProgress(id, latest);
      emit('job.progress', { project: path, jobId: id, kind, progress: latest });
    };
    const ctx: JobContext = {
      jobId: id,
      project,
      signal: controller.signal,
      progress(p) {
        if (finished) return;
        const elapsed = (Date.now() - started) / 1000;
        latest = p.current > 0 && p.total > p.current && elapsed > 0.5 ? { ...p, etaSeconds: (elapsed / p.current) * (p.total - p.current) } : p;
        const wait = lastSent + interval - Date.now();
        if (wait <= 0) flush();
        else if (!timer) timer = setTimeout(flush, wait);
      },
      throwIfCancelled() {
        if (controller.signal.aborted) throw new AppError('cancelled', `job ${id} was cancelled`);
      },
    };
    project.jobs.setStatus(id, 'running');
    const done = (async (): Promise<JobInfo> => {
      await Promise.resolve(); // let start() return the id before any work happens
      try {
        const result = await run(ctx);
        if (timer) clearTimeout(timer);
        flush();
        project.jobs.setStatus(id, 'succeeded', { result });
        emit('job.finished', { project: path, jobId: id, kind, status: 'succeeded', result });
      } catch (err) {
        if (timer) clearTimeout(timer);
        flush();
        const cancelled = controller.signal.aborted;
        const error: ErrorData = cancelled
          ? { code: 'cancelled', message: `job ${id} was cancelled` }
          : err instanceof AppError ? err.toData() : toData(err);
        project.jobs.setStatus(id, cancelled ? 'cancelled' : 'failed', { error });
        emit('job.finished', { project: path, jobId: id, kind, status: cancelled ? 'cancelled' : 'failed', error });
      } finally {
        finished = true;
        if (timer) clearTimeout(timer);
        this.#running.delete(key);
      }
      return jobInfo(project, id);
    })();
    this.#running.set(key, { controller, done });
    return id;
  }

  /** Ask a running job to stop; false when it is not running. */
  cancel(projectPath: string, jobId: number): boolean {
    const job = this.#running.get(this.#key(projectPath, jobId));
    if (!job) return false;
    job.controller.abort();
    return true;
  }

  /** Whether any job of this project is running. */
  hasRunning(projectPath: string): boolean {
    const prefix = `${this.#options.projects.key(projectPath)}#`;
    for (const key of this.#running.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  isRunning(projectPath: string, jobId: number): boolean {
    return this.#running.has(this.#key(projectPath, jobId));
  }

  /** Resolves with the job's final state (immediately when it is not running). */
  async wait(projectPath: string, jobId: number): Promise<JobInfo> {
    const job = this.#running.get(this.#key(projectPath, jobId));
    if (job) return job.done;
    return jobInfo(this.#options.projects.get(projectPath), jobId);
  }

  /** Cancel every running job and wait for them to settle. */
  async close(): Promise<void> {
    const all = [...this.#running.values()];
    for (const job of all) job.controller.abort();
    await Promise.allSettled(all.map((j) => j.done));
  }
}

/** A job's failure as data, classified like the engine's errors (by name: jobs/ cannot import host/). */
function toData(err: unknown): ErrorData {
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'SimulationError' || name === 'NoiseError') return { code: 'simulation-failed', message };
  if (name === 'ModelError') return { code: 'invalid-model', message };
  if (name === 'ProjectError') return { code: 'project', message };
  if (['CsvError', 'SbmlError', 'LikelihoodError', 'ModelFileError'].includes(name)) return { code: 'invalid-input', message };
  console.error('sgnn engine: internal error in a job:', err);
  return { code: 'internal', message: `internal error: ${message}` };
}

/** A job record as the contract's JobInfo. */
export function jobInfo(project: Project, jobId: number): JobInfo {
  const job = project.jobs.get(jobId);
  if (!job) throw new AppError('not-found', `${project.path} has no job ${jobId}`);
  return { ...job, project: project.path } as JobInfo;
}
