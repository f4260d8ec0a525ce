import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHostCliOptions } from '../../../electron/browser-host/options.js';

describe('browser host command line', () => {
  it('takes the user-data dir, port and server address from flags before the environment', () => {
    const options = parseHostCliOptions(
      ['--user-data-dir', 'profile', '--port', '0', '--default-server-url', 'https://flurfunk.example.com'],
      { FLURFUNK_USER_DATA_DIR: '/elsewhere', FLURFUNK_DEFAULT_SERVER_URL: 'https://other.example.com' },
    );
    expect(options).toEqual({
      help: false,
      userDataDir: path.resolve('profile'),
      port: 0,
      portIsExplicit: true,
      defaultServerUrl: 'https://flurfunk.example.com',
    });
  });

  it('falls back to the environment, then to port 4180 with a free port as plan B', () => {
    const options = parseHostCliOptions([], {
      FLURFUNK_USER_DATA_DIR: '/srv/flurfunk',
      FLURFUNK_DEFAULT_SERVER_URL: 'https://flurfunk.example.com',
    });
    expect(options).toMatchObject({
      userDataDir: '/srv/flurfunk',
      port: 4180,
      portIsExplicit: false,
      defaultServerUrl: 'https://flurfunk.example.com',
    });
  });

  it('keeps demo data in .flurfunk-demo/client and otherwise in a folder of its own per user', () => {
    expect(parseHostCliOptions(['--demo'], {}).userDataDir).toBe(path.resolve('.flurfunk-demo/client'));
    const personal = parseHostCliOptions([], { XDG_DATA_HOME: '/home/lena/.local/share' }).userDataDir;
    expect(personal).toMatch(/Flurfunk[/\\]browser-host$/);
  });

  it('explains a bad port or an unknown flag', () => {
    expect(() => parseHostCliOptions(['--port', 'eighty'], {})).toThrow(
      '--port must be a number from 0 to 65535',
    );
    expect(() => parseHostCliOptions(['--port', '70000'], {})).toThrow('--port must be a number');
    expect(() => parseHostCliOptions(['--tokn', 'x'], {})).toThrow(/--tokn/);
  });
});
