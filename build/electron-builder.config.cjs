// electron-builder configuration for the signed desktop installers (`npm run dist`).
// Signing credentials come from the environment only; see build/README.md.

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'de.flurfunk.desktop',
  productName: 'Flurfunk',
  copyright: 'Copyright © Flurfunk',
  directories: { output: 'release', buildResources: 'build' },
  // The desktop app needs its own bundles only: the company server and the browser host
  // (dist/server, dist/browser-host) and their server-only dependencies stay out.
  files: [
    'dist/**',
    'package.json',
    '!dist/server/**',
    '!dist/browser-host/**',
    '!dist/**/*.map',
    '!node_modules/@electric-sql/**',
    '!node_modules/argon2/**',
    '!node_modules/pg/**',
    '!node_modules/fastify/**',
    '!node_modules/@fastify/**',
    '!node_modules/fastify-type-provider-zod/**',
    '!node_modules/sharp/**',
    '!node_modules/@img/**',
  ],
  asar: true,
  // Native modules (SQLCipher, keytar) cannot be loaded from inside the asar archive.
  asarUnpack: ['**/*.node'],
  // Rebuild them for Electron's ABI instead of the Node one they were compiled for.
  npmRebuild: true,
  electronLanguages: ['de', 'en', 'en-US', 'en-GB'],
  // Every fuse set explicitly, flipped at build time before signing.
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  // Updates are configured by the updater work (admins control the channel); nothing is published here.
  publish: null,

  win: {
    target: [
      { target: 'nsis', arch: ['x64'] },
      { target: 'msi', arch: ['x64'] },
    ],
    signtoolOptions: { signingHashAlgorithms: ['sha256'] },
  },
  nsis: {
    oneClick: false,
    perMachine: true,
    allowElevation: true,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: 'Flurfunk',
    // The encrypted cache belongs to the user; an uninstall by IT must not silently delete it.
    deleteAppDataOnUninstall: false,
  },
  // Per-machine MSI for deployment by GPO/Intune; the upgrade code is derived from appId and stays stable.
  msi: {
    perMachine: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: 'Flurfunk',
  },

  mac: {
    target: [
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'pkg', arch: ['x64', 'arm64'] },
    ],
    category: 'public.app-category.business',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    // Notarizes when the APPLE_* variables of build/README.md are set; warns and skips otherwise.
    notarize: true,
  },
  pkg: {
    installLocation: '/Applications',
    allowAnywhere: false,
    allowCurrentUserHome: false,
    allowRootDirectory: true,
    isRelocatable: false,
    overwriteAction: 'upgrade',
    mustClose: ['de.flurfunk.desktop'],
  },

  linux: {
    target: ['AppImage', 'deb'],
    category: 'Office',
    maintainer: 'Flurfunk <it@flurfunk.example>',
    synopsis: 'Employee communication: newsfeed, chat, directory, canteen',
  },
};
