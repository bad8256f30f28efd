// findSurge on hand-made weeks: a rising model forecast is a wave; a flat one, or a series with no orders behind
// it, is not (an unseen city once got "预计2周后…进入高峰…为近4周均值的1.0倍" from a flat mean).
import { describe, expect, it } from 'vitest';
import { forecastConfig } from '../../src/forecast/config.js';
import { findSurge, markRepeats, type Surge, type SurgeWeek } from '../../src/forecast/surge.js';
import { configFrom } from '../../src/store/config.js';

const cfg = forecastConfig(configFrom({})).surge;
const FIRST = '2025-05-19';
const addDays = (d: string, n: number) =>
  new Date(Date.parse(d + 'T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);

/** 8 forecast weeks at `level`, last year's same weeks at 100, the 12 weeks before at `recent` a week. */
function weeks(model: string, level: number, recent: number | null): SurgeWeek[] {
  const past =
    recent === null
      ? null
      : Array.from({ length: 12 }, (_, i) => ({ week_start: addDays(FIRST, -7 * (12 - i)), n: recent }));
  return Array.from({ length: 8 }, (_, i) => ({
    category: '市容环卫/餐饮油烟',
    level: 2,
    scope_level: 'city',
    scope_name: '澜州市',
    k: i + 1,
    week_start: addDays(FIRST, 7 * i),
    yhat: level,
    lo: level * 0.85,
    hi: level * 1.15,
    model,
    last_year: 100,
    recent: past,
    last8: recent === null ? null : recent * 8,
    last8_year_before: recent === null ? null : recent * 8,
    first_seen: '2024-01-01',
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

describe('one wave, one primary line', () => {
  const surge = (
    scope_level: 'city' | 'district',
    scope_name: string,
    level: 1 | 2,
    category: string,
    peak: number,
  ): Surge => ({
    category,
    level,
    scope_level,
    scope_name,
    window_start: '2026-01-12',
    window_end: '2026-01-18',
    observed: peak,
    expected: peak / 4,
    score: 3,
    reason: `${scope_name} ${category}`,
    details: {
      lead_weeks: 3,
      wave_start: '2026-01-05',
      peak_week: '2026-01-12',
      peak_yhat: peak,
      peak_lo: peak * 0.8,
      peak_hi: peak * 1.2,
      recent_mean: peak / 4,
      last_year_same_week: null,
      growth: null,
      trigger: 'recent',
      model: 'glm',
    },
  });

  it('a 大类 told by its one 小类, a district by the city; the rest stay primary', () => {
    const s = [
      surge('city', '榕海市', 1, '劳动保障', 344),
      surge('city', '榕海市', 2, '劳动保障/劳资纠纷', 330),
      surge('district', '海湾区', 1, '劳动保障', 111),
      surge('district', '海湾区', 2, '劳动保障/劳资纠纷', 111),
      surge('district', '海湾区', 2, '城乡建设/供暖', 60),
      surge('city', '榕海市', 1, '城市管理', 500),
      surge('city', '榕海市', 2, '城市管理/排水防涝', 200),
    ];
    markRepeats(s, '榕海市');
    const primary = s.filter((x) => x.details.primary !== false).map((x) => `${x.scope_name}|${x.category}`);
    expect(primary).toEqual([
      '榕海市|劳动保障/劳资纠纷',
      '海湾区|城乡建设/供暖',
      '榕海市|城市管理',
      '榕海市|城市管理/排水防涝',
    ]);
    expect(s[0].details.explained_by).toEqual({ level: 'category', name: '劳动保障/劳资纠纷' });
    expect(s[2].details.explained_by).toEqual({ level: 'category', name: '劳动保障/劳资纠纷' });
    expect(s[3].details.follows).toEqual({ level: 'city', name: '榕海市' });
  });

  it('measures the recent level on the weeks the data reaches, not on missing weeks read as zeros', () => {
    // a flat 100 a week, forecast flat at 120, last year 100 (no yoy trigger at 1.2×); the data stopped two weeks ago
    const w = weeks('glm', 120, 100).map((x) => ({ ...x, recent: x.recent!.slice(0, 10) }));
    const dataWeek = addDays(FIRST, -14);
    expect(findSurge(w, FIRST, cfg, dataWeek)).toBeNull();
    // read from the as-of's week, two of the four "recent" weeks are zeros: 120 looks like 2.4× the level
    expect(findSurge(w, FIRST, cfg)?.details.trigger).toBe('recent');
  });

  it('calls no wave ahead when the last week is already as high as the forecast peak', () => {
    // a wave forecast at 236 against 100 a week, but the week just past had 300: it is here, or past
    const w = weeks('glm', 236, 100).map((x) => ({
      ...x,
      recent: x.recent!.map((r, i, a) => (i === a.length - 1 ? { ...r, n: 300 } : r)),
    }));
    expect(findSurge(weeks('glm', 236, 100), FIRST, cfg)).not.toBeNull();
    expect(findSurge(w, FIRST, cfg)).toBeNull();
  });
});
