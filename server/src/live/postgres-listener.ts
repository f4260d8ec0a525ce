import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { type ChangeNotice, changeChannel, decodeNotice } from './change-notice.js';
import { decodeSignedOutDevices, signedOutDevicesChannel } from '../account/signed-out-devices-notice.js';
import { type EphemeralEvent, decodeEphemeral, ephemeralChannel } from './ephemeral.js';

const minRetryMs = 500;
const maxRetryMs = 30_000;

/** How the listening connection names itself in `pg_stat_activity`. */
export const listenerApplicationName = 'flurfunk-live-listener';

export interface ChangeListener {
  close(): Promise<void>;
}

/**
 * Hears the notices every server instance on this PostgreSQL sends at commit (this one's too)
 * over one dedicated connection, reconnecting with backoff when it drops. Notices missed while it
 * was down are made up for by publishing the newest seq to everyone after each (re)connect.
 *
 * Resolves once the first LISTEN is in place (and rejects when that first attempt fails): an
 * instance that accepted sockets before would lose the typing and presence notices of the others,
 * which nothing makes up for.
 */
export async function listenForChanges(options: {
  databaseUrl: string;
  log: FastifyBaseLogger;
  publish(notice: ChangeNotice): void;
  latestSeq(): Promise<string>;
  /** This instance's id: its own ephemeral events were delivered locally already. */
  instanceId: string;
  deliverEphemeral(event: EphemeralEvent): void;
  /** Devices signed out on any instance: their live sockets here close at once. */
  closeDevices(deviceIds: readonly string[]): void;
}): Promise<ChangeListener> {
  const { databaseUrl, log, publish, latestSeq, instanceId, deliverEphemeral, closeDevices } = options;
  let client: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let closed = false;

  const retry = () => {
    if (closed || retryTimer) return;
    const ceiling = Math.min(maxRetryMs, minRetryMs * 2 ** failures);
    failures += 1;
    retryTimer = setTimeout(
      () => {
        retryTimer = undefined;
        void connect();
      },
      ceiling / 2 + Math.random() * (ceiling / 2),
    );
  };

  const connect = async (firstAttempt = false) => {
    const current = new pg.Client({
      connectionString: databaseUrl,
      application_name: listenerApplicationName,
    });
    client = current;
    // Only the newest connection schedules a reconnect; a replaced one may still report its end.
    const retryIfCurrent = () => {
      if (client === current) retry();
    };
    current.on('error', (err) => {
      log.warn({ err }, 'live change listener lost its PostgreSQL connection; reconnecting');
      void current.end().catch(() => undefined);
      retryIfCurrent();
    });
    current.on('end', retryIfCurrent);
    current.on('notification', (message) => {
      if (message.payload === undefined) return;
      if (message.channel === ephemeralChannel) {
        const event = decodeEphemeral(message.payload);
        if (event && event.origin !== instanceId) deliverEphemeral(event);
        return;
      }
      if (message.channel === signedOutDevicesChannel) {
        const deviceIds = decodeSignedOutDevices(message.payload);
        if (deviceIds) closeDevices(deviceIds);
        return;
      }
      if (message.channel !== changeChannel) return;
      const notice = decodeNotice(message.payload);
      if (notice) publish(notice);
      else log.warn({ payload: message.payload }, 'ignored an unreadable change notice');
    });
    try {
      await current.connect();
      await current.query(`LISTEN ${changeChannel}`);
      await current.query(`LISTEN ${ephemeralChannel}`);
      await current.query(`LISTEN ${signedOutDevicesChannel}`);
      failures = 0;
      publish({ upTo: await latestSeq(), scopes: 'any' });
    } catch (err) {
      if (firstAttempt) {
        closed = true;
        void current.end().catch(() => undefined);
        throw err;
      }
      if (closed) return;
      log.warn({ err }, 'live change listener could not listen on PostgreSQL; retrying');
      void current.end().catch(() => undefined);
      retryIfCurrent();
    }
  };

  await connect(true);
  return {
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => undefined);
    },
  };
}
