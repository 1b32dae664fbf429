/** CLI commands on projects talk to the engine through the contract, in-process. */
import type { EngineClient } from '../../contract/client.ts';
import { AppError } from '../../contract/errors.ts';
import type { CliIo } from './command.ts';
import { InputError } from './errors.ts';

/** Run fn with a client of a fresh in-process engine; engine errors become CLI input errors. */
export async function withEngine<T>(fn: (client: EngineClient) => Promise<T>, options: { workers?: number } = {}): Promise<T> {
  // Loaded on demand: commands that need no project (simulate, validate…) start without SQLite.
  const { createEngine } = await import('../engine.ts');
  const { inProcessClient } = await import('../transports/in-process.ts');
  const engine = createEngine({ workers: options.workers });
  const client = inProcessClient(engine);
  try {
    return await fn(client);
  } catch (err) {
    if (err instanceof AppError && err.code !== 'internal') {
      const problems = (err.details as { problems?: { path?: string; message: string; line?: number; column?: string }[] } | undefined)?.problems;
      const extra = problems && !err.message.includes('\n') && problems.length > 1 ? `\n${problems.map((p) => `  ${p.path ?? (p.line ? `line ${p.line}` : '')}${p.column ? `, column ${p.column}` : ''}: ${p.message}`).join('\n')}` : '';
      throw new InputError(`${err.message}${extra}`);
    }
    throw err;
  } finally {
    client.close();
    await engine.close();
  }
}

/** A progress display on stderr: a redrawn bar on a terminal, a line every few seconds otherwise. */
export function progressPrinter(io: CliIo, label: string): { update(current: number, total: number, etaSeconds?: number): void; done(): void } {
  let lastLine = 0;
  let lastText = '';
  let drawn = false;
  return {
    update(current, total, etaSeconds) {
      const fraction = total > 0 ? current / total : 0;
      const eta = etaSeconds !== undefined && current < total ? `  ETA ${formatSeconds(etaSeconds)}` : '';
      const text = `${label} ${(fraction * 100).toFixed(0).padStart(3)}%  ${current.toLocaleString('en-US')}/${total.toLocaleString('en-US')}${eta}`;
      if (io.interactive) {
        const width = 30;
        const filled = Math.round(fraction * width);
        io.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K`);
        drawn = true;
      } else if ((Date.now() - lastLine > 2000 || current === total) && text !== lastText) {
        io.stderr.write(`${text}\n`);
        lastLine = Date.now();
        lastText = text;
      }
    },
    done() {
      if (drawn) io.stderr.write('\n');
    },
  };
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
