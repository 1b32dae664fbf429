import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sgnn, fixture, REPO } from './cli-harness.ts';

describe('sgnn validate', () => {
  it('accepts a valid model and summarises it', async () => {
    const r = await sgnn('validate', fixture('decay.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid model "Decay and growth"');
  });

  it('lists every problem at once, each with its place, and exits 1', async () => {
    const r = await sgnn('validate', fixture('broken.json'));
    expect(r.code).toBe(1);
    const text = r.stderr;
    expect(text).toContain('parameters[0].prior');         // low > high
    expect(text).toContain('parameters[1]');               // neither value nor prior
    expect(text).toMatch(/species\[2\]\.id.*"S"/);         // duplicate id
    expect(text).toMatch(/reactions\[0\]\.rate, at character 1: .*"bta".*did you mean "beta"/);
    expect(text).toMatch(/reactions\[1\]\.to/);            // unknown species Q
    expect(text).toMatch(/reactions\[1\]\.rate/);          // syntax error
    expect(text).toMatch(/observables\[0\]\.noise/);       // unknown dist
    expect(text).not.toMatch(/\n\s+at /);
  });

  it('--json gives machine-readable problems', async () => {
    const r = await sgnn('validate', fixture('broken.json'), '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { valid: boolean; problems: { path: string; message: string }[] };
    expect(out.valid).toBe(false);
    expect(out.problems.length).toBeGreaterThanOrEqual(7);
    expect(out.problems.every((p) => typeof p.path === 'string' && p.message.length > 0)).toBe(true);
  });

  it('reports malformed JSON with line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgnn-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{\n  "format": "sgnn-model/1",\n  "name": "x",,\n}\n');
    const r = await sgnn('validate', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 3/);
  });
});

describe('sgnn convert', () => {
  it('round-trips every template between JSON and text losslessly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgnn-'));
    const templates = readdirSync(join(REPO, 'resources/models')).filter((f) => f.endsWith('.json'));
    expect(templates.length).toBeGreaterThanOrEqual(11);
    for (const name of templates) {
      const source = join(REPO, 'resources/models', name);
      const text = join(dir, name.replace(/\.json$/, '.sgnn.txt'));
      const back = join(dir, name);
      expect((await sgnn('convert', source, '--to', 'text', '--out', text)).code, name).toBe(0);
      const r = await sgnn('convert', text, '--to', 'json', '--out', back);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(readFileSync(back, 'utf8')), name).toEqual(JSON.parse((await sgnn('convert', source, '--to', 'json')).stdout));
    }
  });

  it('refuses an unknown target format', async () => {
    const r = await sgnn('convert', fixture('decay.json'), '--to', 'yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--to must be json or text');
  });
});

describe('templates', () => {
  it('every template is valid and simulates over a short horizon', async () => {
    const templates = readdirSync(join(REPO, 'resources/models')).filter((f) => f.endsWith('.json'));
    for (const name of templates) {
      const file = join(REPO, 'resources/models', name);
      const v = await sgnn('validate', file);
      expect(v.code, `${name}: ${v.stderr}`).toBe(0);
      const s = await sgnn('simulate', file, '--t-end', '1', '--points', '3');
      expect(s.code, `${name}: ${s.stderr}`).toBe(0);
    }
  });
});
