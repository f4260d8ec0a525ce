import { describe, expect, it } from 'vitest';
import { getStartAtLogin, setStartAtLogin, type LoginItems } from '../../../electron/main/start-at-login.js';

/** The OS's login items as Electron reports them; `managed` keeps them off, as a policy might. */
function loginItems(managed = false): LoginItems & { openAtLogin: boolean } {
  return {
    openAtLogin: false,
    getLoginItemSettings() {
      return { openAtLogin: this.openAtLogin };
    },
    setLoginItemSettings({ openAtLogin }) {
      if (!managed) this.openAtLogin = openAtLogin;
    },
  };
}

describe('start at login', () => {
  it('turns the login item on and off and reports what the OS now has', () => {
    const items = loginItems();
    expect(getStartAtLogin(items, 'win32')).toEqual({ ok: true, value: { enabled: false } });
    expect(setStartAtLogin(items, { enabled: true }, 'win32')).toEqual({
      ok: true,
      value: { enabled: true },
    });
    expect(items.openAtLogin).toBe(true);
    expect(setStartAtLogin(items, { enabled: false }, 'win32')).toEqual({
      ok: true,
      value: { enabled: false },
    });
  });

  it('says what the OS kept when a policy does not let it change', () => {
    expect(setStartAtLogin(loginItems(true), { enabled: true }, 'win32')).toEqual({
      ok: true,
      value: { enabled: false },
    });
  });

  it('is not offered where Electron keeps no login items (Linux)', () => {
    const items = loginItems();
    expect(getStartAtLogin(items, 'linux')).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(setStartAtLogin(items, { enabled: true }, 'linux')).toMatchObject({ ok: false });
    expect(items.openAtLogin).toBe(false);
  });

  it('refuses arguments that are not the contract’s', () => {
    const items = loginItems();
    expect(setStartAtLogin(items, { enabled: 'yes' }, 'darwin')).toMatchObject({
      ok: false,
      error: { code: 'invalid_args' },
    });
    expect(setStartAtLogin(items, { enabled: true, hidden: true }, 'darwin')).toMatchObject({ ok: false });
    expect(items.openAtLogin).toBe(false);
  });
});
