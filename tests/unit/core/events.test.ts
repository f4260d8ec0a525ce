import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../electron/core/events.js';

describe('EventHub', () => {
  it('delivers to every listener until it unsubscribes, even when one throws', () => {
    const hub = new EventHub();
    const seen: string[] = [];
    hub.subscribe(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = hub.subscribe((event) => seen.push(event));
    const write = process.stderr.write;
    process.stderr.write = () => true;
    try {
      hub.emit('dataChanged', { changes: [] });
      unsubscribe();
      hub.emit('dataChanged', { changes: [] });
    } finally {
      process.stderr.write = write;
    }
    expect(seen).toEqual(['dataChanged']);
  });
});
