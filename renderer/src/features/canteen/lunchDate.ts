import type { ConversationSummary, OpeningHours } from '@flurfunk/protocol';

const slotMinutes = 15;

/** The times one can meet for lunch on a weekday: every quarter hour the canteen is open. */
export function lunchTimes(hours: readonly OpeningHours[]): string[] {
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
  const times: string[] = [];
  for (const { opens, closes } of hours) {
    for (let at = minutes(opens); at + slotMinutes <= minutes(closes); at += slotMinutes) {
      times.push(`${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}`);
    }
  }
  return times;
}

/** The group of exactly these people (and the user), if there is one already: it is reused. */
export function groupOf(
  conversations: readonly ConversationSummary[],
  userId: string,
  memberIds: readonly string[],
): ConversationSummary | null {
  const wanted = new Set([userId, ...memberIds]);
  return (
    conversations.find(
      (conversation) =>
        conversation.kind === 'group' &&
        conversation.memberIds.length === wanted.size &&
        conversation.memberIds.every((id) => wanted.has(id)),
    ) ?? null
  );
}
