export const en = {
  app: {
    name: 'Flurfunk',
    loading: 'Loading Flurfunk…',
    noHost:
      'Flurfunk cannot reach its background service. Open the address that was printed when Flurfunk started.',
    skipToContent: 'Skip to content',
    pageTitle: '{page} – Flurfunk',
  },
  nav: {
    label: 'Main',
    feed: 'Newsfeed',
    chat: 'Chat',
    directory: 'Directory',
    canteen: 'Canteen',
    settings: 'Settings',
  },
  status: {
    online: 'Online',
    offline: 'Offline',
    syncing: 'Syncing…',
    connecting: 'Connecting…',
    syncFailed: 'Sync failed',
    lastSynced: 'Last synced {time}',
    neverSynced: 'Not synced yet',
    syncNow: 'Sync now',
  },
  notices: {
    dismiss: 'Dismiss',
    sessionExpired: 'Your session has expired. Please sign in again.',
    deviceRevoked:
      'This device was signed out on the server (by you on another device, by an administrator, or because its sign-in was used elsewhere). Its Flurfunk data was deleted from this computer. Please sign in again.',
    cacheRebuilt: {
      keyMissing:
        'The key for your local data was missing from the system keychain, so Flurfunk started a fresh local copy and is reloading it from the server.',
      wrongKey:
        'Your local data could not be unlocked, so Flurfunk set it aside and is reloading it from the server.',
      corrupt: 'Your local data was damaged, so Flurfunk set it aside and is reloading it from the server.',
    },
    cacheFromNewerVersion:
      "This computer's Flurfunk data was written by a newer version of Flurfunk. Update Flurfunk to use it; nothing was deleted.",
  },
  login: {
    title: 'Sign in to Flurfunk',
    intro: 'Use the account your company gave you.',
    serverUrl: 'Server address',
    serverUrlHint: 'For example https://flurfunk.example.com',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    signingIn: 'Signing in…',
    required: {
      serverUrl: 'Enter the address of your company’s Flurfunk server.',
      username: 'Enter your username.',
      password: 'Enter your password.',
    },
    errors: {
      invalid_credentials: 'The username or password is not correct.',
      rate_limited:
        'Too many failed sign-in attempts. Please wait a few minutes and try again. | Too many failed sign-in attempts. Please wait one minute and try again. | Too many failed sign-in attempts. Please wait {minutes} minutes and try again.',
      unreachable: 'The server could not be reached. Check the address and your network connection.',
      invalid_url: 'This is not a valid server address. It should look like https://flurfunk.example.com',
      server_error: 'The server ran into a problem. Please try again later.',
      cache_newer_version:
        "This computer's Flurfunk data for this account was written by a newer version of Flurfunk. Update Flurfunk to sign in; nothing was deleted.",
      unknown: 'Something went wrong. Please try again.',
    },
  },
  notBuilt: {
    feed: 'The newsfeed is coming in a later version.',
    chat: 'Chat is coming in a later version.',
    canteen: 'The canteen menu is coming in a later version.',
  },
  directory: {
    title: 'Directory',
    search: 'Search people',
    resultCount: 'No people | One person | {count} people',
    loading: 'Loading people…',
    loadingRow: 'Loading…',
    empty: 'No one found for “{query}”.',
    emptyDirectory: 'The directory is empty. It fills in once Flurfunk has synced with the server.',
    error: 'The directory could not be loaded.',
    retry: 'Try again',
    listLabel: 'People',
    callPerson: 'Call {name} at {phone}',
    details: {
      title: 'Details',
      close: 'Close details',
      department: 'Department',
      location: 'Location',
      room: 'Room',
      email: 'Email',
      phone: 'Phone',
      notFound: 'This person is no longer in the directory.',
    },
  },
  settings: {
    title: 'Settings',
    language: 'Language',
    followSystem: 'Follow system',
    account: 'Account',
    signedInAs: 'Signed in as',
    server: 'Server',
    signOut: 'Sign out',
    signOutFailed: 'Signing out failed. Please try again.',
    version: 'Version',
  },
  outbox: {
    title: 'Outbox',
    close: 'Close',
    allSent: 'Everything has been sent.',
    summary: {
      messages: {
        waiting:
          'No messages waiting to be sent | 1 message waiting to be sent | {count} messages waiting to be sent',
        waitingOffline:
          'No messages waiting for network | 1 message waiting for network | {count} messages waiting for network',
        failed:
          'No messages failed to send | 1 message could not be sent | {count} messages could not be sent',
      },
      changes: {
        waiting:
          'No changes waiting to be sent | 1 change waiting to be sent | {count} changes waiting to be sent',
        waitingOffline:
          'No changes waiting for network | 1 change waiting for network | {count} changes waiting for network',
        failed: 'No changes failed to send | 1 change could not be sent | {count} changes could not be sent',
      },
    },
    type: {
      sendMessage: 'New message',
      editMessage: 'Edit of a message',
      deleteMessage: 'Deletion of a message',
      createGroup: 'New group chat',
      openDirect: 'New direct chat',
      addMembers: 'Adding people to a chat',
      removeMember: 'Removing someone from a chat',
      updateSettings: 'Chat settings',
      other: 'A change',
    },
    state: {
      pending: 'Waiting to be sent',
      pendingOffline: 'Waiting for network',
      sending: 'Sending…',
      sent: 'Sent',
      failed: 'Could not be sent',
    },
    reason: {
      invalid: 'The server did not accept it as valid.',
      forbidden: 'You are not allowed to do this, for example because you are no longer in the chat.',
      not_found: 'The chat or message no longer exists.',
      conflict: 'It clashes with a change made in the meantime.',
      unreachable: 'The server could not be reached.',
      server_error: 'The server ran into a problem.',
      rate_limited: 'The server asked Flurfunk to wait a moment.',
      unknown: 'Something went wrong.',
    },
    lastTry: 'Last try: {reason}',
    nextTry: 'Next try {time}',
    written: 'Written {time}',
    writtenJustNow: 'Written just now',
    retry: 'Retry',
    discard: 'Discard',
    confirm: {
      sendMessage: 'Discard this message? What you wrote will be lost.',
      editMessage: 'Discard this edit? The message keeps its previous text and your changes will be lost.',
      deleteMessage: 'Discard the deletion? The message will stay.',
      other: 'Discard this change? It will not be sent and is undone on this computer.',
    },
    confirmDiscard: 'Yes, discard',
    keep: 'Keep',
    errors: {
      read: 'The outbox could not be read.',
      retry: 'It could not be sent again. Please try again.',
      discard: 'It could not be discarded. Please try again.',
      gone: 'This is no longer waiting: it was sent or discarded in the meantime.',
    },
  },
};

export type MessageSchema = typeof en;
