import type { UnitAssignment } from '../store/taxonomy.js';

export interface HandlingDept {
  dept: string;
  n: number;
  share: number;
}

/**
 * Lead and supporting units for a topic: the city's unit mapping for the level-2 (else level-1) category, with the
 * departments that actually handled a good share of last month's orders added as supporting units. Without a
 * mapping the department that handled most orders leads.
 */
export function suggestUnits(
  category: string,
  cat1: string,
  mapping: Record<string, UnitAssignment>,
  handled: readonly HandlingDept[],
  minShare = 0.1,
  maxCo = 6,
): { lead: string | null; co: string[] } {
  const mapped = mapping[category] ?? mapping[cat1];
  const lead = mapped?.lead ?? handled[0]?.dept ?? null;
  const co: string[] = [];
  const add = (u: string) => {
    if (u && u !== lead && !co.includes(u)) co.push(u);
  };
  for (const u of mapped?.co ?? []) add(u);
  for (const h of handled) if (h.share >= minShare) add(h.dept);
  return { lead, co: co.slice(0, maxCo) };
}

/**
 * The embedded mapping (data/units.json, written for the demo city) restricted to units this city's own orders
 * name, exactly or as the role a department's name ends with (区排水管理所 for 中山区排水管理所, 街道办事处 for
 * 东风街道办事处). An unseen city was told to have 市城市管理委员会 lead, a unit it does not have. An entry whose lead
 * is unknown is dropped (the departments that handled the orders then lead); with no department names in the
 * store at all, the mapping is all there is and is kept.
 */
export function knownUnitsOnly(mapping: Record<string, UnitAssignment>, depts: readonly string[]): Record<string, UnitAssignment> {
  if (depts.length === 0) return mapping;
  const exact = new Set(depts);
  const known = (u: string) => exact.has(u) || depts.some((d) => d.endsWith(u));
  const out: Record<string, UnitAssignment> = {};
  for (const [category, a] of Object.entries(mapping)) {
    if (known(a.lead)) out[category] = { lead: a.lead, co: a.co.filter(known) };
  }
  return out;
}
