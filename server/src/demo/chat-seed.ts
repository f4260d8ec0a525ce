import { type ScopeKey, companyScope, scopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { type EntityChange, recordChanges } from '../sync/change-log.js';
import type { DemoCompany } from './generate.js';
import { Prng } from './prng.js';

const seed = 0x43686174; // "Chat"

interface DemoConversation {
  id: string;
  kind: 'direct' | 'group' | 'channel';
  title: string;
  audience: ScopeKey;
  readOnly: boolean;
  members: { personId: string; role: 'member' | 'admin' }[];
  messages: DemoMessage[];
}

interface DemoMessage {
  authorId: string;
  body: string;
  /** The earlier message of the same conversation this one answers, by its place in the list. */
  replyTo?: number;
  reactions?: { emoji: string; by: string[] }[];
}

/**
 * The demo company's conversations: a company-wide channel, read-only announcements, a channel
 * per location and per division (following the org chart), one for the editors, and a group
 * and a direct chat of the demo accounts, so every scope kind has something in it; the group
 * and the direct chat have replies and reactions.
 */
export function generateDemoChats(company: DemoCompany): DemoConversation[] {
  const random = new Prng(seed);
  const byUsername = (username: string) => {
    const found = company.people.find(({ person }) => person.username === username);
    if (!found) throw new Error(`the demo company has no ${username}`);
    return found.person.id;
  };
  const lena = byUsername('lena.weber');
  const jonas = byUsername('jonas.becker');
  const petra = byUsername('petra.koch');
  const admin = byUsername('admin');
  const root = company.orgUnits.find((unit) => unit.parentId === null);
  const divisions = company.orgUnits.filter((unit) => root && unit.parentId === root.id);
  const channel = (title: string, audience: ScopeKey, messages: DemoConversation['messages'] = []) => ({
    id: random.uuid(),
    kind: 'channel' as const,
    title,
    audience,
    readOnly: false,
    members: [],
    messages,
  });
  const group = (
    kind: 'direct' | 'group',
    title: string,
    members: DemoConversation['members'],
    messages: DemoConversation['messages'],
  ) => {
    const id = random.uuid();
    return { id, kind, title, audience: scopeKey('chat', id), readOnly: false, members, messages };
  };

  return [
    channel('Allgemein', companyScope, [
      { authorId: jonas, body: 'Willkommen bei Flurfunk! Hier ist Platz für alles, was alle angeht.' },
      { authorId: petra, body: 'Ab Montag gibt es in der Kantine wieder die Salatbar.' },
    ]),
    {
      ...channel('Ankündigungen', companyScope, [
        {
          authorId: jonas,
          body: 'Zur Betriebsversammlung in Halle 2: Termin und Zusage im Newsfeed unter „Unternehmen“.',
        },
      ]),
      readOnly: true,
      members: [
        { personId: jonas, role: 'admin' as const },
        { personId: admin, role: 'admin' as const },
      ],
    },
    ...company.locations.map((location) =>
      channel(`Standort ${location.name}`, scopeKey('location', location.id)),
    ),
    ...divisions.map((unit) => channel(`Bereich ${unit.name}`, scopeKey('orgUnitTree', unit.id))),
    channel('Redaktion', scopeKey('role', 'editor'), [
      { authorId: jonas, body: 'Themenplanung für den Januar-Newsletter: Vorschläge bitte bis Freitag.' },
    ]),
    group(
      'group',
      'Sommerfest-Orga',
      [
        { personId: jonas, role: 'admin' },
        { personId: lena, role: 'member' },
        { personId: petra, role: 'member' },
      ],
      [
        { authorId: jonas, body: 'Wer kümmert sich um den Grill?' },
        {
          authorId: lena,
          body: 'Die Werkstatt baut wieder die Bühne auf.',
          reactions: [{ emoji: '👍', by: [jonas, petra] }],
        },
        {
          authorId: petra,
          body: 'Die Kantine übernimmt Salate und Kuchen.',
          reactions: [
            { emoji: '🎉', by: [jonas] },
            { emoji: '😋', by: [lena, jonas] },
          ],
        },
        { authorId: lena, body: 'Den Grill kann mein Kollege aus der Montage übernehmen.', replyTo: 0 },
      ],
    ),
    group(
      'direct',
      '',
      [
        { personId: lena, role: 'member' },
        { personId: jonas, role: 'member' },
      ],
      [
        { authorId: jonas, body: 'Hast du ein Foto von der neuen Fräsmaschine für den Newsletter?' },
        {
          authorId: lena,
          body: 'Klar, ich schicke dir nachher eins.',
          replyTo: 0,
          reactions: [{ emoji: '🙏', by: [jonas] }],
        },
      ],
    ),
  ];
}

/** Inserts the demo conversations and records them in the change log. */
export async function insertDemoChats(tx: Queryable, company: DemoCompany): Promise<void> {
  const conversations = generateDemoChats(company);
  const random = new Prng(seed + 1);
  const changes: EntityChange[] = [];
  // Messages an hour apart, ending now, in the order they are listed.
  const messageCount = conversations.reduce((sum, c) => sum + c.messages.length, 0);
  let minutesAgo = messageCount * 60;
  for (const c of conversations) {
    const pair =
      c.kind === 'direct'
        ? c.members
            .map((m) => m.personId)
            .sort()
            .join(':')
        : null;
    await tx.query(
      `INSERT INTO conversations (id, kind, title, audience, read_only, direct_pair) VALUES ($1, $2, $3, $4, $5, $6)`,
      [c.id, c.kind, c.title, c.audience, c.readOnly, pair],
    );
    for (const member of c.members) {
      await tx.query(
        // Members since before the seeded history: their reading of it shows in read receipts.
        `INSERT INTO conversation_members (conversation_id, person_id, role, added_at)
         VALUES ($1, $2, $3, now() - make_interval(mins => $4))`,
        [c.id, member.personId, member.role, messageCount * 60 + 60],
      );
    }
    changes.push({ entityType: 'conversation', entityId: c.id, op: 'upsert', scope: c.audience });
    const ids: string[] = [];
    for (const message of c.messages) {
      const id = random.uuid();
      ids.push(id);
      const replyToId = message.replyTo === undefined ? null : ids[message.replyTo];
      await tx.query(
        `INSERT INTO messages (id, conversation_id, author_id, body, reply_to_id, created_at)
         VALUES ($1, $2, $3, $4, $5, now() - make_interval(mins => $6))`,
        [id, c.id, message.authorId, message.body, replyToId, minutesAgo],
      );
      // Reactions come a few minutes after the message, in the order listed.
      let reacted = 0;
      for (const { emoji, by } of message.reactions ?? []) {
        for (const personId of by) {
          reacted += 1;
          await tx.query(
            `INSERT INTO message_reactions (message_id, person_id, emoji, created_at)
             VALUES ($1, $2, $3, now() - make_interval(mins => $4))`,
            [id, personId, emoji, minutesAgo - reacted],
          );
        }
      }
      minutesAgo -= 60;
      changes.push({ entityType: 'message', entityId: id, op: 'upsert', scope: c.audience });
    }
  }
  await recordChanges(tx, changes);
}
