import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveWindow, suggestFormat } from '../../src/ingest/dates.js';
import { packageRoot } from '../../src/store/paths.js';
import { tempStore } from '../helpers.js';
import { ingest, writeText } from './util.js';

const FIX = join(packageRoot, 'test/fixtures/ingest');
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function store() {
  const t = await tempStore();
  cleanup = t.cleanup;
  return t;
}

type Row = { order_id: string; created_at: string; closed_at: string | null; category: string; levels: string[] };
const ROWS =
  'SELECT order_id, created_at::VARCHAR AS created_at, closed_at::VARCHAR AS closed_at, category, category_levels AS levels FROM orders ORDER BY order_id';

describe('dates as real exports write them', () => {
  it("reads a mapping's '%m/%d/%y %H:%M' before the generic cast (1/9/19 is 2019-01-09, not 0001-09-19)", async () => {
    const t = await store();
    const s = await ingest(t.store, [join(FIX, 'short-year.csv')], {
      mapping: join(FIX, 'short-year.mapping.json'),
    });
    expect(s).toMatchObject({ read: 4, loaded: 4, quarantined: 0 });
    const rows = await t.store.all<Row>(ROWS);
    expect(rows.map((r) => [r.order_id, r.created_at, r.closed_at])).toEqual([
      ['S1', '2019-01-09 09:04:00', '2019-01-10 17:30:00'],
      ['S2', '2019-12-31 23:59:00', '2020-01-02 08:00:00'],
      // 1999 is before the window: the order loads, its closed_at is emptied and counted
      ['S3', '2020-02-01 00:05:00', null],
      ['S4', '2020-03-04 10:10:00', null],
    ]);
    expect(s.files[0].warnings?.join('\n')).toMatch(/^1 行的closed（办结时间 closed_at）不在合理日期范围内/m);
  });

  it('an NYC-style export: AM/PM dates, level names with / kept whole, 1899 refused, a 1900 closed_at emptied', async () => {
    const t = await store();
    const s = await ingest(t.store, [join(FIX, 'nyc-style.csv')], { mapping: join(FIX, 'nyc-style.mapping.json') });
    expect(s).toMatchObject({ read: 7, loaded: 6, quarantined: 1 });
    const q = await t.store.one<{ line: number; field: string; reason: string }>(
      'SELECT line, field, reason FROM quarantine',
    );
    expect(q).toMatchObject({ line: 8, field: 'created_at' });
    expect(q!.reason).toMatch(
      /^Created Date（受理时间 created_at）早于合理日期范围（2000-01-01 … \d{4}-\d\d-\d\d）：12\/31\/1899/,
    );
    const rows = await t.store.all<Row>(ROWS);
    const byId = new Map(rows.map((r) => [r.order_id, r]));
    expect(byId.get('90000001')).toMatchObject({
      created_at: '2019-01-05 09:04:00',
      closed_at: '2019-01-06 10:15:30',
      levels: ['HEAT/HOT WATER', 'ENTIRE BUILDING'],
    });
    expect(byId.get('90000002')).toMatchObject({
      created_at: '2019-01-05 23:30:12',
      closed_at: null,
      levels: ['Construction Site Cleanliness/Fence', 'Fence Missing/Damaged'],
    });
    expect(byId.get('90000004')!.closed_at).toBeNull();
    const cats = await t.store.all<{ cat1: string; cat2: string }>(
      "SELECT cat1, cat2 FROM orders WHERE order_id = '90000003'",
    );
    expect(cats[0]).toEqual({ cat1: 'Noise - Street/Sidewalk', cat2: 'Noise - Street/Sidewalk/Loud Music/Party' });
    // every stored level is one of the file's own names
    const names = new Set(['HEAT/HOT WATER', 'Construction Site Cleanliness/Fence', 'Noise - Street/Sidewalk']);
    names.add('Dirty Conditions').add('Street Condition');
    for (const r of rows) expect(names.has(r.levels[0])).toBe(true);
    expect(s.files[0].warnings?.join('\n')).toMatch(/1 行的Closed Date（办结时间 closed_at）不在合理日期范围内/);
  });

  it('read first with the complaint type as a path, then --reload with level columns: the names are mended', async () => {
    const t = await store();
    const base = JSON.parse(readFileSync(join(FIX, 'nyc-style.mapping.json'), 'utf8')) as Record<string, unknown>;
    const asPath = {
      ...base,
      name: 'as-path',
      columns: { ...(base.columns as object), 'Complaint Type': 'category' },
      category_levels: [],
    };
    const m = writeText(t.dir, 'as-path.json', JSON.stringify(asPath));
    await ingest(t.store, [join(FIX, 'nyc-style.csv')], { mapping: m });
    const split = await t.store.value<string>("SELECT cat1 FROM orders WHERE order_id = '90000001'");
    expect(split).toBe('HEAT');
    const s = await ingest(t.store, [join(FIX, 'nyc-style.csv')], {
      mapping: join(FIX, 'nyc-style.mapping.json'),
      reload: true,
    });
    expect(s).toMatchObject({ read: 7, updated: 6, quarantined: 1 });
    const whole = await t.store.one<{ cat1: string; levels: string[] }>(
      "SELECT cat1, category_levels AS levels FROM orders WHERE order_id = '90000001'",
    );
    expect(whole).toEqual({ cat1: 'HEAT/HOT WATER', levels: ['HEAT/HOT WATER', 'ENTIRE BUILDING'] });
  });

  it('an LA-style export without formats: names the day/month order and the format to use; with it, all load', async () => {
    const t = await store();
    const mapping = {
      columns: {
        SRNumber: 'order_id',
        CreatedDate: 'created_at',
        ClosedDate: 'closed_at',
        RequestType: 'category',
        ActionTaken: 'content',
      },
      require_all: false,
    };
    const m1 = writeText(t.dir, 'la.json', JSON.stringify(mapping));
    const s1 = await ingest(t.store, [join(FIX, 'la-style.csv')], { mapping: m1 });
    expect(s1).toMatchObject({ read: 4, loaded: 0, quarantined: 4 });
    expect(s1.files[0].warnings?.join('\n')).toContain('建议 timestamp_formats: ["%m/%d/%Y %I:%M:%S %p"]');
    const m2 = writeText(
      t.dir,
      'la2.json',
      JSON.stringify({ ...mapping, timestamp_formats: ['%m/%d/%Y %I:%M:%S %p'] }),
    );
    const s2 = await ingest(t.store, [join(FIX, 'la-style.csv')], { mapping: m2, reload: true });
    expect(s2).toMatchObject({ read: 4, loaded: 4, quarantined: 0 });
    expect(s2.files[0].warnings?.join('\n') ?? '').not.toContain('建议');
    const first = await t.store.value<string>("SELECT created_at::VARCHAR FROM orders WHERE order_id = '1-000000001'");
    expect(first).toBe('2017-12-31 23:59:58');
  });

  it('a day-first file and an ambiguous one are each named with the format to state', async () => {
    const t = await store();
    const h = 'order_id,created_at,category,content\n';
    const dayFirst = writeText(t.dir, 'dmy.csv', h + 'D1,13/01/2024 08:00,A,x\nD2,02/03/2024 09:00,A,y\n');
    const unsure = writeText(t.dir, 'amb.csv', h + 'U1,01/02/2024 08:00,A,x\nU2,03/04/2024 09:00,A,y\n');
    const s = await ingest(t.store, [dayFirst, unsure]);
    expect(s.files[0].warnings?.join('\n')).toContain(`dmy.csv：'`);
    expect(s.files[0].warnings?.join('\n')).toContain('第一段是日（最大 13）');
    expect(s.files[0].warnings?.join('\n')).toContain('["%d/%m/%Y %H:%M"]');
    expect(s.files[1].warnings?.join('\n')).toContain('既可读作日/月也可读作月/日');
  });

  it('a garbage date does not vote on the day/month order: no warning where the valid dates agree with the mapping', async () => {
    // Boston 311's style; one row's date is invalid read either way (month 13 or day 45, hour 25)
    const t = await store();
    const h = 'order_id,created_at,category,content\n';
    const body =
      h +
      'B1,01/02/2015 08:00:00 AM,A,x\n' +
      'B2,01/24/2015 02:36:52 PM,A,y\n' +
      'B3,13/45/2015 25:00:00 PM,A,z\n' +
      'B4,02/03/2015 09:00:00 AM,A,w\n';
    const f = writeText(t.dir, 'bos.csv', body);
    const m = writeText(t.dir, 'bos.json', JSON.stringify({ timestamp_formats: ['%m/%d/%Y %I:%M:%S %p'] }));
    const s1 = await ingest(t.store, [f], { mapping: m });
    expect(s1).toMatchObject({ read: 4, loaded: 3, quarantined: 1 });
    expect(s1.files[0].warnings?.join('\n') ?? '').not.toMatch(/第一段是日|第二段是日|建议/);

    // without a format: the order is named from a date that proves it (day 24), never from '01/02/2015' or the garbage
    const g = writeText(t.dir, 'bos2.csv', body.replace(/B(\d)/g, 'C$1'));
    const w = (await ingest(t.store, [g])).files[0].warnings?.join('\n') ?? '';
    expect(w).toContain("'01/24/2015 02:36:52 PM' 这样的日期第二段是日（最大 24）");
    expect(w).toContain('建议 timestamp_formats: ["%m/%d/%Y %I:%M:%S %p"]');

    // only the garbage and undecidable dates: the order cannot be told, and the example is a readable date
    const u = writeText(t.dir, 'amb2.csv', h + 'U1,13/45/2015 25:00:00 PM,A,x\nU2,01/02/2015 08:00:00 AM,A,y\n');
    const wu = (await ingest(t.store, [u])).files[0].warnings?.join('\n') ?? '';
    expect(wu).toContain("'01/02/2015 08:00:00 AM' 这样的日期既可读作日/月也可读作月/日");
  });

  it('dates that prove both orders are named as such, with no format to follow', async () => {
    const t = await store();
    const h = 'order_id,created_at,category,content\n';
    const f = writeText(t.dir, 'mixed.csv', h + 'M1,13/01/2024 08:00,A,x\nM2,01/24/2024 09:00,A,y\n');
    const w = (await ingest(t.store, [f])).files[0].warnings?.join('\n') ?? '';
    expect(w).toContain("'13/01/2024 08:00'");
    expect(w).toContain("'01/24/2024 09:00'");
    expect(w).not.toContain('建议');
  });

  it('created_at outside a configured window is quarantined; date_outliers names stray months at the edges', async () => {
    const t = await store();
    const lines = ['order_id,created_at,category,content'];
    for (let i = 0; i < 90; i++) {
      const d = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      lines.push(`N${i},${d} 10:00:00,A,正常工单`);
    }
    lines.push(
      'X1,2000-01-03 00:00:00,A,占位日期',
      'X2,2000-01-03 00:00:00,A,占位日期',
      'X3,2023-06-05 00:00:00,A,早一年',
    );
    lines.push('F1,2031-01-01 00:00:00,A,未来');
    const f = writeText(t.dir, 'stray.csv', lines.join('\n') + '\n');
    const s = await ingest(t.store, [f], { dateWindow: { to: '2030-12-31' } });
    expect(s).toMatchObject({ read: 94, loaded: 93, quarantined: 1 });
    expect(s.date_outliers).toHaveLength(1);
    expect(s.date_outliers[0]).toMatchObject({
      path: f,
      rows: 3,
      months: [
        { month: '2000-01', rows: 2 },
        { month: '2023-06', rows: 1 },
      ],
      sustained_from: '2024-01-01',
      sustained_to: '2024-03-31',
    });
  });
});

describe('date helpers', () => {
  it('suggests a strptime format from one sample', () => {
    expect(suggestFormat('12/31/2017 11:59:58 PM', false)).toBe('%m/%d/%Y %I:%M:%S %p');
    expect(suggestFormat('1/9/19 9:04', false)).toBe('%m/%d/%y %H:%M');
    expect(suggestFormat('31.12.2017', true)).toBe('%d.%m.%Y');
    expect(suggestFormat('13-01-2024T08:00:00.5', true)).toBe('%d-%m-%YT%H:%M:%S.%f');
  });
  it('defaults the window to 2000-01-01 … the day after the run and refuses a bad one', () => {
    expect(resolveWindow(undefined, new Date('2026-03-31T10:00:00Z'))).toEqual({
      from: '2000-01-01',
      to: '2026-04-01',
    });
    // a back-dated run keeps today's bound (its later days load); a run dated ahead moves it
    const now = new Date('2026-03-31T10:00:00Z');
    expect(resolveWindow(undefined, now, '2025-06-30').to).toBe('2026-04-01');
    expect(resolveWindow(undefined, now, '2026-05-10').to).toBe('2026-05-11');
    expect(resolveWindow({ to: '2026-01-01' }, now, '2026-05-10').to).toBe('2026-01-01');
    expect(() => resolveWindow({ from: '2020-13-45' })).toThrow(
      expect.objectContaining({
        name: 'UserError',
        message: "配置 ingest 部分：date_window.from 应为 YYYY-MM-DD 格式的日期，收到的是 '2020-13-45'",
      }),
    );
    expect(() => resolveWindow({ from: '2021-01-01', to: '2020-01-01' })).toThrow(
      expect.objectContaining({
        name: 'UserError',
        message: '配置 ingest 部分：date_window.from（2021-01-01）晚于 date_window.to（2020-01-01）',
      }),
    );
  });
});
