/**
 * Combination rules scored offline on the real series (BENCH_SERIES_DIR, origins as bench:forecast, BENCH_REAL_BEFORE
 * too): every candidate's forecast and its rolling-origin backtest errors at each (series, origin) are dumped once
 * (cached under the tmp folder, keyed by the origins), then each rule — a function of a series' own backtest errors
 * and its candidates' forecasts — is scored against R's anchors (from bench:forecast's cache) per source.
 * `node --import tsx bench/forecast-rules.ts`; RULES_REDUMP=1 recomputes the dump.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { configFrom } from '../src/store/config.js';
import { modelContext } from '../src/forecast/engine.js';
import { dayStr } from '../src/forecast/features.js';
import { candidateForecasts, forecastSeries, pooledDefault, rankSeries } from '../src/forecast/models.js';
import { seasonalNaiveScale } from '../src/forecast/backtest.js';
import { realOrigins, realSeries, rForecasts, type Named } from './forecast-real.js';

const H = 8;

export interface Case {
  key: string;
  source: string;
  origin: number;
  actual: number[];
  scale: number;
  weisu: number[];
  model: string;
  preferred: string;
  cands: Record<string, number[]>;
  /** model → [horizon][origin, latest first] → [actual, forecast] */
  errors: Record<string, Array<Array<[number, number]>>>;
  anchors: Record<string, number[]>;
}

function dump(series: Named[], origins: Map<string, number[]>): Case[] {
  const extra = JSON.parse(process.env.BENCH_REAL_FORECAST ?? '{}') as Record<string, unknown>;
  const ctx = modelContext(configFrom({ forecast: { calendar: 'none', ...extra } }));
  const rf = rForecasts(series, origins);
  const groups = new Map<string, Named[]>();
  for (const s of series)
    for (const o of origins.get(s.key)!) groups.set(`${s.source}|${o}`, [...(groups.get(`${s.source}|${o}`) ?? []), s]);
  const out: Case[] = [];
  for (const [g, members] of groups) {
    const o = Number(g.slice(g.lastIndexOf('|') + 1));
    const seen = members.map((s) => ({ start: s.start, y: s.y.slice(0, (o - s.start) / 7) }));
    const rankings = seen.map((s) => rankSeries(s, H, ctx));
    const preferred = pooledDefault(rankings);
    members.forEach((s, i) => {
      const f = forecastSeries(seen[i], H, ctx, { ranking: rankings[i], preferred });
      const n = seen[i].y.length;
      const errors: Case['errors'] = {};
      for (const sc of rankings[i]?.ranked ?? []) errors[sc.model] = sc.errors;
      const cands = candidateForecasts(seen[i], H, ctx) as Record<string, number[]>;
      const bw = rankings[i]?.ranked.find((sc) => sc.model === 'blend')?.weights;
      if (bw && bw.every(([m]) => cands[m]))
        cands.blend = Array.from({ length: H }, (_, k) => bw.reduce((a, [m, w]) => a + w * cands[m][k], 0));
      const anchors: Case['anchors'] = { ets: [], stlf: [], prophet: [], snaive: [] };
      for (let h = 1; h <= H; h++) {
        const r = rf.get(`${s.key}|${dayStr(o)}|${h}`) ?? {};
        anchors.ets.push(r.ets);
        anchors.stlf.push(r.stlf);
        anchors.prophet.push(r.prophet);
        anchors.snaive.push(s.y[n + h - 1 - 52]);
      }
      out.push({
        key: s.key,
        source: s.source,
        origin: o,
        actual: s.y.slice(n, n + H),
        scale: seasonalNaiveScale(seen[i].y),
        weisu: f.points.map((p) => p.yhat),
        model: f.model,
        preferred,
        cands,
        errors,
        anchors,
      });
    });
  }
  return out;
}

export function loadCases(): Case[] {
  const dir = process.env.BENCH_SERIES_DIR!;
  const series = realSeries(dir);
  const origins = realOrigins(series);
  const tag = `${process.env.BENCH_REAL_BEFORE ?? 0}-${process.env.BENCH_REAL_FILES ?? 'all'}`.replace(/[^\w-]/g, '_');
  const file = join(tmpdir(), `weisu-bench-forecast-rules-${tag}.json`);
  if (existsSync(file) && !process.env.RULES_REDUMP) return JSON.parse(readFileSync(file, 'utf8')) as Case[];
  const t0 = performance.now();
  const cases = dump(series, origins);
  writeFileSync(file, JSON.stringify(cases));
  console.log(`rules: dumped ${cases.length} cases in ${((performance.now() - t0) / 1000).toFixed(0)}s to ${file}`);
  return cases;
}

export type Rule = (c: Case) => number[] | null;

const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);

/** Pooled MASE of a rule over cases at horizons 1..hh (points where the rule and every anchor have a value). */
export function score(cases: Case[], rule: Rule, hh: number): number {
  const errs: number[] = [];
  for (const c of cases) {
    if (!(c.scale > 0)) continue;
    const f = rule(c);
    if (!f) continue;
    for (let h = 0; h < hh; h++) errs.push(Math.abs(c.actual[h] - Math.max(0, f[h])) / c.scale);
  }
  return mean(errs);
}

export const HOTLINE = /nyc/;

/** One line per rule: all sources, hotline, each source; ratio to ETS and to the best anchor. */
export function table(cases: Case[], rules: Array<[string, Rule]>): void {
  const groups: Array<[string, Case[]]> = [
    ['all', cases],
    ['hotline', cases.filter((c) => HOTLINE.test(c.source))],
    ...[...new Set(cases.map((c) => c.source))].map((s): [string, Case[]] => [
      s.replace(/\/weekly/, ':').replace('.csv', ''),
      cases.filter((c) => c.source === s),
    ]),
  ];
  const anchor =
    (name: string): Rule =>
    (c) =>
      c.anchors[name].every(Number.isFinite) ? c.anchors[name] : null;
  const ok = cases.filter((c) =>
    ['ets', 'stlf', 'prophet', 'snaive'].every((a) => c.anchors[a].every(Number.isFinite)),
  );
  for (const [gname, raw] of groups) {
    const cs = raw.filter((c) => ok.includes(c));
    const best = (hh: number) => Math.min(...['ets', 'stlf', 'prophet', 'snaive'].map((a) => score(cs, anchor(a), hh)));
    const b4 = best(4),
      b8 = best(8),
      e4 = score(cs, anchor('ets'), 4),
      e8 = score(cs, anchor('ets'), 8);
    console.log(
      `${gname} (${cs.length} cases): best anchor ${b4.toFixed(3)} / ${b8.toFixed(3)}, ETS ${e4.toFixed(3)} / ${e8.toFixed(3)}`,
    );
    for (const [name, rule] of rules) {
      const s4 = score(cs, rule, 4),
        s8 = score(cs, rule, 8);
      console.log(
        `  ${name.padEnd(34)} ${s4.toFixed(3)} / ${s8.toFixed(3)}   ×best ${(s4 / b4).toFixed(3)} / ${(s8 / b8).toFixed(3)}`,
      );
    }
  }
}

if (process.argv[1]?.endsWith('forecast-rules.ts')) {
  if (!process.env.BENCH_SERIES_DIR) {
    console.log(
      'forecast-rules: set BENCH_SERIES_DIR to a folder of weekly*.csv series (see /work/realdata/README.md)',
    );
    process.exit(0);
  }
  const cases = loadCases();
  const cand =
    (m: string): Rule =>
    (c) =>
      c.cands[m] ?? null;
  table(cases, [
    ['weisu', (c) => c.weisu],
    ...['blend', 'direct', 'ets', 'comb_sa', 'ets_log', 'seasonal_damped', 'theta', 'damped', 'glm'].map(
      (m): [string, Rule] => [m, cand(m)],
    ),
  ]);
}
