/**
 * The window's security settings, as Electron's security checklist asks
 * (https://www.electronjs.org/docs/latest/tutorial/security): isolated, sandboxed, no Node in the
 * page, a strict Content-Security-Policy, the app served from a custom scheme (not file://),
 * navigation and new windows blocked. Pure: type-only Electron imports, so tests check it without
 * the Electron binary.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The renderer is served from app://renderer/ (a privileged, standard, secure scheme). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The page: only its own scripts; no eval; no network except the app itself. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The simulation worker compiles models to JS with `new Function` (model/compile.ts: generated
 * from validated syntax trees only). It alone may evaluate code; it has no DOM, no bridge and no
 * network (`connect-src 'none'`).
 */
export const WORKER_CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self' 'unsafe-eval'; connect-src 'none'";

/** Which policy a file of the renderer is served with. */
export function contentSecurityPolicyFor(pathname: string): string {
  return /\/assets\/simulation\.worker[-.][^/]*\.js$/.test(pathname) ? WORKER_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
}

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  safeDialogs: true,
} as const satisfies WebPreferences;

/** Options of every project window. */
export function windowOptions(preload: string, bounds: { width: number; height: number; x?: number; y?: number }, dark: boolean): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'SGNN Studio',
    backgroundColor: dark ? '#0f1218' : '#f6f7f9',
    webPreferences: { ...WEB_PREFERENCES, preload },
  };
}

/** Navigation inside the window is allowed only within the app itself. */
export function isAllowedNavigation(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Links the user may open in the system browser (from a window.open or target=_blank). */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
