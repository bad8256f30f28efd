import { afterEach, describe, expect, it } from 'vitest';
import { heatingOverride, observedHeatingStart } from '../../src/forecast/heating.js';
import { fixtureDays, insertDays } from './fixture.js';
import { configFrom } from '../../src/store/config.js';
import { tempStore } from '../helpers.js';
import { insertOrders } from '../spatial/fixtures.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function storeAt(lat: number | null) {
  const t = await tempStore();
  cleanup = t.cleanup;
  await insertOrders(
    t.store,
    Array.from({ length: 50 }, (_, i) => ({
      id: `o${i}`,
      created: '2025-01-01',
      lon: lat === null ? null : 113.3,
      lat: lat === null ? null : lat + (i % 5) * 0.01,
    })),
  );
  return t.store;
}

describe('the heating season by where the city lies', () => {
  it('none for a city south of the Qinling–Huaihe line, unless its config says so', async () => {
    const store = await storeAt(22.5);
    expect(await heatingOverride(store, configFrom({}))).toEqual({ heatingStart: null, heatingEnd: null });
    expect(
      await heatingOverride(store, configFrom({ forecast: { heatingStart: '12-01', heatingEnd: '02-28' } })),
    ).toEqual({});
  });

  it('the default season north of it, and without coordinates', async () => {
    expect(await heatingOverride(await storeAt(39.9), configFrom({}))).toEqual({});
    cleanup?.();
    expect(await heatingOverride(await storeAt(null), configFrom({}))).toEqual({});
  });
});

describe('the heating start as the orders show it', () => {
  it.each(['11-01', '10-20', '11-15'])(
    'reads a season starting %s from past seasons, for a config silent on heating',
    async (start) => {
      const t = await tempStore();
      cleanup = t.cleanup;
      await insertDays(t.store, fixtureDays({ start: '2023-06-01', end: '2026-03-01', heatingStart: start, seed: 11 }));
      expect(await observedHeatingStart(t.store, '2026-03-01')).toBe(start);
      expect(await heatingOverride(t.store, configFrom({}), '2026-03-01')).toEqual({ heatingStart: start });
      // a city's own setting stands; and a season not yet over by the as-of is not read
      expect(await heatingOverride(t.store, configFrom({ forecast: { heatingStart: '11-15' } }), '2026-03-01')).toEqual(
        {},
      );
      expect(await observedHeatingStart(t.store, '2023-12-20')).toBeNull();
    },
  );
});
