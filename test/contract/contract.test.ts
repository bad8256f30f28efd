// CONTRACT conformance (/work/shared/CONTRACT.md, copied to docs/contract.md) on a city that is not the demo: each
// test names the promise it holds weisu to, and fails when that promise breaks. The city (./city.ts) has a four-level
// taxonomy from four columns with a '/' inside one level name, a GBK export with its own headers, a few UTC times, bad
// rows and repeated ids. Two stores: A holds the orders before the as-of, B also the month after it; every analytical
// command must print the same for that as-of from both (CONTRACT §2).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync, tempDir, type CliResult } from '../helpers.js';
import { AS_OF, END, HEADER, HOT, MAPPING, PATHS, RISE, START, writeOrders, type Written } from './city.js';

const tmp = tempDir('weisu-contract-');
const dbA = join(tmp.dir, 'a.duckdb');
const dbB = join(tmp.dir, 'b.duckdb');
const before = join(tmp.dir, '西岭市工单_截至10月.csv');
const after = join(tmp.dir, '西岭市工单_11月.csv');
const mapping = join(tmp.dir, 'xiling.json');
const config = join(tmp.dir, 'weisu.json');
const TAGS = ['权责交叉', '政策漏洞', '基础设施短板', '监管缺位', '服务落实不到位', '其他'];
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

let first: Written;
let later: Written;
const ingested: Record<string, number>[] = [];

function cli(db: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCliAsync(['--db', db, '--config', config, ...args], { timeoutMs: 240_000, env });
}
/** The one JSON document a --json command prints (CONTRACT §3), after asserting it succeeded. */
async function json<T = Record<string, unknown>>(db: string, args: string[]): Promise<T> {
  const r = await cli(db, [...args, '--json']);
  expect(r.code, `weisu ${args.join(' ')}: ${r.stderr.slice(-1500)}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}
async function query<T = Record<string, unknown>>(db: string, text: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(text)).getRowObjectsJson() as T[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
const prefixes = (levels: string[]) => levels.map((_, i) => levels.slice(0, i + 1));
const key = (levels: string[]) => JSON.stringify(levels);

beforeAll(async () => {
  first = writeOrders(before, START, AS_OF, 7, 0, true);
  later = writeOrders(after, AS_OF, END, 8, 900_000, false);
  writeFileSync(mapping, JSON.stringify(MAPPING));
  writeFileSync(config, JSON.stringify({ outDir: 'out', city: { name: '西岭市' } }));
  ingested.push(await json(dbA, ['ingest', before, '--mapping', mapping]));
  ingested.push(await json(dbB, ['ingest', before, after, '--mapping', mapping]));
}, 300_000);
afterAll(() => tmp.cleanup());

describe('§1 and §5: ingest counts, the orders table and quarantine', () => {
  it('counts read = loaded + updated + unchanged + quarantined, repeats inside the file included', () => {
    const [a, b] = ingested;
    expect(a).toMatchObject({
      read: first.rows,
      loaded: first.ids,
      updated: first.changedRepeats,
      unchanged: first.sameRepeats,
      quarantined: first.bad,
    });
    expect(first.changedRepeats * first.sameRepeats * first.bad).toBeGreaterThan(0); // the city has each case
    for (const s of [a!, b!]) expect(s.read).toBe(s.loaded! + s.updated! + s.unchanged! + s.quarantined!);
    expect(b!.read).toBe(first.rows + later.rows);
    expect(b!.loaded).toBe(first.ids + later.ids);
  });

  it('keeps one row per order id, the last write of a repeated id, local time from a UTC offset, whole level names', async () => {
    const [n] = await query<{ rows: number; ids: number }>(
      dbA,
      'SELECT count(*)::INT AS rows, count(DISTINCT order_id)::INT AS ids FROM orders',
    );
    expect(n).toEqual({ rows: first.ids, ids: first.ids });
    const [changed] = await query<{ satisfaction: string }>(
      dbA,
      `SELECT satisfaction FROM orders WHERE order_id = '${first.changed!.id}'`,
    );
    expect(changed!.satisfaction).toBe(first.changed!.satisfaction);
    const [utc] = await query<{ t: string }>(
      dbA,
      `SELECT strftime(created_at, '%Y-%m-%d %H:%M:%S') AS t FROM orders WHERE order_id = '${first.utc!.id}'`,
    );
    expect(utc!.t).toBe(first.utc!.local);
    const levels = await query<{ l: string[] }>(dbA, 'SELECT DISTINCT category_levels AS l FROM orders');
    expect(new Set(levels.map((r) => key(r.l)))).toEqual(new Set(PATHS.map(key)));
  });

  it('has the canonical columns, stores no raw phone number, and keeps each bad row with file, line and reason', async () => {
    const cols = (await query<{ column_name: string }>(dbA, 'DESCRIBE orders')).map((c) => c.column_name);
    for (const c of [
      'order_id',
      'created_at',
      'category',
      'content',
      'district',
      'street',
      'community',
      'address',
      'lon',
      'lat',
      'caller_hash',
      'channel',
      'order_type',
      'dept',
      'closed_at',
      'satisfaction',
      'resolved',
    ])
      expect(cols, c).toContain(c);
    const [pii] = await query<{ with_phone: number; no_hash: number }>(
      dbA,
      // a hex hash may hold 11 digits in a row: the hash is checked for being a phone number itself
      `SELECT count(*) FILTER (WHERE regexp_matches(concat_ws(' ', content, address), '(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)')
                                  OR regexp_full_match(caller_hash, '1[3-9][0-9]{9}'))::INT AS with_phone,
              count(*) FILTER (WHERE caller_hash IS NULL)::INT AS no_hash FROM orders`,
    );
    expect(pii).toEqual({ with_phone: 0, no_hash: 0 });
    const bad = await query<{ file: string; line: number; reason: string; raw: string }>(
      dbA,
      'SELECT file, line::INT AS line, reason, raw::VARCHAR AS raw FROM quarantine ORDER BY line',
    );
    expect(bad).toHaveLength(first.bad);
    // the bad rows are the file's last three data lines (line 1 is the header)
    expect(bad.map((r) => r.line)).toEqual([first.rows - 1, first.rows, first.rows + 1]);
    for (const r of bad) {
      expect(r.file).toContain('西岭市工单_截至10月.csv');
      expect(r.reason.length).toBeGreaterThan(0);
      expect(r.raw).toContain('燃气费太高');
      expect(r.raw, 'raw row keeps no phone number').not.toMatch(PHONE);
    }
  });

  it('loads the same rows again as unchanged, adding nothing (idempotent)', async () => {
    const copy = join(tmp.dir, '西岭市工单_重发.csv');
    copyFileSync(before, copy);
    const again = await json<Record<string, number>>(dbA, ['ingest', copy, '--mapping', mapping]);
    expect(again).toMatchObject({
      read: first.rows,
      loaded: 0,
      updated: 0,
      unchanged: first.rows - first.bad,
      quarantined: first.bad,
    });
    const [n] = await query<{ rows: number }>(dbA, 'SELECT count(*)::INT AS rows FROM orders');
    expect(n!.rows).toBe(first.ids);
  }, 120_000);
});

describe('§3: the scheduled pipelines and order_tags', () => {
  it('runs nightly for the as-of; order_tags holds every order with the contract tags', async () => {
    // weekly and monthly on an unseen city: test/e2e/unseen-city.test.ts
    const run = await json<{ status: string }>(dbA, ['run', 'nightly', '--as-of', AS_OF]);
    expect(run.status).toBe('ok');
    const tags = await query<{ tag: string; n: number }>(
      dbA,
      'SELECT tag, count(*)::INT AS n FROM order_tags GROUP BY tag',
    );
    for (const t of tags) expect(TAGS, t.tag).toContain(t.tag);
    const [cover] = await query<{ untagged: number }>(
      dbA,
      'SELECT count(*)::INT AS untagged FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_tags t WHERE t.order_id = o.order_id)',
    );
    expect(cover!.untagged).toBe(0);
  }, 600_000);
});

type Doc = Record<string, unknown>;
const outputs: Record<string, [Doc, Doc]> = {};
const COMMANDS: Record<string, string[]> = {
  alerts: ['alerts', '--as-of', AS_OF],
  forecast: ['forecast', '--as-of', AS_OF, '--horizon-weeks', '3'],
  hotspots: ['hotspots', '--as-of', AS_OF],
  topics: ['topics', '--month', AS_OF.slice(0, 7)],
};

describe('§2: --as-of sees only orders created strictly before it', () => {
  it.each(Object.keys(COMMANDS))(
    '%s prints the same from a store that also holds the month after the as-of',
    async (name) => {
      const [a, b] = [await json<Doc>(dbA, COMMANDS[name]!), await json<Doc>(dbB, COMMANDS[name]!)];
      outputs[name] = [a, b];
      expect(b).toEqual(a);
    },
    240_000,
  );
});

describe('§4: the JSON outputs', () => {
  type Alert = {
    category: string;
    category_levels: string[];
    level: number;
    scope: { level: string; name: string };
    kind: string;
    window_start: string;
    window_end: string;
    observed: number;
    expected: number;
    score: number;
  };
  type Cell = {
    cell: string;
    lon: number;
    lat: number;
    category: string | null;
    category_levels?: string[];
    count: number;
    z: number;
    kind: string;
  };
  type Candidate = {
    rank: number;
    category: string;
    category_levels?: string[];
    score: number;
    reasons: string[];
    evidence: {
      orders_last_month: number;
      yoy: number | null;
      mom: number | null;
      forecast_next_month: number | null;
      root_causes: Array<{ tag: string; share: number }>;
      hotspots: string[];
      typical_orders: string[];
    };
    lead_unit: string | null;
    co_units: string[];
  };
  const doc = (name: string): Doc => outputs[name]?.[0] ?? expect.fail(`${name} did not run`);

  it('forecast: every level-1 and level-2 category with history, Monday weeks, lo ≤ yhat ≤ hi', () => {
    const f = doc('forecast') as {
      as_of: string;
      series: Array<{ category: string; level: number; category_levels?: string[]; points: Doc[] }>;
    };
    expect(f.as_of).toBe(AS_OF);
    const want = new Set(PATHS.flatMap((p) => [key(p.slice(0, 1)), key(p.slice(0, 2))]));
    expect(new Set(f.series.map((s) => key(s.category_levels ?? [])))).toEqual(want);
    for (const s of f.series) {
      expect(s.category).toBe(s.category_levels!.join('/'));
      expect(s.level).toBe(s.category_levels!.length);
      expect(s.points).toHaveLength(3);
      for (const p of s.points as Array<{ week_start: string; yhat: number; lo: number; hi: number }>) {
        expect(p.week_start).toMatch(DATE);
        expect(new Date(p.week_start + 'T00:00:00Z').getUTCDay(), p.week_start).toBe(1);
        for (const v of [p.yhat, p.lo, p.hi]) expect(Number.isFinite(v)).toBe(true);
        expect(p.lo <= p.yhat && p.yhat <= p.hi, JSON.stringify(p)).toBe(true);
      }
      expect(s.points[0]!.week_start).toBe(AS_OF);
    }
  });

  it('alerts: the contract fields and values, categories down to the finest level, the planted rise found there', () => {
    const a = doc('alerts') as { as_of: string; alerts: Alert[] };
    expect(a.as_of).toBe(AS_OF);
    // from store B, whose first command this was: the end of the data is known on a freshly loaded store too
    expect(outputs.alerts![1].data_end).toBe('2026-11-01');
    const all = new Set(PATHS.flatMap((p) => prefixes(p).map(key)));
    for (const x of a.alerts) {
      expect(typeof x.category).toBe('string');
      expect(all.has(key(x.category_levels)), x.category).toBe(true);
      expect(x.category).toBe(x.category_levels.join('/'));
      expect(x.level).toBe(x.category_levels.length);
      expect(['city', 'district', 'street']).toContain(x.scope.level);
      expect(typeof x.scope.name).toBe('string');
      expect(['yoy', 'mom', 'trend', 'spike', 'surge_forecast', 'new_topic']).toContain(x.kind);
      expect(x.window_start).toMatch(DATE);
      expect(x.window_end).toMatch(DATE);
      expect(x.window_start <= x.window_end && x.window_end < AS_OF).toBe(true);
      for (const v of [x.observed, x.expected, x.score]) expect(Number.isFinite(v)).toBe(true);
    }
    const planted = a.alerts.filter((x) => key(x.category_levels) === key(RISE.path));
    expect(planted.map((x) => x.scope.name)).toContain(RISE.street);
    expect(planted.every((x) => x.level === 5)).toBe(true);
  });

  it('hotspots: the contract fields and kinds, the planted cluster among the hot cells', () => {
    const h = doc('hotspots') as { as_of: string; cells: Cell[] };
    expect(h.as_of).toBe(AS_OF);
    expect(h.cells.length).toBeGreaterThan(0);
    for (const c of h.cells) {
      expect(typeof c.cell).toBe('string');
      expect(Number.isFinite(c.lon) && Number.isFinite(c.lat)).toBe(true);
      expect(c.category === null || typeof c.category === 'string').toBe(true);
      expect(Number.isInteger(c.count)).toBe(true);
      expect(Number.isFinite(c.z)).toBe(true);
      expect(['hot', 'emerging', 'persistent', 'multi_category']).toContain(c.kind);
    }
    // category_levels, where given, name a category of the city exactly ('供水/排水' one level)
    const all = new Set(PATHS.flatMap((p) => prefixes(p).map(key)));
    for (const c of h.cells) if (c.category_levels) expect(all.has(key(c.category_levels)), c.category!).toBe(true);
    const near = h.cells.filter((c) => Math.abs(c.lon - HOT.lon) < 0.01 && Math.abs(c.lat - HOT.lat) < 0.01);
    expect(near.length, 'a cell at the planted cluster').toBeGreaterThan(0);
  });

  it('topics: ranked candidates with the evidence fields, masked typical orders', () => {
    const t = doc('topics') as { month: string; candidates: Candidate[] };
    expect(t.month).toBe(AS_OF.slice(0, 7));
    expect(t.candidates.length).toBeGreaterThan(0);
    expect(t.candidates.map((c) => c.rank)).toEqual(t.candidates.map((_, i) => i + 1));
    const all = new Set(PATHS.flatMap((p) => prefixes(p).map((l) => l.join('/'))));
    const levels = new Set(PATHS.flatMap((p) => prefixes(p).map(key)));
    for (const c of t.candidates) {
      expect(all.has(c.category), c.category).toBe(true);
      if (c.category_levels) expect(levels.has(key(c.category_levels)), c.category).toBe(true);
      expect(Number.isFinite(c.score)).toBe(true);
      expect(c.reasons.length).toBeGreaterThan(0);
      for (const r of c.reasons) expect(typeof r).toBe('string');
      const e = c.evidence;
      expect(Number.isInteger(e.orders_last_month)).toBe(true);
      for (const v of [e.yoy, e.mom, e.forecast_next_month]) expect(v === null || Number.isFinite(v)).toBe(true);
      for (const r of e.root_causes) {
        expect(TAGS).toContain(r.tag);
        expect(r.share >= 0 && r.share <= 1).toBe(true);
      }
      for (const s of [...e.hotspots, ...e.typical_orders]) expect(typeof s).toBe('string');
      for (const s of e.typical_orders) expect(s).not.toMatch(PHONE);
      expect(c.lead_unit === null || typeof c.lead_unit === 'string').toBe(true);
      for (const u of c.co_units) expect(typeof u).toBe('string');
    }
    // the planted rise leads, as itself or as a category that holds it
    const holds = prefixes(RISE.path).map((l) => l.join('/'));
    expect(holds, t.candidates[0]!.category).toContain(t.candidates[0]!.category);
  });
});

describe('§3: exit codes, one-line reasons, stdout', () => {
  it.each([
    [['alerts', '--as-of', '2026-13-40']],
    [['forecast', '--as-of', '']], // an unset variable in a script must not mean today
    [['hotspots', '--as-of', '2026-02-30']],
    [['topics', '--month', '2026-1']],
    [['forecast', '--as-of', AS_OF, '--horizon-weeks', 'abc']],
    [['ingest', join(tmp.dir, 'no-such-file.csv')]],
    [['ingest', before, '--mapping', join(tmp.dir, 'no-such-mapping.json')]],
    [['no-such-command']],
  ])('refuses %j with a non-zero exit, one line on stderr and nothing on stdout', async (args) => {
    const r = await cli(dbA, [...args, '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('{'));
    expect(lines, r.stderr).toHaveLength(1);
  });

  it('keeps logs off stdout under --json even when they are on', async () => {
    const r = await cli(dbA, ['alerts', '--as-of', AS_OF, '--json'], { WEISU_LOG_LEVEL: 'info' });
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toMatch(/"level":30/);
  }, 120_000);

  it('uses ./weisu.duckdb when no --db is given', async () => {
    const cwd = join(tmp.dir, 'cwd');
    mkdirSync(cwd);
    const r = await runCliAsync(['ingest', after, '--mapping', mapping, '--json'], { cwd, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: later.rows, loaded: later.ids });
    expect(existsSync(join(cwd, 'weisu.duckdb'))).toBe(true);
    // a later file (UTF-8 with BOM) sending one known order with a field changed and one new order: the known id is
    // one order, updated (last write wins), the new one loaded
    const [header, known] = iconv.decode(readFileSync(after), 'gbk').split('\r\n');
    const cells = known!.split(',');
    const sat = HEADER.indexOf('满意度');
    const changed = cells.map((c, j) => (j === sat ? (c === '不满意' ? '满意' : '不满意') : c));
    const fresh = cells.map((c, j) => (j === 0 ? 'XLNEW0001' : c));
    const update = join(tmp.dir, '西岭市工单_补充.csv');
    writeFileSync(update, '\uFEFF' + [header, changed.join(','), fresh.join(',')].join('\n') + '\n');
    const u = await runCliAsync(['ingest', update, '--mapping', mapping, '--json'], { cwd, timeoutMs: 120_000 });
    expect(u.code, u.stderr).toBe(0);
    expect(JSON.parse(u.stdout)).toMatchObject({ read: 2, loaded: 1, updated: 1, unchanged: 0, quarantined: 0 });
    const [row] = await query<{ satisfaction: string; n: number }>(
      join(cwd, 'weisu.duckdb'),
      `SELECT any_value(satisfaction) AS satisfaction, count(*)::INT AS n FROM orders WHERE order_id = '${cells[0]}'`,
    );
    expect(row).toEqual({ satisfaction: changed[sat], n: 1 });
  }, 120_000);
});
