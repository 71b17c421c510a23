/** aws/rate-limit.ts: at most N requests in any second, counted as Lambda receives them. */
import { describe, expect, it } from 'vitest';

import { RequestRateLimiter } from '../../../src/aws/rate-limit.js';

describe('RequestRateLimiter', () => {
  it('lets N requests go at once, and the next only a second after an answer', async () => {
    let now = 0;
    const slept: number[] = [];
    const limiter = new RequestRateLimiter(3, () => now, async (ms) => {
      slept.push(ms);
      now += ms;
    });
    const sentAt: number[] = [];
    const send = async () => {
      const answered = await limiter.acquire();
      sentAt.push(now);
      now += 10; // answered 10 ms later
      answered();
    };
    await Promise.all([send(), send(), send(), send(), send()]);
    expect(sentAt.slice(0, 3)).toEqual([0, 10, 20]);
    // The fourth goes a second after the first answer (at 10), not a second after it was sent.
    expect(sentAt[3]).toBeGreaterThanOrEqual(1010);
    expect(sentAt[4]).toBeGreaterThanOrEqual(1020);
    expect(slept.length).toBeGreaterThan(0);
  });

  it('counts requests still in flight', async () => {
    const limiter = new RequestRateLimiter(2, () => 0, () => new Promise(() => undefined));
    const first = await limiter.acquire();
    await limiter.acquire();
    let third = false;
    void limiter.acquire().then(() => (third = true));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(third).toBe(false);
    first();
    // An answer at time 0 still counts for a second (the clock does not move here): still waiting.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(third).toBe(false);
  });

  it('once opened (a failed release putting aliases back), lets every request go at once, waiting ones too', async () => {
    const limiter = new RequestRateLimiter(1, () => 0, () => new Promise(() => undefined));
    await limiter.acquire();
    let waiting = false;
    void limiter.acquire().then(() => (waiting = true));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(waiting).toBe(false);
    limiter.open();
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(waiting).toBe(true);
    const later = await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    expect(later).toHaveLength(3);
  });

  it('refuses a rate below 1', () => {
    expect(() => new RequestRateLimiter(0)).toThrow(/at least 1/);
  });
});
