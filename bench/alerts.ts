/**
 * npm run bench:alerts — three parts, each printing its figures:
 *  1. speed: every alert kind at every level for 3 years × 1,000 finest categories × 300 streets (BENCH_LEAVES,
 *     BENCH_STREETS; daily_leaf_counts and daily_counts built in SQL);
 *  2. backtest on a generated demo city with planted truth (POD, delay, false alarms per 100 quiet units);
 *  3. the same series through R's surveillance::farringtonFlexible and EARS C1–C3, scored by the same rules.
 *
 * Options (env): BENCH_SCALE (demo city volume, default 0.3), BENCH_CITY (reuse a generated city folder),
 * BENCH_WEEKS (backtest weeks, default 52), BENCH_R_UNITS (series sent to R, default 600), BENCH_SKIP=speed|r,
 * BENCH_DB (keep the loaded demo store), BENCH_SWEEP=1 (instead of the backtest: run the count tests once per
 * week and score a grid of decision rules — FDR level and families, effect-size and trend gates — on them),
 * BENCH_REAL_311 (a real daily 311 CSV: alarms per 100 series-weeks, weisu vs R, see realSeries), BENCH_UNSEEN=31,32,…
 * (seeds of generated cities no one tuned on, each with a planted rise of every class: the same curve, events pooled),
 * BENCH_R_CACHE (where R's alarms are kept for reuse on identical series), BENCH_SPEED_DB (the speed store an earlier
 * run built: detection alone in a fresh process), BENCH_TREND=0 (the baseline without its drift term),
 * BENCH_ALERTS_OUT (a file the speed part writes every as-of's alerts to, one JSON line each, sorted: two runs on the
 * same store compare with diff), BENCH_DETECT (a JSON `detect` section merged into every weisu run and curve point,
 * e.g. '{"minExpectedWeek":1}'), BENCH_CURVE_RULES=spikeSqrt,… (extra weisu curves drawn with the per-kind scalings of
 * CURVE_RULES against the same R points; each point's false alarms by kind printed).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Store } from '../src/store/db.js';
import { configFrom } from '../src/store/config.js';
import { addDays, weekStart } from '../src/store/dates.js';
import { decideCountAlerts, detectAlerts, runCountTests, type CountTests } from '../src/detect/compute.js';
import {
  eventCategory,
  formatReport,
  quietAt,
  Relations,
  scoreBacktest,
  weeklyAsOfs,
  weekOutput,
  type BacktestReport,
  type Unit,
  type WeekOutput,
} from '../src/detect/backtest.js';
import {
  curvePoint,
  formatCurve,
  formatEqualFalseAlarms,
  formatEventDelays,
  type CurvePoint,
} from '../src/detect/curve.js';
import { detectConfig } from '../src/detect/config.js';
import { detectNewTopics } from '../src/detect/new-topic.js';
import { currentWeek } from '../src/detect/series.js';
import { alarmsOf, markEpisodes, type EarlierAlarms } from '../src/detect/episodes.js';
import type { PlantedEvent, Truth } from '../src/synth/truth.js';
import { loadDemoOrders } from '../test/detect/demo-city.js';
import { generateCounts, loadCounts, unseenCity } from '../test/detect/gen.js';

/** BENCH_TREND=0: the baseline without its drift term (detect.baselineTrend off), for before/after figures. */
const BENCH_TREND = process.env.BENCH_TREND !== '0';
const skip = new Set((process.env.BENCH_SKIP ?? '').split(','));
const work = join(tmpdir(), `weisu-bench-alerts-${process.pid}`);
mkdirSync(work, { recursive: true });
const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function speed(): Promise<void> {
  // BENCH_SPEED_DB: a store an earlier speed run built (kept in its temp folder): detection alone, in a fresh process
  const reuse = process.env.BENCH_SPEED_DB;
  const store = await Store.open(reuse ?? join(work, 'speed.duckdb'));
  if (!reuse) await buildSpeedStore(store);
  const config = configFrom({ detect: { newTopic: { enabled: false }, baselineTrend: BENCH_TREND } });
  const times: number[] = [];
  const cpu: number[] = [];
  let last = { alerts: 0, series: 0, tests: {} as Record<string, number>, byLevel: {} as Record<number, number> };
  const dumped: string[] = [];
  for (const asOf of ['2026-01-05', '2025-12-29', '2025-12-22']) {
    const t = performance.now();
    const c = process.cpuUsage();
    const r = await detectAlerts(store, asOf, config);
    times.push((performance.now() - t) / 1000);
    // CPU seconds of this process (JS and DuckDB's threads): what the run costs on a machine shared with other jobs
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1e6);
    const byLevel: Record<number, number> = {};
    for (const s of r.tested) byLevel[s.level] = (byLevel[s.level] ?? 0) + 1;
    last = { alerts: r.alerts.length, series: r.tested.length, tests: r.tests, byLevel };
    if (process.env.BENCH_ALERTS_OUT) dumped.push(...r.alerts.map((a) => JSON.stringify({ asOf, ...a })));
  }
  if (process.env.BENCH_ALERTS_OUT) writeFileSync(process.env.BENCH_ALERTS_OUT, dumped.sort().join('\n') + '\n');
  times.sort((a, b) => a - b);
  console.log(
    `speed: all count alerts (yoy, mom, trend, spike) at every level: median ${times[1].toFixed(1)}s of 3 runs ` +
      `(${times.map((x) => x.toFixed(1)).join(', ')}; CPU ${cpu.map((x) => x.toFixed(1)).join(', ')} s, load ${(await import('node:os')).loadavg()[0].toFixed(1)}), ${last.series.toLocaleString()} series tested (by level ${JSON.stringify(last.byLevel)}), tests ${JSON.stringify(last.tests)}, ${last.alerts} alerts, peak RSS ${rss()} MB`,
  );
  store.close();
}

/** The speed store: 3 years × BENCH_LEAVES finest categories × BENCH_STREETS streets, in SQL. */
async function buildSpeedStore(store: Store): Promise<void> {
  const t0 = performance.now();
  // BENCH_LEAVES finest (level-3) categories, 5 to a level-2 one, the level-2 ones in 16 level-1; BENCH_STREETS streets
  // in 12 districts; 3 years. Each leaf × street has its own log-normal daily rate (busy and quiet streets), total ≈
  // 20,000 orders a day whatever the sizes; zero days are absent, as in the real tables. daily_counts is the level-2
  // roll-up of daily_leaf_counts, as the aggregate stage writes them.
  const leaves = Number(process.env.BENCH_LEAVES ?? 1000);
  const nStreets = Number(process.env.BENCH_STREETS ?? 300);
  const mean = 20000 / (leaves * nStreets);
  await store.exec(`
    CREATE TEMP TABLE bench_series AS
    SELECT c, s, 'L' || ((c // 5) % 16) AS cat1, 'L' || ((c // 5) % 16) || '/C' || (c // 5) AS cat2,
           'L' || ((c // 5) % 16) || '/C' || (c // 5) || '/F' || c AS category,
           'D' || (s % 12) AS district, 'S' || s AS street,
           ${mean} * exp(1.0 * sqrt(-2 * ln(random())) * cos(2 * pi() * random()) - 0.5) AS rate_per_day
    FROM range(${leaves}) r1(c), range(${nStreets}) r2(s)`);
  await store.exec(`
    INSERT INTO daily_leaf_counts (day, category, district, street, n)
    SELECT day, category, district, street, n FROM (
      SELECT d::DATE AS day, category, district, street,
             CASE WHEN rate_per_day < 1 THEN (random() < rate_per_day)::INTEGER
                  ELSE greatest(0, round(rate_per_day + sqrt(rate_per_day) * sqrt(-2 * ln(random())) * cos(2 * pi() * random())))::INTEGER END AS n
      FROM bench_series, range(DATE '2023-01-02', DATE '2026-01-05', INTERVAL 1 DAY) r(d)
    ) WHERE n > 0`);
  await store.exec(`
    INSERT INTO daily_counts (day, cat1, cat2, district, street, n, n_repeat, n_out_of_scope, n_unsatisfied, n_closed)
    SELECT l.day, any_value(b.cat1), any_value(b.cat2), l.district, l.street, sum(l.n), 0, 0, 0, sum(l.n)
    FROM daily_leaf_counts l JOIN (SELECT DISTINCT category, cat1, cat2 FROM bench_series) b USING (category)
    GROUP BY l.day, b.cat2, l.district, l.street`);
  const leafRows = (await store.value<number>('SELECT count(*) FROM daily_leaf_counts')) ?? 0;
  const rows = (await store.value<number>('SELECT count(*) FROM daily_counts')) ?? 0;
  const orders = (await store.value<number>('SELECT sum(n) FROM daily_counts')) ?? 0;
  console.log(
    `speed: ${leaves} finest categories × ${nStreets} streets × 3 years: daily_leaf_counts ${leafRows.toLocaleString()} rows, daily_counts ${rows.toLocaleString()} rows, ${orders.toLocaleString()} orders, built in ${((performance.now() - t0) / 1000).toFixed(1)}s`,
  );
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
for (a in c(0.05, 0.003, 0.001, 3e-4, 1e-4, 3e-5, 1e-5)) {
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
  for (a in c(0.01, 1e-4, 1e-5, 1e-6)) {
    al <- which(alarms(earsC(s, control = list(range = range, method = m, alpha = a, baseline = 7))) == 1, arr.ind = TRUE)
    if (nrow(al)) out[[length(out) + 1]] <- data.frame(method = sprintf("EARS %s a=%g", m, a), week = as.character(dates[range][al[, 1]]), unit = units[al[, 2]])
  }
}
res <- if (length(out)) do.call(rbind, out) else data.frame(method = character(), week = character(), unit = integer())
write.csv(res, args[3], row.names = FALSE)
cat(sprintf("R: farringtonFlexible %.1fs, EARS C1/C2/C3 %s s on %d series x %d weeks\n", tf, paste(sprintf("%.1f", te), collapse = "/"), length(units), length(range)))
`;

/** Experiments: a `detect` config section (JSON) merged into every weisu run of the backtest and its curve. */
const BENCH_DETECT: Record<string, unknown> = JSON.parse(process.env.BENCH_DETECT ?? '{}');

/** weisu's decision thresholds scaled together (per-test alpha and the BH level): the points of its curve. */
const WEISU_FACTORS = [0.1, 0.3, 1, 3, 10];

/**
 * How a curve factor f moves each kind's per-test alpha (the BH level always moves by f). `all` draws the curve;
 * the others were tried (docs/detect.md, round 4) to reach the strict end by tightening the kind with the most false
 * alarms (trend) more than spike, and did not take a cell off the count of slower cells.
 */
type CurveRule = (kind: string, f: number) => number;
const CURVE_RULES: Record<string, CurveRule> = {
  all: (_k, f) => f,
  spikeSqrt: (k, f) => (k === 'spike' ? Math.sqrt(f) : f),
  spikeSqrtStrict: (k, f) => (k === 'spike' && f < 1 ? Math.sqrt(f) : f),
  trendSq: (k, f) => (k === 'trend' && f < 1 ? f * f : f),
  trendSqSpikeSqrt: (k, f) => (f >= 1 ? f : k === 'trend' ? f * f : k === 'spike' ? Math.sqrt(f) : f),
  spikeFixedStrict: (k, f) => (k === 'spike' && f < 1 ? 1 : f),
};

function scaledConfig(cityName: string, f: number, rule: CurveRule = CURVE_RULES.all) {
  const d = detectConfig(configFrom({}));
  const alpha = Object.fromEntries(Object.entries(d.alpha).map(([k, v]) => [k, v * rule(k, f)]));
  return configFrom({
    city: { name: cityName },
    detect: { ...BENCH_DETECT, alpha, fdr: Math.min(0.5, 0.05 * f), newTopic: { enabled: false } },
  });
}

/** One city replayed: the raw tests of every as-of (decided anew at each threshold), its truth and relations. */
interface Replay {
  name: string;
  tests: CountTests[];
  truth: Truth;
  rel: Relations;
  from: string;
  to: string;
}

/** The events a count method is scored on: all but new phrases (whose orders still keep their series from being quiet). */
const countEvent = (e: PlantedEvent): boolean => e.kind !== 'new_topic';
const unitKey = (u: Unit) => `${u.category}|${u.scope.level}|${u.scope.district ?? ''}|${u.scope.name}`;

/** False alarms by kind summed over several backtests, as JSON. */
function kindsOf(reports: readonly BacktestReport[]): string {
  const byKind: Record<string, number> = {};
  for (const r of reports)
    for (const [k, n] of Object.entries(r.false_alarms.by_kind)) byKind[k] = (byKind[k] ?? 0) + n;
  return JSON.stringify(byKind);
}

/** BENCH_WEISU_ALARMS: every weisu alarm on the compared series at each factor (factor, city, as-of, kind, unit, window). */
const alarmLines: string[] = [];
function alarmLinesOf(f: number, rp: Replay, o: WeekOutput): string[] {
  const quiet = quietAt(o.asOf, rp.truth, rp.rel);
  return o.alerts.map((a) =>
    [f, rp.name, o.asOf, a.kind, unitKey(a), a.window_start, quiet(a) ? 'quiet' : ''].join('\t'),
  );
}

/**
 * Alarms that start a rise: an alert on a unit that had an alert of any kind in the previous weekly run continues that
 * rise (the stage reports it once, details.continuing) and is dropped — for weisu's alarms and R's alike.
 */
function startsOnly(outs: readonly WeekOutput[]): WeekOutput[] {
  let before = new Set<string>();
  return outs.map((o) => {
    const alerts = o.alerts.filter((a) => !before.has(unitKey(a)));
    before = new Set(o.alerts.map(unitKey));
    return { ...o, alerts };
  });
}

/** How the weekly outputs of one method in one city are counted: as they are, or only the alarms that start a rise. */
type View = (outs: readonly WeekOutput[]) => readonly WeekOutput[];
const asTheyAre: View = (outs) => outs;

/** weisu's curve: every replay decided at each scaled threshold, `keep` restricting what is scored (R's units). */
function weisuPoints(
  replays: readonly Replay[],
  keep: (o: WeekOutput, city: number) => WeekOutput,
  rule: CurveRule = CURVE_RULES.all,
  view: View = asTheyAre,
): CurvePoint[] {
  return WEISU_FACTORS.map((f) => {
    const reports = replays.map((rp, i) => {
      const cfg = scaledConfig(rp.truth.city, f, rule);
      const outs = view(rp.tests.map((ct) => keep(weekOutput(ct.asOf, decideCountAlerts(ct, cfg), ct.tested), i)));
      if (process.env.BENCH_WEISU_ALARMS) alarmLines.push(...outs.flatMap((o) => alarmLinesOf(f, rp, o)));
      return scoreBacktest('weisu', outs, rp.truth, rp.rel, rp.from, rp.to, 0, countEvent);
    });
    if (process.env.BENCH_CURVE_RULES) console.log(`  weisu ×${f}: false alarms by kind ${kindsOf(reports)}`);
    return curvePoint(`weisu ×${f} thresholds`, 'weisu', reports);
  });
}

/** The units sent to R from one city: every tested series related to a planted event, then an even spread of the rest. */
function chooseUnits(rp: Replay, want: number): Unit[] {
  const all = new Map<string, Unit>();
  for (const ct of rp.tests) for (const u of weekOutput(ct.asOf, [], ct.tested).units) all.set(unitKey(u), u);
  const related = (u: Unit) =>
    rp.truth.events.some(
      (e) => rp.rel.categoryRelated(u.category, eventCategory(e)) && rp.rel.scopeRelated(u.scope, rp.rel.eventScope(e)),
    );
  const keys = [...all.keys()].sort();
  const chosen = keys.filter((k) => related(all.get(k)!));
  const others = keys.filter((k) => !related(all.get(k)!));
  const step = Math.max(1, Math.floor(others.length / Math.max(1, want - chosen.length)));
  for (let i = 0; i < others.length && chosen.length < want; i += step) chosen.push(others[i]);
  return chosen.map((k) => all.get(k)!);
}

/** Weekly counts (unit, week, n) of the units numbered from `firstId`, from the data's first full week to `lastWeek`. */
async function exportSeries(store: Store, units: readonly Unit[], firstId: number, lastWeek: string, file: string) {
  await store.exec(
    `CREATE OR REPLACE TEMP TABLE bench_units (id INTEGER, level INTEGER, category VARCHAR, scope_level VARCHAR, scope_name VARCHAR, district VARCHAR)`,
  );
  const rows = units.map((u, i) => ({
    id: firstId + i,
    level: u.category.split('/').length,
    category: u.category,
    scope_level: u.scope.level,
    scope_name: u.scope.name,
    district: u.scope.district ?? null,
  }));
  await store.exec(
    `INSERT INTO bench_units SELECT * FROM (SELECT unnest(from_json($rows::JSON, '[{"id":"INTEGER","level":"INTEGER","category":"VARCHAR","scope_level":"VARCHAR","scope_name":"VARCHAR","district":"VARCHAR"}]'), recursive := true))`,
    { rows: JSON.stringify(rows) },
  );
  const firstMonday = (await store.value<string>(
    `SELECT (date_trunc('week', min(day)) + INTERVAL 7 DAY)::DATE::VARCHAR FROM daily_counts`,
  ))!;
  await store.exec(`
    COPY (
      WITH weeks AS (SELECT w::DATE AS week FROM range(DATE '${firstMonday}', DATE '${lastWeek}' + 1, INTERVAL 7 DAY) r(w)),
      leaf AS (SELECT date_trunc('week', day)::DATE AS week, cat1, cat2, district, street, sum(n) AS n FROM daily_counts WHERE day >= DATE '${firstMonday}' GROUP BY ALL),
      fine_days AS (SELECT date_trunc('week', day)::DATE AS week, string_split(category, '/') AS parts, district, street, n,
                           unnest(range(3, len(string_split(category, '/')) + 1)) AS k
                    FROM daily_leaf_counts WHERE day >= DATE '${firstMonday}'),
      fine AS (SELECT week, array_to_string(parts[1:k], '/') AS category, district, street, sum(n) AS n FROM fine_days GROUP BY ALL),
      in_scope AS (
        SELECT u.id, l.week, l.n
        FROM bench_units u JOIN leaf l
          ON u.level <= 2 AND (CASE WHEN u.level = 1 THEN l.cat1 ELSE l.cat2 END) = u.category
         AND (u.scope_level = 'city'
              OR (u.scope_level = 'district' AND l.district = u.scope_name)
              OR (u.scope_level = 'street' AND l.street = u.scope_name AND l.district IS NOT DISTINCT FROM u.district))
        UNION ALL
        SELECT u.id, l.week, l.n
        FROM bench_units u JOIN fine l
          ON u.level >= 3 AND l.category = u.category
         AND (u.scope_level = 'city'
              OR (u.scope_level = 'district' AND l.district = u.scope_name)
              OR (u.scope_level = 'street' AND l.street = u.scope_name AND l.district IS NOT DISTINCT FROM u.district))
      ),
      matched AS (SELECT id, week, sum(n) AS n FROM in_scope GROUP BY ALL)
      SELECT u.id AS unit, w.week::VARCHAR AS week, coalesce(m.n, 0)::INTEGER AS n
      FROM bench_units u CROSS JOIN weeks w LEFT JOIN matched m ON m.id = u.id AND m.week = w.week
      ORDER BY unit, week
    ) TO '${file}' (HEADER)`);
}

function hasR(): boolean {
  const r = spawnSync('Rscript', ['-e', 'suppressPackageStartupMessages(library(surveillance))'], { encoding: 'utf8' });
  if (r.status !== 0)
    console.log(
      `R comparison skipped: Rscript with surveillance not available (apt-get install -y r-cran-surveillance): ${r.stderr?.split('\n')[0] ?? ''}`,
    );
  return r.status === 0;
}

/**
 * R's alarms (method, week, unit) on the weekly series in `csvFile` at the weeks in `targetsFile`. The same series,
 * weeks and script give the same alarms, so they are kept in BENCH_R_CACHE (default: the system temp folder) and
 * reused: farringtonFlexible takes minutes, and only weisu's side changes between runs.
 */
function runR(csvFile: string, targetsFile: string, alarmsFile: string): boolean {
  const hash = createHash('sha256')
    .update(readFileSync(csvFile))
    .update(readFileSync(targetsFile))
    .update(R_SCRIPT)
    .digest('hex')
    .slice(0, 16);
  const cacheDir = process.env.BENCH_R_CACHE ?? join(tmpdir(), 'weisu-bench-r-cache');
  const cached = join(cacheDir, `alarms-${hash}.csv`);
  if (existsSync(cached)) {
    copyFileSync(cached, alarmsFile);
    console.log(`R: alarms reused from ${cached} (same series, weeks and script)`);
    return true;
  }
  const rFile = join(work, 'compare.R');
  writeFileSync(rFile, R_SCRIPT);
  const r = spawnSync('Rscript', [rFile, csvFile, targetsFile, alarmsFile], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    console.log(`R failed: ${r.stderr}`);
    return false;
  }
  process.stdout.write(r.stdout);
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(alarmsFile, cached);
  return true;
}

/** R's alarms by method, then week, as unit ids. */
function readAlarms(file: string): Map<string, Map<string, number[]>> {
  const alarms = new Map<string, Map<string, number[]>>();
  for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
    const [method, week, unit] = line.split(',').map((x) => x.replace(/^"|"$/g, ''));
    const m = alarms.get(method) ?? new Map<string, number[]>();
    m.set(week, [...(m.get(week) ?? []), Number(unit)]);
    alarms.set(method, m);
  }
  return alarms;
}

/**
 * R's alarms on weeks whose count can be one of weisu's: weisu reports no rise of fewer than `minExcess` orders over
 * its expectation, so a week of `minExcess` orders or fewer is never its alarm, while EARS on a series of 0–2 a week
 * alarms on 1–2 orders (docs/detect.md, fifth round). Counts from the series file R read (unit, week, n).
 */
function alarmsOnCounts(
  alarms: Map<string, Map<string, number[]>>,
  seriesFile: string,
  minCount: number,
): Map<string, Map<string, number[]>> {
  const n = new Map<string, number>();
  for (const line of readFileSync(seriesFile, 'utf8').trim().split('\n').slice(1)) {
    const [unit, week, count] = line.split(',');
    n.set(`${unit}|${week}`, Number(count));
  }
  const out = new Map<string, Map<string, number[]>>();
  for (const [method, byWeek] of alarms) {
    const kept = new Map<string, number[]>();
    for (const [week, units] of byWeek)
      kept.set(
        week,
        units.filter((u) => (n.get(`${u}|${week}`) ?? 0) >= minCount),
      );
    out.set(method, kept);
  }
  return out;
}

/** One city's part of the R comparison: its replay, the units sent (by id) and weisu's outputs restricted to them. */
interface RCity {
  rp: Replay;
  byId: Map<number, Unit>;
}

/** Every R setting's point: its alarms as one-week alerts on the units, scored by the same rules per city. */
function rPoints(
  alarms: Map<string, Map<string, number[]>>,
  cities: readonly RCity[],
  view: View = asTheyAre,
): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const method of [...alarms.keys()].sort()) {
    const m = alarms.get(method)!;
    const reports = cities.map(({ rp, byId }) => {
      const units = [...byId.values()];
      const outs: WeekOutput[] = rp.tests.map((ct) => {
        const wk = currentWeek(ct.asOf);
        const ids = (m.get(wk) ?? []).filter((id) => byId.has(id));
        const alerts = ids.map((id) => ({
          ...byId.get(id)!,
          kind: 'spike',
          window_start: wk,
          window_end: addDays(wk, 6),
        }));
        return { asOf: ct.asOf, units, alerts };
      });
      return scoreBacktest(method, view(outs), rp.truth, rp.rel, rp.from, rp.to, 0, countEvent);
    });
    const family = method.startsWith('farrington') ? 'farringtonFlexible' : method.slice(0, 7);
    points.push(curvePoint(method, family, reports));
  }
  return points;
}

function printComparison(points: CurvePoint[], title: string): void {
  console.log(`\n${title}`);
  for (const l of formatCurve(points)) console.log(l);
  if (Object.keys(points[0]?.delays ?? {}).length <= 16) {
    console.log('\neach event: weekly runs from its first full week to the first catch (∞: missed)');
    for (const l of formatEventDelays(points)) console.log(l);
  }
  console.log('');
  for (const l of formatEqualFalseAlarms(points).lines) console.log(l);
}

/**
 * weisu and R on identical weekly series of one or more cities: each city's units (`want` at most, every related
 * one first) exported from its store while it is loaded (`load` brings city i in), R run once on all of them.
 */
async function compareWithR(
  store: Store,
  replays: readonly Replay[],
  load: (i: number) => Promise<void>,
  want: number,
): Promise<CurvePoint[] | null> {
  if (!hasR()) return null;
  const cities: RCity[] = [];
  const csv: string[] = [];
  let next = 1;
  const lastWeek = currentWeek(replays[0].tests[replays[0].tests.length - 1].asOf);
  for (const [i, rp] of replays.entries()) {
    await load(i);
    const units = chooseUnits(rp, want);
    const file = join(work, `series-${i}.csv`);
    await exportSeries(store, units, next, lastWeek, file);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    for (const line of i === 0 ? lines : lines.slice(1)) csv.push(line);
    cities.push({ rp, byId: new Map(units.map((u, j) => [next + j, u])) });
    next += units.length;
  }
  const csvFile = join(work, 'series.csv');
  writeFileSync(csvFile, csv.join('\n') + '\n');
  const targetsFile = join(work, 'targets.txt');
  writeFileSync(targetsFile, replays[0].tests.map((ct) => currentWeek(ct.asOf)).join('\n') + '\n');
  const alarmsFile = join(work, 'alarms.csv');
  if (!runR(csvFile, targetsFile, alarmsFile)) return null;
  const keep = (o: WeekOutput, i: number): WeekOutput => {
    const ids = new Set([...cities[i].byId.values()].map(unitKey));
    return {
      asOf: o.asOf,
      units: o.units.filter((u) => ids.has(unitKey(u))),
      alerts: o.alerts.filter((a) => ids.has(unitKey(a))),
    };
  };
  const points = [...weisuPoints(replays, keep), ...rPoints(readAlarms(alarmsFile), cities)];
  printComparison(
    points,
    `comparison on ${next - 1} identical weekly series of ${replays.length} ${replays.length > 1 ? 'cities' : 'city'} (every series related to a planted event + an even spread of the rest), ${replays[0].tests.length} weeks; det = detected/events, d = median weekly runs from the first full week (∞: missed by half or more); a catch needs an alarm window covering ≥ 7 days of the event:`,
  );
  writeFileSync(join(work, 'comparison.json'), JSON.stringify(points, null, 2));
  // unit id → series, to read R's alarms in alarms.csv against series.csv by name
  writeFileSync(join(work, 'units.json'), JSON.stringify(cities.map((c) => [...c.byId.entries()])));
  if (process.env.BENCH_WEISU_ALARMS) writeFileSync(process.env.BENCH_WEISU_ALARMS, alarmLines.join('\n') + '\n');
  const minCount = detectConfig(configFrom({ detect: BENCH_DETECT })).minExcess + 1;
  printComparison(
    [...weisuPoints(replays, keep), ...rPoints(alarmsOnCounts(readAlarms(alarmsFile), csvFile, minCount), cities)],
    `the same, R's alarms only on weeks of at least ${minCount} orders (weisu reports no rise of fewer than ${minCount - 1} orders over expected):`,
  );
  printComparison(
    [
      ...weisuPoints(replays, keep, CURVE_RULES.all, startsOnly),
      ...rPoints(readAlarms(alarmsFile), cities, startsOnly),
    ],
    'the same, counting only alarms that start a rise (no alarm on the series the week before), for every method:',
  );
  const rOnly = points.filter((p) => p.family !== 'weisu');
  for (const name of (process.env.BENCH_CURVE_RULES ?? '').split(',').filter((n) => n in CURVE_RULES))
    printComparison([...weisuPoints(replays, keep, CURVE_RULES[name]), ...rOnly], `curve rule ${name}:`);
  console.log(`(details: ${work})`);
  return points;
}

/** Run the count tests at every as-of in [from, to]; the defaults' alerts (and new_topic's, when asked) are scored. */
async function replayCity(
  store: Store,
  name: string,
  truth: Truth,
  from: string,
  to: string,
  topics: boolean,
): Promise<{ rp: Replay; outputs: WeekOutput[] }> {
  const config = configFrom({
    city: { name: truth.city },
    detect: { ...BENCH_DETECT, newTopic: { enabled: topics }, baselineTrend: BENCH_TREND },
  });
  const t = performance.now();
  const tests: CountTests[] = [];
  const outputs: WeekOutput[] = [];
  const asOfs = weeklyAsOfs(from, to);
  for (const [i, asOf] of asOfs.entries()) {
    const ct = await runCountTests(store, asOf, config);
    const alerts = decideCountAlerts(ct, config);
    if (topics) alerts.push(...(await detectNewTopics(store, asOf, ct.week0, truth.city, detectConfig(config))));
    tests.push(ct);
    outputs.push(weekOutput(asOf, alerts, ct.tested));
    if ((i + 1) % 10 === 0 || i + 1 === asOfs.length)
      console.error(`  ${name}: week ${i + 1}/${asOfs.length} (${((performance.now() - t) / 1000).toFixed(0)}s)`);
  }
  const rel = await Relations.load(store, truth.city);
  return { rp: { name, tests, truth, rel, from, to }, outputs };
}

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
  if (process.env.BENCH_SWEEP) return sweep(store, city);
  const to = addDays(city.truth.end, -1);
  const from = addDays(to, -7 * Number(process.env.BENCH_WEEKS ?? 52));
  t = performance.now();
  const { rp, outputs } = await replayCity(store, 'demo', city.truth, from, to, true);
  const report = scoreBacktest('weisu', outputs, city.truth, rp.rel, from, to, (performance.now() - t) / 1000);
  for (const line of formatReport(report)) console.log(line);
  console.log(
    `backtest: ${outputs.length} weekly runs in ${((performance.now() - t) / 1000).toFixed(1)}s, peak RSS ${rss()} MB`,
  );
  writeFileSync(join(work, 'backtest-weisu.json'), JSON.stringify(report, null, 2));
  if (skip.has('r')) {
    printComparison(
      weisuPoints([rp], (o) => o),
      'weisu: delay against false alarms, all series',
    );
  } else {
    await compareWithR(store, [rp], async () => {}, Number(process.env.BENCH_R_UNITS ?? 600));
  }
  store.close();
}

/**
 * Cities no one tuned on: BENCH_UNSEEN=31,32,… seeds of the count fixture (test/detect/gen.ts), each with its own
 * size, over-dispersion and volume and one planted rise of every class, among them level-3 ones (unseenCity). Their
 * events are pooled per class, so a median rests on one event per seed and class instead of one or two.
 */
async function unseenCities(seeds: number[]): Promise<void> {
  const store = await Store.open(join(work, 'unseen.duckdb'));
  const replays: Replay[] = [];
  const load = async (i: number) => loadCounts(store, generateCounts(unseenCity(seeds[i]).fixture));
  for (const [i, seed] of seeds.entries()) {
    const c = unseenCity(seed);
    await load(i);
    const { rp, outputs } = await replayCity(store, `seed ${seed}`, c.truth, c.from, c.to, false);
    const r = scoreBacktest(`seed ${seed}`, outputs, c.truth, rp.rel, c.from, c.to, 0);
    console.log(
      `unseen city seed ${seed} (${c.describe}): POD ${r.pod.all?.pod?.toFixed(2)}, false alarms ${r.false_alarms.alarms} in ${r.false_alarms.quiet_units} = ${r.false_alarms.per_100.toFixed(2)} per 100 ${JSON.stringify(r.false_alarms.by_kind)}; delays ${r.events.map((e) => `${e.id} ${e.delay_weeks ?? '∞'}`).join(', ')}`,
    );
    replays.push(rp);
  }
  if (skip.has('r'))
    printComparison(
      weisuPoints(replays, (o) => o),
      'weisu on the unseen cities, all series',
    );
  else await compareWithR(store, replays, load, Number(process.env.BENCH_R_UNITS ?? 250));
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
  const base = configFrom({
    city: { name: city.cityName },
    detect: { newTopic: { enabled: false }, baselineTrend: BENCH_TREND },
  });
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
    const outputs = all.map((tests) => weekOutput(tests.asOf, decideCountAlerts(tests, config), tests.tested));
    const r = scoreBacktest(g.name, outputs, city.truth, rel, from, to, 0, countEvent);
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

/**
 * A real public 311 series (BENCH_REAL_311: a daily CSV `date,<series>…,total`, e.g. NYC's noise / other complaints
 * 2010–2017, /work/realdata/nyc311-daily/noise_complaints_by_date.csv): weisu at every Monday of its last
 * BENCH_REAL_WEEKS weeks, R's farringtonFlexible and EARS C1–C3 on the same weekly series. Nothing is planted, so every
 * alarm is counted: alarms per 100 series-weeks, for comparing how often each method fires on real data.
 */
async function realSeries(file: string): Promise<void> {
  if (!existsSync(file)) {
    console.log(`real 311 series skipped: ${file} not found (BENCH_REAL_311)`);
    return;
  }
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const keys = header.slice(1).filter((h) => h !== 'total');
  const rows = lines.slice(1).map((l) => l.split(','));
  // the last day of an export is often partial (NYC's last row holds 149 orders): the data ends the day before it
  const days = rows.slice(0, -1);
  const store = await Store.open(join(work, 'real.duckdb'));
  await store.exec('DELETE FROM daily_counts');
  const json = days.flatMap((r) =>
    keys.map((k) => ({ day: r[0], cat: k, n: Number(r[header.indexOf(k)]) })).filter((x) => x.n > 0),
  );
  await store.exec(
    `INSERT INTO daily_counts (day, cat1, cat2, district, street, n, n_repeat, n_out_of_scope, n_unsatisfied, n_closed)
     SELECT r.day::DATE, r.cat, r.cat, NULL, NULL, r.n, 0, 0, 0, r.n
     FROM (SELECT unnest(from_json($rows::JSON, '[{"day":"VARCHAR","cat":"VARCHAR","n":"INTEGER"}]'), recursive := true)) r`,
    { rows: JSON.stringify(json) },
  );
  const last = days[days.length - 1][0];
  const to = addDays(last, 1);
  const weeks = Number(process.env.BENCH_REAL_WEEKS ?? 156);
  const asOfs = weeklyAsOfs(addDays(to, -7 * weeks), to);
  const config = configFrom({
    city: { name: '全市' },
    detect: { newTopic: { enabled: false }, baselineTrend: BENCH_TREND },
  });
  let alarmWeeks = 0;
  let onsets = 0;
  const byKind: Record<string, number> = {};
  const t = performance.now();
  let seriesWeeks = 0;
  let earlier: EarlierAlarms = new Map();
  for (const asOf of asOfs) {
    const r = await detectAlerts(store, asOf, config);
    // a rise alerted the week before too continues it (the stage reads that week's stored alerts; here, memory)
    markEpisodes(r.alerts, r.week0, earlier);
    earlier = alarmsOf(r.alerts);
    // one category is its own level 1 and level 2 here: count each series once
    const tested = r.tested.filter((s) => s.level === 1);
    seriesWeeks += tested.length;
    const mine = r.alerts.filter((a) => a.level === 1);
    alarmWeeks += new Set(mine.map((a) => a.category)).size;
    onsets += new Set(mine.filter((a) => a.details.continuing === false).map((a) => a.category)).size;
    for (const kind of new Set(mine.map((a) => a.kind))) byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  console.log(
    `\nreal 311 series (${file}, ${keys.join(', ')}; ${asOfs.length} weekly as-ofs to ${to}, ${((performance.now() - t) / 1000).toFixed(1)}s): per 100 series-weeks, weeks with an alarm / alarms that start a rise (the week before had none) — nothing planted, every alarm counted`,
  );
  const rate = (k: number, n: number) => `${((100 * k) / n).toFixed(2)}`.padStart(6);
  console.log(
    `  weisu (defaults, any count kind)   ${rate(alarmWeeks, seriesWeeks)} / ${rate(onsets, seriesWeeks)}  (${alarmWeeks} / ${onsets} of ${seriesWeeks}; weeks with each kind ${JSON.stringify(byKind)})`,
  );
  if (skip.has('r')) return store.close();
  const csvFile = join(work, 'real-series.csv');
  const firstMonday = addDays(weekStart(days[0][0]), 7);
  await store.exec(`
    COPY (
      SELECT dense_rank() OVER (ORDER BY cat1) AS unit, date_trunc('week', day)::DATE::VARCHAR AS week, sum(n)::INTEGER AS n
      FROM daily_counts WHERE day >= DATE '${firstMonday}' AND day < DATE '${weekStart(to)}'
      GROUP BY cat1, week ORDER BY unit, week
    ) TO '${csvFile}' (HEADER)`);
  const targetsFile = join(work, 'real-targets.txt');
  writeFileSync(targetsFile, asOfs.map((a) => currentWeek(a)).join('\n') + '\n');
  const alarmsFile = join(work, 'real-alarms.csv');
  if (!runR(csvFile, targetsFile, alarmsFile)) return store.close();
  // the same rule for R's alarms: one that follows an alarm on the same series the week before continues it
  const byMethod = new Map<string, Set<string>>();
  for (const line of readFileSync(alarmsFile, 'utf8').trim().split('\n').slice(1)) {
    const [method, week, unit] = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    if (!byMethod.has(method)) byMethod.set(method, new Set());
    byMethod.get(method)!.add(`${unit}|${week}`);
  }
  const n = keys.length * asOfs.length;
  for (const [m, set] of [...byMethod.entries()].sort()) {
    const starts = [...set].filter((k) => {
      const [unit, week] = k.split('|');
      return !set.has(`${unit}|${addDays(week, -7)}`);
    }).length;
    console.log(`  ${m.padEnd(34)} ${rate(set.size, n)} / ${rate(starts, n)}  (${set.size} / ${starts} of ${n})`);
  }
  store.close();
}

if (!skip.has('speed')) await speed();
if (!skip.has('backtest')) await backtestAndR();
if (process.env.BENCH_UNSEEN) await unseenCities(process.env.BENCH_UNSEEN.split(',').map(Number));
if (process.env.BENCH_REAL_311) await realSeries(process.env.BENCH_REAL_311);
