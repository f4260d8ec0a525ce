export * from './errors.js';
export * from './directory.js';
export * from './auth.js';
export * from './sync.js';
export * from './ipcNames.js';
export * from './ipc.js';
export * from './bridge.js';
export * from './live.js';
