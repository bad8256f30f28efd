import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { seedOf } from './did.js';
import { mulberry32 } from '../stats/random.js';
import { STATUSES } from './config.js';
import { applyUpdate } from './status.js';

export interface SimulateSummary {
  items: number;
  updates: number;
}

/**
 * For demos only: play plausible 回传 for the open items assigned before asOf, so a demo city shows the closed
 * loop (colours, scorecard, effect). Every update is recorded with source 'simulated' and a note saying so; most
 * items finish on time, some late, some stall. Deterministic for a seed.
 */
export async function simulateFeedback(store: Store, asOf: string, seed = 1): Promise<SimulateSummary> {
  const items = await store.all<{ item_id: string; status: string; start: number; due: number }>(
    sql('assign/simulate_open_items.sql'),
    { as_of: asOf },
  );
  const limit = Date.parse(asOf + 'T00:00:00Z') / 1000 - 60;
  let updates = 0;
  for (const it of items) {
    const r = mulberry32(seedOf(`${seed}:${it.item_id}`));
    // the share of the time to deadline this item takes to finish: most within it, a fifth late, a few stall
    const pace = r() < 0.08 ? Infinity : r() < 0.8 ? 0.3 + 0.6 * r() : 1.05 + 0.8 * r();
    const span = Math.max(3600, it.due - it.start);
    // a fixed schedule from assignment, so simulating again for the same as-of adds nothing
    const done = STATUSES.indexOf(it.status as (typeof STATUSES)[number]);
    for (let j = done + 1; j < STATUSES.length; j++) {
      const t = it.start + (span * pace * j) / (STATUSES.length - 1);
      if (!Number.isFinite(t) || t >= limit) break;
      const at = new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' ');
      const res = await applyUpdate(store, {
        itemId: it.item_id,
        to: STATUSES[j],
        at,
        note: '模拟回传（演示数据）',
        source: 'simulated',
        recipientId: null,
      });
      if (!res.ok) break;
      updates++;
    }
  }
  return { items: items.length, updates };
}
