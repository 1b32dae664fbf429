/** `sgnn train|evaluate|estimate`: the pipeline step by step on a project, through the engine's contract. */
import type { Command, CliIo } from '../command.ts';
import { UsageError, InputError } from '../errors.ts';
import { withEngine, progressPrinter } from '../engine-session.ts';
import { parseCount, parseSeed, parseIdList } from '../parse-values.ts';
import type { EngineClient } from '../../../contract/client.ts';
import type { JobInfo } from '../../../contract/types.ts';

/** Wait for a job, drawing its progress on stderr; fails with the job's own message. */
async function follow(client: EngineClient, project: string, jobId: number, io: CliIo, label: string): Promise<JobInfo> {
  let bar = progressPrinter(io, label);
  let step = '';
  const off = client.on('job.progress', (e) => {
    if (e.jobId !== jobId) return;
    if (e.progress.step !== step) {
      bar.done();
      step = e.progress.step;
      bar = progressPrinter(io, step.padEnd(8));
    }
    bar.update(e.progress.current, e.progress.total, e.progress.etaSeconds);
  });
  const onSigint = (): void => void client.call('job.cancel', { project, jobId });
  process.once('SIGINT', onSigint);
  try {
    const job = await client.call('job.wait', { project, jobId });
    if (job.status !== 'succeeded') throw new InputError(`${label} ${job.status === 'cancelled' ? 'was cancelled' : `failed: ${job.error?.message}`}`);
    return job;
  } finally {
    process.off('SIGINT', onSigint);
    off();
    bar.done();
  }
}

function seedOf(values: Record<string, unknown>): number {
  return values.seed === undefined ? 0 : parseSeed(values.seed as string);
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train an SGNN on a stored bank',
  usage: `Usage: sgnn train PROJECT --bank ID [--head mean|density|classifier] [--epochs N] [--held-out N] [--seed S] [--no-scaling] [--json]

Trains on the bank's runs except the last --held-out (default min(1000, n/5)), kept for
\`sgnn evaluate\`. A bank of several models trains a mechanism classifier.`,
  options: { bank: { type: 'string' }, head: { type: 'string' }, epochs: { type: 'string' }, 'held-out': { type: 'string' }, seed: { type: 'string' }, 'no-scaling': { type: 'boolean' }, name: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('usage: sgnn train PROJECT --bank ID');
    if (values.bank === undefined) throw new UsageError('missing --bank (see `sgnn bank PROJECT --list`)');
    const head = values.head as 'mean' | 'density' | 'classifier' | undefined;
    if (head !== undefined && !['mean', 'density', 'classifier'].includes(head)) throw new UsageError(`--head must be mean, density or classifier, not "${head}"`);
    const project = positionals[0];
    return withEngine(async (client) => {
      const { jobId } = await client.call('network.train', {
        project, bankId: parseCount(values.bank as string, '--bank'), head, seed: seedOf(values),
        epochs: values.epochs === undefined ? undefined : parseCount(values.epochs as string, '--epochs'),
        heldOut: values['held-out'] === undefined ? undefined : parseCount(values['held-out'] as string, '--held-out'),
        scaling: !values['no-scaling'], name: values.name as string | undefined,
      });
      const job = await follow(client, project, jobId, io, 'train');
      const r = job.result as { networkId: number; backend: string; epochs: number; seconds: number };
      io.stdout.write(values.json ? `${JSON.stringify(r)}\n` : `network ${r.networkId}: ${r.epochs} epochs in ${r.seconds.toFixed(1)} s on ${r.backend}\n`);
      return 0;
    });
  },
};

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'check a network on held-out simulations (recovery, coverage, SBC, confusion)',
  usage: 'Usage: sgnn evaluate PROJECT --network ID [--seed S] [--json]',
  options: { network: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1 || values.network === undefined) throw new UsageError('usage: sgnn evaluate PROJECT --network ID');
    const project = positionals[0];
    return withEngine(async (client) => {
      const { jobId } = await client.call('network.evaluate', { project, networkId: parseCount(values.network as string, '--network'), seed: seedOf(values) });
      const job = await follow(client, project, jobId, io, 'evaluate');
      const checks = job.result as { parameters: { paramId: string; r2: number; nrmse: number; contraction: number; summary: string }[]; confusion?: { sgnn: { accuracy: number } } };
      if (values.json) io.stdout.write(`${JSON.stringify(checks)}\n`);
      else {
        const lines = checks.parameters.map((c) => `${c.paramId.padEnd(14)} R² ${c.r2.toFixed(3)}  NRMSE ${c.nrmse.toFixed(3)}  contraction ${c.contraction.toFixed(3)}  ${c.summary}`);
        if (checks.confusion) lines.push(`held-out accuracy ${(100 * checks.confusion.sgnn.accuracy).toFixed(1)}%`);
        io.stdout.write(`${lines.join('\n')}\n`);
      }
      return 0;
    });
  },
};

export const estimateCommand: Command = {
  name: 'estimate',
  summary: 'apply a network to stored datasets',
  usage: 'Usage: sgnn estimate PROJECT --network ID --dataset ID[,ID...] [--seed S] [--json]',
  options: { network: { type: 'string' }, dataset: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1 || values.network === undefined || values.dataset === undefined) throw new UsageError('usage: sgnn estimate PROJECT --network ID --dataset ID[,ID...]');
    const project = positionals[0];
    const datasetIds = parseIdList(values.dataset as string, '--dataset').map((d) => parseCount(d, '--dataset'));
    return withEngine(async (client) => {
      const { jobId } = await client.call('estimate.run', { project, networkId: parseCount(values.network as string, '--network'), datasetIds, seed: seedOf(values) });
      const job = await follow(client, project, jobId, io, 'estimate');
      const r = job.result as { estimateIds: number[]; datasets: { id: string; estimates: Record<string, { mean: number; sd: number; q025: number; q975: number }>; comparison?: { sgnn: { probabilities: Record<string, number>; choice: string } } }[] };
      if (values.json) io.stdout.write(`${JSON.stringify(r)}\n`);
      else {
        const lines: string[] = [];
        for (const d of r.datasets) {
          lines.push(`dataset ${d.id}`);
          for (const [id, e] of Object.entries(d.estimates)) lines.push(`  ${id.padEnd(14)} ${e.mean.toPrecision(4).padStart(10)} ± ${e.sd.toPrecision(3).padEnd(9)} 95% [${e.q025.toPrecision(4)}, ${e.q975.toPrecision(4)}]`);
          if (d.comparison) for (const [m, p] of Object.entries(d.comparison.sgnn.probabilities)) lines.push(`  p(${m}) = ${p.toFixed(3)}${m === d.comparison.sgnn.choice ? '  ← most probable' : ''}`);
        }
        io.stdout.write(`${lines.join('\n')}\n`);
      }
      return 0;
    });
  },
};
