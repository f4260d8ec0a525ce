import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { type ChangeNotice, changeChannel, decodeNotice } from './change-notice.js';
import { type EphemeralEvent, decodeEphemeral, ephemeralChannel } from './ephemeral.js';

const minRetryMs = 500;
const maxRetryMs = 30_000;

export interface ChangeListener {
  close(): Promise<void>;
}

/**
 * Hears the notices every server instance on this PostgreSQL sends at commit (this one's too)
 * over one dedicated connection, reconnecting with backoff when it drops. Notices missed while it
 * was down are made up for by publishing the newest seq to everyone after each (re)connect.
 */
export function listenForChanges(options: {
  databaseUrl: string;
  log: FastifyBaseLogger;
  publish(notice: ChangeNotice): void;
  latestSeq(): Promise<string>;
  /** This instance's id: its own ephemeral events were delivered locally already. */
  instanceId: string;
  deliverEphemeral(event: EphemeralEvent): void;
}): ChangeListener {
  const { databaseUrl, log, publish, latestSeq, instanceId, deliverEphemeral } = options;
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

  const connect = async () => {
    const current = new pg.Client({ connectionString: databaseUrl });
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
      if (message.channel !== changeChannel) return;
      const notice = decodeNotice(message.payload);
      if (notice) publish(notice);
      else log.warn({ payload: message.payload }, 'ignored an unreadable change notice');
    });
    try {
      await current.connect();
      await current.query(`LISTEN ${changeChannel}`);
      await current.query(`LISTEN ${ephemeralChannel}`);
      failures = 0;
      publish({ upTo: await latestSeq(), scopes: 'any' });
    } catch (err) {
      if (closed) return;
      log.warn({ err }, 'live change listener could not listen on PostgreSQL; retrying');
      void current.end().catch(() => undefined);
      retryIfCurrent();
    }
  };

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => undefined);
    },
  };
}
