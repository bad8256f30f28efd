import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';

/** An output item naming a category path (alerts, forecast series, topic candidates, hotspot cells). */
interface Named {
  category?: string | null;
  level?: number;
}

/** Finds the level names of a category path at a depth (or at any depth when the path is unambiguous). */
export type LevelFinder = (category: string, level?: number) => string[] | undefined;

/**
 * The level names of every category path the store's orders hold (sql/store/category_paths.sql), at the item's level
 * when it gives one. A joined path that two level lists share (A/B › C and A › B/C) has no names given.
 */
export async function categoryLevelFinder(store: Store): Promise<LevelFinder> {
  const rows = await store.all<{ category: string; depth: number; levels: string[] }>(sql('store/category_paths.sql'));
  // null marks a path two level lists join to: its names cannot be told, so none are given
  const byDepth = new Map<string, string[] | null>();
  const byPath = new Map<string, string[] | null>();
  for (const r of rows) {
    const key = `${Number(r.depth)}|${r.category}`;
    byDepth.set(key, byDepth.has(key) ? null : r.levels);
    byPath.set(r.category, byPath.has(r.category) ? null : r.levels);
  }
  return (category, level) =>
    (level !== undefined ? byDepth.get(`${level}|${category}`) : byPath.get(category)) ?? undefined;
}

/**
 * The items with `category_levels` beside `category` where the path is known (CONTRACT §4: "category_levels: the
 * level names as an array, exact even where a name contains '/'"); items without a category are left as they are.
 */
export function withCategoryLevels<T extends Named>(
  items: T[],
  find: LevelFinder,
): (T & { category_levels?: string[] })[] {
  return items.map((item) => {
    if (!item.category) return item;
    const levels = find(item.category, typeof item.level === 'number' ? item.level : undefined);
    return levels ? { ...item, category_levels: levels } : item;
  });
}
