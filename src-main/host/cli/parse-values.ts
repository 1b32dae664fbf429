/** Parsing of option values, with messages that name the option and what would be valid. */
import { randomInt } from 'node:crypto';
import { UsageError } from './errors.ts';

/** A finite number (decimal or scientific notation). */
export function parseFiniteNumber(raw: string, flag: string): number {
  const text = raw.trim();
  const value = text === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`${flag} expects a number, not "${raw}"`);
  return value;
}

/** A whole number ≥ 1. */
export function parseCount(raw: string, flag: string): number {
  const value = parseFiniteNumber(raw, flag);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} expects a whole number ≥ 1, not "${raw}"`);
  return value;
}

/** A seed: a whole number from 0 to 2^53 − 1. */
export function parseSeed(raw: string): number {
  const value = parseFiniteNumber(raw, '--seed');
  if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`--seed expects a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, not "${raw}"`);
  return value;
}

/** A fresh seed for runs that did not ask for one (reported to the user so the run can be repeated). */
export function randomSeed(): number {
  return randomInt(0, 2 ** 31);
}

/** A comma-separated list of ids (spaces allowed around commas). */
export function parseIdList(raw: string, flag: string): string[] {
  const ids = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (ids.length === 0) throw new UsageError(`${flag} expects a comma-separated list of ids`);
  return ids;
}
