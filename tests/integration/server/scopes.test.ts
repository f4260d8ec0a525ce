/**
 * Gaining and losing scopes: added to or removed from a group, moved to another department,
 * given or stripped of a role. A client learns it from the page's `scopes`, backfills a gained
 * scope with `scope` + `until`, and hears nothing more from a lost one.
 */
import { randomUUID } from 'node:crypto';
import { ErrorBody, type ScopeKey, type SyncChange, scopeKey } from '@flurfunk/protocol';
import { beforeAll, expect, it } from 'vitest';
import { upsertOf } from '../support/feed-support.js';
import { describeEachStorage } from '../support/server-backends.js';
import { type ApiClient, apiClient } from '../support/server-client.js';
import {
  type Company,
  type User,
  apply,
  chat,
  createGroup,
  describeChanges,
  history,
  mutate,
  putChannel,
  readCompany,
  sendMessage,
  signInAs,
  syncAll,
} from '../support/chat-support.js';
import { masterDataOf } from '../support/directory-admin.js';

const inScope = (changes: readonly SyncChange[], scope: ScopeKey) => changes.filter((c) => c.scope === scope);

describeEachStorage('scope changes', (backend) => {
  let api: ApiClient;
  let company: Company;
  let lena: User;
  let petra: User;
  let jonas: User;
  let admin: User;

  /** Another demo person of `unit`, signed in (every demo person has the demo password). */
  const colleagueIn = async (unit: string, not: readonly string[]) => {
    const { id, managerId } = company.unit(unit);
    const person = company.people.find(
      (p) => p.orgUnitId === id && p.id !== managerId && !not.includes(p.username),
    );
    if (!person) throw new Error(`nobody else in ${unit}`);
    return signInAs(api, person.username);
  };

  /**
   * A change everyone sees, so that a client's cursor moves past what happened before in scopes
   * it does not have yet: only those older changes are left for a backfill.
   */
  const somethingForEveryone = () => putChannel(api, admin, { title: 'Neuigkeiten', audience: 'company' });

  beforeAll(async () => {
    const server = await backend.start({ demo: true });
    api = apiClient(server.url);
    [lena, petra, jonas, admin] = (await Promise.all(
      ['lena.weber', 'petra.koch', 'jonas.becker', 'admin'].map((name) => signInAs(api, name)),
    )) as [User, User, User, User];
    company = await readCompany(api, lena);
  });

  it('gives a person added to a group its current state, then its earlier messages by backfill', async () => {
    const group = await createGroup(api, lena, [petra], 'Sommerfest');
    const chatScope = scopeKey('chat', group);
    const edited = await sendMessage(api, lena, group, 'Wer bringt Salat mit?');
    await apply(api, lena, chat.editMessage(edited, 'Wer bringt Nudelsalat mit?'));
    const deleted = await sendMessage(api, lena, group, 'Falsche Gruppe, sorry');
    await apply(api, lena, chat.deleteMessage(deleted));
    const answer = await sendMessage(api, petra, group, 'Ich!');
    await somethingForEveryone();

    const before = await syncAll(api, jonas);
    expect(before.scopes).not.toContain(chatScope);
    const added = await apply(api, lena, chat.addMembers(group, [jonas.id]));

    const page = await syncAll(api, jonas, { after: before.cursor });
    expect(page.scopes).toContain(chatScope);
    expect(page.cursor).toBe(added.seq);
    const conversation = page.changes.find((c) => c.type === 'conversation.upsert' && c.id === group);
    expect(conversation).toMatchObject({
      scope: chatScope,
      data: {
        kind: 'group',
        title: 'Sommerfest',
        memberIds: expect.arrayContaining([lena.id, petra.id, jonas.id]),
      },
    });
    // The messages are older than the client's cursor: the page does not carry them.
    expect(page.changes.filter((c) => c.type.startsWith('message.'))).toEqual([]);

    const backfill = await syncAll(api, jonas, { scope: chatScope, until: before.cursor, snapshot: true });
    // The deleted message comes as the tombstone it is now.
    expect(describeChanges(backfill.changes)).toEqual([
      `message.upsert:${edited}`,
      `message.upsert:${deleted}`,
      `message.upsert:${answer}`,
    ]);
    expect(backfill.changes[1]).toMatchObject({ data: { body: '', deletedAt: expect.any(String) } });
    expect(backfill.changes[0]).toMatchObject({
      data: { body: 'Wer bringt Nudelsalat mit?', authorId: lena.id },
    });
    expect(inScope(backfill.changes, chatScope)).toEqual(backfill.changes);

    const messages = await history(api, jonas, group);
    expect(messages.status).toBe(200);
    expect((messages.body as { messages: { id: string }[] }).messages.map((m) => m.id)).toEqual([
      answer,
      deleted,
      edited,
    ]);
    await sendMessage(api, jonas, group, 'Ich bringe Getränke');
  });

  it('tells a person removed from a group that it is gone, and sends nothing of it afterwards', async () => {
    const group = await createGroup(api, lena, [petra, jonas], 'Projekt Phoenix');
    const chatScope = scopeKey('chat', group);
    await sendMessage(api, lena, group, 'Kick-off am Montag');
    await apply(api, jonas, chat.updateSettings(group, { pinned: true }));
    const before = await syncAll(api, jonas);
    expect(before.scopes).toContain(chatScope);
    expect(inScope(before.changes, chatScope).length).toBeGreaterThan(0);

    await apply(api, lena, chat.removeMember(group, jonas.id));
    const page = await syncAll(api, jonas, { after: before.cursor });
    expect(page.scopes).not.toContain(chatScope);
    expect(inScope(page.changes, chatScope)).toEqual([]);
    // His own settings for it are deleted with it.
    expect(page.changes).toEqual([
      {
        seq: expect.any(String),
        id: group,
        scope: scopeKey('user', jonas.id),
        type: 'conversationSettings.delete',
      },
    ]);

    const later = await sendMessage(api, lena, group, 'Protokoll vom Kick-off');
    expect((await syncAll(api, jonas, { after: page.cursor })).changes).toEqual([]);
    expect((await syncAll(api, jonas, { scope: chatScope })).changes).toEqual([]);
    expect((await syncAll(api, jonas, { scope: chatScope, snapshot: true })).changes).toEqual([]);
    const denied = await history(api, jonas, group);
    expect(denied.status).toBe(404);
    expect(ErrorBody.parse(denied.body).error.code).toBe('not_found');
    const [write] = await mutate(api, jonas, [chat.sendMessage(group, 'Darf ich noch?')]);
    expect(write).toMatchObject({ status: 'rejected', code: 'not_found' });

    // The others still have it.
    const petraSees = await syncAll(api, petra, { scope: chatScope });
    expect(describeChanges(petraSees.changes)).toContain(`message.upsert:${later}`);
  });

  it("swaps a moved person's unit, tree and location scopes", async () => {
    const mover = await colleagueIn('Werkstatt', ['lena.weber']);
    const [werkstatt, produktion, root, kommunikation] = [
      'Werkstatt',
      'Produktion',
      'Geschäftsführung',
      'Interne Kommunikation',
    ].map((name) => company.unit(name).id) as [string, string, string, string];
    const werk = company.location('Werk Gütersloh').id;
    const hv = company.location('Hauptverwaltung Bielefeld').id;
    const oldTeam = await putChannel(api, admin, {
      title: 'Werkstatt intern',
      audience: scopeKey('orgUnit', werkstatt),
    });
    const newTeam = await putChannel(api, admin, {
      title: 'Redaktion',
      audience: scopeKey('orgUnit', kommunikation),
    });
    const newSite = await putChannel(api, admin, {
      title: 'HV Bielefeld',
      audience: scopeKey('location', hv),
    });
    await sendMessage(api, lena, oldTeam, 'Werkzeugausgabe heute bis 14 Uhr');
    await apply(api, mover, chat.updateSettings(oldTeam, { muted: true }));
    const welcome = await sendMessage(api, jonas, newTeam, 'Redaktionssitzung Dienstag');
    const parking = await sendMessage(api, jonas, newSite, 'Parkplatz P2 gesperrt');
    await somethingForEveryone();

    const before = await syncAll(api, mover);
    const personal = [scopeKey('user', mover.id), 'company', 'role:employee'];
    expect(new Set(before.scopes)).toEqual(
      new Set([
        ...personal,
        scopeKey('orgUnit', werkstatt),
        scopeKey('orgUnitTree', werkstatt),
        scopeKey('orgUnitTree', produktion),
        scopeKey('orgUnitTree', root),
        scopeKey('location', werk),
      ]),
    );

    const person = company.people.find((p) => p.id === mover.id);
    const moved = await api.put(`/api/v1/admin/people/${mover.id}`, {
      token: admin.token,
      json: { ...masterDataOf(person!), orgUnitId: kommunikation, locationId: hv },
    });
    expect(moved.status).toBe(204);

    const page = await syncAll(api, mover, { after: before.cursor });
    expect(new Set(page.scopes)).toEqual(
      new Set([
        ...personal,
        scopeKey('orgUnit', kommunikation),
        scopeKey('orgUnitTree', kommunikation),
        scopeKey('orgUnitTree', root),
        scopeKey('location', hv),
      ]),
    );
    expect(page.changes.find((c) => c.id === mover.id)).toMatchObject({
      type: 'person.upsert',
      data: { orgUnitId: kommunikation, locationId: hv },
    });
    // The channels they join start read: their history is there, but none of it is unread.
    expect(upsertOf(page.changes, 'conversationSettings.upsert', newTeam).data).toMatchObject({
      muted: false,
      lastReadMessageId: welcome,
    });
    expect(upsertOf(page.changes, 'conversationSettings.upsert', newSite).data.lastReadMessageId).toBe(
      parking,
    );

    const team = await syncAll(api, mover, {
      scope: scopeKey('orgUnit', kommunikation),
      until: before.cursor,
      snapshot: true,
    });
    // The demo company has conversations of its own in these scopes too.
    expect(describeChanges(team.changes)).toEqual(
      expect.arrayContaining([`conversation.upsert:${newTeam}`, `message.upsert:${welcome}`]),
    );
    expect(team.changes.every((change) => change.scope === scopeKey('orgUnit', kommunikation))).toBe(true);
    const site = await syncAll(api, mover, {
      scope: scopeKey('location', hv),
      until: before.cursor,
      snapshot: true,
    });
    // The demo company has conversations of its own in these scopes too.
    expect(describeChanges(site.changes)).toEqual(
      expect.arrayContaining([`conversation.upsert:${newSite}`, `message.upsert:${parking}`]),
    );
    expect(site.changes.every((change) => change.scope === scopeKey('location', hv))).toBe(true);

    // The old team goes on without them.
    const inventur = await sendMessage(api, lena, oldTeam, 'Inventur am Freitag');
    const after = await syncAll(api, mover, { after: page.cursor });
    expect(after.changes).toEqual([]);
    expect((await syncAll(api, mover, { scope: scopeKey('orgUnit', werkstatt) })).changes).toEqual([]);
    expect(
      (await syncAll(api, mover, { scope: scopeKey('location', werk), snapshot: true })).changes,
    ).toEqual([]);
    expect((await history(api, mover, oldTeam)).status).toBe(404);
    expect((await history(api, mover, newTeam)).status).toBe(200);
    // Their settings for the old team's channel are not handed out any more either.
    const everything = await syncAll(api, mover, { snapshot: true });
    expect(describeChanges(everything.changes)).not.toContain(`conversationSettings.upsert:${oldTeam}`);

    // Anything else about them changes no channel they already had: what they did not read stays unread.
    const news = await putChannel(api, admin, { title: 'Neuigkeiten', audience: 'company' });
    await sendMessage(api, jonas, news, 'Kantine heute zu');
    const retitled = await api.put(`/api/v1/admin/people/${mover.id}`, {
      token: admin.token,
      json: { ...masterDataOf(person!), orgUnitId: kommunikation, locationId: hv, title: 'Redakteur' },
    });
    expect(retitled.status).toBe(204);
    const edited = await syncAll(api, mover, { after: everything.cursor });
    expect(describeChanges(edited.changes)).toContain(`person.upsert:${mover.id}`);
    expect(edited.changes.filter((c) => c.type === 'conversationSettings.upsert')).toEqual([]);

    // Moving back, they come back as a newcomer: read up to now, and no longer muted.
    const back = await api.put(`/api/v1/admin/people/${mover.id}`, {
      token: admin.token,
      json: masterDataOf(person!),
    });
    expect(back.status).toBe(204);
    const returned = await syncAll(api, mover, { after: edited.cursor });
    expect(upsertOf(returned.changes, 'conversationSettings.upsert', oldTeam).data).toMatchObject({
      muted: false,
      lastReadMessageId: inventur,
    });
  });

  it('grants and takes away the admin role at once, whatever the access token of the person says', async () => {
    const deputy = await colleagueIn('Montage', []);
    const setRoles = (roles: string[]) =>
      api.put(`/api/v1/admin/accounts/${deputy.id}/roles`, { token: admin.token, json: { roles } });
    const manageChannel = () =>
      api.put(`/api/v1/admin/chat/channels/${randomUUID()}`, {
        token: deputy.token,
        json: { title: 'Vertretung', audience: 'company' },
      });
    expect((await manageChannel()).status).toBe(403);

    // The deputy's token was issued before either change.
    expect((await setRoles(['employee', 'admin'])).status).toBe(204);
    expect((await manageChannel()).status).toBe(204);
    expect((await setRoles(['employee'])).status).toBe(204);
    const refused = await manageChannel();
    expect(refused.status).toBe(403);
    expect(ErrorBody.parse(refused.body).error.code).toBe('forbidden');
  });

  it('opens and closes role channels when an admin changes roles', async () => {
    const taker = await colleagueIn('Montage', []);
    const editors = await putChannel(api, admin, { title: 'Redaktionsteam', audience: 'role:editor' });
    const brief = await sendMessage(api, jonas, editors, 'Themen für die nächste Ausgabe');
    await somethingForEveryone();
    const before = await syncAll(api, taker);
    expect(before.scopes).toContain('role:employee');
    expect(before.scopes).not.toContain('role:editor');

    const setRoles = (roles: string[], as = admin) =>
      api.put(`/api/v1/admin/accounts/${taker.id}/roles`, { token: as.token, json: { roles } });
    expect((await setRoles(['employee', 'editor'], jonas)).status).toBe(403);
    expect((await setRoles(['employee', 'editor'])).status).toBe(204);

    const gained = await syncAll(api, taker, { after: before.cursor });
    expect(gained.scopes).toContain('role:editor');
    const backfill = await syncAll(api, taker, {
      scope: 'role:editor',
      until: before.cursor,
      snapshot: true,
    });
    // The demo company has conversations of its own in these scopes too.
    expect(describeChanges(backfill.changes)).toEqual(
      expect.arrayContaining([`conversation.upsert:${editors}`, `message.upsert:${brief}`]),
    );
    expect(backfill.changes.every((change) => change.scope === 'role:editor')).toBe(true);
    expect((await history(api, taker, editors)).status).toBe(200);

    expect((await setRoles(['employee'])).status).toBe(204);
    const lost = await syncAll(api, taker, { after: gained.cursor });
    expect(lost.scopes).not.toContain('role:editor');
    await sendMessage(api, jonas, editors, 'Nur noch für Redakteure');
    expect((await syncAll(api, taker, { after: lost.cursor })).changes).toEqual([]);
    expect((await syncAll(api, taker, { scope: 'role:editor' })).changes).toEqual([]);
    expect((await history(api, taker, editors)).status).toBe(404);
  });
});
