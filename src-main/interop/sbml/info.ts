/** What importSbml keeps about the SBML file besides the Model: how each SBML id maps into it. */
import type { Model } from '../../model/schema.ts';

/** How one SBML id (compartment, species, parameter, reaction, local parameter) lives in the model. */
export interface SbmlSymbol {
  kind: 'compartment' | 'species' | 'parameter' | 'reaction' | 'localParameter';
  /** Its id in the model (differs from the SBML id when that is reserved, e.g. `time` → `time_`). */
  modelId: string;
  /** Which list of the model holds it. */
  role: 'species' | 'parameter' | 'rule' | 'ode' | 'reaction';
  /** Species only: model id of its compartment (a parameter, rule or ode); absent when it is the size-1 compartment exportSbml adds. */
  compartment?: string;
  /** Species only: SBML hasOnlySubstanceUnits (true: the SBML symbol means the amount). */
  hasOnlySubstanceUnits?: boolean;
  /**
   * Species only: what the model quantity holds. `amount` for reaction-driven, boundary and constant
   * species; `concentration` for species given by an assignment or rate rule with
   * hasOnlySubstanceUnits=false (SBML's rule then defines the concentration, so storing it keeps
   * the rule exact even when the compartment changes).
   */
  holds?: 'amount' | 'concentration';
}

export interface SbmlInfo {
  level: number;
  version: number;
  /** The SBML model's id, if any. */
  modelId: string | undefined;
  /** Every SBML id that has a value (local parameters as `reactionId.localId`). */
  symbols: Record<string, SbmlSymbol>;
  /** SBML ids whose model id differs: SBML id → model id. */
  renamed: Record<string, string>;
}

/**
 * Expression (model language) giving an SBML id's value as the Test Suite reports it: species as
 * amount or concentration (default: amount when hasOnlySubstanceUnits, else concentration),
 * reactions by their flux, other ids by value. Throws on an id the file does not define.
 */
export function sbmlValueExpr(model: Model, info: SbmlInfo, sbmlId: string, report?: 'amount' | 'concentration'): string {
  const s = Object.hasOwn(info.symbols, sbmlId) ? info.symbols[sbmlId] : undefined;
  if (!s || s.kind === 'localParameter') {
    throw new Error(`"${sbmlId}" is not a compartment, species, parameter or reaction of the SBML model`);
  }
  if (s.kind === 'reaction') {
    // A reaction's value is its flux (SBML L3 §4.11.7).
    const r = model.reactions.find((x) => x.id === s.modelId);
    if (!r) throw new Error(`reaction "${sbmlId}" is missing from the model`);
    return r.rate;
  }
  if (s.kind !== 'species') return s.modelId;
  const want = report ?? (s.hasOnlySubstanceUnits ? 'amount' : 'concentration');
  if (s.holds === want || s.compartment === undefined) return s.modelId;
  const c = s.compartment;
  return want === 'concentration' ? `${s.modelId} / ${c}` : `${s.modelId} * ${c}`;
}
