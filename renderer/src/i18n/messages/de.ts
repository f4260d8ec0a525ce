import type { MessageSchema } from './en.js';

export const de: MessageSchema = {
  app: {
    name: 'Flurfunk',
    loading: 'Flurfunk wird geladen…',
    noHost:
      'Flurfunk erreicht seinen Hintergrunddienst nicht. Öffnen Sie die Adresse, die beim Start von Flurfunk ausgegeben wurde.',
    skipToContent: 'Zum Inhalt springen',
    pageTitle: '{page} – Flurfunk',
  },
  nav: {
    label: 'Hauptnavigation',
    feed: 'Neuigkeiten',
    chat: 'Chat',
    directory: 'Verzeichnis',
    canteen: 'Kantine',
    settings: 'Einstellungen',
  },
  status: {
    online: 'Online',
    offline: 'Offline',
    syncing: 'Synchronisiere…',
    connecting: 'Verbinde…',
    syncFailed: 'Synchronisierung fehlgeschlagen',
    lastSynced: 'Zuletzt synchronisiert {time}',
    neverSynced: 'Noch nicht synchronisiert',
    syncNow: 'Jetzt synchronisieren',
  },
  notices: {
    dismiss: 'Schließen',
    sessionExpired: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
    cacheRebuilt: {
      keyMissing:
        'Der Schlüssel für Ihre lokalen Daten fehlte im Schlüsselbund des Systems. Flurfunk hat eine neue lokale Kopie angelegt und lädt sie vom Server.',
      wrongKey:
        'Ihre lokalen Daten ließen sich nicht entschlüsseln. Flurfunk hat sie beiseitegelegt und lädt sie neu vom Server.',
      corrupt:
        'Ihre lokalen Daten waren beschädigt. Flurfunk hat sie beiseitegelegt und lädt sie neu vom Server.',
    },
    cacheFromNewerVersion:
      'Die Flurfunk-Daten auf diesem Computer wurden von einer neueren Flurfunk-Version geschrieben. Aktualisieren Sie Flurfunk, um sie zu nutzen; es wurde nichts gelöscht.',
  },
  login: {
    title: 'Bei Flurfunk anmelden',
    intro: 'Verwenden Sie das Konto, das Sie von Ihrem Unternehmen erhalten haben.',
    serverUrl: 'Serveradresse',
    serverUrlHint: 'Zum Beispiel https://flurfunk.example.com',
    username: 'Benutzername',
    password: 'Passwort',
    submit: 'Anmelden',
    signingIn: 'Anmeldung läuft…',
    required: {
      serverUrl: 'Geben Sie die Adresse des Flurfunk-Servers Ihres Unternehmens ein.',
      username: 'Geben Sie Ihren Benutzernamen ein.',
      password: 'Geben Sie Ihr Passwort ein.',
    },
    errors: {
      invalid_credentials: 'Benutzername oder Passwort ist nicht korrekt.',
      rate_limited:
        'Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut. | Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie eine Minute und versuchen Sie es dann erneut. | Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie {minutes} Minuten und versuchen Sie es dann erneut.',
      unreachable: 'Der Server ist nicht erreichbar. Prüfen Sie die Adresse und Ihre Netzwerkverbindung.',
      invalid_url:
        'Das ist keine gültige Serveradresse. Sie sollte so aussehen: https://flurfunk.example.com',
      server_error: 'Auf dem Server ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut.',
      cache_newer_version:
        'Die Flurfunk-Daten dieses Kontos auf diesem Computer wurden von einer neueren Flurfunk-Version geschrieben. Aktualisieren Sie Flurfunk, um sich anzumelden; es wurde nichts gelöscht.',
      unknown: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
    },
  },
  notBuilt: {
    feed: 'Die Neuigkeiten kommen in einer späteren Version.',
    chat: 'Der Chat kommt in einer späteren Version.',
    canteen: 'Der Speiseplan der Kantine kommt in einer späteren Version.',
  },
  directory: {
    title: 'Verzeichnis',
    search: 'Personen suchen',
    resultCount: 'Keine Personen | Eine Person | {count} Personen',
    loading: 'Personen werden geladen…',
    loadingRow: 'Wird geladen…',
    empty: 'Niemand gefunden für „{query}“.',
    emptyDirectory:
      'Das Verzeichnis ist leer. Es füllt sich, sobald Flurfunk mit dem Server synchronisiert hat.',
    error: 'Das Verzeichnis konnte nicht geladen werden.',
    retry: 'Erneut versuchen',
    listLabel: 'Personen',
    callPerson: '{name} unter {phone} anrufen',
    details: {
      title: 'Details',
      close: 'Details schließen',
      department: 'Abteilung',
      location: 'Standort',
      room: 'Raum',
      email: 'E-Mail',
      phone: 'Telefon',
      notFound: 'Diese Person ist nicht mehr im Verzeichnis.',
    },
  },
  settings: {
    title: 'Einstellungen',
    language: 'Sprache',
    followSystem: 'Wie im System',
    account: 'Konto',
    signedInAs: 'Angemeldet als',
    server: 'Server',
    signOut: 'Abmelden',
    signOutFailed: 'Die Abmeldung ist fehlgeschlagen. Bitte versuchen Sie es erneut.',
    version: 'Version',
  },
};
