/**
 * SBML Level 2/3 core → Model. The model's species state is the amount: SBML math that names a
 * species with hasOnlySubstanceUnits=false means its concentration and becomes (S / compartment);
 * kinetic laws are already amount/time fluxes. Whatever cannot be represented exactly is refused
 * with an SbmlError naming the element, never approximated.
 */
import type { Expr } from '../../model/expr/ast.ts';
import { RESERVED_NAMES } from '../../model/expr/ast.ts';
import type { Model, ModelEvent, Ode, Parameter, Reaction, Rule, Species } from '../../model/schema.ts';
import { MODEL_FORMAT } from '../../model/schema.ts';
import { applyAnnotation, readAnnotation } from './annotation.ts';
import { SbmlError } from './errors.ts';
import { bin, evaluate, foldConstants, namesIn, num, printExpr, ref, substitute } from './expr-tools.ts';
import type { FunctionDef, MathContext } from './mathml-read.ts';
import { readFunctionDefinition, readMath } from './mathml-read.ts';
import type { SbmlInfo, SbmlSymbol } from './info.ts';
import type { XmlElement } from './xml.ts';
import { child, listOf, parseXml } from './xml.ts';

export interface SbmlImport {
  model: Model;
  sbml: SbmlInfo;
  /** Things accepted but worth knowing (ignored constraints, layout packages, ...). */
  warnings: string[];
}

/** Packages that change what a model means: never import them as core. */
const SEMANTIC_PACKAGES = new Set(['comp', 'fbc', 'qual', 'distrib', 'multi', 'arrays', 'spatial', 'dyn', 'req']);

type Kind = 'compartment' | 'species' | 'parameter';

interface Sym {
  sbmlId: string;
  kind: Kind;
  el: XmlElement;
  modelId: string;
  constant: boolean;
  role: 'species' | 'parameter' | 'rule' | 'ode';
  // species only
  compartment?: string;
  hOSU: boolean;
  boundary: boolean;
  assignmentRule?: XmlElement;
  rateRule?: XmlElement;
  initialAssignment?: XmlElement;
  eventTargeted: boolean;
  inReactions: boolean;
}

function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  return v === 'true' || v === '1';
}

function numAttr(el: XmlElement, name: string): number | undefined {
  const v = el.attrs[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  if (/^[+-]?inf$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  const x = Number(t);
  if (t === '' || (Number.isNaN(x) && !/^nan$/i.test(t))) throw new SbmlError(el.name, el.attrs.id, `attribute ${name}="${v}" is not a number`);
  return x;
}

function mathOf(el: XmlElement, what: string, id: string | undefined): XmlElement {
  const m = child(el, 'math');
  if (!m) throw new SbmlError(what, id, 'has no <math>');
  return m;
}

/** Model field value: a plain number when the expression is one, else its text. */
function toField(e: Expr): number | string {
  const f = foldConstants(e);
  return f.kind === 'num' && Number.isFinite(f.value) ? f.value : printExpr(f);
}

/** Parse an SBML document into a Model; throws SbmlError for anything it cannot represent exactly. */
export function importSbml(xml: string): SbmlImport {
  return new Importer(parseXml(xml)).run();
}

class Importer {
  private readonly root: XmlElement;
  private readonly warnings: string[] = [];
  private level = 3;
  private version = 2;
  private modelEl!: XmlElement;
  private readonly syms = new Map<string, Sym>();
  private readonly reactionIds = new Map<string, string>();
  private readonly speciesRefs = new Map<string, number>();
  private readonly functions = new Map<string, FunctionDef>();
  private readonly used = new Set<string>();
  private readonly allSbmlIds = new Set<string>();
  private readonly renamed: Record<string, string> = {};
  private readonly initCache = new Map<string, Expr>();
  private readonly initBusy = new Set<string>();
  private readonly localParams: Parameter[] = [];

  constructor(root: XmlElement) {
    this.root = root;
  }

  run(): SbmlImport {
    this.checkDocument();
    this.readFunctions();
    this.collectSymbols();
    this.readRulesAndAssignments();
    const events = this.readEventTargets();
    this.decideRoles();
    const { reactions, localParams } = this.readReactions();
    const model = this.buildModel(reactions, localParams, events);
    const info = this.info();
    const annotation = readAnnotation(this.modelEl);
    if (!annotation) return { model, sbml: info, warnings: this.warnings };
    const final = applyAnnotation(model, annotation, this.warnings);
    if (!final.parameters.some((p) => p.id === annotation.compartment)) {
      // The export's size-1 compartment is gone from the model: its species' amount is their concentration.
      for (const s of Object.values(info.symbols)) if (s.compartment === annotation.compartment) delete s.compartment;
      delete info.symbols[annotation.compartment];
    }
    return { model: final, sbml: info, warnings: this.warnings };
  }

  // ---- document-level checks -------------------------------------------------------------

  private checkDocument(): void {
    const root = this.root;
    if (root.name !== 'sbml') throw new SbmlError(root.name, undefined, 'the root element must be <sbml>');
    this.level = Number(root.attrs.level);
    this.version = Number(root.attrs.version);
    if (this.level === 1) throw new SbmlError('sbml', undefined, 'SBML Level 1 is not supported: convert the file to Level 2 or 3 (e.g. with libSBML)');
    if (this.level !== 2 && this.level !== 3) throw new SbmlError('sbml', undefined, `level="${root.attrs.level}" is not supported (Level 2 or 3 only)`);
    for (const [k, v] of Object.entries(root.attrs)) {
      const ns = /^xmlns:(\w+)$/.exec(k);
      const pkgMatch = /sbml\.org\/sbml\/level3\/version\d+\/([a-z]+)\/version\d+/.exec(v);
      if (!ns || !pkgMatch) continue;
      const prefix = ns[1];
      const pkg = pkgMatch[1];
      const required = bool(root.attrs[`${prefix}:required`], false);
      if (required || SEMANTIC_PACKAGES.has(pkg)) {
        throw new SbmlError('sbml', undefined, `uses the SBML package "${pkg}" (${prefix}:required="${root.attrs[`${prefix}:required`] ?? 'unset'}"), which is not supported: only SBML core can be imported`);
      }
      this.warnings.push(`SBML package "${pkg}" ignored (it does not change the model's mathematics)`);
    }
    const model = child(root, 'model');
    if (!model) throw new SbmlError('sbml', undefined, 'has no <model>');
    this.modelEl = model;
    for (const c of model.children) {
      if (c.qname.includes(':')) throw new SbmlError(c.qname, c.attrs.id, 'is a package element; SBML packages are not supported');
    }
    if (listOf(model, 'listOfConstraints', 'constraint').length > 0) {
      this.warnings.push('constraints ignored: they only assert conditions and do not change the simulation');
    }
  }

  private readFunctions(): void {
    for (const fd of listOf(this.modelEl, 'listOfFunctionDefinitions', 'functionDefinition')) {
      const def = readFunctionDefinition(fd, this.functions);
      this.functions.set(def.id, def);
    }
  }

  // ---- ids and names ---------------------------------------------------------------------

  private collectSymbols(): void {
    const m = this.modelEl;
    const entries: [Kind, XmlElement][] = [
      ...listOf(m, 'listOfCompartments', 'compartment').map((e): [Kind, XmlElement] => ['compartment', e]),
      ...listOf(m, 'listOfSpecies', 'species').map((e): [Kind, XmlElement] => ['species', e]),
      ...listOf(m, 'listOfParameters', 'parameter').map((e): [Kind, XmlElement] => ['parameter', e]),
    ];
    const reactions = listOf(m, 'listOfReactions', 'reaction');
    for (const [, el] of entries) this.allSbmlIds.add(el.attrs.id);
    for (const r of reactions) {
      this.allSbmlIds.add(r.attrs.id);
      for (const list of ['listOfReactants', 'listOfProducts', 'listOfModifiers']) {
        for (const sr of child(r, list)?.children ?? []) if (sr.attrs.id) this.allSbmlIds.add(sr.attrs.id);
      }
    }
    for (const e of listOf(m, 'listOfEvents', 'event')) if (e.attrs.id) this.allSbmlIds.add(e.attrs.id);

    for (const [kind, el] of entries) {
      const id = el.attrs.id;
      if (!id) throw new SbmlError(el.name, undefined, 'has no id');
      if (this.syms.has(id)) throw new SbmlError(el.name, id, 'the id is used twice');
      const isParamLike = kind !== 'species';
      const sym: Sym = {
        sbmlId: id,
        kind,
        el,
        modelId: this.claim(id),
        constant: bool(el.attrs.constant, isParamLike),
        role: 'parameter',
        hOSU: bool(el.attrs.hasOnlySubstanceUnits, false),
        boundary: bool(el.attrs.boundaryCondition, false),
        eventTargeted: false,
        inReactions: false,
      };
      if (kind === 'species') {
        const c = el.attrs.compartment;
        if (!c) throw new SbmlError('species', id, 'has no compartment attribute');
        sym.compartment = c;
        if (child(el, 'listOfSpeciesTypes')) throw new SbmlError('species', id, 'species types are not supported');
      }
      this.syms.set(id, sym);
    }
    for (const sym of this.syms.values()) {
      if (sym.kind === 'species' && !(this.syms.get(sym.compartment as string)?.kind === 'compartment')) {
        throw new SbmlError('species', sym.sbmlId, `its compartment "${sym.compartment}" is not a compartment of the model`);
      }
    }
    for (const r of reactions) {
      const id = r.attrs.id;
      if (!id) throw new SbmlError('reaction', undefined, 'has no id');
      this.reactionIds.set(id, this.claim(id));
    }
  }

  /**
   * Model id for an SBML id: the same unless reserved in the model language (t, time, pi, e,
   * exp, ...); then `id_`, `id__`, ... — the first that no SBML id of the file uses, so the result
   * does not depend on the order ids are met.
   */
  private claim(id: string): string {
    let out = id;
    if (RESERVED_NAMES.has(id)) {
      out = `${id}_`;
      while (this.allSbmlIds.has(out) || this.used.has(out) || RESERVED_NAMES.has(out)) out += '_';
      this.renamed[id] = out;
    }
    this.used.add(out);
    return out;
  }

  /** A fresh model id from a preferred one (for local parameters): avoids every SBML and model id. */
  private fresh(preferred: string): string {
    let out = preferred;
    for (let i = 2; this.allSbmlIds.has(out) || this.used.has(out) || RESERVED_NAMES.has(out); i++) out = `${preferred}_${i}`;
    this.used.add(out);
    return out;
  }

  // ---- rules, initial assignments, events --------------------------------------------------

  private target(element: string, variable: string | undefined, what: string): Sym {
    if (!variable) throw new SbmlError(element, undefined, 'has no variable/symbol attribute');
    const sym = this.syms.get(variable);
    if (sym) return sym;
    if (this.reactionIds.has(variable)) throw new SbmlError(element, variable, `${what} a reaction, which is not supported`);
    if (this.allSbmlIds.has(variable)) {
      throw new SbmlError(element, variable, `${what} a species reference (variable stoichiometry), which is not supported`);
    }
    throw new SbmlError(element, variable, `${what} "${variable}", which is not a compartment, species or parameter of the model`);
  }

  private readRulesAndAssignments(): void {
    const m = this.modelEl;
    for (const rule of child(m, 'listOfRules')?.children ?? []) {
      const variable = rule.attrs.variable;
      switch (rule.name) {
        case 'algebraicRule':
          throw new SbmlError('algebraicRule', rule.attrs.metaid ?? rule.attrs.id, 'algebraic rules (differential-algebraic models) are not supported');
        case 'assignmentRule': {
          const sym = this.target('assignmentRule', variable, 'assigns');
          if (sym.assignmentRule || sym.rateRule) throw new SbmlError('assignmentRule', variable, 'the variable already has a rule');
          sym.assignmentRule = mathOf(rule, 'assignmentRule', variable);
          break;
        }
        case 'rateRule': {
          const sym = this.target('rateRule', variable, 'changes');
          if (sym.assignmentRule || sym.rateRule) throw new SbmlError('rateRule', variable, 'the variable already has a rule');
          sym.rateRule = mathOf(rule, 'rateRule', variable);
          break;
        }
        case 'speciesConcentrationRule':
        case 'compartmentVolumeRule':
        case 'parameterRule':
          throw new SbmlError(rule.name, variable, 'is a Level 1 rule; SBML Level 1 is not supported');
        default:
          if (rule.name !== 'annotation' && rule.name !== 'notes') throw new SbmlError(rule.name, variable, 'unknown kind of rule');
      }
    }
    for (const ia of listOf(m, 'listOfInitialAssignments', 'initialAssignment')) {
      const symbol = ia.attrs.symbol;
      const sym = this.target('initialAssignment', symbol, 'sets');
      if (sym.initialAssignment) throw new SbmlError('initialAssignment', symbol, 'the symbol has two initial assignments');
      sym.initialAssignment = mathOf(ia, 'initialAssignment', symbol);
    }
  }

  private readEventTargets(): XmlElement[] {
    const events = listOf(this.modelEl, 'listOfEvents', 'event');
    for (const ev of events) {
      for (const ea of listOf(ev, 'listOfEventAssignments', 'eventAssignment')) {
        const sym = this.target('eventAssignment', ea.attrs.variable, 'assigns');
        if (sym.assignmentRule) throw new SbmlError('eventAssignment', ea.attrs.variable, 'assigns a variable that has an assignment rule');
        sym.eventTargeted = true;
      }
    }
    return events;
  }

  private decideRoles(): void {
    for (const r of listOf(this.modelEl, 'listOfReactions', 'reaction')) {
      for (const list of ['listOfReactants', 'listOfProducts']) {
        for (const sr of child(r, list)?.children ?? []) {
          const s = this.syms.get(sr.attrs.species);
          if (s?.kind === 'species') s.inReactions = true;
        }
      }
    }
    for (const sym of this.syms.values()) {
      if (sym.kind === 'species') {
        sym.role = sym.assignmentRule ? 'rule' : sym.rateRule ? 'ode' : 'species';
        if (sym.role !== 'species' && sym.inReactions && !sym.boundary) {
          throw new SbmlError(sym.assignmentRule ? 'assignmentRule' : 'rateRule', sym.sbmlId,
            'sets a species that reactions also change (it must have boundaryCondition="true")');
        }
      } else if (sym.assignmentRule) {
        sym.role = 'rule';
      } else if (sym.rateRule || sym.eventTargeted) {
        // Values that change over time are states, so simulations report them at every time.
        sym.role = 'ode';
      } else if (sym.initialAssignment) {
        sym.role = 'rule';
      } else {
        sym.role = 'parameter';
        const v = numAttr(sym.el, sym.kind === 'compartment' ? 'size' : 'value') ?? (sym.kind === 'compartment' ? numAttr(sym.el, 'volume') : undefined);
        if (v === undefined) {
          if (sym.kind === 'compartment' && this.level === 2 && sym.el.attrs.spatialDimensions !== '0') {
            // Level 2 gives an unset compartment size the default 1 (L2V1-V4 §4.7.5).
            continue;
          }
          throw new SbmlError(sym.kind, sym.sbmlId, `has no ${sym.kind === 'compartment' ? 'size' : 'value'} and nothing assigns one`);
        }
      }
      if ((sym.rateRule || sym.eventTargeted || sym.assignmentRule) && sym.constant) {
        throw new SbmlError(sym.kind, sym.sbmlId, 'is constant="true" but a rule or event changes it');
      }
    }
  }

  // ---- math translation ---------------------------------------------------------------------

  private sym(id: string, ctx: { element: string; elementId: string | undefined }): Sym {
    const s = this.syms.get(id);
    if (s) return s;
    if (this.reactionIds.has(id)) throw new SbmlError(ctx.element, ctx.elementId, `uses the reaction id "${id}" as a value, which is not supported`);
    if (this.speciesRefs.has(id)) throw new SbmlError(ctx.element, ctx.elementId, `uses the species reference "${id}" as a value, which is not supported`);
    if (this.functions.has(id)) throw new SbmlError(ctx.element, ctx.elementId, `uses the function "${id}" without applying it`);
    throw new SbmlError(ctx.element, ctx.elementId, `uses "${id}", which the model does not define`);
  }

  /** The model expression for an SBML symbol during the simulation. */
  private runtimeRef(s: Sym): Expr {
    if (s.kind === 'species' && s.role === 'species' && !s.hOSU) {
      return bin('/', ref(s.modelId), this.runtimeRef(this.syms.get(s.compartment as string) as Sym));
    }
    return ref(s.modelId);
  }

  /** Translate math evaluated during the simulation; `locals` maps local parameter ids. */
  private runtime(math: XmlElement, element: string, elementId: string | undefined, locals?: Map<string, string>): Expr {
    const ctx: MathContext = {
      element,
      elementId,
      functions: this.functions,
      resolve: (id) => {
        const local = locals?.get(id);
        if (local !== undefined) return ref(local);
        const sr = this.speciesRefs.get(id);
        if (sr !== undefined && !this.syms.has(id)) return num(sr);
        return this.runtimeRef(this.sym(id, ctx));
      },
    };
    return readMath(math, ctx);
  }

  /** Translate math evaluated once at time 0: every symbol becomes its initial value over model parameters. */
  private atInit(math: XmlElement, element: string, elementId: string | undefined): Expr {
    const ctx: MathContext = {
      element,
      elementId,
      functions: this.functions,
      resolve: (id) => {
        const sr = this.speciesRefs.get(id);
        if (sr !== undefined && !this.syms.has(id)) return num(sr);
        return this.initValue(this.sym(id, ctx));
      },
    };
    // SBML's initial time is 0.
    return substitute(readMath(math, ctx), (n) => (n === 't' ? num(0) : undefined));
  }

  /** SBML value (concentration for species without only-substance units) at time 0, over model parameters. */
  private initValue(s: Sym): Expr {
    if (s.role === 'parameter') return ref(s.modelId);
    const cached = this.initCache.get(s.sbmlId);
    if (cached) return cached;
    if (this.initBusy.has(s.sbmlId)) throw new SbmlError(s.kind, s.sbmlId, 'its initial value depends on itself (cyclic initial assignments or rules)');
    this.initBusy.add(s.sbmlId);
    let v: Expr;
    if (s.assignmentRule) v = this.atInit(s.assignmentRule, 'assignmentRule', s.sbmlId);
    else if (s.initialAssignment) v = this.atInit(s.initialAssignment, 'initialAssignment', s.sbmlId);
    else if (s.kind === 'species') {
      const amount = numAttr(s.el, 'initialAmount');
      const conc = numAttr(s.el, 'initialConcentration');
      const size = (): Expr => this.initValue(this.syms.get(s.compartment as string) as Sym);
      if (amount !== undefined) v = s.hOSU ? num(amount) : bin('/', num(amount), size());
      else if (conc !== undefined) v = s.hOSU ? bin('*', num(conc), size()) : num(conc);
      else throw new SbmlError('species', s.sbmlId, 'has no initialAmount or initialConcentration and no initial assignment or rule');
    } else {
      const attr = s.kind === 'compartment' ? 'size' : 'value';
      const x = numAttr(s.el, attr);
      if (x === undefined) throw new SbmlError(s.kind, s.sbmlId, `has no ${attr} and no initial assignment or rule`);
      v = num(x);
    }
    this.initBusy.delete(s.sbmlId);
    this.initCache.set(s.sbmlId, v);
    return v;
  }

  /** Initial amount of a species held as an amount. */
  private initAmount(s: Sym): Expr {
    const amount = numAttr(s.el, 'initialAmount');
    if (!s.initialAssignment && amount !== undefined) return num(amount);
    const v = this.initValue(s);
    if (s.hOSU) return v;
    const size = this.initValue(this.syms.get(s.compartment as string) as Sym);
    const conc = numAttr(s.el, 'initialConcentration');
    if (!s.initialAssignment && conc !== undefined) return bin('*', num(conc), size);
    return bin('*', v, size);
  }

  // ---- reactions ---------------------------------------------------------------------------

  private stoichiometry(sr: XmlElement, reactionId: string): number {
    const id = sr.attrs.id;
    if (child(sr, 'stoichiometryMath')) {
      const sm = child(sr, 'stoichiometryMath') as XmlElement;
      const e = this.atInit(mathOf(sm, 'stoichiometryMath', reactionId), 'stoichiometryMath', reactionId);
      if (namesIn(e).size > 0) throw new SbmlError('stoichiometryMath', reactionId, 'variable stoichiometry is not supported (only constant numbers)');
      return evaluate(e, () => undefined);
    }
    const v = numAttr(sr, 'stoichiometry');
    if (v === undefined) {
      if (this.level === 3) this.warnings.push(`reaction "${reactionId}": speciesReference to "${sr.attrs.species}" has no stoichiometry; using 1`);
      return 1;
    }
    if (id && this.level === 3 && !bool(sr.attrs.constant, true)) {
      this.warnings.push(`reaction "${reactionId}": speciesReference "${id}" is constant="false" but nothing changes it; using ${v}`);
    }
    return v;
  }

  private conversionFactor(s: Sym): number {
    const id = s.el.attrs.conversionFactor ?? this.modelEl.attrs.conversionFactor;
    if (id === undefined) return 1;
    const p = this.syms.get(id);
    if (!p || p.kind !== 'parameter' || p.role !== 'parameter' || !p.constant) {
      throw new SbmlError('species', s.sbmlId, `its conversionFactor "${id}" must be a constant parameter with a value (variable conversion factors are not supported)`);
    }
    return numAttr(p.el, 'value') as number;
  }

  private readReactions(): { reactions: Reaction[]; localParams: Parameter[] } {
    const out: Reaction[] = [];
    const rxEls = listOf(this.modelEl, 'listOfReactions', 'reaction');
    for (const r of rxEls) {
      for (const list of ['listOfReactants', 'listOfProducts']) {
        for (const sr of child(r, list)?.children ?? []) {
          if (sr.attrs.id) this.speciesRefs.set(sr.attrs.id, this.stoichiometry(sr, r.attrs.id));
        }
      }
    }
    for (const r of rxEls) {
      const id = r.attrs.id;
      const modelId = this.reactionIds.get(id) as string;
      if (bool(r.attrs.fast, false)) throw new SbmlError('reaction', id, 'is fast="true"; fast reactions (quasi-steady-state) are not supported');
      const from: Record<string, number> = {};
      const to: Record<string, number> = {};
      const add = (side: Record<string, number>, other: Record<string, number>, sr: XmlElement): void => {
        const sid = sr.attrs.species;
        const s = this.syms.get(sid);
        if (!s || s.kind !== 'species') throw new SbmlError('speciesReference', sid, `in reaction "${id}" names "${sid}", which is not a species`);
        if (s.boundary || s.constant) return;
        const k = this.stoichiometry(sr, id) * this.conversionFactor(s);
        if (k === 0) return;
        // A negative coefficient on one side is the same change as a positive one on the other.
        const [target, amount] = k > 0 ? [side, k] : [other, -k];
        target[s.modelId] = (target[s.modelId] ?? 0) + amount;
      };
      for (const sr of child(r, 'listOfReactants')?.children ?? []) if (sr.name === 'speciesReference') add(from, to, sr);
      for (const sr of child(r, 'listOfProducts')?.children ?? []) if (sr.name === 'speciesReference') add(to, from, sr);
      const kl = child(r, 'kineticLaw');
      if (!kl) throw new SbmlError('reaction', id, 'has no kineticLaw, so its rate is undefined');
      const locals = new Map<string, string>();
      const localEls = [...listOf(kl, 'listOfLocalParameters', 'localParameter'), ...listOf(kl, 'listOfParameters', 'parameter')];
      for (const lp of localEls) {
        const lid = lp.attrs.id;
        const value = numAttr(lp, 'value');
        if (value === undefined) throw new SbmlError(lp.name, lid, `(local to reaction "${id}") has no value`);
        const pid = this.fresh(`${modelId}_${lid}`);
        locals.set(lid, pid);
        this.localParams.push({ id: pid, value });
        this.localSymbols.set(`${id}.${lid}`, pid);
      }
      const rate = this.runtime(mathOf(kl, 'kineticLaw', id), 'kineticLaw', id, locals);
      const reaction: Reaction = { id: modelId, rate: printExpr(foldConstants(rate)) };
      if (Object.keys(from).length > 0) reaction.from = from;
      if (Object.keys(to).length > 0) reaction.to = to;
      out.push(reaction);
    }
    return { reactions: out, localParams: this.localParams };
  }

  private readonly localSymbols = new Map<string, string>();

  // ---- events ------------------------------------------------------------------------------

  /** True when the symbol cannot change during a simulation. */
  private timeConstant(s: Sym, seen = new Set<string>()): boolean {
    if (s.rateRule || s.eventTargeted) return false;
    if (s.kind === 'species' && s.role === 'species') return s.boundary || s.constant || !s.inReactions;
    if (s.assignmentRule) {
      if (seen.has(s.sbmlId)) return false;
      seen.add(s.sbmlId);
      let ok = true;
      const ctx: MathContext = {
        element: 'assignmentRule',
        elementId: s.sbmlId,
        functions: this.functions,
        resolve: (id) => {
          const other = this.syms.get(id);
          if (!other || !this.timeConstant(other, seen)) ok = false;
          return num(0);
        },
      };
      const e = readMath(s.assignmentRule, ctx);
      return ok && !namesIn(e).has('t');
    }
    return true;
  }

  private readEvent(ev: XmlElement, index: number): ModelEvent | null {
    const id = ev.attrs.id;
    const label = id ?? `#${index + 1}`;
    if (child(ev, 'delay')) throw new SbmlError('event', label, 'has a <delay>; delayed events are not supported');
    if (child(ev, 'priority')) throw new SbmlError('event', label, 'has a <priority>; event priorities are not supported');
    const trigger = child(ev, 'trigger');
    if (!trigger) throw new SbmlError('event', label, 'has no <trigger>');
    const tmath = mathOf(trigger, 'trigger', label);
    const shapeError = (): never => {
      throw new SbmlError('trigger', label, 'only triggers of the form time >= expr or time > expr, with expr constant during the simulation, are supported');
    };
    // Which SBML ids does the trigger use, and are they all constant in time?
    const usedIds: string[] = [];
    const probe: MathContext = {
      element: 'trigger',
      elementId: label,
      functions: this.functions,
      resolve: (rid) => {
        usedIds.push(rid);
        return ref(`@${rid}`);
      },
    };
    const shape = readMath(tmath, probe);
    if (shape.kind !== 'binary') return shapeError();
    let strict: boolean;
    let bound: Expr;
    if ((shape.op === '>=' || shape.op === '>') && shape.left.kind === 'name' && shape.left.name === 't') {
      strict = shape.op === '>';
      bound = shape.right;
    } else if ((shape.op === '<=' || shape.op === '<') && shape.right.kind === 'name' && shape.right.name === 't') {
      strict = shape.op === '<';
      bound = shape.left;
    } else return shapeError();
    if (namesIn(bound).has('t')) return shapeError();
    for (const rid of usedIds) {
      const s = this.syms.get(rid);
      if (!s || !this.timeConstant(s)) return shapeError();
    }
    const at = foldConstants(substitute(bound, (n) => (n.startsWith('@') ? this.initValue(this.syms.get(n.slice(1)) as Sym) : undefined)));
    const initialValue = bool(trigger.attrs.initialValue, true);
    // A trigger already true at time 0 fires then only when initialValue="false" (no false→true transition otherwise).
    const atValue = this.tryEvaluate(at);
    if (atValue !== undefined && (atValue < 0 || (atValue === 0 && !strict))) {
      if (initialValue) {
        this.warnings.push(`event "${label}" never fires: its trigger is already true at time 0 and initialValue="true"`);
        return null;
      }
    }
    const assign: Record<string, number | string> = {};
    const eas = listOf(ev, 'listOfEventAssignments', 'eventAssignment');
    const newValues = new Map<string, Expr>();
    for (const ea of eas) {
      newValues.set(ea.attrs.variable, this.runtime(mathOf(ea, 'eventAssignment', ea.attrs.variable), 'eventAssignment', ea.attrs.variable));
    }
    for (const ea of eas) {
      const s = this.syms.get(ea.attrs.variable) as Sym;
      let value = newValues.get(s.sbmlId) as Expr;
      if (s.kind === 'species' && s.role === 'species' && !s.hOSU) {
        // SBML assigns the concentration; the model holds the amount, in the compartment's size after the event.
        const c = this.syms.get(s.compartment as string) as Sym;
        value = bin('*', value, newValues.get(c.sbmlId) ?? this.runtimeRef(c));
      }
      assign[s.modelId] = toField(value);
    }
    if (Object.keys(assign).length === 0) {
      this.warnings.push(`event "${label}" assigns nothing; ignored`);
      return null;
    }
    const time = atValue !== undefined && atValue < 0 ? 0 : toField(at);
    return id ? { id: this.claimEventId(id), at: time, assign } : { at: time, assign };
  }

  private claimEventId(id: string): string {
    if (!RESERVED_NAMES.has(id) && !this.used.has(id)) {
      this.used.add(id);
      return id;
    }
    const out = this.fresh(`${id}_`);
    this.renamed[id] = out;
    return out;
  }

  private paramValues(): Map<string, number> {
    const values = new Map<string, number>();
    for (const s of this.syms.values()) {
      if (s.role !== 'parameter') continue;
      values.set(s.modelId, numAttr(s.el, s.kind === 'compartment' ? 'size' : 'value') ?? 1);
    }
    for (const p of this.localParams) values.set(p.id, p.value as number);
    return values;
  }

  private tryEvaluate(e: Expr): number | undefined {
    const values = this.paramValues();
    try {
      return evaluate(e, (n) => values.get(n));
    } catch {
      return undefined;
    }
  }

  // ---- assembly ----------------------------------------------------------------------------

  private buildModel(reactions: Reaction[], localParams: Parameter[], eventEls: XmlElement[]): Model {
    const parameters: Parameter[] = [];
    const species: Species[] = [];
    const rules: Rule[] = [];
    const odes: Ode[] = [];
    const ordered = [...this.syms.values()];
    for (const s of ordered) {
      if (s.role === 'parameter') {
        const v = numAttr(s.el, s.kind === 'compartment' ? 'size' : 'value') ?? numAttr(s.el, 'volume') ?? 1;
        if (!Number.isFinite(v)) throw new SbmlError(s.kind, s.sbmlId, `its value ${v} is not a finite number`);
        parameters.push({ id: s.modelId, value: v });
      } else if (s.role === 'species') {
        species.push({ id: s.modelId, initial: toField(this.initAmount(s)) });
      } else if (s.role === 'ode') {
        const derivative = s.rateRule ? printExpr(foldConstants(this.runtime(s.rateRule, 'rateRule', s.sbmlId))) : '0';
        odes.push({ id: s.modelId, initial: toField(this.initValue(s)), derivative });
      }
    }
    parameters.push(...localParams);
    // Assignment rules in document order, then constants fixed by initial assignments.
    for (const rule of child(this.modelEl, 'listOfRules')?.children ?? []) {
      if (rule.name !== 'assignmentRule') continue;
      const s = this.syms.get(rule.attrs.variable) as Sym;
      rules.push({ id: s.modelId, expr: printExpr(foldConstants(this.runtime(s.assignmentRule as XmlElement, 'assignmentRule', s.sbmlId))) });
    }
    for (const s of ordered) {
      if (s.role === 'rule' && !s.assignmentRule) rules.push({ id: s.modelId, expr: printExpr(foldConstants(this.initValue(s))) });
    }
    const events = eventEls.map((e, i) => this.readEvent(e, i)).filter((e): e is ModelEvent => e !== null);
    const m = this.modelEl;
    const model: Model = {
      format: MODEL_FORMAT,
      name: m.attrs.name || m.attrs.id || 'SBML model',
      source: `SBML Level ${this.level} Version ${this.version}${m.attrs.id ? ` model "${m.attrs.id}"` : ''}`,
      parameters,
      species,
      rules,
      odes,
      reactions,
      observables: [],
    };
    if (events.length > 0) model.events = events;
    return model;
  }

  private info(): SbmlInfo {
    const symbols: Record<string, SbmlSymbol> = {};
    for (const s of this.syms.values()) {
      const entry: SbmlSymbol = { kind: s.kind, modelId: s.modelId, role: s.role };
      if (s.kind === 'species') {
        entry.compartment = (this.syms.get(s.compartment as string) as Sym).modelId;
        entry.hasOnlySubstanceUnits = s.hOSU;
        entry.holds = s.hOSU || s.role === 'species' ? 'amount' : 'concentration';
      }
      symbols[s.sbmlId] = entry;
    }
    for (const [id, modelId] of this.reactionIds) symbols[id] = { kind: 'reaction', modelId, role: 'reaction' };
    for (const [key, modelId] of this.localSymbols) symbols[key] = { kind: 'localParameter', modelId, role: 'parameter' };
    return { level: this.level, version: this.version, modelId: this.modelEl.attrs.id, symbols, renamed: { ...this.renamed } };
  }
}
