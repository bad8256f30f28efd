import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateStage } from '../../src/aggregate/stage.js';
import { reportStage } from '../../src/report/stage.js';
import { tempStore, testContext } from '../helpers.js';

/**
 * A city whose export carries three levels (Boston 311: SUBJECT / REASON / TYPE) gets street and district alerts at
 * level 3. The report's 局部突发 table counts each listed rise from the stored counts; a level-3 rise must be counted
 * at level 3, not shown as "0 件 … 前4周仅0件" beside an alert that says it rose.
 */
const LEAF = 'Public Works Department/Street Lights/Street Light Outages';
const OTHER = 'Public Works Department/Street Lights/General Lighting Request';
const AS_OF = '2025-11-01';

// invented orders: LEAF 2 a day in Sept, 5 a day in Oct; a sibling leaf 1 a day throughout (must not be counted)
function perDay(cat: string, day: string): number {
  if (cat === OTHER) return 1;
  return day >= '2025-10-01' ? 5 : 2;
}

describe('report on a three-level taxonomy', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let md: string;
  const expected = { recent: 0, before: 0 };
  beforeAll(async () => {
    env = await tempStore();
    const rows: { cat: string; day: string; n: number }[] = [];
    for (let t = Date.parse('2025-09-01T00:00:00Z'); t < Date.parse(AS_OF + 'T00:00:00Z'); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      for (const cat of [LEAF, OTHER]) rows.push({ cat, day, n: perDay(cat, day) });
      // the report's last four weeks end with the data's last day (2025-10-31)
      const back = (Date.parse(AS_OF + 'T00:00:00Z') - t) / 86_400_000;
      if (back <= 28) expected.recent += perDay(LEAF, day);
      else if (back <= 56) expected.before += perDay(LEAF, day);
    }
    await env.store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, row_hash, first_seq,
                           seq, loaded_at, category_levels)
       SELECT r->>'cat' || '-' || (r->>'day') || '-' || i,
              (r->>'day')::DATE + INTERVAL 9 HOUR + i * INTERVAL 1 MINUTE,
              r->>'cat', split_part(r->>'cat', '/', 1),
              split_part(r->>'cat', '/', 1) || '/' || split_part(r->>'cat', '/', 2),
              'Street Light Outages', 'Dorchester', 'Ward 16', hash(i), 1, 1, now()::TIMESTAMP,
              string_split(r->>'cat', '/')
       FROM (SELECT unnest(from_json($rows::JSON, '["JSON"]')) AS r), range((r->>'n')::INTEGER) t(i)`,
      { rows: JSON.stringify(rows) },
    );
    await aggregateStage.run(testContext(env.store, AS_OF));
    // the weekly detection's street alert at level 3, as detect writes it
    await env.store.exec(
      `INSERT INTO alerts (as_of, category, level, scope_level, scope_name, kind, window_start, window_end, observed,
                           expected, score, details)
       VALUES ($as_of::DATE - 1, $cat, 3, 'street', 'Ward 16', 'mom', '2025-10-01', '2025-10-31', 150, 60, 4.2,
               '{"district": "Dorchester", "primary": true}')`,
      { as_of: AS_OF, cat: LEAF },
    );
    // a rise in another district that the week before reported too: news when it began in August, not this month
    await env.store.exec(
      `INSERT INTO alerts (as_of, category, level, scope_level, scope_name, kind, window_start, window_end, observed,
                           expected, score, details)
       VALUES ($as_of::DATE - 1, $cat, 3, 'street', 'Ward 12', 'trend', '2025-10-01', '2025-10-31', 90, 40, 5.1,
               '{"district": "Roxbury", "primary": true, "continuing": true, "since": "2025-08-04"}')`,
      { as_of: AS_OF, cat: OTHER },
    );
    const counts = await reportStage.run(testContext(env.store, AS_OF, {}, join(env.dir, 'out')));
    md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
  }, 60_000);
  afterAll(() => env.cleanup());

  it('counts a level-3 local rise at level 3 in the 局部突发 table', () => {
    const row = md.split('\n').find((l) => l.startsWith('|') && l.includes(LEAF));
    expect(row, '局部突发 lists the level-3 alert').toBeDefined();
    const cells = row!.split('|').map((c) => c.trim());
    expect(cells[3]).toBe(String(expected.recent)); // 近4周: LEAF only, its sibling left out
    expect(cells[4]).toBe(String(expected.before)); // 前4周
    expect(row).not.toContain('仅0件');
  });

  it('leaves out a local rise that continues one reported before (it is listed by its first report)', () => {
    expect(md).not.toContain('Roxbury');
  });
});

describe('report wording with no candidate', () => {
  it('introduces the alternates without "仅0个"', async () => {
    const W = await import('../../src/report/wording.js');
    expect(W.ALTERNATES_INTRO(0, 3)).not.toContain('仅0个');
    expect(W.ALTERNATES_INTRO(0, 3)).toContain('没有类别达到候选条件');
    expect(W.ALTERNATES_INTRO(1, 2)).toContain('本月仅1个类别达到候选条件');
  });
});
