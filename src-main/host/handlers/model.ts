/** Operations on models: validation, text syntax, instant simulation, and models stored in projects. */
import type { Handlers } from '../engine.ts';
import { AppError } from '../../contract/errors.ts';
import type { ModelSummary } from '../../contract/types.ts';
import { validateModel } from '../../model/validate.ts';
import { formatModelText, parseModelText } from '../../model/text-syntax.ts';
import { compileModel } from '../../model/compile.ts';
import { ModelError } from '../../model/problems.ts';
import type { Model } from '../../model/schema.ts';
import { simulate } from '../../simulate/simulate.ts';
import { rngFor } from '../../simulate/random/rng.ts';
import { closestName } from '../../model/expr/names.ts';

/** A validated model, or ModelError with every problem. */
export function requireModel(input: unknown): Model {
  const { model, problems } = validateModel(input);
  if (!model || problems.length > 0) throw new ModelError(problems);
  return model;
}

/** Rows of a row-major matrix as series: out[i][k] = m[k*n + i]. */
function columns(m: Float64Array, nRows: number, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: nRows }, (_, k) => m[k * n + i]));
}

export const modelHandlers: Pick<Handlers, 'model.validate' | 'model.parseText' | 'model.formatText' | 'model.simulate' | 'model.importSbml' | 'model.exportSbml' | 'model.add' | 'model.list' | 'model.get'> = {
  async 'model.importSbml'({ xml }) {
    const { importSbml } = await import('../../interop/sbml/import.ts');
    const { model, warnings } = importSbml(xml);
    return { model, warnings };
  },
  async 'model.exportSbml'({ model }) {
    const { exportSbml } = await import('../../interop/sbml/export.ts');
    return { xml: exportSbml(requireModel(model)) };
  },
  'model.validate'({ model }) {
    const { problems } = validateModel(model);
    return { valid: problems.length === 0, problems };
  },
  'model.parseText'({ text }) {
    const parsed = parseModelText(text);
    return { model: parsed.model, problems: parsed.problems };
  },
  'model.formatText'({ model }) {
    return { text: formatModelText(requireModel(model)) };
  },
  'model.simulate'(input) {
    const model = requireModel(input.model);
    const c = compileModel(model);
    const params = Float64Array.from(c.paramDefaults);
    for (const [id, value] of Object.entries(input.params ?? {})) {
      const i = c.paramIds.indexOf(id);
      if (i < 0) {
        const near = closestName(id, c.paramIds);
        throw new AppError('invalid-input', `the model has no parameter "${id}"${near ? ` (did you mean "${near}"?)` : ''}`);
      }
      params[i] = value;
    }
    const times = Float64Array.from(input.times);
    const result = simulate(c, {
      times, tStart: input.tStart, method: input.method, params, noise: input.noise,
      rng: input.seed === undefined ? undefined : rngFor(input.seed),
    });
    const nT = times.length;
    return {
      times: input.times,
      stateIds: [...result.stateIds],
      states: columns(result.states, nT, result.stateIds.length),
      observableIds: [...result.observableIds],
      observables: columns(result.observables, nT, result.observableIds.length),
      ruleIds: [...result.ruleIds],
      rules: columns(result.rules, nT, result.ruleIds.length),
    };
  },
  'model.add'({ project, model, modelId }, { projects, emit }) {
    const p = projects.get(project);
    const saved = p.models.save(requireModel(model), modelId === undefined ? {} : { modelId });
    emit('project.changed', { project: p.path, what: 'models' });
    return summary(p.models.list().find((m) => m.modelId === saved.modelId)!);
  },
  'model.list'({ project }, { projects }) {
    return projects.get(project).models.list().map(summary);
  },
  'model.get'({ project, modelId, version }, { projects }) {
    const p = projects.get(project);
    const record = p.models.get(modelId, version);
    if (!record) throw new AppError('not-found', `${p.path} has no model ${modelId}${version ? ` version ${version}` : ''}`);
    return { ...summary(record), model: record.model };
  },
};

function summary(m: { modelId: number; name: string; version: number; versions?: number; updatedAt?: string; createdAt?: string }): ModelSummary {
  return { modelId: m.modelId, name: m.name, version: m.version, versions: m.versions ?? m.version, updatedAt: m.updatedAt ?? m.createdAt ?? '' };
}
