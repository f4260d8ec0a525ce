import { localDate } from '@/ui/localDate.js';

/** An out-of-office note is over once its last day (`until`) lies before today. */
export function isStillAway(until: string | null, today: string = localDate()): boolean {
  return until === null || until >= today;
}

/** A calendar day (`YYYY-MM-DD`) in the user's language: "14 March 2027", "14. März 2027". */
export function formatCalendarDay(isoDate: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

/** A birthday (`MM-DD`) without a year, in the user's language: "March 14", "14. März". */
export function formatMonthDay(monthDay: string, locale: string): string {
  const month = Number(monthDay.slice(0, 2));
  const day = Number(monthDay.slice(3, 5));
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    Date.UTC(2000, month - 1, day),
  );
}
