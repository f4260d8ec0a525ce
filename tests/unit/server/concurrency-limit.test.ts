import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../../server/src/auth/concurrency-limit.js';

describe('concurrency limit (password checks)', () => {
  it('runs at most its number of tasks at once and all of them in the end, failures included', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const task = async (n: number) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running -= 1;
      if (n % 3 === 0) throw new Error(`task ${n} failed`);
      return n;
    };
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, n) => limit.run(() => task(n))));
    expect(most).toBe(2);
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value)).toEqual([
      1, 2, 4, 5, 7, 8, 10, 11,
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    // Failed tasks gave their slot back: the limit still admits two at once.
    await Promise.all([limit.run(() => task(1)), limit.run(() => task(2))]);
    expect(running).toBe(0);
  });
});
