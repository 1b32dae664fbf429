/** Runs `sgnn` in-process with captured output (fast), or as a real process (for the bin script). */
import { PassThrough } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src-main/host/cli/main.ts';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** `sgnn ARGS` in this process. */
export async function sgnn(...args: string[]): Promise<CliRun> {
  const out = capture();
  const err = capture();
  const code = await main(args, { stdout: out.stream, stderr: err.stream, interactive: false });
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out.text(), stderr: err.text() };
}

/** `node bin/sgnn.js ARGS` as a child process. */
export function sgnnProcess(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [`${REPO}bin/sgnn.js`, ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Parse the CSV that `sgnn simulate` writes. */
export function parseCsv(text: string): { header: string[]; rows: number[][] } {
  const lines = text.trim().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

export function fixture(name: string): string {
  return `${REPO}test/fixtures/models/${name}`;
}
