import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempStore } from '../helpers.js';

/**
 * A month with no candidate lists the best-scored categories as 备选 "供会议参考；如选定，请先核实近期情况", and the
 * report says to record a choice with `weisu topics select`. On Boston 311 (January 2016: no candidate, three
 * alternates) that command refused: "no candidates stored for 2016-01: run 'weisu topics --month 2016-01' first" —
 * though the topics had run. An alternate the report offered is a choice the meeting may make. Invented orders.
 */
describe('weisu topics select of an alternate', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    env = await tempStore();
    await env.store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, row_hash, first_seq, seq, loaded_at)
       VALUES ('1', TIMESTAMP '2015-12-10 09:00:00', 'Public Works/Street Cleaning', 'Public Works',
               'Public Works/Street Cleaning', 'litter', 1, 1, 1, now()::TIMESTAMP),
              ('2', TIMESTAMP '2015-12-11 09:00:00', 'Civil Rights/Survey', 'Civil Rights', 'Civil Rights/Survey',
               'survey', 2, 1, 1, now()::TIMESTAMP)`,
    );
    await env.store.exec(
      `INSERT INTO topic_alternates (month, rank, category, level, score, excluded_why, reasons, weaker, computed_at)
       VALUES ('2016-01', 1, 'Public Works/Street Cleaning', 2, 0.2, 'routine', '[]', '[]', now()::TIMESTAMP)`,
    );
    env.store.close();
  }, 60_000);
  afterAll(() => env.cleanup());

  it('records an alternate of the month without --force', { timeout: 120_000 }, () => {
    const res = runCli([
      '--db',
      env.dbPath,
      '--json',
      'topics',
      'select',
      '--month',
      '2016-01',
      '--category',
      'Public Works/Street Cleaning',
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ month: '2016-01', category: 'Public Works/Street Cleaning' });
  });

  it('still refuses a category the month did not list, naming what it did list', { timeout: 120_000 }, () => {
    const res = runCli([
      '--db',
      env.dbPath,
      'topics',
      'select',
      '--month',
      '2016-01',
      '--category',
      'Civil Rights/Survey',
    ]);
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('Public Works/Street Cleaning');
    expect(res.stderr).not.toContain('first');
  });
});
