import { afterEach, describe, expect, it } from 'vitest';
import { asOfOption } from '../../src/cli/env.js';
import { dueDates } from '../../src/pipeline/catchup.js';
import { missedRuns, runJob } from '../../src/pipeline/job.js';
import { Scheduler } from '../../src/pipeline/scheduler.js';
import type { Pipeline } from '../../src/pipeline/types.js';
import { Store } from '../../src/store/db.js';
import { createLogger } from '../../src/store/log.js';
import { tempDir, testConfig } from '../helpers.js';

// 03:00 UTC on Tue 2026-03-10: 11:00 on the 10th in Shanghai, 23:00 on the 9th in Toronto (EDT, UTC-4, since 03-08)
const NOW = new Date('2026-03-10T03:00:00Z');
const toronto = () => testConfig({ city: { name: 'Toronto', timezone: 'America/Toronto' } });

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const nightly: Pipeline = {
  name: 'nightly',
  description: '',
  cron: '30 2 * * *',
  stages: [{ name: 'noop', description: '', run: async () => ({}) }],
};

describe("the default --as-of and the scheduler count days in the city's zone (config city.timezone)", () => {
  it("a default --as-of is today in the city's zone; a given one is kept; no zone keeps Asia/Shanghai", () => {
    expect(asOfOption(undefined, () => NOW)(toronto())).toBe('2026-03-09');
    expect(asOfOption(undefined, () => NOW)(testConfig())).toBe('2026-03-10');
    expect(asOfOption('2025-01-31', () => NOW)(toronto())).toBe('2025-01-31');
    expect(() => asOfOption('2025-02-30')).toThrow(/不是日历上存在的日期/);
    expect(() => asOfOption(undefined, () => NOW)(testConfig({ city: { timezone: 'Toronto' } }))).toThrow(
      /^配置 city\.timezone 不是有效的时区名：Toronto/,
    );
  });

  it("a cron fires on the city's clock, daylight saving included", () => {
    // 02:30 in Toronto on 2026-11-01 (EST again, UTC-5) is 07:30 UTC: not yet due at 07:00, due at 07:31
    const zone = 'America/Toronto';
    expect(dueDates('30 2 * * *', '2026-10-29', '2026-11-01', new Date('2026-11-01T07:00:00Z'), zone)).toEqual([
      '2026-10-30',
      '2026-10-31',
    ]);
    expect(dueDates('30 2 * * *', '2026-10-29', '2026-11-01', new Date('2026-11-01T07:31:00Z'), zone)).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
    ]);
    // 02:30 on 03-08 does not exist in Toronto (clocks go from 02:00 to 03:00): that night's run is still due
    expect(dueDates('30 2 * * *', '2026-03-07', '2026-03-08', NOW, zone)).toEqual(['2026-03-08']);
    // 02:30 on 03-10 in Shanghai (18:30 UTC on the 9th) has passed at NOW; in Toronto the 10th has not begun
    expect(dueDates('30 2 * * *', '2026-03-07', '2026-03-10', NOW).at(-1)).toBe('2026-03-10');
    expect(dueDates('30 2 * * *', '2026-03-07', '2026-03-09', NOW, zone)).toEqual(['2026-03-08', '2026-03-09']);
  });

  it("catch-up and the cron's as-of name the city's day", async () => {
    const dir = tempDir();
    cleanups.push(dir.cleanup);
    const db = `${dir.dir}/z.duckdb`;
    const config = toronto();
    await runJob(nightly, '2026-03-07', { dbPath: db, config, log: createLogger(), outDir: '/tmp' });
    const store = await Store.open(db);
    const due = await missedRuns(store, [nightly], config, { now: NOW });
    const dueShanghai = await missedRuns(store, [nightly], testConfig(), { now: NOW });
    store.close();
    expect(due.map((d) => d.asOf)).toEqual(['2026-03-08', '2026-03-09']);
    expect(dueShanghai.map((d) => d.asOf)).toEqual(['2026-03-08', '2026-03-09', '2026-03-10']);
    const opts = { pipelines: [nightly], dbPath: db, log: createLogger(), outDir: '/tmp', now: () => NOW };
    expect(new Scheduler({ ...opts, config }).today()).toBe('2026-03-09');
    expect(new Scheduler({ ...opts, config: testConfig() }).today()).toBe('2026-03-10');
  });
});
