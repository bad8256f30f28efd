// findSurge on hand-made weeks: a rising model forecast is a wave; a flat one, or a series with no orders behind
// it, is not (an unseen city once got "预计2周后…进入高峰…为近4周均值的1.0倍" from a flat mean).
import { describe, expect, it } from 'vitest';
import { forecastConfig } from '../../src/forecast/config.js';
import { findSurge, type SurgeWeek } from '../../src/forecast/surge.js';
import { configFrom } from '../../src/store/config.js';

const cfg = forecastConfig(configFrom({})).surge;
const FIRST = '2025-05-19';
const addDays = (d: string, n: number) => new Date(Date.parse(d + 'T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);

/** 8 forecast weeks at `level`, last year's same weeks at 100, the 12 weeks before at `recent` a week. */
function weeks(model: string, level: number, recent: number | null): SurgeWeek[] {
  const past = recent === null ? null : Array.from({ length: 12 }, (_, i) => ({ week_start: addDays(FIRST, -7 * (12 - i)), n: recent }));
  return Array.from({ length: 8 }, (_, i) => ({
    category: '市容环卫/餐饮油烟', level: 2, scope_level: 'city', scope_name: '澜州市', k: i + 1,
    week_start: addDays(FIRST, 7 * i), yhat: level, lo: level * 0.85, hi: level * 1.15, model,
    last_year: 100, recent: past, last8: recent === null ? null : recent * 8, last8_year_before: recent === null ? null : recent * 8, first_seen: '2024-01-01',
  }));
}

describe('findSurge', () => {
  it('calls a model forecast well above last year a wave', () => {
    const s = findSurge(weeks('glm', 236, 230), FIRST, cfg);
    expect(s?.details.trigger).toBe('yoy');
  });

  it('does not call a flat mean a wave, whatever last year was', () => {
    expect(findSurge(weeks('mean', 236, 230), FIRST, cfg)).toBeNull();
  });

  it('makes no claim for a series with no recent weeks at all (its forecast matched no orders)', () => {
    expect(findSurge(weeks('glm', 236, null), FIRST, cfg)).toBeNull();
  });
});
