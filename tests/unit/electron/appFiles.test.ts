import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAppFile } from '../../../electron/shared/renderer-policy.js';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'flurfunk-app-files-'));
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Flurfunk</title>');
  await writeFile(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(path.join(root, 'assets', 'index-abc123.css'), 'body{}');
  await writeFile(path.join(root, 'assets', 'logo.svg'), '<svg/>');
  await writeFile(path.join(root, 'assets', 'inter.woff2'), '');
  await writeFile(path.join(root, 'assets', 'data.bin'), '');
  await writeFile(path.join(root, 'assets', 'name with space.png'), '');
  await writeFile(path.join(base, 'secret.txt'), 'the cache key');
  // Where a request that gets normalized instead of refused would land: refusing must win.
  await writeFile(path.join(root, 'secret.txt'), 'decoy');
  await symlink(path.join(base, 'secret.txt'), path.join(root, 'assets', 'escape.txt'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function served(url: string): Promise<{ file: string; contentType: string } | null> {
  const found = await resolveAppFile(url, root);
  return found === null ? null : { file: path.relative(root, found.path), contentType: found.contentType };
}

describe('files of the app:// protocol', () => {
  it('serves index.html for the bare origin and for /', async () => {
    const index = { file: 'index.html', contentType: 'text/html; charset=utf-8' };
    expect(await served('app://flurfunk/')).toEqual(index);
    expect(await served('app://flurfunk')).toEqual(index);
    expect(await served('app://flurfunk/index.html?lang=de#/directory')).toEqual(index);
  });

  it.each([
    ['assets/index-abc123.js', 'text/javascript; charset=utf-8'],
    ['assets/index-abc123.css', 'text/css; charset=utf-8'],
    ['assets/logo.svg', 'image/svg+xml'],
    ['assets/inter.woff2', 'font/woff2'],
    ['assets/data.bin', 'application/octet-stream'],
  ])('serves %s as %s', async (file, contentType) => {
    expect(await served(`app://flurfunk/${file}`)).toEqual({
      file: path.join(...file.split('/')),
      contentType,
    });
  });

  it('decodes percent-encoded names', async () => {
    expect((await served('app://flurfunk/assets/name%20with%20space.png'))?.file).toBe(
      path.join('assets', 'name with space.png'),
    );
  });

  it('answers missing files and directories with nothing', async () => {
    expect(await served('app://flurfunk/missing.js')).toBeNull();
    expect(await served('app://flurfunk/assets')).toBeNull();
    expect(await served('app://flurfunk/assets/')).toBeNull();
  });

  it.each([
    'app://flurfunk/../secret.txt',
    'app://flurfunk/assets/../../secret.txt',
    'app://flurfunk/%2e%2e/secret.txt',
    'app://flurfunk/%2E%2E/secret.txt',
    'app://flurfunk/.%2e/secret.txt',
    'app://flurfunk/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://flurfunk/assets/%2e%2e%2fsecret.txt',
    'app://flurfunk/assets/..%2fsecret.txt',
    'app://flurfunk/%2e%2e%5csecret.txt',
    'app://flurfunk/..\\secret.txt',
    'app://flurfunk/assets\\..\\..\\secret.txt',
    'app://flurfunk/./index.html',
    'app://flurfunk/%2Fetc%2Fpasswd',
    'app://flurfunk//etc/passwd',
    'app://flurfunk/C:/Windows/win.ini',
    'app://flurfunk/index.html%00.png',
    'app://flurfunk/%E0%A4%A',
  ])('refuses the traversal attempt %s', async (url) => {
    expect(await served(url)).toBeNull();
  });

  it('refuses an encoded absolute path to a real file', async () => {
    expect(await served(`app://flurfunk/${encodeURIComponent(path.join(base, 'secret.txt'))}`)).toBeNull();
  });

  it('refuses a symlink that points out of the renderer directory', async () => {
    expect(await served('app://flurfunk/assets/escape.txt')).toBeNull();
  });

  it.each([
    'app://evil/index.html',
    'app://flurfunk.evil/index.html',
    'app://user@flurfunk/index.html',
    'app://flurfunk:1234/index.html',
    'https://flurfunk/index.html',
    'file:///index.html',
    'not a url',
  ])('serves nothing for %s', async (url) => {
    expect(await served(url)).toBeNull();
  });

  it('serves nothing when the renderer directory does not exist', async () => {
    expect(await resolveAppFile('app://flurfunk/index.html', path.join(base, 'not-built'))).toBeNull();
  });
});
