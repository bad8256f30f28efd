// The slower end-to-end test: the demo pipeline through the CLI on a small demo city, then the CONTRACT §4
// outputs checked for shape and against the generator's planted truth.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Truth } from '../../src/synth/truth.js';
import { runCliAsync, tempDir } from '../helpers.js';

const tmp = tempDir('weisu-e2e-');
const db = join(tmp.dir, 'demo.duckdb');
const out = join(tmp.dir, 'demo');
let truth: Truth;
let demo: {
  runs: Array<{ pipeline: string; status: string; error: string | null }>;
  report: string | null;
  truth: string;
  orders: number;
};

async function json<T>(args: string[]): Promise<T> {
  const r = await runCliAsync(['--db', db, '--json', ...args], { timeoutMs: 600_000 });
  expect(r.code, `weisu ${args.join(' ')}: ${r.stderr.slice(-2000)}`).toBe(0);
  // exactly one JSON document on stdout, nothing else
  return JSON.parse(r.stdout) as T;
}

const isDate = (s: unknown) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s);
const isMonday = (s: string) => new Date(s + 'T00:00:00Z').getUTCDay() === 1;

beforeAll(async () => {
  demo = await json(['demo', '--scale', '0.1', '--start', '2024-06-01', '--out', out]);
  truth = JSON.parse(readFileSync(demo.truth, 'utf8')) as Truth;
}, 900_000);
afterAll(() => tmp.cleanup());

describe('weisu demo end to end', async () => {
  it('runs every pipeline successfully and writes the report', async () => {
    expect(demo.orders).toBeGreaterThan(20_000);
    for (const r of demo.runs) expect(r, JSON.stringify(r)).toMatchObject({ status: 'ok' });
    // an earlier monthly run (for the closed loop), then the three runs of the morning after the last order
    expect(demo.runs.map((r) => r.pipeline)).toEqual(['monthly', 'nightly', 'weekly', 'monthly']);
    expect(demo.report && existsSync(demo.report)).toBe(true);
    const html = readFileSync(demo.report!, 'utf8');
    // nothing that looks like an unmasked mobile number leaves the store
    expect(html).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  });

  it("writes a later `weisu report` of the demo's month next to the demo's own report, as its hint suggests", async () => {
    const month = truth.end.slice(0, 7);
    const written = await json<{ html: string }>(['report', '--month', month]);
    expect(written.html).toBe(demo.report);
    expect(dirname(dirname(dirname(written.html)))).toBe(join(out, 'out'));
  });

  it('proposes the planted city-wide rise as topic candidate 1 for the following month', async () => {
    const citywide = truth.events.find((e) => e.kind === 'citywide')!;
    const month = truth.end.slice(0, 7);
    const topics = await json<{
      month: string;
      candidates: Array<{
        rank: number;
        category: string;
        score: number;
        reasons: string[];
        evidence: Record<string, unknown>;
        lead_unit: string | null;
        co_units: string[];
      }>;
    }>(['topics', '--month', month]);
    expect(topics.month).toBe(month);
    expect(topics.candidates.length).toBeGreaterThanOrEqual(2);
    expect(topics.candidates.length).toBeLessThanOrEqual(3);
    expect(topics.candidates[0]!.category).toBe(citywide.category);
    for (const c of topics.candidates) {
      expect(c.reasons.length).toBeGreaterThan(0);
      expect(c.evidence).toHaveProperty('orders_last_month');
      expect(Array.isArray(c.evidence.typical_orders)).toBe(true);
      expect((c.evidence.typical_orders as string[]).join('')).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    }
  });

  it('alerts follow the contract and include the city-wide rise at city scope', async () => {
    const asOf = truth.end;
    const res = await json<{
      as_of: string;
      alerts: Array<{
        category: string;
        scope: { level: string; name: string };
        kind: string;
        window_start: string;
        window_end: string;
        observed: number;
        expected: number;
        score: number;
      }>;
    }>(['alerts', '--as-of', asOf]);
    expect(res.as_of).toBe(asOf);
    for (const a of res.alerts) {
      expect(['city', 'district', 'street']).toContain(a.scope.level);
      expect(['yoy', 'mom', 'trend', 'spike', 'surge_forecast', 'new_topic']).toContain(a.kind);
      expect(isDate(a.window_start) && isDate(a.window_end)).toBe(true);
      expect(Number.isFinite(a.observed) && Number.isFinite(a.expected) && Number.isFinite(a.score)).toBe(true);
    }
    const citywide = truth.events.find((e) => e.kind === 'citywide')!;
    expect(res.alerts.some((a) => a.category === citywide.category && a.scope.level === 'city')).toBe(true);
  });

  it('hotspots follow the contract and find the planted cells that started at least 4 weeks before', async () => {
    const asOf = truth.end;
    const res = await json<{
      as_of: string;
      cells: Array<{
        cell: string;
        lon: number;
        lat: number;
        category: string | null;
        count: number;
        z: number;
        kind: string;
      }>;
    }>(['hotspots', '--as-of', asOf]);
    expect(res.as_of).toBe(asOf);
    for (const c of res.cells) expect(['hot', 'emerging', 'persistent', 'multi_category']).toContain(c.kind);
    const found = new Set(res.cells.map((c) => c.cell));
    const planted = truth.events.filter((e) => e.kind === 'hotspot' && e.start < asOf && e.end >= asOf);
    for (const e of planted) for (const cell of e.cells ?? []) expect(found.has(cell), `${e.id} ${cell}`).toBe(true);
  });

  it('forecasts every level-1 and level-2 category with Monday weeks and ordered intervals', async () => {
    const res = await json<{
      as_of: string;
      series: Array<{
        category: string;
        level: number;
        points: Array<{ week_start: string; yhat: number; lo: number; hi: number }>;
      }>;
    }>(['forecast', '--as-of', truth.end, '--horizon-weeks', '6']);
    const level1 = res.series.filter((s) => s.level === 1);
    expect(level1.length).toBeGreaterThanOrEqual(12);
    expect(res.series.filter((s) => s.level === 2).length).toBeGreaterThanOrEqual(50);
    for (const s of res.series) {
      expect(s.points).toHaveLength(6);
      for (const p of s.points) {
        expect(isMonday(p.week_start)).toBe(true);
        expect(p.lo).toBeLessThanOrEqual(p.yhat);
        expect(p.yhat).toBeLessThanOrEqual(p.hi);
        expect(p.lo).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('a re-run of the monthly pipeline for the same as-of changes nothing', async () => {
    const month = truth.end.slice(0, 7);
    const before = await json<unknown>(['topics', '--month', month]);
    const r = await runCliAsync(['--db', db, 'run', 'monthly', '--as-of', truth.end], { timeoutMs: 600_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(await json<unknown>(['topics', '--month', month])).toEqual(before);
    // the whole monthly pipeline again: 50–66 s on 2 shared cores, over vitest's 60 s default
  }, 300_000);
});
