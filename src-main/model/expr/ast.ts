/** The expression language's syntax tree (spec: ../shared/spec/model-format.md § Expressions). */

export const FUNCTIONS = {
  exp: 1, log: 1, log10: 1, sqrt: 1, abs: 1, sin: 1, cos: 1, tan: 1, floor: 1, ceil: 1,
  min: -2, max: -2, // -2: two or more arguments
  pow: 2,
  if: 3,
} as const satisfies Record<string, number>;
export type FunctionName = keyof typeof FUNCTIONS;

export const CONSTANTS = { pi: Math.PI, e: Math.E } as const;
export type ConstantName = keyof typeof CONSTANTS;

/** Names with a fixed meaning that a model may not use as ids. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['t', 'time', ...Object.keys(FUNCTIONS), ...Object.keys(CONSTANTS)]);

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';
export type UnaryOp = '-' | '!';

/** `pos` is the 0-based character offset of the node's first character in the source text. */
export type Expr =
  | { kind: 'num'; value: number; pos: number }
  | { kind: 'name'; name: string; pos: number }
  | { kind: 'unary'; op: UnaryOp; arg: Expr; pos: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: number }
  | { kind: 'call'; fn: FunctionName; args: Expr[]; pos: number };

/** A problem in one expression: what, where (character offset), and a suggestion when a name is close. */
export interface ExprProblem {
  message: string;
  pos: number;
  /** Unknown name, when the problem is one. */
  name?: string;
  suggestion?: string;
}

/** Thrown by the parser; carries the offending position. */
export class ExprSyntaxError extends Error {
  readonly pos: number;
  constructor(message: string, pos: number) {
    super(message);
    this.name = 'ExprSyntaxError';
    this.pos = pos;
  }
}
