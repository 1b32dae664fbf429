/** Saving reports from the desktop app: what main accepts from a window, and the PDF window's lockdown. */
import { describe, expect, it } from 'vitest';
import { checkReportHtml, MAX_REPORT_BYTES, pdfWindowOptions, safeReportName, withExtension } from '../../../src-main/electron/report-export.ts';

describe('report export (desktop)', () => {
  it('accepts only an HTML document of bounded size', () => {
    expect(checkReportHtml('<!DOCTYPE html><html><body>x</body></html>')).toMatch(/^<!DOCTYPE/);
    expect(checkReportHtml('  <!doctype html>\n<html></html>')).not.toBeNull();
    expect(checkReportHtml('%PDF-1.7')).toBeNull();
    expect(checkReportHtml(42)).toBeNull();
    expect(checkReportHtml('')).toBeNull();
    expect(checkReportHtml(`<!doctype html>${'x'.repeat(MAX_REPORT_BYTES)}`)).toBeNull();
  });

  it('reduces a suggested name to a plain file name with the right extension', () => {
    expect(safeReportName('SIR-fit-to-b-report.html', 'html')).toBe('SIR-fit-to-b-report.html');
    expect(safeReportName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
    expect(safeReportName('C:\\Users\\x\\r<e>p:o|r*t?.pdf', 'pdf')).toBe('report.pdf');
    expect(safeReportName('...', 'html')).toBe('sgnn-report.html');
    expect(safeReportName(undefined, 'html')).toBe('sgnn-report.html');
    expect(withExtension('/tmp/r', 'pdf')).toBe('/tmp/r.pdf');
    expect(withExtension('/tmp/r.HTML', 'html')).toBe('/tmp/r.HTML');
  });

  it('prints in a hidden window with no scripts, no preload, sandboxed, in its own session', () => {
    const o = pdfWindowOptions();
    expect(o.show).toBe(false);
    expect(o.webPreferences).toMatchObject({ javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(o.webPreferences?.preload).toBeUndefined();
    expect(o.webPreferences?.partition).toBe('sgnn-report-pdf');
  });
});
