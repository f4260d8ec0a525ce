/**
 * "Start at login": the OS's login items (Windows registry Run key, macOS login items), which
 * only the main process can reach. No `electron` import: unit-tested in plain Node.
 */
import { contract, type IpcResult, type MethodResult } from '@flurfunk/protocol';
import { failure } from './ipcRouting.js';

/** The part of Electron's `app` this uses. */
export interface LoginItems {
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
}

/** Electron manages login items on Windows and macOS only; Linux desktops use autostart files. */
const supported = (platform: NodeJS.Platform) => platform === 'win32' || platform === 'darwin';
const unsupported = () => failure('unsupported', 'this system does not let Flurfunk start at login');

export function getStartAtLogin(
  items: LoginItems,
  platform: NodeJS.Platform = process.platform,
): IpcResult<MethodResult<'getStartAtLogin'>> {
  if (!supported(platform)) return unsupported();
  return { ok: true, value: { enabled: items.getLoginItemSettings().openAtLogin } };
}

export function setStartAtLogin(
  items: LoginItems,
  args: unknown,
  platform: NodeJS.Platform = process.platform,
): IpcResult<MethodResult<'setStartAtLogin'>> {
  if (!supported(platform)) return unsupported();
  const parsed = contract.setStartAtLogin.args.safeParse(args);
  if (!parsed.success) return failure('invalid_args', 'setStartAtLogin takes { enabled: boolean }');
  items.setLoginItemSettings({ openAtLogin: parsed.data.enabled });
  // What the OS now says, not what was asked: a policy may keep the app from starting.
  return getStartAtLogin(items, platform);
}
