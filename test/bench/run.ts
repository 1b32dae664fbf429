/**
 * `npm run bench`: performance of the engine, each number beside a reference measured in the same
 * run (machines here are noisy, so ratios are what we report). Prints a table; writes
 * test/bench/results/bench-<date>.json. Not a test: it asserts nothing.
 *
 * Usage: npm run bench [-- --only ode,ssa,...] [-- --quick]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism, cpus } from 'node:os';
import { simulatorBenchmarks } from './simulators.ts';
import { sbibmBenchmarks } from './sbibm.ts';
import { mechanismBenchmarks } from './mechanism.ts';
import { bankBenchmarks } from './banks.ts';
import { trainingBenchmarks } from './training.ts';
import type { BenchRow } from './bench-row.ts';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;
const quick = args.includes('--quick');

const groups: { name: string; run: (quick: boolean) => Promise<BenchRow[]> }[] = [
  { name: 'simulators', run: simulatorBenchmarks },
  { name: 'sbibm', run: sbibmBenchmarks },
  { name: 'mechanism', run: mechanismBenchmarks },
  { name: 'training', run: trainingBenchmarks },
  { name: 'banks', run: bankBenchmarks },
];

const rows: BenchRow[] = [];
for (const group of groups) {
  if (only && !only.includes(group.name)) continue;
  process.stderr.write(`bench: ${group.name}…\n`);
  rows.push(...(await group.run(quick)));
}

// A section of a group run in a child process (simulators.ts): hand the rows back, print nothing.
const childOut = process.env.SGNN_BENCH_ROWS_OUT;
if (childOut !== undefined) {
  writeFileSync(childOut, JSON.stringify(rows));
  process.exit(0);
}

function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return x.toPrecision(3);
}
const table = [
  ['benchmark', 'value', 'unit', 'reference', 'ref value', 'ratio', 'target'],
  ...rows.map((r) => [r.name, fmt(r.value), r.unit, r.reference ?? '', fmt(r.referenceValue), r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`, r.target ?? '']),
];
const widths = table[0].map((_, j) => Math.max(...table.map((row) => row[j].length)));
for (const [i, row] of table.entries()) {
  console.log(row.map((cell, j) => cell.padEnd(widths[j])).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
const notes = rows.filter((r) => r.note);
if (notes.length > 0) {
  console.log('\nwork done (same problem, both sides):');
  for (const r of notes) console.log(`  - ${r.note}`);
}

const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = `${dir}bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cores: availableParallelism(), rows }, null, 2));
console.log(`\nwritten: ${file}`);
