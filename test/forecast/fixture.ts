import type { Store } from '../../src/store/db.js';
import { loadHolidays } from '../../src/forecast/calendar.js';

/** Fixtures draw from the project's seeded generator, so they are the same on every run. */
import { mulberry32 as rng } from '../../src/stats/random.js';
export { rng };

export function poisson(r: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gauss(r)));
  const L = Math.exp(-lambda);
  let k = 0,
    p = 1;
  do {
    k++;
    p *= r();
  } while (p > L);
  return k - 1;
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

export interface FixtureOptions {
  start: string;
  end: string;
  seed?: number;
  /** Heating season start MM-DD (the wave's onset). */
  heatingStart?: string;
  districts?: string[];
  /** Orders per day of the heating category outside the season, city-wide. */
  heatingBase?: number;
  /** Flat category's orders per day. */
  flatBase?: number;
}

export interface DailyRow {
  day: string;
  cat1: string;
  cat2: string;
  district: string;
  street: string;
  n: number;
}

/**
 * Daily counts of a small city: a heating category with a wave that starts at the heating season each year and
 * decays over the winter, a flat category, both with yearly growth and a Spring Festival dip, split over districts.
 */
export function fixtureDays(o: FixtureOptions): DailyRow[] {
  const r = rng(o.seed ?? 7);
  const districts = o.districts ?? ['东城区', '西城区'];
  const heatStart = o.heatingStart ?? '11-15';
  const sf = loadHolidays().filter((h) => h.holiday === 'spring_festival');
  const rows: DailyRow[] = [];
  const t0 = Date.parse(o.start + 'T00:00:00Z');
  for (let t = t0; t < Date.parse(o.end + 'T00:00:00Z'); t += DAY) {
    const day = iso(t);
    const years = (t - t0) / (365.25 * DAY);
    const growth = Math.pow(1.08, years);
    const y = Number(day.slice(0, 4));
    // Days since this season's heating start (the season that began last year until March).
    let hs = Date.parse(`${y}-${heatStart}T00:00:00Z`);
    if (t < hs) hs = Date.parse(`${y - 1}-${heatStart}T00:00:00Z`);
    const since = (t - hs) / DAY;
    let heat = o.heatingBase ?? 4;
    if (since >= 0 && since < 120) heat += 60 * Math.exp(-since / 18) + 10;
    const dip = sf.some((h) => day >= h.start && day <= h.end) ? 0.5 : 1;
    const flat = (o.flatBase ?? 30) * growth * dip;
    districts.forEach((d, i) => {
      const share = i === 0 ? 0.6 : 0.4 / (districts.length - 1);
      rows.push({
        day,
        cat1: '城乡建设',
        cat2: '城乡建设/供暖',
        district: d,
        street: d + '一街道',
        n: poisson(r, heat * growth * dip * share),
      });
      rows.push({
        day,
        cat1: '城乡建设',
        cat2: '城乡建设/道路',
        district: d,
        street: d + '一街道',
        n: poisson(r, flat * share),
      });
    });
  }
  return rows.filter((x) => x.n > 0);
}

/** Write fixture rows straight into daily_counts (the stage's only input). */
export async function insertDays(store: Store, rows: DailyRow[]): Promise<void> {
  const chunk = 20000;
  for (let i = 0; i < rows.length; i += chunk) {
    await store.exec(
      `INSERT INTO daily_counts
       SELECT d.day::DATE, d.cat1, d.cat2, d.district, d.street, d.n, 0, 0, 0, d.n
       FROM (SELECT unnest(from_json($rows::JSON, '[{"day":"VARCHAR","cat1":"VARCHAR","cat2":"VARCHAR","district":"VARCHAR","street":"VARCHAR","n":"INTEGER"}]'), recursive := true) ) AS d`,
      { rows: JSON.stringify(rows.slice(i, i + chunk)) },
    );
  }
}

/**
 * Daily counts straight from generated order files (Parquet), for forecast tests on the demo city without running
 * ingest, tagging and places: the forecast reads nothing else. Only orders created before `before`.
 */
export async function daysFromOrderFiles(store: Store, files: string[], before = '9999-12-31'): Promise<void> {
  const list = files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ');
  await store.exec(
    `INSERT INTO daily_counts
     SELECT created_at::DATE AS day, split_part(category, '/', 1) AS cat1,
            array_to_string(string_split(category, '/')[1:2], '/') AS cat2,
            district, street, count(*)::INTEGER, 0, 0, 0, 0
     FROM read_parquet([${list}])
     WHERE created_at::DATE < $before::DATE
     GROUP BY ALL`,
    { before },
  );
}
