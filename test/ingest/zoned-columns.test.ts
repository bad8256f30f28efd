import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Field, Schema, Table, TimeUnit, Timestamp, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { ingest } from './util.js';

// Zoned timestamp columns as a Toronto export written by pandas/pyarrow holds them: instants, with the zone the times
// were kept in named in the Arrow type (and, in Parquet, in the footer's ARROW:schema). Invented orders at
// 2018-10-24 22:00 UTC (18:00 in Toronto, -04:00) and 2018-12-01 17:00 UTC (12:00 in Toronto, -05:00).
const INSTANTS = [Date.UTC(2018, 9, 24, 22, 0, 0), Date.UTC(2018, 11, 1, 17, 0, 0)];
const IDS = ['Z1', 'Z2'];

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function arrowTable(tz: string | null): Table {
  const type = new Timestamp(TimeUnit.MILLISECOND, tz);
  return new Table({
    order_id: vectorFromArray(IDS),
    created_at: vectorFromArray(INSTANTS, type),
    category: vectorFromArray(['Road - Pot hole', 'Graffiti']),
    content: vectorFromArray(['pothole by the curb', 'tag on a wall']),
  });
}

/** A Parquet file of the same orders, its Arrow schema (zone tz) in the footer as pyarrow writes it. */
async function writeParquet(
  store: Awaited<ReturnType<typeof tempStore>>['store'],
  file: string,
  tz: string | null,
): Promise<void> {
  const schema = new Schema([
    new Field('order_id', new Utf8()),
    new Field('created_at', new Timestamp(TimeUnit.MICROSECOND, tz)),
    new Field('category', new Utf8()),
    new Field('content', new Utf8()),
  ]);
  const arrowSchema = Buffer.from(tableToIPC(new Table(schema), 'stream')).toString('base64');
  const meta = tz ? `, KV_METADATA {'ARROW:schema': '${arrowSchema}'}` : '';
  await store.exec(
    `COPY (SELECT * FROM (VALUES ('Z1', TIMESTAMPTZ '2018-10-24 22:00:00+00', 'Road - Pot hole', 'pothole by the curb'),
                                 ('Z2', TIMESTAMPTZ '2018-12-01 17:00:00+00', 'Graffiti', 'tag on a wall'))
            t(order_id, created_at, category, content))
     TO '${file}' (FORMAT parquet${meta})`,
  );
}

async function load(kind: 'arrow' | 'parquet', tz: string | null, timezone?: string): Promise<string[]> {
  const t = await tempStore();
  cleanup = t.cleanup;
  const file = join(t.dir, `zoned.${kind}`);
  if (kind === 'arrow') writeFileSync(file, tableToIPC(arrowTable(tz), 'file'));
  else await writeParquet(t.store, file, tz);
  const s = await ingest(t.store, [file], timezone ? { timezone } : {});
  expect(s).toMatchObject({ read: 2, loaded: 2, quarantined: 0 });
  const rows = await t.store.all<{ c: string }>(
    "SELECT strftime(created_at, '%Y-%m-%d %H:%M:%S') AS c FROM orders ORDER BY order_id",
  );
  return rows.map((r) => r.c);
}

const TORONTO_WALL = ['2018-10-24 18:00:00', '2018-12-01 12:00:00'];
const SHANGHAI_WALL = ['2018-10-25 06:00:00', '2018-12-02 01:00:00'];

describe('zoned Arrow and Parquet timestamps keep the wall clock of the zone the file states', () => {
  for (const kind of ['arrow', 'parquet'] as const) {
    it(`${kind}: America/Toronto without a city zone is stored as Toronto's wall clock (daylight saving too)`, async () => {
      expect(await load(kind, 'America/Toronto')).toEqual(TORONTO_WALL);
    });

    it(`${kind}: a city zone named in the config converts the instants to it`, async () => {
      expect(await load(kind, 'America/Toronto', 'America/Toronto')).toEqual(TORONTO_WALL);
      expect(await load(kind, 'America/Toronto', 'Asia/Shanghai')).toEqual(SHANGHAI_WALL);
    });

    it(`${kind}: a fixed offset (+05:30) is that offset's wall clock`, async () => {
      expect(await load(kind, '+05:30')).toEqual(['2018-10-25 03:30:00', '2018-12-01 22:30:00']);
    });

    it(`${kind}: UTC by name states no local time and is read like a 'Z' time, in Asia/Shanghai`, async () => {
      expect(await load(kind, 'UTC')).toEqual(SHANGHAI_WALL);
    });
  }

  it('parquet: a zoned column whose file names no zone (no Arrow schema) is read as before, in Asia/Shanghai', async () => {
    expect(await load('parquet', null)).toEqual(SHANGHAI_WALL);
  });
});
