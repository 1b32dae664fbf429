/** Remembers the window's size and position (and whether it was maximised) across launches. */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized?: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1360, height: 860 };

/** The saved state, or the default when there is none or it is unreadable. */
export function loadWindowState(file: string): WindowState {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    if (typeof s.width === 'number' && typeof s.height === 'number' && s.width >= 400 && s.height >= 300) {
      return { width: s.width, height: s.height, x: s.x, y: s.y, maximized: s.maximized === true };
    }
  } catch {
    // First launch or a damaged file: the default is fine.
  }
  return { ...DEFAULT_WINDOW_STATE };
}

function writeJson(file: string, value: unknown): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(value));
  } catch {
    // Not being able to remember the size or the recent list is not worth bothering the user about.
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  writeJson(file, state);
}

/** Recent projects (most recent first), stored beside the window state. */
export interface RecentEntry {
  path: string;
  name: string;
  openedAt: string;
}

export function loadRecent(file: string): RecentEntry[] {
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as RecentEntry[];
    return Array.isArray(list) ? list.filter((r) => typeof r?.path === 'string').slice(0, 10) : [];
  } catch {
    return [];
  }
}

export function addRecent(file: string, entry: RecentEntry): RecentEntry[] {
  const list = [entry, ...loadRecent(file).filter((r) => r.path !== entry.path)].slice(0, 10);
  writeJson(file, list);
  return list;
}
