import { describe, expect, it } from 'vitest';
import { decodeDirectoryCursor, encodeDirectoryCursor } from '../../../server/src/directory/cursor.js';
import { directorySortKey } from '../../../server/src/directory/sort-key.js';

describe('directory order', () => {
  it('sorts umlauts and ß the way a German phone list does', () => {
    const names = [
      'Zoe Zander',
      'Özlem Öztürk',
      'Oliver Otto',
      'Ärzte Team',
      'Anna Arnold',
      'Jürgen Weiß',
      'Jürgen Weiss',
    ];
    const sorted = [...names].sort((a, b) => directorySortKey(a).localeCompare(directorySortKey(b), 'en'));
    expect(sorted).toEqual([
      'Anna Arnold',
      'Ärzte Team',
      'Jürgen Weiß',
      'Jürgen Weiss',
      'Oliver Otto',
      'Özlem Öztürk',
      'Zoe Zander',
    ]);
    expect(directorySortKey('  Jürgen   Weiß ')).toBe('jurgen weiss');
  });

  it('round-trips cursors and rejects anything it did not hand out', () => {
    const position = { sortKey: 'jurgen weiss', id: '0b7f3c1e-5d2a-4c8e-9f10-2a3b4c5d6e7f' };
    expect(decodeDirectoryCursor(encodeDirectoryCursor(position))).toEqual(position);
    for (const bad of [
      '',
      'garbage',
      Buffer.from('["a","not-a-uuid"]').toString('base64url'),
      Buffer.from('{}').toString('base64url'),
    ]) {
      expect(decodeDirectoryCursor(bad)).toBeNull();
    }
  });
});
