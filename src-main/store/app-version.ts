/**
 * The application version recorded in projects ("created with", "last written with", applied
 * migrations), read once from package.json next to the sources; a bundled build that moves
 * package.json passes its version through the open options instead.
 */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** "sgnn-studio 0.1.0", or "sgnn-studio (unknown version)" when package.json cannot be read. */
export function appVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
    cached = `${typeof pkg.name === 'string' ? pkg.name : 'sgnn-studio'} ${typeof pkg.version === 'string' ? pkg.version : '(unknown version)'}`;
  } catch {
    cached = 'sgnn-studio (unknown version)';
  }
  return cached;
}
