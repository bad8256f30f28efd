import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import type { TopicsConfig } from './config.js';
import { seasonPair, type MonthWindows, type SeasonPair } from './month.js';
import type { CategoryMetrics } from './score.js';
import type { HandlingDept } from './units.js';
import type { PoolOrder } from './typical.js';
import { dataEnd, monthCutDay } from '../store/data-end.js';
import type { Alert } from '../detect/alert.js';

/**
 * Everything the ranking reads from the store for one month, gathered by the SQL in sql/topics/. Leaves the temp
 * table `topic_orders` (last month's in-scope orders) behind for typicalPool.
 */
export interface MonthEvidence {
  firstDay: string | null;
  /** The last day with orders before the as-of, and the day of last month the data reaches (31: all of it). */
  lastDay: string | null;
  cutDay: number;
  /** Last year's pair of windows behind 环比's season (month.ts seasonPair). */
  pair: SeasonPair;
  metrics: CategoryMetrics[];
  rootCauses: Map<string, { tag: string; n: number }[]>;
  hotspotAsOf: string | null;
  /** share: of last month's orders, in a hot cell of the category (or its 大类); count: how many such cells hold them; cells: the hottest. */
  hotspots: Map<string, { share: number; count: number; cells: string[] }>;
  /** levelShift: the forecast follows a recent break in level, by this factor over the model (null: no break). */
  forecasts: Map<
    string,
    {
      yhat: number;
      lo: number;
      hi: number;
      covered: number;
      levelShift: number | null;
      model: string;
      /** the model's seasonal flag; null when the run stored no model row */
      seasonal: boolean | null;
    }
  >;
  depts: Map<string, HandlingDept[]>;
  alerts: AlertRow[];
}

/** An alert as the topics read it (sql/topics/alerts.sql): detect's Alert with its scope flattened. */
export type AlertRow = Pick<Alert, 'category' | 'level' | 'kind' | 'observed' | 'expected' | 'score'> & {
  scope_level: string;
  scope_name: string;
  reason: string | null;
};

function params(w: MonthWindows): Record<string, string> {
  return {
    as_of: w.asOf,
    next_start: w.nextStart,
    last_start: w.lastStart,
    prev_start: w.prevStart,
    ly_prev_start: w.lyPrevStart,
    ly_start: w.lyStart,
    ly_end: w.lyEnd,
    ly_next_end: w.lyNextEnd,
  };
}

function group<T extends { category: string }, V>(rows: T[], map: (r: T) => V): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const r of rows) {
    const list = out.get(r.category) ?? [];
    list.push(map(r));
    out.set(r.category, list);
  }
  return out;
}

/** The month's counts (topic_metrics), and where the data starts and stops. */
async function measure(store: Store, w: MonthWindows, springFestivals: ReadonlyMap<number, string>) {
  const firstDay = (await store.value<string | null>(sql('topics/data_start.sql'), { as_of: w.asOf })) ?? null;
  // data that stopped inside last month: every month is compared over the same first days (store/data-end.ts)
  const end = await dataEnd(store, w.asOf);
  const cutDay = monthCutDay(end, w.month, w.asOf);
  const pair = seasonPair(w, cutDay, springFestivals);
  await store.script(sql('topics/metrics.sql'), {
    ...params(w),
    cut_day: cutDay,
    recent_end: end.asOf,
    pair_prev_start: pair.prevStart,
    pair_prev_end: pair.prevEnd,
    pair_last_start: pair.lastStart,
    pair_last_end: pair.lastEnd,
  });
  const metrics = await store.all<CategoryMetrics>('SELECT * FROM topic_metrics ORDER BY level, category');
  return { firstDay, lastDay: end.lastDay, cutDay, pair, metrics };
}

/** `springFestivals`: the Spring Festival by year from the city's holiday calendar (`forecast.calendar`; none: empty). */
export async function gatherEvidence(
  store: Store,
  w: MonthWindows,
  cfg: TopicsConfig,
  springFestivals: ReadonlyMap<number, string> = new Map(),
): Promise<MonthEvidence> {
  const counts = await measure(store, w, springFestivals);
  await store.script(sql('topics/last_month_orders.sql'), { as_of: w.asOf, last_start: w.lastStart });

  const causes = await store.all<{ category: string; tag: string; n: number }>(sql('topics/root_causes.sql'), {
    min_confidence: cfg.minConfidence,
    structural: cfg.structuralTags.join(','),
  });
  const rootCauses = group(causes, (r) => ({ tag: r.tag, n: r.n }));

  const hotspotAsOf = (await store.value<string | null>(sql('topics/hotspot_snapshot.sql'), { as_of: w.asOf })) ?? null;
  const hotspots = new Map<string, { share: number; count: number; cells: string[] }>();
  if (hotspotAsOf) {
    const rows = await store.all<{ category: string; hot_share: number; hot_cells: number; cells: string[] }>(
      sql('topics/hotspot_share.sql'),
      {
        hot_as_of: hotspotAsOf,
        max_cells: cfg.maxCells,
      },
    );
    for (const r of rows) hotspots.set(r.category, { share: r.hot_share, count: r.hot_cells, cells: r.cells });
  }

  const fc = await store.all<{
    category: string;
    yhat: number;
    lo: number;
    hi: number;
    covered_days: number;
    level_shift_factor: number | null;
    model: string;
    seasonal: boolean | null;
  }>(sql('topics/forecast_next.sql'), {
    as_of: w.asOf,
    next_start: w.nextStart,
  });
  const forecasts = new Map(
    fc.map((r) => [
      r.category,
      {
        yhat: r.yhat,
        lo: r.lo,
        hi: r.hi,
        covered: r.covered_days,
        levelShift: r.level_shift_factor,
        model: r.model,
        seasonal: r.seasonal,
      },
    ]),
  );

  const deptRows = await store.all<{ category: string; dept: string; n: number; share: number }>(
    sql('topics/depts.sql'),
  );
  const depts = group(deptRows, (r) => ({ dept: r.dept, n: r.n, share: r.share }));

  const alerts = await store.all<AlertRow>(sql('topics/alerts.sql'), { as_of: w.asOf });
  return {
    ...counts,
    rootCauses,
    hotspotAsOf,
    hotspots,
    forecasts,
    depts,
    alerts,
  };
}

export async function typicalPool(store: Store, category: string, pool: number): Promise<PoolOrder[]> {
  return store.all<PoolOrder>(sql('topics/typical_pool.sql'), { category, pool });
}
