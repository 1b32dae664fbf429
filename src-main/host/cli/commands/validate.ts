/** `sgnn validate`: check a model file and list every problem with its place. */
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { readModelFile } from '../../../interop/model-file.ts';
import { compileModel } from '../../../model/compile.ts';
import { ModelError } from '../../../model/problems.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a model file; list every problem with its place',
  usage: `Usage: sgnn validate MODEL [--json]

Checks the model (*.json, *.sgnn.txt or SBML *.xml) against the sgnn-model/1 format: fields,
expressions, names, priors, rule cycles. Prints every problem with its path and position.
Exit status: 0 valid, 1 invalid, 2 usage error.
  --json   print {"valid": bool, "problems": [{path, message, pos?, suggestion?}], "summary"?}`,
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing MODEL file' : 'expected exactly one MODEL file');
    try {
      const { model, warnings } = await readModelFile(positionals[0]);
      const compiled = compileModel(model);
      const summary = {
        name: model.name,
        parameters: model.parameters.length,
        unknownParameters: compiled.unknownParams.map((i) => compiled.paramIds[i]),
        species: model.species.length,
        odes: model.odes.length,
        reactions: model.reactions.length,
        rules: model.rules.length,
        observables: model.observables.length,
        events: model.events?.length ?? 0,
      };
      if (values.json) io.stdout.write(`${JSON.stringify({ valid: true, problems: [], warnings, summary })}\n`);
      else {
        for (const w of warnings) io.stderr.write(`sgnn: warning: ${w}\n`);
        io.stdout.write(`${positionals[0]}: valid model "${model.name}": ${summary.species} species, ${summary.odes} odes, ${summary.reactions} reactions, ${summary.rules} rules, ${summary.observables} observables, ${summary.parameters} parameters (${summary.unknownParameters.length} unknown${summary.unknownParameters.length ? `: ${summary.unknownParameters.join(', ')}` : ''})\n`);
      }
      return 0;
    } catch (err) {
      if (!(err instanceof ModelError) || !values.json) throw err;
      io.stdout.write(`${JSON.stringify({ valid: false, problems: err.problems })}\n`);
      return 1;
    }
  },
};
