/** The model templates shipped in resources/models (read once, validated). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TemplateInfo } from '../contract/types.ts';
import { parseModelSource } from '../interop/model-file.ts';

const TEMPLATE_DIR = fileURLToPath(new URL('../../resources/models/', import.meta.url));
let cached: TemplateInfo[] | null = null;

/** Every template, sorted by file name; id = file name without .json. */
export function listTemplates(): TemplateInfo[] {
  cached ??= readdirSync(TEMPLATE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const model = parseModelSource(readFileSync(TEMPLATE_DIR + file, 'utf8'), 'json');
      return { id: file.replace(/\.json$/, ''), name: model.name, description: model.description ?? '', source: model.source ?? '', model };
    });
  return cached;
}
