/**
 * Rules the scan is compared with (bench/scan-real.ts on real exports, bench/scan-planted.ts on generated cities).
 */
import type { HotspotConfig } from '../src/spatial/config.js';
import { poissonUpper } from '../src/spatial/fdr.js';
import type { HotspotRun } from '../src/spatial/hotspot-stage.js';
import { ALL } from '../src/spatial/hotspots.js';
import type { Store } from '../src/store/db.js';

/** The orders the hotspot stage counts: none of the channels in spatial.hotspots.excludeChannels ($ex). */
export const COUNTED = "($ex = '' OR channel IS NULL OR NOT list_contains(string_split($ex, chr(31)), channel))";
export const excluded = (cfg: HotspotConfig): string => cfg.excludeChannels.join('\u001f');

/** A (cell, layer) a rule flags on one night. */
export interface Flag {
  cell: string;
  layer: string;
  /** Cells and days whose orders the flag rests on (the cylinder, or the cell's last 7 days). */
  cells: string[];
  days: number;
  observed: number;
  expected: number;
  p: number;
}

/**
 * The plain per-cell rule: each (cell, layer)'s orders of the last 7 days against a Poisson of its own mean week over
 * the 8 weeks before, for the scan's layers and study cells; p ≤ `level` (Bonferroni) or ≤ 0.001.
 */
export async function poissonFlags(store: Store, run: HotspotRun, cfg: HotspotConfig, asOf: string) {
  const layers = [...(run.scans?.scans.keys() ?? [])];
  const rows = await store.all<{ cell: string; layer: string; recent: number; before: number }>(
    `WITH o AS (
       SELECT cell, cat2, created_at::DATE AS day FROM orders_placed
       WHERE cell IS NOT NULL AND created_at >= $a::DATE - 63 AND created_at < $a::TIMESTAMP AND ${COUNTED}),
     by_layer AS (SELECT cell, cat2 AS layer, day FROM o WHERE cat2 IS NOT NULL
                  UNION ALL SELECT cell, $all AS layer, day FROM o)
     SELECT cell, layer, count(*) FILTER (WHERE day >= $a::DATE - 7)::INTEGER AS recent,
            count(*) FILTER (WHERE day < $a::DATE - 7)::INTEGER AS before
     FROM by_layer GROUP BY ALL HAVING count(*) FILTER (WHERE day >= $a::DATE - 7) >= $min`,
    { a: asOf, all: ALL, min: cfg.scanMinCount, ex: excluded(cfg) },
  );
  const study = new Set(run.cells);
  const known = new Set(layers);
  const level = 1 / (cfg.scanRecurrenceDays * run.cells.length * layers.length);
  const bonf: Flag[] = [];
  const loose: Flag[] = [];
  for (const r of rows) {
    if (!study.has(r.cell) || !known.has(r.layer)) continue;
    const mu = (r.before + 0.5) / 8;
    const p = poissonUpper(r.recent, mu);
    const flag: Flag = { cell: r.cell, layer: r.layer, cells: [r.cell], days: 7, observed: r.recent, expected: mu, p };
    if (p <= level) bonf.push(flag);
    if (p <= 0.001) loose.push(flag);
  }
  return { bonf, loose, level };
}

/** One (cell, layer) of a night: its orders of the last 7 days and what its usual share predicts. */
export interface ShareWeek {
  cell: string;
  layer: string;
  week: number;
  mu: number;
}

/**
 * Every (study cell, scanned layer) with an order in the study year: its orders of the last 7 days and the scan's own
 * expectation for them — its share of the layer's study-year orders × the layer's city total of the 7 days.
 */
export async function shareWeeks(store: Store, run: HotspotRun, cfg: HotspotConfig, asOf: string) {
  const layers = [...(run.scans?.scans.keys() ?? [])];
  const rows = await store.all<{
    cell: string;
    layer: string;
    n: number;
    layer_n: number;
    layer_week: number;
    week: number;
  }>(
    `WITH o AS (
       SELECT cell, cat2, created_at::DATE AS day FROM orders_placed
       WHERE cell IS NOT NULL AND created_at >= $a::DATE - $study::INTEGER AND created_at < $a::TIMESTAMP
         AND ${COUNTED}),
     by_layer AS (SELECT cell, cat2 AS layer, day FROM o WHERE list_contains(string_split($layers, '|'), cat2)
                  UNION ALL SELECT cell, $all AS layer, day FROM o),
     per_cell AS (SELECT layer, cell, count(*) AS n, count(*) FILTER (WHERE day >= $a::DATE - 7) AS week
                  FROM by_layer GROUP BY ALL)
     SELECT cell, layer, n::INTEGER AS n, week::INTEGER AS week,
            (sum(n) OVER (PARTITION BY layer))::INTEGER AS layer_n,
            (sum(week) OVER (PARTITION BY layer))::INTEGER AS layer_week
     FROM per_cell`,
    { a: asOf, study: cfg.studyDays, all: ALL, layers: layers.filter((l) => l !== ALL).join('|'), ex: excluded(cfg) },
  );
  const study = new Set(run.cells);
  return rows
    .filter((r) => study.has(r.cell))
    .map((r): ShareWeek => ({ cell: r.cell, layer: r.layer, week: r.week, mu: (r.n / r.layer_n) * r.layer_week }));
}

/**
 * A probe, not a proposal: flag every (cell, layer) whose last 7 days hold at least `minCount` orders with a Poisson p
 * (against the scan's expectation) of at most `level` — the level an oracle needs to flag a given planted hotspot,
 * applied to the whole city, to count what flagging it would cost.
 */
export function probeFlags(weeks: readonly ShareWeek[], minCount: number, level: number): Set<string> {
  const out = new Set<string>();
  for (const w of weeks) if (w.week >= minCount && poissonUpper(w.week, w.mu) <= level) out.add(`${w.cell}|${w.layer}`);
  return out;
}
