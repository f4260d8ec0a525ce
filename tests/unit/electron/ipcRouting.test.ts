import { describe, expect, it } from 'vitest';
import { methodNames } from '@flurfunk/protocol';
import { routeInvoke } from '../../../electron/main/ipcRouting.js';

const appFrame = { url: 'app://flurfunk/index.html#/directory', parent: null };

describe('IPC routing in the main process', () => {
  it.each(methodNames)('forwards %s from the app window to the core, args untouched', (method) => {
    const args = { anything: 'the core validates this' };
    expect(routeInvoke(appFrame, method, args)).toEqual({ action: 'forward', method, args });
  });

  it.each([
    ['a remote page', { url: 'https://evil.example/', parent: null }],
    ['a subframe', { url: 'app://flurfunk/index.html', parent: appFrame }],
    ['no frame', null],
  ])('answers a call from %s with a typed refusal and never forwards it', (_name, sender) => {
    const route = routeInvoke(sender, 'login', { serverUrl: 'https://x', username: 'a', password: 'b' });
    expect(route.action).toBe('reply');
    expect(route.action === 'reply' && route.result.ok).toBe(false);
  });

  it.each([
    'deleteEverything',
    '__proto__',
    'constructor',
    'toString',
    '',
    42,
    null,
    undefined,
    { name: 'login' },
  ])('answers the unknown method %j with unknown_method', (method) => {
    const route = routeInvoke(appFrame, method, {});
    expect(route).toMatchObject({
      action: 'reply',
      result: { ok: false, error: { code: 'unknown_method' } },
    });
  });

  it('checks the sender before looking at the method', () => {
    const route = routeInvoke({ url: 'https://evil.example/', parent: null }, 'nope', {});
    expect(route).toMatchObject({ action: 'reply', result: { ok: false, error: { code: 'forbidden' } } });
  });
});
