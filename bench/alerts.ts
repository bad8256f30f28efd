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
 * BENCH_REAL_311 (a real daily 311 CSV: alarms per 100 series-weeks, weisu vs R, see realSeries).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Store } from '../src/store/db.js';
import { configFrom } from '../src/store/config.js';
import { addDays, weekStart } from '../src/store/dates.js';
import { decideCountAlerts, detectAlerts, runCountTests, type CountTests } from '../src/detect/compute.js';
import {
  eventCategory,
  formatReport,
  Relations,
  scoreBacktest,
  weeklyAsOfs,
  type BacktestReport,
  type Unit,
  type WeekOutput,
} from '../src/detect/backtest.js';
import type { Alert } from '../src/detect/alert.js';
import { detectConfig } from '../src/detect/config.js';
import { detectNewTopics } from '../src/detect/new-topic.js';
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
  const config = configFrom({ detect: { newTopic: { enabled: false } } });
  const times: number[] = [];
  const cpu: number[] = [];
  let last = { alerts: 0, series: 0, tests: {} as Record<string, number>, byLevel: {} as Record<number, number> };
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
  }
  times.sort((a, b) => a - b);
  console.log(
    `speed: all count alerts (yoy, mom, trend, spike) at every level: median ${times[1].toFixed(1)}s of 3 runs ` +
      `(${times.map((x) => x.toFixed(1)).join(', ')}; CPU ${cpu.map((x) => x.toFixed(1)).join(', ')} s, load ${(await import('node:os')).loadavg()[0].toFixed(1)}), ${last.series.toLocaleString()} series tested (by level ${JSON.stringify(last.byLevel)}), tests ${JSON.stringify(last.tests)}, ${last.alerts} alerts, peak RSS ${rss()} MB`,
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

/** One method at one threshold: its false-alarm rate and, per event class, detection and median delay. */
interface CurvePoint {
  method: string;
  family: string;
  fa: number;
  alarms: number;
  quiet: number;
  classes: Record<string, { events: number; detected: number; median: number }>;
}

/** The classes the curve is drawn for: a level-3 event is 'level3' whatever its kind. */
const CLASSES = ['abrupt', 'creeping', 'citywide', 'level3', 'hotspot'];
const classOf = (e: { kind: string; level3: boolean }) => (e.level3 ? 'level3' : e.kind);

/** Median delay in weeks with missed events counted as never (Infinity): half missed is a median of never. */
function medianWithMisses(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function curvePoint(method: string, family: string, r: BacktestReport, from: string): CurvePoint {
  const judged = r.events.filter((e) => e.kind !== 'new_topic' && e.start >= addDays(from, -7));
  const classes: CurvePoint['classes'] = {};
  for (const c of CLASSES) {
    const list = judged.filter((e) => classOf(e) === c);
    classes[c] = {
      events: list.length,
      detected: list.filter((e) => e.detected).length,
      median: medianWithMisses(list.map((e) => (e.detected ? e.delay_weeks! : Infinity))),
    };
  }
  const fa = r.false_alarms;
  return { method, family, fa: fa.per_100, alarms: fa.alarms, quiet: fa.quiet_units, classes };
}

const fmtDelay = (x: number) => (Number.isNaN(x) ? '—' : x === Infinity ? '∞' : String(x));

function printCurve(points: CurvePoint[]): void {
  console.log(
    `  method / setting                    FA/100  (alarms/quiet)    ${CLASSES.map((c) => `${c} det d`.padStart(15)).join(' ')}`,
  );
  for (const p of [...points].sort((a, b) => a.family.localeCompare(b.family) || a.fa - b.fa)) {
    const cls = CLASSES.map((c) => {
      const k = p.classes[c];
      return `${k.detected}/${k.events} ${fmtDelay(k.median)}`.padStart(15);
    }).join(' ');
    console.log(
      `  ${p.method.padEnd(34)} ${p.fa.toFixed(2).padStart(6)}  (${p.alarms}/${p.quiet})`.padEnd(64) + ` ${cls}`,
    );
  }
}

/**
 * At every weisu point, each other family's best median delay per class among its settings with no more false
 * alarms than weisu's there (∞: none of them catches half the class; "none": no setting is that quiet).
 */
function printEqualFalseAlarms(points: CurvePoint[]): void {
  const ours = points.filter((p) => p.family === 'weisu').sort((a, b) => a.fa - b.fa);
  const families = [...new Set(points.map((p) => p.family))].filter((f) => f !== 'weisu');
  console.log('\nat equal false alarms — per class: weisu median delay vs the best of each method within the same FA');
  for (const w of ours) {
    const parts: string[] = [];
    for (const f of families) {
      const within = points.filter((p) => p.family === f && p.fa <= w.fa);
      const cells = CLASSES.filter((c) => w.classes[c].events > 0).map((c) => {
        if (!within.length) return `${c} ${fmtDelay(w.classes[c].median)}/none`;
        const best = Math.min(
          ...within.map((p) => (Number.isNaN(p.classes[c].median) ? Infinity : p.classes[c].median)),
        );
        const ok = w.classes[c].median <= best ? '≤' : '>';
        return `${c} ${fmtDelay(w.classes[c].median)}${ok}${fmtDelay(best)}`;
      });
      parts.push(`${f}: ${cells.join(', ')}`);
    }
    console.log(`  ${w.method} (FA ${w.fa.toFixed(2)}): ${parts.join(' | ')}`);
  }
}

/** weisu's decision thresholds scaled together (per-test alpha and the BH level): the points of its curve. */
const WEISU_FACTORS = [0.1, 0.3, 1, 3, 10];

function scaledConfig(cityName: string, f: number) {
  const a = { spike: 0.001 * f, mom: 0.001 * f, yoy: 0.0001 * f, trend: 0.001 * f };
  return configFrom({
    city: { name: cityName },
    detect: { alpha: a, fdr: Math.min(0.5, 0.05 * f), newTopic: { enabled: false } },
  });
}

function toOutput(asOf: string, alerts: Alert[], tests: CountTests): WeekOutput {
  return {
    asOf,
    alerts: alerts.map((a) => ({
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
  };
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
  const config = configFrom({ city: { name: city.cityName } });
  if (process.env.BENCH_SWEEP) return sweep(store, city);
  const end = city.truth.end;
  const to = addDays(end, -1);
  const weeks = Number(process.env.BENCH_WEEKS ?? 52);
  const from = addDays(to, -7 * weeks);
  t = performance.now();
  // the count tests run once per as-of; the defaults decide the backtest, scaled thresholds draw weisu's curve
  const asOfs = weeklyAsOfs(from, to);
  const tests: CountTests[] = [];
  const outputs: WeekOutput[] = [];
  for (const [i, asOf] of asOfs.entries()) {
    const ct = await runCountTests(store, asOf, config);
    const alerts = decideCountAlerts(ct, config);
    alerts.push(...(await detectNewTopics(store, asOf, ct.week0, city.cityName, detectConfig(config))));
    tests.push(ct);
    outputs.push(toOutput(asOf, alerts, ct));
    if ((i + 1) % 10 === 0 || i + 1 === asOfs.length)
      console.error(`  backtest week ${i + 1}/${asOfs.length} (${((performance.now() - t) / 1000).toFixed(0)}s)`);
  }
  const rel = await Relations.load(store, city.cityName);
  const report = scoreBacktest('weisu', outputs, city.truth, rel, from, to, (performance.now() - t) / 1000);
  for (const line of formatReport(report)) console.log(line);
  console.log(
    `backtest: ${outputs.length} weekly runs in ${((performance.now() - t) / 1000).toFixed(1)}s, peak RSS ${rss()} MB`,
  );
  writeFileSync(join(work, 'backtest-weisu.json'), JSON.stringify(report, null, 2));
  const countTruth = { ...city.truth, events: city.truth.events.filter((e) => e.kind !== 'new_topic') };
  const weisuCurve = (keep: (o: WeekOutput) => WeekOutput) =>
    WEISU_FACTORS.map((f) => {
      const cfg = scaledConfig(city.cityName, f);
      const outs = tests.map((ct) => keep(toOutput(ct.asOf, decideCountAlerts(ct, cfg), ct)));
      return curvePoint(
        `weisu ×${f} thresholds`,
        'weisu',
        scoreBacktest('weisu', outs, countTruth, rel, from, to, 0),
        from,
      );
    });
  if (skip.has('r')) {
    console.log(
      '\nweisu: delay against false alarms, all series (det = detected/events, d = median weekly runs, ∞ = missed)',
    );
    printCurve(weisuCurve((o) => o));
    return;
  }
  await compareWithR(store, city, outputs, rel, from, to, weisuCurve);
  store.close();
}

async function compareWithR(
  store: Store,
  city: City,
  outputs: WeekOutput[],
  rel: Relations,
  from: string,
  to: string,
  weisuCurve: (keep: (o: WeekOutput) => WeekOutput) => CurvePoint[],
): Promise<void> {
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
  const unitKey = (u: Unit) => `${u.category}|${u.scope.level}|${u.scope.district ?? ''}|${u.scope.name}`;
  const all = new Map<string, Unit>();
  for (const o of outputs) for (const u of o.units) all.set(unitKey(u), u);
  const related = (u: Unit) =>
    city.truth.events.some(
      (e) => rel.categoryRelated(u.category, eventCategory(e)) && rel.scopeRelated(u.scope, rel.eventScope(e)),
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
      level: u.category.split('/').length,
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
    ) TO '${csvFile}' (HEADER)`);
  const targetsFile = join(work, 'targets.txt');
  writeFileSync(targetsFile, outputs.map((o) => currentWeek(o.asOf)).join('\n') + '\n');
  const rFile = join(work, 'compare.R');
  writeFileSync(rFile, R_SCRIPT);
  const alarmsFile = join(work, 'alarms.csv');
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
  // weisu's curve on the same units, then every R setting: one point each
  const points: CurvePoint[] = weisuCurve(restrict);
  const countTruth = { ...city.truth, events: city.truth.events.filter((e) => e.kind !== 'new_topic') };
  for (const method of [...alarms.keys()].sort()) {
    const m = alarms.get(method)!;
    const outs: WeekOutput[] = outputs.map((o) => {
      const wk = currentWeek(o.asOf);
      return {
        asOf: o.asOf,
        units: restrict(o).units,
        alerts: (m.get(wk) ?? []).map((u) => ({
          category: u.category,
          scope: u.scope,
          kind: 'spike',
          window_start: wk,
          window_end: addDays(wk, 6),
        })),
      };
    });
    const family = method.startsWith('farrington') ? 'farringtonFlexible' : method.slice(0, 7);
    points.push(curvePoint(method, family, scoreBacktest(method, outs, countTruth, rel, from, to, 0), from));
  }
  console.log(
    `\ncomparison on ${chosen.length} identical weekly series (all ${keys.filter((k) => related(all.get(k)!)).length} related to a planted event + a fixed spread of the rest), ${outputs.length} weeks; det = detected/events, d = median weekly runs from the first full week (∞: missed by half or more); a catch needs an alarm window covering ≥ 7 days of the event:`,
  );
  printCurve(points);
  printEqualFalseAlarms(points);
  writeFileSync(join(work, 'comparison.json'), JSON.stringify(points, null, 2));
  console.log(`(details: ${work})`);
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
  const config = configFrom({ city: { name: '全市' }, detect: { newTopic: { enabled: false } } });
  const alarms: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const t = performance.now();
  let seriesWeeks = 0;
  for (const asOf of asOfs) {
    const r = await detectAlerts(store, asOf, config);
    // one category is its own level 1 and level 2 here: count each series once
    const tested = r.tested.filter((s) => s.level === 1);
    seriesWeeks += tested.length;
    const mine = r.alerts.filter((a) => a.level === 1);
    alarms.weisu = (alarms.weisu ?? 0) + new Set(mine.map((a) => a.category)).size;
    for (const kind of new Set(mine.map((a) => a.kind))) byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  console.log(
    `\nreal 311 series (${file}, ${keys.join(', ')}; ${asOfs.length} weekly as-ofs to ${to}, ${((performance.now() - t) / 1000).toFixed(1)}s): alarms per 100 series-weeks — nothing planted, every alarm counted`,
  );
  console.log(
    `  weisu (defaults, any count kind)   ${((100 * alarms.weisu) / seriesWeeks).toFixed(2)}  (${alarms.weisu}/${seriesWeeks}; weeks with each kind ${JSON.stringify(byKind)})`,
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
  const rFile = join(work, 'compare.R');
  writeFileSync(rFile, R_SCRIPT);
  const alarmsFile = join(work, 'real-alarms.csv');
  const r = spawnSync('Rscript', [rFile, csvFile, targetsFile, alarmsFile], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`R failed: ${r.stderr}`);
    return store.close();
  }
  const byMethod = new Map<string, number>();
  for (const line of readFileSync(alarmsFile, 'utf8').trim().split('\n').slice(1)) {
    const method = line.split(',')[0].replace(/^"|"$/g, '');
    byMethod.set(method, (byMethod.get(method) ?? 0) + 1);
  }
  const n = keys.length * asOfs.length;
  for (const [m, k] of [...byMethod.entries()].sort())
    console.log(`  ${m.padEnd(34)} ${((100 * k) / n).toFixed(2)}  (${k}/${n})`);
  store.close();
}

if (!skip.has('speed')) await speed();
if (!skip.has('backtest')) await backtestAndR();
if (process.env.BENCH_REAL_311) await realSeries(process.env.BENCH_REAL_311);
