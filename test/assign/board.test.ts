// sql/assign/board.sql: each of its three filters applies only when given, the recipient's role comes only with a
// recipient, and the order is red, yellow, green, finished, each by deadline — checked against the stored tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore, testContext } from '../helpers.js';
import { generateItems } from '../../src/assign/generate.js';
import { board, type BoardItem } from '../../src/assign/board.js';
import type { Store } from '../../src/store/db.js';
import { RECIPIENTS, seedScenario } from './fixture.js';

let store: Store;
let cleanup: () => void;
const NOW = '2026-03-01 20:00:00';
const RANK: Record<string, number> = { red: 0, yellow: 1, green: 2, done: 3, late: 3 };

beforeAll(async () => {
  ({ store, cleanup } = await tempStore());
  await seedScenario(store);
  await generateItems(testContext(store, '2026-03-01', { assign: { recipients: RECIPIENTS } }), {
    topics: true,
    hotspots: true,
  });
  // one item red (past its deadline at NOW), so the order has more than one colour to check
  await store.exec(
    `UPDATE assignments SET deadline = TIMESTAMP '2026-03-01 12:00:00'
     WHERE item_id = (SELECT min(item_id) FROM assignments)`,
  );
});
afterAll(() => cleanup());

function ordered(items: BoardItem[]): boolean {
  return items.every((b, i) => {
    if (i === 0) return true;
    const a = items[i - 1]!;
    const ra = RANK[a.colour]!;
    const rb = RANK[b.colour]!;
    return ra < rb || (ra === rb && (a.deadline < b.deadline || (a.deadline === b.deadline && a.item_id < b.item_id)));
  });
}

describe('board', () => {
  it('without filters lists every item once, in colour then deadline order, with no role', async () => {
    const all = await board(store, NOW, 0.75);
    const ids = (await store.all<{ item_id: string }>('SELECT item_id FROM assignments ORDER BY item_id')).map(
      (r) => r.item_id,
    );
    expect(ids.length).toBeGreaterThan(1);
    expect(all.map((i) => i.item_id).sort()).toEqual(ids);
    expect(all[0]!.colour).toBe('red');
    expect(ordered(all)).toBe(true);
    for (const i of all) expect('role' in i).toBe(false);
  });

  it("with a recipient lists only that recipient's items, each with its routed role", async () => {
    const routed = await store.all<{ item_id: string; recipient_id: string; role: string }>(
      'SELECT item_id, recipient_id, role FROM assignment_recipients ORDER BY item_id',
    );
    const recipients = [...new Set(routed.map((r) => r.recipient_id))];
    expect(recipients.length).toBeGreaterThan(0);
    for (const rid of recipients) {
      const mine = routed.filter((r) => r.recipient_id === rid);
      const items = await board(store, NOW, 0.75, { recipientId: rid });
      expect(items.map((i) => i.item_id).sort()).toEqual(mine.map((r) => r.item_id));
      for (const i of items) expect(i.role).toBe(mine.find((r) => r.item_id === i.item_id)!.role);
      expect(ordered(items)).toBe(true);
    }
    expect(await board(store, NOW, 0.75, { recipientId: 'nobody' })).toEqual([]);
  });

  it('with an item or an as-of keeps just that item, or the items assigned by then', async () => {
    const all = await board(store, NOW, 0.75);
    const one = await board(store, NOW, 0.75, { itemId: all[1]!.item_id });
    expect(one).toEqual([all[1]]);
    expect(await board(store, NOW, 0.75, { asOf: '2026-02-28' })).toEqual([]);
    expect(await board(store, NOW, 0.75, { asOf: '2026-03-01' })).toEqual(all);
  });
});
