import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempStore, testContext } from '../helpers.js';
import { alertStage } from '../../src/detect/stage.js';
import { detectAlerts } from '../../src/detect/compute.js';
import { readAlerts } from '../../src/detect/read-alerts.js';
import { generateCounts, loadCounts } from './gen.js';

const CAT = '大类1/小类2';
const EVENT = {
  kind: 'abrupt' as const,
  category: CAT,
  scope: { level: 'street' as const, name: '街道1-2' },
  start: '2025-10-20',
  end: '2025-12-01',
  magnitude: 2,
};

describe('alert stage', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
    await loadCounts(
      t.store,
      generateCounts({ seed: 11, start: '2023-01-02', end: '2025-11-17', perStreetDaily: 3, events: [EVENT] }),
    );
  });
  afterAll(() => t.cleanup());

  it('uses only days before --as-of: a flood of later orders changes nothing', async () => {
    const asOf = '2025-11-17';
    const before = await detectAlerts(t.store, asOf, testContext(t.store, asOf).config);
    expect(before.alerts.length).toBeGreaterThan(0);
    await t.store.exec(
      `INSERT INTO daily_counts SELECT d::DATE, '大类2', '大类2/小类5', '第2区', '街道2-1', 500, 0, 0, 0, 0
       FROM range(DATE '2025-11-17', DATE '2025-12-15', INTERVAL 1 DAY) r(d)`,
    );
    const after = await detectAlerts(t.store, asOf, testContext(t.store, asOf).config);
    expect(after.alerts).toEqual(before.alerts);
    // the same flood seen a week later is an alert
    const later = await detectAlerts(t.store, '2025-11-24', testContext(t.store, '2025-11-24').config);
    expect(later.alerts.some((a) => a.category === '大类2/小类5' && a.scope.name === '街道2-1')).toBe(true);
    await t.store.exec(`DELETE FROM daily_counts WHERE day >= DATE '2025-11-17'`);
  });

  it('is idempotent and leaves surge_forecast rows alone', async () => {
    const asOf = '2025-11-17';
    await t.store.exec(
      `INSERT INTO alerts (as_of, category, level, scope_level, scope_name, kind, window_start, window_end, observed, expected, score)
       VALUES (DATE '2025-11-17', '城乡建设/供暖', 2, 'city', '全市', 'surge_forecast', DATE '2025-11-24', DATE '2025-12-21', 900, 400, 3)`,
    );
    const ctx = testContext(t.store, asOf);
    await t.store.tx(() => alertStage.run(ctx));
    const first = await readAlerts(t.store, asOf);
    await t.store.tx(() => alertStage.run(ctx));
    const second = await readAlerts(t.store, asOf);
    expect(second).toEqual(first);
    expect(first.filter((a) => a.kind === 'surge_forecast')).toHaveLength(1);
    expect(first.some((a) => a.kind !== 'surge_forecast' && a.category === CAT && a.scope.name === '街道1-2')).toBe(
      true,
    );
    // other as-of dates are untouched
    await t.store.tx(() => alertStage.run(testContext(t.store, '2025-11-10')));
    expect(await readAlerts(t.store, asOf)).toEqual(first);
  });

  it('marks a rise the previous weekly run alerted too as continuing, from the week it was first reported', async () => {
    const street = (as: Awaited<ReturnType<typeof readAlerts>>) =>
      as.filter((a) => a.kind !== 'surge_forecast' && a.category === CAT && a.scope.name === '街道1-2');
    const runs: Array<{ asOf: string; alerts: ReturnType<typeof street> }> = [];
    for (const asOf of ['2025-10-27', '2025-11-03', '2025-11-10', '2025-11-17']) {
      await t.store.tx(() => alertStage.run(testContext(t.store, asOf)));
      runs.push({ asOf, alerts: street(await readAlerts(t.store, asOf)) });
    }
    const first = runs.findIndex((r) => r.alerts.length > 0);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(3);
    // the first run that sees the rise starts it; every later weekly run continues it from that week
    const since = runs[first].alerts[0].details.since as string;
    expect(runs[first].alerts.every((a) => a.details.continuing === false)).toBe(true);
    for (const r of runs.slice(first + 1)) {
      expect(r.alerts.length).toBeGreaterThan(0);
      for (const a of r.alerts) expect(a.details).toMatchObject({ continuing: true, since });
    }
    const weeks = runs.length - first;
    expect(runs[runs.length - 1].alerts[0].reason).toContain(`已连续${weeks}周报告`);
    // another category quiet the week before starts its own rise
    const fresh = (await readAlerts(t.store, '2025-11-17')).filter(
      (a) => a.kind !== 'surge_forecast' && a.kind !== 'new_topic' && a.details.continuing === false,
    );
    for (const a of fresh) expect(a.details.since).toBe('2025-11-10');
  });

  it('weisu alerts --json prints the contract shape', async () => {
    t.store.close();
    const res = runCli(['--db', t.dbPath, '--json', 'alerts', '--as-of', '2025-11-17', '--no-forecast'], {
      timeoutMs: 240_000,
    });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as { as_of: string; alerts: Array<Record<string, unknown>> };
    expect(doc.as_of).toBe('2025-11-17');
    expect(doc.alerts.length).toBeGreaterThan(0);
    for (const a of doc.alerts) {
      expect(Object.keys(a)).toEqual(
        expect.arrayContaining([
          'category',
          'scope',
          'kind',
          'window_start',
          'window_end',
          'observed',
          'expected',
          'score',
        ]),
      );
      expect(['city', 'district', 'street']).toContain((a.scope as { level: string }).level);
      expect(typeof a.score).toBe('number');
      expect(a.window_start as string).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect((doc as unknown as { data_end: string; data_stale: boolean }).data_end).toBe('2025-11-16');
    expect((doc as unknown as { data_stale: boolean }).data_stale).toBe(false);
    // an as-of three weeks past the last order: the JSON and the table say where the data ends, and no surge is forecast
    const late = runCli(['--db', t.dbPath, '--json', 'alerts', '--as-of', '2025-12-08'], { timeoutMs: 240_000 });
    expect(late.code, late.stderr).toBe(0);
    const lateDoc = JSON.parse(late.stdout) as { data_end: string; data_stale: boolean; alerts: { kind: string }[] };
    expect(lateDoc).toMatchObject({ data_end: '2025-11-16', data_stale: true });
    expect(lateDoc.alerts.filter((a) => a.kind === 'surge_forecast')).toEqual([]);
    const table = runCli(['--db', t.dbPath, 'alerts', '--as-of', '2025-12-08', '--no-forecast'], {
      timeoutMs: 240_000,
    });
    expect(table.stdout).toMatch(/数据截至2025-11-16/);
    const bad = runCli(['--db', t.dbPath, 'alerts', '--as-of', '2025-13-01'], { timeoutMs: 240_000 });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    t.store = await (await import('../../src/store/db.js')).Store.open(t.dbPath);
  }, 300_000);
});
