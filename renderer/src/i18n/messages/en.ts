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
};

export type MessageSchema = typeof en;
