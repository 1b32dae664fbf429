/**
 * Electron main process: windows (one per project), native menus, dialogs, the `.sgnn` file
 * association, remembered window size. No science here: the engine runs in a utility process
 * (src-main/host/transports/utility-process.ts, run from its TypeScript source) and main only
 * hands each window a MessagePort to it, then leaves the data path.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, nativeTheme, net, protocol, session, shell, utilityProcess } from 'electron';
import type { IpcMainEvent, IpcMainInvokeEvent, UtilityProcess, WebContents } from 'electron';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { menuTemplate } from './menu.ts';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, contentSecurityPolicyFor, isAllowedNavigation, isExternalLink, windowOptions } from './security.ts';
import { addRecent, loadRecent, loadWindowState, saveWindowState } from './window-state.ts';
import { checkReportHtml, pdfWindowOptions, PDF_OPTIONS, safeReportName, withExtension } from './report-export.ts';
import type { RecentEntry } from './window-state.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const RENDERER_DIR = join(ROOT, 'out', 'renderer');
const PRELOAD = join(ROOT, 'out', 'preload', 'preload.cjs');
const ENGINE_ENTRY = join(ROOT, 'src-main', 'host', 'transports', 'utility-process.ts');
const isMac = process.platform === 'darwin';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** Each window and the project it shows (null: the start screen). */
const windows = new Map<BrowserWindow, string | null>();
let engine: UtilityProcess | null = null;
let pendingOpen: string[] = [];

function stateFile(): string {
  return join(app.getPath('userData'), 'window-state.json');
}
function recentFile(): string {
  return join(app.getPath('userData'), 'recent-projects.json');
}

/** The engine utility process; restarted if it exits (windows reconnect on their next load). */
function startEngine(): UtilityProcess {
  const child = utilityProcess.fork(ENGINE_ENTRY, [], { serviceName: 'SGNN Studio engine', stdio: 'inherit' });
  child.on('exit', (code) => {
    if (engine === child) engine = null;
    if (code !== 0) console.error(`sgnn: the engine exited with code ${code}`);
  });
  return child;
}

/** A fresh MessagePort pair: one end to the engine, the other to the window's preload. */
function connectWindow(contents: WebContents): void {
  engine ??= startEngine();
  const { port1, port2 } = new MessageChannelMain();
  engine.postMessage({ type: 'connect' }, [port1]);
  contents.postMessage('engine:port', null, [port2]);
}

/** Only our own pages may use the IPC channels (checklist: validate the sender). */
function trusted(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return isAllowedNavigation(url);
}

function windowFor(event: IpcMainEvent | IpcMainInvokeEvent): BrowserWindow | null {
  return BrowserWindow.fromWebContents(event.sender);
}

function createWindow(project: string | null): BrowserWindow {
  const saved = loadWindowState(stateFile());
  const win = new BrowserWindow(windowOptions(PRELOAD, saved, nativeTheme.shouldUseDarkColors));
  windows.set(win, project);
  if (saved.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  const remember = (): void => {
    if (!win.isDestroyed()) saveWindowState(stateFile(), { ...win.getNormalBounds(), maximized: win.isMaximized() });
  };
  win.on('resized', remember);
  win.on('moved', remember);
  win.on('close', remember);
  win.on('closed', () => windows.delete(win));
  const url = new URL(`${APP_ORIGIN}/index.html`);
  if (project) url.searchParams.set('project', project);
  void win.loadURL(url.toString());
  return win;
}

/** One window per project: focus the one that shows it, reuse an empty one, or open a new one. */
function openProject(path: string, from?: BrowserWindow | null): void {
  for (const [win, p] of windows) {
    if (p === path) {
      if (win.isMinimized()) win.restore();
      win.focus();
      return;
    }
  }
  const target = from && windows.get(from) === null ? from : null;
  if (target) {
    windows.set(target, path);
    target.webContents.send('menu', { type: 'open-project', path });
  } else createWindow(path);
}

async function chooseProjectToOpen(parent?: BrowserWindow | null): Promise<string | null> {
  const options = { title: 'Open project', properties: ['openFile' as const], filters: [{ name: 'SGNN projects', extensions: ['sgnn'] }] };
  const r = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
}

async function chooseProjectToCreate(parent: BrowserWindow | null, defaultName: string): Promise<string | null> {
  const options = { title: 'New project', defaultPath: join(app.getPath('documents'), basename(defaultName)), filters: [{ name: 'SGNN projects', extensions: ['sgnn'] }] };
  const r = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  if (r.canceled || !r.filePath) return null;
  return r.filePath.endsWith('.sgnn') ? r.filePath : `${r.filePath}.sgnn`;
}

function send(command: unknown, to?: BrowserWindow | null): void {
  const win = to && !to.isDestroyed() ? to : BrowserWindow.getFocusedWindow() ?? [...windows.keys()][0];
  win?.webContents.send('menu', command);
}

/** The contract's limit on `model.importSbml` (characters; bytes bound them from above). */
const MAX_SBML_BYTES = 50_000_000;

/** File › Import SBML…: main chooses and reads the file, the window imports it (same flow as its Import SBML button). */
async function importSbmlFromMenu(): Promise<void> {
  const win = BrowserWindow.getFocusedWindow() ?? [...windows.keys()][0] ?? null;
  const options = { title: 'Import SBML', properties: ['openFile' as const], filters: [{ name: 'SBML models', extensions: ['xml', 'sbml'] }, { name: 'All files', extensions: ['*'] }] };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  if (r.canceled || r.filePaths.length === 0) return;
  const path = r.filePaths[0];
  if (statSync(path).size > MAX_SBML_BYTES) {
    const message = { type: 'error' as const, message: 'This SBML file is too large to import.', detail: `${basename(path)} is over ${MAX_SBML_BYTES / 1e6} MB.` };
    await (win ? dialog.showMessageBox(win, message) : dialog.showMessageBox(message));
    return;
  }
  send({ type: 'import-sbml', file: { name: basename(path), text: readFileSync(path, 'utf8') } }, win);
}

function buildMenu(recent: readonly RecentEntry[] = loadRecent(recentFile())): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({
    newProject: () => {
      const win = BrowserWindow.getFocusedWindow();
      if (win && windows.get(win) === null) send({ type: 'new-project' });
      else createWindow(null);
    },
    openProject: () => void chooseProjectToOpen(BrowserWindow.getFocusedWindow()).then((p) => p && openProject(p, BrowserWindow.getFocusedWindow())),
    openRecent: (path) => openProject(path, BrowserWindow.getFocusedWindow()),
    saveAs: () => void (async () => {
      const win = BrowserWindow.getFocusedWindow();
      const path = await chooseProjectToCreate(win, 'copy.sgnn');
      if (path) send({ type: 'save-as', path });
    })(),
    exportReport: () => send({ type: 'export-report' }),
    importSbml: () => void importSbmlFromMenu().catch((err: unknown) => console.error('sgnn: could not import the SBML file:', err)),
    exportSbml: () => send({ type: 'export-sbml' }),
    undo: () => send({ type: 'undo' }),
    redo: () => send({ type: 'redo' }),
  }, recent, isMac)));
}

/** `.sgnn` paths among command-line arguments (file association on Windows and Linux). */
function projectArgs(argv: readonly string[]): string[] {
  return argv.slice(1).filter((a) => a.toLowerCase().endsWith('.sgnn') && !a.startsWith('-')).map((a) => resolve(a));
}

/** Serve out/renderer on app://renderer/ with the CSP header (the page never loads from file://). */
function registerAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const file = normalize(join(RENDERER_DIR, decodeURIComponent(url.pathname)));
    if (!file.startsWith(RENDERER_DIR + sep)) return new Response('forbidden', { status: 403 });
    const upstream = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(upstream.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicyFor(url.pathname));
    headers.set('X-Content-Type-Options', 'nosniff');
    if (file.endsWith('.js')) headers.set('Content-Type', 'text/javascript');
    return new Response(upstream.body, { status: upstream.status, headers });
  });
}

/** Every web contents: no navigation away, no new windows (https links go to the browser), no webviews, no permissions. */
function harden(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!isAllowedNavigation(url)) e.preventDefault();
    });
    contents.on('will-redirect', (e, url) => {
      if (!isAllowedNavigation(url)) e.preventDefault();
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalLink(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

async function chooseReportPath(parent: BrowserWindow | null, name: string, ext: 'html' | 'pdf'): Promise<string | null> {
  const options = {
    title: ext === 'pdf' ? 'Save the report as PDF' : 'Save the report',
    defaultPath: join(app.getPath('documents'), name),
    filters: [ext === 'pdf' ? { name: 'PDF', extensions: ['pdf'] } : { name: 'HTML report', extensions: ['html', 'htm'] }],
  };
  const r = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  return r.canceled || !r.filePath ? null : withExtension(r.filePath, ext);
}

/** The report printed to PDF in a hidden, script-less window loaded from a temporary file. */
async function reportPdf(html: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'sgnn-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html, 'utf8');
  const win = new BrowserWindow(pdfWindowOptions());
  try {
    win.webContents.session.setPermissionRequestHandler((_c, _p, callback) => callback(false));
    // Only the report file itself may load: no network, no other files.
    win.webContents.session.webRequest.onBeforeRequest((details, callback) => {
      const ok = details.url === pathToFileURL(file).toString() || details.url.startsWith('data:');
      callback({ cancel: !ok });
    });
    await win.loadFile(file);
    return await win.webContents.printToPDF(PDF_OPTIONS);
  } finally {
    win.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

function registerIpc(): void {
  ipcMain.handle('report:save-html', async (event, html: unknown, name: unknown) => {
    const text = trusted(event) ? checkReportHtml(html) : null;
    if (text === null) return null;
    const path = await chooseReportPath(windowFor(event), safeReportName(name, 'html'), 'html');
    if (!path) return null;
    writeFileSync(path, text, 'utf8');
    return path;
  });
  ipcMain.handle('report:save-pdf', async (event, html: unknown, name: unknown) => {
    const text = trusted(event) ? checkReportHtml(html) : null;
    if (text === null) return null;
    const path = await chooseReportPath(windowFor(event), safeReportName(name, 'pdf'), 'pdf');
    if (!path) return null;
    writeFileSync(path, await reportPdf(text));
    return path;
  });
  ipcMain.on('engine:connect', (event) => {
    if (trusted(event)) connectWindow(event.sender);
  });
  ipcMain.handle('dialog:open-project', (event) => (trusted(event) ? chooseProjectToOpen(windowFor(event)) : null));
  ipcMain.handle('dialog:create-project', (event, defaultName: unknown) => (trusted(event) ? chooseProjectToCreate(windowFor(event), String(defaultName ?? 'project.sgnn')) : null));
  ipcMain.handle('dialog:data-file', async (event) => {
    if (!trusted(event)) return null;
    const win = windowFor(event);
    const options = { title: 'Import data', properties: ['openFile' as const], filters: [{ name: 'CSV', extensions: ['csv', 'txt'] }] };
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    if (r.canceled || r.filePaths.length === 0) return null;
    return { name: basename(r.filePaths[0]), text: readFileSync(r.filePaths[0], 'utf8') };
  });
  ipcMain.handle('project:initial', (event) => {
    if (!trusted(event)) return null;
    const win = windowFor(event);
    return win ? windows.get(win) ?? null : null;
  });
  ipcMain.on('project:opened', (event, path: unknown, name: unknown) => {
    if (!trusted(event) || typeof path !== 'string') return;
    const win = windowFor(event);
    if (win) {
      windows.set(win, path);
      win.setTitle(`${String(name)} — SGNN Studio`);
      win.setRepresentedFilename?.(path);
    }
    app.addRecentDocument(path);
    buildMenu(addRecent(recentFile(), { path, name: String(name ?? basename(path)), openedAt: new Date().toISOString() }));
  });
  ipcMain.handle('recent:list', (event) => (trusted(event) ? loadRecent(recentFile()) : []));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  pendingOpen = projectArgs(process.argv);
  app.on('second-instance', (_event, argv) => {
    const paths = projectArgs(argv);
    if (paths.length === 0) {
      const win = [...windows.keys()][0];
      if (win) win.focus();
      else createWindow(null);
    }
    for (const p of paths) openProject(p);
  });
  // macOS: double-clicked .sgnn files (may arrive before ready).
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (app.isReady()) openProject(path);
    else pendingOpen.push(path);
  });
  app.whenReady().then(() => {
    harden();
    registerAppProtocol();
    registerIpc();
    buildMenu();
    engine = startEngine();
    if (pendingOpen.length === 0) createWindow(null);
    for (const p of pendingOpen) openProject(p);
    pendingOpen = [];
    app.on('activate', () => {
      if (windows.size === 0) createWindow(null);
    });
  }).catch((err: unknown) => {
    console.error('sgnn: could not start the app:', err);
    app.exit(1);
  });
  app.on('window-all-closed', () => {
    if (!isMac) app.quit();
  });
  app.on('will-quit', () => {
    engine?.kill();
  });
}
