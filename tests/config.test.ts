import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, intervalMinutesOf, parseConfig } from '../src/config.ts';

describe('parseConfig', () => {
  it('returns the defaults for an empty object', () => {
    expect(parseConfig({})).toEqual(DEFAULT_CONFIG);
  });

  it('describes the site in its own language unless told otherwise', () => {
    expect(parseConfig({}).site.description).toBe('Articles nettoyés et republiés par kiosque');
    expect(parseConfig({ site: { language: 'en-GB' } }).site.description).toBe(
      'Articles cleaned and republished by kiosque',
    );
    // A language without a wording table: the English default.
    expect(parseConfig({ site: { language: 'it' } }).site.description).toBe(
      'Articles cleaned and republished by kiosque',
    );
    expect(parseConfig({ site: { language: 'en', description: 'Mine' } }).site.description).toBe('Mine');
  });

  it('reads every documented field', () => {
    const config = parseConfig({
      site: { title: 'Revue', description: 'd', baseUrl: 'https://news.example/', language: 'pt-BR' },
      contentDir: 'articles',
      outDir: 'public',
      schedule: '*/5 * * * *',
      port: 9000,
      feedSize: 20,
    });
    expect(config.site).toEqual({
      title: 'Revue',
      description: 'd',
      baseUrl: 'https://news.example',
      language: 'pt-BR',
    });
    expect(config.stateDir).toBe('public/.state');
    expect(config.ttlMinutes).toBe(5);
    expect(config.port).toBe(9000);
    expect(config.feedSize).toBe(20);
  });

  it('lets PORT, SITE_URL and HOST override the file', () => {
    const config = parseConfig(
      { port: 1 },
      { PORT: '8080', SITE_URL: 'https://x.example/feeds/', HOST: '0.0.0.0' },
    );
    expect(config.port).toBe(8080);
    expect(config.site.baseUrl).toBe('https://x.example/feeds');
    expect(config.host).toBe('0.0.0.0');
  });

  it.each([
    [{ port: 'x' }, /port must be an integer/],
    [{ feedSize: 0 }, /feedSize must be an integer from 1/],
    [{ site: { baseUrl: 'ftp://x' } }, /site.baseUrl must use http or https/],
    [{ site: { baseUrl: 'not a url' } }, /site.baseUrl must be an absolute/],
    [{ schedule: 'every day' }, /schedule must be a cron expression/],
    [{ sitee: {} }, /unknown config field "sitee"/],
    [{ site: { titel: 'x' } }, /unknown config field "site.titel"/],
    [{ site: { language: 'French' } }, /site.language must be a BCP 47 tag/],
    [[], /must hold a JSON object/],
  ])('rejects %j with a message naming the field', (input, message) => {
    expect(() => parseConfig(input)).toThrow(ConfigError);
    expect(() => parseConfig(input)).toThrow(message);
  });

  it('rejects a bad PORT variable by name', () => {
    expect(() => parseConfig({}, { PORT: 'eighty' })).toThrow(/PORT must be an integer/);
  });

  it('reports every problem at once: field path, value given, what was expected', () => {
    let error: ConfigError | undefined;
    try {
      parseConfig(
        {
          feedSize: -1,
          shedule: '*/5 * * * *',
          site: { baseUrl: 'feeds.example.org', titel: 'x' },
          rateLimit: { requests: 'many', windowSecs: 60 },
          sources: [
            { type: 'feed', url: 'https://a.example/' },
            { type: 'feed', url: 'ftp://x' },
          ],
          fetch: { retries: 99, maxByte: 1 },
          trustProxy: ['10.0.0.0/8', 'proxy.local'],
        },
        { PORT: 'eighty' },
      );
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems.map((p) => p.path)).toEqual([
      'shedule',
      'site.titel',
      'PORT',
      'site.baseUrl',
      'trustProxy[1]',
      'feedSize',
      'rateLimit.windowSecs',
      'rateLimit.requests',
      'sources[1]',
      'fetch.retries',
      'fetch.maxByte',
    ]);
    expect(error?.problems[0]?.message).toBe('unknown config field "shedule"; did you mean "schedule"?');
    expect(error?.problems.find((p) => p.path === 'feedSize')).toEqual({
      path: 'feedSize',
      given: '-1',
      expected: 'an integer from 1 to 1000',
      message: 'feedSize must be an integer from 1 to 1000, got -1',
    });
    expect(error?.message).toMatch(/^11 problems in the configuration:\n {2}unknown config field "shedule"/);
    expect(error?.message).toContain('sources[1].url must be an absolute http(s) URL, got "ftp://x"');
    expect(error?.message).toContain('unknown field "fetch.maxByte"; did you mean "fetch.maxBytes"?');
    expect(error?.message).toContain('unknown config field "rateLimit.windowSecs"; did you mean');
  });

  it('lists the known fields when no name is close', () => {
    expect(() => parseConfig({ frobnicate: 1 })).toThrow(/unknown config field "frobnicate"; known: site,/);
  });
});

describe('base URL and listen address', () => {
  it('follows the listen address when neither SITE_URL nor site.baseUrl is given', () => {
    expect(parseConfig({}, { PORT: '9000' })).toMatchObject({
      site: { baseUrl: 'http://localhost:9000' },
      baseUrlSource: 'listen',
      port: 9000,
    });
    expect(parseConfig({ port: 9001, host: '0.0.0.0' }).site.baseUrl).toBe('http://localhost:9001');
    expect(parseConfig({}, { HOST: '192.168.1.20', PORT: '80' }).site.baseUrl).toBe('http://192.168.1.20');
  });

  it('says where a given base URL came from', () => {
    expect(parseConfig({ site: { baseUrl: 'https://a.example' } }).baseUrlSource).toBe('site.baseUrl');
    expect(
      parseConfig({ site: { baseUrl: 'https://a.example' } }, { SITE_URL: 'https://b.example' }),
    ).toMatchObject({ site: { baseUrl: 'https://b.example' }, baseUrlSource: 'SITE_URL' });
    expect(() => parseConfig({}, { SITE_URL: 'b.example' })).toThrow(
      /SITE_URL must be an absolute http\(s\) URL, got "b\.example"/,
    );
  });
});

describe('trustProxy', () => {
  it('is empty by default and reads addresses and CIDR ranges from the file', () => {
    expect(parseConfig({}).trustProxy).toEqual([]);
    expect(parseConfig({ trustProxy: ['127.0.0.1/32', '10.0.0.0/8', '::1', 'fd00::/8'] }).trustProxy).toEqual(
      ['127.0.0.1/32', '10.0.0.0/8', '::1', 'fd00::/8'],
    );
  });

  it('takes TRUST_PROXY (comma-separated) over the file', () => {
    expect(
      parseConfig({ trustProxy: ['10.0.0.0/8'] }, { TRUST_PROXY: ' 127.0.0.1, ::1 ,' }).trustProxy,
    ).toEqual(['127.0.0.1', '::1']);
  });

  it.each([
    [{ trustProxy: '10.0.0.0/8' }, {}, /trustProxy must be an array of addresses or CIDR ranges/],
    [
      { trustProxy: ['10.0.0.0/33'] },
      {},
      /trustProxy\[0\] must be an IPv4 or IPv6 address or CIDR range.*"10\.0\.0\.0\/33"/,
    ],
    [{ trustProxy: [8] }, {}, /trustProxy\[0\] must be .*got 8/],
    [{}, { TRUST_PROXY: 'nginx' }, /TRUST_PROXY must be an IPv4 or IPv6 address or CIDR range .*got "nginx"/],
  ])('refuses %j %j', (input, env, message) => {
    expect(() => parseConfig(input, env)).toThrow(message);
  });
});

describe('intervalMinutesOf', () => {
  it.each([
    ['*/15 * * * *', 15],
    ['* * * * *', 1],
    ['0 */2 * * *', 120],
    ['30 4 * * 1', 60],
  ])('%s → %i minutes', (schedule, minutes) => {
    expect(intervalMinutesOf(schedule)).toBe(minutes);
  });
});
