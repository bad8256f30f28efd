import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeText } from '../../src/report/document.js';
import type { CellPlace } from '../../src/report/extras.js';
import { sql } from '../../src/store/sql.js';
import { tempStore } from '../helpers.js';

/**
 * Where a hotspot cell is, in the words of its orders: the address group its orders name most. A US export writes
 * the house number first and the city, state and ZIP after it ("81A-81 Newbury St  Boston  MA  02115", Boston 311;
 * "1234 W Main St, Los Angeles, CA" elsewhere); the report showed "81A-81 Newbury St  Bosto一带" — one house, cut
 * inside a word — where "Newbury St一带" was meant. Invented addresses below reproduce the shapes.
 */
const CELL = '882a306603fffff';
const ADDRESSES = [
  '81A-81 Newbury St  Boston  MA  02115',
  '29 Newbury St  Boston  MA  02116',
  '7 Newbury St, Boston, MA 02116',
  '145 Pinckney St  Boston  MA  02114',
  'INTERSECTION of Kilmarnock St & Peterborough St  Boston  MA',
  'INTERSECTION of Kilmarnock St & Peterborough St  Boston  MA',
];
const ADDRESSES_ZH = ['永定大街58号', '永定大街104号3单元', '康泰西里3号楼'];
// A German export (Konstanz Mängelmelder) writes the street first and the house number after it, then ZIP and city:
// each house was its own group, so no group held two orders and the report said 位置未能识别. A US address that
// starts with its house number keeps a number ending its street (Route 9).
const ADDRESSES_DE = [
  'Lindenweg 45, 78467 Konstanz, Germany',
  'Lindenweg 12a, 78467 Konstanz, Germany',
  'Lindenweg 3-5, 78467 Konstanz, Germany',
  'Obere Gasse 66, 78462 Konstanz, Germany',
  '12 Route 9, Newton, MA',
  '14 Route 9, Newton, MA',
  '7, Am Lindenhang, 78464 Konstanz, Germany',
  '7, Am Lindenhang, 78464 Konstanz, Germany',
];

async function groups(
  store: Awaited<ReturnType<typeof tempStore>>['store'],
  cell: string,
): Promise<{ address: string | null; address_n: number }> {
  const rows = await store.all<{ address: string | null; address_n: number }>(sql('report/cell_places.sql'), {
    cells: JSON.stringify([{ cell, category: null, start: '2025-10-01', end: '2025-11-01' }]),
  });
  return rows[0];
}

describe('address group of a hotspot cell', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    env = await tempStore();
    const rows = [
      ...ADDRESSES.map((a, i) => ({ id: `us-${i}`, cell: CELL, address: a })),
      ...ADDRESSES_ZH.map((a, i) => ({ id: `zh-${i}`, cell: 'zh-cell', address: a })),
      ...ADDRESSES_DE.map((a, i) => ({
        id: `de-${i}`,
        cell: i < 4 ? 'de-cell' : i < 6 ? 'route-cell' : 'comma-cell',
        address: a,
      })),
    ];
    await env.store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, address, row_hash, first_seq, seq, loaded_at)
       SELECT r->>'id', TIMESTAMP '2025-10-10 09:00:00', 'A/B', 'A', 'A/B', 'x', r->>'address', 1, 1, 1, now()::TIMESTAMP
       FROM (SELECT unnest(from_json($rows::JSON, '["JSON"]')) AS r)`,
      { rows: JSON.stringify(rows) },
    );
    await env.store.exec(
      `INSERT INTO order_places (order_id, cell, district, street, match, coord_status, seq)
       SELECT r->>'id', r->>'cell', 'Back Bay', 'Ward 5', 'name', 'unchecked', 1
       FROM (SELECT unnest(from_json($rows::JSON, '["JSON"]')) AS r)`,
      { rows: JSON.stringify(rows) },
    );
  }, 60_000);
  afterAll(() => env.cleanup());

  it('groups a US address by its street: house number, city, state and ZIP dropped', async () => {
    expect(await groups(env.store, CELL)).toMatchObject({ address: 'Newbury St', address_n: 3 });
  });

  it('groups a European address by its street: the house number after it dropped', async () => {
    expect(await groups(env.store, 'de-cell')).toMatchObject({ address: 'Lindenweg', address_n: 3 });
    expect(await groups(env.store, 'route-cell')).toMatchObject({ address: 'Route 9', address_n: 2 });
    // a house number with a comma after it, as a geocoder wrote some: the street, not "18"
    expect(await groups(env.store, 'comma-cell')).toMatchObject({ address: 'Am Lindenhang', address_n: 2 });
  });

  it('still groups a Chinese address by its road, house and building numbers dropped', async () => {
    expect(await groups(env.store, 'zh-cell')).toMatchObject({ address: '永定大街', address_n: 2 });
  });
});

describe('placeText', () => {
  const place = (address: string): CellPlace => ({
    cell: CELL,
    category: null,
    n: 10,
    district: 'Back Bay',
    street: 'Ward 5',
    community: null,
    address,
    address_n: 4,
  });

  it('never cuts a Latin address inside a word', () => {
    const text = placeText(place('INTERSECTION of Kilmarnock St & Peterborough St'));
    expect(text.startsWith('Back Bay Ward 5 INTERSECTION of Kilmarnock St')).toBe(true);
    expect(text).toMatch(/(^| )[A-Za-z&]+一带$/);
    expect(text).not.toContain('Peterboro一带');
  });

  it('keeps a short Chinese address whole and a long one to 24 characters', () => {
    expect(placeText(place('永定大街'))).toBe('Back Bay Ward 5 永定大街一带');
    expect(placeText(place('一'.repeat(30)))).toBe(`Back Bay Ward 5 ${'一'.repeat(24)}一带`);
  });

  it('names a cell by its address alone when no district, street or community is known (a city without boundaries)', () => {
    const bare = { ...place('Dundas St W'), district: null, street: null };
    expect(placeText(bare)).toBe('Dundas St W一带');
    expect(placeText({ ...bare, address: null, address_n: 0 })).toBe('位置未能识别');
    expect(placeText({ ...bare, address: null, address_n: 0 }, 'Ward 5')).toBe('Ward 5');
  });
});
