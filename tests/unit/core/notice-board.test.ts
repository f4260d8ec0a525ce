import type { ActiveNotice } from '@flurfunk/protocol';
import { ActiveNotice as ActiveNoticeSchema } from '@flurfunk/protocol';
import { describe, expect, it } from 'vitest';
import { NoticeBoard } from '../../../electron/core/notices/notice-board.js';

function board() {
  const changes: ActiveNotice[][] = [];
  return { board: new NoticeBoard((list) => changes.push(list)), changes };
}

describe('NoticeBoard', () => {
  it('keeps raised notices until dismissed and announces the whole list on every change', () => {
    const { board: notices, changes } = board();
    notices.raise({ code: 'cacheRebuilt', reason: 'keyMissing' });
    notices.raise({ code: 'sessionExpired' });
    const [rebuilt, expired] = notices.list();
    expect(rebuilt).toMatchObject({ notice: { code: 'cacheRebuilt', reason: 'keyMissing' } });
    expect(expired).toMatchObject({ notice: { code: 'sessionExpired' } });
    for (const active of notices.list()) expect(ActiveNoticeSchema.parse(active)).toEqual(active);
    expect(rebuilt!.id).not.toBe(expired!.id);

    expect(notices.dismiss(rebuilt!.id)).toEqual([expired]);
    expect(notices.list()).toEqual([expired]);
    expect(changes).toEqual([[rebuilt], [rebuilt, expired], [expired]]);
  });

  it('shows the same notice once, as the newest, while it is not dismissed', () => {
    const { board: notices } = board();
    notices.raise({ code: 'sessionExpired' });
    const first = notices.list()[0]!;
    notices.raise({ code: 'cacheRebuilt', reason: 'corrupt' });
    notices.raise({ code: 'sessionExpired' });
    notices.raise({ code: 'cacheRebuilt', reason: 'wrongKey' });
    expect(notices.list().map((active) => active.notice)).toEqual([
      { code: 'cacheRebuilt', reason: 'corrupt' },
      { code: 'sessionExpired' },
      { code: 'cacheRebuilt', reason: 'wrongKey' },
    ]);
    expect(notices.list()[1]!.id).not.toBe(first.id);
  });

  it('changes nothing for an unknown id and clears a notice that no longer applies', () => {
    const { board: notices, changes } = board();
    notices.raise({ code: 'sessionExpired' });
    notices.raise({ code: 'cacheFromNewerVersion' });
    expect(notices.dismiss('not-a-notice')).toHaveLength(2);
    notices.clear('sessionExpired');
    notices.clear('sessionExpired');
    expect(notices.list().map((active) => active.notice)).toEqual([{ code: 'cacheFromNewerVersion' }]);
    expect(changes).toHaveLength(3);
  });

  it('drops every notice at a reset, keeping only the fresh ones it is given', () => {
    const { board: notices, changes } = board();
    notices.reset();
    expect(changes).toEqual([]);
    notices.raise({ code: 'cacheRebuilt', reason: 'corrupt' });
    notices.raise({ code: 'cacheFromNewerVersion' });

    notices.reset({ code: 'sessionExpired' });
    expect(notices.list().map((active) => active.notice)).toEqual([{ code: 'sessionExpired' }]);
    notices.reset();
    expect(notices.list()).toEqual([]);
    expect(changes.map((list) => list.map((active) => active.notice.code))).toEqual([
      ['cacheRebuilt'],
      ['cacheRebuilt', 'cacheFromNewerVersion'],
      ['sessionExpired'],
      [],
    ]);
  });
});
