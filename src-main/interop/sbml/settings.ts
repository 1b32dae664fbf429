/** The SBML Test Suite's `NNNNN-settings.txt`: output times, columns, tolerances, amount/concentration lists. */

export interface SbmlSettings {
  start: number;
  duration: number;
  /** Number of intervals: the results have steps + 1 rows. */
  steps: number;
  /** Column ids after `time`, in order. */
  variables: string[];
  absolute: number;
  relative: number;
  /** Species reported as amounts. */
  amount: string[];
  /** Species reported as concentrations. */
  concentration: string[];
}

function list(v: string | undefined): string[] {
  return (v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Parse a settings file; throws naming the missing or malformed key. */
export function parseSbmlSettings(text: string): SbmlSettings {
  const kv = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    kv.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const number = (key: string, dflt?: number): number => {
    const v = kv.get(key);
    if (v === undefined || v === '') {
      if (dflt !== undefined) return dflt;
      throw new Error(`SBML settings: "${key}" is missing`);
    }
    const x = Number(v);
    if (!Number.isFinite(x)) throw new Error(`SBML settings: "${key}: ${v}" is not a number`);
    return x;
  };
  const steps = number('steps');
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`SBML settings: "steps: ${steps}" must be a positive integer`);
  return {
    start: number('start', 0),
    duration: number('duration'),
    steps,
    variables: list(kv.get('variables')),
    absolute: number('absolute', 0),
    relative: number('relative', 0),
    amount: list(kv.get('amount')),
    concentration: list(kv.get('concentration')),
  };
}
