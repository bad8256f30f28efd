import type { UnitAssignment } from '../store/taxonomy.js';
import { joinPlace } from '../store/place-names.js';
import { cityUnits } from '../store/units.js';
import { addMonths, daysBetween, monthLabel } from '../store/dates.js';
import type { Config } from '../store/config.js';
import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import type { AssignConfig } from './config.js';
import { clip } from './clip.js';
import { maskPersonal } from '../store/mask.js';
import { handlersFor, type Handler, type Handlers } from './handlers.js';
import { categoryMatcher } from './category-match.js';
import { hotspotKindZh } from '../spatial/hotspots.js';

export interface TypicalOrder {
  order_id: string;
  day: string;
  content: string;
}

/** What an item shows as its reason: counts, hotspot statistics and a few (masked) example orders. */
export interface Evidence {
  window_start: string;
  window_end: string;
  orders: number;
  orders_prev: number;
  repeats: number;
  z?: number;
  kinds?: string[];
  hotspot_count?: number;
  /** The hotspot was of all categories together; category is the one most of its orders are about. */
  all_categories?: boolean;
  lon?: number;
  lat?: number;
  /**
   * Hotspot items: the place (小区 / 村 / road / crossing, without building and house numbers) most of the window's
   * orders point to, how many of them do, and of how many.
   */
  address?: string;
  address_orders?: number;
  address_of?: number;
  /** Who can act (data/handlers.json): grid, unit; and whether the cell is at its usual level (for the unit). */
  handler?: string;
  at_usual_level?: boolean;
  /** The scan's strength (log-likelihood ratio) of the cell's heat above its usual level. */
  strength?: number;
  selected_by?: string;
  typical_orders: TypicalOrder[];
}

export interface NewItem {
  item_id: string;
  source: 'topic' | 'hotspot';
  item_type: string;
  level: 'grid' | 'street' | 'city';
  month: string | null;
  category: string;
  cell: string | null;
  grid_id: string | null;
  district: string | null;
  street: string | null;
  title: string;
  evidence: Evidence;
  lead_unit: string | null;
  co_units: string[];
  deadline: string;
}

/**
 * Lead and supporting units of a category: its own entry, else its level-1 entry — the level-1 name as stored
 * (levels, from categoryLevels), not the text before the first '/' ('Litter / Bin / Graffiti on Bin' is one level).
 */
export function unitsFor(
  units: Record<string, UnitAssignment>,
  category: string,
  levels: readonly string[] = category.split('/'),
): UnitAssignment | null {
  return units[category] ?? units[levels[0]] ?? null;
}

/** The type of the first `assign.itemTypes` rule whose paths or words name the category, else general. */
export function itemType(cfg: AssignConfig, category: string, levels?: readonly string[]): string {
  return cfg.itemTypes.find((rule) => categoryMatcher(rule)(category, levels))?.type ?? 'general';
}

/** Deadline as a local timestamp 'YYYY-MM-DD HH:MM:SS'. */
export function deadlineFor(cfg: AssignConfig, type: string, assignedDay: string, month: string | null): string {
  return deadlineAt(cfg.deadlines[type] ?? cfg.deadlines.general, assignedDay, month);
}

function deadlineAt(rule: number | 'month_end', assignedDay: string, month: string | null): string {
  if (rule === 'month_end') {
    const m = month ?? assignedDay.slice(0, 7);
    return `${addMonths(m, 1)}-01 00:00:00`;
  }
  const t = Date.parse(assignedDay + 'T00:00:00Z') + rule * 3_600_000;
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
}

function typical(rows: Array<{ order_id: string; day: string; content: string }>): TypicalOrder[] {
  return rows.map((r) => ({ order_id: r.order_id, day: r.day, content: clip(maskPersonal(r.content), 80) }));
}

/** An item's area as the report writes places: Chinese names run together (邯郸市曲周县), Latin ones spaced. */
function place(district: string | null, street: string | null, grid: string | null): string {
  return joinPlace([district, street, grid ? `网格${grid}` : null]);
}

function durationZh(rule: number | 'month_end' | undefined): string {
  if (rule === undefined || rule === 'month_end') return '月底前';
  return rule < 48 || rule % 24 !== 0 ? `${rule}小时` : `${rule / 24}天`;
}

interface HotspotRow {
  item_id: string;
  cell: string;
  category: string;
  kinds: string[];
  z: number;
  hotspot_count: number;
  lon: number;
  lat: number;
  from_all_categories: boolean;
  window_start: string;
  grid_id: string | null;
  district: string | null;
  street: string | null;
  orders: number;
  orders_prev: number;
  repeats: number;
  typical: Array<{ order_id: string; day: string; content: string }>;
  /** The department that handled most of the window's orders of the item. */
  dept: string | null;
  address: string | null;
  address_orders: number;
  chronic: boolean;
  strength: number | null;
  held: boolean;
  held_total: number;
}

export interface HotspotItems {
  items: NewItem[];
  /** Chronic cells held back this time (persistentRepeatDays): handed out recently and not growing. */
  held: number;
}

interface ItemContext {
  /** A category path's stored level names (categoryLevels). */
  levels: LevelsOf;
  cfg: AssignConfig;
  units: Record<string, UnitAssignment>;
  asOf: string;
  handler: Handler;
  deadlines: Handlers['deadlines'];
}

/** Hours to the deadline and its type: a chronic cell or a unit-only matter by handler type, else by item type. */
function itemDeadline(r: HotspotRow, ctx: ItemContext, type: string): { type: string; rule: number | 'month_end' } {
  if (r.chronic) return { type: 'chronic', rule: ctx.deadlines.chronic };
  if (ctx.handler === 'unit') return { type: 'unit', rule: ctx.deadlines.unit };
  return { type, rule: ctx.cfg.deadlines[type] ?? ctx.cfg.deadlines.general };
}

/**
 * One hotspot item. The grid worker gets it only when they can act on it (handler grid) and the cell is above its
 * usual level; a unit-only matter, or a chronic cell at its usual level, goes to its unit and the street office (no
 * grid id, so route.sql gives it no grid recipient), with the unit's deadline — never a 24-hour one.
 */
function hotspotItem(r: HotspotRow, ctx: ItemContext): NewItem {
  const { cfg, units, asOf } = ctx;
  // a mixed hotspot is a facility emergency only when most of its orders are about that facility
  const mixed = r.from_all_categories && r.orders < 0.5 * r.hotspot_count;
  const levels = ctx.levels(r.category);
  const due = itemDeadline(r, ctx, mixed ? 'general' : itemType(cfg, r.category, levels));
  const toGrid = ctx.handler === 'grid' && !r.chronic;
  const u = unitsFor(units, r.category, levels);
  const kinds = r.kinds.map(hotspotKindZh).join('、');
  // a city without boundaries knows a cell only by the street its orders give (as the report names it), not its id
  const street = r.address && r.address_orders > 1 ? `${r.address}一带` : null;
  const where = place(r.district, r.street, toGrid ? r.grid_id : null) || street || r.cell;
  const name = levels[levels.length - 1];
  const days = daysBetween(r.window_start, asOf);
  const dueZh = durationZh(due.rule);
  const usual = r.chronic ? '（常年多发，未超出往常水平）' : '';
  return {
    item_id: r.item_id,
    source: 'hotspot',
    item_type: due.type,
    level: toGrid && r.grid_id ? 'grid' : 'street',
    month: null,
    category: r.category,
    cell: r.cell,
    grid_id: toGrid ? r.grid_id : null,
    district: r.district,
    street: r.street,
    title: r.from_all_categories
      ? `${where}：诉求${kinds}${usual}，近${days}天${r.hotspot_count}件，以${name}为主（${r.orders}件），限${dueZh}内处置`
      : `${where}：${name}${kinds}${usual}，近${days}天${r.orders}件，限${dueZh}内处置`,
    evidence: {
      window_start: r.window_start,
      window_end: asOf,
      orders: r.orders,
      orders_prev: r.orders_prev,
      repeats: r.repeats,
      z: Math.round(r.z * 100) / 100,
      kinds: r.kinds,
      hotspot_count: r.hotspot_count,
      all_categories: r.from_all_categories,
      lon: r.lon,
      lat: r.lat,
      ...(r.address
        ? { address: clip(maskPersonal(r.address), 40), address_orders: r.address_orders, address_of: r.orders }
        : {}),
      handler: ctx.handler,
      at_usual_level: r.chronic,
      ...(r.strength ? { strength: Math.round(r.strength * 10) / 10 } : {}),
      typical_orders: typical(r.typical),
    },
    // the city's unit for the category; where it has none, the department that has been handling these orders
    lead_unit: u?.lead ?? r.dept ?? null,
    co_units: u?.co ?? [],
    deadline: deadlineAt(due.rule, asOf, null),
  };
}

/** A category path's level names. */
export type LevelsOf = (category: string) => readonly string[];

/**
 * The level names of each category path as the orders store them (sql/store/category_paths.sql), exact where a name
 * holds '/' (Toronto's one-level 'Litter / Bin / Graffiti on Bin', a US 311 'HEAT/HOT WATER'): the title names a
 * category by its last level, and the unit, handler and item-type lookups fall back to its first. The path split at
 * '/' only for a path the store does not hold, or one that two level lists join to.
 */
async function categoryLevels(store: Store): Promise<LevelsOf> {
  const rows = await store.all<{ category: string; levels: string[] }>(sql('store/category_paths.sql'));
  const byPath = new Map<string, string[] | null>();
  for (const r of rows) byPath.set(r.category, byPath.has(r.category) ? null : r.levels);
  return (category) => byPath.get(category) ?? category.split('/');
}

export async function hotspotItems(
  store: Store,
  config: Config,
  cfg: AssignConfig,
  asOf: string,
): Promise<HotspotItems> {
  const units = await cityUnits(store, config, asOf);
  await store.script(sql('assign/hotspot_spots.sql'), {
    as_of: asOf,
    kinds: cfg.hotspot.kinds.join(','),
    min_z: cfg.hotspot.minZ,
    min_count: cfg.hotspot.minCount,
    window_days: cfg.hotspot.windowDays,
  });
  const since = await store.value<string | null>(sql('assign/hotspot_since.sql'), { as_of: asOf });
  await store.script(sql('assign/place_root_macro.sql'));
  const rows = since
    ? await store.all<HotspotRow>(sql('assign/hotspot_candidates.sql'), {
        as_of: asOf,
        since,
        typical: cfg.typicalOrders,
        max_items: cfg.hotspot.maxItems,
        persistent_days: cfg.hotspot.persistentRepeatDays,
      })
    : [];
  await store.exec('DROP TABLE IF EXISTS assign_spots');
  const handlers = handlersFor(config);
  const levels = await categoryLevels(store);
  const handler = (category: string) => handlers.of(category, levels(category));
  const items = rows
    .filter((r) => !r.held && handler(r.category) !== 'out')
    .map((r) =>
      hotspotItem(r, { cfg, units, asOf, levels, handler: handler(r.category), deadlines: handlers.deadlines }),
    );
  return { items, held: rows[0]?.held_total ?? 0 };
}

interface TopicRow {
  item_id: string;
  level: 'grid' | 'street' | 'city';
  grid_id: string | null;
  district: string | null;
  street: string | null;
  /** The department that handled most of the area's orders of the topic, and whether the topic's lead handled any. */
  dept: string | null;
  lead_handled: boolean;
  orders: number;
  orders_prev: number;
  repeats: number;
  /** The largest group of the area's orders by place root (位置), and its size; null for the city or no address. */
  address: string | null;
  address_orders: number | null;
  typical: Array<{ order_id: string; day: string; content: string }>;
}

export interface TopicChoice {
  month: string;
  category: string;
  selectedBy: string;
  lead: string | null;
  co: string[];
}

/** The month's topic: leadership's latest selection, else (autoSelect) the rank-1 candidate. */
export async function chosenTopic(
  store: Store,
  config: Config,
  cfg: AssignConfig,
  month: string,
): Promise<TopicChoice | null> {
  const sel = await store.one<{ category: string; selected_by: string | null }>(sql('assign/topic_selection.sql'), {
    month,
  });
  const cand = await store.one<{ category: string; lead_unit: string | null; co_units: string | null }>(
    sql('assign/topic_candidate.sql'),
    { month, category: sel?.category ?? null },
  );
  if (!sel && !(cfg.topic.autoSelect && cand)) return null;
  const category = sel?.category ?? cand!.category;
  const levels = (await categoryLevels(store))(category);
  const fallback = unitsFor(await cityUnits(store, config, `${month}-01`), category, levels);
  const co = cand?.co_units ? (JSON.parse(cand.co_units) as string[]) : (fallback?.co ?? []);
  return {
    month,
    category,
    selectedBy: sel ? (sel.selected_by ?? 'leadership') : 'auto',
    lead: cand?.lead_unit ?? fallback?.lead ?? null,
    co,
  };
}

export async function topicItems(
  store: Store,
  cfg: AssignConfig,
  topic: TopicChoice,
  asOf: string,
): Promise<NewItem[]> {
  const start = addMonths(topic.month, -1) + '-01';
  const monthStart = topic.month + '-01';
  const end = asOf < monthStart ? asOf : monthStart;
  await store.script(sql('assign/place_root_macro.sql'));
  const rows = await store.all<TopicRow>(sql('assign/topic_candidates.sql'), {
    category: topic.category,
    month: topic.month,
    prev_start: addMonths(topic.month, -2) + '-01',
    start,
    end,
    min_grid: cfg.topic.minGridOrders,
    min_street: cfg.topic.minStreetOrders,
    max_grid: cfg.topic.maxGridItems,
    typical: cfg.typicalOrders,
    lead: topic.lead ?? '',
  });
  const levels = (await categoryLevels(store))(topic.category);
  const name = levels[levels.length - 1];
  const assignedDay = asOf > monthStart ? asOf : monthStart;
  return rows.map((r) => ({
    item_id: r.item_id,
    source: 'topic',
    item_type: 'topic',
    level: r.level,
    month: topic.month,
    category: topic.category,
    cell: null,
    grid_id: r.grid_id,
    district: r.district,
    street: r.street,
    title:
      r.level === 'city'
        ? `${monthLabel(topic.month)}调度专题「${name}」：全市上月${r.orders}件，牵头统筹整治`
        : `${monthLabel(topic.month)}调度专题「${name}」：${place(r.district, r.street, r.grid_id)}上月${r.orders}件，排查整改`,
    evidence: {
      window_start: start,
      window_end: end,
      orders: r.orders,
      orders_prev: r.orders_prev,
      repeats: r.repeats,
      selected_by: topic.selectedBy,
      ...(r.address
        ? { address: clip(maskPersonal(r.address), 40), address_orders: Number(r.address_orders), address_of: r.orders }
        : {}),
      typical_orders: typical(r.typical),
    },
    // an area's item is led by the topic's lead where it handles these orders, else by the department that does
    // there (the topic's lead then supports): 城北区's bureau does not lead in 祁山县's towns
    ...(r.lead_handled || !r.dept || !topic.lead
      ? { lead_unit: topic.lead, co_units: topic.co }
      : { lead_unit: r.dept, co_units: [topic.lead, ...topic.co.filter((u) => u !== r.dept && u !== topic.lead)] }),
    deadline: deadlineFor(cfg, 'topic', assignedDay, topic.month),
  }));
}

/**
 * Write new items: those whose id exists keep their status and history; a hotspot already covered by an open item
 * of the same cell and category is not assigned twice. Returns the ids inserted.
 */
export async function insertItems(store: Store, items: NewItem[], asOf: string, runId: string): Promise<string[]> {
  const inserted: string[] = [];
  const assignedAt = `${asOf} 00:00:00`;
  for (const it of items) {
    const n = await store.exec(sql('assign/insert_item.sql'), {
      item_id: it.item_id,
      source: it.source,
      item_type: it.item_type,
      level: it.level,
      as_of: asOf,
      month: it.month,
      category: it.category,
      cell: it.cell,
      grid_id: it.grid_id,
      district: it.district,
      street: it.street,
      title: it.title,
      evidence: JSON.stringify(it.evidence),
      lead_unit: it.lead_unit,
      co_units: JSON.stringify(it.co_units),
      assigned_at: assignedAt,
      deadline: it.deadline,
      run_id: runId,
    });
    if (n > 0) inserted.push(it.item_id);
  }
  return inserted;
}

export async function pruneUntouched(
  store: Store,
  asOf: string,
  source: 'topic' | 'hotspot',
  keep: string[],
): Promise<number> {
  const [n] = await store.script(sql('assign/prune_untouched.sql'), { as_of: asOf, source, keep: keep.join(',') });
  return n ?? 0;
}

/** Rebuild item → recipient routes (and, with autoRecipients, the export-only street and unit recipients). */
export async function route(store: Store, cfg: AssignConfig): Promise<number> {
  const changed = await store.script(sql('assign/route.sql'), { auto: cfg.autoRecipients });
  return changed[changed.length - 1] ?? 0;
}
