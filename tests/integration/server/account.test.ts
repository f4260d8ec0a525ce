/**
 * The signed-in person's own account on the real server: the devices signed in to it, signing one
 * or all others out (tokens, refresh and live socket stop at once), and the export of everything
 * the server holds about them as a ZIP, with nobody else's data in it.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { DeviceList, ErrorBody, LiveCloseCode, type TokenResponse } from '@flurfunk/protocol';
import { unzipSync, strFromU8 } from 'fflate';
import { v7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { describeEachStorage, type TestServer } from '../support/server-backends.js';
import { type ApiClient, type ApiResponse, apiClient, signIn } from '../support/server-client.js';
import { type User, apply, chat, createGroup, sendMessage, signInAs } from '../support/chat-support.js';
import { addComment, channelNamed, eventually, feed, publishPost } from '../support/feed-support.js';
import { makePdf, uploadFile } from '../support/file-support.js';

/** Seen by Lena, her manager and HR only (the demo company). */
const lenasPrivatePhone = '+49 170 5550123';

/** The device an access token belongs to (its `did` claim). */
function deviceIdOf(accessToken: string): string {
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as {
    did: string;
  };
  return claims.did;
}

/** A live socket of the device and how it closed. */
async function openLiveSocket(serverUrl: string, accessToken: string) {
  const socket = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/api/v1/live`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    socket.once('message', resolve);
    socket.once('error', reject);
  });
  return { socket, closed };
}

/** A request whose answer is not read: the server cannot write on once the buffers are full. */
function stalledRequest(serverUrl: string, path: string, token: string) {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const request = httpRequest(`${serverUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    request.once('response', resolve);
    request.once('error', reject);
    request.end();
  });
}

async function download(serverUrl: string, path: string, token: string) {
  const response = await fetch(`${serverUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

describeEachStorage('account', (backend) => {
  let server: TestServer;
  let api: ApiClient;

  const devicesOf = async (token: string) => {
    const response = await api.get('/api/v1/me/devices', { token });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return DeviceList.parse(response.body).devices;
  };
  const errorOf = (response: ApiResponse) =>
    `${response.status} ${ErrorBody.parse(response.body).error.code}`;
  const refresh = (tokens: TokenResponse) =>
    api.post('/api/v1/auth/refresh', { json: { refreshToken: tokens.refreshToken } });

  beforeAll(async () => {
    server = await backend.start({ demo: true });
    api = apiClient(server.url);
  });

  describe('devices', () => {
    it('lists the devices signed in, most recently used first, this one marked current', async () => {
      const laptop = await signIn(api, 'lena.weber', 'Lenas Laptop');
      const terminal = await signIn(api, 'lena.weber', 'Werkstatt-Terminal');
      const devices = await devicesOf(laptop.accessToken);
      const ours = devices.filter((d) => [laptop, terminal].some((t) => deviceIdOf(t.accessToken) === d.id));
      expect(ours.map(({ name, current }) => ({ name, current }))).toEqual([
        { name: 'Werkstatt-Terminal', current: false },
        { name: 'Lenas Laptop', current: true },
      ]);
      expect(devices.filter((d) => d.current)).toHaveLength(1);
      expect(Date.parse(ours[0]!.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(ours[1]!.lastUsedAt));
      // Someone else's devices are not among them.
      const petra = await signIn(api, 'petra.koch', 'Petras Telefon');
      expect(devices.map((d) => d.id)).not.toContain(deviceIdOf(petra.accessToken));
    });

    it('signs another device out: its token, its refresh and its live socket stop at once', async () => {
      const mine = await signIn(api, 'jonas.becker', 'Büro');
      const other = await signIn(api, 'jonas.becker', 'Zuhause');
      const otherId = deviceIdOf(other.accessToken);
      const live = await openLiveSocket(server.url, other.accessToken);

      const response = await api.delete(`/api/v1/me/devices/${otherId}`, { token: mine.accessToken });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      const left = DeviceList.parse(response.body).devices;
      expect(left.map((d) => d.id)).not.toContain(otherId);
      expect(left.find((d) => d.current)?.id).toBe(deviceIdOf(mine.accessToken));

      // The default heartbeat is 30 s: a close within the test's time comes from the sign-out.
      expect(await live.closed).toBe(LiveCloseCode.deviceRevoked);
      expect(errorOf(await api.get('/api/v1/me/devices', { token: other.accessToken }))).toBe(
        '401 device_revoked',
      );
      expect(errorOf(await refresh(other))).toBe('401 device_revoked');
      // Mine keeps working, also its refresh.
      await devicesOf(mine.accessToken);
      expect((await refresh(mine)).status).toBe(200);
      // Signed out already: there is no such signed-in device any more.
      expect(errorOf(await api.delete(`/api/v1/me/devices/${otherId}`, { token: mine.accessToken }))).toBe(
        '404 not_found',
      );
    });

    if (backend.name === 'postgresql') {
      it('closes the signed-out device’s socket on another server instance at once', async () => {
        const other = await backend.start({}, server.storage);
        try {
          const mine = await signIn(api, 'jonas.becker', 'Büro');
          const elsewhere = await signIn(api, 'jonas.becker', 'Tablet');
          const live = await openLiveSocket(other.url, elsewhere.accessToken);
          const response = await api.delete(`/api/v1/me/devices/${deviceIdOf(elsewhere.accessToken)}`, {
            token: mine.accessToken,
          });
          expect(response.status).toBe(200);
          // The other instance's heartbeat is 30 s away: the close comes from the notice.
          expect(await live.closed).toBe(LiveCloseCode.deviceRevoked);
        } finally {
          await other.close();
        }
      });
    }

    it('signs out every other device at once and keeps this one', async () => {
      const [mine, second, third] = await Promise.all(
        ['Kiosk 1', 'Kiosk 2', 'Kiosk 3'].map((name) => signIn(api, 'petra.koch', name)),
      );
      const live = await openLiveSocket(server.url, third!.accessToken);
      const response = await api.post('/api/v1/me/devices/sign-out-others', { token: mine!.accessToken });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(DeviceList.parse(response.body).devices).toEqual([
        expect.objectContaining({ id: deviceIdOf(mine!.accessToken), name: 'Kiosk 1', current: true }),
      ]);
      for (const tokens of [second!, third!]) {
        expect(errorOf(await api.get('/api/v1/me/devices', { token: tokens.accessToken }))).toBe(
          '401 device_revoked',
        );
        expect(errorOf(await refresh(tokens))).toBe('401 device_revoked');
      }
      expect(await live.closed).toBe(LiveCloseCode.deviceRevoked);
      expect(await devicesOf(mine!.accessToken)).toHaveLength(1);
    });

    it('signs out the device asking, like a sign-out', async () => {
      const tokens = await signIn(api, 'lena.weber', 'Leihgerät');
      const id = deviceIdOf(tokens.accessToken);
      const response = await api.delete(`/api/v1/me/devices/${id}`, { token: tokens.accessToken });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(DeviceList.parse(response.body).devices.map((d) => d.id)).not.toContain(id);
      expect(errorOf(await api.get('/api/v1/me/devices', { token: tokens.accessToken }))).toBe(
        '401 device_revoked',
      );
    });

    it("answers someone else's device as one that does not exist, and leaves it signed in", async () => {
      const lena = await signIn(api, 'lena.weber', 'Lenas Tablet');
      const petra = await signIn(api, 'petra.koch', 'Petras Tablet');
      const petrasDevice = deviceIdOf(petra.accessToken);
      expect(
        errorOf(await api.delete(`/api/v1/me/devices/${petrasDevice}`, { token: lena.accessToken })),
      ).toBe('404 not_found');
      expect((await devicesOf(petra.accessToken)).map((d) => d.id)).toContain(petrasDevice);
      expect(errorOf(await api.delete('/api/v1/me/devices/not-a-uuid', { token: lena.accessToken }))).toBe(
        '400 bad_request',
      );
    });

    it('is only for the signed in, and is in the OpenAPI document', async () => {
      expect(errorOf(await api.get('/api/v1/me/devices'))).toBe('401 unauthorized');
      expect(errorOf(await api.post('/api/v1/me/devices/sign-out-others'))).toBe('401 unauthorized');
      const someId = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
      expect(errorOf(await api.delete(`/api/v1/me/devices/${someId}`))).toBe('401 unauthorized');
      expect(errorOf(await api.get('/api/v1/me/export'))).toBe('401 unauthorized');
      const { body } = await api.get<{ paths: Record<string, unknown> }>('/api/v1/openapi.json');
      expect(Object.keys(body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/me/devices',
          '/api/v1/me/devices/{id}',
          '/api/v1/me/devices/sign-out-others',
          '/api/v1/me/export',
        ]),
      );
    });
  });

  describe('data export', () => {
    it("holds the person's profile, messages, post, comment, vote and files, and nothing of others", async () => {
      const [jonas, lena, petra] = (await Promise.all(
        ['jonas.becker', 'lena.weber', 'petra.koch'].map((name) => signInAs(api, name)),
      )) as [User, User, User];
      const pdf = makePdf(`Schichtplan ${randomBytes(8).toString('hex')}`);
      const upload = await uploadFile(server.url, jonas, { bytes: pdf, name: 'Schichtplan März.pdf' });
      expect(upload.status, JSON.stringify(upload.body)).toBe(201);
      const group = await createGroup(api, jonas, [lena], 'Werkstatt und Redaktion');
      const messageId = v7();
      await apply(
        api,
        jonas,
        chat.sendMessage(group, 'Hallo Lena, hier der Plan', messageId, { attachments: [upload.id] }),
      );
      const lenasMessage = await sendMessage(api, lena, group, 'Danke, Jonas – schaue ich mir an');
      await apply(api, jonas, chat.react(lenasMessage, '👍'));
      await apply(api, jonas, chat.updateSettings(group, { pinned: true, lastReadMessageId: lenasMessage }));
      const secret = await createGroup(api, lena, [petra], 'Nur Lena und Petra');
      await sendMessage(api, lena, secret, 'Geheimnis 4711 nur für Petra');

      const channel = await channelNamed(api, jonas, 'Unternehmen');
      const postId = await publishPost(api, jonas, {
        channelId: channel.id,
        title: 'Sommerfest 2026',
        body: 'Wir feiern am Werk.',
        poll: {
          question: 'Welcher Tag?',
          options: ['Freitag', 'Samstag'],
          multiple: false,
          anonymous: true,
          closesAt: null,
        },
      });
      await apply(api, jonas, feed.vote(postId, [1]));
      const commentId = await addComment(api, jonas, postId, 'Ich bringe den Grill mit.');

      const exported = await download(server.url, '/api/v1/me/export', jonas.token);
      expect(exported.status, exported.bytes.toString()).toBe(200);
      expect(exported.headers.get('content-type')).toBe('application/zip');
      expect(exported.headers.get('cache-control')).toBe('no-store');
      expect(exported.headers.get('content-disposition')).toMatch(
        /^attachment; filename="flurfunk-export-jonas\.becker-\d{4}-\d{2}-\d{2}\.zip"$/,
      );

      const entries = unzipSync(new Uint8Array(exported.bytes));
      expect(Object.keys(entries)).toEqual(expect.arrayContaining(['README.txt', 'data.json']));
      const readme = strFromU8(entries['README.txt']!);
      expect(readme).toContain('Ernährungsprofil');
      expect(readme).toContain('diet profile');
      const json = strFromU8(entries['data.json']!);
      const data = JSON.parse(json) as {
        format: number;
        exportedAt: string;
        person: { id: string; username: string; privatePhone: string };
        account: { username: string; roles: string[] };
        devices: { id: string }[];
        conversations: { id: string; title: string; pinned: boolean }[];
        readPositions: { conversationId: string; lastReadMessageId: string }[];
        messages: { id: string; text: string; attachments: { id: string }[] }[];
        messageReactions: { messageId: string; emoji: string }[];
        posts: { id: string; title: string; text: string; poll: { question: string } | null }[];
        comments: { id: string; text: string }[];
        pollVotes: { postId: string; option: number; optionText: string }[];
        files: { id: string; name: string; path?: string; leftOutBecause?: string }[];
      };
      expect(data).toMatchObject({ format: 1, person: { id: jonas.id, username: 'jonas.becker' } });
      expect(typeof data.person.privatePhone).toBe('string');
      expect(data.account).toEqual({
        username: 'jonas.becker',
        roles: expect.arrayContaining(['employee', 'editor']),
        hasPassword: true,
      });
      expect(data.devices.map((d) => d.id)).toContain(deviceIdOf(jonas.token));
      expect(data.conversations).toContainEqual(
        expect.objectContaining({ id: group, title: 'Werkstatt und Redaktion', pinned: true }),
      );
      expect(data.readPositions).toContainEqual({
        conversationId: group,
        lastReadMessageId: lenasMessage,
        lastReadMessageSentAt: expect.any(String),
      });
      expect(data.messages).toContainEqual(
        expect.objectContaining({
          id: messageId,
          text: 'Hallo Lena, hier der Plan',
          attachments: [expect.objectContaining({ id: upload.id })],
        }),
      );
      expect(data.messageReactions).toContainEqual(
        expect.objectContaining({ messageId: lenasMessage, emoji: '👍' }),
      );
      expect(data.posts).toContainEqual(
        expect.objectContaining({ id: postId, title: 'Sommerfest 2026', text: 'Wir feiern am Werk.' }),
      );
      expect(data.comments).toContainEqual(
        expect.objectContaining({ id: commentId, text: 'Ich bringe den Grill mit.' }),
      );
      expect(data.pollVotes).toContainEqual(
        expect.objectContaining({ postId, option: 1, optionText: 'Samstag' }),
      );

      const file = data.files.find((f) => f.id === upload.id);
      expect(file).toMatchObject({
        name: 'Schichtplan März.pdf',
        path: `files/${upload.id}-Schichtplan März.pdf`,
      });
      expect(Buffer.from(entries[file!.path!]!).equals(pdf)).toBe(true);

      // Never a credential, and nothing of what only others may read.
      const everything = [
        exported.bytes.toString('latin1'),
        ...Object.values(entries).map((e) => strFromU8(e)),
      ];
      for (const text of everything) {
        expect(text).not.toMatch(/argon2|password_hash|passwordHash/i);
        expect(text).not.toContain(lenasPrivatePhone);
        expect(text).not.toContain('Geheimnis 4711');
        expect(text).not.toContain('Danke, Jonas');
      }
      expect(json).not.toContain(secret);
    });

    it("holds the person's own private contact data", async () => {
      const lena = await signInAs(api, 'lena.weber');
      const exported = await download(server.url, '/api/v1/me/export', lena.token);
      expect(exported.status).toBe(200);
      const data = JSON.parse(strFromU8(unzipSync(new Uint8Array(exported.bytes))['data.json']!)) as {
        person: { privatePhone: string };
      };
      expect(data.person.privatePhone).toBe(lenasPrivatePhone);
    });

    it('writes one export per person at a time', async () => {
      const petra = await signInAs(api, 'petra.koch');
      // Larger than what the socket buffers between server and test hold, so the first export
      // cannot finish while its answer is not read.
      const large = makePdf(randomBytes(12 * 1024 * 1024).toString('base64'));
      expect((await uploadFile(server.url, petra, { bytes: large, name: 'gross.pdf' })).status).toBe(201);

      const first = await stalledRequest(server.url, '/api/v1/me/export', petra.token);
      expect(first.statusCode).toBe(200);
      const second = await api.get('/api/v1/me/export', { token: petra.token });
      expect(errorOf(second)).toBe('429 rate_limited');
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
      // Others are not held up by it.
      expect(
        (await download(server.url, '/api/v1/me/export', (await signInAs(api, 'lena.weber')).token)).status,
      ).toBe(200);

      first.destroy();
      const again = await eventually('the next export of a person whose first was cut off', async () => {
        const response = await download(server.url, '/api/v1/me/export', petra.token);
        return response.status === 200 ? response : undefined;
      });
      const entries = unzipSync(new Uint8Array(again.bytes));
      expect(Object.values(entries).some((bytes) => Buffer.from(bytes).equals(large))).toBe(true);
    });
  });
});
