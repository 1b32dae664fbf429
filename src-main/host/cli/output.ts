/** Where a command's main output goes: a file (opened up front, so a bad path fails early and clearly) or stdout. */
import { createWriteStream, openSync } from 'node:fs';
import { InputError } from './errors.ts';

/** Open FILE for writing, or return stdout when no file was asked for. */
export function openOutput(path: string | undefined, stdout: NodeJS.WritableStream): NodeJS.WritableStream {
  if (path === undefined) return stdout;
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new InputError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (err as Error).message}`);
  }
  return createWriteStream('', { fd });
}

/** Write with back-pressure, so a million-row CSV never piles up in memory. */
export function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = out.write(text, (err) => (err ? reject(err) : undefined));
    if (ok) resolve();
    else out.once('drain', () => resolve());
  });
}

/** Finish the output: end a file stream (surfacing write errors); leave stdout open. */
export function closeOutput(out: NodeJS.WritableStream, stdout: NodeJS.WritableStream): Promise<void> {
  if (out === stdout) return Promise.resolve();
  return new Promise((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}

/** Write a whole text to FILE or stdout. */
export async function writeAll(path: string | undefined, stdout: NodeJS.WritableStream, text: string): Promise<void> {
  const out = openOutput(path, stdout);
  await write(out, text);
  await closeOutput(out, stdout);
}
