import { z } from 'zod';
import { section, type Config } from '../store/config.js';

/** The four administrative levels a boundary file can describe, coarse to fine. */
export const LEVELS = ['districts', 'streets', 'communities', 'grids'] as const;
export type Level = (typeof LEVELS)[number];

const HotspotSchema = z
  .object({
    /** Length of the window whose counts are tested (days before as-of). */
    windowDays: z.number().int().min(7).max(365).default(28),
    /** Cells with any order in this many days before as-of form the study area (zero-count cells included). */
    studyDays: z.number().int().min(28).max(3650).default(365),
    /** Benjamini–Hochberg false-discovery rate across every test of one run. */
    q: z.number().gt(0).lt(1).default(0.05),
    /** A cell is flagged only if it holds at least this many orders itself (guards against Gi* halos and tiny counts). */
    minCellCount: z.number().int().min(1).default(5),
    /** A level-2 category is tested only if it has at least this many placed orders in the window. */
    minCategoryCount: z.number().int().min(1).default(20),
    /** persistent = hot in at least `persistentMin` of the last `persistentWindows` non-overlapping windows. */
    persistentWindows: z.number().int().min(2).max(24).default(6),
    persistentMin: z.number().int().min(1).default(4),
    /** emerging = hot now and in none of this many weekly-shifted windows that end before the current one starts. */
    emergingWindows: z.number().int().min(1).max(52).default(12),
    /** multi_category = a cell hot for at least this many level-2 categories. */
    multiCategoryMin: z.number().int().min(2).default(3),
    /** Space-time permutation scan (scan.ts): Monte Carlo replicas per layer, their seed, and a cylinder's least orders. */
    scanReps: z.number().int().min(19).max(9999).default(99),
    scanSeed: z.number().int().default(20050601),
    scanMinCount: z.number().int().min(1).default(4),
    /**
     * The scan's recurrence interval, for the whole city (SaTScan's prospective surveillance): a cell is above its usual
     * level when, on a night with no cluster anywhere, the strongest cylinder over every layer and cell of the city
     * would be as strong as its own less often than once in this many nightly runs (its city-wide p ≤ 1 / it). The
     * city then raises a false hotspot on about one night in this many, however many categories it scans.
     */
    scanRecurrenceDays: z.number().int().min(2).max(100_000).default(14),
    /**
     * Orders of these channels (the export's channel column, exactly) are left out of hotspots — Gi* and the scan,
     * study area and layers: the channels through which the city's own staff log their work (Boston 311's
     * 'Employee Generated', 'City Worker App'). A crew recording its day's repairs is a burst of orders at one place
     * that no grid worker needs to be sent to. None by default: 12345 exports rarely carry such a channel.
     */
    excludeChannels: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .prefault({});

/**
 * Coordinates that name no place (sql/spatial/place_placeholders.sql): their orders are placed as if they had none.
 * A point is a geocoder's default when it holds at least `minOrders` orders and those of them naming a district — or
 * those naming a street — (at least `minOrders` / 2) give at least `minNames` names, none for more than
 * `maxTopShare` of them: a real address lies in one district and one street.
 * A point is far from the city when it lies outside the box of the `boxQuantile` … 1 − `boxQuantile` quantiles of the
 * distinct points, widened on each side by `boxWiden` times the box's size (at least `boxMinDeg` degrees).
 */
const PlaceholderSchema = z
  .object({
    enabled: z.boolean().default(true),
    minOrders: z.number().int().min(2).default(50),
    minNames: z.number().int().min(2).default(3),
    maxTopShare: z.number().gt(0).lt(1).default(0.5),
    boxQuantile: z.number().min(0).lt(0.5).default(0.01),
    boxWiden: z.number().min(0).default(1),
    boxMinDeg: z.number().min(0).default(0.1),
  })
  .strict()
  .prefault({});

export const SpatialSchema = z
  .object({
    /** H3 resolution of order cells and hotspots. */
    resolution: z.number().int().min(0).max(15).default(8),
    /** GeoJSON boundary files, relative to the config file. None configured → places come from the names in the orders. */
    boundaries: z
      .object({
        districts: z.string().optional(),
        streets: z.string().optional(),
        communities: z.string().optional(),
        grids: z.string().optional(),
      })
      .strict()
      .prefault({}),
    /** Feature properties tried, in order, for a feature's name (districts, streets, communities). */
    nameProperties: z.array(z.string().min(1)).min(1).default(['name', 'NAME', 'Name', '名称']),
    /** Feature properties tried, in order, for a grid's id. */
    gridIdProperties: z
      .array(z.string().min(1))
      .min(1)
      .default(['grid_id', 'id', 'code', '网格编号', 'name', 'NAME', '名称']),
    /**
     * Pending orders read and placed per batch (whole blocks of 2048 rows). Memory grows with it (≈100 bytes per order
     * on the JS side plus DuckDB's join of one batch); each batch costs a fixed ~30 ms of SQL set-up.
     */
    batchSize: z.number().int().min(1000).default(500_000),
    /**
     * DuckDB memory_limit while the place stage runs (e.g. '1GB'; null = leave as is). Only ever lowered, restored
     * afterwards. DuckDB otherwise holds up to 80% of RAM before spilling the pending orders to disk.
     */
    placeMemoryLimit: z
      .string()
      .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i)
      .nullable()
      .default('1GB'),
    placeholders: PlaceholderSchema,
    hotspots: HotspotSchema,
  })
  .strict()
  .prefault({});

export type SpatialConfig = z.infer<typeof SpatialSchema>;
export type HotspotConfig = SpatialConfig['hotspots'];
export type PlaceholderConfig = SpatialConfig['placeholders'];

export function spatialConfig(config: Config): SpatialConfig {
  return section(config, 'spatial', SpatialSchema);
}
