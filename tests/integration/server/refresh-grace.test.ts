import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { refreshRetryGraceSeconds, Sessions } from '../../../server/src/auth/sessions.js';
import { openDatabase } from '../../../server/src/db/open.js';
import { describeEachStorage } from '../support/server-backends.js';
import { apiClient, signIn } from '../support/server-client.js';

/** A pino logger whose lines the test can read. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

describeEachStorage('refresh retry grace window', (backend) => {
  it('accepts a prompt retry with a warning for admins (no token in it), and not one after 20 seconds', async () => {
    expect(refreshRetryGraceSeconds).toBe(20);
    const server = await backend.start({ demo: true });
    const api = apiClient(server.url);
    const retried = await signIn(api, 'lena.weber');
    const late = await signIn(api, 'jonas.becker');
    await server.close();

    const { log, lines } = capturingLogger();
    const db = await openDatabase(server.storage, log);
    try {
      const sessions = new Sessions(db, log);
      expect(await sessions.refresh(retried.refreshToken)).toMatchObject({ status: 'rotated' });
      expect(lines).toEqual([]);
      const retry = await sessions.refresh(retried.refreshToken);
      expect(retry).toMatchObject({ status: 'rotated' });

      const warnings = lines.filter((line) => line.level === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({
        msg: expect.stringMatching(/retry grace window/),
        deviceId: expect.any(String),
        personId: retried.user.id,
      });
      const logged = JSON.stringify(lines);
      expect(logged).not.toContain(retried.refreshToken);
      expect(retry.status === 'rotated' && logged.includes(retry.refreshToken)).toBe(false);

      // The same retry 21 seconds after the rotation is a copied token: the device is signed out.
      expect(await sessions.refresh(late.refreshToken)).toMatchObject({ status: 'rotated' });
      await db.query(
        "UPDATE refresh_tokens SET used_at = used_at - interval '21 seconds' WHERE used_at IS NOT NULL",
      );
      expect(await sessions.refresh(late.refreshToken)).toEqual({ status: 'reused' });
    } finally {
      await db.close();
    }
  });
});
