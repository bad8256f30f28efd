import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportStage } from '../../src/report/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from '../topics/fixture.js';

/**
 * The hotspot section of a report with no hotspot must say why, not "热点阶段未运行或没有明显聚集" for every cause:
 * an export without coordinates (LA 311 2020 as published has a third of its rows without; some exports none), or a
 * month replayed after the data stopped (Boston 311 ends 2015-12-31; the March 2016 report saw an empty window).
 */
async function hotspotReport(asOf: string, withCells: boolean, hotspotRun?: { studyCells: number }): Promise<string> {
  const env = await tempStore();
  try {
    await seedOrders(
      env.store,
      [{ cat2: 'Street Lights/Outages', perDay: steady(20), texts: ['out'] }],
      '2025-08-01',
      '2025-10-01',
    );
    if (withCells)
      await env.store.exec(
        `INSERT INTO order_places (order_id, cell, match, coord_status, seq)
         SELECT order_id, '882a306603fffff', 'none', 'unchecked', 1 FROM orders`,
      );
    if (hotspotRun) {
      await env.store.exec(
        `INSERT INTO runs (run_id, pipeline, as_of, started_at, ended_at, status)
         VALUES ('m', 'monthly', $as_of::DATE, now()::TIMESTAMP, now()::TIMESTAMP, 'ok')`,
        { as_of: asOf },
      );
      await env.store.exec(
        `INSERT INTO run_stages (run_id, stage, started_at, ended_at, status, counts)
         VALUES ('m', 'hotspots', now()::TIMESTAMP, now()::TIMESTAMP, 'ok', json_object('study_cells', $cells::INTEGER, 'rows', 0))`,
        { cells: hotspotRun.studyCells },
      );
    }
    const counts = await reportStage.run(testContext(env.store, asOf, {}, join(env.dir, 'out')));
    return readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
  } finally {
    env.cleanup();
  }
}

async function hotspotLine(asOf: string, withCells: boolean, hotspotRun?: { studyCells: number }): Promise<string> {
  const lines = (await hotspotReport(asOf, withCells, hotspotRun)).split('\n');
  const at = lines.findIndex((l) => l.startsWith('## 三、'));
  return lines.slice(at + 1).find((l) => l.trim() !== '') ?? '';
}

describe('report with no hotspot says why', () => {
  it('an export without coordinates', async () => {
    const line = await hotspotLine('2025-10-01', false);
    expect(line).toContain('没有经纬度坐标');
    expect(line).not.toContain('热点阶段未运行');
  }, 60_000);

  it('a month after the data stopped', async () => {
    const line = await hotspotLine('2025-12-01', true);
    expect(line).toContain('最新工单日期为2025-09-30');
    expect(line).not.toContain('热点阶段未运行');
  }, 60_000);

  // Konstanz Mängelmelder, report of 2020-04: the hotspot stage had tested 42 cells and found none, and the report
  // said "暂无热点区块结果（热点阶段未运行或没有明显聚集）" — the data team could not tell which
  it('a hotspot stage that ran and found no cluster', async () => {
    const line = await hotspotLine('2025-10-01', true, { studyCells: 42 });
    expect(line).toContain('42个区块');
    expect(line).toContain('没有');
    expect(line).not.toContain('热点阶段未运行或');
  }, 60_000);

  it('a hotspot stage that has not run for the as-of', async () => {
    const line = await hotspotLine('2025-10-01', true);
    expect(line).toContain('热点分析尚未');
    expect(line).not.toContain('或没有明显聚集');
  }, 60_000);

  // the 人民网 留言板 export (no coordinates, no boundaries) had its data notes say "地图只显示热点区块" of no map
  it('says nothing of the map when none is drawn', async () => {
    const md = await hotspotReport('2025-10-01', false);
    expect(md).not.toContain('地图只显示热点区块');
    expect(md).not.toContain('charts/map.svg');
  }, 60_000);
});
