/** Models shared by the model tests. */

/** The example of the format spec (../shared/spec/model-format.md). */
export const SIR = {
  format: 'sgnn-model/1',
  name: 'SIR',
  parameters: [
    { id: 'beta', value: 1.7, prior: { dist: 'lognormal', mu: 0.5, sigma: 0.5 } },
    { id: 'gamma', prior: { dist: 'uniform', low: 0.1, high: 1.0 } },
    { id: 'phi_inv', prior: { dist: 'exponential', rate: 5 } },
    { id: 'N', value: 763 },
  ],
  species: [{ id: 'S', initial: 'N - 1' }, { id: 'I', initial: 1 }, { id: 'R', initial: 0 }],
  rules: [{ id: 'R0', expr: 'beta / gamma' }],
  odes: [] as { id: string; initial: number | string; derivative: string }[],
  reactions: [
    { id: 'infection', from: { S: 1, I: 1 } as Record<string, number>, to: { I: 2 } as Record<string, number>, rate: 'beta * S * I / N' },
    { id: 'recovery', from: { I: 1 } as Record<string, number>, to: { R: 1 } as Record<string, number>, rate: 'gamma * I' },
  ],
  observables: [{ id: 'cases', expr: 'I', noise: { dist: 'negbinomial', dispersion: '1 / phi_inv' } }],
};
