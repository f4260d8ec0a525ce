import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUserDataDir, UserDataDirError } from '../../../electron/main/userDataDir.js';

const cwd = path.resolve('/home/lena');
const electronArgv = ['/opt/Flurfunk/flurfunk', '.'];

describe('--user-data-dir and FLURFUNK_USER_DATA_DIR', () => {
  it('uses the OS default when neither is given', () => {
    expect(parseUserDataDir(electronArgv, {}, cwd)).toBeNull();
  });

  it('reads --user-data-dir=DIR and --user-data-dir DIR', () => {
    expect(parseUserDataDir([...electronArgv, '--user-data-dir=/srv/a'], {}, cwd)).toBe(
      path.resolve('/srv/a'),
    );
    expect(parseUserDataDir([...electronArgv, '--user-data-dir', '/srv/b'], {}, cwd)).toBe(
      path.resolve('/srv/b'),
    );
  });

  it('resolves a relative directory against the working directory', () => {
    expect(parseUserDataDir([...electronArgv, '--user-data-dir=profiles/test'], {}, cwd)).toBe(
      path.join(cwd, 'profiles', 'test'),
    );
  });

  it('reads FLURFUNK_USER_DATA_DIR, and the command line wins over it', () => {
    const env = { FLURFUNK_USER_DATA_DIR: '/srv/env' };
    expect(parseUserDataDir(electronArgv, env, cwd)).toBe(path.resolve('/srv/env'));
    expect(parseUserDataDir([...electronArgv, '--user-data-dir=/srv/arg'], env, cwd)).toBe(
      path.resolve('/srv/arg'),
    );
  });

  it('ignores an empty environment variable', () => {
    expect(parseUserDataDir(electronArgv, { FLURFUNK_USER_DATA_DIR: '  ' }, cwd)).toBeNull();
  });

  it('takes the last of several flags, like Chromium', () => {
    expect(parseUserDataDir([...electronArgv, '--user-data-dir=/a', '--user-data-dir=/b'], {}, cwd)).toBe(
      path.resolve('/b'),
    );
  });

  it('does not mistake a similar flag or an argument after -- for it', () => {
    expect(parseUserDataDir([...electronArgv, '--user-data-directory=/x'], {}, cwd)).toBeNull();
    expect(parseUserDataDir([...electronArgv, '--', '--user-data-dir=/x'], {}, cwd)).toBeNull();
  });

  it.each([[['--user-data-dir=']], [['--user-data-dir']], [['--user-data-dir', '--inspect']]])(
    'refuses a flag without a directory: %j',
    (args) => {
      expect(() => parseUserDataDir([...electronArgv, ...args], {}, cwd)).toThrow(UserDataDirError);
    },
  );
});
