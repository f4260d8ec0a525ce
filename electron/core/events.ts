import type { EventName, EventPayload } from '@flurfunk/protocol';
import { logError } from './log.js';

export type EventListener = (event: EventName, payload: unknown) => void;

/** Fans core events out to listeners; a listener that throws never stops the others. */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitUnchecked(event, payload);
  }

  /** For payloads already validated elsewhere (the worker host parses them from messages). */
  emitUnchecked(event: EventName, payload: unknown): void {
    for (const listener of [...this.listeners]) this.deliver(listener, event, payload);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
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
