import { beforeAll, describe, expect, it } from 'vitest';
import { forecastStage } from '../../src/forecast/stage.js';
import { surgeStage } from '../../src/forecast/surge-stage.js';
import { readForecasts } from '../../src/forecast/read.js';
import { tempStore, testContext } from '../helpers.js';
import { fixtureDays, insertDays, type DailyRow } from './fixture.js';

// A city that records fewer levels than the store can hold: a one-level path is stored with cat2 = cat1. A series
// exists at level k only for the categories whose path names a level k, so each real category is forecast once:
// in a one-level city every 大类 at level 1 and nothing at level 2; in a mixed city a 大类 without 小类 at level 1
// only, beside a 大类 with 小类 forecast at both levels as before.
const AS_OF = '2024-09-30';
const days = fixtureDays({ start: '2022-01-03', end: AS_OF, seed: 5 });

/** The fixture's 小类 as 大类 of their own, recorded without a level 2. */
function oneLevel(rows: readonly DailyRow[]): DailyRow[] {
  return rows.map((r) => {
    const name = r.cat2.split('/')[1];
    return { ...r, cat1: name, cat2: name };
  });
}

/** The fixture plus a 大类 recorded without 小类 (the road category's counts under another name). */
function mixedDepth(rows: readonly DailyRow[]): DailyRow[] {
  const extra = rows
    .filter((r) => r.cat2 === '城乡建设/道路')
    .map((r) => ({ ...r, cat1: '环境保护', cat2: '环境保护' }));
  return [...rows, ...extra];
}

async function forecastSeries(rows: DailyRow[]): Promise<string[]> {
  const t = await tempStore();
  try {
    await insertDays(t.store, rows);
    await forecastStage.run(testContext(t.store, AS_OF));
    // the surge stage reads the same levels: it must still run on a shallow store
    await surgeStage.run(testContext(t.store, AS_OF));
    const series = await readForecasts(t.store, AS_OF, 13);
    return series.map((s) => `${s.scope.level}|${s.scope.name}|${s.level}:${s.category}`);
  } finally {
    t.cleanup();
  }
}

function city(keys: readonly string[]): string[] {
  return keys
    .filter((k) => k.startsWith('city|'))
    .map((k) => k.split('|')[2])
    .sort();
}

describe('forecast on a city with fewer category levels than the store holds', () => {
  let one: string[];
  let mixed: string[];
  beforeAll(async () => {
    one = await forecastSeries(oneLevel(days));
    mixed = await forecastSeries(mixedDepth(days));
  }, 240_000);

  it('one level: each 大类 forecast once, at level 1', () => {
    expect(city(one)).toEqual(['1:供暖', '1:道路']);
    expect(one.filter((k) => !k.includes('|1:'))).toEqual([]);
    expect(new Set(one).size).toBe(one.length);
  });

  it('mixed depth: a 大类 without 小类 at level 1 only, the other 大类 and its 小类 as before', () => {
    expect(city(mixed)).toEqual(['1:城乡建设', '1:环境保护', '2:城乡建设/供暖', '2:城乡建设/道路']);
    expect(new Set(mixed).size).toBe(mixed.length);
  });
});
