/**
 * App-wide state: the engine connection, theme, screen, templates, recent projects and the open
 * project. Components stay thin; they read these fields and call these methods.
 */
import { createClient } from '../../src-main/contract/client.ts';
import type { EngineClient } from '../../src-main/contract/client.ts';
import type { TemplateInfo } from '../../src-main/contract/types.ts';
import { bridgeChannel, webSocketChannel, webSocketUrl } from '../api/channels.ts';
import type { ConnectionState } from '../api/channels.ts';
import type { MenuCommand, RecentProject } from '../api/bridge.ts';
import { ProjectState } from './project.svelte.ts';
import { SimulationService } from './simulation-service.ts';
import { errorText } from '../lib/errors.ts';
import { reportsOf } from '../lib/learn.ts';

export type Screen = 'home' | 'model' | 'explore' | 'data' | 'simulate' | 'train' | 'results' | 'compare' | 'report';
export type Theme = 'light' | 'dark';

export interface Notice {
  id: number;
  kind: 'info' | 'error' | 'success';
  text: string;
}

function typingInField(): boolean {
  const el = document.activeElement as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA');
}

const RECENT_KEY = 'sgnn.recentProjects';
const THEME_KEY = 'sgnn.theme';

export class AppState {
  readonly client: EngineClient;
  readonly mode: 'electron' | 'browser';
  readonly simulator = new SimulationService();
  connection = $state<ConnectionState>('connecting');
  theme = $state<Theme>('light');
  screen = $state<Screen>('home');
  templates = $state.raw<TemplateInfo[]>([]);
  recent = $state.raw<RecentProject[]>([]);
  project = $state<ProjectState | null>(null);
  notices = $state<Notice[]>([]);
  busy = $state(false);
  #noticeId = 1;

  constructor() {
    const bridge = typeof window !== 'undefined' ? window.sgnn : undefined;
    this.mode = bridge ? 'electron' : 'browser';
    if (bridge) {
      this.client = createClient(bridgeChannel(bridge));
      this.connection = 'open';
      bridge.onMenu((c) => void this.menu(c));
    } else {
      this.client = createClient(webSocketChannel(webSocketUrl(window.location), (s) => (this.connection = s)));
    }
    const saved = localStorage.getItem(THEME_KEY);
    this.theme = saved === 'dark' || saved === 'light' ? saved : window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  /** Load templates and recent projects; open the project named by the URL or the shell. */
  async start(): Promise<void> {
    try {
      this.templates = await this.client.call('template.list', {});
    } catch (err) {
      this.notify('error', `Could not load the templates: ${errorText(err)}`);
    }
    await this.loadRecent();
    const fromUrl = new URLSearchParams(window.location.search).get('project');
    const initial = fromUrl ?? (await window.sgnn?.initialProject()) ?? null;
    if (initial) await this.openProject(initial);
  }

  toggleTheme(): void {
    this.theme = this.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(THEME_KEY, this.theme);
  }

  notify(kind: Notice['kind'], text: string, ms = kind === 'error' ? 8000 : 3500): void {
    const id = this.#noticeId++;
    this.notices = [...this.notices, { id, kind, text }];
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  async loadRecent(): Promise<void> {
    if (window.sgnn) this.recent = await window.sgnn.recentProjects();
    else {
      try {
        this.recent = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as RecentProject[];
      } catch {
        this.recent = [];
      }
    }
  }

  #remember(path: string, name: string): void {
    if (window.sgnn) window.sgnn.projectOpened(path, name);
    const list = [{ path, name, openedAt: new Date().toISOString() }, ...this.recent.filter((r) => r.path !== path)].slice(0, 10);
    this.recent = list;
    if (!window.sgnn) localStorage.setItem(RECENT_KEY, JSON.stringify(list));
  }

  async createProject(path: string, template: string | null, name?: string): Promise<boolean> {
    this.busy = true;
    try {
      const info = await this.client.call('project.create', { path, ...(template ? { template } : {}), ...(name ? { name } : {}) });
      await this.#show(info.path);
      this.notify('success', `Created ${info.name}`);
      return true;
    } catch (err) {
      this.notify('error', errorText(err));
      return false;
    } finally {
      this.busy = false;
    }
  }

  async openProject(path: string): Promise<boolean> {
    this.busy = true;
    try {
      const info = await this.client.call('project.open', { path });
      await this.#show(info.path);
      return true;
    } catch (err) {
      this.notify('error', errorText(err));
      return false;
    } finally {
      this.busy = false;
    }
  }

  async #show(path: string): Promise<void> {
    this.project?.dispose();
    const project = new ProjectState(this, path);
    await project.load();
    this.project = project;
    this.#remember(project.info!.path, project.info!.name);
    this.screen = 'model';
    document.title = `${project.info!.name} — SGNN Studio`;
  }

  closeProject(): void {
    this.project?.dispose();
    this.project = null;
    this.screen = 'home';
    document.title = 'SGNN Studio';
  }

  /** File › Export Report (Ctrl+E): the Report screen, exporting the chosen (or latest) result's HTML. */
  async exportReport(): Promise<void> {
    const p = this.project;
    if (!p) return;
    this.screen = 'report';
    const all = [...reportsOf(p.jobs, 'fit'), ...reportsOf(p.jobs, 'compare')].sort((a, b) => b.jobId - a.jobId);
    const chosen = all.find((r) => r.jobId === p.reportExport.jobId) ?? all[0];
    if (!chosen) {
      this.notify('info', 'Nothing to report yet: run a fit (step 5) or a comparison (step 7) first.');
      return;
    }
    await p.reportExport.exportHtml(chosen.jobId, chosen.report);
  }

  /** File › Import SBML… (desktop; main read the file): the Model screen, then the same flow as its Import SBML button. */
  async importSbml(file: { name: string; text: string }): Promise<void> {
    const p = this.project;
    if (!p) {
      this.notify('info', 'Open or create a project first: an imported SBML model is added to the open project.');
      return;
    }
    this.screen = 'model';
    await p.sbml.importText(file.text, file.name);
  }

  /** File › Export SBML…: the model being edited, as SBML Level 3 Version 2. */
  async exportSbml(): Promise<void> {
    const p = this.project;
    if (!p?.editor) {
      this.notify('info', p ? 'There is no model to export in this project.' : 'Open a project first: File › Export SBML exports its current model.');
      return;
    }
    this.screen = 'model';
    await p.sbml.exportCurrent();
  }

  async menu(command: MenuCommand): Promise<void> {
    switch (command.type) {
      case 'new-project': this.closeProject(); break;
      case 'open-project': await this.openProject(command.path); break;
      // In a text field the menu's Undo/Redo act on the text, as users expect.
      case 'undo': if (typingInField()) document.execCommand('undo'); else this.project?.editor?.undo(); break;
      case 'redo': if (typingInField()) document.execCommand('redo'); else this.project?.editor?.redo(); break;
      case 'save-as': this.notify('info', 'Save As copies the project file: available with the report engine.'); break;
      case 'export-report': await this.exportReport(); break;
      case 'import-sbml': await this.importSbml(command.file); break;
      case 'export-sbml': await this.exportSbml(); break;
    }
  }
}
