import {
  BrandAsset,
  BrandAssetSlot,
  Id,
  PostComposerDraft,
  brandAssetPathPrefix,
  appearanceStylesheetPath,
} from '@flurfunk/protocol';
import type {
  BrandingSaved,
  CommentView,
  ConversationSummary,
  EventName,
  FileMeta,
  FileVariant,
  IpcResult,
  PostView,
} from '@flurfunk/protocol';
import { downloadDataExport } from './account/data-export.js';
import { BrandingCache } from './branding/branding-cache.js';
import { CoreError } from './errors.js';
import type { Writes } from './session/user-session.js';
import type { ChangeSet } from './sync/change-set.js';
import { createDispatcher, settle } from './contract/dispatcher.js';
import type { NewFile } from './files/file-transfers.js';
import type { CoreOptions } from './core-options.js';
import { EventHub } from './events.js';
import { NoticeBoard } from './notices/notice-board.js';
import { SessionManager } from './session/session-manager.js';
import { DeviceSettingsStore, themeRule } from './settings/device-settings-store.js';
import { profileId } from './vault/accounts.js';
import { KeytarVault } from './vault/keytar-vault.js';
import type { BrandFile, DataExportFile } from './worker/frames.js';

export type { CoreOptions } from './core-options.js';

/** A file for the host's media route, with its meta. */
export interface MediaFile {
  meta: FileMeta;
  bytes: Uint8Array;
}

export interface Core {
  /** Calls a contract method; always resolves, failures as typed errors. */
  invoke(method: string, args: unknown): Promise<IpcResult<unknown>>;
  /**
   * A file for the host's media route (images and attachments in the renderer): one a post on
   * this device names, or the user's own upload. Bytes do not fit the contract's messages, so the
   * hosts serve them from their own origin instead.
   */
  readMedia(fileId: string, variant?: FileVariant): Promise<IpcResult<MediaFile>>;
  /** Uploads a file the user picked (the media route's PUT); it stays theirs until a post takes it. */
  uploadMedia(file: NewFile): Promise<IpcResult<FileMeta>>;
  /**
   * The branding stylesheet (`appearance.css`) or one of its files (`branding/<sha256>`) for the
   * hosts' branding route: what the page needs before its first paint, signed in or not.
   */
  readAppearanceFile(path: string): Promise<IpcResult<BrandFile>>;
  /** Everything the server holds about the user, as a ZIP to save (the media route's `export`). */
  readDataExport(): Promise<IpcResult<DataExportFile>>;
  /** The IT admin's upload of a logo, login background or font face (the media route's PUT). */
  uploadBrandAsset(
    slot: string,
    file: { mediaType: string; bytes: Uint8Array },
  ): Promise<IpcResult<BrandingSaved>>;
  /** Payloads match the contract's `events`. Returns the unsubscribe function. */
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  close(): Promise<void>;
}

const defaultSyncIntervalMs = 30_000;

/** Starts the core in this process: restores the last session, then serves the contract. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const events = new EventHub();
  const notices = new NoticeBoard((list) => events.emit('noticesChanged', list));
  const vault = options.vault ?? new KeytarVault();
  const branding = await BrandingCache.open({
    dataDir: options.dataDir,
    vault,
    profile: profileId(options.dataDir),
    onChange: (current) => events.emit('brandingChanged', current),
  });
  const deviceSettings = await DeviceSettingsStore.open({
    dataDir: options.dataDir,
    vault,
    profile: profileId(options.dataDir),
    onChange: (current) => events.emit('deviceSettingsChanged', current),
  });
  const sessions = new SessionManager({
    dataDir: options.dataDir,
    deviceName: options.deviceName,
    vault,
    branding,
    syncIntervalMs: options.syncIntervalMs ?? defaultSyncIntervalMs,
    live: options.live,
    notices,
    emit: (event, payload) => events.emit(event, payload),
  });
  await sessions.restore();
  const knownServer = sessions.state().serverUrl ?? options.defaultServerUrl;
  // Not awaited: the app starts with the cached branding and takes a newer one when it arrives.
  if (knownServer !== null) void branding.refresh(knownServer);

  /** The post as the feed shows it right after the user's write to it. */
  const postAfterWrite = (postId: string): PostView => {
    const post = sessions.requireActive().data.feed.getPost(postId);
    if (!post) throw new CoreError('not_found', 'this post is not in the cache');
    return post;
  };
  const commentAfterWrite = (commentId: string): CommentView => {
    const comment = sessions.requireActive().data.feed.getComment(commentId);
    if (!comment) throw new CoreError('not_found', 'this comment is not in the cache');
    return comment;
  };
  const conversationAfterWrite = (conversationId: string): ConversationSummary => {
    const conversation = sessions.requireActive().data.chat.getConversation(conversationId);
    if (!conversation) throw new CoreError('not_found', 'this conversation is not in the cache');
    return conversation;
  };
  const ownProfile = () => {
    const { data, user } = sessions.requireActive();
    const profile = data.directory.getProfile(user.id);
    if (!profile) throw new CoreError('not_found', 'your profile is not in the cache');
    return profile;
  };
  const write = <T>(action: (writes: Writes, changes: ChangeSet) => T): T =>
    sessions.requireActive().data.write(action);

  const invoke = createDispatcher({
    getAppInfo: async () => ({
      version: options.appVersion,
      host: options.host,
      defaultServerUrl: options.defaultServerUrl,
    }),
    getSession: async () => sessions.state(),
    getBranding: async () => branding.current(),
    getDeviceSettings: async () => deviceSettings.get(),
    saveDeviceSettings: (settings) => deviceSettings.save(settings),
    getStartAtLogin: async () => {
      // The Electron main process answers this itself; no other host starts with the computer.
      throw new CoreError('unsupported', 'only the desktop app starts at login');
    },
    setStartAtLogin: async () => {
      throw new CoreError('unsupported', 'only the desktop app starts at login');
    },
    listDevices: () => sessions.requireActive().data.devices.list(),
    signOutDevice: ({ deviceId }) => sessions.requireActive().data.devices.signOut(deviceId),
    signOutOtherDevices: () => sessions.requireActive().data.devices.signOutOthers(),
    getCacheUsage: () => sessions.cacheUsage(),
    clearCache: () => sessions.clearCache(),
    saveBrandingSettings: (settings) => sessions.requireActive().data.brandingAdmin.saveSettings(settings),
    removeBrandAsset: ({ slot }) => sessions.requireActive().data.brandingAdmin.removeAsset(slot),
    login: (args) => sessions.login(args),
    logout: () => sessions.logout(),
    listPeople: async (args) => sessions.requireActive().data.directory.listPeople(args),
    getPerson: async ({ id }) => sessions.requireActive().data.directory.getProfile(id),
    getOrgChart: async () => ({ units: sessions.requireActive().data.directory.orgChart() }),
    listLocations: async () => sessions.requireActive().data.directory.listLocations(),
    listCelebrations: async ({ date }) => sessions.requireActive().data.directory.celebrations(date),
    listPhoneBook: async (args) => sessions.requireActive().data.directory.phoneBook(args),
    savePageAsPdf: async () => {
      // The Electron main process answers this itself; the browser host prints instead.
      throw new CoreError('unsupported', 'only the desktop app saves a PDF; print the page instead');
    },
    updateProfile: async (edit) => {
      write((w, changes) => w.directory.updateProfile(edit, changes));
      return ownProfile();
    },
    setCelebrations: async (consent) => {
      write((w, changes) => w.directory.setCelebrations(consent, changes));
      return ownProfile();
    },
    listCanteens: async () => sessions.requireActive().data.canteen.listCanteens(),
    getCanteenWeek: async ({ canteenId, weekStart }) =>
      sessions.requireActive().data.canteen.getWeek(canteenId, weekStart),
    saveCanteenWeek: async (week) => write((w, changes) => w.canteen.saveWeek(week, changes)),
    getDietProfile: async () => sessions.requireActive().data.canteen.dietProfile(),
    saveDietProfile: async (profile) => sessions.requireActive().data.canteen.saveDietProfile(profile),
    getSyncStatus: async () => sessions.syncStatus(),
    syncNow: () => sessions.requireActive().data.syncNow(),
    listConversations: async () => sessions.requireActive().data.chat.listConversations(),
    getConversation: async ({ conversationId }) =>
      sessions.requireActive().data.chat.getConversation(conversationId),
    listMessages: async (args) => sessions.requireActive().data.chat.listMessages(args),
    loadOlderMessages: ({ conversationId }) =>
      sessions.requireActive().data.chatOnline.loadOlderMessages(conversationId),
    sendMessage: async (draft) => write((w, changes) => w.chat.sendMessage(draft, changes)),
    editMessage: async (args) => write((w, changes) => w.chat.editMessage(args, changes)),
    deleteMessage: async (args) => write((w, changes) => w.chat.deleteMessage(args, changes)),
    forwardMessage: async (args) => write((w, changes) => w.chat.forwardMessage(args, changes)),
    reactToMessage: async (args) => write((w, changes) => w.chat.react(args, changes)),
    markConversationRead: async (args) => {
      write((w, changes) => w.chat.markRead(args, changes));
      return null;
    },
    updateConversationSettings: async (args) => {
      write((w, changes) => w.chat.updateSettings(args, changes));
      return conversationAfterWrite(args.conversationId);
    },
    openDirectConversation: ({ personId }) => sessions.requireActive().data.chatOnline.openDirect(personId),
    createGroup: (args) => sessions.requireActive().data.chatOnline.createGroup(args),
    updateGroup: (args) => sessions.requireActive().data.chatOnline.updateGroup(args),
    addGroupMembers: (args) => sessions.requireActive().data.chatOnline.addMembers(args),
    removeGroupMember: (args) => sessions.requireActive().data.chatOnline.removeMember(args),
    setGroupAdmin: (args) => sessions.requireActive().data.chatOnline.setAdmin(args),
    searchMessages: async (args) => sessions.requireActive().data.chat.searchMessages(args),
    saveChatDraft: async (args) => {
      write((w, changes) => w.chat.saveDraft(args, changes));
      return null;
    },
    getNotificationSettings: async () => sessions.requireActive().data.notificationSettings.get(),
    saveNotificationSettings: async (settings) =>
      sessions.requireActive().data.notificationSettings.save(settings),
    sendTyping: async ({ conversationId }) => {
      sessions.requireActive().data.sendTyping(conversationId);
      return null;
    },
    watchPresence: async ({ personIds }) => ({
      online: sessions.requireActive().data.watchPresence(personIds),
    }),
    listOutbox: async () => sessions.requireActive().data.listOutbox(),
    retryOutboxEntry: async ({ id }) => sessions.requireActive().data.retryOutboxEntry(id),
    discardOutboxEntry: async ({ id }) => sessions.requireActive().data.discardOutboxEntry(id),
    listFeedChannels: async () => sessions.requireActive().data.feed.listChannels(),
    listPostableChannels: () => sessions.requireActive().data.feed.refreshPostableChannels(),
    listPosts: async (args) => sessions.requireActive().data.feed.listPosts(args),
    getPost: async ({ postId }) => sessions.requireActive().data.feed.getPost(postId),
    searchPosts: async (args) => sessions.requireActive().data.feed.searchPosts(args),
    publishPost: async (draft) => postAfterWrite(write((w, changes) => w.feed.publishPost(draft, changes))),
    editPost: async (args) => {
      write((w, changes) => w.feed.editPost(args, changes));
      return postAfterWrite(args.postId);
    },
    deletePost: async (args) => {
      write((w, changes) => w.feed.deletePost(args, changes));
      return null;
    },
    pinPost: async (args) => {
      write((w, changes) => w.feed.pinPost(args, changes));
      return postAfterWrite(args.postId);
    },
    confirmPost: async (args) => {
      write((w, changes) => w.feed.confirmPost(args, changes));
      return postAfterWrite(args.postId);
    },
    markPostsSeen: async (args) => {
      write((w, changes) => w.feed.markSeen(args, changes));
      return null;
    },
    remindUnconfirmed: async (args) => {
      write((w, changes) => w.feed.remindUnconfirmed(args, changes));
      return null;
    },
    reactToPost: async (args) => {
      write((w, changes) => w.feed.react(args, changes));
      return postAfterWrite(args.postId);
    },
    answerEvent: async (args) => {
      write((w, changes) => w.feed.answerEvent(args, changes));
      return postAfterWrite(args.postId);
    },
    followChannel: async (args) => {
      write((w, changes) => w.feed.followChannel(args, changes));
      return sessions.requireActive().data.feed.listChannels();
    },
    getPostConfirmations: ({ postId }) => sessions.requireActive().data.feed.confirmationsOf(postId),
    getPostRevisions: ({ postId }) => sessions.requireActive().data.feed.revisionsOf(postId),
    listComments: async ({ postId }) => sessions.requireActive().data.feed.listComments(postId),
    addComment: async (args) =>
      commentAfterWrite(write((w, changes) => w.comments.addComment(args, changes))),
    editComment: async (args) => {
      write((w, changes) => w.comments.editComment(args, changes));
      return commentAfterWrite(args.commentId);
    },
    deleteComment: async (args) => {
      write((w, changes) => w.comments.deleteComment(args, changes));
      return null;
    },
    allowComments: async (args) => {
      write((w, changes) => w.feed.allowComments(args, changes));
      return postAfterWrite(args.postId);
    },
    vote: async (args) => {
      write((w, changes) => w.feed.vote(args, changes));
      return postAfterWrite(args.postId);
    },
    closePoll: async (args) => {
      write((w, changes) => w.feed.closePoll(args, changes));
      return postAfterWrite(args.postId);
    },
    getPollVoters: ({ postId }) => sessions.requireActive().data.feed.pollVotersOf(postId),
    getPostDraft: async () => sessions.requireActive().data.drafts.read('feed.composer', PostComposerDraft),
    savePostDraft: async ({ draft }) => {
      sessions.requireActive().data.drafts.write('feed.composer', draft);
      return null;
    },
    getNotices: async () => notices.list(),
    dismissNotice: async ({ id }) => notices.dismiss(id),
  });

  return {
    invoke,
    readMedia: (fileId, variant = 'original') =>
      settle('reading a file', () => {
        if (!Id.safeParse(fileId).success) throw new CoreError('invalid_args', 'a file id is a UUID');
        const { files } = sessions.requireActive().data;
        return variant === 'thumbnail' ? files.thumbnail(fileId) : files.media(fileId);
      }),
    uploadMedia: (file) => settle('uploading a file', () => sessions.requireActive().data.files.upload(file)),
    readAppearanceFile: (path) =>
      settle('reading a branding file', async () => {
        if (path === appearanceStylesheetPath) {
          const css = branding.stylesheet() + themeRule(deviceSettings.get().theme);
          return { mediaType: 'text/css', bytes: Buffer.from(css) };
        }
        const assetId = path.startsWith(brandAssetPathPrefix) ? path.slice(brandAssetPathPrefix.length) : '';
        if (!BrandAsset.shape.id.safeParse(assetId).success)
          throw new CoreError('not_found', 'no such branding file');
        return branding.asset(assetId);
      }),
    readDataExport: () =>
      settle('exporting the user’s data', () => downloadDataExport(sessions.requireActive().server)),
    uploadBrandAsset: (slot, file) =>
      settle('uploading a branding file', () => {
        const parsed = BrandAssetSlot.safeParse(slot);
        if (!parsed.success) throw new CoreError('invalid_args', 'not a branding file slot');
        return sessions.requireActive().data.brandingAdmin.uploadAsset(parsed.data, file);
      }),
    onEvent: (listener) => events.subscribe(listener),
    close: async () => {
      await sessions.close();
      await branding.idle();
    },
  };
}
