/**
 * The preload (sandboxed, context-isolated): exposes `window.sgnn` (src-renderer/api/bridge.ts)
 * and nothing else, in particular no raw ipcRenderer. The engine's MessagePort stays here; the
 * page sends contract requests and receives responses and events through the bridge.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { MenuCommand, RecentProject, SgnnBridge } from '../../src-renderer/api/bridge.ts';
import type { RequestMessage, ServerMessage } from '../contract/wire.ts';

let port: MessagePort | null = null;
const queue: RequestMessage[] = [];
let deliver: (message: ServerMessage) => void = () => {};

ipcRenderer.on('engine:port', (event: IpcRendererEvent) => {
  port = event.ports[0];
  port.onmessage = (e: MessageEvent) => deliver(e.data as ServerMessage);
  port.start();
  for (const m of queue.splice(0)) port.postMessage(m);
});
ipcRenderer.send('engine:connect');

const bridge: SgnnBridge = {
  kind: 'electron',
  platform: process.platform,
  engine: {
    send(message) {
      if (port) port.postMessage(message);
      else queue.push(message);
    },
    onMessage(handler) {
      deliver = handler;
    },
  },
  chooseProjectToOpen: () => ipcRenderer.invoke('dialog:open-project') as Promise<string | null>,
  chooseProjectToCreate: (defaultName) => ipcRenderer.invoke('dialog:create-project', defaultName) as Promise<string | null>,
  chooseDataFile: () => ipcRenderer.invoke('dialog:data-file') as Promise<{ name: string; text: string } | null>,
  initialProject: () => ipcRenderer.invoke('project:initial') as Promise<string | null>,
  projectOpened: (path, name) => ipcRenderer.send('project:opened', path, name),
  recentProjects: () => ipcRenderer.invoke('recent:list') as Promise<RecentProject[]>,
  saveReport: (html, suggestedName) => ipcRenderer.invoke('report:save-html', String(html), String(suggestedName)) as Promise<string | null>,
  saveReportPdf: (html, suggestedName) => ipcRenderer.invoke('report:save-pdf', String(html), String(suggestedName)) as Promise<string | null>,
  onMenu(handler) {
    ipcRenderer.on('menu', (_event: IpcRendererEvent, command: MenuCommand) => handler(command));
  },
};

contextBridge.exposeInMainWorld('sgnn', bridge);
