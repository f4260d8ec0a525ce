/**
 * Chat traffic for the benchmarks: short messages as colleagues write them, spread over a few
 * hundred conversations and three years, oldest first. Seeded, so every run and machine gets the
 * same messages.
 */
import { v7 as uuidv7 } from 'uuid';
import type { ChatMessage, Conversation } from '@flurfunk/protocol';
import { Prng } from '../../server/src/demo/prng.js';
import { serverTimestamp } from '../feed/feed-data.js';

const seed = 0x43686174; // "Chat"
const hourMs = 3_600_000;

const openers = [
  'Hallo zusammen,',
  'Moin,',
  'Kurze Frage:',
  'Zur Info:',
  'Danke!',
  'Guten Morgen,',
  'Achtung:',
];
const sentences = [
  'die Lieferung für Halle 3 kommt erst morgen früh.',
  'kann jemand die Frühschicht am Montag übernehmen?',
  'das Angebot von Müller & Söhne liegt im Ordner Einkauf.',
  'die Besprechung verschiebt sich auf 14 Uhr.',
  'Presse 3 steht wieder, die Wartung ist durch.',
  'bitte denkt an die Unterweisung zur Schutzbrille.',
  'der Kunde hat die Zeichnung freigegeben.',
  'wer hat den Schlüssel für den Besprechungsraum Weiß?',
  'die Kantine hat heute länger offen.',
  'ich bin ab Mittwoch im Urlaub, Vertretung macht Jonas.',
  'Prüfbericht ist hochgeladen, bitte kurz gegenlesen.',
  'der Lkw steht an Tor 2 und wartet auf die Papiere.',
  'Termin mit der Qualitätssicherung ist bestätigt.',
  'die neue Software für die Zeiterfassung kommt im März.',
  'Materialengpass bei den Dichtungen, Einkauf ist dran.',
  'Glückwunsch zur bestandenen Prüfung!',
  'Fräszentrum 2 braucht neue Werkzeuge, Liste folgt.',
  'das Sommerfest findet bei jedem Wetter statt.',
];
const rare = ['Zeppelinstraße', 'Wärmepumpenförderung', 'Quartalsabschlussbesprechung'];

export interface BenchChat {
  conversations: Conversation[];
  messages: ChatMessage[];
  authorIds: string[];
}

/** `count` messages in `conversationCount` conversations (the first gets a tenth of all of them). */
export function generateBenchChat(options: {
  count: number;
  conversationCount: number;
  now: number;
}): BenchChat {
  const random = new Prng(seed);
  const uuidAt = (msecs: number) =>
    uuidv7({ msecs, random: Uint8Array.from({ length: 16 }, () => random.int(0, 255)) });
  const start = options.now - 3 * 365 * 24 * hourMs;
  const authorIds = Array.from({ length: 50 }, (_, i) => uuidAt(start - 1000 + i));
  const conversations: Conversation[] = Array.from({ length: options.conversationCount }, (_, i) => {
    const id = uuidAt(start + i);
    return {
      id,
      kind: 'group',
      title: `Projekt ${i + 1}`,
      audience: `chat:${id}`,
      memberIds: authorIds.slice(0, 8),
      adminIds: authorIds.slice(0, 1),
      readOnly: false,
      picture: null,
      createdAt: serverTimestamp(start + i),
    };
  });
  const span = options.now - hourMs - start;
  const messages: ChatMessage[] = [];
  for (let i = 0; i < options.count; i++) {
    const at = Math.floor(start + ((i + 1) / options.count) * span);
    const conversation =
      random.next() < 0.1 ? conversations[0] : conversations[random.int(0, conversations.length - 1)];
    const parts = [random.pick(openers), random.pick(sentences)];
    if (random.next() < 0.3) parts.push(random.pick(sentences));
    if (random.next() < 0.0005) parts.push(random.pick(rare));
    messages.push({
      id: uuidAt(at),
      conversationId: conversation!.id,
      authorId: random.pick(authorIds),
      body: parts.join(' '),
      replyToId: null,
      forwarded: false,
      attachments: [],
      reactions: [],
      createdAt: serverTimestamp(at),
      editedAt: null,
      deletedAt: null,
    });
  }
  return { conversations, messages, authorIds };
}
