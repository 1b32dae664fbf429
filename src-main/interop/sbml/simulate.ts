/**
 * Simulate an SBML file the way the SBML Test Suite asks: output at start + k·duration/steps,
 * columns `time` then the listed ids, species as amounts or concentrations as listed. Columns are
 * added to the model as observables, so each is computed by the compiled model at every output
 * time with the state and parameters then in force.
 */
import { compileModel } from '../../model/compile.ts';
import type { Model } from '../../model/schema.ts';
import { RESERVED_NAMES } from '../../model/expr/ast.ts';
import { parseExpr } from '../../model/expr/parse.ts';
import { num, printExpr, substitute } from './expr-tools.ts';
import { validateModel } from '../../model/validate.ts';
import { ModelError } from '../../model/problems.ts';
import { simulate } from '../../simulate/simulate.ts';
import type { Method, OdeOptions } from '../../simulate/types.ts';
import type { SbmlInfo } from './info.ts';
import { sbmlValueExpr } from './info.ts';
import { importSbml } from './import.ts';

export interface SbmlSimulationOptions {
  start: number;
  duration: number;
  /** Intervals: steps + 1 rows. */
  steps: number;
  /** SBML ids after `time` (species, parameters, compartments, reactions); default all species. */
  columns?: readonly string[];
  /** Species reported as amounts. */
  amounts?: readonly string[];
  /** Species reported as concentrations (others: amount when hasOnlySubstanceUnits, else concentration). */
  concentrations?: readonly string[];
  method?: Method;
  /** Solver controls; default rtol 1e-10, atol 1e-14 (well under the Test Suite's tolerances). */
  ode?: Partial<OdeOptions>;
  /** Shorthands for ode.rtol / ode.atol (the CLI's --rtol/--atol). */
  rtol?: number;
  atol?: number;
}

export interface SbmlTable {
  header: string[];
  rows: number[][];
}

/** Default solver controls for SBML runs: tight, because the suite's tolerances reach 1e-9 absolute. */
export const SBML_ODE_OPTIONS: Partial<OdeOptions> = { rtol: 1e-10, atol: 1e-14 };

/** Import and simulate SBML text; see simulateImportedSbml. */
export function simulateSbml(xml: string, options: SbmlSimulationOptions): SbmlTable {
  const { model, sbml } = importSbml(xml);
  return simulateImportedSbml(model, sbml, options);
}

/**
 * Simulate a model imported from SBML, reporting SBML ids. The simulation starts at time 0 (SBML's
 * initial time) even when output starts later.
 */
export function simulateImportedSbml(model: Model, sbml: SbmlInfo, options: SbmlSimulationOptions): SbmlTable {
  const amounts = new Set(options.amounts ?? []);
  const concentrations = new Set(options.concentrations ?? []);
  for (const id of amounts) {
    if (concentrations.has(id)) throw new Error(`"${id}" is listed both as an amount and as a concentration`);
  }
  const columns = options.columns ?? Object.entries(sbml.symbols).filter(([, s]) => s.kind === 'species').map(([id]) => id);
  const taken = new Set<string>([
    ...model.parameters.map((p) => p.id), ...model.species.map((s) => s.id), ...model.rules.map((r) => r.id),
    ...model.odes.map((o) => o.id), ...model.reactions.map((r) => r.id), ...model.observables.map((o) => o.id),
    ...(model.events ?? []).flatMap((e) => (e.id ? [e.id] : [])),
  ]);
  const fresh = (base: string): string => {
    let id = base;
    for (let i = 2; taken.has(id) || RESERVED_NAMES.has(id); i++) id = `${base}_${i}`;
    taken.add(id);
    return id;
  };
  const augmented: Model = structuredClone(model);
  // Parameters that events change stay in the parameter vector; report them through a state instead.
  const eventTargets = new Set((augmented.events ?? []).flatMap((e) => Object.keys(e.assign)));
  const moved = new Map<string, number>();
  augmented.parameters = augmented.parameters.filter((p) => {
    if (!eventTargets.has(p.id) || p.value === undefined) return true;
    augmented.odes.push({ id: p.id, initial: p.value, derivative: '0' });
    moved.set(p.id, p.value);
    return false;
  });
  // Event times are read once at the start, when a moved parameter still has its value.
  const startValue = (v: number | string): number | string =>
    typeof v === 'number' || moved.size === 0 ? v : printExpr(substitute(parseExpr(v), (n) => (moved.has(n) ? num(moved.get(n) as number) : undefined)));
  for (const e of augmented.events ?? []) {
    e.at = startValue(e.at);
    if (e.every !== undefined) e.every = startValue(e.every);
  }
  augmented.observables = columns.map((id) => {
    const report = amounts.has(id) ? 'amount' : concentrations.has(id) ? 'concentration' : undefined;
    return { id: fresh(`column_${id}`), expr: sbmlValueExpr(model, sbml, id, report) };
  });
  const checked = validateModel(augmented);
  if (!checked.model) throw new ModelError(checked.problems);
  const compiled = compileModel(checked.model);
  const n = options.steps + 1;
  const times = new Float64Array(n);
  for (let k = 0; k < n; k++) times[k] = options.start + (options.duration * k) / options.steps;
  times[n - 1] = options.start + options.duration;
  const result = simulate(compiled, {
    times,
    tStart: Math.min(0, options.start),
    method: options.method ?? 'auto',
    ode: {
      ...SBML_ODE_OPTIONS,
      ...options.ode,
      ...(options.rtol !== undefined ? { rtol: options.rtol } : {}),
      ...(options.atol !== undefined ? { atol: options.atol } : {}),
    },
  });
  const nc = columns.length;
  const rows: number[][] = [];
  for (let k = 0; k < n; k++) {
    const row = [times[k]];
    for (let j = 0; j < nc; j++) row.push(result.observables[k * nc + j]);
    rows.push(row);
  }
  return { header: ['time', ...columns], rows };
}
