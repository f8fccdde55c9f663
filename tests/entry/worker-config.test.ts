import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.ts';
import { configFromWorkerVars, siteInfoFromConfig } from '../../src/entry/worker-config.ts';

describe('configFromWorkerVars', () => {
  it('maps each var onto its config field through parseConfig', () => {
    const config = configFromWorkerVars({
      SITE_TITLE: 'Revue',
      SITE_DESCRIPTION: 'Une revue de presse',
      SITE_URL: 'https://news.example/',
      SITE_LANGUAGE: 'pt-BR',
      FEED_SIZE: '20',
      SCHEDULE: '0 * * * *',
    });
    expect(config.site).toEqual({
      title: 'Revue',
      description: 'Une revue de presse',
      baseUrl: 'https://news.example',
      language: 'pt-BR',
    });
    expect(config.feedSize).toBe(20);
    expect(config.schedule).toBe('0 * * * *');
    expect(config.ttlMinutes).toBe(60);
    expect(siteInfoFromConfig(config)).toEqual({ ...config.site, ttlMinutes: 60 });
  });

  it('accepts numbers from wrangler.toml and falls back to the defaults for missing vars', () => {
    const config = configFromWorkerVars({ FEED_SIZE: 10, TTL_MINUTES: 5 });
    expect(config.feedSize).toBe(10);
    expect(config.ttlMinutes).toBe(5);
    expect(config.site).toEqual(DEFAULT_CONFIG.site);
    expect(config.schedule).toBe(DEFAULT_CONFIG.schedule);
  });

  it('takes the whole config from KIOSQUE_CONFIG (JSON string or table), single vars winning', () => {
    const fromJson = configFromWorkerVars({
      KIOSQUE_CONFIG: JSON.stringify({ site: { title: 'Base', language: 'de' }, feedSize: 7 }),
      SITE_TITLE: 'Override',
    });
    expect(fromJson.site.title).toBe('Override');
    expect(fromJson.site.language).toBe('de');
    expect(fromJson.feedSize).toBe(7);
    expect(configFromWorkerVars({ KIOSQUE_CONFIG: { feedSize: 3 } }).feedSize).toBe(3);
  });

  it('rejects a KIOSQUE_CONFIG that is not a JSON object, or has unknown fields', () => {
    expect(() => configFromWorkerVars({ KIOSQUE_CONFIG: '{oops' })).toThrow(
      /KIOSQUE_CONFIG must be a JSON object/,
    );
    expect(() => configFromWorkerVars({ KIOSQUE_CONFIG: '[1]' })).toThrow(
      /KIOSQUE_CONFIG must be a JSON object/,
    );
    expect(() => configFromWorkerVars({ KIOSQUE_CONFIG: '{"feedsize": 3}' })).toThrow(
      /unknown config field "feedsize"/,
    );
    expect(() => configFromWorkerVars({ KIOSQUE_CONFIG: '{"site": "x"}' })).toThrow(/site must be an object/);
  });

  it('fails with the same named errors as the config file', () => {
    expect(() => configFromWorkerVars({ FEED_SIZE: 'lots' })).toThrow(/feedSize must be an integer.*"lots"/);
    expect(() => configFromWorkerVars({ SITE_URL: 'ftp://x' })).toThrow(/site\.baseUrl must use http/);
    expect(() => configFromWorkerVars({ SCHEDULE: 'hourly' })).toThrow(/schedule must be a cron/);
  });
});
