import { describe, expect, it } from 'vitest';
import {
  NotificationSettings,
  defaultNotificationSettings,
  isQuietTime,
  notificationText,
  shouldNotifyOfMessage,
  type ChatNotification,
  trayMenuText,
  trayTooltip,
  feedNotificationText,
  shouldNotifyOfPost,
} from '@flurfunk/protocol';

const at = (time: string) => new Date(`2026-11-26T${time}:00`);
const quiet = (from: string, to: string) => ({ enabled: true, from, to });

describe('quiet hours', () => {
  it('covers a span within one day, start included and end excluded', () => {
    const office = quiet('12:00', '13:30');
    expect(isQuietTime(office, at('11:59'))).toBe(false);
    expect(isQuietTime(office, at('12:00'))).toBe(true);
    expect(isQuietTime(office, at('13:29'))).toBe(true);
    expect(isQuietTime(office, at('13:30'))).toBe(false);
  });

  it('runs over midnight when it ends before it starts', () => {
    const night = quiet('22:00', '07:00');
    expect(isQuietTime(night, at('21:59'))).toBe(false);
    expect(isQuietTime(night, at('23:30'))).toBe(true);
    expect(isQuietTime(night, at('00:00'))).toBe(true);
    expect(isQuietTime(night, at('06:59'))).toBe(true);
    expect(isQuietTime(night, at('07:00'))).toBe(false);
  });

  it('lasts all day when start and end are equal, and never when switched off', () => {
    expect(isQuietTime(quiet('08:00', '08:00'), at('15:00'))).toBe(true);
    expect(isQuietTime({ enabled: false, from: '00:00', to: '23:59' }, at('15:00'))).toBe(false);
  });

  it('refuses times that are not times of day', () => {
    for (const from of ['24:00', '7:00', '12:60', 'noon']) {
      const settings = { ...defaultNotificationSettings, quietHours: quiet(from, '07:00') };
      expect(NotificationSettings.safeParse(settings).success).toBe(false);
    }
  });
});

describe('which messages notify', () => {
  const message = { ownMessage: false, muted: false, mentionsUser: false };
  const noon = at('12:00');

  it('notifies of others’ messages, never of the user’s own', () => {
    expect(shouldNotifyOfMessage(message, defaultNotificationSettings, noon)).toBe(true);
    expect(shouldNotifyOfMessage({ ...message, ownMessage: true }, defaultNotificationSettings, noon)).toBe(
      false,
    );
  });

  it('keeps a muted conversation quiet unless the message mentions the user', () => {
    expect(shouldNotifyOfMessage({ ...message, muted: true }, defaultNotificationSettings, noon)).toBe(false);
    expect(
      shouldNotifyOfMessage(
        { ...message, muted: true, mentionsUser: true },
        defaultNotificationSettings,
        noon,
      ),
    ).toBe(true);
  });

  it('says nothing during quiet hours, not even for mentions, nor when chat notifications are off', () => {
    const lunchBreak = { ...defaultNotificationSettings, quietHours: quiet('11:30', '12:30') };
    expect(shouldNotifyOfMessage({ ...message, mentionsUser: true }, lunchBreak, noon)).toBe(false);
    expect(shouldNotifyOfMessage(message, lunchBreak, at('12:30'))).toBe(true);
    const off = { ...defaultNotificationSettings, chat: false };
    expect(shouldNotifyOfMessage({ ...message, mentionsUser: true }, off, noon)).toBe(false);
  });
});

describe('what a notification says', () => {
  const base: ChatNotification = {
    conversationId: '0195f1a0-0000-7000-8000-000000000001',
    messageId: '0195f1a0-0000-7000-8000-000000000002',
    conversationKind: 'group',
    conversationTitle: 'Projekt Halle 3',
    senderName: 'Lena Weber',
    preview: 'Die Pläne sind da',
    fileCount: 0,
    mentionsUser: false,
  };

  it('names the sender and where, then the text, in the user’s language', () => {
    expect(notificationText(base, 'de')).toEqual({
      title: 'Lena Weber in Projekt Halle 3',
      body: 'Die Pläne sind da',
    });
    expect(notificationText({ ...base, conversationKind: 'direct', conversationTitle: null }, 'en')).toEqual({
      title: 'Lena Weber',
      body: 'Die Pläne sind da',
    });
  });

  it('counts files after the text, or alone when there is no text', () => {
    expect(notificationText({ ...base, fileCount: 2 }, 'en').body).toBe('Die Pläne sind da\n📎 2 files');
    expect(notificationText({ ...base, preview: '', fileCount: 1 }, 'de').body).toBe('📎 Eine Datei');
  });

  it('keeps the text private when previews are off', () => {
    const hidden = { ...base, preview: null, fileCount: 3 };
    expect(notificationText(hidden, 'en')).toEqual({
      title: 'Lena Weber in Projekt Halle 3',
      body: 'New message',
    });
    expect(notificationText({ ...hidden, mentionsUser: true }, 'de').body).toBe('hat Sie erwähnt');
  });
});

describe('tray', () => {
  it('names the app as the company calls it, with the unread messages when there are any', () => {
    expect(trayTooltip('Acme Funk', 0, 'en')).toBe('Acme Funk');
    expect(trayTooltip('Acme Funk', 1, 'de')).toBe('Acme Funk – Eine ungelesene Nachricht');
    expect(trayTooltip('Acme Funk', 12, 'en')).toBe('Acme Funk – 12 unread messages');
    expect(trayMenuText('de')).toEqual({ open: 'Öffnen', quit: 'Beenden' });
    expect(trayMenuText('en')).toEqual({ open: 'Open', quit: 'Quit' });
  });
});

describe('important posts', () => {
  const post = { ownPost: false, important: true, following: true, confirmed: false };
  const at = new Date(2026, 10, 27, 10, 0);

  it('notify of someone else’s important post in a followed channel, not yet confirmed', () => {
    expect(shouldNotifyOfPost(post, defaultNotificationSettings, at)).toBe(true);
    expect(shouldNotifyOfPost({ ...post, important: false }, defaultNotificationSettings, at)).toBe(false);
    expect(shouldNotifyOfPost({ ...post, ownPost: true }, defaultNotificationSettings, at)).toBe(false);
    expect(shouldNotifyOfPost({ ...post, following: false }, defaultNotificationSettings, at)).toBe(false);
    expect(shouldNotifyOfPost({ ...post, confirmed: true }, defaultNotificationSettings, at)).toBe(false);
  });

  it('keep the switch and the quiet hours', () => {
    expect(shouldNotifyOfPost(post, { ...defaultNotificationSettings, importantPosts: false }, at)).toBe(
      false,
    );
    const quiet = {
      ...defaultNotificationSettings,
      quietHours: { enabled: true, from: '09:00', to: '11:00' },
    };
    expect(shouldNotifyOfPost(post, quiet, at)).toBe(false);
  });

  it('word the notification in the user’s language, asking to confirm when the text stays private', () => {
    const notification = {
      postId: '01900000-0000-7000-8000-000000000001',
      channelName: 'Standort Werk Gütersloh',
      authorName: 'Jonas Becker',
      title: 'Brandschutzübung',
      preview: 'Alle um 10 Uhr am Sammelplatz.',
    };
    expect(feedNotificationText(notification, 'de')).toEqual({
      title: 'Wichtig: Brandschutzübung',
      body: 'Jonas Becker in Standort Werk Gütersloh\nAlle um 10 Uhr am Sammelplatz.',
    });
    expect(feedNotificationText({ ...notification, preview: null }, 'en')).toEqual({
      title: 'Important: Brandschutzübung',
      body: 'Jonas Becker in Standort Werk Gütersloh\nPlease read and confirm.',
    });
  });
});
