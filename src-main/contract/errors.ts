/** Errors cross every boundary (worker, WebSocket, MessagePort) as plain data, never as stack traces. */

export type ErrorCode =
  | 'invalid-input'      // the request does not match the operation's schema
  | 'unknown-operation'
  | 'not-found'          // a project, model, dataset, bank, job… that does not exist
  | 'invalid-model'
  | 'simulation-failed'
  | 'project'            // the project file cannot be used (details.reason: not-a-project, corrupt, too-new, locked, …)
  | 'conflict'           // e.g. a job already running on the same bank
  | 'cancelled'
  | 'unauthorized'
  | 'internal';

export interface ErrorData {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** An error meant for the user: its message says what is wrong and where. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toData(): ErrorData {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

/** Is this value an ErrorData (as received from a transport)? */
export function isErrorData(value: unknown): value is ErrorData {
  return typeof value === 'object' && value !== null && typeof (value as ErrorData).code === 'string' && typeof (value as ErrorData).message === 'string';
}
