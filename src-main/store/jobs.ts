/**
 * Jobs: every long task with its spec, status, progress, checkpoint and result, so that a job the
 * app was running when it died shows up as 'interrupted' (and can be resumed from its checkpoint)
 * instead of 'running' forever.
 *
 * A running job records its owner (host, pid, session). On open, only jobs whose owner is gone are
 * marked interrupted, so opening a project in a second process (the CLI beside the app) leaves the
 * first process's live jobs alone. A recycled pid can make a dead owner look alive; such a job stays
 * 'running' until that pid ends — a rare, visible and harmless failure, unlike interrupting live work.
 */
import { hostname } from 'node:os';
import { checkName, fromJson, missing, toJson, type JobOwner, type StoreContext } from './context.ts';
import { ProjectError } from './errors.ts';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/** Every job status. */
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'];

/** Statuses in which a job has stopped (finish time recorded). */
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface JobProgress {
  step: string;
  current: number;
  total: number;
  message?: string;
  /** Seconds left, when the job can tell. */
  etaSeconds?: number;
}

/** How errors cross to the UI: data, never a stack trace. */
export interface JobError {
  code: string;
  message: string;
  details?: unknown;
}

export interface JobRecord {
  jobId: number;
  kind: string;
  spec: unknown;
  status: JobStatus;
  progress: JobProgress | null;
  error: JobError | null;
  result: unknown;
  /** JSON value, or a Uint8Array when the checkpoint was saved as bytes; null when none. */
  checkpoint: unknown;
  owner: JobOwner | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

interface JobRow {
  id: number;
  kind: string;
  spec: string;
  status: JobStatus;
  progress: string | null;
  error: string | null;
  result: string | null;
  checkpoint: string | Buffer | null;
  owner: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

/** Sessions open in this process, so a job owned by this pid is live only if its session still is. */
const liveSessions = new Set<string>();

/** Records that a project session of this process is open. */
export function registerSession(session: JobOwner): void {
  liveSessions.add(session.session);
}

/** Records that a project session of this process has closed. */
export function unregisterSession(session: JobOwner): void {
  liveSessions.delete(session.session);
}

/** Whether the process that owns a running job may still be running it. */
export function ownerIsAlive(owner: JobOwner | null): boolean {
  if (owner === null || typeof owner.pid !== 'number') return false;
  // SQLite's locking does not work across machines, so a project is never live on two hosts at once.
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return liveSessions.has(owner.session);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Jobs of a project. */
export class JobRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Records a new job as 'queued'; returns its id. */
  create(input: { kind: string; spec: unknown }): number {
    const ctx = this.#ctx;
    checkName(input.kind, 'the job kind');
    const spec = toJson(input.spec ?? null, `the spec of the ${input.kind} job`);
    return ctx.write(() => {
      const now = ctx.now().toISOString();
      return Number(ctx.stmt("INSERT INTO jobs (kind, spec, status, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?)").run(input.kind, spec, now, now).lastInsertRowid);
    });
  }

  /**
   * Moves a job to a status. 'running' records this session as owner and the start time, and
   * clears an earlier error (a failed, cancelled or interrupted job may be resumed under the same
   * id); succeeded, failed and cancelled record the finish time. A succeeded job is never changed.
   */
  setStatus(jobId: number, status: JobStatus, extra: { error?: JobError | string; result?: unknown } = {}): void {
    const ctx = this.#ctx;
    if (!JOB_STATUSES.includes(status)) throw new ProjectError('invalid', `job status must be one of ${JOB_STATUSES.join(', ')} (found ${JSON.stringify(status)})`);
    const error = extra.error === undefined ? null
      : toJson(typeof extra.error === 'string' ? { code: 'error', message: extra.error } : extra.error, `the error of job ${jobId}`);
    const result = extra.result === undefined ? null : toJson(extra.result, `the result of job ${jobId}`);
    ctx.write(() => {
      const row = ctx.stmt('SELECT status FROM jobs WHERE id = ?').get(jobId) as { status: JobStatus } | undefined;
      if (row === undefined) throw missing(ctx, `job ${jobId}`);
      if (row.status === 'succeeded' && status !== 'succeeded') {
        throw new ProjectError('invalid', `job ${jobId} has already succeeded; it cannot become ${status}`, { file: ctx.path });
      }
      const now = ctx.now().toISOString();
      const final = FINAL_JOB_STATUSES.includes(status);
      const restart = status === 'running' || status === 'queued';
      ctx.stmt(`UPDATE jobs SET status = ?, updated_at = ?,
        started_at = CASE WHEN ? AND started_at IS NULL THEN ? ELSE started_at END,
        finished_at = CASE WHEN ? THEN COALESCE(finished_at, ?) ELSE NULL END,
        owner = CASE WHEN ? THEN ? ELSE owner END,
        error = CASE WHEN ? IS NOT NULL THEN ? WHEN ? THEN NULL ELSE error END,
        result = COALESCE(?, result)
        WHERE id = ?`).run(status, now,
        status === 'running' ? 1 : 0, now,
        final ? 1 : 0, now,
        status === 'running' ? 1 : 0, status === 'running' ? toJson(ctx.session, 'the job owner') : null,
        error, error, restart ? 1 : 0,
        result, jobId);
    });
  }

  /** Records progress ({step, current, total, message?, …}); throttle at the source, this writes every call. */
  setProgress(id: number, progress: JobProgress): void {
    const ctx = this.#ctx;
    if (typeof progress?.step !== 'string' || !Number.isFinite(progress.current) || !Number.isFinite(progress.total)) {
      throw new ProjectError('invalid', `job ${id}: progress must be { step: string, current: number, total: number, message?: string }`);
    }
    const json = toJson(progress, 'progress');
    ctx.write(() => {
      if (ctx.stmt('UPDATE jobs SET progress = ?, updated_at = ? WHERE id = ?').run(json, ctx.now().toISOString(), id).changes === 0) throw missing(ctx, `job ${id}`);
    });
  }

  /** Saves what a job needs to resume (JSON, or bytes as a Uint8Array); replaces the previous one. */
  setCheckpoint(id: number, checkpoint: unknown): void {
    const ctx = this.#ctx;
    const value = checkpoint instanceof Uint8Array ? Buffer.from(checkpoint.buffer, checkpoint.byteOffset, checkpoint.byteLength)
      : checkpoint === null || checkpoint === undefined ? null : toJson(checkpoint, `the checkpoint of job ${id}`);
    ctx.write(() => {
      if (ctx.stmt('UPDATE jobs SET checkpoint = ?, updated_at = ? WHERE id = ?').run(value, ctx.now().toISOString(), id).changes === 0) throw missing(ctx, `job ${id}`);
    });
  }

  /** One job, or undefined. */
  get(id: number): JobRecord | undefined {
    const row = this.#ctx.read(() => this.#ctx.stmt('SELECT * FROM jobs WHERE id = ?').get(id)) as JobRow | undefined;
    return row === undefined ? undefined : this.#toJob(row);
  }

  /** Jobs, oldest first, optionally with given status(es) and kind. */
  list(filter: { status?: JobStatus | readonly JobStatus[]; kind?: string } = {}): JobRecord[] {
    const ctx = this.#ctx;
    const statuses = filter.status === undefined ? null : typeof filter.status === 'string' ? [filter.status] : [...filter.status];
    const rows = ctx.read(() => ctx.stmt(`SELECT * FROM jobs
      WHERE (? IS NULL OR status IN (SELECT value FROM json_each(?))) AND (? IS NULL OR kind = ?) ORDER BY id`)
      .all(statuses === null ? null : 1, toJson(statuses ?? [], 'statuses'), filter.kind ?? null, filter.kind ?? null)) as JobRow[];
    return rows.map((r) => this.#toJob(r));
  }

  /** How many jobs have each status. */
  summary(): Record<JobStatus, number> {
    const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    const rows = this.#ctx.read(() => this.#ctx.stmt('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all()) as { status: JobStatus; n: number }[];
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  /**
   * Marks 'running' jobs whose owning process is gone as 'interrupted'; returns how many. Called on
   * open. Takes the write lock only when there is something to mark.
   */
  markRunningAsInterrupted(): number {
    const ctx = this.#ctx;
    const stale = (): number[] => (ctx.stmt("SELECT id, owner FROM jobs WHERE status = 'running'").all() as { id: number; owner: string | null }[])
      .filter((r) => !ownerIsAlive(parseOwner(r.owner)))
      .map((r) => r.id);
    if (ctx.read(stale).length === 0) return 0;
    return ctx.write(() => {
      const ids = stale();
      const now = ctx.now().toISOString();
      const error = toJson({ code: 'interrupted', message: 'SGNN Studio stopped while this job was running' } satisfies JobError, 'error');
      const update = ctx.stmt("UPDATE jobs SET status = 'interrupted', error = ?, updated_at = ? WHERE id = ? AND status = 'running'");
      let n = 0;
      for (const id of ids) n += update.run(error, now, id).changes;
      return n;
    });
  }

  #toJob(r: JobRow): JobRecord {
    const ctx = this.#ctx;
    return {
      jobId: r.id,
      kind: r.kind,
      spec: fromJson(ctx, r.spec, `the spec of job ${r.id}`),
      status: r.status,
      progress: r.progress === null ? null : fromJson<JobProgress>(ctx, r.progress, `the progress of job ${r.id}`),
      error: r.error === null ? null : fromJson<JobError>(ctx, r.error, `the error of job ${r.id}`),
      result: r.result === null ? null : fromJson(ctx, r.result, `the result of job ${r.id}`),
      checkpoint: r.checkpoint === null ? null : typeof r.checkpoint === 'string'
        ? fromJson(ctx, r.checkpoint, `the checkpoint of job ${r.id}`) : new Uint8Array(r.checkpoint),
      owner: parseOwner(r.owner),
      createdAt: r.created_at,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      updatedAt: r.updated_at,
    };
  }
}

function parseOwner(text: string | null): JobOwner | null {
  if (text === null) return null;
  try {
    const o = JSON.parse(text) as JobOwner;
    return typeof o === 'object' && o !== null ? o : null;
  } catch {
    return null;
  }
}
