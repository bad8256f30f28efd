import { readFileSync } from 'node:fs';
import { dataPath } from '../store/paths.js';
import type { Mapping } from './mapping.js';

const shipped = new Map<string, string[]>();

/** A shipped list of names that mean 'no value' (data/ingest/<file>), read once. */
function shippedList(file: 'placeholder-levels.json' | 'placeholder-places.json'): string[] {
  let list = shipped.get(file);
  if (!list) {
    list = (JSON.parse(readFileSync(dataPath(`ingest/${file}`), 'utf8')) as { placeholders: string[] }).placeholders;
    shipped.set(file, list);
  }
  return list;
}

const asParam = (list: string[]) => JSON.stringify([...new Set(list.map((x) => x.trim().toLowerCase()))]);

/**
 * The placeholder level names for one file, as the JSON array params.sql binds: the mapping's own list when it gives
 * one, else the shipped defaults; trimmed and lower-cased, since categories.sql compares `lower(trim(level))`.
 */
export function placeholderLevels(mapping: Mapping): string {
  return asParam(mapping.category_placeholders ?? shippedList('placeholder-levels.json'));
}

/**
 * The place names that name no place (市辖区, 省直辖县级行政区划, 无 …) for one file, as the JSON array params.sql
 * binds: the mapping's `place_placeholders`, else data/ingest/placeholder-places.json; trimmed and lower-cased.
 */
export function placeholderPlaces(mapping: Mapping): string {
  return asParam(mapping.place_placeholders ?? shippedList('placeholder-places.json'));
}
