import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../../src/drivers/fetch/address-guard.ts';
import {
  createUndiciFetch,
  type FetchDriver,
  FetchError,
  type UndiciFetchOptions,
} from '../../../src/drivers/fetch/undici-fetch.ts';
import { startUpstream, type UpstreamServer } from '../../upstream/upstream-server.ts';

let upstream: UpstreamServer;
const drivers: FetchDriver[] = [];

beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(async () => {
  await Promise.all(drivers.map((d) => d.close()));
  await upstream.close();
});

const UA = 'kiosque/0.1.0 (+https://news.example)';

function driver(options: Partial<UndiciFetchOptions> = {}, sleeps: number[] = []): FetchDriver {
  const d = createUndiciFetch({
    userAgent: UA,
    allowPrivateNetworks: true,
    perHostDelayMs: 0,
    retries: 2,
    retryBaseMs: 10,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  drivers.push(d);
  return d;
}

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FetchError);
    return error as FetchError;
  }
  throw new Error('expected the fetch to fail');
}

describe('createUndiciFetch', () => {
  it('sends the kiosque User-Agent and Accept-Encoding, and exposes the final URL', async () => {
    const response = await driver().fetch(`${upstream.url}/articles/one`);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${upstream.url}/articles/one`);
    expect(await response.text()).toContain('Le conseil municipal');
    const logged = upstream.requests.findLast((r) => r.path === '/articles/one');
    expect(logged?.headers['user-agent']).toBe(UA);
    expect(logged?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('passes conditional headers through and returns the 304', async () => {
    const response = await driver().fetch(`${upstream.url}/articles/one`, {
      headers: { 'if-none-match': '"one-v1"' },
    });
    expect(response.status).toBe(304);
    expect(response.body).toBeNull();
  });

  it('slow: gives up when headers do not arrive within headersTimeoutMs, after retrying', async () => {
    const before = upstream.hits('/slow');
    const error = await failure(
      driver({ headersTimeoutMs: 150, retries: 1 }).fetch(`${upstream.url}/slow?ms=5000`),
    );
    // A 'timeout' error is the proof: had the driver waited for the server (5 s), the fetch
    // would have succeeded. No wall-clock bound: undici's timer tick is coarse and load stretches it.
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/no response within 150 ms/);
    expect(upstream.hits('/slow') - before).toBe(2);
  });

  it('slow body: a stalled body trips bodyTimeoutMs', async () => {
    const error = await failure(
      driver({ bodyTimeoutMs: 150, retries: 0 }).fetch(`${upstream.url}/slow-body`),
    );
    expect(error.code).toBe('timeout');
  });

  it('500: retried with backoff, then returned as a 500', async () => {
    const sleeps: number[] = [];
    const before = upstream.hits('/status/500');
    const response = await driver({ retries: 2 }, sleeps).fetch(`${upstream.url}/status/500`);
    expect(response.status).toBe(500);
    expect(upstream.hits('/status/500') - before).toBe(3);
    expect(sleeps).toEqual([5, 10]); // full jitter at random()=0.5 of 10·2^n
  });

  it('503 twice, then 200: the retries succeed', async () => {
    const response = await driver({ retries: 2 }).fetch(`${upstream.url}/flaky`);
    expect(response.status).toBe(200);
    expect(upstream.hits('/flaky')).toBe(3);
  });

  it('429 with Retry-After: 1 waits one second, then succeeds', async () => {
    const sleeps: number[] = [];
    const response = await driver({}, sleeps).fetch(`${upstream.url}/rate-limited`);
    expect(response.status).toBe(200);
    expect(sleeps).toContain(1000);
  });

  it('429 with Retry-After beyond the bound gives up at once', async () => {
    const sleeps: number[] = [];
    const before = upstream.hits('/rate-limited-long');
    const response = await driver({ maxRetryAfterMs: 30_000 }, sleeps).fetch(
      `${upstream.url}/rate-limited-long`,
    );
    expect(response.status).toBe(429);
    expect(upstream.hits('/rate-limited-long') - before).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('redirect loop: refused as soon as a URL repeats', async () => {
    const error = await failure(driver().fetch(`${upstream.url}/loop/a`));
    expect(error.code).toBe('redirect-loop');
  });

  it('redirects: followed up to maxRedirects, final URL reported; one more is refused', async () => {
    const response = await driver({ maxRedirects: 5 }).fetch(`${upstream.url}/chain/3`);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${upstream.url}/articles/three`);
    expect(response.redirected).toBe(true);
    const error = await failure(driver({ maxRedirects: 2 }).fetch(`${upstream.url}/chain/3`));
    expect(error.code).toBe('too-many-redirects');
  });

  it('never follows a redirect to a non-http(s) scheme', async () => {
    const error = await failure(driver().fetch(`${upstream.url}/redirect-file`));
    expect(error.code).toBe('bad-scheme');
  });

  it('huge body: streamed body cut at maxBytes; declared Content-Length refused up front', async () => {
    const big = await failure(driver({ maxBytes: 1024 * 1024 }).fetch(`${upstream.url}/huge`));
    expect(big.code).toBe('too-large');
    const declared = await failure(driver({ maxBytes: 1024 * 1024 }).fetch(`${upstream.url}/huge-declared`));
    expect(declared.code).toBe('too-large');
    expect(declared.message).toMatch(/3145728 bytes/);
  });

  it('gzip bomb: decompressed output is capped at maxBytes', async () => {
    const error = await failure(driver({ maxBytes: 1024 * 1024 }).fetch(`${upstream.url}/bomb`));
    expect(error.code).toBe('too-large');
  });

  it.each(['gzip', 'br', 'deflate'])('%s responses are decompressed', async (coding) => {
    const response = await driver().fetch(`${upstream.url}/encoded/${coding}`);
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(await response.text()).toContain('Le club de football');
  });

  it.each([
    ['header', 'windows-1252; from=header'],
    ['meta', 'windows-1252; from=meta'],
    ['wrong', 'windows-1252; from=guessed'],
    ['missing', 'windows-1252; from=guessed'],
    ['bom', 'utf-8; from=bom'],
  ])('charset %s: decoded to UTF-8 text', async (scenario, source) => {
    const response = await driver().fetch(`${upstream.url}/charset/${scenario}`);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-kiosque-source-charset')).toBe(source);
    const text = await response.text();
    expect(text).toContain('Élodie a présenté');
    expect(text).toContain('« Repair café »');
    expect(text).toContain('Les œuvres d’art');
  });

  it('non-HTML bodies pass through untouched', async () => {
    const response = await driver().fetch(`${upstream.url}/files/report.pdf`);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await response.arrayBuffer()).subarray(0, 5)).toEqual(
      new TextEncoder().encode('%PDF-'),
    );
  });

  it('spaces requests to one host by perHostDelayMs and keeps to perHostConcurrency', async () => {
    // An injected clock that only moves when the driver sleeps: the spacing is the driver's own
    // arithmetic, whatever the machine's load (a wall-clock gap is no unit-test assertion).
    let now = 1_000_000;
    const sleeps: number[] = [];
    const d = createUndiciFetch({
      userAgent: UA,
      allowPrivateNetworks: true,
      perHostDelayMs: 80,
      perHostConcurrency: 1,
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    drivers.push(d);
    const start = upstream.requests.length;
    const wallClock = upstream.now;
    upstream.now = () => now;
    try {
      await Promise.all(
        ['one', 'two', 'three'].map((id) => d.fetch(`${upstream.url}/articles/${id}`).then((r) => r.text())),
      );
    } finally {
      upstream.now = wallClock;
    }
    const times = upstream.requests.slice(start).map((r) => r.at - 1_000_000);
    expect(times).toEqual([0, 80, 160]);
    expect(sleeps).toEqual([80, 80]);
  });

  it('rejects unsupported methods', async () => {
    const error = await failure(driver().fetch(`${upstream.url}/articles/one`, { method: 'POST' }));
    expect(error.message).toMatch(/only GET and HEAD/);
  });
});

describe('SSRF guard (allowPrivateNetworks: false)', () => {
  // The test server is on loopback; an injected predicate treats exactly 127.0.0.1 as "public"
  // and an injected resolver maps test names, so no traffic ever leaves the machine.
  const resolveHost = async (hostname: string) => {
    if (hostname === 'intranet.test') return [{ address: '10.0.0.7', family: 4 }];
    if (hostname === 'public.test') return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };
  const isAllowedAddress = (address: string) => address === '127.0.0.1' || isPublicAddress(address);

  it('refuses loopback targets by default', async () => {
    const error = await failure(
      driver({ allowPrivateNetworks: false }).fetch(`${upstream.url}/articles/one`),
    );
    expect(error.code).toBe('blocked-address');
  });

  it('refuses a name that resolves to loopback, checked on the address connected to', async () => {
    const before = upstream.requests.length;
    const d = driver({ allowPrivateNetworks: false, resolveHost });
    const error = await failure(d.fetch(`http://public.test:${upstream.port}/articles/one`));
    expect(error.code).toBe('blocked-address');
    expect(upstream.requests.length).toBe(before);
  });

  it('connects when the resolved address is allowed', async () => {
    const d = driver({ allowPrivateNetworks: false, resolveHost, isAllowedAddress });
    const response = await d.fetch(`http://public.test:${upstream.port}/articles/two`);
    expect(response.status).toBe(200);
  });

  it('redirect to a private address: the hop is refused before any connection', async () => {
    const d = driver({ allowPrivateNetworks: false, resolveHost, isAllowedAddress });
    const error = await failure(d.fetch(`${upstream.url}/redirect-private`));
    expect(error.code).toBe('blocked-address');
    expect(error.message).toMatch(/intranet\.test \(10\.0\.0\.7\)/);
  });

  it('redirect to the link-local metadata address is refused without DNS', async () => {
    const d = driver({ allowPrivateNetworks: false, resolveHost, isAllowedAddress });
    const error = await failure(d.fetch(`${upstream.url}/redirect-metadata`));
    expect(error.code).toBe('blocked-address');
    expect(error.message).toMatch(/169\.254\.169\.254/);
  });
});
