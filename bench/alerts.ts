/**
 * npm run bench:alerts — three parts, each printing its figures:
 *  1. speed: every alert kind for 3 years × 200 categories × 300 streets (daily_counts built in SQL);
 *  2. backtest on a generated demo city with planted truth (POD, delay, false alarms per 100 quiet units);
 *  3. the same series through R's surveillance::farringtonFlexible and EARS C1–C3, scored by the same rules.
 *
 * Options (env): BENCH_SCALE (demo city volume, default 0.3), BENCH_CITY (reuse a generated city folder),
 * BENCH_WEEKS (backtest weeks, default 52), BENCH_R_UNITS (series sent to R, default 600), BENCH_SKIP=speed|r,
 * BENCH_DB (keep the loaded demo store), BENCH_SWEEP=1 (instead of the backtest: run the count tests once per
 * week and score a grid of decision rules — FDR level and families, effect-size and trend gates — on them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Store } from '../src/store/db.js';
import { configFrom } from '../src/store/config.js';
import { addDays } from '../src/store/dates.js';
import { decideCountAlerts, detectAlerts, runCountTests, type CountTests } from '../src/detect/compute.js';
import {
  backtestAlerts,
  formatReport,
  Relations,
  scoreBacktest,
  type Unit,
  type WeekOutput,
} from '../src/detect/backtest.js';
import { currentWeek } from '../src/detect/series.js';
import type { Truth } from '../src/synth/truth.js';
import { loadDemoOrders } from '../test/detect/demo-city.js';

const skip = new Set((process.env.BENCH_SKIP ?? '').split(','));
const work = join(tmpdir(), `weisu-bench-alerts-${process.pid}`);
mkdirSync(work, { recursive: true });
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function speed(): Promise<void> {
  const store = await Store.open(join(work, 'speed.duckdb'));
  const t0 = performance.now();
  // 200 level-2 categories in 16 level-1, 300 streets in 12 districts, 3 years; each series has its own
  // log-normal daily rate (busy and quiet streets), total ≈ 20,000 orders a day; zero days are absent, as in
  // the real table
  await store.exec(`
    CREATE TEMP TABLE bench_series AS
    SELECT c, s, 'L' || (c % 16) AS cat1, 'L' || (c % 16) || '/C' || c AS cat2, 'D' || (s % 12) AS district, 'S' || s AS street,
           0.33 * exp(1.0 * sqrt(-2 * ln(random())) * cos(2 * pi() * random()) - 0.5) AS rate_per_day
    FROM range(200) r1(c), range(300) r2(s)`);
  await store.exec(`
    INSERT INTO daily_counts
    SELECT day, cat1, cat2, district, street, n, 0, 0, 0, n FROM (
      SELECT d::DATE AS day, cat1, cat2, district, street,
             CASE WHEN rate_per_day < 1 THEN (random() < rate_per_day)::INTEGER
                  ELSE greatest(0, round(rate_per_day + sqrt(rate_per_day) * sqrt(-2 * ln(random())) * cos(2 * pi() * random())))::INTEGER END AS n
      FROM bench_series, range(DATE '2023-01-02', DATE '2026-01-05', INTERVAL 1 DAY) r(d)
    ) WHERE n > 0`);
  const rows = (await store.value<number>('SELECT count(*) FROM daily_counts')) ?? 0;
  const orders = (await store.value<number>('SELECT sum(n) FROM daily_counts')) ?? 0;
  console.log(
    `speed: daily_counts built: ${rows.toLocaleString()} rows, ${orders.toLocaleString()} orders in ${((performance.now() - t0) / 1000).toFixed(1)}s`,
  );
  const config = configFrom({ detect: { newTopic: { enabled: false } } });
  const times: number[] = [];
  let last = { alerts: 0, series: 0, tests: {} as Record<string, number> };
  for (const asOf of ['2026-01-05', '2025-12-29', '2025-12-22']) {
    const t = performance.now();
    const r = await detectAlerts(store, asOf, config);
    times.push((performance.now() - t) / 1000);
    last = { alerts: r.alerts.length, series: r.tested.length, tests: r.tests };
  }
  times.sort((a, b) => a - b);
  console.log(
    `speed: all count alerts (yoy, mom, trend, spike) for 200 categories × 300 streets × 3 years: median ${times[1].toFixed(1)}s of 3 runs ` +
      `(${times.map((x) => x.toFixed(1)).join(', ')}), ${last.series.toLocaleString()} series tested, tests ${JSON.stringify(last.tests)}, ${last.alerts} alerts, peak RSS ${rss()} MB`,
  );
  store.close();
}

interface City {
  files: string[];
  truth: Truth;
  cityName: string;
}

async function demoCity(): Promise<City> {
  const dir = process.env.BENCH_CITY ?? join(work, 'city');
  const truthFile = join(dir, 'truth.json');
  if (!existsSync(truthFile)) {
    const { generateCity } = await import('../src/synth/index.js');
    const t = performance.now();
    await generateCity({ outDir: dir, seed: 12345, scale: Number(process.env.BENCH_SCALE ?? 0.3) });
    console.log(`demo city generated in ${((performance.now() - t) / 1000).toFixed(1)}s (${dir})`);
  }
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Truth;
  const { readdirSync } = await import('node:fs');
  const parquet = readdirSync(dir)
    .filter((f) => /^orders-\d{4}\.parquet$/.test(f))
    .map((f) => join(dir, f));
  return { files: parquet, truth, cityName: truth.city };
}

const R_SCRIPT = String.raw`
suppressPackageStartupMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE)
weeks <- sort(unique(d$week))
units <- sort(unique(d$unit))
obs <- matrix(0L, nrow = length(weeks), ncol = length(units))
obs[cbind(match(d$week, weeks), match(d$unit, units))] <- d$n
targets <- as.Date(readLines(args[2]))
dates <- as.Date(weeks)
range <- match(targets, dates)
range <- range[!is.na(range)]
out <- list()
s <- sts(observed = obs, epoch = dates, epochAsDate = TRUE, frequency = 52)
t0 <- Sys.time()
ff <- farringtonFlexible(s, control = list(range = range, b = 2, w = 3, reweight = TRUE, weightsThreshold = 2.58,
  pastWeeksNotIncluded = 26, noPeriods = 10, pThresholdTrend = 0.05, thresholdMethod = "nbPlugin", alpha = 0.01))
tf <- as.numeric(difftime(Sys.time(), t0, units = "secs"))
al <- which(alarms(ff) == 1, arr.ind = TRUE)
if (nrow(al)) out[[length(out) + 1]] <- data.frame(method = "farringtonFlexible", week = as.character(dates[range][al[, 1]]), unit = units[al[, 2]])
# stricter thresholds from the same fit, so methods can be compared at equal false-alarm rates: an alarm at alpha is
# a p-value below alpha (control$pvalue, P(Y >= observed) under the fitted negative binomial), with the fit's own
# limit54 rule (no alarm unless >= 5 cases in the last 4 weeks)
pv <- ff@control$pvalue
last4 <- sapply(seq_len(ncol(obs)), function(j) sapply(range, function(i) sum(obs[max(1, i - 3):i, j])))
for (a in c(0.003, 0.001, 3e-4, 1e-4)) {
  al <- which(!is.na(pv) & pv < a & last4 >= 5, arr.ind = TRUE)
  if (nrow(al)) out[[length(out) + 1]] <- data.frame(method = sprintf("farringtonFlexible a=%g", a), week = as.character(dates[range][al[, 1]]), unit = units[al[, 2]])
}
te <- c()
for (m in c("C1", "C2", "C3")) {
  t0 <- Sys.time()
  e <- earsC(s, control = list(range = range, method = m, alpha = 0.001, baseline = 7))
  te <- c(te, as.numeric(difftime(Sys.time(), t0, units = "secs")))
  al <- which(alarms(e) == 1, arr.ind = TRUE)
  if (nrow(al)) out[[length(out) + 1]] <- data.frame(method = paste0("EARS ", m), week = as.character(dates[range][al[, 1]]), unit = units[al[, 2]])
  for (a in c(1e-4, 1e-5)) {
    al <- which(alarms(earsC(s, control = list(range = range, method = m, alpha = a, baseline = 7))) == 1, arr.ind = TRUE)
    if (nrow(al)) out[[length(out) + 1]] <- data.frame(method = sprintf("EARS %s a=%g", m, a), week = as.character(dates[range][al[, 1]]), unit = units[al[, 2]])
  }
}
res <- if (length(out)) do.call(rbind, out) else data.frame(method = character(), week = character(), unit = integer())
write.csv(res, args[3], row.names = FALSE)
cat(sprintf("R: farringtonFlexible %.1fs, EARS C1/C2/C3 %s s on %d series x %d weeks\n", tf, paste(sprintf("%.1f", te), collapse = "/"), length(units), length(range)))
`;

async function backtestAndR(): Promise<void> {
  const city = await demoCity();
  const dbFile = process.env.BENCH_DB ?? join(work, 'demo.duckdb');
  const fresh = !existsSync(dbFile);
  const store = await Store.open(dbFile);
  let t = performance.now();
  if (fresh) {
    const orders = await loadDemoOrders(store, city.files);
    console.log(
      `demo city: ${orders.toLocaleString()} orders loaded in ${((performance.now() - t) / 1000).toFixed(1)}s`,
    );
  }
  const config = configFrom({ city: { name: city.cityName } });
  if (process.env.BENCH_SWEEP) return sweep(store, city);
  const end = city.truth.end;
  const to = addDays(end, -1);
  const weeks = Number(process.env.BENCH_WEEKS ?? 52);
  const from = addDays(to, -7 * weeks);
  t = performance.now();
  const { report, outputs } = await backtestAlerts(store, config, city.truth, from, to, (done, total) => {
    if (done % 10 === 0 || done === total)
      console.error(`  backtest week ${done}/${total} (${((performance.now() - t) / 1000).toFixed(0)}s)`);
  });
  for (const line of formatReport(report)) console.log(line);
  console.log(
    `backtest: ${outputs.length} weekly runs in ${((performance.now() - t) / 1000).toFixed(1)}s, peak RSS ${rss()} MB`,
  );
  writeFileSync(join(work, 'backtest-weisu.json'), JSON.stringify(report, null, 2));

  if (skip.has('r')) return;
  const hasR = spawnSync('Rscript', ['-e', 'suppressPackageStartupMessages(library(surveillance))'], {
    encoding: 'utf8',
  });
  if (hasR.status !== 0) {
    console.log(
      `R comparison skipped: Rscript with surveillance not available (apt-get install -y r-cran-surveillance): ${hasR.stderr?.split('\n')[0] ?? ''}`,
    );
    return;
  }
  // the same units for every method: all series weisu tested that relate to an event, plus a fixed sample of the rest
  const rel = await Relations.load(store, city.cityName);
  const unitKey = (u: Unit) => `${u.category}|${u.scope.level}|${u.scope.district ?? ''}|${u.scope.name}`;
  const all = new Map<string, Unit>();
  for (const o of outputs) for (const u of o.units) all.set(unitKey(u), u);
  const related = (u: Unit) =>
    city.truth.events.some(
      (e) => rel.categoryRelated(u.category, e.category) && rel.scopeRelated(u.scope, rel.eventScope(e)),
    );
  const keys = [...all.keys()].sort();
  const want = Number(process.env.BENCH_R_UNITS ?? 600);
  const chosen = keys.filter((k) => related(all.get(k)!));
  const others = keys.filter((k) => !related(all.get(k)!));
  // deterministic spread over the rest
  const step = Math.max(1, Math.floor(others.length / Math.max(1, want - chosen.length)));
  for (let i = 0; i < others.length && chosen.length < want; i += step) chosen.push(others[i]);
  const chosenSet = new Set(chosen);
  const unitIds = new Map(chosen.map((k, i) => [k, i + 1]));

  // weekly series of the chosen units, from the first full week of data to the last as-of
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE bench_units (id INTEGER, level INTEGER, category VARCHAR, scope_level VARCHAR, scope_name VARCHAR, district VARCHAR)`,
  );
  const unitRows = chosen.map((k) => {
    const u = all.get(k)!;
    return {
      id: unitIds.get(k)!,
      level: u.category.includes('/') ? 2 : 1,
      category: u.category,
      scope_level: u.scope.level,
      scope_name: u.scope.name,
      district: u.scope.district ?? null,
    };
  });
  await store.exec(
    `INSERT INTO bench_units SELECT * FROM (SELECT unnest(from_json($rows::JSON, '[{"id":"INTEGER","level":"INTEGER","category":"VARCHAR","scope_level":"VARCHAR","scope_name":"VARCHAR","district":"VARCHAR"}]'), recursive := true))`,
    { rows: JSON.stringify(unitRows) },
  );
  const firstMonday = (await store.value<string>(
    `SELECT (date_trunc('week', min(day)) + INTERVAL 7 DAY)::DATE::VARCHAR FROM daily_counts`,
  ))!;
  const csvFile = join(work, 'series.csv');
  await store.exec(`
    COPY (
      WITH weeks AS (SELECT w::DATE AS week FROM range(DATE '${firstMonday}', DATE '${currentWeek(outputs[outputs.length - 1].asOf)}' + 1, INTERVAL 7 DAY) r(w)),
      leaf AS (SELECT date_trunc('week', day)::DATE AS week, cat1, cat2, district, street, sum(n) AS n FROM daily_counts WHERE day >= DATE '${firstMonday}' GROUP BY ALL),
      matched AS (
        SELECT u.id, l.week, sum(l.n) AS n
        FROM bench_units u JOIN leaf l
          ON (CASE WHEN u.level = 1 THEN l.cat1 ELSE l.cat2 END) = u.category
         AND (u.scope_level = 'city'
              OR (u.scope_level = 'district' AND l.district = u.scope_name)
              OR (u.scope_level = 'street' AND l.street = u.scope_name AND l.district IS NOT DISTINCT FROM u.district))
        GROUP BY ALL
      )
      SELECT u.id AS unit, w.week::VARCHAR AS week, coalesce(m.n, 0)::INTEGER AS n
      FROM bench_units u CROSS JOIN weeks w LEFT JOIN matched m ON m.id = u.id AND m.week = w.week
      ORDER BY unit, week
    ) TO '${csvFile}' (HEADER)`);
  const targetsFile = join(work, 'targets.txt');
  writeFileSync(targetsFile, outputs.map((o) => currentWeek(o.asOf)).join('\n') + '\n');
  const rFile = join(work, 'compare.R');
  writeFileSync(rFile, R_SCRIPT);
  const alarmsFile = join(work, 'alarms.csv');
  t = performance.now();
  const r = spawnSync('Rscript', [rFile, csvFile, targetsFile, alarmsFile], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    console.log(`R failed: ${r.stderr}`);
    return;
  }
  process.stdout.write(r.stdout);
  const byId = new Map(chosen.map((k) => [unitIds.get(k)!, all.get(k)!]));
  const lines = readFileSync(alarmsFile, 'utf8').trim().split('\n').slice(1);
  const alarms = new Map<string, Map<string, Unit[]>>();
  for (const line of lines) {
    const [method, week, unit] = line.split(',').map((x) => x.replace(/^"|"$/g, ''));
    const m = alarms.get(method) ?? new Map<string, Unit[]>();
    const list = m.get(week) ?? [];
    list.push(byId.get(Number(unit))!);
    m.set(week, list);
    alarms.set(method, m);
  }
  const restrict = (o: WeekOutput): WeekOutput => ({
    asOf: o.asOf,
    units: o.units.filter((u) => chosenSet.has(unitKey(u))),
    alerts: o.alerts.filter((a) => chosenSet.has(unitKey(a))),
  });
  const reports = [
    scoreBacktest('weisu (same series)', outputs.map(restrict), city.truth, rel, from, to, report.seconds),
  ];
  // the published settings first, then the same methods at stricter thresholds (for a comparison at equal false alarms)
  const base = ['farringtonFlexible', 'EARS C1', 'EARS C2', 'EARS C3'];
  const stricter = [...alarms.keys()].filter((m) => !base.includes(m)).sort();
  for (const method of [...base, ...stricter]) {
    const m = alarms.get(method) ?? new Map<string, Unit[]>();
    const outs: WeekOutput[] = outputs.map((o) => {
      const wk = currentWeek(o.asOf);
      const units = restrict(o).units;
      return {
        asOf: o.asOf,
        units,
        alerts: (m.get(wk) ?? []).map((u) => ({
          category: u.category,
          scope: u.scope,
          kind: 'spike',
          window_start: wk,
          window_end: addDays(wk, 6),
        })),
      };
    });
    reports.push(scoreBacktest(method, outs, city.truth, rel, from, to, 0));
  }
  console.log(
    `\ncomparison on ${chosen.length} identical weekly series (all ${keys.filter((k) => related(all.get(k)!)).length} related to a planted event + a fixed spread of the rest), ${outputs.length} weeks:`,
  );
  console.log(
    '  method                 POD all  POD ≥+50%×4w  POD creeping  delay abrupt  delay creeping  false alarms /100 quiet',
  );
  for (const rep of reports) {
    const p = rep.pod;
    const f = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(2));
    console.log(
      `  ${rep.method.padEnd(22)} ${f(p.all?.pod).padStart(7)}  ${f(p.abrupt_ge50_4w?.pod).padStart(12)}  ${f(p.creeping?.pod).padStart(12)}  ${String(p.abrupt?.median_delay_weeks ?? '—').padStart(12)}  ${String(p.creeping?.median_delay_weeks ?? '—').padStart(14)}  ${rep.false_alarms.per_100.toFixed(2).padStart(8)} (${rep.false_alarms.alarms}/${rep.false_alarms.quiet_units})`,
    );
  }
  // at equal footing: each method's fastest setting whose false-alarm rate is no higher than weisu's
  const ours = reports[0];
  console.log(
    `\nat no more false alarms than weisu (${ours.false_alarms.per_100.toFixed(2)} /100): method, setting, POD all, delay abrupt / creeping`,
  );
  for (const family of ['farringtonFlexible', 'EARS C1', 'EARS C2', 'EARS C3']) {
    const within = reports.filter(
      (r) =>
        (r.method === family || r.method.startsWith(family + ' a=')) &&
        r.false_alarms.per_100 <= ours.false_alarms.per_100,
    );
    const d = (r: (typeof reports)[number]) =>
      (r.pod.abrupt?.median_delay_weeks ?? 99) + (r.pod.creeping?.median_delay_weeks ?? 99);
    const best = within.sort((a, b) => (b.pod.all?.pod ?? 0) - (a.pod.all?.pod ?? 0) || d(a) - d(b))[0];
    console.log(
      best
        ? `  ${best.method.padEnd(28)} FA ${best.false_alarms.per_100.toFixed(2)}, POD ${(best.pod.all?.pod ?? 0).toFixed(2)}, delay ${best.pod.abrupt?.median_delay_weeks ?? '—'} / ${best.pod.creeping?.median_delay_weeks ?? '—'}`
        : `  ${family.padEnd(28)} no setting tried stays within weisu's false-alarm rate`,
    );
  }
  writeFileSync(join(work, 'comparison.json'), JSON.stringify(reports, null, 2));
  console.log(`(details: ${work})`);
  store.close();
}

/** Decision rules tried by BENCH_SWEEP: each is a `detect` config section over the same raw tests. */
function sweepGrid(): { name: string; detect: Record<string, unknown> }[] {
  const off = { spike: 0, mom: 0, yoy: 0, trend: 0 };
  const grid: { name: string; detect: Record<string, unknown> }[] = [
    { name: 'defaults', detect: {} },
    {
      name: 'v1: BH .05 per kind only, cusum≥4 above≥4',
      detect: { fdr: 0.05, fdrFamilies: 'kind', alpha: off, trendMinCusum: 4, trendMinWeeksAbove: 4 },
    },
    { name: 'BH .1 per kind only', detect: { fdr: 0.1, alpha: off } },
    { name: 'BH .1 per kind × scope level only', detect: { fdr: 0.1, fdrFamilies: 'scope', alpha: off } },
    { name: 'BH .2 per kind only', detect: { fdr: 0.2, alpha: off } },
  ];
  for (const a of [3e-4, 1e-3, 2e-3])
    grid.push({ name: `BH .05 or p≤${a} (all kinds)`, detect: { alpha: { spike: a, mom: a, yoy: a, trend: a } } });
  for (const [s, m, y, t] of [
    [2e-3, 1e-3, 1e-4, 1e-3],
    [5e-3, 1e-3, 1e-4, 1e-3],
    [2e-3, 2e-3, 1e-4, 2e-3],
  ]) {
    grid.push({
      name: `BH .05 or p≤ spike ${s} mom ${m} yoy ${y} trend ${t}`,
      detect: { alpha: { spike: s, mom: m, yoy: y, trend: t } },
    });
  }
  // creeping rises: a looser trend test alone
  for (const t of [3e-3, 1e-2]) grid.push({ name: `defaults, trend p≤${t}`, detect: { alpha: { trend: t } } });
  grid.push({ name: 'defaults, trend p≤0.003, cusum≥2', detect: { alpha: { trend: 3e-3 }, trendMinCusum: 2 } });
  return grid;
}

async function sweep(store: Store, city: City): Promise<void> {
  const base = configFrom({ city: { name: city.cityName }, detect: { newTopic: { enabled: false } } });
  const to = addDays(city.truth.end, -1);
  const weeks = Number(process.env.BENCH_WEEKS ?? 52);
  const from = addDays(to, -7 * weeks);
  const rel = await Relations.load(store, city.cityName);
  const t = performance.now();
  const all: CountTests[] = [];
  const asOfs = (await import('../src/detect/backtest.js')).weeklyAsOfs(from, to);
  for (const [i, asOf] of asOfs.entries()) {
    all.push(await runCountTests(store, asOf, base));
    if ((i + 1) % 10 === 0 || i + 1 === asOfs.length)
      console.error(`  tests week ${i + 1}/${asOfs.length} (${((performance.now() - t) / 1000).toFixed(0)}s)`);
  }
  console.log(
    `sweep: count tests at ${asOfs.length} weekly as-ofs in ${((performance.now() - t) / 1000).toFixed(1)}s (new_topic not included: its event is scored separately)`,
  );
  console.log(
    '  rule                                                   POD cnt  POD ≥+50%×4w  abrupt d  creeping d  hotspot d  city d  FA/100  (alarms/quiet)',
  );
  const rows: unknown[] = [];
  for (const g of sweepGrid()) {
    const config = configFrom({ city: { name: city.cityName }, detect: { ...g.detect, newTopic: { enabled: false } } });
    const outputs: WeekOutput[] = all.map((tests) => ({
      asOf: tests.asOf,
      alerts: decideCountAlerts(tests, config).map((a) => ({
        category: a.category,
        scope: a.scope,
        kind: a.kind,
        window_start: a.window_start,
        window_end: a.window_end,
      })),
      units: tests.tested.map((s) => ({
        category: s.category,
        scope: { level: s.scopeLevel, name: s.scopeName, district: s.district },
      })),
    }));
    const truth = { ...city.truth, events: city.truth.events.filter((e) => e.kind !== 'new_topic') };
    const r = scoreBacktest(g.name, outputs, truth, rel, from, to, 0);
    const d = (k: string) => String(r.pod[k]?.median_delay_weeks ?? '—');
    const f = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(2));
    console.log(
      `  ${g.name.padEnd(54)} ${f(r.pod.all?.pod).padStart(7)}  ${f(r.pod.abrupt_ge50_4w?.pod).padStart(12)}  ${d('abrupt').padStart(8)}  ${d('creeping').padStart(10)}  ${d('hotspot').padStart(9)}  ${d('citywide').padStart(6)}  ${r.false_alarms.per_100.toFixed(2).padStart(6)}  (${r.false_alarms.alarms}/${r.false_alarms.quiet_units}) ${JSON.stringify(r.false_alarms.by_kind)}`,
    );
    rows.push({ rule: g, report: r });
  }
  writeFileSync(join(work, 'sweep.json'), JSON.stringify(rows, null, 2));
  console.log(`(details: ${join(work, 'sweep.json')})`);
  store.close();
}

if (!skip.has('speed')) await speed();
if (!skip.has('backtest')) await backtestAndR();
