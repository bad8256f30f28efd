import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';

/** Three weeks of orders ending 2025-03-20, with coordinates: an export an evaluator replays past its end. */
function writeExport(path: string): void {
  const rows = ['order_id,created_at,category,content,district,lon,lat'];
  for (let d = 1; d <= 20; d++)
    for (let i = 0; i < 6; i++)
      rows.push(
        `O${d}-${i},2025-03-${String(d).padStart(2, '0')} 09:${String(i * 7).padStart(2, '0')}:00,城市管理/市容环境,路边垃圾无人清理${i},东区,${113.6 + i * 0.001},${34.75 + d * 0.0005}`,
      );
  writeFileSync(path, rows.join('\n') + '\n');
}

describe('forecast and hotspots --json past the end of the data', () => {
  it('say where the data ends and that it is stale, as alerts does', () => {
    const tmp = tempDir('weisu-stale-');
    try {
      const db = join(tmp.dir, 's.duckdb');
      const csv = join(tmp.dir, 'orders.csv');
      writeExport(csv);
      expect(runCli(['--db', db, '--json', 'ingest', csv]).code).toBe(0);
      for (const cmd of ['forecast', 'hotspots']) {
        const past = runCli(['--db', db, '--json', cmd, '--as-of', '2025-05-01']);
        expect(past.code, past.stderr).toBe(0);
        const doc = JSON.parse(past.stdout) as { data_end: string | null; data_stale: boolean };
        expect(doc.data_end, cmd).toBe('2025-03-20');
        expect(doc.data_stale, cmd).toBe(true);
        const current = JSON.parse(runCli(['--db', db, '--json', cmd, '--as-of', '2025-03-21']).stdout) as {
          data_stale: boolean;
        };
        expect(current.data_stale, cmd).toBe(false);
      }
      // four days of data, no complete week before the as-of's week: every category with orders is forecast from
      // its daily rate (CONTRACT: every category that has history), and a note says so
      const young = JSON.parse(runCli(['--db', db, '--json', 'forecast', '--as-of', '2025-03-05']).stdout) as {
        series: Array<{ model: string; history_weeks: number }>;
        notes: string[];
      };
      expect(young.series.length).toBeGreaterThan(0);
      for (const s of young.series) expect([s.model, s.history_weeks]).toEqual(['rate', 0]);
      expect(young.notes.join('')).toContain('完整的周');
      expect(young.notes.join('')).toContain('日均');
    } finally {
      tmp.cleanup();
    }
  }, 120_000);
});
