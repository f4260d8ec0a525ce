import { directorySortKey } from '@flurfunk/protocol';
import { describe, expect, it } from 'vitest';
import { decodeDirectoryCursor, encodeDirectoryCursor } from '../../../server/src/directory/cursor.js';

const id = '0b7f3c1e-5d2a-4c8e-9f10-2a3b4c5d6e7f';

/** How the server's `ORDER BY sort_key COLLATE "C"` compares: UTF-8 bytes. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('directory order', () => {
  it('is a phone list: last name, then first name, umlauts and ß folded', () => {
    const people = [
      ['Zoe', 'Zander'],
      ['Özlem', 'Öztürk'],
      ['Oliver', 'Otto'],
      ['Anna', 'Arnold'],
      ['Jürgen', 'Weiß'],
      ['Erika', 'Weiss'],
      ['Bernd', 'Arnold'],
      ['Ärzte-Team', ''],
    ].map(([firstName = '', lastName = '']) => ({
      firstName,
      lastName,
      displayName: lastName ? `${firstName} ${lastName}` : firstName,
    }));
    const sorted = [...people].sort((a, b) => byteOrder(directorySortKey(a), directorySortKey(b)));
    expect(sorted.map((p) => p.displayName)).toEqual([
      'Anna Arnold',
      'Bernd Arnold',
      'Ärzte-Team',
      'Oliver Otto',
      'Özlem Öztürk',
      'Erika Weiss',
      'Jürgen Weiß',
      'Zoe Zander',
    ]);
  });
});

describe('directory cursors', () => {
  it('round-trip the last person of a page', () => {
    const last = { id, sortKey: 'weiss\u0001jurgen' };
    expect(decodeDirectoryCursor(encodeDirectoryCursor(last))).toEqual({ ...last, keyIsPrefix: false });
  });

  it('fit the 500 characters the API allows however long the name, cut between characters', () => {
    // "ﷺ" folds to 18 letters, so a 100-character last name becomes a sort key of 1800.
    const sortKey = directorySortKey({ lastName: 'ﷺ'.repeat(100), firstName: 'Ä', displayName: 'x' });
    expect(sortKey.length).toBeGreaterThan(1000);
    const cursor = encodeDirectoryCursor({ id, sortKey });
    expect(cursor.length).toBeLessThanOrEqual(500);
    const decoded = decodeDirectoryCursor(cursor);
    expect(decoded).toMatchObject({ id, keyIsPrefix: true });
    expect(sortKey.startsWith(decoded?.sortKey ?? '-')).toBe(true);

    const multiByte = 'ü'.repeat(400);
    const cut = decodeDirectoryCursor(encodeDirectoryCursor({ id, sortKey: multiByte }));
    expect(cut?.sortKey).toMatch(/^ü+$/);
  });

  it('reject anything the server did not hand out', () => {
    const valid = encodeDirectoryCursor({ id, sortKey: 'weber\u0001lena' });
    const withHeader = (flags: number, key: Buffer) =>
      Buffer.concat([Buffer.of(flags), Buffer.from(id.replaceAll('-', ''), 'hex'), key]).toString(
        'base64url',
      );
    for (const bad of [
      '',
      'garbage',
      `${valid}!`,
      `${valid.slice(0, 10)}*${valid.slice(11)}`,
      Buffer.from('["a","not-a-uuid"]').toString('base64url').slice(0, 12),
      withHeader(7, Buffer.from('weber')),
      withHeader(0, Buffer.of(0xc3)), // cut UTF-8
      withHeader(0, Buffer.from('web\0er')),
    ]) {
      expect(decodeDirectoryCursor(bad), bad).toBeNull();
    }
  });
});
