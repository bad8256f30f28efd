import { describe, expect, it } from 'vitest';
import type { BoardItem } from '../../src/assign/board.js';
import { buildMessages } from '../../src/assign/messages.js';
import { renderPage } from '../../src/assign/page/render.js';

/** One street item of a Chinese export (人民网 留言板: 邯郸市 / 邱县) or of a Latin one (Boston: Roxbury / Ward 9). */
function item(district: string, street: string, grid: string | null): BoardItem {
  return {
    item_id: 'T-1',
    source: 'hotspot',
    item_type: 'general',
    level: grid ? 'grid' : 'street',
    as_of: '2023-01-01',
    month: null,
    category: '城乡建设/燃气',
    cell: null,
    grid_id: grid,
    district,
    street,
    title: 't',
    evidence: {
      window_start: '2022-12-04',
      window_end: '2023-01-01',
      orders: 9,
      orders_prev: 3,
      repeats: 0,
      typical_orders: [],
    },
    lead_unit: '县住建局',
    co_units: [],
    assigned_at: '2023-01-01 00:00',
    deadline: '2023-01-08 00:00',
    status: '交办',
    status_at: '2023-01-01 00:00',
    colour: 'green',
  };
}

function jsonArea(it: BoardItem): string {
  const [msg] = buildMessages('json', { id: 's1', name: '邱县' }, '2023-01-01', [it], 20);
  return (msg!.body as { items: Array<{ area: string }> }).items[0]!.area;
}

function pagePlace(it: BoardItem): string[] {
  const html = renderPage({ id: 's1', name: '邱县', kind: 'street' }, [it], 'k', { streets: null }, {}, 1);
  return [...html.matchAll(/<p class="meta">([^<]*)<\/p>/g)].map((m) => m[1]!);
}

describe('an item’s area in the push JSON and on the phone page', () => {
  it('runs Chinese names together, as the titles and the report write them', () => {
    expect(jsonArea(item('邯郸市', '邱县', null))).toBe('邯郸市邱县');
    expect(jsonArea(item('邯郸市', '邱县', 'G7'))).toBe('邯郸市邱县网格G7');
    expect(pagePlace(item('邯郸市', '邱县', null))).toContain('邯郸市邱县');
  });

  it('keeps a blank between Latin names', () => {
    expect(jsonArea(item('Roxbury', 'Ward 9', null))).toBe('Roxbury Ward 9');
    expect(pagePlace(item('Roxbury', 'Ward 9', null))).toContain('Roxbury Ward 9');
  });
});
