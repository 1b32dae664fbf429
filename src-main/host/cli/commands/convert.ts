/** `sgnn convert`: between the JSON format and the text syntax (lossless both ways). */
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { writeAll } from '../output.ts';
import { readModelFile } from '../../../interop/model-file.ts';
import { formatModelText } from '../../../model/text-syntax.ts';
import { formatModelJson } from '../../../model/model-json.ts';

export const convertCommand: Command = {
  name: 'convert',
  summary: 'convert a model between JSON and the text syntax',
  usage: `Usage: sgnn convert MODEL --to json|text [--out FILE]

Reads MODEL (*.json, *.sgnn.txt or SBML *.xml) and writes it as JSON (sgnn-model/1) or in the
text syntax. The conversion is lossless: converting back gives the same model.`,
  options: { to: { type: 'string' }, out: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing MODEL file' : 'expected exactly one MODEL file');
    const to = values.to;
    if (to !== 'json' && to !== 'text') throw new UsageError(to === undefined ? 'missing --to json|text' : `--to must be json or text, not "${String(to)}"`);
    const { model, warnings } = await readModelFile(positionals[0]);
    for (const w of warnings) io.stderr.write(`sgnn: warning: ${w}\n`);
    await writeAll(values.out as string | undefined, io.stdout, to === 'json' ? formatModelJson(model) : formatModelText(model));
    return 0;
  },
};
