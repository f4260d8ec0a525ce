import { LiveCloseCode, type ScopeKey } from '@flurfunk/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/access-tokens.js';
import type { ChangeNotice } from './change-notice.js';
import { LiveConnection } from './live-connection.js';
import { canSee } from './scope.js';
import { userScope } from '../sync/scopes.js';

export const defaultLiveHeartbeatMs = 30_000;
const defaultCoalesceMs = 50;
/** After asking sockets to close at shutdown, the ones that do not answer are cut off after this. */
const closeGraceMs = 1_000;

export interface LiveHubOptions {
  log: FastifyBaseLogger;
  /** Ping interval; a socket that has not answered the previous ping is terminated. */
  heartbeatMs?: number;
  coalesceMs?: number;
  /** The newest seq of the change log, sent to every client when it connects. */
  latestSeq(): Promise<string>;
  /** Whether a device is still signed in; checked every heartbeat for each connected device. */
  isDeviceActive(deviceId: string): Promise<boolean>;
  /** The scopes a person has now (sync/scopes.ts). */
  scopesOf(personId: string): Promise<ScopeKey[]>;
}

/** The live sockets of this server instance and the notices fanned out to them. */
export class LiveHub {
  private readonly connections = new Set<LiveConnection>();
  private readonly heartbeat: NodeJS.Timeout;
  private checkingDevices = false;
  private closed = false;
  private readonly coalesceMs: number;

  constructor(private readonly options: LiveHubOptions) {
    const heartbeatMs = options.heartbeatMs ?? defaultLiveHeartbeatMs;
    if (!Number.isInteger(heartbeatMs) || heartbeatMs < 1) {
      throw new Error(`the live heartbeat must be a positive number of milliseconds, got ${heartbeatMs}`);
    }
    this.coalesceMs = options.coalesceMs ?? defaultCoalesceMs;
    this.heartbeat = setInterval(() => this.beat(), heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Tells every client that may see one of the notice's scopes. A notice in someone's user scope
   * may mean their scopes changed (added to a chat, moved department): theirs are read again
   * first, so they hear of a scope they just gained.
   */
  publish = (notice: ChangeNotice): void => {
    for (const connection of this.connections) {
      const { scopes } = notice;
      if (scopes === 'any') {
        connection.scopesStale = true;
        connection.offer(notice.upTo);
      } else if (connection.scopesStale || scopes.includes(userScope(connection.principal.personId))) {
        void this.refreshScopes(connection).then(() => this.offerIfVisible(connection, notice));
      } else {
        this.offerIfVisible(connection, notice);
      }
    }
  };

  private offerIfVisible(connection: LiveConnection, notice: ChangeNotice): void {
    const { scopes } = notice;
    if (scopes === 'any' || scopes.some((scope) => canSee(connection.scopes, scope))) {
      connection.offer(notice.upTo);
    }
  }

  private async refreshScopes(connection: LiveConnection): Promise<void> {
    const read = ++connection.scopeReads;
    try {
      const scopes = new Set(await this.options.scopesOf(connection.principal.personId));
      // On a connection pool an older read can finish last; it must not undo a newer one.
      if (read !== connection.scopeReads) return;
      connection.scopes = scopes;
      connection.scopesStale = false;
    } catch (err) {
      // The client still hears of the change: it pulls, and the server reads its scopes then.
      connection.scopesStale = true;
      this.options.log.warn({ err }, 'could not read the scopes of a live client');
    }
  }

  /** Takes over an upgraded socket of an authenticated device and sends it the current seq. */
  async attach(socket: WebSocket, principal: Principal): Promise<void> {
    if (this.closed) {
      socket.close(LiveCloseCode.goingAway, 'server is shutting down');
      return;
    }
    const connection = new LiveConnection(socket, principal, this.coalesceMs);
    this.connections.add(connection);
    socket.on('close', () => {
      connection.dispose();
      this.connections.delete(connection);
    });
    socket.on('pong', () => (connection.alive = true));
    socket.on('message', () => socket.close(LiveCloseCode.policyViolation, 'clients send no data frames'));
    // Scopes before the seq: whatever commits in between is offered by `publish`.
    await this.refreshScopes(connection);
    try {
      connection.offer(await this.options.latestSeq());
    } catch (err) {
      this.options.log.error({ err }, 'could not read the change log for a new live client');
      socket.close(1011, 'server error');
    }
  }

  /** Closes every socket (clients reconnect to another instance or after the restart). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    const sockets = [...this.connections].map((connection) => connection.socket);
    for (const socket of sockets) socket.close(LiveCloseCode.goingAway, 'server is shutting down');
    if (sockets.length > 0) {
      setTimeout(() => sockets.forEach((socket) => socket.terminate()), closeGraceMs).unref();
    }
  }

  private beat(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
    void this.closeRevokedDevices();
  }

  /** Signed-out and revoked devices lose their sockets here, whichever instance revoked them. */
  private async closeRevokedDevices(): Promise<void> {
    if (this.checkingDevices || this.connections.size === 0) return;
    this.checkingDevices = true;
    try {
      const deviceIds = new Set([...this.connections].map((c) => c.principal.deviceId));
      const revoked = new Set<string>();
      for (const deviceId of deviceIds) {
        if (!(await this.options.isDeviceActive(deviceId))) revoked.add(deviceId);
      }
      for (const connection of this.connections) {
        if (revoked.has(connection.principal.deviceId)) {
          connection.socket.close(LiveCloseCode.deviceRevoked, 'device signed out');
        }
      }
    } catch (err) {
      this.options.log.warn({ err }, 'could not check the live devices for revocation');
    } finally {
      this.checkingDevices = false;
    }
  }
}
