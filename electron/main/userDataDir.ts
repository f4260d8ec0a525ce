/**
 * Where Flurfunk keeps its cache and settings when not in the OS default place: tests, several
 * profiles side by side, portable setups. No `electron` import: unit-tested in plain Node.
 */
import path from 'node:path';

export const USER_DATA_DIR_FLAG = '--user-data-dir';
export const USER_DATA_DIR_ENV = 'FLURFUNK_USER_DATA_DIR';

export class UserDataDirError extends Error {
  override name = 'UserDataDirError';
}

/**
 * The user-data directory asked for by `--user-data-dir=DIR` / `--user-data-dir DIR` (the command
 * line wins) or `FLURFUNK_USER_DATA_DIR`, as an absolute path; null when neither is given.
 * Throws UserDataDirError when the flag is there but empty, rather than silently using the default.
 */
export function parseUserDataDir(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string | null {
  const fromArgs = userDataDirFromArgs(argv);
  const wanted = fromArgs ?? emptyToNull(env[USER_DATA_DIR_ENV]);
  return wanted === null ? null : path.resolve(cwd, wanted);
}

function userDataDirFromArgs(argv: readonly string[]): string | null {
  let found: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    let value: string | undefined;
    if (arg === USER_DATA_DIR_FLAG) {
      value = argv[i + 1];
      i++;
    } else if (arg?.startsWith(`${USER_DATA_DIR_FLAG}=`)) {
      value = arg.slice(USER_DATA_DIR_FLAG.length + 1);
    } else {
      continue;
    }
    if (value === undefined || value.trim() === '' || value.startsWith('--')) {
      throw new UserDataDirError(
        `${USER_DATA_DIR_FLAG} needs a directory, e.g. ${USER_DATA_DIR_FLAG}=/path/to/dir`,
      );
    }
    // Like Chromium's switches, the last occurrence wins.
    found = value;
  }
  return found;
}

function emptyToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}
