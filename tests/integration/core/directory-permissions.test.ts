/**
 * Restricted directory fields on the device: a private number reaches the caches of those the
 * server lets see it (the person, their manager, HR) and no other cache, not even hidden; losing
 * the right purges it. And a person's own profile edit travels from their app to a colleague's.
 */
import type { Person, PersonProfile } from '@flurfunk/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CacheDatabase } from '../../../electron/core/cache/database.js';
import type { DemoServer, TestCore } from '../support/core-harness.js';
import {
  removeTempDirs,
  signIn,
  startDemoServer,
  startTestCore,
  tempDir,
  withStoppedCache,
} from '../support/core-harness.js';
import { type Company, type User, readCompany, signInAs } from '../support/chat-support.js';
import { masterDataOf } from '../support/directory-admin.js';
import { makePng } from '../support/file-support.js';
import { apiClient } from '../support/server-client.js';

const lenasPrivateNumber = '+49 170 5550123';

let server: DemoServer;
let company: Company;
let lena: Person;
let manager: Person;
let colleague: Person;
const cores: TestCore[] = [];

beforeAll(async () => {
  server = await startDemoServer();
  const api = apiClient(server.url);
  company = await readCompany(api, await signInAs(api, 'lena.weber'));
  lena = company.person('lena.weber');
  const found = company.people.find((p) => p.id === lena.managerId);
  const other = company.people.find(
    (p) => p.orgUnitId === lena.orgUnitId && p.id !== lena.id && p.id !== lena.managerId,
  );
  if (!found || !other) throw new Error('the demo company lacks Lena’s manager or a colleague');
  [manager, colleague] = [found, other];
});

afterAll(async () => {
  await Promise.all(cores.map((test) => test.core.close()));
  await server?.stop();
  await removeTempDirs();
});

async function signedIn(username: string): Promise<TestCore> {
  const test = await startTestCore(await tempDir('core'));
  cores.push(test);
  await signIn(test, server.url, username);
  return test;
}

const profileOf = (test: TestCore, id: string) =>
  test.call('getPerson', { id }) as Promise<PersonProfile | null>;

/** Every value of every table of a stopped cache, FTS shadow tables included, as one text. */
function everythingIn(db: CacheDatabase): string {
  const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  return tables.map((table) => JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).raw().all())).join('\n');
}

async function stop(test: TestCore): Promise<void> {
  await test.core.close();
  cores.splice(cores.indexOf(test), 1);
}

it('keeps a private number out of a colleague’s cache entirely, and in the manager’s', async () => {
  const [peer, boss] = await Promise.all([signedIn(colleague.username), signedIn(manager.username)]);
  expect((await profileOf(peer, lena.id))?.privatePhone).toBeNull();
  expect((await profileOf(boss, lena.id))?.privatePhone).toBe(lenasPrivateNumber);
  // The rest of Lena's profile is the same for both.
  expect((await profileOf(peer, lena.id))?.phone).toBe(lena.phone);

  await Promise.all([stop(peer), stop(boss)]);
  const digits = lenasPrivateNumber.slice(-7);
  const [peerCache, bossCache] = await Promise.all([
    withStoppedCache(peer.dataDir, server.url, colleague.username, everythingIn),
    withStoppedCache(boss.dataDir, server.url, manager.username, everythingIn),
  ]);
  expect(peerCache).not.toContain(digits);
  expect(bossCache).toContain(digits);
});

it('purges the number from a former manager’s cache when the person gets another manager', async () => {
  const boss = await signedIn(manager.username);
  expect((await profileOf(boss, lena.id))?.privatePhone).toBe(lenasPrivateNumber);
  const api = apiClient(server.url);
  const admin: User = await signInAs(api, 'admin');
  const moved = await api.put(`/api/v1/admin/people/${lena.id}`, {
    token: admin.token,
    json: { ...masterDataOf(lena), managerId: colleague.id },
  });
  expect(moved.status).toBe(204);
  await boss.call('syncNow');
  expect((await profileOf(boss, lena.id))?.privatePhone).toBeNull();
  expect((await profileOf(boss, lena.id))?.managerId).toBe(colleague.id);
  await stop(boss);
  const cache = await withStoppedCache(boss.dataDir, server.url, manager.username, everythingIn);
  expect(cache).not.toContain(lenasPrivateNumber.slice(-7));
});

it('brings a person’s own profile edit, photo included, from their app to a colleague’s', async () => {
  const [own, peer] = await Promise.all([signedIn('lena.weber'), signedIn(colleague.username)]);
  const photoBytes = makePng(600, 600);
  const upload = await own.core.uploadMedia({ name: 'ich.png', mediaType: 'image/png', bytes: photoBytes });
  if (!upload.ok) throw new Error(upload.error.message);
  const edited = await own.call('updateProfile', {
    pronouns: 'sie/ihr',
    languages: ['Deutsch', 'Polnisch'],
    skills: ['Hydraulik'],
    outOfOffice: { message: 'Bis Montag auf Montage', until: null },
    photoFileId: upload.value.id,
  });
  // At once on her own device, before the server has it.
  expect(edited).toMatchObject({ pronouns: 'sie/ihr', skills: ['Hydraulik'], photoFileId: upload.value.id });
  await own.call('syncNow');
  await expect.poll(async () => (await own.call('listOutbox')).length, { timeout: 10_000 }).toBe(0);
  await peer.call('syncNow');
  expect(await profileOf(peer, lena.id)).toMatchObject({
    pronouns: 'sie/ihr',
    languages: ['Deutsch', 'Polnisch'],
    outOfOffice: { message: 'Bis Montag auf Montage', until: null },
  });
  // Her photo reaches the colleague's screen through his core, checked like any file, and small.
  expect((await profileOf(peer, lena.id))?.photoFileId).toBe(upload.value.id);
  const original = await peer.core.readMedia(upload.value.id);
  if (!original.ok) throw new Error(original.error.message);
  expect(Buffer.from(original.value.bytes).equals(photoBytes)).toBe(true);
  const thumbnail = await peer.core.readMedia(upload.value.id, 'thumbnail');
  expect(thumbnail).toMatchObject({ ok: true, value: { meta: { mediaType: 'image/webp' } } });
  // Found by her new skill, folded like every search.
  const found = await peer.call('listPeople', { query: 'lena polnisch hydraulik' });
  expect(found.people.map((p) => p.id)).toEqual([lena.id]);
});
