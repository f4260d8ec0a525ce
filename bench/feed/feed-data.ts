/**
 * A company newsfeed of benchmark size, the same on every run: channels, posts in German Markdown
 * (a few hundred to a few thousand characters each, headings, lists, links) written over the last
 * years, some pinned, some asking for a read confirmation, and which of them the reader has seen.
 * The cache figures store it through sync changes; the paint figure inserts it on the server.
 */
import { v7 as uuidv7 } from 'uuid';
import { Prng } from '../../server/src/demo/prng.js';
import { sizeFromEnv } from '../harness.js';

export interface BenchChannel {
  id: string;
  name: string;
  description: string;
}

export interface BenchPost {
  id: string;
  channelId: string;
  title: string;
  body: string;
  pinned: boolean;
  requiresConfirmation: boolean;
  /** Server format (microseconds, UTC), so cache and server order posts alike. */
  publishAt: string;
}

export interface BenchFeed {
  channels: BenchChannel[];
  /** Oldest first, as the change log carries them. */
  posts: BenchPost[];
  /** The reader's seen marks (post id → when). */
  seen: Array<{ postId: string; seenAt: string }>;
}

/** `BENCH_FEED_POSTS` (10000) sets the size, e.g. for a quick run. */
export function benchFeedSize(): number {
  return sizeFromEnv('BENCH_FEED_POSTS', 10_000, 100);
}

const seed = 0x42656e63; // "Benc"
const hourMs = 3_600_000;

const channelNames: ReadonlyArray<[string, string]> = [
  ['Geschäftsführung', 'Nachrichten der Geschäftsführung an alle'],
  ['Arbeitssicherheit', 'Unterweisungen, Betriebsanweisungen und Hinweise zum Arbeitsschutz'],
  ['Kantine', 'Speiseplan, Aktionen und Öffnungszeiten'],
  ['Personal & Soziales', 'Urlaub, Entgelt, Sozialleistungen'],
  ['IT-Service', 'Störungen, Wartungsfenster und neue Software'],
  ['Betriebsrat', 'Informationen Ihres Betriebsrats'],
  ['Qualität', 'Audits, Reklamationen und Kennzahlen'],
  ['Produktion Halle 1', 'Schichtbetrieb und Neuigkeiten aus Halle 1'],
  ['Produktion Halle 2', 'Schichtbetrieb und Neuigkeiten aus Halle 2'],
  ['Logistik', 'Wareneingang, Versand und Lager'],
  ['Vertrieb', 'Aufträge, Messen und Kunden'],
  ['Einkauf', 'Lieferanten und Material'],
  ['Ausbildung', 'Auszubildende, Prüfungen und Praktika'],
  ['Nachhaltigkeit', 'Energie, Umwelt und Mobilität'],
  ['Gesundheit', 'Betriebliches Gesundheitsmanagement'],
  ['Veranstaltungen', 'Feste, Jubiläen und Termine'],
  ['Innovation', 'Ideenmanagement und neue Projekte'],
  ['Instandhaltung', 'Wartung, Stillstände und Ersatzteile'],
  ['Werkfeuerwehr', 'Übungen und Brandschutz'],
  ['Marketing', 'Messeauftritte, Broschüren und Presse'],
];

const places = ['Halle 1', 'Halle 2', 'Halle 3', 'Werk Gütersloh', 'Werk Bielefeld', 'der Hauptverwaltung'];
const machines = ['Presse 3', 'Fräszentrum 2', 'der Lackieranlage', 'Schweißroboter 4', 'der Stanzlinie'];
const months = [
  'Januar',
  'Februar',
  'März',
  'April',
  'Mai',
  'Juni',
  'Juli',
  'August',
  'September',
  'Oktober',
  'November',
  'Dezember',
];

/** Per topic: titles (with `{ort}`, `{maschine}`, `{monat}`, `{n}`) and sentences of its own. */
const topics: ReadonlyArray<{ titles: string[]; sentences: string[] }> = [
  {
    titles: [
      'Sicherheitsunterweisung {ort}',
      'Neue Betriebsanweisung für {maschine}',
      'Arbeitsschutz: Schutzbrille und Gehörschutz in {ort}',
      'Beinahe-Unfall an {maschine}: Was wir daraus lernen',
    ],
    sentences: [
      'Im gesamten Maschinenbereich ist Gehörschutz Pflicht, auch bei kurzen Wegen.',
      'Die Schutzbrille wird an allen Bearbeitungszentren getragen, ohne Ausnahme.',
      'Späne werden nur mit Haken oder Besen entfernt, niemals mit der Hand.',
      'Die Unterweisung ist gesetzlich vorgeschrieben; bitte bestätigen Sie, dass Sie sie gelesen haben.',
      'Fluchtwege und Feuerlöscher müssen jederzeit frei zugänglich bleiben.',
      'Melden Sie Beinahe-Unfälle bitte sofort Ihrer Schichtleitung, damit wir die Ursache prüfen können.',
      'Die Sicherheitsfachkraft prüft die Schutzeinrichtungen in den nächsten Wochen an jeder Anlage.',
    ],
  },
  {
    titles: [
      'Speiseplan der Kantine für den {monat}',
      'Kantine: Die Salatbar ist zurück',
      'Aktionswoche in der Kantine: Regional und saisonal',
      'Geänderte Öffnungszeiten der Kantine',
    ],
    sentences: [
      'Die Kantine hat von 11:15 bis 13:30 Uhr geöffnet.',
      'Jeden Mittwoch gibt es ein vegetarisches Aktionsgericht.',
      'Der Speiseplan hängt wie gewohnt am Eingang und steht in Flurfunk unter „Kantine“.',
      'Bezahlt wird weiterhin mit dem Mitarbeiterausweis an der Kasse.',
      'Unser Küchenteam freut sich über Rückmeldungen zu den neuen Gerichten.',
      'Für die Frühschicht gibt es ab 6 Uhr belegte Brötchen und Kaffee.',
    ],
  },
  {
    titles: [
      'Urlaubsplanung {monat}: Bitte Anträge rechtzeitig einreichen',
      'Neue Betriebsvereinbarung zur mobilen Arbeit',
      'Entgeltabrechnung: Änderungen ab {monat}',
      'Willkommen an Bord: {n} neue Kolleginnen und Kollegen',
    ],
    sentences: [
      'Urlaubsanträge stellen Sie bitte wie gewohnt über Ihre Führungskraft.',
      'Die Entgeltabrechnung steht ab dem 25. des Monats im Mitarbeiterportal bereit.',
      'Die Personalabteilung beantwortet Ihre Fragen gern persönlich oder per Telefon.',
      'Die Betriebsvereinbarung liegt im Personalbüro aus und ist im Intranet abrufbar.',
      'Neue Kolleginnen und Kollegen erhalten am ersten Tag eine Führung durch das Werk.',
      'Für Eltern gibt es in den Sommerferien wieder eine Ferienbetreuung auf dem Werksgelände.',
    ],
  },
  {
    titles: [
      'IT-Wartungsfenster am Wochenende',
      'Störung im Netzwerk von {ort} behoben',
      'Neue Passwortregeln ab {monat}',
      'Vorsicht vor Phishing-Mails',
    ],
    sentences: [
      'Während des Wartungsfensters sind E-Mail und ERP-System nicht erreichbar.',
      'Bitte melden Sie sich nach dem Update einmal ab und wieder an.',
      'Öffnen Sie keine Anhänge von unbekannten Absendern und melden Sie verdächtige Mails dem IT-Service.',
      'Der IT-Service ist werktags von 7 bis 18 Uhr unter der Durchwahl 444 erreichbar.',
      'Das neue Passwort muss mindestens zwölf Zeichen lang sein.',
      'Die Störung wurde durch einen defekten Switch verursacht und ist inzwischen behoben.',
    ],
  },
  {
    titles: [
      'Betriebsversammlung im {monat}',
      'Der Betriebsrat informiert: Schichtmodelle',
      'Sprechstunde des Betriebsrats in {ort}',
    ],
    sentences: [
      'Die Betriebsversammlung findet während der Arbeitszeit statt.',
      'Der Betriebsrat hat der neuen Schichtplanung nach intensiven Verhandlungen zugestimmt.',
      'Die Sprechstunde des Betriebsrats ist vertraulich; Sie müssen sich nicht anmelden.',
      'Fragen zur Betriebsvereinbarung beantwortet Ihnen der Betriebsrat gern.',
    ],
  },
  {
    titles: [
      'Zertifizierung bestanden: Audit in {ort}',
      'Qualitätskennzahlen {monat}',
      'Prüfplan für {maschine} überarbeitet',
      'Reklamation aus dem Vertrieb: Ursachen und Maßnahmen',
    ],
    sentences: [
      'Das Überwachungsaudit nach ISO 9001 wurde ohne Abweichungen bestanden.',
      'Die Ausschussquote ist im letzten Quartal deutlich gesunken.',
      'Bitte prüfen Sie die Prüfmittel vor jedem Schichtbeginn auf ihre Kalibrierung.',
      'Der überarbeitete Prüfplan gilt ab sofort für alle Serienteile.',
      'Die Erstmusterprüfung für den neuen Kunden ist erfolgreich abgeschlossen.',
      'Prüfberichte werden künftig digital abgelegt.',
    ],
  },
  {
    titles: [
      'Neue Maschine in Betrieb: {maschine}',
      'Schichtplan {monat} für {ort}',
      'Stillstand von {maschine} am Wochenende',
      'Rekordmonat in der Produktion',
    ],
    sentences: [
      'Schulungen für alle Zerspaner laufen bis Ende des Monats.',
      'Ansprechpartner ist die Arbeitsvorbereitung.',
      'Danke an alle, die beim Aufbau mit angepackt haben!',
      'Der Schichtplan hängt am schwarzen Brett und steht im Mitarbeiterportal.',
      'Während des Stillstands übernimmt die Instandhaltung die jährliche Wartung.',
      'Wir haben im letzten Monat so viele Teile gefertigt wie noch nie.',
    ],
  },
  {
    titles: [
      'Sommerfest am {n}. Juli',
      'Weihnachtsfeier in {ort}',
      'Firmenlauf: Jetzt anmelden',
      'Tag der offenen Tür im {monat}',
    ],
    sentences: [
      'Wir feiern gemeinsam mit Familien, Grill und Livemusik auf dem Werksgelände.',
      'Für Kinder gibt es eine Hüpfburg, Werksführungen und Kinderschminken.',
      'Ein Shuttlebus fährt ab der Hauptverwaltung um 14:15 Uhr.',
      'Bitte melden Sie sich bis zum 20. Juni an, damit die Kantine richtig planen kann.',
      'Die Anmeldung zum Firmenlauf ist bis Ende des Monats möglich; die Startgebühr übernimmt das Unternehmen.',
    ],
  },
  {
    titles: [
      'Energie sparen in {ort}',
      'Neue Ladesäulen auf dem Parkplatz',
      'Jobrad: So funktioniert das Dienstradleasing',
      'Photovoltaik auf dem Dach von {ort}',
    ],
    sentences: [
      'Bitte schalten Sie Druckluft und Beleuchtung nach Schichtende ab.',
      'Die neuen Ladesäulen stehen allen Beschäftigten zur Verfügung.',
      'Mit dem Dienstradleasing sparen Sie Steuern und tun etwas für Ihre Gesundheit.',
      'Die Photovoltaikanlage deckt an sonnigen Tagen einen großen Teil unseres Strombedarfs.',
    ],
  },
  {
    titles: [
      'Ausbildungsstart: Willkommen an unsere Azubis',
      'Abschlussprüfung bestanden!',
      'Girls’ Day in {ort}',
    ],
    sentences: [
      'Unsere Auszubildenden haben ihre Abschlussprüfung mit sehr guten Ergebnissen bestanden.',
      'Die Ausbildungswerkstatt öffnet ihre Türen für Schülerinnen und Schüler.',
      'Wer Interesse an einem Praktikum hat, meldet sich bitte in der Ausbildungsabteilung.',
      'Die Prüfungsvorbereitung findet in kleinen Gruppen statt.',
    ],
  },
];

/** Said in posts of any topic. */
const common = [
  'Liebe Kolleginnen und Kollegen,',
  'vielen Dank für Ihre Unterstützung in den letzten Wochen.',
  'Bitte informieren Sie auch Kolleginnen und Kollegen ohne eigenen Rechner.',
  'Bei Fragen wenden Sie sich bitte an Ihre Führungskraft.',
  'Weitere Informationen folgen in den nächsten Tagen hier im Newsfeed.',
  'Die Mitarbeitenden aller Standorte sind herzlich eingeladen.',
  'Wir halten Sie über die weiteren Schritte auf dem Laufenden.',
  'Das gilt für alle Schichten und alle Bereiche.',
  'Die Umsetzung erfolgt schrittweise bis zum Ende des Quartals.',
  'Ein herzliches Dankeschön an alle Beteiligten für die gute Zusammenarbeit.',
  'Die Unterlagen finden Sie im Intranet und am schwarzen Brett.',
  'Ansprechpartnerin ist die Interne Kommunikation.',
  'Die Mitarbeitenden in der Spätschicht erhalten die Informationen über ihre Schichtleitung.',
  'Nur gemeinsam erreichen wir unsere Ziele für dieses Jahr.',
];

/** In very few posts: what a reader searches for when they remember one old post. */
const rare = [
  'Die Wärmepumpe im Verwaltungsgebäude wird im Zuge der Sanierung ersetzt.',
  'Das Jubiläum des Standorts feiern wir mit einer Ausstellung historischer Werkzeugmaschinen.',
  'Der Zeppelinhangar neben dem Werksgelände wird abgerissen.',
];

const closings = [
  'Viele Grüße\nIhre Interne Kommunikation',
  'Herzliche Grüße\nIhre Geschäftsführung',
  'Ihr Betriebsrat',
  'Mit freundlichen Grüßen\nIhr Team der Arbeitssicherheit',
];

export function generateBenchFeed(options: { posts: number; now: number }): BenchFeed {
  const random = new Prng(seed);
  const uuidAt = (msecs: number) =>
    uuidv7({ msecs, random: Uint8Array.from({ length: 16 }, () => random.int(0, 255)) });
  const created = options.now - 3 * 365 * 24 * hourMs;
  const channels = channelNames.map(([name, description], i) => ({
    id: uuidAt(created + i),
    name,
    description,
  }));

  const fill = (template: string) =>
    template
      .replaceAll('{ort}', random.pick(places))
      .replaceAll('{maschine}', random.pick(machines))
      .replaceAll('{monat}', random.pick(months))
      .replaceAll('{n}', String(random.int(2, 28)));

  const body = (title: string, topic: (typeof topics)[number]): string => {
    // Mostly a few hundred to two thousand characters, now and then a long one (a works agreement).
    const target = random.next() < 0.1 ? random.int(2500, 6000) : random.int(250, 2000);
    const parts = [`## ${title}`];
    let length = parts[0]?.length ?? 0;
    const sentence = () => {
      const r = random.next();
      if (r < 0.0003) return random.pick(rare);
      return r < 0.6 ? random.pick(topic.sentences) : random.pick(common);
    };
    while (length < target) {
      const r = random.next();
      let part: string;
      if (r < 0.15) {
        part = Array.from(
          { length: random.int(2, 5) },
          () => `- **${random.pick(months)}:** ${sentence()}`,
        ).join('\n');
      } else if (r < 0.22) {
        part = Array.from({ length: random.int(2, 4) }, (_, i) => `${i + 1}. ${sentence()}`).join('\n');
      } else if (r < 0.27) {
        part = `### ${fill(random.pick(topic.titles))}`;
      } else if (r < 0.32) {
        part = `Mehr dazu lesen Sie unter [www.example.com](https://www.example.com/${random.int(1, 999)}).`;
      } else {
        part = Array.from({ length: random.int(2, 4) }, sentence)
          .join(' ')
          .replace(/ (Bitte|Die|Das|Der) /, (_, word: string) => ` **${word}** `);
      }
      parts.push(part);
      length += part.length + 2;
    }
    parts.push(random.pick(closings));
    return parts.join('\n\n');
  };

  // Oldest first, about evenly spread over three years up to an hour ago.
  const span = options.now - hourMs - created;
  const posts: BenchPost[] = [];
  for (let i = 0; i < options.posts; i++) {
    const at = Math.floor(created + ((i + 1) / options.posts) * span) - random.int(0, 3_600_000);
    const topic = random.pick(topics);
    const title = fill(random.pick(topic.titles));
    const channel = channels[(topics.indexOf(topic) * 2 + random.int(0, 1)) % channels.length];
    posts.push({
      id: uuidAt(at),
      channelId: channel?.id ?? '',
      title,
      body: body(title, topic),
      pinned: random.next() < 0.003,
      requiresConfirmation: random.next() < 0.05,
      publishAt: serverTimestamp(at),
    });
  }

  // Readers have seen most older posts, few of the newest ones.
  const seen: BenchFeed['seen'] = [];
  posts.forEach((post, i) => {
    const recent = i >= posts.length - 200;
    if (random.next() < (recent ? 0.1 : 0.8))
      seen.push({
        postId: post.id,
        seenAt: serverTimestamp(Math.min(options.now, Date.parse(post.publishAt) + hourMs)),
      });
  });
  return { channels, posts, seen };
}

/** `2026-01-02T03:04:05.678000Z`: the server's timestamps (microseconds), see server/src/db/sql.ts. */
export function serverTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}
