import type { PostView } from '@flurfunk/protocol';
import { calendarFile, calendarFileName } from './ics.js';

/** Saves a post's event as an .ics file; Electron asks where (see electron/main/guards.ts). */
export function downloadCalendarEntry(post: PostView): void {
  if (post.event === null) return;
  const file = calendarFile({
    uid: `${post.id}@flurfunk`,
    title: post.title,
    description: post.body,
    place: post.event.place,
    startsAt: post.event.startsAt,
    endsAt: post.event.endsAt,
    stampedAt: new Date(),
  });
  const url = URL.createObjectURL(new Blob([file], { type: 'text/calendar;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = calendarFileName(post.title);
  link.click();
  // The click has handed the file over; the URL may go once the current task is done.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
