/**
 * Saving reports from the desktop app: the checks main applies to what a window sends (a string of
 * bounded size and a plain file name), and the locked-down hidden window that prints the HTML to
 * PDF (no preload, no scripts, sandboxed, its own throwaway session). Pure: type-only Electron
 * imports, so tests check it without the Electron binary.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** Reports are a few hundred kB; anything beyond this is not one. */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** The report HTML a window sent, or null when it is not a plausible report. */
export function checkReportHtml(html: unknown): string | null {
  if (typeof html !== 'string' || html.length === 0 || html.length > MAX_REPORT_BYTES) return null;
  return /^\s*<!doctype html/i.test(html) ? html : null;
}

/** A suggested file name reduced to a safe base name with the right extension (no folders, no odd characters). */
export function safeReportName(name: unknown, ext: 'html' | 'pdf'): string {
  const raw = typeof name === 'string' ? name : '';
  const base = raw.split(/[\\/]/).pop()!.replace(/\.(html?|pdf)$/i, '').replace(/[^\w.\- ]+/g, '').replace(/^\.+/, '').trim().slice(0, 120);
  return `${base || 'sgnn-report'}.${ext}`;
}

/** Adds the extension when the user typed a name without it. */
export function withExtension(path: string, ext: 'html' | 'pdf'): string {
  return path.toLowerCase().endsWith(`.${ext}`) || (ext === 'html' && path.toLowerCase().endsWith('.htm')) ? path : `${path}.${ext}`;
}

/** The hidden window that renders the report for printToPDF: no preload, no JavaScript, nothing else. */
export function pdfWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 1024,
    height: 1400,
    webPreferences: {
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      images: true,
      spellcheck: false,
      partition: 'sgnn-report-pdf',
    },
  };
}

/** printToPDF settings: A4, backgrounds on (the report's badges and bands), modest margins. */
export const PDF_OPTIONS = {
  pageSize: 'A4' as const,
  printBackground: true,
  margins: { top: 0.4, bottom: 0.4, left: 0.4, right: 0.4 },
  preferCSSPageSize: true,
};
