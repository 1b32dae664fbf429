/**
 * Where a command's main output goes: a file or stdout. A file is written beside its final name
 * and renamed into place only when the command succeeds, so a failed or interrupted command never
 * leaves a half-written CSV or report under the name the user asked for (nor clobbers an old one).
 */
import { createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { InputError } from './errors.ts';

interface PendingFile {
  stream: NodeJS.WritableStream & { destroy(): void };
  partial: string;
  final: string;
}

const pending = new Map<NodeJS.WritableStream, PendingFile>();

/** Open FILE for writing (through a temporary name), or return stdout when no file was asked for. */
export function openOutput(path: string | undefined, stdout: NodeJS.WritableStream): NodeJS.WritableStream {
  if (path === undefined) return stdout;
  const partial = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
  let fd: number;
  try {
    fd = openSync(partial, 'w');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`cannot write ${path}: ${code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'no permission' : (err as Error).message}`);
  }
  const stream = createWriteStream('', { fd });
  // A failed write is reported by the next write or by closeOutput (through stream.errored); this
  // listener only keeps the 'error' event from ending the process before they can.
  stream.on('error', () => {});
  pending.set(stream, { stream, partial, final: path });
  return stream;
}

/** Write with back-pressure, so a million-row CSV never piles up in memory. */
export function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  return writeOrWait(out, text) ?? Promise.resolve();
}

/**
 * write() for hot loops: nothing to await (undefined) while the stream takes the text, else a
 * promise of 'drain', rejected if the stream fails first (or already failed). An error of text
 * already taken surfaces at closeOutput, as for any buffered write.
 */
export function writeOrWait(out: NodeJS.WritableStream, text: string): Promise<void> | undefined {
  if (out.write(text)) return undefined;
  return new Promise((resolve, reject) => {
    // A stream that already failed never drains again.
    const broken = out as { errored?: Error | null; destroyed?: boolean };
    if (broken.errored) return reject(broken.errored);
    if (broken.destroyed) return reject(new Error('the output was closed before everything was written'));
    // Each way out removes the other listener: a long CSV waits for 'drain' thousands of times.
    const onDrain = (): void => {
      out.removeListener('error', onError);
      resolve();
    };
    const onError = (err: Error): void => {
      out.removeListener('drain', onDrain);
      reject(err);
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

/** Finish the output: end a file stream and move it to its final name; leave stdout open. */
export async function closeOutput(out: NodeJS.WritableStream, stdout: NodeJS.WritableStream): Promise<void> {
  if (out === stdout) return;
  const file = pending.get(out);
  // end() then finished(): end's callback comes before an error of the last writes (disk full),
  // which must not rename a cut-off file into place.
  out.end();
  await finished(out);
  if (!file) return;
  pending.delete(out);
  try {
    renameSync(file.partial, file.final);
  } catch (err) {
    rmSync(file.partial, { force: true });
    throw new InputError(`cannot write ${file.final}: ${(err as Error).message}`);
  }
}

/** After a failure: drop every output file still being written (the user's files stay as they were). */
export function discardOutputs(): void {
  for (const file of pending.values()) {
    file.stream.destroy();
    rmSync(file.partial, { force: true });
  }
  pending.clear();
}

/** Write a whole text to FILE or stdout. */
export async function writeAll(path: string | undefined, stdout: NodeJS.WritableStream, text: string): Promise<void> {
  const out = openOutput(path, stdout);
  await write(out, text);
  await closeOutput(out, stdout);
}
