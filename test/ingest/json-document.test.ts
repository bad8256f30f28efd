import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

// Invented records in the shapes city APIs return: Open311 GeoReport v2 as Toronto serves it (one object whose
// "service_requests" key holds the array, pretty-printed, ids as numbers, nulls), and a bare array on one line.
const WRAPPED = `{
  "service_requests" : [
    {
      "service_request_id" : 101,
      "requested_datetime" : "2018-10-28 17:00:00",
      "service_name" : "Road - Pot hole",
      "description" : null,
      "lat" : 43.76,
      "long" : -79.41
    },
    {
      "service_request_id" : 102,
      "requested_datetime" : "not a date",
      "service_name" : "Graffiti",
      "description" : "tag on a wall"
    },
    {
      "service_request_id" : 103,
      "requested_datetime" : "2018-10-27 08:03:00",
      "service_name" : "Litter \\/ Bin \\/ Graffiti on Bin",
      "description" : "bin {full} of \\"stuff\\" ]"
    }
  ]
}
`;
const MAPPING = JSON.stringify({
  columns: {
    service_request_id: 'order_id',
    requested_datetime: 'created_at',
    description: 'content',
    service_name: 'content',
    lat: 'lat',
    long: 'lon',
  },
  category_levels: ['service_name'],
});

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function setup() {
  const t = await tempStore();
  cleanup = t.cleanup;
  return t;
}

describe('a .json file holding one JSON document of records (Open311, Socrata), not JSON Lines', () => {
  it("reads each record of the wrapper object's array, quarantined by the line it starts on", async () => {
    const t = await setup();
    const file = writeText(t.dir, 'service_requests.json', WRAPPED);
    const mapping = writeText(t.dir, 'open311.mapping.json', MAPPING);
    const s = await ingest(t.store, [file], { mapping });
    expect(s).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
    expect(s.files[0].set_aside).toBeUndefined();
    const q = await t.store.one<{ line: number; field: string }>('SELECT line::INT AS line, field FROM quarantine');
    expect(q).toEqual({ line: 11, field: 'created_at' });
    const rows = await t.store.all<{ order_id: string; category: string; content: string }>(
      'SELECT order_id, category, content FROM orders ORDER BY order_id',
    );
    expect(rows).toEqual([
      { order_id: '101', category: 'Road - Pot hole', content: 'Road - Pot hole' },
      {
        order_id: '103',
        category: 'Litter / Bin / Graffiti on Bin',
        content: 'bin {full} of "stuff" ]. Litter / Bin / Graffiti on Bin',
      },
    ]);
  });

  it('reads a bare array on one line (every record on line 1)', async () => {
    const t = await setup();
    const recs = [1, 2, 3].map((i) => ({
      order_id: `A${i}`,
      created_at: `2024-05-0${i} 08:00:00`,
      category: '城建',
      content: `第${i}件`,
    }));
    const file = writeText(t.dir, 'orders.json', JSON.stringify(recs));
    const s = await ingest(t.store, [file]);
    expect(s).toMatchObject({ read: 3, loaded: 3, quarantined: 0 });
  });

  it('reads the wrapper object as an API sends it, on one line', async () => {
    const t = await setup();
    const compact = JSON.stringify(JSON.parse(WRAPPED));
    const file = writeText(t.dir, 'compact.json', compact);
    const mapping = writeText(t.dir, 'open311.mapping.json', MAPPING);
    const s = await ingest(t.store, [file], { mapping });
    expect(s).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
  });

  it('an answer without records (a quiet day) loads nothing and says so, as a header-only CSV does', async () => {
    const t = await setup();
    const mapping = writeText(t.dir, 'open311.mapping.json', MAPPING);
    for (const [name, text] of [
      ['none.json', '[]'],
      ['none-wrapped.json', '{"service_requests": []}'],
    ]) {
      const s = await ingest(t.store, [writeText(t.dir, name, text)], { mapping });
      expect(s).toMatchObject({ read: 0, loaded: 0, quarantined: 0 });
      expect(s.files[0].set_aside).toBeUndefined();
      expect(s.files[0].warnings).toContain(`${name}：JSON 文档中没有记录，未读入任何工单`);
    }
  });

  it('JSON Lines are read as before, a cut first line still quarantined alone', async () => {
    const t = await setup();
    const lines = [
      '{"order_id": "L1", "created_at": "2024-05-01 08:00:00", "category": "城建", "con',
      '{"order_id": "L2", "created_at": "2024-05-01 09:00:00", "category": "城建", "content": "路灯不亮"}',
    ];
    const s = await ingest(t.store, [writeText(t.dir, 'cut.json', lines.join('\n'))]);
    expect(s).toMatchObject({ read: 2, loaded: 1, quarantined: 1 });
  });

  it('a cut array is refused whole, in one line naming the file', async () => {
    const t = await setup();
    const file = writeText(t.dir, 'cut-array.json', '[\n  {"order_id": "C1", "created_at": "2024-05-01 08:00:00",\n');
    const s = await ingest(t.store, [file]);
    expect(s.files[0].set_aside).toMatch(/cut-array\.json：JSON 文档不完整（在第 3 行中断）/);
    expect(s.files[0].set_aside).not.toMatch(/\n/);
  });
});
