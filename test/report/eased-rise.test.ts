import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateStage } from '../../src/aggregate/stage.js';
import { reportStage } from '../../src/report/stage.js';
import { tempStore, testContext } from '../helpers.js';

/**
 * 局部突发 says "近几周明显高于往常". A trend alert can still be raised in the month for a place whose peak was five to
 * eight weeks ago (Boston 311, Back Bay, November 2015: 17 orders in the last four weeks against 24 before, shown as
 * "较前4周回落29%"). A rise whose last four weeks fall below the four before, and that is no higher than a year
 * earlier, has eased and is left out; a place still rising stays.
 */
const CAT = '城乡建设/路灯照明';
const AS_OF = '2025-11-01';
// invented orders: 西区 5 a day until 3 October and 2 a day after (eased); 北区 2 a day, then 5 a day from 4 October
const perDay = (district: string, day: string) => ((district === '西区') === day < '2025-10-04' ? 5 : 2);

describe('report leaves out a local rise that has eased', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let md: string;
  beforeAll(async () => {
    env = await tempStore();
    const rows: { district: string; day: string; n: number }[] = [];
    for (let t = Date.parse('2025-09-01T00:00:00Z'); t < Date.parse(AS_OF + 'T00:00:00Z'); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      for (const district of ['西区', '北区']) rows.push({ district, day, n: perDay(district, day) });
    }
    await env.store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, row_hash, first_seq,
                           seq, loaded_at, category_levels)
       SELECT (r->>'district') || '-' || (r->>'day') || '-' || i,
              (r->>'day')::DATE + INTERVAL 9 HOUR + i * INTERVAL 1 MINUTE,
              $cat, split_part($cat, '/', 1), $cat, '路灯不亮', r->>'district', '一街道', hash(i), 1, 1,
              now()::TIMESTAMP, string_split($cat, '/')
       FROM (SELECT unnest(from_json($rows::JSON, '["JSON"]')) AS r), range((r->>'n')::INTEGER) t(i)`,
      { rows: JSON.stringify(rows), cat: CAT },
    );
    await aggregateStage.run(testContext(env.store, AS_OF));
    // two street trend alerts in the month, the eased one the stronger (its eight-week window holds the peak)
    await env.store.exec(
      `INSERT INTO alerts (as_of, category, level, scope_level, scope_name, kind, window_start, window_end, observed,
                           expected, score, details)
       VALUES ($as_of::DATE - 1, $cat, 2, 'street', '一街道', 'trend', '2025-09-08', '2025-10-31', 196, 60, 6.0,
               '{"district": "西区", "primary": true}'),
              ($as_of::DATE - 1, $cat, 2, 'street', '一街道', 'trend', '2025-09-08', '2025-10-31', 182, 60, 4.0,
               '{"district": "北区", "primary": true}')`,
      { as_of: AS_OF, cat: CAT },
    );
    const counts = await reportStage.run(testContext(env.store, AS_OF, {}, join(env.dir, 'out')));
    md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
    if (process.env.DUMP_MD) console.log(md);
  }, 60_000);
  afterAll(() => env.cleanup());

  it('lists the place still rising, with its counts', () => {
    const row = md.split('\n').find((l) => l.startsWith('|') && l.includes('北区'));
    expect(row, '局部突发 lists 北区').toBeDefined();
    const cells = row!.split('|').map((c) => c.trim());
    expect(cells[3]).toBe(String(28 * 5)); // 近4周: 4–31 October
    expect(cells[4]).toBe(String(28 * 2)); // 前4周
  });

  it('leaves out the place whose last four weeks fell below the four before', () => {
    expect(md).not.toContain('西区');
    expect(md).not.toContain('回落');
  });
});
