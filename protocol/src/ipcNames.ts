/**
 * The names of the contract's methods and events, and the IPC channels that carry them, without
 * zod: the sandboxed preload imports only this file, so its bundle stays small.
 */
export const methodNames = [
  'getAppInfo',
  'getBranding',
  'saveBrandingSettings',
  'removeBrandAsset',
  'getSession',
  'login',
  'logout',
  'listPeople',
  'getPerson',
  'getOrgChart',
  'listLocations',
  'listCelebrations',
  'listPhoneBook',
  'savePageAsPdf',
  'updateProfile',
  'setCelebrations',
  'listCanteens',
  'getCanteenWeek',
  'saveCanteenWeek',
  'getDietProfile',
  'saveDietProfile',
  'getSyncStatus',
  'syncNow',
  'getNotices',
  'dismissNotice',
  'listConversations',
  'getConversation',
  'listMessages',
  'loadOlderMessages',
  'sendMessage',
  'editMessage',
  'deleteMessage',
  'forwardMessage',
  'reactToMessage',
  'markConversationRead',
  'updateConversationSettings',
  'openDirectConversation',
  'createGroup',
  'updateGroup',
  'addGroupMembers',
  'removeGroupMember',
  'setGroupAdmin',
  'searchMessages',
  'saveChatDraft',
  'getNotificationSettings',
  'saveNotificationSettings',
  'sendTyping',
  'watchPresence',
  'listOutbox',
  'retryOutboxEntry',
  'discardOutboxEntry',
  'listFeedChannels',
  'listPostableChannels',
  'listPosts',
  'getPost',
  'searchPosts',
  'publishPost',
  'editPost',
  'deletePost',
  'pinPost',
  'confirmPost',
  'markPostsSeen',
  'remindUnconfirmed',
  'reactToPost',
  'answerEvent',
  'followChannel',
  'getPostConfirmations',
  'getPostRevisions',
  'listComments',
  'addComment',
  'editComment',
  'deleteComment',
  'allowComments',
  'vote',
  'closePoll',
  'getPollVoters',
  'getPostDraft',
  'savePostDraft',
] as const;
export type MethodName = (typeof methodNames)[number];

export const eventNames = [
  'sessionChanged',
  'syncStatusChanged',
  'dataChanged',
  'typing',
  'presenceChanged',
  'noticesChanged',
  'chatNotification',
  'unreadCountChanged',
  'brandingChanged',
  'openConversation',
] as const;
export type EventName = (typeof eventNames)[number];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (methodNames as readonly string[]).includes(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name);
}

export const ipcChannels = { invoke: 'flurfunk:invoke', event: 'flurfunk:event' } as const;
