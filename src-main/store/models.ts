/**
 * Models and their versions. Saving never overwrites: each save that changes the model adds
 * version n+1, so a bank or network can name exactly the model it came from, forever.
 */
import { createHash } from 'node:crypto';
import type { Model } from '../model/schema.ts';
import { checkInteger, checkName, fromJson, missing, toJson, type StoreContext } from './context.ts';
import { ProjectError } from './errors.ts';

export interface SavedModelVersion {
  modelId: number;
  version: number;
  /** False when the content was identical to the latest version, which is returned instead. */
  created: boolean;
}

export interface ModelSummary {
  modelId: number;
  name: string;
  /** The latest version. */
  version: number;
  /** How many versions are stored. */
  versions: number;
  createdAt: string;
  updatedAt: string;
}

export interface ModelVersionInfo {
  version: number;
  sha256: string;
  createdAt: string;
  /** The name inside the model JSON of this version. */
  modelName: string;
}

export interface StoredModel {
  modelId: number;
  name: string;
  version: number;
  latestVersion: number;
  /** How many versions are stored. */
  versions: number;
  sha256: string;
  createdAt: string;
  model: Model;
}

/** Models of a project, every version kept. */
export class ModelRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /**
   * Saves a model: a new model, or a new version of the model given by `modelId` or by name
   * (`name`, else the model's own name). Saving content identical to the latest version adds nothing.
   */
  save(modelJson: Model, options: { name?: string; modelId?: number } = {}): SavedModelVersion {
    const ctx = this.#ctx;
    if (typeof modelJson !== 'object' || modelJson === null || Array.isArray(modelJson)) {
      throw new ProjectError('invalid', `a model must be a JSON object (found ${Array.isArray(modelJson) ? 'an array' : typeof modelJson})`);
    }
    const json = toJson(modelJson, 'the model');
    const sha256 = createHash('sha256').update(json).digest('hex');
    return ctx.write(() => {
      const now = ctx.now().toISOString();
      let modelId: number;
      if (options.modelId !== undefined) {
        modelId = checkInteger(options.modelId, 'modelId', 1);
        if (ctx.stmt('SELECT 1 FROM models WHERE id = ?').get(modelId) === undefined) throw missing(ctx, `model ${modelId}`);
      } else {
        const name = checkName(options.name ?? modelJson.name, 'the model name');
        const row = ctx.stmt('SELECT id FROM models WHERE name = ?').get(name) as { id: number } | undefined;
        modelId = row?.id ?? Number(ctx.stmt('INSERT INTO models (name, created_at) VALUES (?, ?)').run(name, now).lastInsertRowid);
      }
      const latest = ctx.stmt('SELECT version, sha256 FROM model_versions WHERE model_id = ? ORDER BY version DESC LIMIT 1')
        .get(modelId) as { version: number; sha256: string } | undefined;
      if (latest !== undefined && latest.sha256 === sha256) return { modelId, version: latest.version, created: false };
      const version = (latest?.version ?? 0) + 1;
      ctx.stmt('INSERT INTO model_versions (model_id, version, json, sha256, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(modelId, version, json, sha256, now);
      return { modelId, version, created: true };
    });
  }

  /** Every model with its latest version number, by name. */
  list(): ModelSummary[] {
    return this.#ctx.read(() => this.#ctx.stmt(`
      SELECT m.id AS modelId, m.name, MAX(v.version) AS version, COUNT(v.version) AS versions,
             m.created_at AS createdAt, MAX(v.created_at) AS updatedAt
      FROM models m JOIN model_versions v ON v.model_id = m.id
      GROUP BY m.id ORDER BY m.name COLLATE NOCASE, m.id`).all()) as ModelSummary[];
  }

  /** One version of a model (the latest when `version` is omitted), or undefined. */
  get(modelId: number, version?: number): StoredModel | undefined {
    const ctx = this.#ctx;
    const row = ctx.read(() => (version === undefined
      ? ctx.stmt(`SELECT m.id AS modelId, m.name, v.version, v.sha256, v.created_at AS createdAt, v.json,
          (SELECT MAX(version) FROM model_versions WHERE model_id = m.id) AS latestVersion,
          (SELECT COUNT(*) FROM model_versions WHERE model_id = m.id) AS versions
          FROM models m JOIN model_versions v ON v.model_id = m.id WHERE m.id = ? ORDER BY v.version DESC LIMIT 1`).get(modelId)
      : ctx.stmt(`SELECT m.id AS modelId, m.name, v.version, v.sha256, v.created_at AS createdAt, v.json,
          (SELECT MAX(version) FROM model_versions WHERE model_id = m.id) AS latestVersion,
          (SELECT COUNT(*) FROM model_versions WHERE model_id = m.id) AS versions
          FROM models m JOIN model_versions v ON v.model_id = m.id WHERE m.id = ? AND v.version = ?`).get(modelId, version))) as
      (Omit<StoredModel, 'model'> & { json: string }) | undefined;
    if (row === undefined) return undefined;
    const { json, ...rest } = row;
    const model = fromJson<Model>(ctx, json, `model ${modelId} version ${row.version}`);
    if (typeof model !== 'object' || model === null) {
      throw new ProjectError('corrupt', `${ctx.fileName}: model ${modelId} version ${row.version} is not a JSON object (the file is damaged)`, { file: ctx.path });
    }
    return { ...rest, model };
  }

  /** All versions of a model, oldest first ([] for an unknown model). */
  versions(modelId: number): ModelVersionInfo[] {
    const rows = this.#ctx.read(() => this.#ctx.stmt(`SELECT version, sha256, created_at AS createdAt, json_extract(json, '$.name') AS modelName
      FROM model_versions WHERE model_id = ? ORDER BY version`).all(modelId)) as ModelVersionInfo[];
    return rows.map((r) => ({ ...r, modelName: typeof r.modelName === 'string' ? r.modelName : '' }));
  }

  /** Finds a model id by name. */
  findByName(name: string): number | undefined {
    const row = this.#ctx.read(() => this.#ctx.stmt('SELECT id FROM models WHERE name = ?').get(name)) as { id: number } | undefined;
    return row?.id;
  }

  /** Deletes a model and all its versions; refused while a bank uses any version of it. */
  remove(modelId: number): void {
    const ctx = this.#ctx;
    ctx.write(() => {
      const model = ctx.stmt('SELECT name FROM models WHERE id = ?').get(modelId) as { name: string } | undefined;
      if (model === undefined) throw missing(ctx, `model ${modelId}`);
      const banks = ctx.stmt(`SELECT DISTINCT b.id, b.name FROM bank_models bm JOIN banks b ON b.id = bm.bank_id
        WHERE bm.model_id = ? ORDER BY b.id`).all(modelId) as { id: number; name: string }[];
      if (banks.length > 0) {
        throw new ProjectError('invalid',
          `model "${model.name}" cannot be deleted: simulation bank${banks.length > 1 ? 's' : ''} ${banks.map((b) => `"${b.name}" (${b.id})`).join(', ')} ` +
          `came from it; delete ${banks.length > 1 ? 'those banks' : 'that bank'} first`, { file: ctx.path });
      }
      ctx.stmt('DELETE FROM models WHERE id = ?').run(modelId);
    });
  }
}
