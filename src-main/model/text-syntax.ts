/**
 * The human text syntax for models (`*.sgnn.txt`, docs/model-text-syntax.md). It round-trips
 * losslessly with the JSON format: parseModelText(formatModelText(m)) equals m for every valid m.
 */
import type { ModelProblem } from './problems.ts';
import type { TextLocation } from './text-syntax/parse.ts';

export { parseModelText, type ParsedModelText, type TextLocation } from './text-syntax/parse.ts';
export { formatModelText } from './text-syntax/format.ts';

/**
 * Re-expresses a problem found in the parsed JSON (e.g. by validateModel, path `reactions[0].rate`)
 * at its place in the text (`line 7`, pos = 0-based column), using parseModelText's locations.
 * The nearest located ancestor of the path is used; the JSON path stays in the message.
 */
export function locateProblem(problem: ModelProblem, locations: ReadonlyMap<string, TextLocation>): ModelProblem {
  let path = problem.path;
  for (;;) {
    const loc = locations.get(path);
    if (loc) {
      const exact = path === problem.path;
      const pos = exact && problem.pos !== undefined && loc.expr !== undefined ? loc.expr - 1 + problem.pos : loc.column - 1;
      const located: ModelProblem = { path: `line ${loc.line}`, message: `${problem.path}: ${problem.message}`, pos };
      if (problem.suggestion !== undefined) located.suggestion = problem.suggestion;
      return located;
    }
    const parent = path.replace(/(?:\.[^.[\]]*|\[[^\]]*\])$/, '');
    if (parent === path || parent === '') return problem;
    path = parent;
  }
}
