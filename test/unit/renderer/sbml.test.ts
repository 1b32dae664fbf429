/** SBML import/export in the renderer: file checks, names and layout of imported models, the import/export flow and its errors. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineClient } from '../../../src-main/contract/client.ts';
import type { ModelSummary } from '../../../src-main/contract/types.ts';
import type { Model } from '../../../src-main/model/schema.ts';
import { AppError } from '../../../src-main/contract/errors.ts';
import { uniqueName } from '../../../src-renderer/lib/format.ts';
import { fileStem, isSbmlFile, prepareImported, sbmlFileName } from '../../../src-renderer/lib/sbml.ts';
import { SbmlTransfer } from '../../../src-renderer/state/sbml.svelte.ts';
import type { SbmlHost } from '../../../src-renderer/state/sbml.svelte.ts';
import { ModelEditor } from '../../../src-renderer/state/model-editor.svelte.ts';

const imported: Model = {
  format: 'sgnn-model/1', name: 'case00001', parameters: [{ id: 'k1', value: 1 }], species: [{ id: 'S1', initial: 1 }, { id: 'S2', initial: 0 }],
  rules: [], odes: [], reactions: [{ id: 'reaction1', rate: 'k1 * S1', from: { S1: 1 }, to: { S2: 1 } }], observables: [],
};

describe('SBML helpers', () => {
  it('recognises SBML files by extension or XML MIME type', () => {
    expect(isSbmlFile({ name: '00001-sbml-l3v2.xml' })).toBe(true);
    expect(isSbmlFile({ name: 'model.SBML' })).toBe(true);
    expect(isSbmlFile({ name: 'download', type: 'application/sbml+xml' })).toBe(true);
    expect(isSbmlFile({ name: 'noext', type: 'text/xml' })).toBe(true);
    expect(isSbmlFile({ name: 'data.csv', type: 'text/csv' })).toBe(false);
    expect(isSbmlFile({ name: 'model.xml.json' })).toBe(false);
  });

  it('names a model uniquely within the project', () => {
    expect(uniqueName('SIR', [])).toBe('SIR');
    expect(uniqueName('SIR', ['SIR', 'SIR 2'])).toBe('SIR 3');
    expect(fileStem('/a/b/00001-sbml-l3v2.xml')).toBe('00001-sbml-l3v2');
    expect(fileStem('C:\\m\\x.sbml')).toBe('x');
  });

  it('prepares an imported model: unique name (else the file name), auto-layout only without positions', () => {
    const m = prepareImported(imported, 'x.xml', ['case00001']);
    expect(m.name).toBe('case00001 2');
    expect(Object.keys(m.layout ?? {}).sort()).toEqual(['S1', 'S2']);
    expect(m.layout!.S2.x).toBeGreaterThan(m.layout!.S1.x);
    expect(prepareImported({ ...imported, name: '  ' }, '/tmp/00001-sbml-l3v2.xml', []).name).toBe('00001-sbml-l3v2');
    const placed = { ...imported, layout: { S1: { x: 5, y: 6 } } };
    expect(prepareImported(placed, 'x.xml', []).layout).toEqual({ S1: { x: 5, y: 6 } });
  });

  it('suggests a safe export file name', () => {
    expect(sbmlFileName('SIR (Kermack-McKendrick)')).toBe('SIR-Kermack-McKendrick.xml');
    expect(sbmlFileName('Modèle ../../etc/passwd')).toBe('Modele-..-..-etc-passwd.xml');
    expect(sbmlFileName('***')).toBe('model.xml');
  });
});

function fakeHost(call: (op: string, input: Record<string, unknown>) => unknown, editor: ModelEditor | null = null) {
  const notices: string[] = [];
  const selected: number[] = [];
  const calls: { op: string; input: Record<string, unknown> }[] = [];
  const host: SbmlHost = {
    client: {
      call: async (op: string, input: Record<string, unknown>) => {
        calls.push({ op, input });
        return call(op, input);
      },
    } as unknown as EngineClient,
    path: '/p/test.sgnn',
    models: [{ modelId: 1, name: 'case00001' } as ModelSummary],
    editor,
    app: { notify: (kind, text) => notices.push(`${kind}: ${text}`) },
    refresh: async () => {},
    selectModel: async (id) => {
      selected.push(id);
    },
  };
  return { host, notices, selected, calls };
}

describe('SbmlTransfer (state class)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('imports: converts, adds the model under a fresh name with a layout, selects it and keeps the warnings', async () => {
    const f = fakeHost((op) => (op === 'model.importSbml' ? { model: imported, warnings: ['unit definitions are ignored'] } : { modelId: 7 }));
    const t = new SbmlTransfer(f.host);
    expect(await t.importText('<sbml/>', '00001.xml')).toBe(true);
    expect(f.calls.map((c) => c.op)).toEqual(['model.importSbml', 'model.add']);
    const added = f.calls[1].input as { project: string; model: Model };
    expect(added.project).toBe('/p/test.sgnn');
    expect(added.model.name).toBe('case00001 2');
    expect(added.model.layout).toBeDefined();
    expect(f.selected).toEqual([7]);
    expect(t.imported).toEqual({ modelId: 7, name: 'case00001 2', fileName: '00001.xml', warnings: ['unit definitions are ignored'] });
    expect(t.problem).toBeNull();
    expect(t.busy).toBeNull();
    expect(f.notices[0]).toMatch(/^success: Imported “case00001 2” from 00001\.xml \(1 warning\)/);
  });

  it('shows the engine’s message when the import is refused, and adds nothing', async () => {
    const message = 'SBML <reaction> "reaction1": is fast="true"; fast reactions (quasi-steady-state) are not supported';
    const f = fakeHost(() => {
      throw new AppError('invalid-input', message);
    });
    const t = new SbmlTransfer(f.host);
    expect(await t.importText('<sbml/>', 'fast.xml')).toBe(false);
    expect(t.problem).toEqual({ action: 'import', subject: 'fast.xml', message });
    expect(f.calls.map((c) => c.op)).toEqual(['model.importSbml']);
    expect(f.selected).toEqual([]);
    t.dismiss();
    expect(t.problem).toBeNull();
  });

  it('refuses empty and non-SBML files before asking the engine', async () => {
    const f = fakeHost(() => ({}));
    const t = new SbmlTransfer(f.host);
    expect(await t.importText('   ', 'empty.xml')).toBe(false);
    expect(t.problem?.message).toBe('the file is empty');
    expect(await t.importFile(new File(['a,b'], 'data.csv', { type: 'text/csv' }))).toBe(false);
    expect(t.problem).toMatchObject({ subject: 'data.csv', message: expect.stringMatching(/does not look like an SBML file/) });
    expect(f.calls).toEqual([]);
  });

  it('exports the model being edited as a download named after it; export errors stay inline', async () => {
    const clicked: { href: string; download: string }[] = [];
    vi.stubGlobal('document', {
      createElement: () => {
        const a = { href: '', download: '', rel: '', click: () => clicked.push({ href: a.href, download: a.download }), remove: () => {} };
        return a;
      },
      body: { appendChild: () => {} },
    });
    const editor = new ModelEditor(1, 1, { ...imported, name: 'SIR (test)' }, async () => 2);
    const f = fakeHost((op) => (op === 'model.exportSbml' ? { xml: '<sbml/>' } : {}), editor);
    const t = new SbmlTransfer(f.host);
    expect(await t.exportCurrent()).toBe(true);
    expect(f.calls[0]).toEqual({ op: 'model.exportSbml', input: { model: editor.model } });
    expect(clicked).toHaveLength(1);
    expect(clicked[0].download).toBe('SIR-test.xml');
    expect(clicked[0].href).toMatch(/^blob:/);
    expect(t.exported).toBe('SIR-test.xml');

    const g = fakeHost(() => {
      throw new AppError('invalid-input', 'invalid model: rate of "r" uses unknown name "q"');
    }, editor);
    const u = new SbmlTransfer(g.host);
    expect(await u.exportCurrent()).toBe(false);
    expect(u.problem).toEqual({ action: 'export', subject: 'SIR (test)', message: 'invalid model: rate of "r" uses unknown name "q"' });
    expect(await new SbmlTransfer(fakeHost(() => ({})).host).exportCurrent()).toBe(false);
  });
});
