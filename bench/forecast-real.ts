/**
 * The real-series part of `npm run bench:forecast` (BENCH_SERIES_DIR): weisu beside R's ets, stlf, prophet and the
 * 52-week seasonal naive on public weekly count series nobody here wrote. See bench/forecast.ts for the options.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { configFrom } from '../src/store/config.js';
import { modelContext } from '../src/forecast/engine.js';
import { dayNum, dayStr } from '../src/forecast/features.js';
import { forecastPooled, forecastSeries, type Weekly } from '../src/forecast/models.js';
import { seasonalNaiveScale } from '../src/forecast/backtest.js';
import { surgeFromSeries } from '../src/forecast/surge.js';
import { sustainedStart } from '../src/forecast/series.js';

export interface Named extends Weekly {
  key: string;
  source: string;
}

const H = 8;

/** Every weekly*.csv under dir (key,week_start,y), one series per key; keys are prefixed by nothing (unique). */
export function readSeries(dir: string): Named[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/^weekly.*\.csv$/.test(f)) files.push(p);
    }
  };
  walk(dir);
  const out: Named[] = [];
  for (const file of files.sort()) {
    const by = new Map<string, Map<number, number>>();
    for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
      const [key, week, y] = line.split(',');
      const m = by.get(key) ?? new Map<number, number>();
      m.set(dayNum(week), Number(y));
      by.set(key, m);
    }
    for (const [key, m] of by) {
      const weeks = [...m.keys()].sort((a, b) => a - b);
      const y: number[] = [];
      for (let w = weeks[0]; w <= weeks[weeks.length - 1]; w += 7) y.push(m.get(w) ?? 0);
      out.push({ key, source: file.slice(dir.length + 1), start: weeks[0], y });
    }
  }
  return out;
}

/** R's anchors (ETS, stlf, Prophet) on identical series and origins: series CSV, origins CSV → forecasts CSV. */
export const R_SCRIPT = `
suppressMessages({ library(forecast); library(prophet) })
args <- commandArgs(trailingOnly = TRUE)
series <- read.csv(args[1], stringsAsFactors = FALSE)
origins <- read.csv(args[2], stringsAsFactors = FALSE)
hmax <- as.integer(args[4])
out <- list()
for (i in seq_len(nrow(origins))) {
  key <- origins$key[i]; origin <- as.Date(origins$origin[i])
  s <- series[series$key == key, ]
  s$week_start <- as.Date(s$week_start)
  train <- s[s$week_start < origin, ]
  y <- ts(train$y, frequency = 52)
  f_ets <- tryCatch(as.numeric(forecast(ets(y), h = hmax)$mean), error = function(e) rep(NA, hmax))
  f_stl <- tryCatch(as.numeric(stlf(y, h = hmax)$mean), error = function(e) rep(NA, hmax))
  f_pro <- tryCatch({
    m <- prophet(data.frame(ds = train$week_start, y = train$y), yearly.seasonality = TRUE, weekly.seasonality = FALSE,
                 daily.seasonality = FALSE)
    fut <- data.frame(ds = origin + 7 * (0:(hmax - 1)))
    as.numeric(predict(m, fut)$yhat)
  }, error = function(e) rep(NA, hmax))
  out[[i]] <- data.frame(key = key, origin = origins$origin[i], horizon = 1:hmax, ets = f_ets, stlf = f_stl, prophet = f_pro)
}
write.csv(do.call(rbind, out), args[3], row.names = FALSE)
`;

/** R's forecasts for every (series, origin), from the cache when the same inputs ran before. */
export function rForecasts(series: Named[], origins: Map<string, number[]>): Map<string, Record<string, number>> {
  const seriesCsv = ['key,week_start,y'];
  for (const s of series) s.y.forEach((v, i) => seriesCsv.push(`${s.key},${dayStr(s.start + 7 * i)},${v}`));
  const originCsv = ['key,origin'];
  for (const [k, os] of origins) for (const o of os) originCsv.push(`${k},${dayStr(o)}`);
  const hash = createHash('sha1')
    .update(seriesCsv.join('\n') + originCsv.join('\n') + R_SCRIPT)
    .digest('hex')
    .slice(0, 12);
  const cache = join(tmpdir(), `weisu-bench-forecast-real-r-${hash}.csv`);
  const out = new Map<string, Record<string, number>>();
  if (!existsSync(cache)) {
    const work = join(tmpdir(), `weisu-bench-forecast-real-${process.pid}`);
    spawnSync('mkdir', ['-p', work]);
    writeFileSync(join(work, 'series.csv'), seriesCsv.join('\n') + '\n');
    writeFileSync(join(work, 'origins.csv'), originCsv.join('\n') + '\n');
    writeFileSync(join(work, 'anchors.R'), R_SCRIPT);
    const t0 = performance.now();
    const r = spawnSync(
      'Rscript',
      [join(work, 'anchors.R'), join(work, 'series.csv'), join(work, 'origins.csv'), cache, String(H)],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    if (r.status !== 0) {
      console.log(`real: Rscript failed: ${r.stderr.split('\n').slice(-5).join(' ')}`);
      return out;
    }
    console.log(
      `real: R anchors for ${originCsv.length - 1} series × origins in ${((performance.now() - t0) / 1000).toFixed(0)}s`,
    );
  } else console.log(`real: R anchors from the cache ${cache}`);
  for (const line of readFileSync(cache, 'utf8').trim().split('\n').slice(1)) {
    const [key, origin, h, ets, stlf, prophet] = line.split(',').map((v) => v.replace(/^"|"$/g, ''));
    out.set(`${key}|${origin}|${h}`, { ets: Number(ets), stlf: Number(stlf), prophet: Math.max(0, Number(prophet)) });
  }
  return out;
}

interface Row {
  key: string;
  origin: number;
  h: number;
  actual: number;
  scale: number;
  /** weisu's chosen model. */
  model: string;
  f: Record<string, number>;
  inside: boolean;
}

const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);

/** Mean MASE over horizons 1..hh of one method on the given rows. */
function mase(rows: Row[], m: string): number {
  return mean(rows.map((r) => Math.abs(r.actual - r.f[m]) / r.scale));
}

function report(rows: Row[], methods: string[], series: Named[]): void {
  const anchors = methods.filter((m) => m !== 'weisu');
  for (const hh of [4, 8]) {
    const rs = rows.filter((r) => r.h <= hh && methods.every((m) => Number.isFinite(r.f[m])));
    const overall: Record<string, number> = {};
    for (const m of methods) overall[m] = mase(rs, m);
    const best = anchors.reduce((a, b) => (overall[b] < overall[a] ? b : a));
    // per series: weisu over the best anchor on that series
    const ratios: Array<{ key: string; ratio: number; best: string }> = [];
    for (const s of series) {
      const mine = rs.filter((r) => r.key === s.key);
      if (!mine.length) continue;
      const per: Record<string, number> = {};
      for (const m of methods) per[m] = mase(mine, m);
      const b = anchors.reduce((a, c) => (per[c] < per[a] ? c : a));
      ratios.push({ key: s.key, ratio: per.weisu / Math.max(per[b], 1e-9), best: b });
    }
    const geo = Math.exp(mean(ratios.map((r) => Math.log(Math.max(r.ratio, 1e-6)))));
    const geoVsBest = Math.exp(
      mean(
        series
          .map((s) => rs.filter((r) => r.key === s.key))
          .filter((mine) => mine.length)
          .map((mine) => Math.log(Math.max(mase(mine, 'weisu'), 1e-9) / Math.max(mase(mine, best), 1e-9))),
      ),
    );
    const cover = mean(rs.map((r) => (r.inside ? 1 : 0)));
    console.log(
      `real h1..${hh}: ${ratios.length} series, ${rs.length} points; mean MASE ${methods.map((m) => `${m} ${overall[m].toFixed(3)}`).join(', ')}`,
    );
    console.log(
      `  weisu / best anchor (${best}): ${(overall.weisu / overall[best]).toFixed(3)} (ratio of means), ${geoVsBest.toFixed(3)} (geometric mean of per-series ratios to ${best}), ${geo.toFixed(3)} (geometric mean vs each series' own best anchor); 80% coverage ${(cover * 100).toFixed(1)}%`,
    );
    if (hh === 8) {
      const byH = Array.from({ length: 8 }, (_, j) =>
        mean(rs.filter((r) => r.h === j + 1).map((r) => (r.inside ? 1 : 0))),
      );
      const bySource = [...new Set(series.map((x) => x.source))].map((src) => {
        const keys = new Set(series.filter((x) => x.source === src).map((x) => x.key));
        return `${src} ${(100 * mean(rs.filter((r) => keys.has(r.key)).map((r) => (r.inside ? 1 : 0)))).toFixed(1)}%`;
      });
      console.log(
        `  coverage by horizon: ${byH.map((c) => (100 * c).toFixed(0) + '%').join(' ')}; by source: ${bySource.join(', ')}`,
      );
    }
    const worst = ratios.sort((a, b) => b.ratio - a.ratio).slice(0, 6);
    console.log(
      `  worst series vs their best anchor: ${worst.map((w) => `${w.key} ${w.ratio.toFixed(2)} (${w.best})`).join(', ')}`,
    );
    const above = ratios.filter((r) => r.ratio > 1.5);
    console.log(
      `  series above 1.5×: ${above.length}${above.length ? ` (${above.map((r) => r.key).join(', ')})` : ''}`,
    );
    // the hotline sources pooled (BENCH_REAL_HOTLINE: a regex of their paths; default the NYC 311 / Council files)
    const hotline = new RegExp(process.env.BENCH_REAL_HOTLINE ?? 'nyc');
    const groups = [...new Set(series.map((x) => x.source))].map((src): [string, (x: Named) => boolean] => [
      src,
      (x) => x.source === src,
    ]);
    if (series.some((x) => hotline.test(x.source))) groups.push(['hotline', (x) => hotline.test(x.source)]);
    for (const [src, member] of groups) {
      const keys = new Set(series.filter(member).map((x) => x.key));
      const mine = rs.filter((r) => keys.has(r.key));
      const per = methods.map((m) => `${m} ${mase(mine, m).toFixed(3)}`).join(', ');
      const b = anchors.reduce((a, c) => (mase(mine, c) < mase(mine, a) ? c : a));
      const cover = (100 * mean(mine.map((r) => (r.inside ? 1 : 0)))).toFixed(1);
      console.log(
        `  ${src} (${keys.size} series): ${per}; weisu / ${b} ${(mase(mine, 'weisu') / mase(mine, b)).toFixed(3)}; coverage ${cover}%`,
      );
    }
    if (hh === 8) {
      const chosen = new Map<string, number>();
      for (const r of rs) if (r.h === 1) chosen.set(r.model, (chosen.get(r.model) ?? 0) + 1);
      console.log(`  models chosen: ${[...chosen].map(([m, c]) => `${m} ${c}`).join(', ')}`);
    }
  }
}

/** Surge warnings at origins every 4 weeks over the last two years; a false one: the warned peak ≥ 2× what came. */
function surgeCheck(series: Named[], ctx: ReturnType<typeof modelContext>): void {
  let checks = 0,
    warned = 0,
    falseAlarms = 0;
  const examples: string[] = [];
  // per source: checks, warnings, false ones
  const bySource = new Map<string, [number, number, number]>();
  for (const s of series) {
    const tally = bySource.get(s.source) ?? [0, 0, 0];
    bySource.set(s.source, tally);
    const n = s.y.length;
    for (let o = n - 104; o <= n - H; o += 4) {
      if (o < 60) continue;
      const seen = { start: s.start, y: s.y.slice(0, o) };
      const f = forecastSeries(seen, H, ctx);
      checks++;
      tally[0]++;
      const surge = surgeFromSeries(seen, f, ctx.cfg.surge, ctx.holidays ?? []);
      if (!surge) continue;
      warned++;
      tally[1]++;
      const k0 = Math.round((dayNum(surge.details.wave_start) - (s.start + 7 * o)) / 7);
      const k1 = Math.round((dayNum(surge.details.peak_week) - (s.start + 7 * o)) / 7);
      const came = Math.max(...s.y.slice(o + Math.max(0, k0 - 1), o + k1 + 2));
      if (surge.details.peak_yhat >= 2 * Math.max(came, 1)) {
        falseAlarms++;
        tally[2]++;
        if (examples.length < 5)
          examples.push(
            `${s.key}@${dayStr(s.start + 7 * o)} warned ${Math.round(surge.details.peak_yhat)} came ${came}`,
          );
      }
    }
  }
  // each check covers the 4 weeks until the next origin: a series-month
  console.log(
    `real surge: ${checks} series-months checked, ${warned} warnings, ${falseAlarms} false (peak ≥ 2× what came) = ${((100 * falseAlarms) / Math.max(1, checks)).toFixed(2)} per 100 series-months${examples.length ? `; e.g. ${examples.join('; ')}` : ''}`,
  );
  for (const [src, [c, w, f]] of bySource)
    console.log(
      `  ${src}: ${c} series-months, ${w} warnings, ${f} false = ${((100 * f) / Math.max(1, c)).toFixed(2)} per 100`,
    );
}

/**
 * The real series under dir, each from its sustained start (forecast/series.ts), for every method alike.
 * BENCH_REAL_FILES=<regex>: only the files whose path under dir matches (e.g. `nyc|chicago`), so a new source can be
 * measured without R refitting the others; unset, every file (and R's cache key is what it was).
 */
export function realSeries(dir: string): Named[] {
  const only = process.env.BENCH_REAL_FILES ? new RegExp(process.env.BENCH_REAL_FILES) : null;
  const all = readSeries(dir).filter((s) => !only || only.test(s.source));
  return all.map((s) => {
    const from = sustainedStart(s.y);
    return { ...s, start: s.start + 7 * from, y: s.y.slice(from) };
  });
}

/**
 * BENCH_REAL_ORIGINS origins BENCH_REAL_STEP weeks apart, the last H weeks before each series' end (≥ 2 years in).
 * BENCH_REAL_BEFORE=w moves every origin w weeks earlier: with w = 56 the origins lie wholly before the test
 * origins' first forecast week — a development set to choose rules on without looking at the test origins.
 */
export function realOrigins(series: Named[]): Map<string, number[]> {
  const nOrigins = Number(process.env.BENCH_REAL_ORIGINS ?? 6);
  const step = Number(process.env.BENCH_REAL_STEP ?? 8);
  const before = Number(process.env.BENCH_REAL_BEFORE ?? 0);
  const origins = new Map<string, number[]>();
  for (const s of series) {
    const n = s.y.length;
    const os: number[] = [];
    for (let k = 0; k < nOrigins; k++) {
      const o = n - H - before - k * step;
      if (o >= 104) os.push(s.start + 7 * o);
    }
    origins.set(s.key, os);
  }
  return origins;
}

export async function realRun(dir: string): Promise<void> {
  const series = realSeries(dir);
  // BENCH_REAL_FORECAST: JSON merged over the forecast section (to try settings on the same series)
  const extra = JSON.parse(process.env.BENCH_REAL_FORECAST ?? '{}') as Record<string, unknown>;
  const config = configFrom({ forecast: { calendar: 'none', ...extra } });
  const ctx = modelContext(config);
  console.log(`real: ${series.length} series from ${new Set(series.map((s) => s.source)).size} files under ${dir}`);
  const origins = realOrigins(series);
  const t0 = performance.now();
  const rows: Row[] = [];
  // the series of one file at one origin are one store's: forecast together, the default model chosen pooled
  const groups = new Map<string, Named[]>();
  for (const s of series)
    for (const o of origins.get(s.key)!) {
      const g = `${s.source}|${o}`;
      groups.set(g, [...(groups.get(g) ?? []), s]);
    }
  for (const [g, members] of groups) {
    const o = Number(g.slice(g.lastIndexOf('|') + 1));
    const seen = members.map((s) => ({ start: s.start, y: s.y.slice(0, (o - s.start) / 7) }));
    const fs = forecastPooled(seen, H, ctx);
    members.forEach((s, i) => {
      const n = seen[i].y.length;
      const f = fs[i];
      const scale = seasonalNaiveScale(seen[i].y);
      for (let h = 1; h <= H; h++) {
        const p = f.points[h - 1];
        const actual = s.y[n + h - 1];
        rows.push({
          key: s.key,
          origin: o,
          h,
          actual,
          scale,
          model: f.model,
          f: { weisu: p.yhat, snaive: s.y[n + h - 1 - 52] },
          inside: actual >= p.lo && actual <= p.hi,
        });
      }
    });
  }
  console.log(`real: weisu ${rows.length / H} forecasts in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  const methods = ['weisu', 'snaive'];
  if (!(process.env.BENCH_SKIP ?? '').split(',').includes('r')) {
    const rf = rForecasts(series, origins);
    if (rf.size) {
      methods.push('ets', 'stlf', 'prophet');
      for (const r of rows) Object.assign(r.f, rf.get(`${r.key}|${dayStr(r.origin)}|${r.h}`) ?? {});
    }
  }
  report(
    rows.filter((r) => r.scale > 0),
    methods,
    series,
  );
  // BENCH_SKIP=surge: the accuracy figures alone (the surge check forecasts 1,800 more series-origins)
  if (!(process.env.BENCH_SKIP ?? '').split(',').includes('surge')) surgeCheck(series, ctx);
}
