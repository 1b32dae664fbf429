/**
 * SBML import/export helpers for the renderer (pure): which files look like SBML, the name an
 * imported model gets in the project, its diagram positions, and the file name of an export.
 */
import type { Model } from '../../src-main/model/schema.ts';
import { autoLayout } from './model-graph.ts';
import { uniqueName } from './format.ts';

/** What the file inputs accept (SBML is XML; `.sbml` is a common alias). */
export const SBML_ACCEPT = '.xml,.sbml,application/xml,text/xml,application/sbml+xml';

/** The contract's limit on `model.importSbml`'s `xml` (characters). */
export const MAX_SBML_CHARS = 50_000_000;

/** Whether a dropped or chosen file is plausibly SBML (by name or MIME type). */
export function isSbmlFile(file: { name: string; type?: string }): boolean {
  return /\.(xml|sbml)$/i.test(file.name) || /^(application|text)\/(.+\+)?xml$/i.test(file.type ?? '');
}

/** A file name without its folder and extension: "/a/b/00001-sbml-l3v2.xml" → "00001-sbml-l3v2". */
export function fileStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.[^.]+$/, '') || base;
}

/**
 * The model to add to the project for an imported one: a name not yet used in the project (the
 * SBML model's name, else the file's), and diagram positions (auto-layout) when it has none.
 */
export function prepareImported(model: Model, fileName: string, taken: Iterable<string>): Model {
  const root = model.name?.trim() || fileStem(fileName).trim() || 'Imported model';
  const named = { ...model, name: uniqueName(root, taken) };
  return named.layout && Object.keys(named.layout).length > 0 ? named : autoLayout(named);
}

/** "SIR (Kermack-McKendrick)" → "SIR-Kermack-McKendrick.xml": a safe file name for the export. */
export function sbmlFileName(modelName: string): string {
  const base = modelName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\w.-]+/g, '-').replace(/-+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 100);
  return `${base || 'model'}.xml`;
}
