import type { LiveClientFrame } from '@flurfunk/protocol';
import { describe, expect, it } from 'vitest';
import { PresenceTracker } from '../../../electron/core/presence/presence-tracker.js';

const [me, anna, ben, cem] = ['me', 'anna', 'ben', 'cem'].map((name) => `${name}-id`) as [
  string,
  string,
  string,
  string,
];

function tracker(partners: string[] = [anna]) {
  const sent: LiveClientFrame[] = [];
  const changes: Array<{ online: string[]; offline: string[] }> = [];
  let open = true;
  const presence = new PresenceTracker({
    selfId: me,
    chatPartners: () => partners,
    send: (frame) => (open ? (sent.push(frame), true) : false),
    onChange: (change) => changes.push(change),
  });
  return { presence, sent, changes, close: () => (open = false), partners };
}

describe('PresenceTracker', () => {
  it('watches chat partners and people on screen, never the user', () => {
    const { presence, sent } = tracker([anna, me]);
    presence.connected();
    presence.watch([ben, me]);
    expect(sent).toEqual([
      { type: 'watchPresence', personIds: [anna] },
      { type: 'watchPresence', personIds: [ben, anna] },
    ]);
  });

  it('sends the list again only when it changed, except on a new connection', () => {
    const { presence, sent } = tracker();
    presence.connected();
    presence.chatsChanged();
    presence.watch([]);
    expect(sent).toHaveLength(1);
    presence.connected();
    expect(sent).toHaveLength(2);
  });

  it('reports only real changes, and everyone offline when the connection is lost', () => {
    const { presence, changes } = tracker();
    presence.received({ type: 'presence', online: [anna, ben], offline: [cem] });
    presence.received({ type: 'presence', online: [anna], offline: [cem] });
    expect(changes).toEqual([{ online: [anna, ben], offline: [] }]);
    expect(presence.watch([anna, cem])).toEqual([anna]);

    presence.disconnected();
    expect(changes.at(-1)).toEqual({ online: [], offline: [anna, ben] });
    expect(presence.watch([anna])).toEqual([]);
  });

  it('sends the list once the socket is open, not while it is closed', () => {
    const { presence, sent, close } = tracker();
    close();
    presence.watch([ben]);
    expect(sent).toEqual([]);
  });
});
