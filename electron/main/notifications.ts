/**
 * Desktop notifications: the core decides which message or important post deserves one (mute,
 * mentions, quiet hours, settings) and sends `chatNotification` or `feedNotification`; this shows
 * it with the system's notification service and, when clicked, brings the window up on that
 * conversation or the newsfeed.
 */
import { Notification, type BrowserWindow } from 'electron';
import type { Core } from '@flurfunk/core';
import {
  ChatNotification,
  FeedNotification,
  conversationHash,
  feedNotificationText,
  notificationText,
} from '@flurfunk/protocol';
import { appLocale } from './device-settings.js';
import { sendEvent } from './ipc.js';

// Notifications the system still shows, so a click can find them and they are not collected.
const shown = new Set<Notification>();

export function showChatNotifications(
  core: Core,
  showWindow: () => BrowserWindow,
  currentWindow: () => BrowserWindow | null,
): () => void {
  /** The user is looking at this conversation right now: a notification would only interrupt. */
  const isOnScreen = (conversationId: string): boolean => {
    const window = currentWindow();
    if (window === null || window.isDestroyed() || !window.isFocused()) return false;
    return new URL(window.webContents.getURL()).hash === conversationHash(conversationId);
  };
  /** Shows a notification; a click brings the window up and sends it `opened`'s event. */
  const show = (text: { title: string; body: string }, opened: (window: BrowserWindow) => void): void => {
    const notification = new Notification({ ...text, silent: false });
    shown.add(notification);
    const forget = () => shown.delete(notification);
    notification.on('close', forget);
    notification.on('failed', forget);
    notification.on('click', () => {
      forget();
      const window = showWindow();
      // A window the click had to create first gets the event once the app is loaded.
      if (window.webContents.isLoading()) window.webContents.once('did-finish-load', () => opened(window));
      else opened(window);
    });
    notification.show();
  };
  return core.onEvent((name, payload) => {
    if (!Notification.isSupported()) return;
    if (name === 'chatNotification') {
      const parsed = ChatNotification.safeParse(payload);
      if (!parsed.success || isOnScreen(parsed.data.conversationId)) return;
      const { conversationId } = parsed.data;
      show(notificationText(parsed.data, appLocale()), (window) =>
        sendEvent(window, 'openConversation', { conversationId }),
      );
    }
    if (name === 'feedNotification') {
      const parsed = FeedNotification.safeParse(payload);
      if (!parsed.success) return;
      const { postId } = parsed.data;
      show(feedNotificationText(parsed.data, appLocale()), (window) =>
        sendEvent(window, 'openFeed', { postId }),
      );
    }
  });
}
