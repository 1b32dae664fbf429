/**
 * The engine host: one object that validates every request against the contract, dispatches it to
 * the handler map, turns every failure into `{code, message, details}`, and emits events. It is
 * the same in the desktop app (utility process), `sgnn serve` (WebSocket) and the CLI (in-process).
 */
import { z } from 'zod';
import { AppError } from '../contract/errors.ts';
import type { ErrorData } from '../contract/errors.ts';
import { operations } from '../contract/operations.ts';
import type { OpName, OpOutput, OpParsedInput } from '../contract/operations.ts';
import type { EngineEvents, EventName } from '../contract/types.ts';
import type { EventMessage, RequestMessage, ResponseMessage } from '../contract/wire.ts';
import { ModelError } from '../model/problems.ts';
import { SimulationError } from '../simulate/types.ts';
import { ProjectError } from '../store/project.ts';
import { ProjectRegistry } from './project-registry.ts';
import { JobScheduler } from '../jobs/scheduler.ts';
import { destroyPools } from '../jobs/pool.ts';
import { projectHandlers } from './handlers/project.ts';
import { modelHandlers } from './handlers/model.ts';
import { dataHandlers } from './handlers/data.ts';
import { bankHandlers } from './handlers/bank.ts';
import { jobHandlers } from './handlers/job.ts';
import { learnHandlers } from './handlers/learn.ts';

/** What every handler gets besides its validated input. */
export interface HandlerContext {
  projects: ProjectRegistry;
  jobs: JobScheduler;
  emit<E extends EventName>(event: E, payload: EngineEvents[E]): void;
}

export type Handler<K extends OpName> = (input: OpParsedInput<K>, ctx: HandlerContext) => Promise<OpOutput<K>> | OpOutput<K>;
export type Handlers<K extends OpName = OpName> = { [P in K]: Handler<P> };

const handlers: Handlers = {
  ...projectHandlers,
  ...modelHandlers,
  ...dataHandlers,
  ...bankHandlers,
  ...jobHandlers,
  ...learnHandlers,
};

export interface EngineOptions {
  /** Worker threads for simulation jobs (default: all cores). */
  workers?: number;
  /** Minimum milliseconds between progress events of one job (default 100: ≤ 10 per second). */
  progressIntervalMs?: number;
}

export interface Engine {
  /** Validate and run one operation; rejects with AppError. */
  handle(op: string, input: unknown): Promise<unknown>;
  /** The same, as wire messages (never rejects). */
  dispatch(request: RequestMessage): Promise<ResponseMessage>;
  onEvent(listener: (message: EventMessage) => void): () => void;
  /** Cancel running jobs, close projects. */
  close(): Promise<void>;
}

/** Create an engine host. */
export function createEngine(options: EngineOptions = {}): Engine {
  const listeners = new Set<(message: EventMessage) => void>();
  const emit = <E extends EventName>(event: E, payload: EngineEvents[E]): void => {
    const message = { type: 'event', event, payload } as EventMessage;
    for (const listener of listeners) listener(message);
  };
  const projects = new ProjectRegistry();
  const jobs = new JobScheduler({ projects, emit, workers: options.workers, progressIntervalMs: options.progressIntervalMs ?? 100 });
  const ctx: HandlerContext = { projects, jobs, emit };

  async function handle(op: string, input: unknown): Promise<unknown> {
    if (!Object.hasOwn(operations, op)) throw new AppError('unknown-operation', `unknown operation "${op}"`);
    const name = op as OpName;
    const parsed = operations[name].input.safeParse(input ?? {});
    if (!parsed.success) throw new AppError('invalid-input', `invalid input for ${op}: ${describeIssues(parsed.error)}`, { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) });
    try {
      return await (handlers[name] as Handler<OpName>)(parsed.data as never, ctx);
    } catch (err) {
      throw toAppError(err);
    }
  }

  return {
    handle,
    async dispatch(request) {
      try {
        return { type: 'response', id: request.id, ok: true, result: await handle(request.op, request.input) };
      } catch (err) {
        return { type: 'response', id: request.id, ok: false, error: toErrorData(err) };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await jobs.close();
      await destroyPools();
      projects.closeAll();
      listeners.clear();
    },
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.map(String).join('.') : 'input'}: ${i.message}`).join('; ');
}

/** Any failure as an AppError: user errors keep their message; bugs become 'internal' (stack logged, not sent). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ModelError) return new AppError('invalid-model', err.message, { problems: err.problems });
  if (err instanceof SimulationError) return new AppError('simulation-failed', err.message, { t: err.t });
  if (err instanceof ProjectError) return new AppError('project', err.message, { reason: err.code });
  if (err instanceof Error && ['CsvError', 'SbmlError', 'NoiseError', 'ModelFileError'].includes(err.name)) {
    const problems = (err as Error & { problems?: unknown }).problems;
    return new AppError('invalid-input', err.message, problems === undefined ? undefined : { problems });
  }
  console.error('sgnn engine: internal error:', err);
  return new AppError('internal', `internal error: ${err instanceof Error ? err.message : String(err)}`);
}

export function toErrorData(err: unknown): ErrorData {
  return toAppError(err).toData();
}
