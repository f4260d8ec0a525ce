import { randomUUID } from 'node:crypto';
import { DirectoryPage, ErrorBody, type Person, SyncPage } from '@flurfunk/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { rotateSyncEpoch } from '@flurfunk/server';
import { describeEachStorage, type TestServer } from '../support/server-backends.js';
import { type ApiClient, apiClient, signIn } from '../support/server-client.js';
import { masterDataOf } from '../support/directory-admin.js';

describeEachStorage('directory and sync', (backend) => {
  let api: ApiClient;
  let employee: string;
  let admin: string;
  let server: TestServer;

  const directoryPage = async (query: string) => {
    const response = await api.get(`/api/v1/directory?${query}`, { token: employee });
    expect(response.status).toBe(200);
    return DirectoryPage.parse(response.body);
  };
  const syncPage = async (after: string, limit = 1000) => {
    const response = await api.get(`/api/v1/sync?after=${after}&limit=${limit}`, { token: employee });
    expect(response.status).toBe(200);
    return SyncPage.parse(response.body);
  };
  /** Pulls until `hasMore` is false, like a client does, and returns all changes and the final cursor. */
  const syncAll = async (after: string, limit: number) => {
    const changes: SyncPage['changes'] = [];
    let cursor = after;
    for (;;) {
      const page = await syncPage(cursor, limit);
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return { changes, cursor };
    }
  };

  beforeAll(async () => {
    server = await backend.start({ demo: true });
    api = apiClient(server.url);
    employee = (await signIn(api, 'lena.weber')).accessToken;
    admin = (await signIn(api, 'admin')).accessToken;
  });

  describe('directory', () => {
    it('pages through everyone exactly once, in phone-list order (last name, first name)', async () => {
      const people: Person[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await directoryPage(`limit=70${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        people.push(...page.people);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);

      expect(pages).toBe(Math.ceil(people.length / 70));
      expect(people.length).toBeGreaterThanOrEqual(290);
      expect(new Set(people.map((p) => p.id)).size).toBe(people.length);
      const collator = new Intl.Collator('de', { sensitivity: 'base' });
      const lastFirst = (p: Person) => [p.lastName, p.firstName] as const;
      for (let i = 1; i < people.length; i++) {
        const [a, b] = [lastFirst(people[i - 1]!), lastFirst(people[i]!)];
        const order = collator.compare(a[0], b[0]) || collator.compare(a[1], b[1]);
        expect(order, `${a.join(', ')} before ${b.join(', ')}`).toBeLessThanOrEqual(0);
      }
      const lena = people.find((p) => p.username === 'lena.weber');
      expect(lena).toMatchObject({ displayName: 'Lena Weber', title: 'Industriemechanikerin' });
      expect(Object.keys(lena ?? {})).not.toContain('passwordHash');
    });

    it('says there is no next page on the last one', async () => {
      const page = await directoryPage('limit=500');
      expect(page.nextCursor).toBeNull();
    });
  });

  describe('sync', () => {
    it('delivers the whole directory from cursor 0 in order, page by page', async () => {
      const { changes, cursor } = await syncAll('0', 97);
      const seqs = changes.map((c) => BigInt(c.seq));
      expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
      // The last page's cursor is the end of the log, which may hold later changes in others' scopes.
      expect(BigInt(cursor)).toBeGreaterThanOrEqual(BigInt(changes.at(-1)?.seq ?? '0'));
      const types = new Set(changes.map((c) => c.type));
      // The directory (with Lena's own private number), plus the demo conversations and newsfeed
      // this user is in, and the canteens with their plans.
      expect(types).toEqual(
        new Set([
          'location.upsert',
          'orgUnit.upsert',
          'person.upsert',
          'privateContact.upsert',
          'conversation.upsert',
          'message.upsert',
          'feedChannel.upsert',
          'post.upsert',
          'postStats.upsert',
          'postComment.upsert',
          'canteen.upsert',
          'canteenWeek.upsert',
        ]),
      );
      const locations = changes.flatMap((c) => (c.type === 'location.upsert' ? [c.data.name] : []));
      expect(locations).toEqual(['Hauptverwaltung Bielefeld', 'Werk Gütersloh', 'Außendienst']);

      const empty = await syncPage(cursor);
      expect(empty).toEqual({
        epoch: expect.any(String),
        scopes: expect.arrayContaining(['company']),
        changes: [],
        cursor,
        hasMore: false,
      });
    });

    it('sends only what changed after the cursor, with current data, and tombstones for deletions', async () => {
      const { cursor: start } = await syncAll('0', 1000);
      const { people } = await directoryPage('limit=500');
      const [renamed, removed] = people.filter((p) => p.username !== 'lena.weber' && p.username !== 'admin');
      if (!renamed || !removed) throw new Error('demo company too small');

      const edit = (person: Person, title: string) =>
        api.put(`/api/v1/admin/people/${person.id}`, {
          token: admin,
          json: { ...masterDataOf(person), title },
        });
      expect((await edit(renamed, 'Schichtleiter Montage')).status).toBe(204);
      expect((await edit(renamed, 'Meister Montage')).status).toBe(204);
      expect((await api.delete(`/api/v1/admin/people/${removed.id}`, { token: admin })).status).toBe(204);

      const { changes, cursor } = await syncAll(start, 1);
      const forRenamed = changes.filter((c) => c.id === renamed.id);
      expect(forRenamed).toHaveLength(1);
      expect(forRenamed[0]).toMatchObject({ type: 'person.upsert', data: { title: 'Meister Montage' } });
      expect(changes.filter((c) => c.id === removed.id)).toEqual([
        { seq: expect.any(String), id: removed.id, scope: 'company', type: 'person.delete' },
      ]);
      // People who reported to the removed person lose their manager, and clients learn that too.
      const reports = people.filter((p) => p.managerId === removed.id).map((p) => p.id);
      for (const id of reports) {
        expect(changes.find((c) => c.id === id)).toMatchObject({
          type: 'person.upsert',
          data: { managerId: null },
        });
      }
      expect(BigInt(cursor)).toBeGreaterThan(BigInt(start));

      const after = await directoryPage('limit=500');
      expect(after.people.find((p) => p.id === removed.id)).toBeUndefined();
      expect(after.people.find((p) => p.id === renamed.id)?.title).toBe('Meister Montage');
    });

    it('syncs new org units and locations and their deletion', async () => {
      const { cursor: start } = await syncAll('0', 1000);
      const locationId = randomUUID();
      const unitId = randomUUID();
      const putLocation = await api.put(`/api/v1/admin/locations/${locationId}`, {
        token: admin,
        json: { name: 'Lager Rheda', kind: 'other', address: 'Gewerbepark 7, 33378 Rheda-Wiedenbrück' },
      });
      expect(putLocation.status).toBe(204);
      const putUnit = await api.put(`/api/v1/admin/org-units/${unitId}`, {
        token: admin,
        json: { name: 'Außenlager', parentId: null, managerId: null },
      });
      expect(putUnit.status).toBe(204);
      expect((await api.delete(`/api/v1/admin/locations/${locationId}`, { token: admin })).status).toBe(204);

      const { changes } = await syncAll(start, 10);
      expect(changes.map((c) => [c.type, c.id])).toEqual([
        ['orgUnit.upsert', unitId],
        ['location.delete', locationId],
      ]);
    });

    it('lets only admins change the directory, and rejects broken references', async () => {
      const { people } = await directoryPage('limit=1');
      const person = people[0]!;
      const body = masterDataOf(person);
      const asEmployee = await api.put(`/api/v1/admin/people/${person.id}`, { token: employee, json: body });
      expect(asEmployee.status).toBe(403);
      expect(ErrorBody.parse(asEmployee.body).error.code).toBe('forbidden');

      const dangling = await api.put(`/api/v1/admin/people/${person.id}`, {
        token: admin,
        json: { ...body, orgUnitId: randomUUID() },
      });
      expect(dangling.status).toBe(400);
      expect(ErrorBody.parse(dangling.body).error.code).toBe('bad_request');

      const missing = await api.delete(`/api/v1/admin/people/${randomUUID()}`, { token: admin });
      expect(missing.status).toBe(404);
    });

    it('tells a client whose cursor is from the future to sync again from 0', async () => {
      const response = await api.get('/api/v1/sync?after=999999999', { token: employee });
      expect(response.status).toBe(410);
      expect(ErrorBody.parse(response.body).error.code).toBe('resync_required');
    });

    it('names its change log with an epoch that stays across restarts and differs between databases', async () => {
      const { epoch } = await syncPage('0', 1);
      expect((await syncPage('0', 1)).epoch).toBe(epoch);

      await server.close();
      server = await backend.start({}, server.storage);
      api = apiClient(server.url);
      employee = (await signIn(api, 'lena.weber')).accessToken;
      admin = (await signIn(api, 'admin')).accessToken;
      expect((await syncPage('0', 1)).epoch).toBe(epoch);

      // A fresh database (a reset or another company) has another log, even at the same cursor.
      const other = await backend.start({ demo: true });
      const otherApi = apiClient(other.url);
      const { accessToken } = await signIn(otherApi, 'lena.weber');
      const otherPage = SyncPage.parse(
        (await otherApi.get('/api/v1/sync?after=0&limit=1', { token: accessToken })).body,
      );
      expect(otherPage.epoch).not.toBe(epoch);
    });
    it('gets a new epoch from rotate-sync-epoch (run after restoring a backup), which the next page carries', async () => {
      const before = await syncPage('0', 1);
      if ('dataDir' in server.storage) {
        // PGlite belongs to one process: the server is stopped for the command.
        await server.close();
        const rotated = await rotateSyncEpoch({ ...server.storage, logLevel: 'silent' });
        server = await backend.start({}, server.storage);
        api = apiClient(server.url);
        employee = (await signIn(api, 'lena.weber')).accessToken;
        admin = (await signIn(api, 'admin')).accessToken;
        expect((await syncPage('0', 1)).epoch).toBe(rotated);
      } else {
        // With PostgreSQL the running instances pick it up at once.
        const rotated = await rotateSyncEpoch({ ...server.storage, logLevel: 'silent' });
        expect((await syncPage(before.cursor, 1)).epoch).toBe(rotated);
      }
      const after = await syncPage('0', 1);
      expect(after.epoch).not.toBe(before.epoch);
      // Only the name changed: the log itself is the same.
      expect(after.changes).toEqual(before.changes);
    });
  });

  // Last: it leaves tombstones in the change log that the sync tests above do not expect.
  describe('directory cursors', () => {
    it('pages exactly through people whose names are too long for a cursor, even when one is deleted meanwhile', async () => {
      // "ﷺ" folds to 18 letters: these sort keys share their first 500+ bytes, more than a cursor holds.
      const longName = 'ﷺ'.repeat(30);
      const people = ['a', 'b', 'c', 'd'].map((suffix) => ({
        id: randomUUID(),
        username: `long.${suffix}.${randomUUID().slice(0, 8)}`,
        firstName: suffix.toUpperCase(),
        lastName: `${longName}${suffix}`,
        displayName: `${suffix.toUpperCase()} ${longName}${suffix}`,
        title: 'Gast',
        orgUnitId: null,
        locationId: null,
        managerId: null,
        email: '',
        phone: '',
        room: '',
      }));
      for (const { id, ...body } of people) {
        expect((await api.put(`/api/v1/admin/people/${id}`, { token: admin, json: body })).status).toBe(204);
      }
      const ids = people.map((p) => p.id);
      const total = (await directoryPage('limit=500')).people.length;
      // Their Arabic letters sort after every Latin name: the first page ends with the first of them.
      const first = await directoryPage(`limit=${total - ids.length + 1}`);
      expect(first.people.at(-1)?.id).toBe(ids[0]);
      expect(first.nextCursor?.length).toBeLessThanOrEqual(500);

      const rest = async (cursor: string | null) => {
        const seen: string[] = [];
        while (cursor) {
          const page: DirectoryPage = await directoryPage(`limit=1&cursor=${encodeURIComponent(cursor)}`);
          seen.push(...page.people.map((p) => p.id));
          cursor = page.nextCursor;
        }
        return seen;
      };
      expect(await rest(first.nextCursor)).toEqual(ids.slice(1));

      // The person a cursor points at is gone: nobody after them is skipped (a repeat is harmless).
      expect((await api.delete(`/api/v1/admin/people/${ids[0]}`, { token: admin })).status).toBe(204);
      expect([...new Set(await rest(first.nextCursor))]).toEqual(ids.slice(1));
    });
  });
});
