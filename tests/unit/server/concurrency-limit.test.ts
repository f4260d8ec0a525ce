import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit, ConcurrencyLimitFullError } from '../../../server/src/auth/concurrency-limit.js';
import { PasswordVerifier, hashPassword } from '../../../server/src/auth/passwords.js';
import { ApiError } from '../../../server/src/http/api-error.js';

/** A task that runs until the test lets it finish. */
function heldTask() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started = false;
  return {
    run: async () => {
      started = true;
      await released;
      return 'done';
    },
    release: () => release(),
    started: () => started,
  };
}

describe('concurrency limit (password checks)', () => {
  it('runs at most its number of tasks at once and all of them in the end, failures included', async () => {
    const limit = new ConcurrencyLimit(2, 32);
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

  it('turns tasks away without running them once its waiting line is full, and takes them again later', async () => {
    const limit = new ConcurrencyLimit(1, 2);
    const tasks = [heldTask(), heldTask(), heldTask()];
    const accepted = tasks.map((task) => limit.run(task.run));
    const refused = heldTask();
    await expect(limit.run(refused.run)).rejects.toBeInstanceOf(ConcurrencyLimitFullError);
    expect(refused.started()).toBe(false);

    for (const task of tasks) task.release();
    expect(await Promise.all(accepted)).toEqual(['done', 'done', 'done']);
    const later = heldTask();
    later.release();
    expect(await limit.run(later.run)).toBe('done');
  });
});

describe('password verifier', () => {
  it('answers rate_limited with Retry-After 1 when too many checks wait, and still checks the admitted ones', async () => {
    const verifier = await PasswordVerifier.create({ slots: 1, maxWaiting: 1 });
    const hash = await hashPassword('right');
    const admitted = [verifier.verify(hash, 'right', () => true), verifier.verify(hash, 'wrong', () => true)];
    const busy = await verifier.verify(hash, 'right', () => true).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(ApiError);
    expect(busy).toMatchObject({ status: 429, code: 'rate_limited', headers: { 'retry-after': '1' } });
    expect((busy as ApiError).message).toMatch(/busy.*try again in a second/i);
    expect(await Promise.all(admitted)).toEqual([true, false]);
  });

  it('skips the check for a client that went away while waiting', async () => {
    const verifier = await PasswordVerifier.create({ slots: 1, maxWaiting: 1 });
    const hash = await hashPassword('right');
    await expect(verifier.verify(hash, 'right', () => false)).rejects.toMatchObject({ status: 400 });
    expect(await verifier.verify(hash, 'right', () => true)).toBe(true);
  });
});
