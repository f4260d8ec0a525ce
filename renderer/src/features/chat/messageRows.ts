import type { MessageView } from '@flurfunk/protocol';

/** Consecutive messages of one author within this time read as one block, under one name. */
const groupWithinMs = 5 * 60_000;

export type MessageRowModel =
  | { kind: 'day'; key: string; date: Date }
  | { kind: 'divider'; key: string }
  | { kind: 'message'; key: string; message: MessageView; continued: boolean };

const dayOf = (message: MessageView) => new Date(message.createdAt).toDateString();

/**
 * The rows of a message list: each day under its date, a "new messages" divider after the last
 * message read (when others wrote after it), and messages that continue their author's block.
 */
export function buildMessageRows(
  messages: readonly MessageView[],
  dividerAfterId: string | null,
  userId: string | null,
): MessageRowModel[] {
  const rows: MessageRowModel[] = [];
  const dividerAt = dividerAfterId === null ? -1 : messages.findIndex((m) => m.id === dividerAfterId);
  const othersAfter = dividerAt !== -1 && messages.slice(dividerAt + 1).some((m) => m.authorId !== userId);
  let previous: MessageView | undefined;
  messages.forEach((message, index) => {
    const newDay = !previous || dayOf(previous) !== dayOf(message);
    if (newDay) rows.push({ kind: 'day', key: `day-${dayOf(message)}`, date: new Date(message.createdAt) });
    const divided = othersAfter && index === dividerAt + 1;
    if (divided) rows.push({ kind: 'divider', key: 'divider' });
    const continued =
      !newDay &&
      !divided &&
      previous !== undefined &&
      previous.authorId === message.authorId &&
      previous.deletedAt === null &&
      Date.parse(message.createdAt) - Date.parse(previous.createdAt) < groupWithinMs;
    rows.push({ kind: 'message', key: message.id, message, continued });
    previous = message;
  });
  return rows;
}
