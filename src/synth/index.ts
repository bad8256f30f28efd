import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import iconv from 'iconv-lite';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { daysBetween } from '../store/dates.js';
import { UserError } from '../store/errors.js';
import type { Logger } from '../store/log.js';
import { sql } from '../store/sql.js';
import { loadTaxonomy, loadUnits } from '../store/taxonomy.js';
import { buildCalendar, HEATING_START_MD, type Calendar } from './calendar.js';
import { seasonalCategories } from './categories.js';
import { lastFullMonthStart, planEvents, type LiveEvent } from './events.js';
import { buildCity, cityGeoJson, type City } from './geography.js';
import { generateOrders, type OrderRow } from './orders.js';
import type { Truth } from './truth.js';
import { csv, LineWriter, tsv } from './write.js';

export type { Truth, PlantedEvent } from './truth.js';

export interface GenerateCityOptions {
  outDir: string;
  seed?: number;
  /** 1 ≈ 2,000 orders a day in the first year. */
  scale?: number;
  /** First day (YYYY-MM-DD), default 2023-01-01. */
  start?: string;
  /** Day after the last (exclusive), default 2026-12-01. */
  end?: string;
  log?: Logger;
  progress?: (done: number, total: number, label?: string) => void;
  /** Plant no events: a city at its usual level throughout, for measuring false alarms. */
  quiet?: boolean;
}

export interface GeneratedCity {
  ordersFiles: string[];
  gbkCsv: string;
  truthFile: string;
  ordersTruthFile: string;
  weatherFile: string;
  configFile: string;
  geojson: Record<'districts' | 'streets' | 'communities' | 'grids', string>;
  orders: number;
  truth: Truth;
}

export const DEFAULTS = {
  seed: 12345,
  scale: 1,
  start: '2023-01-01',
  end: '2026-12-01',
  baseDaily: 2000,
  yearlyGrowth: 0.08,
} as const;

/** The canonical order columns of the Parquet files, in order (CONTRACT §1 with caller_phone raw, plus extensions). */
export const ORDER_COLUMNS: Record<string, string> = {
  order_id: 'VARCHAR',
  created_at: 'TIMESTAMP',
  category: 'VARCHAR',
  content: 'VARCHAR',
  district: 'VARCHAR',
  street: 'VARCHAR',
  community: 'VARCHAR',
  address: 'VARCHAR',
  lon: 'DOUBLE',
  lat: 'DOUBLE',
  caller_phone: 'VARCHAR',
  channel: 'VARCHAR',
  order_type: 'VARCHAR',
  dept: 'VARCHAR',
  closed_at: 'TIMESTAMP',
  satisfaction: 'VARCHAR',
  resolved: 'BOOLEAN',
  dispatch_count: 'INTEGER',
  reopened: 'BOOLEAN',
};

/** Chinese export headers of the GBK slice, in order, with the canonical column each holds. */
export const GBK_HEADERS: [string, keyof OrderRow][] = [
  ['工单编号', 'order_id'],
  ['受理时间', 'created_at'],
  ['诉求分类', 'category'],
  ['诉求内容', 'content'],
  ['所属区县', 'district'],
  ['所属街道', 'street'],
  ['所属社区', 'community'],
  ['诉求地址', 'address'],
  ['经度', 'lon'],
  ['纬度', 'lat'],
  ['来电号码', 'caller_phone'],
  ['受理渠道', 'channel'],
  ['工单类型', 'order_type'],
  ['承办单位', 'dept'],
  ['办结时间', 'closed_at'],
  ['满意度', 'satisfaction'],
  ['是否解决', 'resolved'],
  ['转派次数', 'dispatch_count'],
  ['是否重办', 'reopened'],
];

function checkDate(v: string, name: string): string {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(v) ||
    Number.isNaN(Date.parse(v + 'T00:00:00Z')) ||
    new Date(v + 'T00:00:00Z').toISOString().slice(0, 10) !== v
  ) {
    throw new UserError(`synth：--${name} 应为日期 YYYY-MM-DD，收到的是 '${v}'`);
  }
  return v;
}

/** Write the boundary layers and the city's config (paths relative to the config file). Depends on the seed only. */
export function writeGeography(
  city: City,
  outDir: string,
  extra: Record<string, unknown> = {},
): { configFile: string; geojson: GeneratedCity['geojson'] } {
  mkdirSync(outDir, { recursive: true });
  const layers = cityGeoJson(city);
  const geojson = {} as GeneratedCity['geojson'];
  for (const [name, fc] of Object.entries(layers) as [keyof typeof layers, { type: string; features: object[] }][]) {
    const file = join(outDir, `${name}.geojson`);
    writeFileSync(
      file,
      `{"type":"FeatureCollection","features":[\n${fc.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`,
    );
    geojson[name] = file;
  }
  const config = {
    city: { name: city.name, timezone: 'Asia/Shanghai' },
    spatial: {
      resolution: 8,
      boundaries: {
        districts: 'districts.geojson',
        streets: 'streets.geojson',
        communities: 'communities.geojson',
        grids: 'grids.geojson',
      },
    },
    forecast: { heatingStart: HEATING_START_MD, weather: 'weather.csv' },
    ...extra,
  };
  const configFile = join(outDir, 'weisu.config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
  return { configFile, geojson };
}

/** weather.csv: date, daily mean temperature, rainfall — what config `forecast.weather` points at. */
export function writeWeather(cal: Calendar, outDir: string): string {
  const file = join(outDir, 'weather.csv');
  writeFileSync(
    file,
    'date,temp_mean_c,rain_mm\n' + cal.days.map((d) => `${d.date},${d.temp},${d.rain}`).join('\n') + '\n',
  );
  return file;
}

/** One order as a line of the year's TSV (the columns of ORDER_COLUMNS, in order). */
function orderLine(row: OrderRow): string {
  return [
    row.order_id,
    row.created_at,
    row.category,
    row.content,
    tsv(row.district),
    tsv(row.street),
    tsv(row.community),
    tsv(row.address),
    tsv(row.lon),
    tsv(row.lat),
    row.caller_phone,
    row.channel,
    row.order_type,
    row.dept,
    tsv(row.closed_at),
    tsv(row.satisfaction),
    tsv(row.resolved),
    row.dispatch_count,
    row.reopened,
  ].join('\t');
}

/** One order's truth as a line of truth.tsv. */
function truthLine(row: OrderRow): string {
  return [
    row.order_id,
    row.true_root_causes.join('|'),
    tsv(row.event_id),
    tsv(row.repeat_of),
    tsv(row.repeat_kind),
    String(row.out_of_scope),
  ].join('\t');
}

/** One order as a line of the GBK CSV slice, with the export's 是 / 否 for booleans. */
function gbkLine(row: OrderRow): string {
  return GBK_HEADERS.map(([, k]) => {
    const v = row[k];
    return typeof v === 'boolean' ? (v ? '是' : '否') : csv(v as string | number | null);
  }).join(',');
}

/** DuckDB's reader of one of the generator's TSV files (no quoting, \\N for null) with the given columns. */
function readTsv(file: string, spec: string): string {
  return `read_csv('${file.replaceAll("'", "''")}', delim='\t', quote='', escape='', header=false, nullstr='\\N', columns=${spec})`;
}

/** orders_truth.parquet from truth.tsv: each order's true root causes, planted event and repeat. */
async function writeOrdersTruth(conn: DuckDBConnection, tsvFile: string, outDir: string): Promise<string> {
  const file = join(outDir, 'orders_truth.parquet');
  await conn.run(sql('synth/orders_truth.sql').replace('__OUT__', file.replaceAll("'", "''")), { tsv: tsvFile });
  return file;
}

/** The options with their defaults, checked: a bad one fails with one line naming it. */
function checkedOptions(options: GenerateCityOptions): { seed: number; scale: number; start: string; end: string } {
  const seed = options.seed ?? DEFAULTS.seed;
  const scale = options.scale ?? DEFAULTS.scale;
  const start = checkDate(options.start ?? DEFAULTS.start, 'start');
  const end = checkDate(options.end ?? DEFAULTS.end, 'end');
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new UserError(`synth：--seed 应为 0…4294967295 的整数，收到的是 ${seed}`);
  if (!(scale > 0) || scale > 20) throw new UserError(`synth：--scale 应大于 0 且不超过 20，收到的是 ${scale}`);
  if (daysBetween(start, end) < 28) throw new UserError(`synth：时段 ${start}…${end} 至少要有 28 天`);
  return { seed, scale, start, end };
}

/** truth.json: what was planted, and the seasons the generator used. */
function truthOf(
  o: { seed: number; scale: number; start: string; end: string },
  city: City,
  cal: Calendar,
  events: LiveEvent[],
  cat2s: string[],
): Truth {
  return {
    ...o,
    city: city.name,
    baseDaily: DEFAULTS.baseDaily,
    yearlyGrowth: DEFAULTS.yearlyGrowth,
    events: events.map((e) => e.truth),
    seasons: {
      heatingStart: cal.heatingStarts,
      coldSnaps: cal.coldSnaps,
      stormDays: cal.stormDays,
      schoolOpenings: cal.schoolOpenings,
      springFestival: cal.springFestivals,
    },
    seasonalCategories: seasonalCategories(cat2s),
  };
}

/**
 * Generate the demo city into outDir: boundaries, config, weather, orders (Parquet per year + one GBK CSV slice),
 * the ground truth (truth.json, orders_truth.parquet). Same options, same bytes.
 */
export async function generateCity(options: GenerateCityOptions): Promise<GeneratedCity> {
  const { seed, scale, start, end } = checkedOptions(options);
  const outDir = resolve(options.outDir);
  const log = options.log;
  mkdirSync(outDir, { recursive: true });
  const t0 = Date.now();

  const taxonomy = loadTaxonomy();
  const taxa = { leaves: taxonomy.leaves, units: loadUnits() };
  const city = buildCity(seed);
  const cal = buildCalendar(seed, start, end);
  const cat2s = taxonomy.level2;
  const events = options.quiet ? [] : planEvents(seed, city, cat2s, start, end, scale, taxonomy.leaves);
  const { configFile, geojson } = writeGeography(city, outDir, { synth: { seed, scale, start, end } });
  const weatherFile = writeWeather(cal, outDir);

  const tmp = join(outDir, `.synth-tmp-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  const gbkCsv = join(outDir, 'orders-last-month.gbk.csv');
  const sliceStart = lastFullMonthStart(end) < start ? start : lastFullMonthStart(end);
  const yearFiles = new Map<string, LineWriter>();
  const truthTsv = new LineWriter(join(tmp, 'truth.tsv'));
  const gbkLines: string[] = [GBK_HEADERS.map(([h]) => h).join(',')];
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  // Each finished year is converted to Parquet by DuckDB's threads while JS generates the next one.
  let copies: Promise<unknown> = Promise.resolve();
  try {
    const ordersFiles: string[] = [];
    const colSpec = `{${(Object.keys(ORDER_COLUMNS) as (keyof OrderRow)[]).map((c) => `'${c}': '${ORDER_COLUMNS[c]}'`).join(', ')}}`;
    const count = await generateOrders(
      { seed, scale, start, end, baseDaily: DEFAULTS.baseDaily, yearlyGrowth: DEFAULTS.yearlyGrowth, ...taxa },
      city,
      cal,
      events,
      (row) => {
        const year = row.created_at.slice(0, 4);
        let w = yearFiles.get(year);
        if (!w) yearFiles.set(year, (w = new LineWriter(join(tmp, `orders-${year}.tsv`))));
        w.line(orderLine(row));
        truthTsv.line(truthLine(row));
        if (row.created_at >= sliceStart) gbkLines.push(gbkLine(row));
      },
      {
        progress: (d, t) => options.progress?.(d, t, 'synth orders'),
        yearDone: (year) => {
          const w = yearFiles.get(String(year));
          if (!w) return;
          w.close();
          const file = join(outDir, `orders-${year}.parquet`);
          ordersFiles.push(file);
          copies = copies.then(() =>
            conn.run(
              `COPY (SELECT * FROM ${readTsv(w.path, colSpec)}) TO '${file.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`,
            ),
          );
          // a failure surfaces at `await copies` below, not as an unhandled rejection mid-generation
          copies.catch(() => undefined);
        },
      },
    );
    truthTsv.close();
    log?.info({ orders: count, ms: Date.now() - t0 }, 'synth: orders generated');
    await copies;
    const ordersTruthFile = await writeOrdersTruth(conn, join(tmp, 'truth.tsv'), outDir);
    writeFileSync(gbkCsv, iconv.encode(gbkLines.join('\r\n') + '\r\n', 'gbk'));

    const truth = truthOf({ seed, scale, start, end }, city, cal, events, cat2s);
    const truthFile = join(outDir, 'truth.json');
    writeFileSync(truthFile, JSON.stringify(truth, null, 2) + '\n');
    log?.info({ orders: count, files: ordersFiles.length, ms: Date.now() - t0 }, 'synth: demo city written');
    return { ordersFiles, gbkCsv, truthFile, ordersTruthFile, weatherFile, configFile, geojson, orders: count, truth };
  } finally {
    // on failure: let a running conversion finish before closing, and release the temp files
    await copies.catch(() => undefined);
    for (const w of yearFiles.values()) w.close();
    truthTsv.close();
    conn.closeSync();
    db.closeSync();
    rmSync(tmp, { recursive: true, force: true });
  }
}
