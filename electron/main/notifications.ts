/**
 * Desktop notifications for chat: the core decides which message deserves one (mute, mentions,
 * quiet hours) and sends `chatNotification`; this shows it with the system's notification
 * service and, when clicked, brings the window up on that conversation.
 */
import { Notification, type BrowserWindow } from 'electron';
import type { Core } from '@flurfunk/core';
import { ChatNotification, conversationHash, notificationText } from '@flurfunk/protocol';
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
  return core.onEvent((name, payload) => {
    if (name !== 'chatNotification' || !Notification.isSupported()) return;
    const parsed = ChatNotification.safeParse(payload);
    if (!parsed.success || isOnScreen(parsed.data.conversationId)) return;
    const { title, body } = notificationText(parsed.data, appLocale());
    const notification = new Notification({ title, body, silent: false });
    shown.add(notification);
    const forget = () => shown.delete(notification);
    notification.on('close', forget);
    notification.on('failed', forget);
    notification.on('click', () => {
      forget();
      const window = showWindow();
      const open = () =>
        sendEvent(window, 'openConversation', { conversationId: parsed.data.conversationId });
      // A window the click had to create first gets the event once the app is loaded.
      if (window.webContents.isLoading()) window.webContents.once('did-finish-load', open);
      else open();
    });
    notification.show();
  });
}
