/** Diagram ⇄ model conversion and edits (plain TS, no DOM). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../../src-main/model/schema.ts';
import { validateModel } from '../../../src-main/model/validate.ts';
import { addFlow, addSpecies, autoLayout, modelToGraph, moveNodes, removeElement, SINK_PREFIX, SOURCE_PREFIX } from '../../../src-renderer/lib/model-graph.ts';

function template(name: string): Model {
  return validateModel(JSON.parse(readFileSync(new URL(`../../../resources/models/${name}.json`, import.meta.url), 'utf8'))).model!;
}

const empty: Model = { format: 'sgnn-model/1', name: 'm', parameters: [], species: [], rules: [], odes: [], reactions: [], observables: [] };

describe('model-graph', () => {
  it('draws SIR as S → I → R with I a modifier of infection', () => {
    const g = modelToGraph(template('sir'));
    expect(g.nodes.map((n) => n.id)).toEqual(['S', 'I', 'R']);
    expect(g.edges).toMatchObject([
      { id: 'infection', source: 'S', target: 'I', modifiers: ['I'] },
      { id: 'recovery', source: 'I', target: 'R', modifiers: [] },
    ]);
  });

  it('gives births and deaths their own source and sink nodes', () => {
    const g = modelToGraph(template('sir-vital-dynamics'));
    expect(g.nodes.filter((n) => n.kind === 'source').length).toBeGreaterThan(0);
    expect(g.nodes.filter((n) => n.kind === 'sink').length).toBeGreaterThan(0);
  });

  it('adds species and flows that make a valid model', () => {
    let m = addSpecies(empty, 0, 0, 'A');
    m = addSpecies(m, 180, 0, 'B');
    const flow = addFlow(m, 'A', 'B');
    m = flow.model;
    expect(flow.reaction).toBe('A_to_B');
    m = addFlow(m, `${SOURCE_PREFIX}x`, 'A').model;
    m = addFlow(m, 'B', `${SINK_PREFIX}y`).model;
    expect(m.reactions.map((r) => r.rate)).toEqual(['k_A_to_B * A', 'k_inflow_A', 'k_loss_B * B']);
    expect(validateModel(m).problems).toEqual([]);
    expect(() => addFlow(m, `${SOURCE_PREFIX}a`, `${SINK_PREFIX}b`)).toThrow(/species/);
  });

  it('removes a species with the flows that touch it', () => {
    const m = removeElement(template('sir'), 'I');
    expect(m.species.map((s) => s.id)).toEqual(['S', 'R']);
    expect(m.reactions).toEqual([]);
  });

  it('moves nodes and lays out chains left to right', () => {
    const moved = moveNodes(template('sir'), { S: { x: 10.4, y: 20.6 } });
    expect(moved.layout!.S).toEqual({ x: 10, y: 21 });
    const laid = autoLayout({ ...template('seir'), layout: {} });
    const xs = ['S', 'E', 'I', 'R'].map((id) => laid.layout![id].x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(4);
  });
});
