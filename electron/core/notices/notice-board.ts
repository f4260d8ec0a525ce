import { randomUUID } from 'node:crypto';
import type { ActiveNotice, Notice } from '@flurfunk/protocol';

/**
 * The notices the user has not dismissed yet. They are state, not fire-and-forget events: one
 * raised while no window exists (a cache rebuilt at start) is still there when a window asks.
 * Every change hands the whole list to `onChange`.
 */
export class NoticeBoard {
  private notices: ActiveNotice[] = [];

  constructor(private readonly onChange: (notices: ActiveNotice[]) => void) {}

  list(): ActiveNotice[] {
    return [...this.notices];
  }

  /** Adds a notice; an undismissed one saying the same is replaced, so it shows once, as the newest. */
  raise(notice: Notice): void {
    const key = sameness(notice);
    this.notices = [
      ...this.notices.filter((active) => sameness(active.notice) !== key),
      { id: randomUUID(), raisedAt: new Date().toISOString(), notice },
    ];
    this.onChange(this.list());
  }

  /** Removes a notice; an unknown id (dismissed in another window already) changes nothing. */
  dismiss(id: string): ActiveNotice[] {
    this.replace(this.notices.filter((active) => active.id !== id));
    return this.list();
  }

  /**
   * Removes every notice and raises `fresh` instead: at sign-out, what the previous user was told
   * is not for whoever uses the computer next.
   */
  reset(...fresh: Notice[]): void {
    if (this.notices.length === 0 && fresh.length === 0) return;
    const raisedAt = new Date().toISOString();
    this.notices = fresh.map((notice) => ({ id: randomUUID(), raisedAt, notice }));
    this.onChange(this.list());
  }

  /** Removes every notice with this code (one that no longer applies). */
  clear(code: Notice['code']): void {
    this.replace(this.notices.filter((active) => active.notice.code !== code));
  }

  private replace(notices: ActiveNotice[]): void {
    if (notices.length === this.notices.length) return;
    this.notices = notices;
    this.onChange(this.list());
  }
}

/** Notices with the same code and details say the same thing. */
function sameness(notice: Notice): string {
  return JSON.stringify(Object.entries(notice).sort(([a], [b]) => (a < b ? -1 : 1)));
}
