import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportStage } from '../../src/report/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from '../topics/fixture.js';

/**
 * When the report was made, on the readers' clock. A city outside China (Konstanz, `city.timezone` Europe/Berlin)
 * read "weisu 生成于 2026-12-07 08:14（北京时间）" — seven hours ahead of its own clock, and named for another
 * country's capital. The footer is written in the city's zone: 北京时间 for Asia/Shanghai (the default), 当地时间
 * with the zone's name otherwise.
 */
async function footer(raw: Record<string, unknown>): Promise<string> {
  const env = await tempStore();
  try {
    await seedOrders(
      env.store,
      [{ cat2: 'Beleuchtung/Straßenlaternen defekt', perDay: steady(3), texts: ['Laterne defekt'] }],
      '2025-09-01',
      '2025-11-01',
    );
    const counts = await reportStage.run(testContext(env.store, '2025-11-01', raw, join(env.dir, 'out')));
    const md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
    return md.split('\n').find((l) => l.includes('生成于')) ?? '';
  } finally {
    env.cleanup();
  }
}

describe('the report footer', () => {
  it("is written on the city's own clock outside China", async () => {
    const before = Date.now();
    const line = await footer({ city: { name: 'Konstanz', timezone: 'Europe/Berlin' } });
    expect(line).not.toContain('北京时间');
    expect(line).toContain('（当地时间，Europe/Berlin）');
    const stamp = /(\d{4}-\d{2}-\d{2} \d{2}:\d{2})/.exec(line)![1];
    const berlin = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Berlin',
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(new Date(before));
    expect(stamp.slice(0, 10)).toBe(berlin.slice(0, 10));
  }, 60_000);

  it('stays in Beijing time for a city on the default zone', async () => {
    expect(await footer({})).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）/);
  }, 60_000);
});
