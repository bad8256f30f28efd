import { afterEach, describe, expect, it } from 'vitest';
import { heatingOverride } from '../../src/forecast/heating.js';
import { configFrom } from '../../src/store/config.js';
import { tempStore } from '../helpers.js';
import { insertOrders } from '../spatial/fixtures.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function storeAt(lat: number | null) {
  const t = await tempStore();
  cleanup = t.cleanup;
  await insertOrders(t.store, Array.from({ length: 50 }, (_, i) => ({ id: `o${i}`, created: '2025-01-01', lon: lat === null ? null : 113.3, lat: lat === null ? null : lat + (i % 5) * 0.01 })));
  return t.store;
}

describe('the heating season by where the city lies', () => {
  it('none for a city south of the Qinling–Huaihe line, unless its config says so', async () => {
    const store = await storeAt(22.5);
    expect(await heatingOverride(store, configFrom({}))).toEqual({ heatingStart: null, heatingEnd: null });
    expect(await heatingOverride(store, configFrom({ forecast: { heatingStart: '12-01', heatingEnd: '02-28' } }))).toEqual({});
  });

  it('the default season north of it, and without coordinates', async () => {
    expect(await heatingOverride(await storeAt(39.9), configFrom({}))).toEqual({});
    cleanup?.();
    expect(await heatingOverride(await storeAt(null), configFrom({}))).toEqual({});
  });
});
