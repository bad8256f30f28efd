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

type Errors = Array<Array<[number, number]>>;

/** Mean absolute error of backtest errors over their first `origins` origins, horizons 1–8. */
function maeOf(e: Errors | undefined, origins: number): number {
  if (!e || e[0].length < 3) return NaN;
  let a = 0,
    n = 0;
  for (let j = 0; j < 8; j++)
    for (const [x, f] of e[j].slice(0, origins)) {
      a += Math.abs(x - f);
      n++;
    }
  return n ? a / n : NaN;
}

/** Inverse-MSE^(p/2) weights of `models` over origins from..from+K−1 (the engine's blend: p 2, K 2). */
function weightsOf(errs: Record<string, Errors>, models: string[], from: number, K: number, p: number): number[] {
  const w = models.map((m) => {
    let sq = 0,
      n = 0;
    for (let j = 0; j < 8; j++)
      for (const [x, f] of errs[m][j].slice(from, from + K)) {
        sq += (x - f) ** 2;
        n++;
      }
    return n ? (n / Math.max(sq, 1e-9)) ** (p / 2) : 1;
  });
  const t = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / t);
}

/** The combination of set S weighted by each series' own errors at its latest K origins, shrunk λ toward equal. */
export function inverseError(S: string[], K: number, p: number, lambda = 0): Rule {
  return (c) => {
    const ms = S.filter((m) => c.cands[m] && c.errors[m] && c.errors[m][0].length >= K);
    if (!ms.length) return c.cands.ets ?? c.weisu;
    const w = weightsOf(c.errors, ms, 0, K, p).map((v) => (1 - lambda) * v + lambda / ms.length);
    return Array.from({ length: 8 }, (_, k) => ms.reduce((a, m, i) => a + w[i] * c.cands[m][k], 0));
  };
}

/** That combination's backtest: at origin i, weights from origins i+2 … (as the engine's blendScore). */
function combinationErrors(c: Case, S: string[], K: number, p: number): Errors | null {
  const ms = S.filter((m) => c.errors[m] && c.errors[m][0].length >= 3);
  if (ms.length < 2) return null;
  const L = Math.min(...ms.map((m) => c.errors[m][0].length));
  const out: Errors = Array.from({ length: 8 }, () => []);
  for (let o = 0; o + 2 < L; o++) {
    const w = weightsOf(c.errors, ms, o + 2, K, p);
    for (let j = 0; j < 8; j++)
      out[j].push([c.errors[ms[0]][j][o][0], ms.reduce((a, m, q) => a + w[q] * c.errors[m][j][o][1], 0)]);
  }
  return out;
}

/**
 * A store's pooled choice (per source and origin, as the real bench forecasts a file's series together) among P,
 * where 'comb' is the combination of S; the best of P by the geometric mean of backtest error over the damped
 * trend's (no point forecast of a level shift: the candidates' own forecasts). `final`: the combination's forecast
 * where it is chosen (default: inverse MSE of S at the latest K origins).
 */
export function pooledChoice(cases: Case[], P: string[], S: string[], K = 2, p = 2, final?: Rule): Rule {
  const groups = new Map<string, Case[]>();
  for (const c of cases) groups.set(`${c.source}|${c.origin}`, [...(groups.get(`${c.source}|${c.origin}`) ?? []), c]);
  const chosen = new Map<Case, string>();
  for (const g of groups.values()) {
    const sums = new Map<string, [number, number]>();
    let voters = 0;
    for (const c of g) {
      const errs: Record<string, Errors> = { ...c.errors };
      const ce = combinationErrors(c, S, K, p);
      if (ce) errs.comb = ce;
      const common = Math.min(
        ...Object.values(errs)
          .filter((e) => e[0].length >= 3)
          .map((e) => e[0].length),
      );
      const ref = maeOf(errs.damped, common);
      if (!(ref > 0)) continue;
      voters++;
      for (const m of P) {
        const v = maeOf(errs[m], common);
        if (!(v > 0)) continue;
        const acc = sums.get(m) ?? [0, 0];
        acc[0] += Math.log(v / ref);
        acc[1]++;
        sums.set(m, acc);
      }
    }
    let best = 'damped',
      bestMean = Infinity;
    for (const [m, [l, n]] of sums) if (n >= voters / 2 && l / n < bestMean) [best, bestMean] = [m, l / n];
    for (const c of g) chosen.set(c, best);
  }
  const comb = final ?? inverseError(S, K, p);
  return (c) => {
    const m = chosen.get(c)!;
    return m === 'comb' ? comb(c) : (c.cands[m] ?? c.cands.damped ?? c.weisu);
  };
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
  const six = ['direct', 'ets', 'combo', 'glm', 'comb_sa', 'ets_log'];
  table(cases, [
    ['weisu', (c) => c.weisu],
    ...['blend', 'direct', 'ets', 'comb_sa', 'ets_log', 'seasonal_damped', 'theta', 'damped', 'glm'].map(
      (m): [string, Rule] => [m, cand(m)],
    ),
    ['inverse MSE {direct, ets} K2', inverseError(['direct', 'ets'], 2, 2)],
    ['inverse MSE {direct, ets} K2 λ0.3', inverseError(['direct', 'ets'], 2, 2, 0.3)],
    ['inverse MSE six K2', inverseError(six, 2, 2)],
    ['pooled round 4 + six', pooledChoice(cases, ['direct', 'combo', 'comb', 'damped', 'glm', 'glm_level'], six)],
    ['pooled {six, glm, glm_level}', pooledChoice(cases, ['comb', 'glm', 'glm_level'], six)],
  ]);
}
