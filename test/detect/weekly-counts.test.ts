import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore, testConfig } from '../helpers.js';
import { detectConfig } from '../../src/detect/config.js';
import { loadFrame, MAX_WEEKS, seriesKey, type Series } from '../../src/detect/series.js';
import { halfLimit, withHalfMemory } from '../../src/detect/memory.js';
import { memoryBytes } from '../../src/store/memory.js';
import { daysBetween, weekStart } from '../../src/store/dates.js';
import type { Store } from '../../src/store/db.js';

// weekly_counts.sql numbers the names (places, categories) and groups the numbers. Whatever the numbering, each
// series must hold what the plain definition gives: every day row before the as-of counted in its week, at its
// category's every level (1, 2 when cat2 <> cat1, 3… from the stored level names), at the city, its district when it
// has one, its street when it has both. Invented rows with the awkward cases: no district, a street without a
// district, a district without a street, the same street name in two districts, a one-level path, a four-level path
// and a 小类 whose name holds '/'.
const AS_OF = '2025-06-04';
const CITY = '测试市';
const DAYS = 420;

interface DayRow {
  day: string;
  cat1: string;
  cat2: string;
  path: string | null;
  district: string | null;
  street: string | null;
  n: number;
}

const PLACES: [string | null, string | null][] = [
  ['甲区', '一街道'],
  ['甲区', '二街道'],
  ['乙区', '一街道'],
  ['乙区', null],
  [null, '三街道'],
  [null, null],
];
const PATHS: { cat1: string; cat2: string; path: string | null; names?: string[] }[] = [
  { cat1: '城建', cat2: '城建/物业', path: '城建/物业/电梯/扶梯故障', names: ['城建', '物业', '电梯/扶梯故障'] },
  { cat1: '城建', cat2: '城建/物业', path: '城建/物业/物业费' },
  { cat1: '城建', cat2: '城建/供暖', path: '城建/供暖/暖气不热/整栋' },
  { cat1: '城建', cat2: '城建/供暖', path: null },
  { cat1: '咨询', cat2: '咨询', path: null },
];

function rows(): DayRow[] {
  const out: DayRow[] = [];
  for (let d = 0; d < DAYS; d++) {
    const day = new Date(Date.UTC(2024, 3, 1 + d)).toISOString().slice(0, 10);
    PATHS.forEach((c, i) =>
      PLACES.forEach(([district, street], j) => {
        const n = (d * 7 + i * 13 + j * 5) % 4; // 0–3 a day, zero days absent as in the real tables
        if (n > 0) out.push({ day, ...c, district, street, n });
      }),
    );
  }
  return out;
}

/** The series by the definition, straight from the day rows. */
function expected(all: DayRow[], week0: string): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  const add = (level: number, category: string, w: number, n: number, r: DayRow) => {
    const scopes: [string, string, string | null][] = [['city', CITY, null]];
    if (r.district !== null) scopes.push(['district', r.district, r.district]);
    if (r.district !== null && r.street !== null) scopes.push(['street', r.street, r.district]);
    for (const [level_, name, district] of scopes) {
      const key = seriesKey(level, category, level_, name, district);
      const y = out.get(key) ?? new Float64Array(MAX_WEEKS + 1);
      y[w] += n;
      out.set(key, y);
    }
  };
  for (const r of all) {
    if (r.day >= AS_OF) continue;
    const w = daysBetween(weekStart(r.day), week0) / 7;
    if (w < 0 || w > MAX_WEEKS || !(w < 28 || w % 52 >= 49 || w % 52 <= 14)) continue;
    add(1, r.cat1, w, r.n, r);
    if (r.cat2 !== r.cat1) add(2, r.cat2, w, r.n, r);
    if (r.path === null) continue;
    const names = PATHS.find((c) => c.path === r.path)?.names ?? r.path.split('/');
    for (let level = 3; level <= names.length; level++) add(level, names.slice(0, level).join('/'), w, r.n, r);
  }
  return out;
}

async function load(store: Store, all: DayRow[]): Promise<void> {
  const json = JSON.stringify(all);
  await store.exec(
    `INSERT INTO daily_counts (day, cat1, cat2, district, street, n, n_repeat, n_out_of_scope, n_unsatisfied, n_closed)
     SELECT r.day::DATE, r.cat1, r.cat2, r.district, r.street, sum(r.n), 0, 0, 0, sum(r.n)
     FROM (SELECT unnest(from_json($rows, '[{"day":"VARCHAR","cat1":"VARCHAR","cat2":"VARCHAR","district":"VARCHAR","street":"VARCHAR","n":"INTEGER"}]'), recursive := true)) r
     GROUP BY ALL`,
    { rows: json },
  );
  await store.exec(
    `INSERT INTO daily_leaf_counts (day, category, district, street, n)
     SELECT r.day::DATE, r.path, r.district, r.street, r.n
     FROM (SELECT unnest(from_json($rows, '[{"day":"VARCHAR","path":"VARCHAR","district":"VARCHAR","street":"VARCHAR","n":"INTEGER"}]'), recursive := true)) r
     WHERE r.path IS NOT NULL`,
    { rows: json },
  );
  for (const c of PATHS.filter((p) => p.names)) {
    await store.exec(`INSERT INTO leaf_paths (category, category_levels) VALUES ($c, from_json($n, '["VARCHAR"]'))`, {
      c: c.path,
      n: JSON.stringify(c.names),
    });
  }
}

describe('weekly series, numbered in SQL', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  const all = rows();
  beforeAll(async () => {
    t = await tempStore();
    await load(t.store, all);
  });
  afterAll(() => t.cleanup());

  it('hold every day row at each of its levels and scopes, as the plain definition counts them', async () => {
    const cfg = detectConfig(testConfig({ city: { name: CITY } }));
    const frame = await loadFrame(t.store, AS_OF, CITY, cfg);
    const want = expected(all, frame.week0);
    const active = [...want].filter(([, y]) => y.slice(0, cfg.recentWeeks).reduce((a, b) => a + b, 0) >= cfg.minRecent);
    const got = new Map(frame.series.map((s: Series) => [s.key, s]));
    expect([...got.keys()].sort()).toEqual(active.map(([k]) => k).sort());
    for (const [key, y] of active) expect(Array.from(got.get(key)!.y), key).toEqual(Array.from(y));
    // the cases the numbering could lose or merge
    expect(got.has(seriesKey(3, '城建/物业/电梯/扶梯故障', 'street', '一街道', '乙区'))).toBe(true);
    expect(got.has(seriesKey(4, '城建/供暖/暖气不热/整栋', 'district', '甲区', '甲区'))).toBe(true);
    expect(frame.series.some((s) => s.level === 2 && s.category === '咨询')).toBe(false);
    expect(frame.series.some((s) => s.scopeName === '三街道')).toBe(false);
    const street = got.get(seriesKey(3, '城建/物业/物业费', 'street', '一街道', '甲区'))!;
    expect(street).toMatchObject({ parent: '城建/物业', cat1: '城建', scopeLevel: 'street', district: '甲区' });
    // the tables it built are gone
    expect(await t.store.value<number>(`SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'detect_%'`)).toBe(
      0,
    );
  });

  it('runs its SQL under half the store limit and puts the limit back', async () => {
    const limit = () => t.store.value<string>(`SELECT current_setting('memory_limit')`);
    await t.store.exec(`SET memory_limit = '2GiB'`);
    const before = memoryBytes(await limit())!;
    const during = await withHalfMemory(t.store, limit);
    expect(memoryBytes(during)! / before).toBeCloseTo(0.5, 2);
    expect(memoryBytes(await limit())).toBe(before);
  });
});

describe('halfLimit', () => {
  it('halves a large limit, keeps at least 512 MiB, and never raises a small deliberate ceiling', () => {
    expect(halfLimit(2 ** 30 * 4)).toBe(2 ** 31);
    expect(halfLimit(2 ** 30)).toBe(512 * 2 ** 20);
    expect(halfLimit(800 * 2 ** 20)).toBe(512 * 2 ** 20);
    expect(halfLimit(112e6)).toBe(112e6);
  });
});

describe('memoryBytes', () => {
  it('reads sizes as DuckDB prints them, and nothing else', () => {
    expect(memoryBytes('953.6 MiB')).toBeCloseTo(953.6 * 2 ** 20, 0);
    expect(memoryBytes('18.8 GiB')).toBeCloseTo(18.8 * 2 ** 30, 0);
    expect(memoryBytes('1GB')).toBe(1e9);
    expect(memoryBytes('0 bytes')).toBe(0);
    expect(memoryBytes('lots')).toBeNull();
    expect(memoryBytes(undefined)).toBeNull();
  });
});
