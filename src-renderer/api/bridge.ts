/**
 * What the Electron preload exposes on `window.sgnn` (and nothing else): the engine channel of the
 * contract, plus the few shell services a window needs (dialogs, menu commands, recent projects).
 * Type-only: the preload (src-main/electron/preload.ts) implements it, the renderer consumes it.
 */
import type { RequestMessage, ServerMessage } from '../../src-main/contract/wire.ts';

/** Commands the native menu (or a file association) sends to a window. */
export type MenuCommand =
  | { type: 'new-project' }
  | { type: 'open-project'; path: string }
  | { type: 'save-as'; path: string }
  | { type: 'export-report' }
  /** File › Import SBML…: main shows the open dialog and sends the chosen file's text. */
  | { type: 'import-sbml'; file: { name: string; text: string } }
  | { type: 'export-sbml' }
  | { type: 'undo' }
  | { type: 'redo' };

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
}

export interface SgnnBridge {
  readonly kind: 'electron';
  readonly platform: string;
  /** The engine channel: requests in, responses and events out (contract/wire.ts). */
  readonly engine: {
    send(message: RequestMessage): void;
    onMessage(handler: (message: ServerMessage) => void): void;
  };
  /** Native dialogs; null when the user cancels. */
  chooseProjectToOpen(): Promise<string | null>;
  chooseProjectToCreate(defaultName: string): Promise<string | null>;
  chooseDataFile(): Promise<{ name: string; text: string } | null>;
  /** The project this window shows (from the file association or the Open menu), if any. */
  initialProject(): Promise<string | null>;
  /** Tell main which project this window shows (title, recent list, one window per project). */
  projectOpened(path: string, name: string): void;
  recentProjects(): Promise<RecentProject[]>;
  /** Save a rendered HTML report where the user chooses (save dialog); the path, or null when cancelled. */
  saveReport(html: string, suggestedName: string): Promise<string | null>;
  /** Print a rendered HTML report to PDF (Electron's printToPDF) and save it where the user chooses. */
  saveReportPdf(html: string, suggestedName: string): Promise<string | null>;
  onMenu(handler: (command: MenuCommand) => void): void;
}

declare global {
  interface Window {
    sgnn?: SgnnBridge;
  }
}
