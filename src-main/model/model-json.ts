/** The canonical JSON text of a model file: two-space indent, fields in the order of the schema. */
import type { Model } from './schema.ts';

/** Format a model as its JSON file text (ends with a newline). */
export function formatModelJson(model: Model): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
