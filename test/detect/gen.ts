/**
 * Seeded daily_counts fixtures with planted rises, for detection tests and the bench. Counts are gamma-Poisson
 * (over-dispersed), with weekday shape, yearly growth of the whole hotline, the Spring Festival dip and, for
 * seasonal categories, a winter wave that repeats every year.
 */
import type { Store } from '../../src/store/db.js';
import { addDays, daysBetween } from '../../src/store/dates.js';
import { mulberry32 as rng } from '../../src/stats/random.js';
import type { PlantedEvent, Truth } from '../../src/synth/truth.js';
import { SPRING_FESTIVAL } from '../../src/synth/calendar.js';

export { rng };

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
}

function gamma(r: () => number, shape: number): number {
  if (shape < 1) return gamma(r, shape + 1) * Math.pow(r(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(r);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = r();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function poisson(r: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(r)));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > l);
  return k - 1;
}

export interface PlantedRise {
  kind: 'abrupt' | 'creeping';
  /** Level-2 path, or a level-3 path when the fixture has leaves: the rise applies to every leaf under it. */
  category: string;
  scope: { level: 'city' | 'district' | 'street'; name: string };
  start: string;
  end: string;
  /** abrupt: multiplier; creeping: growth per week. */
  magnitude: number;
}

export interface FixtureOptions {
  seed: number;
  start: string;
  end: string;
  districts?: number;
  streetsPerDistrict?: number;
  categories?: number;
  /** Mean orders per day per category × street in the first year. */
  perStreetDaily?: number;
  yearlyGrowth?: number;
  /** Gamma shape of the day-level rate noise (smaller = more over-dispersed). */
  shape?: number;
  /**
   * Level-3 categories per level-2 one (0: a two-level taxonomy). With leaves each row is one leaf × street and
   * `categories` still counts level-2 categories; the leaves of one share its level split unevenly.
   */
  leaves?: number;
  /** Level-2 categories with a winter wave (index < seasonal). */
  seasonal?: number;
  events?: PlantedRise[];
  /** Sharp waves on the same dates every year (school opening): level-2 category index, first day (MM-DD), days, factor. */
  waves?: { category: number; from: string; days: number; factor: number }[];
  /**
   * Level-2 categories whose week is shaped unlike the hotline's (index, weekday and weekend day factors; the others
   * have 1.1 on weekdays and 0.7 at weekends): a category busiest at weekends, or one hardly called then.
   */
  weekdays?: { category: number; weekday: number; weekend: number }[];
}

export interface CountRow {
  day: string;
  cat1: string;
  cat2: string;
  /** The full path when the fixture has leaves ('大类1/小类2/细类2-1'). */
  category?: string;
  district: string;
  street: string;
  n: number;
}

export function fixtureNames(o: FixtureOptions): {
  districts: string[];
  streets: { district: string; street: string }[];
  cats: { cat1: string; cat2: string; category?: string }[];
} {
  const districts = Array.from({ length: o.districts ?? 2 }, (_, i) => `第${i + 1}区`);
  const streets = districts.flatMap((d, i) =>
    Array.from({ length: o.streetsPerDistrict ?? 3 }, (_, j) => ({ district: d, street: `街道${i + 1}-${j + 1}` })),
  );
  const cat2s = Array.from({ length: o.categories ?? 6 }, (_, i) => ({
    cat1: `大类${Math.floor(i / 3) + 1}`,
    cat2: `大类${Math.floor(i / 3) + 1}/小类${i + 1}`,
  }));
  const cats = o.leaves
    ? cat2s.flatMap((c, i) =>
        Array.from({ length: o.leaves! }, (_, k) => ({ ...c, category: `${c.cat2}/细类${i + 1}-${k + 1}` })),
      )
    : cat2s;
  return { districts, streets, cats };
}

/** Multiplier of a planted rise on a given day for a category × street (1 outside it). */
function eventFactor(
  events: readonly PlantedRise[],
  day: string,
  cat2: string,
  district: string,
  street: string,
): number {
  let f = 1;
  for (const e of events) {
    if ((e.category !== cat2 && !cat2.startsWith(e.category + '/')) || day < e.start || day >= e.end) continue;
    const inScope =
      e.scope.level === 'city' ||
      (e.scope.level === 'district' && e.scope.name === district) ||
      (e.scope.level === 'street' && e.scope.name === street);
    if (!inScope) continue;
    if (e.kind === 'abrupt') f *= e.magnitude;
    else f *= Math.pow(1 + e.magnitude, daysBetween(e.start, day) / 7);
  }
  return f;
}

export function generateCounts(o: FixtureOptions): CountRow[] {
  const r = rng(o.seed);
  const { streets, cats } = fixtureNames(o);
  const base = o.perStreetDaily ?? 2;
  const growth = o.yearlyGrowth ?? 0.08;
  const shape = o.shape ?? 20;
  const seasonal = o.seasonal ?? 1;
  const events = o.events ?? [];
  // each category × street has its own level
  const level = streets.map(() => cats.map(() => base * (0.5 + r())));
  const rows: CountRow[] = [];
  const days = daysBetween(o.start, o.end);
  for (let d = 0; d < days; d++) {
    const day = addDays(o.start, d);
    const dt = new Date(day + 'T00:00:00Z');
    const dow = dt.getUTCDay();
    const year = dt.getUTCFullYear();
    const weekend = dow === 0 || dow === 6;
    let f = Math.pow(1 + growth, d / 365) * (weekend ? 0.7 : 1.1);
    for (const y of [year - 1, year, year + 1]) {
      const sf = SPRING_FESTIVAL[y];
      if (sf) {
        const k = daysBetween(sf, day);
        if (k >= -3 && k <= 7) f *= 0.5;
      }
    }
    const doy = daysBetween(`${year}-01-01`, day);
    // winter wave: high from mid-November to mid-March
    const winter = 1 + 1.5 * Math.max(0, Math.cos(((doy - 15) / 365) * 2 * Math.PI)) ** 2;
    const dayNoise = gamma(r, 200) / 200;
    for (let s = 0; s < streets.length; s++) {
      for (let c = 0; c < cats.length; c++) {
        let wave = 1;
        for (const k of o.weekdays ?? [])
          if (k.category === Math.floor(c / (o.leaves || 1))) wave *= weekend ? k.weekend / 0.7 : k.weekday / 1.1;
        for (const w of o.waves ?? []) {
          const k = daysBetween(`${year}-${w.from}`, day);
          if (w.category === Math.floor(c / (o.leaves || 1)) && k >= 0 && k < w.days) wave *= w.factor;
        }
        const mu =
          level[s][c] *
          f *
          dayNoise *
          wave *
          (Math.floor(c / (o.leaves || 1)) < seasonal ? winter : 1) *
          eventFactor(events, day, cats[c].category ?? cats[c].cat2, streets[s].district, streets[s].street);
        const n = poisson(r, (mu * gamma(r, shape)) / shape);
        if (n > 0) rows.push({ day, ...cats[c], ...streets[s], n });
      }
    }
  }
  return rows;
}

/** Replace daily_counts with the rows (chunks of JSON, bound as one parameter each). */
export async function loadCounts(store: Store, rows: readonly CountRow[]): Promise<void> {
  await store.exec('DELETE FROM daily_counts');
  await store.exec('DELETE FROM daily_leaf_counts');
  const chunk = 20000;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = JSON.stringify(rows.slice(i, i + chunk));
    // leaf rows sum to their level-2 row, as the aggregate stage writes both tables
    await store.exec(
      `INSERT INTO daily_counts (day, cat1, cat2, district, street, n, n_repeat, n_out_of_scope, n_unsatisfied, n_closed)
       SELECT r.day::DATE, r.cat1, r.cat2, r.district, r.street, sum(r.n), 0, 0, 0, sum(r.n)
       FROM (SELECT unnest(from_json($rows::JSON, '[{"day":"VARCHAR","cat1":"VARCHAR","cat2":"VARCHAR","district":"VARCHAR","street":"VARCHAR","n":"INTEGER"}]'), recursive := true)) r
       GROUP BY ALL`,
      { rows: part },
    );
    await store.exec(
      `INSERT INTO daily_leaf_counts (day, category, district, street, n)
       SELECT r.day::DATE, r.category, r.district, r.street, r.n
       FROM (SELECT unnest(from_json($rows::JSON, '[{"day":"VARCHAR","category":"VARCHAR","district":"VARCHAR","street":"VARCHAR","n":"INTEGER"}]'), recursive := true)) r
       WHERE r.category IS NOT NULL`,
      { rows: part },
    );
  }
}

/**
 * The orders behind daily_counts, one row per order (noon of its day, no text): for the rules that read the orders
 * themselves, such as the days without a single order (store/empty-days.ts).
 */
export async function loadOrdersFromCounts(store: Store): Promise<void> {
  await store.exec('DELETE FROM orders');
  await store.exec(
    `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, row_hash, first_seq, seq, loaded_at)
     SELECT 'o' || row_number() OVER (), c.day + INTERVAL 12 HOUR, c.cat2, c.cat1, c.cat2, '', c.district, c.street,
            0, 1, 1, now()
     FROM daily_counts c, range(c.n)`,
  );
}

/** A generated city with one planted rise of every class, for the bench's curves on cities no one tuned on. */
export interface UnseenCity {
  fixture: FixtureOptions;
  truth: Truth;
  from: string;
  to: string;
  describe: string;
}

/**
 * Seed → a three-level city (大类 / 中类 / 小类) of its own size, over-dispersion and volume, with six rises, each in
 * its own 中类 drawn by the seed and starting on a drawn day of June–September 2025: a street ×1.8 and a district
 * +5 %/week at level 2, a city-wide ×1.5, and at level 3 a district doubling over 10 weeks (+7.2 %/week), a district
 * ×1.6 and a street ×2. Two 中类 stay quiet.
 */
export function unseenCity(seed: number): UnseenCity {
  const r = rng(seed * 7919 + 17);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const districts = pick([2, 3, 4]);
  const streetsPerDistrict = pick([3, 4]);
  const categories = 8;
  const leaves = 3;
  const shape = pick([5, 10, 20]);
  const perStreetDaily = pick([2, 3, 4]);
  const names = fixtureNames({ seed, start: '', end: '', districts, streetsPerDistrict, categories, leaves });
  const cat2s = [...new Set(names.cats.map((c) => c.cat2))];
  // a seeded shuffle: which 中类 carries which rise
  const order = cat2s
    .map((c) => ({ c, k: r() }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.c);
  const leafOf = (cat2: string) => pick(names.cats.filter((c) => c.cat2 === cat2)).category!;
  const district = () => pick(names.districts);
  const street = () => pick(names.streets).street;
  const day = (weeks: number) => addDays('2025-06-02', Math.floor(r() * (7 * 16 - weeks * 7 + 1)));
  const plan: { id: string; rise: PlantedRise; leaf: boolean; kind: PlantedEvent['kind'] }[] = [];
  const add = (
    id: string,
    kind: PlantedEvent['kind'],
    leaf: boolean,
    rise: Omit<PlantedRise, 'start' | 'end'>,
    weeks: number,
  ) => {
    const start = day(weeks);
    plan.push({ id, kind, leaf, rise: { ...rise, start, end: addDays(start, 7 * weeks) } });
  };
  add(
    'abrupt-1',
    'abrupt',
    false,
    { kind: 'abrupt', category: order[0], scope: { level: 'street', name: street() }, magnitude: 1.8 },
    7,
  );
  add(
    'creeping-1',
    'creeping',
    false,
    { kind: 'creeping', category: order[1], scope: { level: 'district', name: district() }, magnitude: 0.05 },
    12,
  );
  add(
    'citywide-1',
    'citywide',
    false,
    { kind: 'abrupt', category: order[2], scope: { level: 'city', name: CITY_OF_UNSEEN }, magnitude: 1.5 },
    6,
  );
  add(
    'creeping-l3',
    'creeping',
    true,
    { kind: 'creeping', category: leafOf(order[3]), scope: { level: 'district', name: district() }, magnitude: 0.072 },
    10,
  );
  add(
    'abrupt-l3-district',
    'abrupt',
    true,
    { kind: 'abrupt', category: leafOf(order[4]), scope: { level: 'district', name: district() }, magnitude: 1.6 },
    6,
  );
  add(
    'abrupt-l3-street',
    'abrupt',
    true,
    { kind: 'abrupt', category: leafOf(order[5]), scope: { level: 'street', name: street() }, magnitude: 2 },
    6,
  );
  const events: PlantedEvent[] = plan.map(({ id, kind, leaf, rise }) => ({
    id: `s${seed}-${id}`,
    kind,
    category: leaf ? rise.category.split('/').slice(0, 2).join('/') : rise.category,
    ...(leaf ? { leaf: rise.category } : {}),
    scope: rise.scope,
    start: rise.start,
    end: rise.end,
    magnitude: rise.magnitude,
  }));
  const fixture: FixtureOptions = {
    seed,
    start: '2023-01-02',
    end: '2025-12-01',
    districts,
    streetsPerDistrict,
    categories,
    leaves,
    shape,
    perStreetDaily,
    events: plan.map((p) => p.rise),
  };
  return {
    fixture,
    truth: { city: CITY_OF_UNSEEN, start: fixture.start, end: fixture.end, events } as Truth,
    from: '2025-06-02',
    to: '2025-11-30',
    describe: `${districts} districts × ${streetsPerDistrict} streets, 8 中类 × 3 小类, ${perStreetDaily}/day per leaf × street, gamma shape ${shape}`,
  };
}

const CITY_OF_UNSEEN = '测试市';
