import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { DETECT_KINDS, type Alert } from './alert.js';

const BATCH = 500;

/**
 * Replace this stage's alerts for one as-of (delete then insert, inside the caller's transaction) and leave
 * the forecast stage's surge_forecast rows alone.
 */
export async function replaceAlerts(store: Store, asOf: string, alerts: readonly Alert[]): Promise<number> {
  await store.exec(sql('detect/delete_alerts.sql'), { as_of: asOf, kinds: DETECT_KINDS.join(',') });
  for (let i = 0; i < alerts.length; i += BATCH) {
    const rows = alerts.slice(i, i + BATCH).map((a) => ({
      as_of: asOf,
      category: a.category,
      level: a.level,
      scope_level: a.scope.level,
      scope_name: a.scope.name,
      kind: a.kind,
      window_start: a.window_start,
      window_end: a.window_end,
      observed: a.observed,
      expected: a.expected,
      score: a.score,
      p_value: a.p_value,
      q_value: a.q_value,
      reason: a.reason,
      details: { ...a.details, district: a.scope.district ?? null },
    }));
    await store.exec(sql('detect/insert_alerts.sql'), { rows: JSON.stringify(rows) });
  }
  return alerts.length;
}
