import type { Config } from './config.js';
import type { Store } from './db.js';
import { sql } from './sql.js';
import { loadUnits, type UnitAssignment } from './taxonomy.js';

/**
 * The embedded mapping (data/units.json, written for the demo city) restricted to units this city's own orders
 * name, exactly or as the role a department's name ends with (区排水管理所 for 中山区排水管理所, 街道办事处 for
 * 东风街道办事处), so no city is told to have a unit lead that it does not have (市城市管理委员会). An entry whose lead
 * is unknown is dropped (the departments that handled the orders then lead); with no department names in the
 * store at all, the mapping is all there is and is kept.
 */
export function knownUnitsOnly(
  mapping: Record<string, UnitAssignment>,
  depts: readonly string[],
): Record<string, UnitAssignment> {
  if (depts.length === 0) return mapping;
  const exact = new Set(depts);
  const known = (u: string) => exact.has(u) || depts.some((d) => d.endsWith(u));
  const out: Record<string, UnitAssignment> = {};
  for (const [category, a] of Object.entries(mapping)) {
    if (known(a.lead)) out[category] = { lead: a.lead, co: a.co.filter(known) };
  }
  return out;
}

/**
 * The unit mapping a stage should use for this city as of a date: a city's own (config `units`) as it is, the
 * embedded one only where this city's orders of the last year name its units. Topics and assignment lists read the
 * same mapping, so a hotspot item is not led by a unit the topic left out.
 */
export async function cityUnits(store: Store, config: Config, asOf: string): Promise<Record<string, UnitAssignment>> {
  const units = loadUnits(config);
  if (typeof config.raw.units === 'string') return units;
  const depts = (await store.all<{ dept: string }>(sql('store/known_depts.sql'), { as_of: asOf })).map((r) => r.dept);
  return knownUnitsOnly(units, depts);
}
