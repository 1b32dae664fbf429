/**
 * SBML Test Suite semantic cases (../shared/validation/sbml-semantic): each case's model goes
 * through importSbml + simulateSbml and every listed value must meet the suite's own pass rule
 * |expected − got| ≤ absolute + relative·|expected| (cases/semantic/README.md upstream).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSbmlSettings } from '../../src-main/interop/sbml/settings.ts';
import { simulateSbml } from '../../src-main/interop/sbml/simulate.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const casesDir = path.resolve(repoRoot, '../shared/validation/sbml-semantic');
const cases = existsSync(casesDir) ? readdirSync(casesDir).filter((d) => /^\d{5}$/.test(d)).sort() : [];

/** The model file to use: L3V2 when present, else the highest level/version given. */
function modelFile(dir: string, id: string): string {
  const files = readdirSync(dir).filter((f) => f.startsWith(`${id}-sbml-l`) && f.endsWith('.xml')).sort();
  const preferred = files.find((f) => f === `${id}-sbml-l3v2.xml`) ?? files[files.length - 1];
  if (!preferred) throw new Error(`case ${id}: no SBML file`);
  return path.join(dir, preferred);
}

function readResults(text: string): { header: string[]; rows: number[][] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return { header: lines[0].split(',').map((s) => s.trim()), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

/** Every value outside the suite's tolerance, described (case, column, time, expected, got). */
export function checkCase(id: string, dir: string): string[] {
  const settings = parseSbmlSettings(readFileSync(path.join(dir, `${id}-settings.txt`), 'utf8'));
  const expected = readResults(readFileSync(path.join(dir, `${id}-results.csv`), 'utf8'));
  const got = simulateSbml(readFileSync(modelFile(dir, id), 'utf8'), {
    start: settings.start,
    duration: settings.duration,
    steps: settings.steps,
    columns: settings.variables,
    amounts: settings.amount,
    concentrations: settings.concentration,
  });
  const failures: string[] = [];
  if (got.rows.length !== expected.rows.length) failures.push(`case ${id}: ${got.rows.length} rows, expected ${expected.rows.length}`);
  for (let j = 1; j < expected.header.length; j++) {
    const col = got.header.indexOf(expected.header[j]);
    if (col < 0) {
      failures.push(`case ${id}: column ${expected.header[j]} missing`);
      continue;
    }
    for (let k = 0; k < Math.min(got.rows.length, expected.rows.length); k++) {
      const e = expected.rows[k][j];
      const g = got.rows[k][col];
      const ok = Number.isNaN(e) ? Number.isNaN(g) : Math.abs(e - g) <= settings.absolute + settings.relative * Math.abs(e);
      if (!ok) failures.push(`case ${id}: ${expected.header[j]} at time ${expected.rows[k][0]}: expected ${e}, got ${g}`);
    }
  }
  return failures;
}

describe('SBML Test Suite semantic cases', () => {
  let passed = 0;
  afterAll(() => {
    console.log(`SBML semantic cases: ${passed}/${cases.length} passed`);
  });

  it('finds the cases', () => {
    expect(cases.length).toBe(40);
  });

  for (const id of cases) {
    it(`case ${id}`, () => {
      const failures = checkCase(id, path.join(casesDir, id));
      expect(failures.slice(0, 5), failures.length > 5 ? `${failures.length} values fail` : undefined).toEqual([]);
      passed++;
    });
  }
});
