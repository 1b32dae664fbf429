/**
 * `sgnn` entry point: dispatches to subcommands, turns user mistakes into clear messages
 * (exit 2 for usage, 1 for bad input) and keeps stack traces for real bugs only.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import type { CliIo, Command } from './command.ts';
import { InputError, UsageError } from './errors.ts';
import { discardOutputs } from './output.ts';
import { ModelError } from '../../model/problems.ts';
import { SimulationError } from '../../simulate/types.ts';
import { closestName } from '../../model/expr/names.ts';
import { simulateCommand } from './commands/simulate.ts';
import { validateCommand } from './commands/validate.ts';
import { convertCommand } from './commands/convert.ts';
import { importSbmlCommand, exportSbmlCommand } from './commands/sbml.ts';
import { fitCommand, compareCommand } from './commands/fit.ts';
import { trainCommand, evaluateCommand, estimateCommand } from './commands/steps.ts';
import { projectCommand, modelCommand, dataCommand, designCommand, bankCommand, serveCommand } from './commands/project.ts';

const COMMANDS: readonly Command[] = [
  fitCommand, compareCommand, simulateCommand, validateCommand, convertCommand, importSbmlCommand, exportSbmlCommand,
  projectCommand, modelCommand, dataCommand, designCommand, bankCommand, trainCommand, evaluateCommand, estimateCommand, serveCommand,
];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'sgnn: SGNN Studio from the command line',
    '',
    'Usage: sgnn <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `sgnn help <command>` for the options of one command.',
  ].join('\n');
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, interactive: Boolean(process.stderr.isTTY) };
}

/** Run `sgnn` with the given arguments; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = topic ? COMMANDS.find((c) => c.name === topic) : undefined;
    if (topic && !command) return usageFailure(io, unknownCommand(topic));
    io.stdout.write(`${command ? command.usage : overview()}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) return usageFailure(io, unknownCommand(name));
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${command.usage}\n`);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError(describeParseError(err, command));
    }
    return await command.run(parsed, io);
  } catch (err) {
    discardOutputs();
    return reportError(err, io, command);
  }
}

function unknownCommand(name: string): string {
  const near = closestName(name, COMMANDS.map((c) => c.name));
  return `unknown command "${name}"${near ? ` (did you mean "${near}"?)` : ''}; run \`sgnn help\` for the list`;
}

function describeParseError(err: unknown, command: Command): string {
  const message = err instanceof Error ? err.message : String(err);
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message);
  if (unknown) {
    const near = closestName(unknown[1].replace(/^-+/, ''), Object.keys(command.options));
    return `unknown option ${unknown[1]} for \`sgnn ${command.name}\`${near ? ` (did you mean --${near}?)` : ''}`;
  }
  return message.replace(/\. To specify.*$/s, '');
}

function usageFailure(io: CliIo, message: string, command?: Command): number {
  io.stderr.write(`sgnn: ${message}\n`);
  if (command) io.stderr.write(`\n${command.usage}\n`);
  return 2;
}

function reportError(err: unknown, io: CliIo, command: Command): number {
  if (err instanceof UsageError) return usageFailure(io, err.message, command);
  if (err instanceof ModelError) {
    io.stderr.write(`sgnn: the model is not valid (${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}):\n${err.message.split('\n').map((l) => `  ${l}`).join('\n')}\n`);
    return 1;
  }
  if (err instanceof InputError || err instanceof SimulationError || isUserError(err)) {
    io.stderr.write(`sgnn: ${(err as Error).message}\n`);
    return 1;
  }
  io.stderr.write(`sgnn: internal error (please report it): ${err instanceof Error ? err.stack : String(err)}\n`);
  return 70;
}

/** Errors of other areas that describe the user's input, marked by name (SbmlError, NoiseError, CsvError…). */
function isUserError(err: unknown): boolean {
  return err instanceof Error && ['SimulationError', 'SbmlError', 'NoiseError', 'CsvError', 'ModelFileError', 'ProjectError', 'LikelihoodError'].includes(err.name);
}
