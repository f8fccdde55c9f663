import { describe, expect, it } from 'vitest';
import { BlockedAddressError, isPublicAddress } from '../../../src/drivers/fetch/address-guard.ts';
import { createHostLimiter } from '../../../src/drivers/fetch/host-limiter.ts';
import {
  backoffDelay,
  isRetryableError,
  isRetryableStatus,
  parseRetryAfter,
} from '../../../src/drivers/fetch/retry-policy.ts';

describe('retry policy', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
  it('retries timeouts, resets and 5xx/429; never a refused address', () => {
    expect(isRetryableError(Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' }))).toBe(true);
    expect(
      isRetryableError(new Error('x', { cause: Object.assign(new Error('r'), { code: 'ECONNRESET' }) })),
    ).toBe(true);
    expect(isRetryableError(new BlockedAddressError('h', '10.0.0.1'))).toBe(false);
    expect([500, 502, 503, 504, 429].every(isRetryableStatus)).toBe(true);
    expect([400, 404, 410].some(isRetryableStatus)).toBe(false);
  });
  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(0, 500, 8000, () => 0.999)).toBe(499);
    expect(backoffDelay(3, 500, 8000, () => 0.999)).toBe(3996);
    expect(backoffDelay(10, 500, 8000, () => 0.999)).toBe(7992);
  });
});

describe('address guard', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fe80::1', false],
    ['fc00::1', false],
    ['::ffff:10.0.0.1', false],
    ['not-an-ip', false],
  ])('%s public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('host limiter', () => {
  it('keeps at most N tasks in flight per host; other hosts are independent', async () => {
    const limiter = createHostLimiter({ concurrency: 2, spacingMs: 0 });
    let active = 0;
    let peak = 0;
    const task = async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 10));
      active--;
    };
    await Promise.all(Array.from({ length: 6 }, () => limiter.run('a.example', task)));
    expect(peak).toBe(2);
    const order: string[] = [];
    await Promise.all([
      limiter.run('slow.example', async () => {
        await new Promise((r) => setTimeout(r, 30));
        order.push('slow');
      }),
      limiter.run('fast.example', async () => {
        order.push('fast');
      }),
    ]);
    expect(order).toEqual(['fast', 'slow']);
  });
});
