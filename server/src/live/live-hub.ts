import {
  LiveClientFrame,
  LiveCloseCode,
  type LivePresenceFrame,
  type ScopeKey,
  typingRepeatMs,
} from '@flurfunk/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { EphemeralEvent } from './ephemeral.js';
import type { PresenceRegistry } from './presence.js';
import type { Principal } from '../auth/access-tokens.js';
import type { ChangeNotice } from './change-notice.js';
import { LiveConnection } from './live-connection.js';
import { canSee } from './scope.js';
import { userScope } from '../sync/scopes.js';

export const defaultLiveHeartbeatMs = 30_000;
/**
 * Frames to one client are at least this far apart: a burst of commits costs it a few pulls, not
 * one each, while a message still reaches it well within 50 ms.
 */
const defaultCoalesceMs = 15;
/** After asking sockets to close at shutdown, the ones that do not answer are cut off after this. */
const closeGraceMs = 1_000;

export interface LiveHubOptions {
  log: FastifyBaseLogger;
  /** Ping interval; a socket that has not answered the previous ping is terminated. */
  heartbeatMs?: number;
  coalesceMs?: number;
  /** The newest seq of the change log, sent to every client when it connects. */
  latestSeq(): Promise<string>;
  /** Which of these devices are no longer signed in; asked once per heartbeat for all connected ones. */
  inactiveDevices(deviceIds: readonly string[]): Promise<Set<string>>;
  /** The scopes a person has now (sync/scopes.ts). */
  scopesOf(personId: string): Promise<ScopeKey[]>;
  /** The scope of a conversation (its audience), null when there is none with this id. */
  conversationAudience(conversationId: string): Promise<ScopeKey | null>;
  /** Hands an ephemeral event to the other server instances (PostgreSQL); absent with one instance. */
  shareEphemeral?(event: EphemeralEvent): void;
  /** Who is online on any instance; without it, nobody is ever reported online. */
  presence?: PresenceRegistry;
}

/** The live sockets of this server instance and the notices fanned out to them. */
export class LiveHub {
  private readonly connections = new Set<LiveConnection>();
  private readonly heartbeat: NodeJS.Timeout;
  private checkingDevices = false;
  private readonly socketsPerPerson = new Map<string, number>();
  private readonly presenceUpdates = new Map<string, Promise<void>>();
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
      this.leaving(principal.personId);
    });
    this.arriving(principal.personId);
    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data, isBinary) => void this.receive(connection, data, isBinary));
    // Scopes before the seq: whatever commits in between is offered by `publish`.
    await this.refreshScopes(connection);
    try {
      connection.offer(await this.options.latestSeq());
    } catch (err) {
      this.options.log.error({ err }, 'could not read the change log for a new live client');
      socket.close(1011, 'server error');
    }
  }

  /**
   * Delivers an ephemeral event to the clients of this instance that see its scope, except the
   * sender's own.
   */
  deliverEphemeral = (event: EphemeralEvent): void => {
    const { frame, senderId } = event;
    for (const connection of this.connections) {
      if (connection.principal.personId === senderId) continue;
      const wanted =
        frame.type === 'presence'
          ? connection.watching.has(senderId)
          : canSee(connection.scopes, event.scope);
      if (wanted) connection.send(frame);
    }
  };

  /** A person's first socket here: they may have come online for everyone. */
  private arriving(personId: string): void {
    const count = this.socketsPerPerson.get(personId) ?? 0;
    this.socketsPerPerson.set(personId, count + 1);
    if (count === 0) this.updatePresence(personId, true);
  }

  /** A person's last socket here closed: they may have gone offline for everyone. */
  private leaving(personId: string): void {
    const count = (this.socketsPerPerson.get(personId) ?? 1) - 1;
    if (count > 0) {
      this.socketsPerPerson.set(personId, count);
      return;
    }
    this.socketsPerPerson.delete(personId);
    this.updatePresence(personId, false);
  }

  /** Records a presence change, one at a time per person (a quick reconnect must not end offline). */
  private updatePresence(personId: string, online: boolean): void {
    const { presence } = this.options;
    if (!presence || this.closed) return;
    const previous = this.presenceUpdates.get(personId) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        const changed = online ? await presence.connected(personId) : await presence.disconnected(personId);
        if (!changed) return;
        const frame: LivePresenceFrame = {
          type: 'presence',
          online: online ? [personId] : [],
          offline: online ? [] : [personId],
        };
        const event: EphemeralEvent = { scope: 'company', senderId: personId, frame };
        this.deliverEphemeral(event);
        this.options.shareEphemeral?.(event);
      })
      .catch((err: unknown) => this.options.log.warn({ err }, 'could not record a presence change'))
      .finally(() => {
        if (this.presenceUpdates.get(personId) === next) this.presenceUpdates.delete(personId);
      });
    this.presenceUpdates.set(personId, next);
  }

  /** Answers a client's list of people to watch with who of them is online now. */
  private async watchPresence(connection: LiveConnection, personIds: readonly string[]): Promise<void> {
    const watching = new Set(personIds);
    watching.delete(connection.principal.personId);
    connection.watching = watching;
    const online = (await this.options.presence?.onlineAmong([...watching])) ?? new Set<string>();
    // Only the newest list is answered: a client may replace it while the query runs.
    if (connection.watching !== watching) return;
    connection.send({
      type: 'presence',
      online: [...watching].filter((id) => online.has(id)),
      offline: [...watching].filter((id) => !online.has(id)),
    });
  }

  /** A frame from a client: a typing notice or a presence watch list; anything else closes the socket. */
  private async receive(connection: LiveConnection, data: RawData, isBinary: boolean): Promise<void> {
    const frame = isBinary ? null : parseClientFrame(data);
    if (!frame) {
      connection.socket.close(LiveCloseCode.policyViolation, 'not a valid client frame');
      return;
    }
    if (frame.type === 'watchPresence') {
      await this.watchPresence(connection, frame.personIds).catch((err: unknown) =>
        this.options.log.warn({ err }, 'could not answer a presence watch list'),
      );
      return;
    }
    const { conversationId } = frame;
    // A client repeats its notice while the user types; more often than that is noise.
    if (!connection.mayAnnounceTyping(conversationId, typingRepeatMs / 2)) return;
    try {
      const scope = await this.options.conversationAudience(conversationId);
      // Typing somewhere one cannot see is ignored, without telling whether it exists.
      if (scope === null || !canSee(connection.scopes, scope)) return;
      const personId = connection.principal.personId;
      const event: EphemeralEvent = {
        scope,
        senderId: personId,
        frame: { type: 'typing', conversationId, personId },
      };
      this.deliverEphemeral(event);
      this.options.shareEphemeral?.(event);
    } catch (err) {
      this.options.log.warn({ err }, 'could not pass a typing notice on');
    }
  }

  /** Closes the sockets of devices that were signed out: their clients wipe their data. */
  closeDevices(deviceIds: ReadonlySet<string>): void {
    for (const connection of this.connections) {
      if (deviceIds.has(connection.principal.deviceId)) {
        connection.socket.close(LiveCloseCode.deviceRevoked, 'device signed out');
      }
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
    this.options.presence
      ?.beat()
      .catch((err: unknown) => this.options.log.warn({ err }, 'could not beat the presence heartbeat'));
  }

  /** Signed-out and revoked devices lose their sockets here, whichever instance revoked them. */
  private async closeRevokedDevices(): Promise<void> {
    if (this.checkingDevices || this.connections.size === 0) return;
    this.checkingDevices = true;
    try {
      const deviceIds = [...new Set([...this.connections].map((c) => c.principal.deviceId))];
      this.closeDevices(await this.options.inactiveDevices(deviceIds));
    } catch (err) {
      this.options.log.warn({ err }, 'could not check the live devices for revocation');
    } finally {
      this.checkingDevices = false;
    }
  }
}

function parseClientFrame(data: RawData): LiveClientFrame | null {
  try {
    const parsed = LiveClientFrame.safeParse(JSON.parse(data.toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
