/** The desktop window's security settings (Electron's security checklist), checked without the Electron binary. */
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY, WEB_PREFERENCES, WORKER_CONTENT_SECURITY_POLICY, contentSecurityPolicyFor, isAllowedNavigation, isExternalLink, windowOptions,
} from '../../../src-main/electron/security.ts';
import { menuTemplate } from '../../../src-main/electron/menu.ts';

describe('window security', () => {
  const options = windowOptions('/app/out/preload/preload.cjs', { width: 1200, height: 800 }, false);

  it('isolates and sandboxes the page, with no Node integration anywhere', () => {
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
      webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, experimentalFeatures: false,
      preload: '/app/out/preload/preload.cjs',
    });
    expect(WEB_PREFERENCES.navigateOnDragDrop).toBe(false);
  });

  it('serves a strict Content-Security-Policy: no eval, no remote scripts, no plugins', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(contentSecurityPolicyFor('/index.html')).toBe(CONTENT_SECURITY_POLICY);
    // Only the simulation worker may compile generated code, and it may not connect anywhere.
    expect(contentSecurityPolicyFor('/assets/simulation.worker-AbC123.js')).toBe(WORKER_CONTENT_SECURITY_POLICY);
    expect(WORKER_CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(contentSecurityPolicyFor('/assets/index-AbC123.js')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('allows navigation only within the app, and opens only https links externally', () => {
    expect(isAllowedNavigation('app://renderer/index.html?project=/x.sgnn')).toBe(true);
    expect(isAllowedNavigation('https://example.com/')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false);
    expect(isAllowedNavigation('app://evil/index.html')).toBe(false);
    expect(isAllowedNavigation('not a url')).toBe(false);
    expect(isExternalLink('https://doi.org/10.1/x')).toBe(true);
    expect(isExternalLink('http://example.com')).toBe(false);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
  });
});

describe('menu', () => {
  it('has File (New, Open, Open Recent, Save As, Import/Export SBML, Export Report) and Edit (Undo, Redo)', () => {
    const calls: string[] = [];
    const t = menuTemplate({
      newProject: () => calls.push('new'), openProject: () => calls.push('open'), openRecent: (p) => calls.push(`recent:${p}`),
      saveAs: () => calls.push('saveAs'), exportReport: () => calls.push('report'),
      importSbml: () => calls.push('importSbml'), exportSbml: () => calls.push('exportSbml'), undo: () => calls.push('undo'), redo: () => calls.push('redo'),
    }, [{ path: '/p/a.sgnn', name: 'A', openedAt: '' }], false);
    const file = t.find((m) => m.label === '&File')!.submenu as { label?: string; submenu?: { label?: string; click?: () => void }[]; click?: () => void }[];
    expect(file.map((i) => i.label).filter(Boolean)).toEqual(['New Project…', 'Open…', 'Open Recent', 'Save As…', 'Import SBML…', 'Export SBML…', 'Export Report…']);
    file.find((i) => i.label === 'Import SBML…')!.click!();
    file.find((i) => i.label === 'Export SBML…')!.click!();
    file.find((i) => i.label === 'Open Recent')!.submenu![0].click!();
    const edit = t.find((m) => m.label === '&Edit')!.submenu as { label?: string; click?: () => void }[];
    edit.find((i) => i.label === 'Undo')!.click!();
    edit.find((i) => i.label === 'Redo')!.click!();
    expect(calls).toEqual(['importSbml', 'exportSbml', 'recent:/p/a.sgnn', 'undo', 'redo']);
  });
});
