import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, intervalMinutesOf, parseConfig } from '../src/config.ts';

describe('parseConfig', () => {
  it('returns the defaults for an empty object', () => {
    expect(parseConfig({})).toEqual(DEFAULT_CONFIG);
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
