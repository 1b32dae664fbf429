/** Every operation of the contract validates its input at the host boundary and fails as data. */
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src-main/host/engine.ts';
import { OP_NAMES } from '../../src-main/contract/operations.ts';
import { AppError } from '../../src-main/contract/errors.ts';

const engine = createEngine({ workers: 1 });
afterAll(() => engine.close());

describe('contract validation', () => {
  it.each(OP_NAMES)('%s rejects malformed input with invalid-input', async (op) => {
    for (const bad of [42, 'text', [1, 2], { unexpectedField: true }]) {
      const response = await engine.dispatch({ type: 'request', id: 1, op, input: bad });
      expect(response.ok, `${op} accepted ${JSON.stringify(bad)}`).toBe(false);
      if (!response.ok) {
        expect(response.error.code).toBe('invalid-input');
        expect(response.error.message).toContain(op);
      }
    }
  });

  it('rejects unknown operations, including prototype names', async () => {
    for (const op of ['nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      await expect(engine.handle(op, {})).rejects.toMatchObject({ code: 'unknown-operation' });
    }
  });

  it('errors are AppErrors with plain-data form', async () => {
    const err = await engine.handle('project.info', { path: '/nonexistent/dir/x.sgnn' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    const data = (err as AppError).toData();
    expect(data.code).toBe('project');
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });
});

describe('SBML through the contract', () => {
  it('imports an SBML model and exports it back', async () => {
    const { readFileSync } = await import('node:fs');
    const xml = readFileSync(new URL('../../../shared/validation/sbml-semantic/00001/00001-sbml-l3v2.xml', import.meta.url), 'utf8');
    const imported = (await engine.handle('model.importSbml', { xml })) as { model: { species: { id: string }[] }; warnings: string[] };
    expect(imported.model.species.map((s) => s.id)).toEqual(['S1', 'S2']);
    const exported = (await engine.handle('model.exportSbml', { model: imported.model })) as { xml: string };
    expect(exported.xml).toContain('<sbml');
    await expect(engine.handle('model.importSbml', { xml: '<sbml><model><listOfReactions><reaction id="r" fast="true"/></listOfReactions></model></sbml>' })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
