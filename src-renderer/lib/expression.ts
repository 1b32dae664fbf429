/**
 * Live checking and name completion for one expression field (rates, observables, rules): the
 * same parser and name check as the engine's validator, so the inline message is the one the
 * engine would give.
 */
import { checkNames } from '../../src-main/model/expr/names.ts';
import { tryParseExpr } from '../../src-main/model/expr/parse.ts';
import { FUNCTIONS } from '../../src-main/model/expr/ast.ts';
import type { Model } from '../../src-main/model/schema.ts';

export interface ExprCheck {
  ok: boolean;
  message?: string;
  /** 0-based character offset of the problem. */
  pos?: number;
  suggestion?: string;
  /** The text with the suggestion applied, when there is one. */
  fixed?: string;
}

/** Names an expression may use in a dynamic context (rates, observables, rules, odes). */
export function dynamicNames(model: Model): string[] {
  return [
    ...model.parameters.map((p) => p.id), ...model.species.map((s) => s.id), ...model.odes.map((o) => o.id),
    ...model.rules.map((r) => r.id), 't',
  ];
}

/** Check an expression against the names it may use. */
export function checkExpression(text: string, names: readonly string[]): ExprCheck {
  if (text.trim() === '') return { ok: false, message: 'must not be empty', pos: 0 };
  const parsed = tryParseExpr(text);
  if (!parsed.expr) return { ok: false, message: parsed.error.message, pos: parsed.error.pos };
  const problems = checkNames(parsed.expr, new Set(names));
  if (problems.length === 0) return { ok: true };
  const p = problems[0];
  const check: ExprCheck = { ok: false, message: p.message, pos: p.pos };
  if (p.suggestion && p.name) {
    check.suggestion = p.suggestion;
    check.fixed = text.slice(0, p.pos) + p.suggestion + text.slice(p.pos + p.name.length);
  }
  return check;
}

/** The identifier being typed at `cursor` (letters, digits, _ before it). */
export function wordAt(text: string, cursor: number): { start: number; word: string } {
  let start = cursor;
  while (start > 0 && /[A-Za-z0-9_]/.test(text[start - 1])) start--;
  return { start, word: text.slice(start, cursor) };
}

/** Completions for the word at the cursor: model names first, then functions; prefix matches. */
export function completions(text: string, cursor: number, names: readonly string[], limit = 8): string[] {
  const { word } = wordAt(text, cursor);
  if (word === '' || /^[0-9]/.test(word)) return [];
  const lower = word.toLowerCase();
  const pool = [...new Set([...names, ...Object.keys(FUNCTIONS)])];
  return pool.filter((n) => n.toLowerCase().startsWith(lower) && n !== word).slice(0, limit);
}

/** Insert a completion: replaces the word at the cursor; returns the new text and cursor. */
export function applyCompletion(text: string, cursor: number, name: string): { text: string; cursor: number } {
  const { start } = wordAt(text, cursor);
  const insert = name in FUNCTIONS ? `${name}(` : name;
  return { text: text.slice(0, start) + insert + text.slice(cursor), cursor: start + insert.length };
}
