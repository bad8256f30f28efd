import { describe, expect, it } from 'vitest';
import { alertCounts, alertLines, episodeOf } from '../../src/cli/alert-sections.js';
import type { Alert } from '../../src/detect/alert.js';

function alert(category: string, score: number, details: Record<string, unknown>, reason: string): Alert {
  return {
    category,
    level: 1,
    scope: { level: 'city', name: '全市' },
    kind: 'trend',
    window_start: '2026-11-02',
    window_end: '2026-11-08',
    observed: 120,
    expected: 80,
    score,
    p_value: 0.001,
    q_value: 0.01,
    reason,
    details,
  };
}

const heating = alert(
  '城乡建设',
  9,
  { since: '2026-10-20', continuing: true, weeks: 3 },
  '全市「城乡建设」连续上升；自10月20日当周起持续上升，已连续3周报告',
);
const noise = alert('环境保护', 5, { since: '2026-11-02', continuing: false }, '全市「环境保护」突增');
const topic = alert('交通运输', 4, { term: '共享单车' }, '新词「共享单车」');

describe('weisu alerts: new rises first, continuing ones in their own section', () => {
  it('lists the new ones (also kinds that are never continuing) before the continuing ones', () => {
    const lines = alertLines([heating, noise, topic]);
    expect(lines[0]).toBe('新出现的上升：2 条');
    expect(lines[1]).toContain('全市「环境保护」突增');
    expect(lines[2]).toContain('新词「共享单车」');
    expect(lines[3]).toBe('持续上升（已报告过）：1 条');
    // since-week and weeks reported in their own column, the reason without the repeated note
    expect(lines[4]).toMatch(/\[自2026-10-20当周起，已连续3周报告\] 全市「城乡建设」连续上升$/);
    expect(lines).toHaveLength(5);
  });

  it('keeps the one-block list when nothing continues, and counts each for --json', () => {
    expect(alertLines([noise, topic])).toHaveLength(2);
    expect(alertCounts([heating, noise, topic])).toEqual({ new: 2, continuing: 1 });
    expect(alertCounts([])).toEqual({ new: 0, continuing: 0 });
    expect(episodeOf(noise)).toEqual({ since: '2026-11-02', weeks: null, reason: '全市「环境保护」突增' });
  });
});
