import { describe, expect, it } from 'vitest';
import { onCityClock, summariseCounts } from '../../src/cli/commands/runs.js';

describe('the runs table', () => {
  it("shows a run's start on the city's clock", () => {
    // the store writes Beijing time; a run at 08:14 there is 01:14 in Konstanz in winter, 02:14 in summer
    expect(onCityClock('2026-01-02 08:14:05', 'Asia/Shanghai', 'Europe/Berlin')).toBe('2026-01-02 01:14:05');
    expect(onCityClock('2026-07-02 08:14:05', 'Asia/Shanghai', 'Europe/Berlin')).toBe('2026-07-02 02:14:05');
    expect(onCityClock('2026-01-02 03:00:00', 'Asia/Shanghai', 'America/Toronto')).toBe('2026-01-01 14:00:00');
    expect(onCityClock('2026-01-02 08:14:05.123', 'Asia/Shanghai', 'Asia/Shanghai')).toBe('2026-01-02 08:14:05');
  });

  it('names stages and their counts in Chinese, and an unknown one as it is', () => {
    const counts = { place: { orders: 0 }, hotspots: { study_cells: 66 }, custom: { widgets: 3 }, report: {} };
    expect(summariseCounts(counts)).toBe('定位 0 件工单 · 热点 66 个区块 · custom 3 widgets · 月报');
  });
});
