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
