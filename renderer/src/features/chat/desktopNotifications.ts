import { type NotificationLocale, feedNotificationText, notificationText } from '@flurfunk/protocol';
import { onEvent } from '@/api/index.js';

export interface DesktopNotificationOptions {
  /** Which host runs the app: Electron's main process shows notifications itself. */
  host(): 'electron' | 'browser' | null;
  locale(): NotificationLocale;
  /** Shows a conversation (a notification was clicked). */
  open(conversationId: string): void;
  /** Shows an important post whose notification was clicked. */
  openPost(postId: string): void;
  /** The conversation on screen, if any. */
  openConversationId(): string | null;
}

/** Whether this browser can show notifications and the user allowed them. */
export function browserNotificationsAllowed(): boolean {
  return 'Notification' in window && Notification.permission === 'granted';
}

/**
 * The core's chat and important-post notifications: in the browser host the renderer shows them
 * with the browser's notifications (in Electron the main process does, and reports a click as
 * `openConversation` or `openFeed`). A click opens the conversation or the post either way.
 * Returns the unsubscribe function.
 */
export function followDesktopNotifications(options: DesktopNotificationOptions): () => void {
  const stops = [
    onEvent('chatNotification', (notification) => {
      if (options.host() !== 'browser' || !browserNotificationsAllowed()) return;
      // The user is looking at this conversation right now: a notification would only interrupt.
      if (document.hasFocus() && options.openConversationId() === notification.conversationId) return;
      const { title, body } = notificationText(notification, options.locale());
      // One notification per conversation: a newer message replaces the older one.
      const shown = new Notification(title, { body, tag: notification.conversationId });
      shown.onclick = () => {
        window.focus();
        options.open(notification.conversationId);
        shown.close();
      };
    }),
    onEvent('feedNotification', (notification) => {
      if (options.host() !== 'browser' || !browserNotificationsAllowed()) return;
      const { title, body } = feedNotificationText(notification, options.locale());
      const shown = new Notification(title, { body, tag: notification.postId });
      shown.onclick = () => {
        window.focus();
        options.openPost(notification.postId);
        shown.close();
      };
    }),
    onEvent('openConversation', ({ conversationId }) => options.open(conversationId)),
    onEvent('openFeed', ({ postId }) => options.openPost(postId)),
  ];
  return () => stops.forEach((stop) => stop());
}
