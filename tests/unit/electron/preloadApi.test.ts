import { describe, expect, it } from 'vitest';
import { eventNames, methodNames, type IpcResult, type MethodName } from '@flurfunk/protocol';
import { createFlurfunkApi } from '../../../electron/preload/api.js';

function setup(
  answer: (method: MethodName, args: unknown) => Promise<IpcResult<unknown>> = async () => ({
    ok: true,
    value: null,
  }),
) {
  const calls: Array<{ method: MethodName; args: unknown }> = [];
  let dispatch: (event: string, payload: unknown) => void = () => {
    throw new Error('subscribe was not called');
  };
  const api = createFlurfunkApi(
    (method, args) => {
      calls.push({ method, args });
      return answer(method, args);
    },
    (deliver) => {
      dispatch = deliver;
    },
  );
  return { api, calls, emit: (event: string, payload: unknown) => dispatch(event, payload) };
}

describe('window.flurfunk built by the preload', () => {
  it('has exactly the contract methods and on, nothing else', () => {
    const { api } = setup();
    expect(Object.keys(api).sort()).toEqual([...methodNames, 'on'].sort());
    for (const key of Object.keys(api)) expect(typeof (api as Record<string, unknown>)[key]).toBe('function');
  });

  it('sends each method under its own name with the given args and returns the typed result', async () => {
    const { api, calls } = setup(async (method) => ({ ok: true, value: `result of ${method}` }));
    await expect(api.listPeople({ query: 'weber' })).resolves.toEqual({
      ok: true,
      value: 'result of listPeople',
    });
    await api.getSession({});
    expect(calls).toEqual([
      { method: 'listPeople', args: { query: 'weber' } },
      { method: 'getSession', args: {} },
    ]);
  });

  it('turns a failed IPC transport into a typed internal error instead of a rejection', async () => {
    const { api } = setup(async () => {
      throw new Error("No handler registered for 'flurfunk:invoke'");
    });
    await expect(api.getAppInfo({})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('delivers only the payload of subscribed events, until unsubscribed', () => {
    const { api, emit } = setup();
    const received: unknown[] = [];
    const unsubscribe = api.on('syncStatusChanged', (payload) => received.push(payload));
    emit('syncStatusChanged', { state: 'syncing' });
    emit('directoryChanged', {});
    unsubscribe();
    emit('syncStatusChanged', { state: 'idle' });
    expect(received).toEqual([{ state: 'syncing' }]);
  });

  it('keeps other listeners running when one throws', () => {
    const { api, emit } = setup();
    const received: unknown[] = [];
    const originalError = console.error;
    console.error = () => {};
    try {
      api.on('noticesChanged', () => {
        throw new Error('broken listener');
      });
      api.on('noticesChanged', (payload) => received.push(payload));
      emit('noticesChanged', []);
    } finally {
      console.error = originalError;
    }
    expect(received).toEqual([[]]);
  });

  it('refuses to subscribe to events outside the contract and ignores such events from main', () => {
    const { api, emit } = setup();
    const on = api.on as (event: string, listener: (payload: unknown) => void) => () => void;
    for (const event of ['secretToken', '__proto__', 'constructor', '']) {
      expect(() => on(event, () => {})).toThrow(TypeError);
    }
    const received: unknown[] = [];
    for (const event of eventNames) api.on(event, (payload) => received.push(payload));
    emit('secretToken', 'abc');
    expect(received).toEqual([]);
  });

  it('refuses a listener that is not a function', () => {
    const { api } = setup();
    expect(() => api.on('noticesChanged', 'alert(1)' as never)).toThrow(TypeError);
  });
});
