import { z } from 'zod';
import { ConversationKind } from './chat.js';
import { Id } from './directory.js';

/** A time of day, `HH:MM` in 24 hours. */
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM');

/**
 * Do not disturb: no desktop notifications between `from` and `to` each day (local time). A span
 * whose end is before its start runs over midnight; equal times mean all day.
 */
export const QuietHours = z.object({ enabled: z.boolean(), from: TimeOfDay, to: TimeOfDay }).strict();
export type QuietHours = z.infer<typeof QuietHours>;

/** The user's notification choices, kept on the device in the encrypted cache. */
export const NotificationSettings = z
  .object({
    /** Desktop notifications for new chat messages. */
    chat: z.boolean(),
    /**
     * Desktop notifications for new important posts (those asking to be confirmed as read).
     * Settings saved before it existed take the default.
     */
    importantPosts: z.boolean().default(true),
    /** Show the text; off, a notification names only the sender and where. */
    showPreview: z.boolean(),
    quietHours: QuietHours,
  })
  .strict();
export type NotificationSettings = z.infer<typeof NotificationSettings>;

export const defaultNotificationSettings: NotificationSettings = {
  chat: true,
  importantPosts: true,
  showPreview: true,
  quietHours: { enabled: false, from: '22:00', to: '07:00' },
};

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Whether `at` (in the device's local time) falls into the quiet hours. */
export function isQuietTime(quietHours: QuietHours, at: Date): boolean {
  if (!quietHours.enabled) return false;
  const from = minutesOf(quietHours.from);
  const to = minutesOf(quietHours.to);
  const now = at.getHours() * 60 + at.getMinutes();
  if (from === to) return true;
  return from < to ? now >= from && now < to : now >= from || now < to;
}

/**
 * Whether a new message deserves a desktop notification: not the user's own, chat notifications
 * on, outside the quiet hours; in a muted conversation only when it mentions the user (or the
 * whole conversation).
 */
export function shouldNotifyOfMessage(
  message: { ownMessage: boolean; muted: boolean; mentionsUser: boolean },
  settings: NotificationSettings,
  at: Date,
): boolean {
  if (message.ownMessage || !settings.chat || isQuietTime(settings.quietHours, at)) return false;
  return !message.muted || message.mentionsUser;
}

/**
 * Whether a new post deserves a desktop notification: an important one (asking to be confirmed
 * as read) of someone else, in a channel the user follows, not yet confirmed, with important-post
 * notifications on and outside the quiet hours.
 */
export function shouldNotifyOfPost(
  post: { ownPost: boolean; important: boolean; following: boolean; confirmed: boolean },
  settings: NotificationSettings,
  at: Date,
): boolean {
  if (post.ownPost || !post.important || !post.following || post.confirmed) return false;
  return settings.importantPosts && !isQuietTime(settings.quietHours, at);
}

/** What the core tells the host to show for a new important post; the wording is the host's. */
export const FeedNotification = z
  .object({
    postId: Id,
    channelName: z.string().max(200),
    authorName: z.string().max(300),
    title: z.string().max(300),
    /** The start of the text, without Markdown; null without the preview setting. */
    preview: z.string().max(200).nullable(),
  })
  .strict();
export type FeedNotification = z.infer<typeof FeedNotification>;

/**
 * What the core tells the host to show for a new message. Names are resolved; the wording (and
 * the translation) is the host's. Without the preview setting, the text is null.
 */
export const ChatNotification = z
  .object({
    conversationId: Id,
    messageId: Id,
    conversationKind: ConversationKind,
    /** The group's or channel's name; null for a direct conversation. */
    conversationTitle: z.string().max(200).nullable(),
    senderName: z.string().max(300),
    /** The start of the text, mentions as names, Markdown left as typed. */
    preview: z.string().max(200).nullable(),
    fileCount: z.number().int().nonnegative(),
    mentionsUser: z.boolean(),
  })
  .strict();
export type ChatNotification = z.infer<typeof ChatNotification>;

/** The app's address of a conversation (the renderer's hash route), for hosts that open it. */
export const conversationHash = (conversationId: string): string => `#/chat/${conversationId}`;

export type NotificationLocale = 'de' | 'en';

const wording = {
  de: {
    inConversation: (sender: string, conversation: string) => `${sender} in ${conversation}`,
    newMessage: 'Neue Nachricht',
    files: (count: number) => (count === 1 ? '📎 Eine Datei' : `📎 ${count} Dateien`),
    mention: 'hat Sie erwähnt',
    unread: (count: number) =>
      count === 1 ? 'Eine ungelesene Nachricht' : `${count} ungelesene Nachrichten`,
    open: 'Öffnen',
    quit: 'Beenden',
    important: (title: string) => `Wichtig: ${title}`,
    postBy: (author: string, channel: string) => `${author} in ${channel}`,
    pleaseConfirm: 'Bitte lesen und bestätigen.',
  },
  en: {
    inConversation: (sender: string, conversation: string) => `${sender} in ${conversation}`,
    newMessage: 'New message',
    files: (count: number) => (count === 1 ? '📎 A file' : `📎 ${count} files`),
    mention: 'mentioned you',
    unread: (count: number) => (count === 1 ? 'One unread message' : `${count} unread messages`),
    open: 'Open',
    quit: 'Quit',
    important: (title: string) => `Important: ${title}`,
    postBy: (author: string, channel: string) => `${author} in ${channel}`,
    pleaseConfirm: 'Please read and confirm.',
  },
} as const;

/**
 * A notification's title and text in the user's language, the same in every host: the sender
 * (and where), then the preview, the files, or only "new message" when previews are off.
 */
export function notificationText(
  notification: ChatNotification,
  locale: NotificationLocale,
): { title: string; body: string } {
  const words = wording[locale];
  const { senderName, conversationTitle, preview, fileCount, mentionsUser } = notification;
  const title = conversationTitle === null ? senderName : words.inConversation(senderName, conversationTitle);
  const lines = [
    preview ?? (mentionsUser ? words.mention : words.newMessage),
    preview !== null && fileCount > 0 ? words.files(fileCount) : null,
  ];
  return { title, body: lines.filter((line) => line !== null && line !== '').join('\n') };
}

/**
 * An important post's notification in the user's language: its title, then who posted where and
 * the preview (or the request to confirm, when previews are off).
 */
export function feedNotificationText(
  notification: FeedNotification,
  locale: NotificationLocale,
): { title: string; body: string } {
  const words = wording[locale];
  const where = words.postBy(notification.authorName, notification.channelName);
  return {
    title: words.important(notification.title),
    body: [where, notification.preview ?? words.pleaseConfirm].filter((line) => line !== '').join('\n'),
  };
}

/** What a screen reader says of the unread badge outside the window. */
export function unreadCountText(count: number, locale: NotificationLocale): string {
  return wording[locale].unread(count);
}

/** The tray icon's tooltip: the company's name for the app, and the unread messages if any. */
export function trayTooltip(appName: string, unread: number, locale: NotificationLocale): string {
  return unread > 0 ? `${appName} – ${wording[locale].unread(unread)}` : appName;
}

/** The tray menu's entries. */
export function trayMenuText(locale: NotificationLocale): { open: string; quit: string } {
  return { open: wording[locale].open, quit: wording[locale].quit };
}
