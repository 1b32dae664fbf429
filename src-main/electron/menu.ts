/**
 * The native menu: File (New / Open / Open Recent / Save As / Import SBML / Export SBML /
 * Export Report / Close), Edit
 * (Undo / Redo go to the model editor; cut/copy/paste stay native), View, Window, Help.
 * Built as a plain template from callbacks so it is testable without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { RecentEntry } from './window-state.ts';

export interface MenuActions {
  newProject(): void;
  openProject(): void;
  openRecent(path: string): void;
  saveAs(): void;
  exportReport(): void;
  importSbml(): void;
  exportSbml(): void;
  undo(): void;
  redo(): void;
}

export function menuTemplate(actions: MenuActions, recent: readonly RecentEntry[], isMac: boolean): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => actions.newProject() },
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.openProject() },
      {
        label: 'Open Recent',
        submenu: recent.length === 0
          ? [{ label: 'No recent projects', enabled: false }]
          : recent.map((r) => ({ label: `${r.name} — ${r.path}`, click: () => actions.openRecent(r.path) })),
      },
      { type: 'separator' },
      { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => actions.saveAs() },
      { type: 'separator' },
      { label: 'Import SBML…', click: () => actions.importSbml() },
      { label: 'Export SBML…', click: () => actions.exportSbml() },
      { label: 'Export Report…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportReport() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      // Undo/redo of model edits; text fields keep their own undo (the renderer decides).
      { label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => actions.undo() },
      { label: 'Redo', accelerator: isMac ? 'Cmd+Shift+Z' : 'Ctrl+Y', click: () => actions.redo() },
      { type: 'separator' },
      { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  };
  const template: MenuItemConstructorOptions[] = [file, edit, view, { role: 'windowMenu' }];
  if (isMac) template.unshift({ role: 'appMenu' });
  return template;
}
