/**
 * Model → plain JS functions (the CompiledModel of compiled.ts) that the simulators call millions
 * of times: straight-line code from `new Function`, reading `y[i]` and `p[i]` directly, rules
 * computed as locals in dependency order (only those the function needs), no allocation and no
 * Map lookups per call.
 *
 * Why `new Function` is acceptable: the code is generated from validated syntax trees only; no
 * user text reaches it (see expr/codegen.ts). Ids never appear in the code either: every name is
 * resolved through Maps to `p[3]`, `y[0]`, `t` or a generated local such as `r2`.
 */
import type { Expr } from './expr/ast.ts';
import { codegenExpr, type NameResolver } from './expr/codegen.ts';
import { binary, derive } from './expr/derive.ts';
import { freeNames } from './expr/names.ts';
import { parseExpr } from './expr/parse.ts';
import type { CompiledEvent, CompiledModel, CompiledNoise } from './compiled.ts';
import { priorMedian } from '../simulate/priors.ts';
import { ModelError } from './problems.ts';
import type { Model } from './schema.ts';
import { topologicalOrder, validateModel } from './validate.ts';

/** Most occurrences of one event within a simulation (a guard against `every` tiny by mistake). */
export const MAX_EVENT_OCCURRENCES = 1_000_000;

/** A generated local: `const js = expr;`, referred to in trees by the name `key`. */
interface Local {
  key: string;
  js: string;
  expr: Expr;
}

/** One statement after the locals: `lhs = expr;`, or `return expr;` when lhs is null. */
interface Output {
  lhs: string | null;
  expr: Expr;
}

function nameNode(name: string): Expr {
  return { kind: 'name', name, pos: 0 };
}

function numNode(value: number): Expr {
  return { kind: 'num', value, pos: 0 };
}

function exprOf(v: number | string): Expr {
  return typeof v === 'number' ? numNode(v) : parseExpr(v);
}

function isZero(e: Expr): boolean {
  return e.kind === 'num' && e.value === 0;
}

/** Σ coeffs[i]·terms[i], simplified (1 and −1 coefficients without a product). */
function linearCombination(terms: readonly { coeff: number; expr: Expr }[]): Expr {
  let sum: Expr = numNode(0);
  for (const { coeff, expr } of terms) {
    if (coeff === 0 || isZero(expr)) continue;
    if (coeff === 1) sum = binary('+', sum, expr);
    else if (coeff === -1) sum = binary('-', sum, expr);
    else if (coeff < 0) sum = binary('-', sum, binary('*', numNode(-coeff), expr));
    else sum = binary('+', sum, binary('*', numNode(coeff), expr));
  }
  return sum;
}

/**
 * The source of a function body: the locals that the outputs need (transitively; `locals` must
 * list dependencies before their users), then the outputs.
 */
function body(locals: readonly Local[], outputs: readonly Output[], resolve: NameResolver, prelude = ''): string {
  const needed = new Set<string>();
  for (const o of outputs) for (const n of freeNames(o.expr)) needed.add(n);
  const keep: boolean[] = new Array<boolean>(locals.length).fill(false);
  for (let i = locals.length - 1; i >= 0; i--) {
    if (!needed.has(locals[i].key)) continue;
    keep[i] = true;
    for (const n of freeNames(locals[i].expr)) needed.add(n);
  }
  const lines = ['"use strict";'];
  if (prelude) lines.push(prelude);
  for (let i = 0; i < locals.length; i++) if (keep[i]) lines.push(`const ${locals[i].js} = ${codegenExpr(locals[i].expr, resolve)};`);
  for (const o of outputs) {
    const code = codegenExpr(o.expr, resolve);
    lines.push(o.lhs === null ? `return ${code};` : `${o.lhs} = ${code};`);
  }
  return lines.join('\n');
}

/** Compiles generated source; see the file comment for why this is safe. */
function makeFunction<F>(args: readonly string[], source: string): F {
  return new Function(...args, source) as F;
}

/**
 * Compiles a model (validating it first: throws ModelError listing every problem). The result's
 * functions write into caller-provided arrays; see compiled.ts for the layouts.
 */
export function compileModel(input: Model): CompiledModel {
  const { model, problems } = validateModel(input);
  if (!model) throw new ModelError(problems);

  const paramIds = model.parameters.map((p) => p.id);
  const stateIds = [...model.species.map((s) => s.id), ...model.odes.map((o) => o.id)];
  const nSpecies = model.species.length;
  const n = stateIds.length;
  const paramIndex = new Map(paramIds.map((id, i) => [id, i]));
  const stateIndex = new Map(stateIds.map((id, i) => [id, i]));

  // Rules, as locals in dependency order.
  const ruleIds = model.rules.map((r) => r.id);
  const ruleIndex = new Map(ruleIds.map((id, k) => [id, k]));
  const ruleExprs = model.rules.map((r) => parseExpr(r.expr));
  const ruleDeps = ruleExprs.map((e) => [...freeNames(e)].filter((x) => ruleIndex.has(x)).map((x) => ruleIndex.get(x) as number));
  const ruleOrder = topologicalOrder(ruleDeps); // complete: validation rejected cycles
  const ruleLocals: Local[] = ruleOrder.map((k) => ({ key: ruleIds[k], js: `r${k}`, expr: ruleExprs[k] }));

  /** Resolves model ids and generated locals; anything else is a bug in this file. */
  const resolver = (locals: readonly Local[], timeName = 't'): NameResolver => {
    const localJs = new Map(locals.map((l) => [l.key, l.js]));
    return (name) => {
      const pi = paramIndex.get(name);
      if (pi !== undefined) return `p[${pi}]`;
      const si = stateIndex.get(name);
      if (si !== undefined) return `y[${si}]`;
      const js = localJs.get(name);
      if (js !== undefined) return js;
      if (name === 't') return timeName;
      throw new Error(`compileModel: unresolved name "${name}" (a bug: validation should have rejected it)`);
    };
  };

  const rates = model.reactions.map((r) => parseExpr(r.rate));
  const derivatives = model.odes.map((o) => parseExpr(o.derivative));

  // Stoichiometry: net change (to − from) per species, and reactant orders.
  const stoichiometry = model.reactions.map((r) => {
    const delta = new Map<number, number>();
    for (const [id, c] of Object.entries(r.from ?? {})) delta.set(stateIndex.get(id) as number, (delta.get(stateIndex.get(id) as number) ?? 0) - c);
    for (const [id, c] of Object.entries(r.to ?? {})) delta.set(stateIndex.get(id) as number, (delta.get(stateIndex.get(id) as number) ?? 0) + c);
    const entries = [...delta].filter(([, d]) => d !== 0).sort((a, b) => a[0] - b[0]);
    return { index: Int32Array.from(entries.map((e) => e[0])), delta: Float64Array.from(entries.map((e) => e[1])) };
  });
  const reactants = model.reactions.map((r) => {
    const entries = Object.entries(r.from ?? {}).map(([id, c]) => [stateIndex.get(id) as number, c] as const).sort((a, b) => a[0] - b[0]);
    return { index: Int32Array.from(entries.map((e) => e[0])), order: Float64Array.from(entries.map((e) => e[1])) };
  });

  // For each species, the reactions that change it and by how much.
  const changedBy: { j: number; delta: number }[][] = Array.from({ length: nSpecies }, () => []);
  stoichiometry.forEach((s, j) => s.index.forEach((i, at) => changedBy[i].push({ j, delta: s.delta[at] })));

  // rhs: fluxes as locals, then dy_i = Σ_j delta_ij · f_j for species and the derivative for odes.
  const fluxLocals: Local[] = rates.map((expr, j) => ({ key: `#f:${j}`, js: `f${j}`, expr }));
  const rhsOutputs: Output[] = [];
  for (let i = 0; i < nSpecies; i++) {
    const terms = changedBy[i].map(({ j, delta }) => ({ coeff: delta, expr: nameNode(`#f:${j}`) }));
    rhsOutputs.push({ lhs: `dydt[${i}]`, expr: linearCombination(terms) });
  }
  derivatives.forEach((expr, m) => rhsOutputs.push({ lhs: `dydt[${nSpecies + m}]`, expr }));
  const rhsLocals = [...ruleLocals, ...fluxLocals];
  const rhs = makeFunction<CompiledModel['rhs']>(['t', 'y', 'p', 'dydt'], body(rhsLocals, rhsOutputs, resolver(rhsLocals)));

  // Jacobian by the chain rule through the rule locals: dr/dy_k = ∂r/∂y_k + Σ_s ∂r/∂s · ds/dy_k.
  // Equivalent to differentiating the rule-inlined expressions, without their exponential growth.
  // Built on first use: only the stiff solver needs it, and for large dense models it is the bulk of compilation.
  const buildJacobian = (): CompiledModel['jacobian'] => {
    const ruleDerivKey = (k: number, state: number): string => `#d:${k}:${state}`;
    const hasRuleDeriv = new Set<string>();
    const totalDerivative = (expr: Expr, state: number): Expr => {
      let d = derive(expr, stateIds[state]);
      for (const name of freeNames(expr)) {
        const k = ruleIndex.get(name);
        if (k === undefined || !hasRuleDeriv.has(ruleDerivKey(k, state))) continue;
        d = binary('+', d, binary('*', derive(expr, name), nameNode(ruleDerivKey(k, state))));
      }
      return d;
    };
    // The states each expression depends on, through rules: derivatives w.r.t. other states are 0.
    const ruleStates: Set<number>[] = ruleExprs.map(() => new Set<number>());
    const statesOf = (expr: Expr): number[] => {
      const out = new Set<number>();
      for (const name of freeNames(expr)) {
        const si = stateIndex.get(name);
        if (si !== undefined) out.add(si);
        const k = ruleIndex.get(name);
        if (k !== undefined) for (const x of ruleStates[k]) out.add(x);
      }
      return [...out].sort((a, b) => a - b);
    };
    for (const k of ruleOrder) ruleStates[k] = new Set(statesOf(ruleExprs[k]));
    const jacLocals: Local[] = [...ruleLocals];
    for (const k of ruleOrder) {
      for (const s of ruleStates[k]) {
        const d = totalDerivative(ruleExprs[k], s);
        if (isZero(d)) continue;
        hasRuleDeriv.add(ruleDerivKey(k, s));
        jacLocals.push({ key: ruleDerivKey(k, s), js: `d${k}_${s}`, expr: d });
      }
    }
    const jacOutputs: Output[] = [];
    const rateDerivs: (Expr | null)[][] = rates.map((rate, j) => {
      const row: (Expr | null)[] = new Array<Expr | null>(n).fill(null);
      for (const s of statesOf(rate)) {
        const d = totalDerivative(rate, s);
        if (isZero(d)) continue;
        jacLocals.push({ key: `#g:${j}:${s}`, js: `g${j}_${s}`, expr: d });
        row[s] = nameNode(`#g:${j}:${s}`);
      }
      return row;
    });
    for (let i = 0; i < nSpecies; i++) {
      for (let s = 0; s < n; s++) {
        const terms: { coeff: number; expr: Expr }[] = [];
        for (const { j, delta } of changedBy[i]) {
          const g = rateDerivs[j][s];
          if (g) terms.push({ coeff: delta, expr: g });
        }
        const entry = linearCombination(terms);
        if (!isZero(entry)) jacOutputs.push({ lhs: `J[${i * n + s}]`, expr: entry });
      }
    }
    derivatives.forEach((expr, m) => {
      for (const s of statesOf(expr)) {
        const d = totalDerivative(expr, s);
        if (!isZero(d)) jacOutputs.push({ lhs: `J[${(nSpecies + m) * n + s}]`, expr: d });
      }
    });
    // Zero the structurally zero entries: one by one for small systems (faster than a call to
    // fill), by fill for large ones (where n² statements would bloat the code).
    let prelude = 'J.fill(0);';
    if (n * n <= 1024) {
      const set = new Set(jacOutputs.map((o) => o.lhs));
      const zeros: string[] = [];
      for (let k = 0; k < n * n; k++) if (!set.has(`J[${k}]`)) zeros.push(`J[${k}] = 0;`);
      prelude = zeros.join(' ');
    }
    return makeFunction<CompiledModel['jacobian']>(['t', 'y', 'p', 'J'], body(jacLocals, jacOutputs, resolver(jacLocals), prelude));
  };
  let jacobianFn: CompiledModel['jacobian'] | null = null;
  // The first call builds the real function and puts it in place of this stub (a getter would
  // cost on every call); callers that kept a reference to the stub pay one inlinable call more.
  const lazyJacobian = (t: number, y: Float64Array, p: Float64Array, J: Float64Array): void => {
    if (jacobianFn === null) {
      jacobianFn = buildJacobian();
      compiled.jacobian = jacobianFn;
    }
    jacobianFn(t, y, p, J);
  };

  const propensities = makeFunction<CompiledModel['propensities']>(['t', 'y', 'p', 'a'],
    body(ruleLocals, rates.map((expr, j) => ({ lhs: `a[${j}]`, expr })), resolver(ruleLocals)));
  const observableExprs = model.observables.map((o) => parseExpr(o.expr));
  const observe = makeFunction<CompiledModel['observe']>(['t', 'y', 'p', 'out'],
    body(ruleLocals, observableExprs.map((expr, i) => ({ lhs: `out[${i}]`, expr })), resolver(ruleLocals)));
  const rules = makeFunction<CompiledModel['rules']>(['t', 'y', 'p', 'out'],
    body(ruleLocals, ruleIds.map((id, k) => ({ lhs: `out[${k}]`, expr: nameNode(id) })), resolver(ruleLocals)));

  // Initial values depend on parameters and on the start time (`t` is tStart there).
  const initialOutputs: Output[] = [
    ...model.species.map((s, i) => ({ lhs: `y0[${i}]`, expr: exprOf(s.initial) })),
    ...model.odes.map((o, m) => ({ lhs: `y0[${nSpecies + m}]`, expr: exprOf(o.initial) })),
  ];
  const initialFn = makeFunction<(p: Float64Array, y0: Float64Array, tStart: number) => void>(['p', 'y0', 'tStart'],
    body([], initialOutputs, resolver([], 'tStart')));

  const noise: (CompiledNoise | null)[] = model.observables.map((o) => {
    if (!o.noise) return null;
    const nz = o.noise;
    const field = nz.dist === 'normal' ? nz.sd : nz.dist === 'lognormal' ? nz.sigma : nz.dist === 'negbinomial' ? nz.dispersion : nz.dist === 'binomial' ? nz.n : null;
    if (field === null) return { dist: nz.dist, param: () => NaN };
    const param = makeFunction<CompiledNoise['param']>(['t', 'y', 'p'], body(ruleLocals, [{ lhs: null, expr: exprOf(field) }], resolver(ruleLocals)));
    return { dist: nz.dist, param };
  });

  const events: CompiledEvent[] = (model.events ?? []).map((ev, i) => {
    const id = ev.id ?? `events[${i}]`;
    const paramFn = (v: number | string): ((p: Float64Array) => number) =>
      makeFunction<(p: Float64Array) => number>(['p'], body([], [{ lhs: null, expr: exprOf(v) }], resolver([], 'NaN')));
    const atFn = paramFn(ev.at);
    const everyFn = ev.every === undefined ? null : paramFn(ev.every);
    const count = ev.count ?? (everyFn ? Infinity : 1);
    const entries = Object.entries(ev.assign);
    const valueLocals: Local[] = [...ruleLocals, ...entries.map(([, v], m) => ({ key: `#v:${m}`, js: `v${m}`, expr: exprOf(v) }))];
    // All right-hand sides are locals, evaluated before the first assignment: the assignments are simultaneous.
    const assignOutputs: Output[] = entries.map(([target], m) => {
      const si = stateIndex.get(target);
      return { lhs: si !== undefined ? `y[${si}]` : `p[${paramIndex.get(target) as number}]`, expr: nameNode(`#v:${m}`) };
    });
    const apply = makeFunction<CompiledEvent['apply']>(['t', 'y', 'p'], body(valueLocals, assignOutputs, resolver(valueLocals)));
    const times = (p: Float64Array, tStart: number, tEnd: number): number[] => {
      const at = atFn(p);
      if (!Number.isFinite(at)) throw new Error(`event ${id}: "at" evaluated to ${at}; it must be a finite time`);
      const out: number[] = [];
      if (!everyFn) {
        if (at >= tStart && at <= tEnd) out.push(at);
        return out;
      }
      const every = everyFn(p);
      if (!(every > 0 && Number.isFinite(every))) throw new Error(`event ${id}: "every" evaluated to ${every}; it must be > 0`);
      // Times as at + k·every (not accumulated, so no drift); start one early in case of rounding.
      for (let k = Math.max(0, Math.ceil((tStart - at) / every) - 1); k < count; k++) {
        const tk = at + k * every;
        if (tk > tEnd) break;
        if (tk < tStart) continue;
        if (out.length >= MAX_EVENT_OCCURRENCES) {
          throw new Error(`event ${id} occurs more than ${MAX_EVENT_OCCURRENCES} times between ${tStart} and ${tEnd} (every = ${every})`);
        }
        out.push(tk);
      }
      return out;
    };
    return { id, times, apply };
  });

  // Time dependence of the right-hand side: rates, derivatives and the rules they use, transitively.
  let timeDependent = false;
  {
    const pending = [...rates, ...derivatives];
    const seenRules = new Set<number>();
    while (pending.length > 0 && !timeDependent) {
      for (const name of freeNames(pending.pop() as Expr)) {
        if (name === 't') timeDependent = true;
        const k = ruleIndex.get(name);
        if (k !== undefined && !seenRules.has(k)) {
          seenRules.add(k);
          pending.push(ruleExprs[k]);
        }
      }
    }
  }

  const paramDefaults = Float64Array.from(model.parameters, (p) => p.value ?? (p.prior ? priorMedian(p.prior) : NaN));
  const unknownParams = model.parameters.flatMap((p, i) => (p.prior ? [i] : []));

  const compiled: CompiledModel = {
    model,
    paramIds,
    paramDefaults,
    unknownParams,
    stateIds,
    nSpecies,
    ruleIds,
    observableIds: model.observables.map((o) => o.id),
    reactionIds: model.reactions.map((r) => r.id),
    stoichiometry,
    reactants,
    noise,
    events,
    hasOdes: model.odes.length > 0,
    timeDependent,
    initial: initialFn,
    rhs,
    jacobian: lazyJacobian,
    propensities,
    observe,
    rules,
  };
  return compiled;
}
