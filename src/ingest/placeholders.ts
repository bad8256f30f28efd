import { readFileSync } from 'node:fs';
import { dataPath } from '../store/paths.js';
import type { Mapping } from './mapping.js';

let shipped: string[] | undefined;

/** The shipped list of level names that mean 'no value' (data/ingest/placeholder-levels.json), read once. */
function shippedPlaceholders(): string[] {
  if (!shipped) {
    const doc = JSON.parse(readFileSync(dataPath('ingest/placeholder-levels.json'), 'utf8')) as {
      placeholders: string[];
    };
    shipped = doc.placeholders;
  }
  return shipped;
}

/**
 * The placeholder level names for one file, as the JSON array params.sql binds: the mapping's own list when it gives
 * one, else the shipped defaults; trimmed and lower-cased, since categories.sql compares `lower(trim(level))`.
 */
export function placeholderLevels(mapping: Mapping): string {
  const list = mapping.category_placeholders ?? shippedPlaceholders();
  return JSON.stringify([...new Set(list.map((x) => x.trim().toLowerCase()))]);
}
