/**
 * What people fill in about themselves, what only some may see, who celebrates, and who has
 * left: all decided by the server and delivered through sync, never by hiding things in the UI.
 */
import { pino } from 'pino';
import { v7 } from 'uuid';
import { DirectoryPage, ErrorBody, type Person, type SyncChange, TokenResponse } from '@flurfunk/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/src/db/open.js';
import { masterDataOf } from '../support/directory-admin.js';
import { downloadFile, makePng, uploadFile } from '../support/file-support.js';
import { type TestServer, describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient, demoPassword } from '../support/server-client.js';
import {
  type Company,
  type Synced,
  type User,
  apply,
  mutate,
  readCompany,
  sendMessage,
  signInAs,
  syncAll,
} from '../support/chat-support.js';

const privateContactsIn = (changes: readonly SyncChange[]) =>
  changes.flatMap((change) =>
    change.type === 'privateContact.upsert' ? [[change.id, change.data.privatePhone] as const] : [],
  );
const personIn = (changes: readonly SyncChange[], id: string): Person | undefined =>
  changes.findLast(
    (change): change is Extract<SyncChange, { type: 'person.upsert' }> =>
      change.type === 'person.upsert' && change.id === id,
  )?.data;

describeEachStorage('directory profiles', (backend) => {
  let server: TestServer;
  let serverUrl: string;
  let api: ApiClient;
  let company: Company;
  let lena: User;
  let admin: User;
  /** Lena's manager, head of HR, and a colleague who is neither. */
  let manager: User;
  let hrHead: User;
  let colleague: User;

  const profileEdit = (args: Record<string, unknown>) => ({
    id: v7(),
    type: 'directory.updateProfile' as const,
    args: { pronouns: '', languages: [], skills: [], outOfOffice: null, photoFileId: null, ...args },
  });

  beforeAll(async () => {
    server = await backend.start({ demo: true });
    serverUrl = server.url;
    api = apiClient(server.url);
    [lena, admin] = (await Promise.all(['lena.weber', 'admin'].map((name) => signInAs(api, name)))) as [
      User,
      User,
    ];
    company = await readCompany(api, lena);
    const lenaPerson = company.person('lena.weber');
    const managerPerson = company.people.find((p) => p.id === lenaPerson.managerId);
    const hrPerson = company.people.find((p) => p.id === company.unit('Personal').managerId);
    const other = company.people.find(
      (p) =>
        p.orgUnitId === lenaPerson.orgUnitId &&
        p.id !== lenaPerson.id &&
        p.id !== managerPerson?.id &&
        p.managerId !== lenaPerson.id,
    );
    if (!managerPerson || !hrPerson || !other) throw new Error('demo company lacks people');
    [manager, hrHead, colleague] = (await Promise.all(
      [managerPerson, hrPerson, other].map((p) => signInAs(api, p.username)),
    )) as [User, User, User];
  });

  describe('restricted fields', () => {
    it('sends a private number only to the person, their manager and HR, never to a colleague', async () => {
      const lenaId = lena.id;
      const seen = async (user: User) => {
        const [full, snapshot] = await Promise.all([
          syncAll(api, user),
          syncAll(api, user, { snapshot: true }),
        ]);
        return {
          full: new Map(privateContactsIn(full.changes)),
          snapshot: new Map(privateContactsIn(snapshot.changes)),
          raw: JSON.stringify(full.changes),
        };
      };
      type View = Awaited<ReturnType<typeof seen>>;
      const [own, boss, hr, peer] = (await Promise.all([lena, manager, hrHead, colleague].map(seen))) as [
        View,
        View,
        View,
        View,
      ];
      for (const view of [own, boss, hr]) {
        expect(view.full.get(lenaId)).toBe('+49 170 5550123');
        expect(view.snapshot.get(lenaId)).toBe('+49 170 5550123');
      }
      // HR sees everyone's who has one; the manager only their reports'.
      expect(hr.full.size).toBeGreaterThan(boss.full.size);
      expect(peer.full.has(lenaId)).toBe(false);
      expect(peer.snapshot.has(lenaId)).toBe(false);
      // Not in a person record or anywhere else in the colleague's sync either.
      expect(peer.raw).not.toContain('5550123');
      expect(peer.raw).not.toContain('privatePhone');
    });

    it('moves with a new manager and goes with a lost HR role', async () => {
      const before = await Promise.all([manager, colleague, hrHead].map((user) => syncAll(api, user)));
      const lenaPerson = company.person('lena.weber');
      const moved = await api.put(`/api/v1/admin/people/${lena.id}`, {
        token: admin.token,
        json: { ...masterDataOf(lenaPerson), managerId: colleague.id, privatePhone: '+49 170 5550123' },
      });
      expect(moved.status).toBe(204);
      const [oldBoss, newBoss] = (await Promise.all(
        [manager, colleague].map((user, i) => syncAll(api, user, { after: before[i]?.cursor })),
      )) as [Synced, Synced];
      expect(oldBoss.changes).toContainEqual(
        expect.objectContaining({ type: 'privateContact.delete', id: lena.id, scope: `user:${manager.id}` }),
      );
      expect(privateContactsIn(newBoss.changes)).toEqual([[lena.id, '+49 170 5550123']]);

      const demoted = await api.put(`/api/v1/admin/accounts/${hrHead.id}/roles`, {
        token: admin.token,
        json: { roles: ['employee'] },
      });
      expect(demoted.status).toBe(204);
      const afterHr = await syncAll(api, hrHead, { after: before[2]?.cursor });
      const gone = afterHr.changes.filter((c) => c.type === 'privateContact.delete').map((c) => c.id);
      expect(gone).toContain(lena.id);
      expect(
        (await syncAll(api, hrHead, { snapshot: true })).changes.some(
          (c) => c.id === lena.id && c.type === 'privateContact.upsert',
        ),
      ).toBe(false);

      // Put things back for the other tests.
      await api.put(`/api/v1/admin/accounts/${hrHead.id}/roles`, {
        token: admin.token,
        json: { roles: ['employee', 'hr'] },
      });
      await api.put(`/api/v1/admin/people/${lena.id}`, {
        token: admin.token,
        json: { ...masterDataOf(lenaPerson), privatePhone: '+49 170 5550123' },
      });
    });
  });

  describe('own profile', () => {
    it('lets people describe themselves, seen by everyone at the next sync', async () => {
      const { cursor } = await syncAll(api, colleague);
      const photo = await uploadFile(serverUrl, lena, { bytes: makePng(400, 400), name: 'ich.png' });
      expect(photo.status).toBe(201);
      await apply(
        api,
        lena,
        profileEdit({
          pronouns: 'sie/ihr',
          languages: ['Deutsch', 'Englisch', 'deutsch'],
          skills: ['Hydraulik', 'Ersthelferin'],
          outOfOffice: { message: 'Im Urlaub, Vertretung: Tim', until: '2026-12-24' },
          photoFileId: photo.id,
        }),
      );
      const { changes } = await syncAll(api, colleague, { after: cursor });
      expect(personIn(changes, lena.id)).toMatchObject({
        pronouns: 'sie/ihr',
        languages: ['Deutsch', 'Englisch'],
        skills: ['Hydraulik', 'Ersthelferin'],
        outOfOffice: { message: 'Im Urlaub, Vertretung: Tim', until: '2026-12-24' },
        // With its meta, so every device can fetch and check it like an attachment.
        photo: { id: photo.id, mediaType: 'image/png', width: 400, height: 400, size: expect.any(Number) },
        title: 'Industriemechanikerin',
      });
      // The photo is for the whole company to see.
      expect((await downloadFile(serverUrl, colleague, photo.id)).status).toBe(200);
    });

    it('refuses someone else’s file as a photo, and fields that HR keeps', async () => {
      const theirs = await uploadFile(serverUrl, colleague, { bytes: makePng(50, 50), name: 'x.png' });
      const [wrongPhoto, hrField] = await mutate(api, lena, [
        profileEdit({ photoFileId: theirs.id }),
        { ...profileEdit({}), args: { ...profileEdit({}).args, title: 'Chefin' } },
      ]);
      expect(wrongPhoto).toMatchObject({ status: 'rejected', code: 'invalid' });
      expect(hrField).toMatchObject({ status: 'rejected', code: 'invalid' });
    });
  });

  describe('birthdays and anniversaries', () => {
    it('shows them only with consent, records the consent, and removes the data when withdrawn', async () => {
      const { cursor } = await syncAll(api, colleague);
      await apply(api, lena, {
        id: v7(),
        type: 'directory.setCelebrations',
        args: { birthday: '02-29', showWorkAnniversary: true },
      });
      const given = await syncAll(api, colleague, { after: cursor });
      const shown = personIn(given.changes, lena.id);
      expect(shown?.birthday).toBe('02-29');
      expect(shown?.workAnniversary).toMatch(/^\d{4}-\d{2}-\d{2}$/);

      await apply(api, lena, {
        id: v7(),
        type: 'directory.setCelebrations',
        args: { birthday: null, showWorkAnniversary: false },
      });
      const withdrawn = await syncAll(api, colleague, { after: given.cursor });
      expect(personIn(withdrawn.changes, lena.id)).toMatchObject({ birthday: null, workAnniversary: null });

      const [invalidDay] = await mutate(api, lena, [
        {
          id: v7(),
          type: 'directory.setCelebrations',
          args: { birthday: '02-30', showWorkAnniversary: false },
        },
      ]);
      expect(invalidDay).toMatchObject({ status: 'rejected', code: 'invalid' });
    });
  });

  describe('deactivation', () => {
    it('signs the person out, hides them from the directory, and keeps their name on messages', async () => {
      const leaver = await signInAs(api, colleague.username);
      const refresh = await api.post('/api/v1/auth/login', {
        json: { username: colleague.username, password: demoPassword, deviceName: 'leaver' },
      });
      const { refreshToken } = TokenResponse.parse(refresh.body);
      const group = await apply(api, lena, {
        id: v7(),
        type: 'chat.createGroup',
        args: { conversationId: v7(), title: 'Abschied', memberIds: [leaver.id] },
      });
      await sendMessage(api, leaver, group.entityId ?? '', 'Macht es gut!');
      const { cursor } = await syncAll(api, lena);

      expect(
        (await api.post(`/api/v1/admin/people/${leaver.id}/deactivate`, { token: admin.token })).status,
      ).toBe(204);

      const { changes } = await syncAll(api, lena, { after: cursor });
      expect(personIn(changes, leaver.id)).toMatchObject({
        id: leaver.id,
        displayName: expect.any(String),
        deactivated: true,
        email: '',
        phone: '',
        orgUnitId: null,
        skills: [],
      });
      const listed = DirectoryPage.parse(
        (await api.get('/api/v1/directory?limit=500', { token: lena.token })).body,
      );
      expect(listed.people.some((p) => p.id === leaver.id)).toBe(false);

      const login = await api.post('/api/v1/auth/login', {
        json: { username: leaver.username, password: demoPassword, deviceName: 'again' },
      });
      expect(login.status).toBe(401);
      const refreshed = await api.post('/api/v1/auth/refresh', { json: { refreshToken } });
      expect(ErrorBody.parse(refreshed.body).error.code).toBe('device_revoked');
      expect((await api.get('/api/v1/directory?limit=1', { token: leaver.token })).status).toBe(401);

      expect(
        (await api.post(`/api/v1/admin/people/${leaver.id}/reactivate`, { token: admin.token })).status,
      ).toBe(204);
      const back = await api.post('/api/v1/auth/login', {
        json: { username: leaver.username, password: demoPassword, deviceName: 'back' },
      });
      expect(back.status).toBe(200);
      const again = DirectoryPage.parse(
        (await api.get('/api/v1/directory?limit=500', { token: lena.token })).body,
      );
      expect(again.people.find((p) => p.id === leaver.id)?.email).not.toBe('');
      expect((await api.post(`/api/v1/admin/people/${v7()}/deactivate`, { token: admin.token })).status).toBe(
        404,
      );
    });
  });

  it('keeps proof of every consent given and withdrawn', async () => {
    await server.close();
    const db = await openDatabase(server.storage, pino({ level: 'silent' }));
    try {
      const consents = await db.query<{ kind: string; granted: boolean; recorded_at: Date }>(
        'SELECT kind, granted, recorded_at FROM consent_log WHERE person_id = $1 ORDER BY id',
        [lena.id],
      );
      expect(consents.slice(-4).map(({ kind, granted }) => ({ kind, granted }))).toEqual([
        { kind: 'birthday', granted: true },
        { kind: 'workAnniversary', granted: true },
        { kind: 'birthday', granted: false },
        { kind: 'workAnniversary', granted: false },
      ]);
      expect(consents.every((consent) => consent.recorded_at instanceof Date)).toBe(true);
    } finally {
      await db.close();
    }
  });
});
