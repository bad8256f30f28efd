import { describe, expect, it } from 'vitest';
import { forecastConfig } from '../../src/forecast/config.js';
import { configFrom } from '../../src/store/config.js';

/**
 * China's calendar (official holidays and 调休, the 15 November heating switch-on, flood season, school terms) is the
 * default for a city in China. A city that puts itself in another zone (Toronto: "America/Toronto", 43.7° N, north
 * of the 33° N heating line) and says nothing about the calendar must not get Spring Festival terms and a heating
 * season; one that names a calendar keeps it.
 */
describe('the default holiday calendar follows the city time zone', () => {
  it('none for a city configured outside China, with no heating, flood or school windows', () => {
    const cfg = forecastConfig(configFrom({ city: { timezone: 'America/Toronto' } }));
    expect(cfg.calendar).toBe('none');
    expect([cfg.heatingStart, cfg.heatingEnd, cfg.floodSeason, cfg.autumnTermStart]).toEqual([null, null, null, null]);
  });

  it('cn for a Chinese zone or no zone at all, and whatever a config names', () => {
    expect(forecastConfig(configFrom({})).calendar).toBe('cn');
    expect(forecastConfig(configFrom({ city: { timezone: 'Asia/Urumqi' } })).calendar).toBe('cn');
    const named = forecastConfig(configFrom({ city: { timezone: 'America/Toronto' }, forecast: { calendar: 'cn' } }));
    expect(named.calendar).toBe('cn');
    expect(named.heatingStart).not.toBeNull();
    const own = forecastConfig(
      configFrom({ city: { timezone: 'America/Toronto' }, forecast: { heatingStart: '10-15', heatingEnd: '04-15' } }),
    );
    expect([own.calendar, own.heatingStart, own.heatingEnd]).toEqual(['none', '10-15', '04-15']);
  });
});
