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
    deviceRevoked:
      'Dieses Gerät wurde auf dem Server abgemeldet (von Ihnen auf einem anderen Gerät, von der Administration oder weil seine Anmeldung anderswo benutzt wurde). Seine Flurfunk-Daten wurden von diesem Computer gelöscht. Bitte melden Sie sich erneut an.',
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
  outbox: {
    title: 'Postausgang',
    close: 'Schließen',
    allSent: 'Alles wurde gesendet.',
    summary: {
      messages: {
        waiting:
          'Keine Nachrichten warten auf den Versand | 1 Nachricht wartet auf den Versand | {count} Nachrichten warten auf den Versand',
        waitingOffline:
          'Keine Nachrichten warten auf das Netzwerk | 1 Nachricht wartet auf das Netzwerk | {count} Nachrichten warten auf das Netzwerk',
        failed:
          'Keine Nachrichten sind fehlgeschlagen | 1 Nachricht konnte nicht gesendet werden | {count} Nachrichten konnten nicht gesendet werden',
      },
      changes: {
        waiting:
          'Keine Änderungen warten auf den Versand | 1 Änderung wartet auf den Versand | {count} Änderungen warten auf den Versand',
        waitingOffline:
          'Keine Änderungen warten auf das Netzwerk | 1 Änderung wartet auf das Netzwerk | {count} Änderungen warten auf das Netzwerk',
        failed:
          'Keine Änderungen sind fehlgeschlagen | 1 Änderung konnte nicht gesendet werden | {count} Änderungen konnten nicht gesendet werden',
      },
    },
    type: {
      sendMessage: 'Neue Nachricht',
      editMessage: 'Änderung einer Nachricht',
      deleteMessage: 'Löschen einer Nachricht',
      createGroup: 'Neuer Gruppenchat',
      openDirect: 'Neuer Einzelchat',
      addMembers: 'Personen zu einem Chat hinzufügen',
      removeMember: 'Jemanden aus einem Chat entfernen',
      updateSettings: 'Chat-Einstellungen',
      other: 'Eine Änderung',
    },
    state: {
      pending: 'Wartet auf den Versand',
      pendingOffline: 'Wartet auf das Netzwerk',
      sending: 'Wird gesendet…',
      sent: 'Gesendet',
      failed: 'Konnte nicht gesendet werden',
    },
    reason: {
      invalid: 'Der Server hat dies als ungültig abgelehnt.',
      forbidden: 'Sie dürfen das nicht, zum Beispiel weil Sie nicht mehr Mitglied des Chats sind.',
      not_found: 'Den Chat oder die Nachricht gibt es nicht mehr.',
      conflict: 'Das widerspricht einer Änderung, die inzwischen gemacht wurde.',
      unreachable: 'Der Server war nicht erreichbar.',
      server_error: 'Auf dem Server ist ein Fehler aufgetreten.',
      rate_limited: 'Der Server hat Flurfunk um eine kurze Pause gebeten.',
      unknown: 'Etwas ist schiefgelaufen.',
    },
    lastTry: 'Letzter Versuch: {reason}',
    nextTry: 'Nächster Versuch {time}',
    written: 'Geschrieben {time}',
    writtenJustNow: 'Gerade eben geschrieben',
    retry: 'Erneut senden',
    discard: 'Verwerfen',
    confirm: {
      sendMessage: 'Diese Nachricht verwerfen? Was Sie geschrieben haben, geht verloren.',
      editMessage:
        'Diese Änderung verwerfen? Die Nachricht behält ihren bisherigen Text, Ihre Änderungen gehen verloren.',
      deleteMessage: 'Das Löschen verwerfen? Die Nachricht bleibt erhalten.',
      other: 'Diese Änderung verwerfen? Sie wird nicht gesendet und auf diesem Computer rückgängig gemacht.',
    },
    confirmDiscard: 'Ja, verwerfen',
    keep: 'Behalten',
    errors: {
      read: 'Der Postausgang konnte nicht gelesen werden.',
      retry: 'Das erneute Senden hat nicht geklappt. Bitte versuchen Sie es noch einmal.',
      discard: 'Das Verwerfen hat nicht geklappt. Bitte versuchen Sie es noch einmal.',
      gone: 'Dies wartet nicht mehr: Es wurde inzwischen gesendet oder verworfen.',
    },
  },
};
