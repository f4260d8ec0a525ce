/**
 * The sandboxed preload: gives the renderer `window.flurfunk` (contract methods + `on`) and
 * nothing else — no ipcRenderer, no Node.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcResult } from '@flurfunk/protocol';
import { createFlurfunkApi } from './api.js';
// Only the zod-free names module: the whole protocol would put zod into the sandboxed preload.
import { ipcChannels } from '../../protocol/src/ipcNames.js';

const api = createFlurfunkApi(
  (method, args) => ipcRenderer.invoke(ipcChannels.invoke, method, args) as Promise<IpcResult<unknown>>,
  (dispatch) => {
    // The IpcRendererEvent (with its `sender`) stays here; listeners only see the payload.
    ipcRenderer.on(ipcChannels.event, (_event, name: unknown, payload: unknown) => {
      if (typeof name === 'string') dispatch(name, payload);
    });
  },
);

contextBridge.exposeInMainWorld('flurfunk', api);
