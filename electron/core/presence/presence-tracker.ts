import { type LiveClientFrame, type LivePresenceFrame, maxWatchedPeople } from '@flurfunk/protocol';

export interface PresenceTrackerOptions {
  /** The signed-in user: never watched. */
  selfId: string;
  /** The people whose presence matters anyway: members of the user's direct and group chats. */
  chatPartners(): readonly string[];
  /** Sends a frame on the live socket; false when it is not open. */
  send(frame: LiveClientFrame): boolean;
  /** Who came online and who went offline, as the renderer hears it. */
  onChange(change: { online: string[]; offline: string[] }): void;
  /** How often the full list is asked for again, to heal changes a server crash never announced. */
  refreshMs?: number;
}

const defaultRefreshMs = 60_000;

/**
 * Who of the people the user cares about is online. The server only answers for people it is
 * asked about: the members of the user's direct and group chats, and whoever the screen shows
 * (`watch`). The list is sent again on every connect, when it changes, and every minute.
 * Without a live socket nobody is known to be online.
 */
export class PresenceTracker {
  private readonly online = new Set<string>();
  private onScreen: readonly string[] = [];
  private sentList = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: PresenceTrackerOptions) {}

  start(): void {
    this.timer = setInterval(() => this.sendList(true), this.options.refreshMs ?? defaultRefreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The people on screen now (replacing the previous ones); returns who of them is known to be online. */
  watch(personIds: readonly string[]): string[] {
    this.onScreen = personIds;
    this.sendList(false);
    return personIds.filter((id) => this.online.has(id));
  }

  /** The chats changed (a new partner, someone left): the list may have to change. */
  chatsChanged(): void {
    this.sendList(false);
  }

  connected(): void {
    this.sendList(true);
  }

  /** The socket is gone: whoever was shown online is no longer known to be. */
  disconnected(): void {
    this.sentList = '';
    if (this.online.size === 0) return;
    const offline = [...this.online];
    this.online.clear();
    this.options.onChange({ online: [], offline });
  }

  received(frame: LivePresenceFrame): void {
    const online = frame.online.filter((id) => !this.online.has(id));
    const offline = frame.offline.filter((id) => this.online.has(id));
    for (const id of online) this.online.add(id);
    for (const id of offline) this.online.delete(id);
    if (online.length > 0 || offline.length > 0) this.options.onChange({ online, offline });
  }

  private sendList(evenIfUnchanged: boolean): void {
    const people = new Set([...this.onScreen, ...this.options.chatPartners()]);
    people.delete(this.options.selfId);
    const list = [...people].slice(0, maxWatchedPeople);
    const key = list.join(',');
    if (!evenIfUnchanged && key === this.sentList) return;
    if (this.options.send({ type: 'watchPresence', personIds: list })) this.sentList = key;
  }
}
