import type { FlurfunkApi } from '@flurfunk/protocol';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent when the renderer runs in a plain browser. */
    flurfunk?: FlurfunkApi;
  }
}
