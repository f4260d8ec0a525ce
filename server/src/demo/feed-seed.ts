import { type Attendance, type Reaction, type ScopeKey, companyScope, scopeKey } from '@flurfunk/protocol';
import type { Queryable } from '../db/database.js';
import { commentChanges, postChanges, statsChanges } from '../feed/changes.js';
import { type EntityChange, recordChanges } from '../sync/change-log.js';
import { userScope } from '../sync/scopes.js';
import type { DemoCompany } from './generate.js';
import { Prng } from './prng.js';

const seed = 0x46656564; // "Feed"

interface DemoChannel {
  id: string;
  name: string;
  description: string;
  audience: ScopeKey;
  mandatory: boolean;
}

/**
 * An appointment a demo post announces, a few weeks after the demo is seeded: on the day
 * `daysAhead` days after the seed's, local times in the company's time zone.
 */
interface DemoEvent {
  daysAhead: number;
  /** `HH:MM`. */
  startsAt: string;
  endsAt: string | null;
  place: string;
}

/** The demo company's clocks: its events are given in local time. */
export const demoTimeZone = 'Europe/Berlin';

interface DemoPost {
  id: string;
  channelId: string;
  authorId: string;
  title: string;
  body: string;
  requiresConfirmation: boolean;
  pinned: boolean;
  /** How long ago it was published. */
  hoursAgo: number;
  event: DemoEvent | null;
}

interface DemoPostState {
  postId: string;
  personId: string;
  /** Minutes after the post was published. */
  seenAfter: number;
  confirmedAfter: number | null;
  reaction: Reaction | null;
  attendance: Attendance | null;
}

interface DemoComment {
  id: string;
  postId: string;
  parentId: string | null;
  authorId: string;
  body: string;
  /** Minutes after the post was published. */
  after: number;
}

interface DemoPoll {
  postId: string;
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  /** Days after today the poll closes. */
  closesInDays: number;
}

interface DemoVote {
  postId: string;
  personId: string;
  option: number;
}

export interface DemoFeed {
  channels: DemoChannel[];
  posts: DemoPost[];
  states: DemoPostState[];
  comments: DemoComment[];
  polls: DemoPoll[];
  votes: DemoVote[];
}

const welcome = `## Willkommen im Newsfeed!

Ab heute finden Sie hier alles, was bei **Brenner Maschinenbau** wichtig ist – am Schreibtisch, in der Werkstatt und unterwegs.

### Was Sie hier erwartet

- **Neuigkeiten** aus Geschäftsführung, Standorten und Bereichen
- **Wichtige Hinweise**, die Sie mit „Gelesen“ bestätigen
- Termine, Aktionen und der Speiseplan der Kantine

Fragen und Ideen nimmt die Interne Kommunikation gern entgegen. Mehr über Flurfunk lesen Sie auf [www.example.com](https://www.example.com).`;

const safetyBriefing = `## Sicherheitsunterweisung: Gehörschutz und Schutzbrille in Halle 2

Mit der neuen Fräsmaschine gelten in **Halle 2** ab Montag erweiterte Schutzregeln:

1. **Gehörschutz** ist im gesamten Maschinenbereich Pflicht, auch bei kurzen Wegen.
2. Die **Schutzbrille** wird an allen Bearbeitungszentren getragen – ohne Ausnahme.
3. Späne werden nur mit Haken oder Besen entfernt, **niemals mit der Hand**.

Die Unterweisung ist gesetzlich vorgeschrieben. Bitte bestätigen Sie unten, dass Sie sie gelesen haben. Die ausführliche Betriebsanweisung finden Sie unter [www.example.com/sicherheit](https://www.example.com/sicherheit).`;

const summerParty = `## Sommerfest am 4. Juli

Wir feiern gemeinsam – mit Familien, Grill und Livemusik auf dem Werksgelände in Gütersloh.

- **Beginn:** 15 Uhr, Ende gegen 22 Uhr
- **Für Kinder:** Hüpfburg, Werksführung und Kinderschminken
- **Anreise:** Shuttlebus ab der Hauptverwaltung um 14:15 Uhr

Bitte melden Sie sich bis zum **20. Juni** an, damit die Kantine richtig planen kann.`;

const saladBar = `## Kantine: Die Salatbar ist zurück

Ab Montag gibt es in der Kantine wieder die **Salatbar** mit wechselnden Dressings, dazu jeden Mittwoch ein *vegetarisches Aktionsgericht*.

Die Öffnungszeiten bleiben: **11:15 bis 13:30 Uhr**.`;

const millingMachine = `## Neue 5-Achs-Fräsmaschine in Betrieb

Seit dieser Woche läuft in Halle 2 unser neues **5-Achs-Bearbeitungszentrum**. Damit fertigen wir komplexe Gehäuseteile in einer Aufspannung.

- Schulungen für alle Zerspaner laufen bis Ende des Monats
- Ansprechpartner ist die Arbeitsvorbereitung

Danke an alle, die beim Aufbau mit angepackt haben!`;

const assembly = `## Betriebsversammlung

Geschäftsführung und Betriebsrat laden alle Beschäftigten herzlich zur **Betriebsversammlung** ein.

### Tagesordnung

1. Bericht der Geschäftsführung: das Geschäftsjahr und der Ausblick
2. Bericht des Betriebsrats
3. Neues aus Arbeitssicherheit und Gesundheitsschutz
4. Ihre Fragen

Die Teilnahme gilt als Arbeitszeit. Für die Kolleginnen und Kollegen aus Bielefeld fährt eine Stunde vor Beginn ein **Shuttlebus** ab der Hauptverwaltung.

Bitte sagen Sie unten zu oder ab, damit wir Bestuhlung und Shuttle planen können.`;

const editorialPlan = `## Themenplanung Januar

Für den Januar-Newsletter sammeln wir Themen:

- Rückblick Sommerfest
- Neue Auszubildende stellen sich vor
- Interview mit der Qualitätssicherung

Vorschläge bitte bis **Freitag** hier als Kommentar oder direkt an die Redaktion.`;

/**
 * The demo company's newsfeed: a mandatory company channel, a channel per location and per
 * division (following the org chart), one for the editors, and posts by the editor Jonas Becker:
 * a pinned welcome, a safety briefing for the plant that asks for read confirmations, a summer
 * party the plant reacted to, a canteen notice, and a staff meeting a few weeks ahead that people
 * all over the company answered. Identical on every installation.
 */
export function generateDemoFeed(company: DemoCompany): DemoFeed {
  const random = new Prng(seed);
  const byUsername = (username: string) => {
    const found = company.people.find(({ person }) => person.username === username);
    if (!found) throw new Error(`the demo company has no ${username}`);
    return found.person;
  };
  const jonas = byUsername('jonas.becker').id;
  const lena = byUsername('lena.weber');
  const root = company.orgUnits.find((unit) => unit.parentId === null);
  const divisions = company.orgUnits.filter((unit) => root && unit.parentId === root.id);
  const channel = (name: string, description: string, audience: ScopeKey, mandatory: boolean) => ({
    id: random.uuid(),
    name,
    description,
    audience,
    mandatory,
  });

  const everyone = channel(
    'Unternehmen',
    'Neuigkeiten für alle bei Brenner Maschinenbau',
    companyScope,
    true,
  );
  const locations = company.locations.map((location) => ({
    location,
    channel: channel(
      `Standort ${location.name}`,
      `Alles rund um den Standort ${location.name}`,
      scopeKey('location', location.id),
      true,
    ),
  }));
  const divisionChannels = divisions.map((unit) => ({
    unit,
    channel: channel(
      `Bereich ${unit.name}`,
      `Neuigkeiten aus dem Bereich ${unit.name}`,
      scopeKey('orgUnitTree', unit.id),
      false,
    ),
  }));
  const editors = channel(
    'Redaktion',
    'Planung der Internen Kommunikation',
    scopeKey('role', 'editor'),
    false,
  );
  const plant = locations.find(({ location }) => location.id === lena.locationId)?.channel;
  const production = divisionChannels.find(({ unit }) => unit.name === 'Produktion')?.channel;
  if (!plant || !production) throw new Error('the demo company has no plant or production');

  const post = (
    channelId: string,
    title: string,
    body: string,
    hoursAgo: number,
    options: { requiresConfirmation?: boolean; pinned?: boolean; event?: DemoEvent } = {},
  ): DemoPost => ({
    id: random.uuid(),
    channelId,
    authorId: jonas,
    title,
    body,
    requiresConfirmation: options.requiresConfirmation ?? false,
    pinned: options.pinned ?? false,
    hoursAgo,
    event: options.event ?? null,
  });
  const posts = [
    post(everyone.id, 'Willkommen im Newsfeed', welcome, 72, { pinned: true }),
    post(plant.id, 'Sicherheitsunterweisung Halle 2', safetyBriefing, 26, { requiresConfirmation: true }),
    post(everyone.id, 'Sommerfest am 4. Juli', summerParty, 20),
    post(plant.id, 'Die Salatbar ist zurück', saladBar, 6),
    post(production.id, 'Neue 5-Achs-Fräsmaschine in Betrieb', millingMachine, 4),
    post(editors.id, 'Themenplanung Januar', editorialPlan, 2),
  ];

  // Some of the plant read the briefing and confirmed it; Lena has not yet.
  const briefing = posts[1]!;
  const plantPeople = company.people
    .map(({ person }) => person)
    .filter(
      (person) => person.locationId === lena.locationId && person.id !== lena.id && person.id !== jonas,
    );
  const states: DemoPostState[] = [];
  for (const person of plantPeople) {
    if (random.next() >= 0.3) continue;
    const seenAfter = random.int(5, 600);
    states.push({
      postId: briefing.id,
      personId: person.id,
      seenAfter,
      confirmedAfter: random.next() < 0.6 ? seenAfter + random.int(1, 30) : null,
      reaction: null,
      attendance: null,
    });
  }

  // The plant looks forward to the summer party: some of it reacted, most with a like.
  const summer = posts[2]!;
  const cheers: readonly Reaction[] = ['like', 'like', 'like', 'celebrate', 'love'];
  for (const person of plantPeople) {
    if (random.next() >= 0.25) continue;
    states.push({
      postId: summer.id,
      personId: person.id,
      seenAfter: random.int(5, 900),
      confirmedAfter: null,
      reaction: random.pick(cheers),
      attendance: null,
    });
  }

  // Drawn after all of the above, so that their ids and states stay as they were.
  // The staff meeting in three weeks: people all over the company answered, most of them yes.
  const meeting = post(everyone.id, 'Betriebsversammlung', assembly, 24, {
    event: { daysAhead: 21, startsAt: '10:00', endsAt: '12:00', place: 'Halle 2, Werk Gütersloh' },
  });
  posts.push(meeting);
  const answers: readonly Attendance[] = ['yes', 'yes', 'yes', 'maybe', 'no'];
  for (const { person } of company.people) {
    if (person.id === lena.id || person.id === jonas) continue;
    if (random.next() >= 0.2) continue;
    states.push({
      postId: meeting.id,
      personId: person.id,
      seenAfter: random.int(5, 600),
      confirmedAfter: null,
      reaction: null,
      attendance: random.pick(answers),
    });
  }

  // Drawn last, like the meeting: a few colleagues ask about the summer party, Jonas answers.
  const [first, second, third] = plantPeople.filter((_, i) => i % 7 === 3);
  const comments: DemoComment[] = [];
  const comment = (authorId: string, body: string, after: number, parentId: string | null = null) => {
    const added = { id: random.uuid(), postId: summer.id, parentId, authorId, body, after };
    comments.push(added);
    return added;
  };
  if (first && second && third) {
    const question = comment(first.id, 'Dürfen wir Partner und Kinder mitbringen?', 45);
    comment(
      jonas,
      'Ja, Familien sind herzlich willkommen! Für die Kinder gibt es eine Hüpfburg.',
      70,
      question.id,
    );
    comment(second.id, 'Super, ich freue mich schon! 🎉', 120);
    comment(third.id, 'Gibt es auch vegetarische Sachen vom Grill?', 200);
  }

  // Drawn last as well: the canteen asks the plant which theme week comes in December.
  const themeWeek = post(
    plant.id,
    'Aktionswoche im Dezember: Sie entscheiden!',
    'Die Kantine plant im Dezember eine Aktionswoche. Stimmen Sie bis Ende nächster Woche ab, welche es wird – die Abstimmung ist anonym.',
    3,
  );
  posts.push(themeWeek);
  const polls: DemoPoll[] = [
    {
      postId: themeWeek.id,
      question: 'Welche Aktionswoche wünschen Sie sich?',
      options: ['Grillwoche', 'Italienische Woche', 'Regionale Küche aus Ostwestfalen'],
      multiple: false,
      anonymous: true,
      closesInDays: 9,
    },
  ];
  const votes: DemoVote[] = [];
  for (const person of plantPeople) {
    if (random.next() >= 0.3) continue;
    votes.push({ postId: themeWeek.id, personId: person.id, option: random.pick([0, 1, 1, 2, 2, 2]) });
  }
  for (const vote of votes) {
    states.push({
      postId: vote.postId,
      personId: vote.personId,
      seenAfter: random.int(5, 170),
      confirmedAfter: null,
      reaction: null,
      attendance: null,
    });
  }

  return {
    comments,
    polls,
    votes,
    channels: [
      everyone,
      ...locations.map((l) => l.channel),
      ...divisionChannels.map((d) => d.channel),
      editors,
    ],
    posts,
    states,
  };
}

/** Inserts the demo newsfeed and records it in the change log. */
export async function insertDemoFeed(tx: Queryable, company: DemoCompany): Promise<void> {
  const { channels, posts, states, comments, polls, votes } = generateDemoFeed(company);
  const audiences = new Map(channels.map((c) => [c.id, c.audience]));
  const audienceOf = (channelId: string) => {
    const audience = audiences.get(channelId);
    if (!audience) throw new Error(`the demo feed has no channel ${channelId}`);
    return audience;
  };
  await tx.query(
    `INSERT INTO feed_channels (id, name, description, audience, mandatory, created_at)
     SELECT id, name, description, audience, mandatory, now() - interval '30 days'
       FROM json_to_recordset($1::json) AS x(id uuid, name text, description text, audience text, mandatory boolean)`,
    [JSON.stringify(channels)],
  );
  // An event's local times on the day `daysAhead` days after today's in the company's time zone.
  const localTime = (time: string) =>
    `(date_trunc('day', now() AT TIME ZONE $2) + make_interval(days => x."eventDaysAhead")
       + ${time}::interval) AT TIME ZONE $2`;
  await tx.query(
    `INSERT INTO posts (id, channel_id, author_id, title, body, requires_confirmation, pinned, published,
                        publish_at, created_at, event_starts_at, event_ends_at, event_place)
     SELECT id, "channelId", "authorId", title, body, "requiresConfirmation", pinned, true,
            now() - make_interval(hours => "hoursAgo"), now() - make_interval(hours => "hoursAgo"),
            ${localTime('x."eventStartsAt"')}, ${localTime('x."eventEndsAt"')}, coalesce(x."eventPlace", '')
       FROM json_to_recordset($1::json) AS x(id uuid, "channelId" uuid, "authorId" uuid, title text,
            body text, "requiresConfirmation" boolean, pinned boolean, "hoursAgo" int,
            "eventDaysAhead" int, "eventStartsAt" text, "eventEndsAt" text, "eventPlace" text)`,
    [
      JSON.stringify(
        posts.map(({ event, ...post }) => ({
          ...post,
          eventDaysAhead: event?.daysAhead ?? null,
          eventStartsAt: event?.startsAt ?? null,
          eventEndsAt: event?.endsAt ?? null,
          eventPlace: event?.place ?? null,
        })),
      ),
      demoTimeZone,
    ],
  );
  await tx.query(
    `INSERT INTO post_states (post_id, person_id, seen_at, confirmed_at, reaction, attendance)
     SELECT x."postId", x."personId", p.publish_at + make_interval(mins => x."seenAfter"),
            p.publish_at + make_interval(mins => x."confirmedAfter"), x.reaction, x.attendance
       FROM json_to_recordset($1::json)
            AS x("postId" uuid, "personId" uuid, "seenAfter" int, "confirmedAfter" int, reaction text,
                 attendance text)
       JOIN posts p ON p.id = x."postId"`,
    [JSON.stringify(states)],
  );
  await tx.query(
    `INSERT INTO post_comments (id, post_id, parent_id, author_id, body, created_at)
     SELECT x.id, x."postId", x."parentId", x."authorId", x.body, p.publish_at + make_interval(mins => x.after)
       FROM json_to_recordset($1::json)
            AS x(id uuid, "postId" uuid, "parentId" uuid, "authorId" uuid, body text, after int)
       JOIN posts p ON p.id = x."postId"
      ORDER BY x.after`,
    [JSON.stringify(comments)],
  );
  await tx.query(
    `INSERT INTO post_polls (post_id, question, options, multiple, anonymous, closes_at)
     SELECT x."postId", x.question, ARRAY(SELECT json_array_elements_text(x.options)), x.multiple,
            x.anonymous, date_trunc('day', now()) + make_interval(days => x."closesInDays")
       FROM json_to_recordset($1::json)
            AS x("postId" uuid, question text, options json, multiple boolean, anonymous boolean,
                 "closesInDays" int)`,
    [JSON.stringify(polls)],
  );
  await tx.query(
    `INSERT INTO poll_votes (post_id, person_id, option, voted_at)
     SELECT x."postId", x."personId", x.option, s.seen_at
       FROM json_to_recordset($1::json) AS x("postId" uuid, "personId" uuid, option smallint)
       JOIN post_states s ON s.post_id = x."postId" AND s.person_id = x."personId"`,
    [JSON.stringify(votes)],
  );
  const postOf = new Map(posts.map((p) => [p.id, p]));
  const changes: EntityChange[] = [
    ...channels.map((c) => ({
      entityType: 'feedChannel' as const,
      entityId: c.id,
      op: 'upsert' as const,
      scope: c.audience,
    })),
    ...posts.flatMap((p): EntityChange[] => {
      const row = { id: p.id, published: true, audience: audienceOf(p.channelId), author_id: p.authorId };
      return [
        ...postChanges(row),
        ...statsChanges(row),
        { entityType: 'postReach', entityId: p.id, op: 'upsert', scope: userScope(p.authorId) },
      ];
    }),
    ...states.map((s): EntityChange => ({
      entityType: 'postState',
      entityId: s.postId,
      op: 'upsert',
      scope: userScope(s.personId),
    })),
    ...comments.flatMap((c) => {
      const post = postOf.get(c.postId);
      if (!post) throw new Error(`the demo feed has no post ${c.postId}`);
      return commentChanges({ audience: audienceOf(post.channelId), author_id: post.authorId }, c.id);
    }),
  ];
  await recordChanges(tx, changes);
}
