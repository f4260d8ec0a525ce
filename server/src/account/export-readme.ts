/** `README.txt` of a data export, German first, then English. */
export function exportReadme(username: string, exportedAt: string): string {
  return `Flurfunk – Datenauskunft / data export
${username}, ${exportedAt}

DEUTSCH

Dieses Archiv enthält alle Daten, die der Flurfunk-Server Ihres Unternehmens über Sie
gespeichert hat (Auskunft nach Art. 15 DSGVO, Datenübertragbarkeit nach Art. 20 DSGVO).

  data.json   Ihre Daten in einem maschinenlesbaren Format (JSON, UTF-8):
              Ihr Profil im Verzeichnis (auch die nur für Sie, Ihre Führungskraft und die
              Personalabteilung sichtbaren Angaben), Ihre Einwilligungen, Ihr Konto (Benutzername
              und Rollen), Ihre angemeldeten und abgemeldeten Geräte, Ihre Unterhaltungen und deren
              Einstellungen, Ihre Lesepositionen, die Nachrichten, Beiträge und Kommentare, die Sie
              geschrieben haben (auch frühere Fassungen), Ihre Reaktionen, Umfrage-Stimmen,
              Terminantworten und Lesebestätigungen, Ihre Kanal-Einstellungen im Newsfeed, die
              Kantinen, die Sie pflegen, und die Dateien, die Sie hochgeladen haben.
  files/      Die Dateien, die Sie hochgeladen haben, als "<Kennung>-<Dateiname>".
              In data.json steht unter "files" zu jeder Datei, wo sie im Archiv liegt; fehlt eine
              Datei im Archiv, steht dort auch der Grund.

Nicht enthalten sind:
  - Ihr Passwort: Der Server speichert es nur als nicht umkehrbaren Hash und gibt auch diesen
    nicht heraus.
  - Was Ihre Geräte nur lokal speichern und nie an den Server geschickt haben, zum Beispiel Ihr
    Ernährungsprofil in der Kantine, Entwürfe und noch nicht gesendete Nachrichten sowie die
    App-Einstellungen. Diese Daten löschen Sie, indem Sie sich auf dem Gerät abmelden.
  - Daten anderer Personen: Nachrichten, Beiträge und Kommentare anderer, deren Reaktionen
    und Stimmen, auch wenn sie Ihre Inhalte betreffen.
  - Inhalte des Unternehmens, die Sie nur lesen (Newsfeed-Beiträge anderer, Speisepläne,
    das Verzeichnis).

Pro Person läuft höchstens eine Datenauskunft zur selben Zeit.

ENGLISH

This archive holds all data your company's Flurfunk server keeps about you (right of access,
GDPR Art. 15; data portability, GDPR Art. 20).

  data.json   Your data in a machine-readable format (JSON, UTF-8): your directory profile
              (also what only you, your manager and HR can see), your consents, your account
              (username and roles), your signed-in and signed-out devices, your conversations and
              their settings, your read positions, the messages, posts and comments you wrote
              (also earlier versions), your reactions, poll votes, event answers and read
              confirmations, your newsfeed channel settings, the canteens you manage and the files
              you uploaded.
  files/      The files you uploaded, as "<id>-<file name>". In data.json, "files" says where each
              one is in the archive, or why it is not.

Not included:
  - Your password: the server keeps only a one-way hash of it and hands out not even that.
  - What your devices keep locally and never sent to the server, such as your diet profile for
    the canteen, drafts and messages not sent yet, and the app's settings. Signing out on a
    device deletes them there.
  - Other people's data: their messages, posts and comments, their reactions and votes, also
    where they concern your content.
  - Company content you only read (other people's posts, menus, the directory).

At most one export per person runs at a time.
`;
}
