/**
 * SBML import and export of the open project's models (Model screen, drag and drop on the canvas,
 * File › Import SBML… / Export SBML… in the desktop app): the engine converts (`model.importSbml`,
 * `model.exportSbml`), the imported model is added to the project (`model.add`) and selected.
 * Errors stay on screen with the engine's message (which names the SBML element); warnings of a
 * successful import stay until dismissed.
 */
import type { EngineClient } from '../../src-main/contract/client.ts';
import type { ModelSummary } from '../../src-main/contract/types.ts';
import type { Model } from '../../src-main/model/schema.ts';
import type { ModelEditor } from './model-editor.svelte.ts';
import { errorText } from '../lib/errors.ts';
import { download } from '../lib/download.ts';
import { isSbmlFile, MAX_SBML_CHARS, prepareImported, sbmlFileName } from '../lib/sbml.ts';

/** What SBML import/export needs of the open project (ProjectState implements it). */
export interface SbmlHost {
  readonly client: EngineClient;
  readonly path: string;
  readonly models: ModelSummary[];
  readonly editor: ModelEditor | null;
  readonly app: { notify(kind: 'info' | 'error' | 'success', text: string): void };
  refresh(what: 'models'): Promise<void>;
  selectModel(modelId: number): Promise<void>;
}

export interface SbmlProblem {
  action: 'import' | 'export';
  /** The file being imported, or the model being exported. */
  subject: string;
  message: string;
}

export interface SbmlImported {
  modelId: number;
  name: string;
  fileName: string;
  warnings: string[];
}

export class SbmlTransfer {
  readonly #host: SbmlHost;
  busy = $state<'import' | 'export' | null>(null);
  /** The last failure, shown inline until the next attempt or dismissal. */
  problem = $state.raw<SbmlProblem | null>(null);
  /** The last successful import (its warnings are shown until dismissed). */
  imported = $state.raw<SbmlImported | null>(null);
  /** The file name of the last export. */
  exported = $state<string | null>(null);

  constructor(host: SbmlHost) {
    this.#host = host;
  }

  /** A file from the file input or a drop. */
  async importFile(file: File): Promise<boolean> {
    if (!isSbmlFile(file)) {
      this.#fail('import', file.name, 'this does not look like an SBML file: choose an .xml or .sbml file');
      return false;
    }
    if (file.size > MAX_SBML_CHARS) {
      this.#fail('import', file.name, `the file is too large (${Math.round(file.size / 1e6)} MB; at most ${MAX_SBML_CHARS / 1e6} MB)`);
      return false;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      this.#fail('import', file.name, `could not read the file: ${errorText(err)}`);
      return false;
    }
    return this.importText(text, file.name);
  }

  /** SBML text → a new model in the project, selected in the editor. */
  async importText(xml: string, fileName: string): Promise<boolean> {
    const h = this.#host;
    this.problem = null;
    this.imported = null;
    if (!xml.trim()) {
      this.#fail('import', fileName, 'the file is empty');
      return false;
    }
    this.busy = 'import';
    try {
      const { model, warnings } = await h.client.call('model.importSbml', { xml });
      const prepared = prepareImported(model as Model, fileName, h.models.map((m) => m.name));
      const saved = await h.client.call('model.add', { project: h.path, model: prepared });
      await h.refresh('models');
      await h.selectModel(saved.modelId);
      this.imported = { modelId: saved.modelId, name: prepared.name, fileName, warnings };
      const note = warnings.length ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : '';
      h.app.notify('success', `Imported “${prepared.name}” from ${fileName}${note}`);
      return true;
    } catch (err) {
      this.#fail('import', fileName, errorText(err));
      return false;
    } finally {
      this.busy = null;
    }
  }

  /** The model being edited → SBML Level 3 Version 2, downloaded as `<name>.xml`. */
  async exportCurrent(): Promise<boolean> {
    const editor = this.#host.editor;
    this.problem = null;
    if (!editor) {
      this.#fail('export', 'the model', 'there is no model to export in this project');
      return false;
    }
    const model = editor.model;
    this.busy = 'export';
    try {
      const { xml } = await this.#host.client.call('model.exportSbml', { model });
      const name = sbmlFileName(model.name);
      download(xml, name, 'application/xml');
      this.exported = name;
      this.#host.app.notify('success', `Exported “${model.name}” as SBML (${name})`);
      return true;
    } catch (err) {
      this.#fail('export', model.name, errorText(err));
      return false;
    } finally {
      this.busy = null;
    }
  }

  dismiss(): void {
    this.problem = null;
    this.imported = null;
  }

  #fail(action: SbmlProblem['action'], subject: string, message: string): void {
    this.problem = { action, subject, message };
  }
}
