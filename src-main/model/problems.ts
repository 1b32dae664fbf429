/** A problem found in a model file: the JSON path of the field, the message, and where in an expression. */
export interface ModelProblem {
  /** JSON-path-like location, e.g. `reactions[0].rate` or `parameters[2].prior.sd`. */
  path: string;
  message: string;
  /** Character offset inside the expression at `path`, when the problem is inside an expression. */
  pos?: number;
  suggestion?: string;
}

/** Thrown when a model cannot be used; holds every problem found, not only the first. */
export class ModelError extends Error {
  readonly problems: ModelProblem[];
  constructor(problems: ModelProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ModelError';
    this.problems = problems;
  }
}

/** One line per problem, e.g. `reactions[0].rate, at character 7: unknown name "bta" (did you mean "beta"?)`. */
export function formatProblem(p: ModelProblem): string {
  const where = p.pos === undefined ? p.path : `${p.path}, at character ${p.pos + 1}`;
  const hint = p.suggestion ? ` (did you mean "${p.suggestion}"?)` : '';
  // A problem with the whole file (invalid JSON, not an object) has an empty path.
  return where === '' ? `${p.message}${hint}` : `${where}: ${p.message}${hint}`;
}
