import type { EventName, EventPayload } from '@flurfunk/protocol';
import { logError } from './log.js';

export type EventListener = (event: EventName, payload: unknown) => void;

/**
 * Fans core events out to listeners. Notices raised before anyone listens (a cache rebuilt while
 * restoring the session at start) are kept and handed to the first listener, so they still reach
 * the user.
 */
export class EventHub {
  private readonly listeners = new Set<EventListener>();
  private pendingNotices: unknown[] = [];

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitUnchecked(event, payload);
  }

  /** For payloads already validated elsewhere (the worker host parses them from messages). */
  emitUnchecked(event: EventName, payload: unknown): void {
    if (this.listeners.size === 0) {
      if (event === 'notice') this.pendingNotices.push(payload);
      return;
    }
    for (const listener of [...this.listeners]) this.deliver(listener, event, payload);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    const pending = this.pendingNotices;
    this.pendingNotices = [];
    for (const notice of pending) this.deliver(listener, 'notice', notice);
    return () => this.listeners.delete(listener);
  }

  private deliver(listener: EventListener, event: EventName, payload: unknown): void {
    try {
      listener(event, payload);
    } catch (error) {
      logError(`listener for ${event}`, error);
    }
  }
}
