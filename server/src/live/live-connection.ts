import type { LiveServerFrame, ScopeKey } from '@flurfunk/protocol';
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/access-tokens.js';

/**
 * One client's live socket. Offers of newer seqs are coalesced: the first is sent at once, later
 * ones at most every `coalesceMs`, each time with the newest seq offered meanwhile, so a burst of
 * commits costs the client one pull instead of one per commit.
 */
export class LiveConnection {
  /** Cleared by each heartbeat ping, set by the pong that answers it. */
  alive = true;
  /** What this client may see; read on connect and again whenever it may have changed. */
  scopes: ReadonlySet<ScopeKey> = new Set();
  /** Set when a notice could not name its scopes: the scopes are read again before the next offer. */
  scopesStale = false;
  /** The people whose presence this client asked to hear about. */
  watching: ReadonlySet<string> = new Set();
  /** Counts reads of `scopes`; only the newest may set them (reads can finish out of order). */
  scopeReads = 0;
  private sentUpTo = -1n;
  private offeredUpTo = -1n;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private readonly typingAnnouncedAt = new Map<string, number>();

  constructor(
    readonly socket: WebSocket,
    readonly principal: Principal,
    private readonly coalesceMs: number,
  ) {}

  /** Tells the client that changes up to `upTo` are available, unless it already knows. */
  offer(upTo: string): void {
    const seq = BigInt(upTo);
    if (seq <= this.offeredUpTo) return;
    this.offeredUpTo = seq;
    if (this.timer) return;
    const wait = this.lastSentAt + this.coalesceMs - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Sends an ephemeral frame at once (not coalesced: each one matters). */
  send(frame: LiveServerFrame): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  /** Whether a typing notice for this conversation may go out now; remembers that it did. */
  mayAnnounceTyping(conversationId: string, minIntervalMs: number): boolean {
    const now = Date.now();
    const last = this.typingAnnouncedAt.get(conversationId) ?? Number.NEGATIVE_INFINITY;
    if (now - last < minIntervalMs) return false;
    if (this.typingAnnouncedAt.size > 100) this.typingAnnouncedAt.clear();
    this.typingAnnouncedAt.set(conversationId, now);
    return true;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    this.timer = undefined;
    if (this.offeredUpTo <= this.sentUpTo || this.socket.readyState !== this.socket.OPEN) return;
    const frame: LiveServerFrame = { type: 'changes', upTo: this.offeredUpTo.toString() };
    this.socket.send(JSON.stringify(frame));
    this.sentUpTo = this.offeredUpTo;
    this.lastSentAt = Date.now();
  }
}
