import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

// The direct way counts the closed_at a file writes without parsing them, and parses them again only when it stored
// fewer: the warnings must count exactly what was dropped, whatever the blanks around them.
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function load(name: string, text: string) {
  const t = await tempStore();
  cleanup = t.cleanup;
  const s = await ingest(t.store, [writeText(t.dir, name, text)]);
  const stored = await t.store.value<number>('SELECT count(closed_at) FROM orders');
  return { s, stored, warnings: (s.files[0].warnings ?? []).join('\n') };
}

describe('closed_at dropped on the direct way', () => {
  it('counts the unreadable and the out-of-window ones, not the blank ones', async () => {
    const rows = [
      'order_id,created_at,category,content,closed_at',
      'C1,2024-05-01 08:00:00,城建,路灯,2024-05-02 08:00:00',
      'C2,2024-05-01 08:00:00,城建,路灯,"   "',
      'C3,2024-05-01 08:00:00,城建,路灯,不详',
      'C4,2024-05-01 08:00:00,城建,路灯,1999-01-01 00:00:00',
      'C5,2024-05-01 08:00:00,城建,路灯,',
      'C6,2024-05-01 08:00:00,城建,路灯,"　"',
    ].join('\n');
    const { s, stored, warnings } = await load('mixed.csv', rows);
    expect(s).toMatchObject({ read: 6, loaded: 6, quarantined: 0 });
    expect(stored).toBe(1);
    expect(warnings).toMatch(/^1 行的办结时间 closed_at 无法识别/m);
    expect(warnings).toMatch(/^1 行的办结时间 closed_at 不在合理日期范围内/m);
  });

  it('says nothing when every written closed_at was stored, blanks and empty strings included', async () => {
    const csv = await load(
      'clean.csv',
      'order_id,created_at,category,content,closed_at\nD1,2024-05-01 08:00:00,城建,路灯,2024-05-02 08:00:00\nD2,2024-05-01 08:00:00,城建,路灯,\n',
    );
    expect(csv.stored).toBe(1);
    expect(csv.warnings).not.toMatch(/办结时间/);
    const recs = [
      { order_id: 'J1', created_at: '2024-05-01 08:00:00', category: '城建', content: '路灯', closed_at: '' },
      { order_id: 'J2', created_at: '2024-05-01 08:00:00', category: '城建', content: '路灯', closed_at: ' ' },
      { order_id: 'J3', created_at: '2024-05-01 08:00:00', category: '城建', content: '路灯', closed_at: '2024-05-03' },
    ];
    const json = await load('blank.json', JSON.stringify(recs));
    expect(json.stored).toBe(1);
    expect(json.warnings).not.toMatch(/办结时间/);
  });
});
