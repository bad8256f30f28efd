import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import type { Alert } from './alert.js';
import type { ScopeLevel } from './series.js';

/** The columns alerts_for.sql returns: an Alert flattened into the table, details as JSON text. */
type StoredRow = Omit<Alert, 'scope' | 'reason' | 'details'> & {
  scope_level: ScopeLevel;
  scope_name: string;
  reason: string | null;
  details: string | null;
};

/** Every alert stored for an as-of (this stage's and the forecast stage's), best first. */
export async function readAlerts(store: Store, asOf: string): Promise<Alert[]> {
  const rows = await store.all<StoredRow>(sql('detect/alerts_for.sql'), { as_of: asOf });
  return rows.map((r) => {
    const details = r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {};
    // the stage stores a street's district in details (the table has no column for it)
    const district = typeof details.district === 'string' ? details.district : null;
    return {
      category: r.category,
      level: r.level,
      scope: { level: r.scope_level, name: r.scope_name, ...(r.scope_level === 'city' ? {} : { district }) },
      kind: r.kind,
      window_start: r.window_start,
      window_end: r.window_end,
      observed: r.observed,
      expected: r.expected,
      score: r.score,
      p_value: r.p_value,
      q_value: r.q_value,
      reason: r.reason ?? '',
      details,
    };
  });
}
