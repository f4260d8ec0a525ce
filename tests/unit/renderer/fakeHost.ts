/**
 * An in-test FlurfunkApi assigned to `window.flurfunk`: the Electron preload boundary, which cannot
 * exist under Node. It answers from a small in-memory company so renderer code runs for real.
 */
import type {
  DirectoryEntry,
  EventName,
  FlurfunkApi,
  IpcError,
  IpcResult,
  MethodArgs,
  SessionState,
} from '@flurfunk/protocol';

export interface FakeHost {
  api: FlurfunkApi;
  people: DirectoryEntry[];
  listPeopleCalls: MethodArgs<'listPeople'>[];
  /** When set, login fails with this error. */
  loginError: IpcError | null;
  /** Sends an event as the core would; the payload is not checked here on purpose. */
  emit(event: EventName, payload: unknown): void;
  /** Holds back listPeople answers until `release()` is called. */
  holdListPeople(): { release(): void };
}

export function makePerson(index: number): DirectoryEntry {
  const hex = index.toString(16).padStart(12, '0');
  return {
    id: `00000000-0000-4000-8000-${hex}`,
    username: `person.${index}`,
    firstName: 'Person',
    lastName: String(index).padStart(4, '0'),
    displayName: `Person ${String(index).padStart(4, '0')}`,
    title: index % 2 ? 'Mechatroniker' : 'Redakteurin',
    orgUnitId: null,
    locationId: null,
    managerId: null,
    email: `person.${index}@example.com`,
    phone: `+49 711 555-${1000 + index}`,
    room: `B${index}`,
    orgUnitName: index % 3 ? 'Werkstatt' : 'Interne Kommunikation',
    locationName: index % 2 ? 'Werk Esslingen' : 'Zentrale Stuttgart',
  };
}

const ok = <T>(value: T): Promise<IpcResult<T>> => Promise.resolve({ ok: true, value });

export function installFakeHost(size = 250): FakeHost {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let gate: Promise<void> | null = null;
  let session: SessionState = { status: 'signedOut', serverUrl: null };

  const host: FakeHost = {
    people: Array.from({ length: size }, (_, i) => makePerson(i)),
    listPeopleCalls: [],
    loginError: null,
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    holdListPeople() {
      let release = () => {};
      gate = new Promise((resolve) => (release = resolve));
      return { release: () => release() };
    },
    api: {
      getAppInfo: () =>
        ok({ version: '0.1.0-test', host: 'electron', defaultServerUrl: 'http://127.0.0.1:4100' }),
      getSession: () => ok(session),
      login: async (args) => {
        if (host.loginError) return { ok: false, error: host.loginError };
        session = {
          status: 'signedIn',
          serverUrl: args.serverUrl,
          user: {
            id: makePerson(0).id,
            username: args.username,
            displayName: 'Lena Weber',
            roles: ['employee'],
          },
        };
        return { ok: true, value: session };
      },
      logout: () => ok((session = { status: 'signedOut', serverUrl: session.serverUrl })),
      listPeople: async (args) => {
        host.listPeopleCalls.push(args);
        if (gate) await gate;
        const query = (args.query ?? '').toLowerCase();
        const found = host.people.filter((p) => p.displayName.toLowerCase().includes(query));
        const offset = args.offset ?? 0;
        return {
          ok: true,
          value: { people: found.slice(offset, offset + (args.limit ?? 50)), total: found.length },
        };
      },
      getPerson: ({ id }) => ok(host.people.find((p) => p.id === id) ?? null),
      getSyncStatus: () => ok({ connection: 'online', state: 'idle', lastSyncedAt: null, error: null }),
      syncNow: () => ok({ connection: 'online', state: 'idle', lastSyncedAt: null, error: null }),
      on(event, listener) {
        let set = listeners.get(event);
        if (!set) listeners.set(event, (set = new Set()));
        const untyped = listener as (payload: unknown) => void;
        set.add(untyped);
        return () => set.delete(untyped);
      },
    },
  };
  window.flurfunk = host.api;
  return host;
}
