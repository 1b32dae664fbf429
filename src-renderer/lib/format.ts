/** Small display helpers. */

/** 75 → "1 min 15 s"; 4000 → "1 h 7 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return '< 1 s';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** 12345 → "12,345" */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A number for display with ~4 significant digits. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** `root`, or `root 2`, `root 3`… : the first name not already taken. */
export function uniqueName(root: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  let name = root;
  for (let i = 2; names.has(name); i++) name = `${root} ${i}`;
  return name;
}

export function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
