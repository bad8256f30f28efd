import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';
import { fixtureDays } from './fixture.js';

describe('weisu forecast / backtest forecast (CLI)', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'w.duckdb');
  beforeAll(() => {
    // Two and a half years of a small city: one order per row, a heating wave each November.
    const days = fixtureDays({ start: '2022-01-03', end: '2024-07-01', seed: 3, heatingBase: 1, flatBase: 4 });
    const lines = ['order_id,created_at,category,content,district,street'];
    let id = 0;
    for (const d of days) {
      const cat = d.cat2 === '城乡建设/供暖' ? '城乡建设/供暖/暖气不热' : '城乡建设/物业管理/电梯故障';
      for (let i = 0; i < d.n; i++)
        lines.push(
          `W${++id},${d.day} 10:${String(i % 60).padStart(2, '0')}:00,${cat},小区${d.cat2 === '城乡建设/供暖' ? '暖气不热' : '电梯坏了'},${d.district},${d.street}`,
        );
    }
    writeFileSync(join(tmp.dir, 'orders.csv'), lines.join('\n') + '\n');
    const r = runCli(['--db', db, 'ingest', join(tmp.dir, 'orders.csv'), '--json']);
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);
  afterAll(() => tmp.cleanup());

  it('prints exactly one JSON document in the CONTRACT §4 shape', () => {
    const r = runCli(['--db', db, 'forecast', '--as-of', '2024-06-05', '--horizon-weeks', '6', '--json'], {
      timeoutMs: 300_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      as_of: string;
      series: Array<{
        category: string;
        level: number;
        points: Array<{ week_start: string; yhat: number; lo: number; hi: number }>;
      }>;
      districts: unknown[];
    };
    expect(doc.as_of).toBe('2024-06-05');
    const cats = doc.series.map((s) => `${s.level}:${s.category}`).sort();
    expect(cats).toEqual(['1:城乡建设', '2:城乡建设/供暖', '2:城乡建设/物业管理']);
    for (const s of doc.series) {
      expect(s.points.map((p) => p.week_start)).toEqual([
        '2024-06-03',
        '2024-06-10',
        '2024-06-17',
        '2024-06-24',
        '2024-07-01',
        '2024-07-08',
      ]);
      for (const p of s.points) expect(p.lo <= p.yhat && p.yhat <= p.hi && p.lo >= 0).toBe(true);
    }
    expect(Array.isArray(doc.districts)).toBe(true);
  }, 300_000);

  it('rejects a horizon outside 1–13 with a one-line reason and exit code 2', () => {
    const r = runCli(['--db', db, 'forecast', '--as-of', '2024-06-05', '--horizon-weeks', '14', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/horizon-weeks/);
  });

  it('backtest forecast reports MASE against seasonal naive and coverage, as JSON', () => {
    const r = runCli(
      [
        '--db',
        db,
        'backtest',
        'forecast',
        '--from',
        '2024-01-01',
        '--to',
        '2024-05-06',
        '--horizons',
        '4,8',
        '--step-weeks',
        '4',
        '--json',
      ],
      { timeoutMs: 300_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      summary: Array<{ horizon: number; group: string; mase: number; mase_snaive: number; coverage: number }>;
      categories: Array<{ category: string; horizon: number; mase: number | null; coverage: number }>;
    };
    expect(doc.summary.map((s) => `${s.horizon}:${s.group}`)).toEqual(['4:seasonal', '4:all', '8:seasonal', '8:all']);
    for (const c of doc.categories) {
      expect(c.mase).not.toBeNull();
      expect(c.coverage).toBeGreaterThanOrEqual(0);
      expect(c.coverage).toBeLessThanOrEqual(1);
    }
  }, 300_000);
});
