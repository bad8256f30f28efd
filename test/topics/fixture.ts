import type { Store } from '../../src/store/db.js';
import { aggregateStage } from '../../src/aggregate/stage.js';
import { testContext } from '../helpers.js';

/** One category's orders: `perDay(day)` orders each day, texts cycling through `texts`. */
export interface CategorySpec {
  cat2: string;
  perDay: (day: string) => number;
  texts: string[];
  dept?: string;
  /** Mark every order out of scope (负面清单). */
  outOfScope?: boolean;
  /** Tag every order with these root causes (confidence 0.9). */
  tags?: string[];
  /** Share of orders rated 不满意 (every order is closed). */
  unsatisfied?: number;
}

function days(start: string, end: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(start + 'T00:00:00Z'); t < Date.parse(end + 'T00:00:00Z'); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * Fill orders (and order_flags / order_tags) with exact, deterministic daily counts, then build daily_counts with
 * the real aggregate stage. Counts are exact so expected yoy / mom are known.
 */
export async function seedOrders(store: Store, specs: CategorySpec[], start: string, end: string): Promise<number> {
  const rows: {
    cat2: string;
    cat1: string;
    day: string;
    n: number;
    texts: string[];
    dept: string | null;
    unsat: number;
  }[] = [];
  for (const s of specs) {
    for (const d of days(start, end)) {
      const n = Math.round(s.perDay(d));
      if (n > 0)
        rows.push({
          cat2: s.cat2,
          cat1: s.cat2.split('/')[0],
          day: d,
          n,
          texts: s.texts,
          dept: s.dept ?? null,
          unsat: s.unsatisfied ?? 0,
        });
    }
  }
  await store.exec(
    `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, dept, closed_at, satisfaction,
                         row_hash, first_seq, seq, loaded_at)
     SELECT
       r->>'cat2' || '-' || (r->>'day') || '-' || i,
       (r->>'day')::DATE + INTERVAL 9 HOUR + i * INTERVAL 1 MINUTE,
       r->>'cat2', r->>'cat1', r->>'cat2',
       (r->'texts'->>(i % json_array_length(r->'texts'))::INTEGER),
       '东区', '一街道', r->>'dept',
       (r->>'day')::DATE + INTERVAL 2 DAY,
       CASE WHEN i < round((r->>'n')::INTEGER * (r->>'unsat')::DOUBLE) THEN '不满意' ELSE '满意' END,
       hash(i), 1, 1, now()::TIMESTAMP
     FROM (SELECT unnest(from_json($rows::JSON, '["JSON"]')) AS r), range((r->>'n')::INTEGER) t(i)`,
    { rows: JSON.stringify(rows) },
  );
  for (const s of specs) {
    if (s.outOfScope) {
      await store.exec(
        `INSERT INTO order_flags SELECT order_id, false, NULL, NULL, true, 'test', 1 FROM orders WHERE cat2 = $c`,
        { c: s.cat2 },
      );
    }
    for (const tag of s.tags ?? []) {
      await store.exec(`INSERT INTO order_tags SELECT order_id, $tag, 0.9, 'lexicon', 1 FROM orders WHERE cat2 = $c`, {
        c: s.cat2,
        tag,
      });
    }
  }
  await aggregateStage.run(testContext(store, end));
  return rows.reduce((a, r) => a + r.n, 0);
}

/** A steady category: n per day, every day. */
export const steady = (n: number) => () => n;

/** n per day, times `factor` on days in [from, to). */
export const risingIn = (n: number, factor: number, from: string, to: string) => (d: string) =>
  d >= from && d < to ? n * factor : n;

/** A heating-like wave: `peak` per day from mid-Nov to mid-Mar, `base` otherwise. */
export const heatingWave = (base: number, peak: number) => (d: string) => {
  const md = d.slice(5);
  return md >= '11-15' || md < '03-15' ? peak : base;
};
