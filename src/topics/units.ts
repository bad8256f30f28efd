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
