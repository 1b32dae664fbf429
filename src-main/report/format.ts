/**
 * Text for the report: HTML escaping and number formatting. Numbers use a true minus sign (−) and
 * thin-space-free plain digits so columns align with tabular figures; anything not a finite
 * number (NaN, null from JSON, undefined from an older report) prints as an em dash rather than
 * "NaN", because a reader cannot act on "NaN" but understands "not available".
 */

const MINUS = '\u2212';
const DASH = '\u2014';

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A value that may have lost its number-ness on the way through JSON (NaN → null). */
export function isNum(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function withMinus(s: string): string {
  return s.replace(/^-/, MINUS).replace(/e-/, `e${MINUS}`);
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻', '+': '',
};

/** 1.2e-4 → "1.2×10⁻⁴": scientific notation a reader does not have to decode. */
function scientific(x: number, digits: number): string {
  const [mantissa, exponent] = x.toExponential(Math.max(0, digits - 1)).split('e');
  const exp = exponent.split('').map((c) => SUPERSCRIPT[c] ?? c).join('');
  const m = String(Number(mantissa));
  return withMinus(`${m}×10${exp}`);
}

/**
 * A number with `digits` significant digits (default 3), trailing zeros dropped; scientific
 * outside [1e-3, 1e5) so that a rate of 2e-7 does not print as 0.000000200.
 */
export function fmt(x: unknown, digits = 3): string {
  if (!isNum(x)) return DASH;
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e5) return scientific(x, digits);
  // Integers of up to 5 digits keep all of them: rounding 763 to "763" is fine, 12345 to "1.23e4" is not.
  if (Number.isInteger(x)) return withMinus(String(x));
  return withMinus(String(Number(x.toPrecision(digits))));
}

/** A count with thousands separators: 20000 → "20,000". */
export function fmtCount(x: unknown): string {
  if (!isNum(x)) return DASH;
  return withMinus(Math.round(x).toLocaleString('en-US'));
}

/** A proportion as a percentage with sensible digits: "71%", "99.7%", "0.4%". */
export function fmtPercent(x: unknown, digits?: number): string {
  if (!isNum(x)) return DASH;
  const pct = 100 * x;
  if (digits !== undefined) return `${withMinus(pct.toFixed(digits))}%`;
  if (pct > 99 && pct < 100) return `${(Math.floor(pct * 10) / 10).toFixed(1)}%`;
  if (pct > 0 && pct < 1) return `${(Math.ceil(pct * 10) / 10).toFixed(1)}%`;
  return `${withMinus(String(Math.round(pct)))}%`;
}

/** A p-value: two significant digits, "< 0.001" below that. */
export function fmtP(p: unknown): string {
  if (!isNum(p)) return DASH;
  if (p < 0.001) return '< 0.001';
  return String(Number(p.toPrecision(2)));
}

/**
 * The number of decimals that shows a value to the precision its uncertainty warrants: two
 * significant digits of the sd (sd 0.0213 → 3 decimals, so 0.4123 ± 0.0213 reads 0.412 ± 0.021).
 * Null when the sd cannot decide (then callers fall back to significant digits).
 */
export function decimalsFor(sd: unknown): number | null {
  if (!isNum(sd) || sd <= 0) return null;
  const d = 1 - Math.floor(Math.log10(sd));
  return Math.max(0, Math.min(d, 8));
}

/** A value at a fixed number of decimals (from decimalsFor), falling back to fmt outside the comfortable range. */
export function fmtFixed(x: unknown, decimals: number | null): string {
  if (!isNum(x)) return DASH;
  // A value far below the precision its sd warrants prints as zero at that precision (it is
  // zero within the uncertainty); more than 5 decimals reads better in scientific notation.
  if (decimals === null || Math.abs(x) >= 1e5 || decimals > 5) return fmt(x, 3);
  const s = x.toFixed(decimals);
  // "−0.00" reads as a sign error; a rounded zero is just zero.
  return Number(s) === 0 ? (0).toFixed(decimals) : withMinus(s);
}

/**
 * No-break space before the dash and a word joiner after it: an interval must not wrap in the
 * middle (a no-break space alone after a dash does not stop a break, UAX #14 LB12a).
 */
export const RANGE_DASH = '\u00a0–\u2060\u00a0';

/** "lo – hi" with the given decimals (null: significant digits). */
export function fmtInterval(lo: unknown, hi: unknown, decimals: number | null = null): string {
  return `${fmtFixed(lo, decimals)}${RANGE_DASH}${fmtFixed(hi, decimals)}`;
}

/** Seconds as "0.4 s", "12 s", "3 min 05 s", "1 h 07 min". */
export function fmtDuration(seconds: unknown): string {
  if (!isNum(seconds) || seconds < 0) return DASH;
  if (seconds < 10) return `${Number(seconds.toPrecision(2))} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.round((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** An ISO timestamp as "2025-03-14 09:26 UTC" (fixed zone: the report must read the same everywhere); other text unchanged. */
export function fmtDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

/**
 * A numeric array from what JSON may have made of a typed array: a plain array, a typed array, or
 * an object keyed "0", "1", ... (JSON.stringify(Int32Array) gives the latter). Null → NaN.
 */
export function toNumbers(x: unknown): number[] {
  if (x == null) return [];
  if (Array.isArray(x)) return x.map((v) => (typeof v === 'number' ? v : NaN));
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
  if (typeof x === 'object') {
    const entries = Object.entries(x as Record<string, unknown>).filter(([k]) => /^\d+$/.test(k));
    entries.sort((a, b) => Number(a[0]) - Number(b[0]));
    return entries.map(([, v]) => (typeof v === 'number' ? v : NaN));
  }
  return [];
}

/**
 * Decimals shared by a table column, so its numbers line up: enough for `digits` significant
 * digits of the smallest non-zero magnitude (0.078 and 1.76 → 0.0780 and 1.7600 would be too
 * many, so at most 4); null when the column spans scales where fixed decimals mislead.
 */
export function columnDecimals(values: readonly unknown[], digits = 3): number | null {
  const mags = values.filter(isNum).map(Math.abs).filter((v) => v > 0);
  if (mags.length === 0) return 0;
  const min = Math.min(...mags), max = Math.max(...mags);
  if (min < 1e-3 || max >= 1e5 || max / min > 1e3) return null;
  return Math.max(0, Math.min(4, digits - 1 - Math.floor(Math.log10(min))));
}
