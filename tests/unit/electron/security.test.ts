import { describe, expect, it } from 'vitest';
import {
  isAllowedDownload,
  decideNavigation,
  decideWindowOpen,
  isAllowedExternalUrl,
  isAllowedPermission,
  isTrustedSender,
} from '../../../electron/main/security.js';

describe('links that may leave the app', () => {
  it.each([
    'https://www.flurfunk.example/news?id=1#top',
    'https://intranet.example.com:8443/path',
    'mailto:lena.weber@example.com',
    'mailto:lena.weber@example.com?subject=Schicht%20morgen',
    'tel:+49-89-1234-567',
  ])('opens %s in the OS', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    ['javascript:alert(1)', 'script'],
    ['JavaScript:alert(document.cookie)', 'script, mixed case'],
    [' javascript:alert(1)', 'script behind a leading space'],
    ['java\tscript:alert(1)', 'script split by a tab the URL parser drops'],
    ['https://example.com/\nfoo', 'newline inside'],
    ['file:///etc/passwd', 'local file'],
    ['file://server/share/setup.exe', 'UNC share'],
    ['http://example.com/', 'plain http'],
    ['data:text/html,<script>alert(1)</script>', 'data URL'],
    ['blob:https://example.com/uuid', 'blob URL'],
    ['vbscript:msgbox(1)', 'vbscript'],
    ['ms-msdt:/id PCWDiagnostic', 'Windows protocol handler'],
    ['smb://server/share', 'SMB'],
    ['ftp://example.com/file', 'FTP'],
    ['app://flurfunk/index.html', 'the app itself'],
    ['https://user:secret@example.com/', 'credentials in the URL'],
    ['https://intranet.example@evil.example/', 'disguised host'],
    ['https://', 'no host'],
    ['mailto:', 'empty mailto'],
    ['tel:', 'empty tel'],
    ['not a url', 'malformed'],
    ['', 'empty string'],
    [`https://example.com/${'a'.repeat(5000)}`, 'absurdly long'],
  ])('refuses %s (%s)', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('refuses values that are not strings at all', () => {
    expect(isAllowedExternalUrl(undefined)).toBe(false);
    expect(isAllowedExternalUrl({ toString: () => 'https://example.com' })).toBe(false);
  });
});

describe('navigation and new windows', () => {
  it('keeps navigation inside the app', () => {
    expect(decideNavigation('app://flurfunk/index.html#/directory', true)).toBe('allow');
  });

  it('opens an allowed link clicked in the main frame in the OS instead of replacing the app', () => {
    expect(decideNavigation('https://example.com/', true)).toBe('openExternally');
  });

  it('blocks subframes from opening anything outside the app', () => {
    expect(decideNavigation('https://example.com/', false)).toBe('block');
  });

  it.each(['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://other/index.html'])(
    'blocks navigating to %s',
    (url) => {
      expect(decideNavigation(url, true)).toBe('block');
    },
  );

  it('never opens a second app window; external links go to the OS, others nowhere', () => {
    expect(decideWindowOpen('https://example.com/')).toBe('openExternally');
    expect(decideWindowOpen('app://flurfunk/index.html')).toBe('block');
    expect(decideWindowOpen('file:///C:/Windows/system32/calc.exe')).toBe('block');
  });
});

describe('who may call the core', () => {
  it('trusts the top frame of the app', () => {
    expect(isTrustedSender({ url: 'app://flurfunk/index.html#/chat', parent: null })).toBe(true);
  });

  it.each([
    ['a subframe of the app', { url: 'app://flurfunk/frame.html', parent: {} }],
    ['a remote page', { url: 'https://evil.example/', parent: null }],
    ['a look-alike host', { url: 'app://flurfunk.evil.example/', parent: null }],
    ['a different port', { url: 'app://flurfunk:8080/index.html', parent: null }],
    ['credentials in the URL', { url: 'app://x@flurfunk/index.html', parent: null }],
    ['a local file', { url: 'file:///index.html', parent: null }],
    ['a page still loading', { url: '', parent: null }],
    ['about:blank', { url: 'about:blank', parent: null }],
  ])('rejects %s', (_name, frame) => {
    expect(isTrustedSender(frame)).toBe(false);
  });

  it('rejects a missing frame and one that was destroyed meanwhile', () => {
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    const destroyed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
    };
    expect(isTrustedSender(destroyed)).toBe(false);
  });
});

describe('web permissions', () => {
  it.each(['notifications', 'clipboard-sanitized-write'])('grants %s to the app', (permission) => {
    expect(isAllowedPermission(permission, 'app://flurfunk/index.html')).toBe(true);
    expect(isAllowedPermission(permission, 'app://flurfunk')).toBe(true);
  });

  it.each([
    'media',
    'geolocation',
    'openExternal',
    'clipboard-read',
    'display-capture',
    'midiSysex',
    'fullscreen',
    'pointerLock',
    'hid',
    'serial',
    'usb',
    'fileSystem',
    'unknown',
  ])('denies %s', (permission) => {
    expect(isAllowedPermission(permission, 'app://flurfunk/index.html')).toBe(false);
  });

  it('denies even allowed permissions to any page other than the app', () => {
    expect(isAllowedPermission('notifications', 'https://evil.example/')).toBe(false);
    expect(isAllowedPermission('notifications', '')).toBe(false);
  });
});

describe('downloads', () => {
  it('saves only files the app made itself or serves from its cache, never anything from the network', () => {
    expect(isAllowedDownload('blob:app://flurfunk/5b0f3c1e-1a2b-4c3d-8e9f-001122334455')).toBe(true);
    expect(isAllowedDownload('app://flurfunk/media/01a2188e-f82e-77a2-93d2-30225759e5d2?download')).toBe(
      true,
    );
    for (const url of [
      'app://flurfunk.evil.example/media/01a2188e-f82e-77a2-93d2-30225759e5d2',
      'https://flurfunk/media/01a2188e-f82e-77a2-93d2-30225759e5d2',
      'https://evil.example/x.ics',
      'blob:https://evil.example/5b0f3c1e',
      'blob:app://flurfunk.evil.example/x',
      'blob:app://user@flurfunk/x',
      'data:text/calendar,BEGIN:VCALENDAR',
      'file:///etc/passwd',
      'app://flurfunk/index.html',
    ]) {
      expect(isAllowedDownload(url), url).toBe(false);
    }
  });
});
