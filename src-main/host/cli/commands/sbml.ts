/** `sgnn import-sbml` and `sgnn export-sbml`. */
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { writeAll } from '../output.ts';
import { readModelFile, readTextFile } from '../../../interop/model-file.ts';
import { formatModelJson } from '../../../model/model-json.ts';

export const importSbmlCommand: Command = {
  name: 'import-sbml',
  summary: 'convert an SBML file (Level 2/3 core) to a model file',
  usage: `Usage: sgnn import-sbml FILE.xml [--out MODEL.json]

Converts SBML Level 3 (and Level 2) core to sgnn-model/1 JSON. Unsupported constructs (algebraic
rules, delays, fast reactions, packages, non-time event triggers) are refused with a message that
names the element.`,
  options: { out: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected one SBML file');
    const { importSbml } = await import('../../../interop/sbml/import.ts');
    const { model, warnings } = importSbml(readTextFile(positionals[0]));
    for (const w of warnings) io.stderr.write(`sgnn: warning: ${w}\n`);
    await writeAll(values.out as string | undefined, io.stdout, formatModelJson(model));
    return 0;
  },
};

export const exportSbmlCommand: Command = {
  name: 'export-sbml',
  summary: 'write a model as SBML Level 3 Version 2',
  usage: `Usage: sgnn export-sbml MODEL --out FILE.xml

Writes the model as SBML L3V2 (priors and observables kept in an annotation, so importing the file
back gives the same model).`,
  options: { out: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('expected one MODEL file');
    const { exportSbml } = await import('../../../interop/sbml/export.ts');
    const { model } = await readModelFile(positionals[0]);
    await writeAll(values.out as string | undefined, io.stdout, exportSbml(model));
    return 0;
  },
};
