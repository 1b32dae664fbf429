/** Reading a model file of any supported kind: JSON (`sgnn-model/1`), text syntax, or SBML. */
import { readFileSync } from 'node:fs';
import type { Model } from '../model/schema.ts';
import { ModelError } from '../model/problems.ts';
import { parseModelJson, validateModel } from '../model/validate.ts';
import { locateProblem, parseModelText } from '../model/text-syntax.ts';

export type ModelFileKind = 'json' | 'text' | 'sbml';

/** A model file that cannot be read (missing, unreadable, unknown kind). */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** The kind of a model file, from its name: *.json, *.sgnn.txt / *.txt, *.xml / *.sbml. */
export function modelFileKind(path: string): ModelFileKind {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.txt')) return 'text';
  if (lower.endsWith('.xml') || lower.endsWith('.sbml')) return 'sbml';
  throw new ModelFileError(`cannot tell the kind of model file "${path}": use a .json, .sgnn.txt or .xml (SBML) file`);
}

/** Read a file's text, with a clear message when it is missing or a folder. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelFileError(`file not found: ${path}`);
    if (code === 'EISDIR') throw new ModelFileError(`${path} is a folder, not a file`);
    if (code === 'EACCES') throw new ModelFileError(`no permission to read ${path}`);
    throw new ModelFileError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Parse and validate a model given as JSON or text syntax; throws ModelError listing every problem. */
export function parseModelSource(text: string, kind: 'json' | 'text'): Model {
  if (kind === 'json') {
    const { model, problems } = parseModelJson(text);
    if (!model || problems.length > 0) throw new ModelError(problems);
    return model;
  }
  const parsed = parseModelText(text);
  if (parsed.model === null || parsed.problems.length > 0) throw new ModelError(parsed.problems);
  const { model, problems } = validateModel(parsed.model);
  // Problems found in the JSON are reported at their line in the text the user wrote.
  if (!model || problems.length > 0) throw new ModelError(problems.map((p) => locateProblem(p, parsed.locations)));
  return model;
}

/** Read, parse and validate a model file of any kind. SBML is converted on import. */
export async function readModelFile(path: string): Promise<{ model: Model; kind: ModelFileKind; warnings: string[] }> {
  const kind = modelFileKind(path);
  const text = readTextFile(path);
  if (kind === 'sbml') {
    const { importSbml } = await import('./sbml/import.ts');
    const { model, warnings } = importSbml(text);
    return { model, kind, warnings };
  }
  return { model: parseModelSource(text, kind), kind, warnings: [] };
}
