import { describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../../../electron/core/contract/dispatcher.js';
import { createDispatcher } from '../../../electron/core/contract/dispatcher.js';
import { CoreError } from '../../../electron/core/errors.js';
import {
  defaultBranding,
  defaultDeviceSettings,
  defaultNotificationSettings,
  emptyDietProfile,
} from '@flurfunk/protocol';

const signedOut = { status: 'signedOut', serverUrl: null } as const;
const idle = { connection: 'unknown', state: 'idle', lastSyncedAt: null, error: null } as const;

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    getAppInfo: async () => ({ version: '1.2.3', host: 'browser', defaultServerUrl: null }),
    getSession: async () => signedOut,
    getBranding: async () => defaultBranding,
    saveBrandingSettings: async () => {
      throw new CoreError('forbidden', 'not an admin');
    },
    removeBrandAsset: async () => {
      throw new CoreError('forbidden', 'not an admin');
    },
    getDeviceSettings: async () => defaultDeviceSettings,
    saveDeviceSettings: async (settings) => settings,
    getStartAtLogin: async () => ({ enabled: false }),
    setStartAtLogin: async ({ enabled }) => ({ enabled }),
    listDevices: async () => ({ devices: [] }),
    signOutDevice: async () => ({ devices: [] }),
    signOutOtherDevices: async () => ({ devices: [] }),
    getCacheUsage: async () => ({ bytes: 0, unsentChanges: 0 }),
    clearCache: async () => ({ bytes: 0, unsentChanges: 0 }),
    login: async () => signedOut,
    logout: async () => signedOut,
    listPeople: async () => ({ people: [], total: 0 }),
    getPerson: async () => null,
    getOrgChart: async () => ({ units: [] }),
    listLocations: async () => [],
    listCelebrations: async () => [],
    listPhoneBook: async () => ({ groups: [] }),
    savePageAsPdf: async () => ({ saved: false }),
    updateProfile: async () => {
      throw new CoreError('not_found', 'no profile');
    },
    setCelebrations: async () => {
      throw new CoreError('not_found', 'no profile');
    },
    listCanteens: async () => [],
    getCanteenWeek: async () => null,
    saveCanteenWeek: async () => {
      throw new CoreError('not_found', 'no canteen');
    },
    getDietProfile: async () => emptyDietProfile,
    saveDietProfile: async (profile) => profile,
    getSyncStatus: async () => idle,
    syncNow: async () => idle,
    getNotices: async () => [],
    dismissNotice: async () => [],
    listConversations: async () => [],
    listMessages: async () => [],
    sendMessage: async () => {
      throw new CoreError('not_found', 'no conversation');
    },
    editMessage: async () => {
      throw new CoreError('not_found', 'no message');
    },
    deleteMessage: async () => {
      throw new CoreError('not_found', 'no message');
    },
    getConversation: async () => null,
    loadOlderMessages: async () => ({ added: 0, hasMore: false }),
    forwardMessage: async () => {
      throw new CoreError('not_found', 'no message');
    },
    reactToMessage: async () => {
      throw new CoreError('not_found', 'no message');
    },
    markConversationRead: async () => null,
    updateConversationSettings: async () => {
      throw new CoreError('not_found', 'no conversation');
    },
    openDirectConversation: async () => {
      throw new CoreError('unreachable', 'offline');
    },
    createGroup: async () => {
      throw new CoreError('unreachable', 'offline');
    },
    updateGroup: async () => {
      throw new CoreError('unreachable', 'offline');
    },
    addGroupMembers: async () => {
      throw new CoreError('unreachable', 'offline');
    },
    removeGroupMember: async () => null,
    setGroupAdmin: async () => {
      throw new CoreError('unreachable', 'offline');
    },
    searchMessages: async () => [],
    saveChatDraft: async () => null,
    getNotificationSettings: async () => defaultNotificationSettings,
    saveNotificationSettings: async (settings) => settings,
    sendTyping: async () => null,
    watchPresence: async () => ({ online: [] }),
    listOutbox: async () => [],
    retryOutboxEntry: async () => [],
    discardOutboxEntry: async () => [],
    listFeedChannels: async () => [],
    listPostableChannels: async () => [],
    listPosts: async () => [],
    getPost: async () => null,
    searchPosts: async () => [],
    publishPost: async () => {
      throw new CoreError('forbidden', 'not an editor');
    },
    editPost: async () => {
      throw new CoreError('not_found', 'no post');
    },
    deletePost: async () => null,
    pinPost: async () => {
      throw new CoreError('not_found', 'no post');
    },
    confirmPost: async () => {
      throw new CoreError('not_found', 'no post');
    },
    markPostsSeen: async () => null,
    remindUnconfirmed: async () => null,
    reactToPost: async () => {
      throw new CoreError('not_found', 'no post');
    },
    followChannel: async () => [],
    answerEvent: async () => {
      throw new CoreError('not_found', 'no post');
    },
    getPostConfirmations: async () => {
      throw new CoreError('unreachable', 'offline');
    },
    getPostRevisions: async () => {
      throw new CoreError('unreachable', 'offline');
    },
    listComments: async () => [],
    addComment: async () => {
      throw new CoreError('not_found', 'no post');
    },
    editComment: async () => {
      throw new CoreError('not_found', 'no comment');
    },
    deleteComment: async () => null,
    allowComments: async () => {
      throw new CoreError('not_found', 'no post');
    },
    vote: async () => {
      throw new CoreError('not_found', 'no post');
    },
    closePoll: async () => {
      throw new CoreError('not_found', 'no post');
    },
    getPollVoters: async () => {
      throw new CoreError('unreachable', 'offline');
    },
    getPostDraft: async () => null,
    savePostDraft: async () => null,
    ...overrides,
  };
}

describe('the contract dispatcher', () => {
  it('runs a method and returns its result', async () => {
    const invoke = createDispatcher(handlers());
    expect(await invoke('getAppInfo', {})).toEqual({
      ok: true,
      value: { version: '1.2.3', host: 'browser', defaultServerUrl: null },
    });
  });

  it('fills in defaults from the args schema', async () => {
    const listPeople = vi.fn(async () => ({ people: [], total: 0 }));
    await createDispatcher(handlers({ listPeople }))('listPeople', {});
    expect(listPeople).toHaveBeenCalledWith({
      query: '',
      offset: 0,
      limit: 50,
      orgUnitId: null,
      includeSubUnits: true,
      locationId: null,
      sort: 'relevance',
    });
  });

  it.each(['nope', 'toString', '__proto__', 'constructor', 42, null])(
    'refuses method %j as unknown_method',
    async (method) => {
      const result = await createDispatcher(handlers())(method as string, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    },
  );

  it.each([undefined, null, 'x', { extra: 1 }])(
    'refuses args %j of a no-args method as invalid_args',
    async (args) => {
      const result = await createDispatcher(handlers())('getSession', args);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    },
  );

  it('refuses args that break the schema without calling the handler', async () => {
    const login = vi.fn(async () => signedOut);
    const invoke = createDispatcher(handlers({ login }));
    const result = await invoke('login', { serverUrl: 'https://x', username: '', password: 'p' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(await invoke('listPeople', { limit: 1_000_000 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_args' },
    });
    expect(login).not.toHaveBeenCalled();
  });

  it('passes typed errors through, keeping the seconds to wait', async () => {
    const invoke = createDispatcher(
      handlers({ login: async () => Promise.reject(new CoreError('rate_limited', 'slow down', 60)) }),
    );
    expect(await invoke('login', { serverUrl: 'https://x', username: 'u', password: 'p' })).toEqual({
      ok: false,
      error: { code: 'rate_limited', message: 'slow down', retryAfterSeconds: 60 },
    });
  });

  it('hides unexpected errors behind internal without their message', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const invoke = createDispatcher(
      handlers({
        getSession: async () => {
          throw new Error('database exploded at /home/lena');
        },
      }),
    );
    const result = await invoke('getSession', {});
    expect(result).toEqual({
      ok: false,
      error: { code: 'internal', message: 'an unexpected error occurred in the core' },
    });
    stderr.mockRestore();
  });

  it('treats a result that breaks the contract as internal', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const invoke = createDispatcher(handlers({ getSession: async () => ({ status: 'weird' }) as never }));
    expect(await invoke('getSession', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    stderr.mockRestore();
  });
});
