import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createRateLimit, createRateLimiter } from '../../../src/app/middleware/rate-limit.ts';

function appWith(requests: number, maxClients?: number) {
  let now = new Date('2026-01-01T00:00:00Z');
  const app = new Hono();
  app.use(
    '*',
    createRateLimit({
      requests,
      windowSeconds: 60,
      keyOf: (c) => c.req.header('x-client'),
      clock: { now: () => now },
      ...(maxClients ? { maxClients } : {}),
    }),
  );
  app.get('*', (c) => c.text('ok'));
  return {
    hit: (client?: string) => app.request('/x', { headers: client ? { 'x-client': client } : {} }),
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

describe('createRateLimit', () => {
  it('allows a burst of `requests`, then refills at requests/window', async () => {
    const { hit, advance } = appWith(60);
    for (let i = 0; i < 60; i++) expect((await hit('a')).status).toBe(200);
    const blocked = await hit('a');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('1');
    advance(1000);
    expect((await hit('a')).status).toBe(200);
    expect((await hit('a')).status).toBe(429);
  });

  it('does not limit when disabled or when the client has no key', async () => {
    const off = appWith(0);
    for (let i = 0; i < 5; i++) expect((await off.hit('a')).status).toBe(200);
    const keyless = appWith(1);
    for (let i = 0; i < 5; i++) expect((await keyless.hit()).status).toBe(200);
  });

  it('bounds memory: past maxClients, idle buckets are forgotten first', async () => {
    const { hit, advance } = appWith(1, 2);
    await hit('a');
    advance(120_000); // a's bucket refills: idle
    await hit('b');
    await hit('c'); // evicts a (idle), keeps b (empty)
    expect((await hit('b')).status).toBe(429);
  });
});

describe('createRateLimiter', () => {
  it('take() returns 0 while tokens last, then the seconds until one is back', () => {
    let now = Date.UTC(2026, 0, 1);
    const limiter = createRateLimiter({
      requests: 2,
      windowSeconds: 10,
      clock: { now: () => new Date(now) },
    });
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(5);
    now += 4_000;
    expect(limiter.take('a')).toBe(1);
    now += 1_000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take(undefined)).toBe(0);
    expect(limiter.take('')).toBe(0);
  });

  it('is shared when passed to the middleware: one bucket per client across both', async () => {
    const limiter = createRateLimiter({ requests: 2, windowSeconds: 60 });
    const app = new Hono();
    app.use('*', createRateLimit({ requests: 2, windowSeconds: 60, keyOf: () => 'a' }, limiter));
    app.get('*', (c) => c.text('ok'));
    expect(limiter.take('a')).toBe(0);
    expect((await app.request('/x')).status).toBe(200);
    expect((await app.request('/x')).status).toBe(429);
  });
});
