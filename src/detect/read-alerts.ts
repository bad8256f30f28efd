import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';

/** An alert as printed by `weisu alerts --json` (CONTRACT §4, plus level, p/q values, reason and details). */
export interface AlertOut {
  category: string;
  level: number;
  scope: { level: string; name: string };
  kind: string;
  window_start: string;
  window_end: string;
  observed: number;
  expected: number;
  score: number;
  p_value: number | null;
  q_value: number | null;
  reason: string | null;
  details: Record<string, unknown> | null;
}

interface AlertRow {
  category: string;
  level: number;
  scope_level: string;
  scope_name: string;
  kind: string;
  window_start: string;
  window_end: string;
  observed: number;
  expected: number;
  score: number;
  p_value: number | null;
  q_value: number | null;
  reason: string | null;
  details: string | null;
}

export async function readAlerts(store: Store, asOf: string): Promise<AlertOut[]> {
  const rows = await store.all<AlertRow>(sql('detect/alerts_for.sql'), { as_of: asOf });
  return rows.map((r) => ({
    category: r.category,
    level: r.level,
    scope: { level: r.scope_level, name: r.scope_name },
    kind: r.kind,
    window_start: r.window_start,
    window_end: r.window_end,
    observed: r.observed,
    expected: r.expected,
    score: r.score,
    p_value: r.p_value,
    q_value: r.q_value,
    reason: r.reason,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
  }));
}
