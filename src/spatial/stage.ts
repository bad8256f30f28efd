import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../store/errors.js';
import { DuckDBDataChunk, INTEGER, VARCHAR } from '@duckdb/node-api';
import { latLngToCell } from 'h3-js';
import { configPath, type Config } from '../store/config.js';
import type { Store } from '../store/db.js';
import { getMark, resetMark, setMark } from '../store/marks.js';
import { withMemoryLimit } from '../store/memory.js';
import { sql } from '../store/sql.js';
import type { Stage, StageContext, StageCounts } from '../store/stage.js';
import { parseBoundaries, type Boundary } from './boundaries.js';
import { LEVELS, spatialConfig, type Level, type PlaceholderConfig, type SpatialConfig } from './config.js';
import {
  cutBatches,
  placePoints,
  type Batch,
  type Block,
  type LevelIndexes,
  type PlacedPoints,
} from './place-orders.js';
import { PolygonIndex } from './polygon-index.js';

const STAGE = 'place';
const FINGERPRINT_KEY = 'spatial.place_fingerprint';

/** Which feature property names the enclosing unit, per level (tried in order). */
const PARENT_KEYS: Record<Level, string[]> = {
  districts: [],
  streets: ['parent', 'district', '区县', '区'],
  communities: ['parent', 'street', '街道', '乡镇'],
  grids: ['parent', 'community', '社区', 'street', '街道'],
};

export interface LoadedBoundaries {
  levels: Partial<Record<Level, Boundary[]>>;
  /**
   * Changes whenever the files, the H3 resolution, the name properties or the name-matching rules change: places must
   * then be recomputed (a store placed before 西区街道 = 西区 kept 3,375 orders without a street otherwise).
   */
  fingerprint: string;
}

export function loadLevelBoundaries(config: Config, cfg: SpatialConfig): LoadedBoundaries {
  const hash = createHash('sha256')
    .update(JSON.stringify({ r: cfg.resolution, n: cfg.nameProperties, g: cfg.gridIdProperties }))
    // the name normalisation and matching live in these two files
    .update(sql('spatial/place_setup.sql'))
    .update(sql('spatial/place_insert.sql'));
  const levels: LoadedBoundaries['levels'] = {};
  for (const level of LEVELS) {
    const rel = cfg.boundaries[level];
    if (!rel) continue;
    const file = configPath(config, rel);
    if (!existsSync(file)) throw new UserError(`配置 spatial 部分：boundaries.${level} 指向的文件不存在：${file}`);
    const text = readFileSync(file, 'utf8');
    const nameProps = level === 'grids' ? cfg.gridIdProperties : cfg.nameProperties;
    const bs = parseBoundaries(text, file, nameProps, PARENT_KEYS[level]);
    levels[level] = bs;
    hash.update(level).update(text);
  }
  return { levels, fingerprint: hash.digest('hex').slice(0, 16) };
}

async function writeUnits(store: Store, levels: LoadedBoundaries['levels']): Promise<void> {
  const appender = await store.conn.createAppender('place_units');
  for (const level of LEVELS) {
    const bs = levels[level];
    if (!bs?.length) continue;
    const chunk = DuckDBDataChunk.create([VARCHAR, INTEGER, VARCHAR, VARCHAR]);
    for (let s = 0; s < bs.length; s += 2048) {
      const part = bs.slice(s, s + 2048);
      chunk.setColumns([
        part.map(() => level),
        part.map((_, i) => s + i),
        part.map((b) => b.name),
        part.map((b) => b.parent),
      ]);
      appender.appendDataChunk(chunk);
    }
  }
  appender.flushSync();
  appender.closeSync();
}

/** A point that names no place (table place_placeholders): a geocoder's default, or far outside the city. */
export interface PlaceholderPoint {
  lon: number;
  lat: number;
  reason: 'shared' | 'outside_box';
  orders: number;
  /** Of all orders with usable coordinates. */
  share: number;
  /** shared: distinct district (or street) names among its orders, the most frequent one and its share. */
  names: number | null;
  top_name: string | null;
  top_share: number | null;
  /** The first as-of at which the orders created before it made the point one (YYYY-MM-DD; null: set by hand). */
  since?: string | null;
}

/**
 * Recomputes place_placeholders (the points that name no place today) and place_placeholder_spans (the as-of dates
 * at which the orders before them made each point one) from the whole store by the configured rule
 * (sql/spatial/place_placeholders.sql, place_placeholder_spans.sql), and each span point's own H3 cell.
 */
export async function findPlaceholders(store: Store, p: PlaceholderConfig, resolution: number): Promise<void> {
  const params = {
    min_orders: p.minOrders,
    min_names: p.minNames,
    max_top_share: p.maxTopShare,
    box_quantile: p.boxQuantile,
    box_widen: p.boxWiden,
    box_min_deg: p.boxMinDeg,
  };
  await store.script(sql('spatial/place_placeholders.sql'), params);
  await store.script(sql('spatial/place_placeholder_spans.sql'), params);
  await writeSpanCells(store, resolution);
}

/** The cell of each point in place_placeholder_spans (a few points: h3-js per point). */
async function writeSpanCells(store: Store, resolution: number): Promise<void> {
  const points = await store.all<{ lon: number; lat: number }>('SELECT DISTINCT lon, lat FROM place_placeholder_spans');
  await store.exec('CREATE OR REPLACE TEMP TABLE ph_cells (lon DOUBLE, lat DOUBLE, cell VARCHAR)');
  const appender = await store.conn.createAppender('ph_cells');
  for (const p of points) {
    appender.appendDouble(p.lon);
    appender.appendDouble(p.lat);
    appender.appendVarchar(latLngToCell(p.lat, p.lon, resolution));
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
  await store.script(sql('spatial/place_placeholder_cells.sql'));
}

/**
 * Recompute the points that name no place from every order (sql/spatial/place_placeholders.sql) and fill place_redo
 * with the points that became or stopped being one: their earlier orders are placed again on this run (a point's
 * first orders got a cell before it was known). Returns how many points changed.
 */
async function detectPlaceholders(store: Store, cfg: SpatialConfig): Promise<number> {
  const p = cfg.placeholders;
  await store.exec('CREATE OR REPLACE TEMP TABLE place_old AS SELECT lon, lat FROM place_placeholders');
  if (p.enabled) await findPlaceholders(store, p, cfg.resolution);
  else {
    await store.exec('DELETE FROM place_placeholders');
    await store.exec('DELETE FROM place_placeholder_spans');
  }
  return (await store.script(sql('spatial/place_redo.sql'), {}))[0];
}

/** The points that name no place, most orders first. */
export async function placeholderPoints(store: Store, limit = 10): Promise<PlaceholderPoint[]> {
  return store.all<PlaceholderPoint>(sql('spatial/place_placeholder_list.sql'), { limit });
}

export interface PlaceQuality {
  orders: number;
  match_point: number;
  match_name: number;
  match_none: number;
  no_street: number;
  coords_outside: number;
  coords_missing: number;
  coords_invalid: number;
  /** Orders at a point that names no place (placeholder_points): placed by name, without a cell. */
  coords_placeholder: number;
  with_cell: number;
  placeholder_points: PlaceholderPoint[];
}

/** Data quality of the places of every order in the store, or of the orders created in [from, to). */
export async function placeQuality(store: Store, window?: { from: string; to: string }): Promise<PlaceQuality> {
  const counts = (await store.one<Omit<PlaceQuality, 'placeholder_points'>>(
    sql('spatial/place_quality.sql'),
    window ?? { from: null, to: null },
  ))!;
  return { ...counts, placeholder_points: await placeholderPoints(store) };
}

/**
 * Place stage: every new or changed order gets its H3 cell and its district, street, community and grid — by point in
 * polygon when it has coordinates, by its names otherwise. Orders whose coordinates fall outside every polygon are
 * kept (cell set, coord_status 'outside') and counted. Boundaries or resolution changing triggers a full rebuild.
 */
export const placeStage: Stage = {
  name: STAGE,
  description: 'H3 cell, district, street, community and grid for new or changed orders',
  async run(ctx): Promise<StageCounts> {
    return withMemoryLimit(
      ctx.store,
      () => spatialConfig(ctx.config).placeMemoryLimit,
      () => place(ctx),
    );
  },
};

/** A changed fingerprint (boundaries, resolution, matching rules) empties order_places so every order is placed again. */
async function resetIfChanged(store: Store, fingerprint: string, log: StageContext['log']): Promise<number> {
  const previous = await store.value<string>('SELECT value FROM settings WHERE key = $key', { key: FINGERPRINT_KEY });
  if (previous === fingerprint) return 0;
  if (previous !== undefined)
    log.info({ event: 'place_rebuild' }, 'boundaries or resolution changed: re-placing every order');
  await resetMark(store, STAGE);
  await store.exec('DELETE FROM order_places');
  await store.exec('INSERT OR REPLACE INTO settings (key, value) VALUES ($key, $value)', {
    key: FINGERPRINT_KEY,
    value: fingerprint,
  });
  return 1;
}

/** The pending orders cut into batches; their earlier places are deleted (this run replaces them). */
async function pendingBatches(
  store: Store,
  mark: number,
  batchSize: number,
): Promise<{ batches: Batch[]; todo: number }> {
  const blocks = await store.all<Block>(sql('spatial/place_batches.sql'), { mark });
  const batches = cutBatches(blocks, batchSize);
  const todo = batches.reduce((s, b) => s + b.n, 0);
  // on a rebuild (or a first run) there is nothing to replace
  if (todo > 0 && (await store.value<boolean>('SELECT count(*) > 0 FROM order_places')))
    await store.script(sql('spatial/place_delete.sql'), { mark });
  return { batches, todo };
}

/** The polygon index of every level with boundaries (none when nothing is pending: building one costs seconds). */
function levelIndexes(levels: LoadedBoundaries['levels'], todo: number): LevelIndexes {
  const indexes: LevelIndexes = {};
  for (const level of LEVELS) {
    const bs = levels[level];
    if (bs?.length && todo > 0) indexes[level] = new PolygonIndex(bs);
  }
  return indexes;
}

interface Placed {
  inserted: number;
  msInsert: number;
  points: PlacedPoints | null;
}

/** Place every batch: the JS pass finds cells and polygons, place_insert.sql resolves and writes each batch. */
async function placeBatches(
  ctx: StageContext,
  loaded: LoadedBoundaries,
  pending: { batches: Batch[]; todo: number },
  mark: number,
): Promise<Placed> {
  const { store, progress, signal } = ctx;
  const cfg = spatialConfig(ctx.config);
  const has = (l: Level) => Boolean(loaded.levels[l]?.length);
  const resolve = {
    has_districts: has('districts'),
    has_streets: has('streets'),
    has_communities: has('communities'),
    has_boundaries: LEVELS.some(has),
  };
  const out: Placed = { inserted: 0, msInsert: 0, points: null };
  if (pending.todo === 0) return out;
  const indexes = levelIndexes(loaded.levels, pending.todo);
  // prepared once, bound per batch
  const insert = await store.conn.prepare(sql('spatial/place_insert.sql'));
  try {
    out.points = await placePoints(
      store,
      indexes,
      cfg.resolution,
      pending.batches,
      mark,
      (d, t) => progress(d, t, 'place'),
      async (batch) => {
        const t1 = Date.now();
        insert.bind({ ...resolve, lo: batch.lo, hi: batch.hi, mark });
        out.inserted += Number((await insert.run()).rowsChanged);
        out.msInsert += Date.now() - t1;
      },
      signal,
    );
  } finally {
    insert.destroySync();
  }
  return out;
}

/** How the orders placed by this run (order_places.seq above the mark: the order's seq) were matched. */
async function placedCounts(store: Store, mark: number): Promise<Record<string, number>> {
  return (await store.one<Record<string, number>>(sql('spatial/place_counts.sql'), { mark }))!;
}

function warnPlaces(log: StageContext['log'], batch: Record<string, number>, todo: number): void {
  if (todo && batch.no_street / todo >= 0.02)
    log.warn(
      { event: 'no_street', n: batch.no_street },
      `${batch.no_street} orders (${((100 * batch.no_street) / todo).toFixed(1)}%) have no street: check the street names against the boundaries`,
    );
  if (batch.outside > 0)
    log.warn(
      { event: 'coords_outside', n: batch.outside },
      `${batch.outside} orders have coordinates outside every boundary polygon (kept, placed by cell and by name)`,
    );
}

/** Name the busiest points that name no place: their orders are in no cell, hotspot or 位置. */
async function warnPlaceholders(log: StageContext['log'], store: Store): Promise<void> {
  for (const p of await placeholderPoints(store, 3))
    log.warn(
      { event: 'coords_placeholder', ...p },
      p.reason === 'shared'
        ? `${p.orders} orders (${(100 * p.share).toFixed(1)}% of those with coordinates) share the point ${p.lat},${p.lon} from ${p.names} districts or streets: a geocoder's default, treated as no coordinates`
        : `${p.orders} orders at ${p.lat},${p.lon}, far outside the area the other orders cover: treated as no coordinates`,
    );
}

async function place(ctx: StageContext): Promise<StageCounts> {
  const { store, config, log } = ctx;
  const cfg = spatialConfig(config);
  const loaded = loadLevelBoundaries(config, cfg);
  await store.script(sql('spatial/place_setup.sql'), {});
  const redoPoints = await detectPlaceholders(store, cfg);
  const rebuilt = await resetIfChanged(store, loaded.fingerprint, log);
  const tt: Record<string, number> = {};
  let tl = Date.now();
  const lap = (name: string) => {
    tt[name] = Date.now() - tl;
    tl = Date.now();
  };
  const mark = await getMark(store, STAGE);
  const pending = await pendingBatches(store, mark, cfg.batchSize);
  const todo = pending.todo;
  lap('todo');
  await writeUnits(store, loaded.levels);
  await store.script(sql('spatial/place_keys.sql'), {});
  lap('index');
  const { inserted, msInsert, points: pts } = await placeBatches(ctx, loaded, pending, mark);
  const points = pts?.placed ?? 0;
  // the JS pass alone (reading coordinates, cells and polygons, appending the answers); the SQL runs alongside it
  const ms = pts ? pts.msRead + pts.msCompute + pts.msAppend : 0;
  lap('points+insert');
  await setMark(store, STAGE);
  const batch = await placedCounts(store, mark);
  await store.script(sql('spatial/place_cleanup.sql'));
  lap('counts');
  log.debug(
    { event: 'place_timing', ms: tt, points: pts, msInsert, batches: pending.batches.length },
    'place stage timing',
  );
  warnPlaces(log, batch, todo);
  await warnPlaceholders(log, store);
  const has = (l: Level) => Boolean(loaded.levels[l]?.length);
  return {
    orders: inserted,
    match_point: batch.point,
    match_name: batch.name,
    match_none: batch.none,
    share_none: todo ? Number((batch.none / todo).toFixed(4)) : 0,
    // placed by a district or community name only: street-level alerts and items cannot see these orders
    no_street: batch.no_street,
    coords_outside_kept: batch.outside,
    coords_invalid: batch.invalid,
    coords_placeholder: batch.placeholder,
    levels: LEVELS.filter(has).join('+') || 'names only',
    rebuilt,
    // points that became or stopped being placeholders: their earlier orders were placed again
    placeholder_points_changed: redoPoints,
    points_per_s: ms > 0 ? Math.round((points * 1000) / ms) : 0,
  };
}
