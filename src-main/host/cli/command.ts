/** The shape of one `sgnn` subcommand, and the streams it writes to (injectable for tests). */
import type { ParseArgsConfig } from 'node:util';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Whether stderr is a terminal (progress bars only then). */
  interactive: boolean;
}

export interface Command {
  name: string;
  summary: string;
  /** Usage text shown by `sgnn help NAME` and on usage errors. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the exit code. */
  run(args: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] }, io: CliIo): Promise<number>;
}
