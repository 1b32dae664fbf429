/** Errors of the command line: a usage mistake (exit 2) or a user-input problem (exit 1). */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A problem with the user's input (file missing, invalid model, failed simulation): exit 1, no stack trace. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
