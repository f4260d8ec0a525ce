import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface HostCliOptions {
  help: boolean;
  userDataDir: string;
  port: number;
  /** A port the user chose fails loudly when taken; the default falls back to a free one. */
  portIsExplicit: boolean;
  defaultServerUrl: string | null;
}

export const defaultPort = 4180;

export const usage = `Usage: flurfunk-browser-host [--user-data-dir DIR] [--port N] [--default-server-url URL] [--demo]

  --user-data-dir DIR        where the encrypted cache lives (env FLURFUNK_USER_DATA_DIR)
  --port N                   port on 127.0.0.1 (default ${defaultPort}, or a free one if that is taken)
  --default-server-url URL   company server pre-filled on the login screen (env FLURFUNK_DEFAULT_SERVER_URL)
  --demo                     keep the data in .flurfunk-demo/client unless a directory is given
  --help                     show this text`;

/** Throws an Error with a message meant for the user when the arguments make no sense. */
export function parseHostCliOptions(argv: string[], env: NodeJS.ProcessEnv): HostCliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'user-data-dir': { type: 'string' },
      port: { type: 'string' },
      'default-server-url': { type: 'string' },
      demo: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const portText = values.port;
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a number from 0 to 65535, not "${portText}".`);
  }
  const userDataDir = values['user-data-dir'] ?? env.FLURFUNK_USER_DATA_DIR;
  return {
    help: values.help,
    userDataDir: path.resolve(userDataDir ?? defaultUserDataDir(values.demo, env)),
    port,
    portIsExplicit: portText !== undefined,
    defaultServerUrl: values['default-server-url'] ?? env.FLURFUNK_DEFAULT_SERVER_URL ?? null,
  };
}

/**
 * A folder of its own next to the desktop app's data, so the browser host and the Electron app
 * never open the same cache at the same time.
 */
function defaultUserDataDir(demo: boolean, env: NodeJS.ProcessEnv): string {
  if (demo) return path.join('.flurfunk-demo', 'client');
  const home = os.homedir();
  const appData =
    process.platform === 'win32'
      ? (env.APPDATA ?? path.join(home, 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support')
        : (env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'));
  return path.join(appData, 'Flurfunk', 'browser-host');
}
