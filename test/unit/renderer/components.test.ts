/**
 * Component tests: components rendered to markup with Svelte's server renderer (no DOM needed),
 * checked for content and accessible labels; the state classes (.svelte.ts runes) driven directly.
 * Interaction in a real browser is covered by test/e2e.
 */
import { readFileSync } from 'node:fs';
import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import type { Model } from '../../../src-main/model/schema.ts';
import { validateModel } from '../../../src-main/model/validate.ts';
import EmptyState from '../../../src-renderer/components/EmptyState.svelte';
import ProgressBar from '../../../src-renderer/components/ProgressBar.svelte';
import TemplateThumbnail from '../../../src-renderer/components/diagram/TemplateThumbnail.svelte';
import EquationsView from '../../../src-renderer/components/EquationsView.svelte';
import ObservableEditor from '../../../src-renderer/components/forms/ObservableEditor.svelte';
import Verdict from '../../../src-renderer/components/Verdict.svelte';
import ConfusionMatrix from '../../../src-renderer/components/ConfusionMatrix.svelte';
import { ModelEditor } from '../../../src-renderer/state/model-editor.svelte.ts';
import { sliderToValue, valueToSlider } from '../../../src-renderer/state/explore.svelte.ts';

const sir = validateModel(JSON.parse(readFileSync(new URL('../../../resources/models/sir.json', import.meta.url), 'utf8'))).model!;

describe('components (server-rendered markup)', () => {
  it('ProgressBar exposes its value to assistive technology', () => {
    const { body } = render(ProgressBar, { props: { value: 30, total: 120, label: 'Progress of job 4' } });
    expect(body).toContain('role="progressbar"');
    expect(body).toContain('aria-label="Progress of job 4"');
    expect(body).toContain('aria-valuenow="30"');
    expect(body).toContain('width: 25%');
  });

  it('EmptyState says what to do next', () => {
    const { body } = render(EmptyState, { props: { title: 'No data yet' } });
    expect(body).toContain('No data yet');
    expect(body).toContain('role="note"');
  });

  it('TemplateThumbnail draws one box per species and one arrow per flow', () => {
    const { body } = render(TemplateThumbnail, { props: { model: sir, title: 'SIR' } });
    expect(body).toContain('aria-label="Diagram of SIR"');
    expect(body.match(/<rect/g)).toHaveLength(3);
    expect(body.match(/<line/g)).toHaveLength(2);
  });

  it('EquationsView typesets one ODE per species with KaTeX', () => {
    const { body } = render(EquationsView, { props: { model: sir } });
    expect(body.match(/katex-display/g)?.length).toBeGreaterThanOrEqual(3);
    expect(body).toContain('Differential equations');
  });

  it('ObservableEditor labels the expression and the noise model', () => {
    const { body } = render(ObservableEditor, { props: { obs: sir.observables[0], names: ['I', 'phi_inv'], onchange: () => {}, onremove: () => {} } });
    expect(body).toContain('aria-label="Remove observable cases"');
    expect(body).toContain('noise model');
    expect(body).toContain('Negative binomial');
  });

  it('Verdict shows a plain-language line with its severity spelled out for screen readers', () => {
    const { body } = render(Verdict, { props: { verdict: { severity: 'warning', text: 'recovered poorly (R² 0.3)' }, label: 'gamma' } });
    expect(body).toContain('recovered poorly (R² 0.3)');
    expect(body).toContain('data-severity="warning"');
    expect(body).toContain('(warning)');
  });

  it('ConfusionMatrix labels rows as truth and columns as choice, with row percentages', () => {
    const matrix = {
      models: ['SIR', 'SEIR'], counts: [[8, 2], [1, 9]], unassigned: [0, 0], n: 20, correct: 17, accuracy: 0.85, errorRate: 0.15,
      accuracyLow: 0.62, accuracyHigh: 0.97, perClass: [],
    };
    const { body } = render(ConfusionMatrix, { props: { matrix, title: 'SGNN' } });
    expect(body).toContain('aria-label="SGNN: confusion matrix"');
    expect(body).toContain('accuracy 85%');
    expect(body).toContain('80%');
    expect(body).toContain('90%');
    expect(body).toContain('true ↓ · chosen →');
  });
});

describe('ModelEditor (state class)', () => {
  it('applies edits with undo/redo and autosaves a valid model once it is still', async () => {
    vi.useFakeTimers();
    const saves: Model[] = [];
    const editor = new ModelEditor(1, 1, sir, async (m) => {
      saves.push(m);
      return saves.length + 1;
    });
    expect(editor.problems).toEqual([]);
    editor.update((m) => ({ ...m, reactions: m.reactions.map((r) => (r.id === 'recovery' ? { ...r, rate: 'gama * I' } : r)) }));
    expect(editor.saveState).toBe('invalid');
    expect(editor.problems[0]).toMatchObject({ path: 'reactions[1].rate', suggestion: 'gamma' });
    editor.undo();
    expect(editor.model).toBe(sir);
    editor.redo();
    expect(editor.model.reactions[1].rate).toBe('gama * I');
    editor.update((m) => ({ ...m, reactions: m.reactions.map((r) => (r.id === 'recovery' ? { ...r, rate: 'gamma * I' } : r)) }));
    expect(editor.saveState).toBe('pending');
    await vi.runAllTimersAsync();
    expect(saves).toHaveLength(1);
    expect(editor.saveState).toBe('saved');
    expect(editor.version).toBe(2);
    vi.useRealTimers();
  });

  it('maps slider positions through prior quantiles', () => {
    const beta = sir.parameters.find((p) => p.id === 'beta')!;
    expect(sliderToValue(beta, 0.5)).toBeCloseTo(1, 6);
    expect(valueToSlider(beta, sliderToValue(beta, 0.3))).toBeCloseTo(0.3, 6);
  });
});
