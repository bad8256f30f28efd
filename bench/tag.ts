/**
 * npm run bench:tag — root-cause tagging: quality on the held-out labelled part (fused, model only, lexicon
 * only), scoring throughput (in memory and as the full stage over a store), and agreement with the demo
 * city's planted causes, repeats and scope when the generator is present.
 *
 *   WEISU_BENCH_N=1000000      orders for the throughput runs (default 1,000,000)
 *   WEISU_BENCH_RUNS=3         runs per throughput figure (median reported)
 *   WEISU_BENCH_DEMO_SCALE=0.1 demo-city scale (0 skips the demo check)
 *   WEISU_BENCH_TAG_WORKERS=2  scoring workers for the stage run (default: one per core; 0 = main thread only)
 *   WEISU_BENCH_TAG_WORDS=1    word features on (config tag.words) for every run
 *   WEISU_BENCH_TAG_MODEL=real the text model trained on real messages (config tag.textModel: real | team | file)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../src/store/db.js';
import { configFrom } from '../src/store/config.js';
import { createLogger } from '../src/store/log.js';
import { dataPath } from '../src/store/paths.js';
import { TagConfigSchema, tagFiles } from '../src/tag/config.js';
import { evaluate, type Evaluation } from '../src/tag/evaluate.js';
import { CAUSE_TAGS, FALLBACK_TAG, LexiconScorer, loadLexicon } from '../src/tag/lexicon.js';
import { loadLabelled } from '../src/tag/labelled.js';
import { ScopeGuard } from '../src/tag/scope.js';
import { createTagStage, type TagTimings } from '../src/tag/stage.js';
import { defaultWorkers } from '../src/tag/score-pool.js';
import { Tagger, buildTagger, loadTaggerInputs } from '../src/tag/tagger.js';
import { tempDir } from '../test/helpers.js';

const N = Number(process.env.WEISU_BENCH_N ?? 1_000_000);
const benchWorkers: number | 'auto' =
  process.env.WEISU_BENCH_TAG_WORKERS !== undefined ? Number(process.env.WEISU_BENCH_TAG_WORKERS) : 'auto';
const timings: TagTimings = { ms: {}, cpuMs: {} };
const tagStage = createTagStage({ scoring: { workers: benchWorkers }, timings });
const RUNS = Number(process.env.WEISU_BENCH_RUNS ?? 3);
const DEMO_SCALE = Number(process.env.WEISU_BENCH_DEMO_SCALE ?? 0.1);
const rssMB = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (x: number) => (100 * x).toFixed(1).padStart(5);

function printEval(title: string, ev: Evaluation): void {
  console.log(
    `\n${title}: ${ev.orders} orders, macro-F1 ${ev.macroF1.toFixed(3)} (causes only ${ev.macroF1Causes.toFixed(3)}), exact set match ${pct(ev.exactMatch)}%`,
  );
  console.log('  tag            support  predicted  precision  recall     F1');
  for (const m of ev.perTag)
    console.log(
      `  ${m.tag.padEnd(8, '　')}  ${String(m.support).padStart(7)}  ${String(m.predicted).padStart(9)}  ${pct(m.precision)}%    ${pct(m.recall)}%  ${m.f1.toFixed(3)}`,
    );
}

// A fixed reference workload (20M integer Map lookups, ~0.3 s on an idle modern core): on a shared machine it
// shows how much slower than idle this run was, so the figures below can be read in context.
{
  const c0 = process.cpuUsage();
  const s = Date.now();
  const m = new Map<number, number>();
  for (let i = 0; i < 1e5; i++) m.set(i * 7, i);
  let x = 0;
  for (let i = 0; i < 2e7; i++) x += m.get((i % 100000) * 7) ?? 0;
  console.log(
    `reference workload (20M Map lookups): wall ${((Date.now() - s) / 1000).toFixed(2)} s, CPU ${(process.cpuUsage(c0).user / 1e6).toFixed(2)} s  [check ${x % 7}]`,
  );
}

// WEISU_BENCH_TAG_MODEL=real (or a model file): the text model trained on real messages (config tag.textModel)
const rawConfig: { tag?: Record<string, unknown> } = {
  tag: {
    ...(process.env.WEISU_BENCH_TAG_WORDS === '1' ? { words: true } : {}),
    ...(process.env.WEISU_BENCH_TAG_MODEL ? { textModel: process.env.WEISU_BENCH_TAG_MODEL } : {}),
  },
};
const cfg = TagConfigSchema.parse(rawConfig.tag ?? {});
const files = tagFiles(configFrom(rawConfig), cfg);
const { orders: labelled } = loadLabelled(files.labelled);
const test = labelled.filter((o) => o.split === 'test');
const train = labelled.filter((o) => o.split === 'train');
console.log(
  `labelled sample: ${labelled.length} orders from ${new Set(labelled.map((o) => o.base)).size} hand-written complaints; train ${train.length}, held-out test ${test.length} (split by complaint)`,
);

let t0 = Date.now();
const tagger = buildTagger(files, cfg);
console.log(`training (5 grouped folds + calibration): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
printEval('held-out test, fused (lexicon + model)', evaluate(tagger, test));

// Ablations: the same model without the lexicon (trained with an empty lexicon), and the lexicon alone.
{
  const inputs = loadTaggerInputs(files, cfg);
  const noLex = {
    ...inputs.lexicon,
    tags: inputs.lexicon.tags.map((t) => ({ ...t, terms: [{ term: '\u0000', weight: 1 }], negations: [] })),
  };
  const modelOnly = buildTaggerWith(noLex);
  printEval('held-out test, model only', evaluate(modelOnly, test));
  const lexScorer = new LexiconScorer(inputs.lexicon, CAUSE_TAGS);
  const lexOnly = {
    tags: CAUSE_TAGS,
    tag: (o: { content: string }) => {
      const s = new Float64Array(CAUSE_TAGS.length);
      lexScorer.score(o.content, s);
      const out = CAUSE_TAGS.filter((_, i) => s[i] >= 2).map((tag) => ({ tag, confidence: 1, sources: 'lexicon' }));
      return out.length ? out : [{ tag: FALLBACK_TAG, confidence: 1, sources: 'none' }];
    },
  } as unknown as Tagger;
  printEval('held-out test, lexicon only (score ≥ 2)', evaluate(lexOnly, test));
}

function buildTaggerWith(lexicon: ReturnType<typeof loadLexicon>): Tagger {
  const inputs = loadTaggerInputs(files, cfg);
  const scorer = new LexiconScorer(lexicon, CAUSE_TAGS);
  // train through the public path with a throwaway fingerprint
  const trained = buildTaggerFrom(inputs.labelled, scorer);
  return new Tagger('ablation', scorer, trained, new ScopeGuard([]), cfg);
}
import { trainTextEvidence } from '../src/tag/tagger.js';
function buildTaggerFrom(orders: typeof labelled, scorer: LexiconScorer) {
  return trainTextEvidence(
    orders.filter((o) => o.split === 'train'),
    scorer,
  );
}

// Throughput in memory: the scorer alone over N texts built from the labelled sample (two complaints per order,
// ~120 characters, the length of a typical 12345 content field).
{
  const texts: string[] = [];
  for (let i = 0; i < N; i++)
    texts.push(labelled[i % labelled.length].content + labelled[(i * 7 + 3) % labelled.length].content);
  const times: number[] = [];
  const cpu: number[] = [];
  const o = {
    content: '',
    category: '城市管理/市容环境',
    dispatchCount: 0 as number | null,
    reopened: false as boolean | null,
    dept: null,
    repeatAfterClose: false,
  };
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const s = Date.now();
    let n = 0;
    for (let i = 0; i < texts.length; i++) {
      o.content = texts[i];
      o.dispatchCount = i % 5;
      tagger.each(o, () => n++);
      tagger.scope.match(o.category, o.content);
    }
    times.push((Date.now() - s) / 1000);
    cpu.push(process.cpuUsage(c0).user / 1e6);
    if (n === 0) throw new Error('no tags');
  }
  const chars = texts.reduce((a, t) => a + t.length, 0) / texts.length;
  console.log(
    `\nscoring in memory (tags + scope): ${N.toLocaleString()} orders (${chars.toFixed(0)} chars avg), median of ${RUNS}: wall ${median(times).toFixed(2)} s = ${Math.round(N / median(times)).toLocaleString()} orders/s; CPU ${median(cpu).toFixed(2)} s = ${Math.round(N / median(cpu)).toLocaleString()} orders/s of CPU  (wall ${times.map((t) => t.toFixed(2)).join(', ')})`,
  );
}

// Throughput of the whole stage over a store: keys, repeats (SQL windows), scoring, writes, repeat rates.
{
  const tmp = tempDir('weisu-bench-tag-');
  const store = await Store.open(join(tmp.dir, 'bench.duckdb'));
  try {
    await store.exec(
      `CREATE TEMP TABLE lab AS SELECT row_number() OVER () - 1 AS k, content, category FROM read_json_auto('${files.labelled.replaceAll("'", "''")}')`,
    );
    const L = (await store.value<number>('SELECT count(*) FROM lab'))!;
    const s = Date.now();
    await store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, community, address, lon, lat, caller_hash,
         dept, closed_at, dispatch_count, reopened, row_hash, first_seq, seq, loaded_at)
       SELECT 'B' || i, TIMESTAMP '2023-01-01' + to_seconds(CAST(i * 94 AS BIGINT)), a.category, split_part(a.category, '/', 1),
              split_part(a.category, '/', 1) || '/' || split_part(a.category, '/', 2),
              a.content || b.content, 'D' || (i % 12), 'S' || (i % 180), 'C' || (i % 2400), NULL,
              116.0 + (hash(i) % 100000) / 100000.0, 39.5 + (hash(i * 31) % 100000) / 100000.0,
              'caller' || (hash(i * 17) % ${Math.max(1, Math.round(N * 0.6))}),
              CASE WHEN i % 9 = 0 THEN '区住建局→街道办' ELSE '区城管局' END,
              TIMESTAMP '2023-01-01' + to_seconds(CAST(i * 94 + 86400 AS BIGINT)), (i % 7)::INTEGER, i % 50 = 0, 0, 1, 1, now()
       FROM range(${N}) t(i)
       JOIN lab a ON a.k = i % ${L}
       JOIN lab b ON b.k = (i * 7 + 3) % ${L}`,
    );
    console.log(
      `\nstage over a store: ${N.toLocaleString()} orders loaded in ${((Date.now() - s) / 1000).toFixed(1)} s`,
    );
    const log = createLogger({ test: true });
    const times: number[] = [];
    const cpus: number[] = [];
    let counts = {};
    for (let r = 0; r < RUNS; r++) {
      await store.exec("DELETE FROM tag_state; DELETE FROM stage_marks WHERE stage = 'tag'");
      const t = Date.now();
      const c0 = process.cpuUsage();
      counts = await store.tx(() =>
        tagStage.run({
          store,
          asOf: '2030-01-01',
          runId: 'bench',
          log,
          config: configFrom(rawConfig),
          outDir: tmp.dir,
          progress: () => {},
        }),
      );
      const c = process.cpuUsage(c0);
      times.push((Date.now() - t) / 1000);
      cpus.push((c.user + c.system) / 1e6);
    }
    const workers = benchWorkers === 'auto' ? defaultWorkers() : benchWorkers;
    console.log(
      `  full tag stage (${workers} scoring workers), median of ${RUNS}: ${median(times).toFixed(1)} s = ${Math.round(N / median(times)).toLocaleString()} orders/s (runs ${times.map((t) => t.toFixed(1)).join(', ')}); CPU of the process (DuckDB threads and workers included) median ${median(cpus).toFixed(1)} s (${cpus.map((t) => t.toFixed(1)).join(', ')}); peak RSS ${rssMB()} MB`,
    );
    console.log(`  counts ${JSON.stringify(counts)}`);
    console.log(`  steps of the last run, wall ms: ${JSON.stringify(timings.ms)}`);
    console.log(`  steps of the last run, CPU ms:  ${JSON.stringify(timings.cpuMs)}`);
    // a nightly increment: 0.3% new orders
    const inc = Math.round(N * 0.003);
    // new orders the day after the last one (a true nightly increment, not a late arrival)
    await store.exec(
      `INSERT INTO orders SELECT * REPLACE ('N' || order_id AS order_id, 2 AS seq,
         (SELECT max(created_at) FROM orders) + INTERVAL 1 DAY + (created_at - (SELECT min(created_at) FROM orders)) AS created_at)
       FROM orders ORDER BY created_at LIMIT ${inc}`,
    );
    const t = Date.now();
    const c = await store.tx(() =>
      tagStage.run({
        store,
        asOf: '2030-01-01',
        runId: 'bench',
        log,
        config: configFrom(rawConfig),
        outDir: tmp.dir,
        progress: () => {},
      }),
    );
    console.log(
      `  nightly increment of ${inc.toLocaleString()} new orders on ${N.toLocaleString()}: ${((Date.now() - t) / 1000).toFixed(2)} s (${JSON.stringify(c)})`,
    );
  } finally {
    store.close();
    tmp.cleanup();
  }
}

// Demo city: planted root causes, repeats and scope from the generator's ground truth (out of distribution:
// the generator's texts were written by someone else, from templates the model never saw).
if (DEMO_SCALE > 0 && existsSync(join(dataPath('..'), 'src/synth/index.ts'))) {
  const { generateCity } = await import('../src/synth/index.js');
  const tmp = tempDir('weisu-bench-demo-');
  const store = await Store.open(join(tmp.dir, 'demo.duckdb'));
  try {
    t0 = Date.now();
    const city = await generateCity({ outDir: tmp.dir, scale: DEMO_SCALE, start: '2023-01-01', end: '2024-01-01' });
    console.log(
      `\ndemo city (scale ${DEMO_SCALE}, 2023): ${city.orders.toLocaleString()} orders generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const files = city.ordersFiles.map((f) => `'${f.replaceAll("'", "''")}'`).join(',');
    await store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, community, address, lon, lat, caller_hash,
         channel, order_type, dept, closed_at, satisfaction, resolved, dispatch_count, reopened, row_hash, first_seq, seq, loaded_at)
       SELECT order_id, created_at, category, split_part(category, '/', 1), split_part(category, '/', 1) || '/' || split_part(category, '/', 2),
              content, district, street, community, address, lon, lat, md5(caller_phone), channel, order_type, dept, closed_at, satisfaction,
              resolved, dispatch_count, reopened, 0, 1, 1, now()
       FROM read_parquet([${files}])`,
    );
    const t = Date.now();
    await store.tx(() =>
      tagStage.run({
        store,
        asOf: '2024-01-01',
        runId: 'demo',
        log: createLogger({ test: true }),
        config: configFrom(rawConfig),
        outDir: tmp.dir,
        progress: () => {},
      }),
    );
    console.log(`  tag stage: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await store.exec(
      `CREATE TEMP TABLE truth AS SELECT * FROM read_parquet('${city.ordersTruthFile.replaceAll("'", "''")}')`,
    );
    const per = await store.all<{ tag: string; support: number; predicted: number; tp: number }>(`
      WITH tags AS (SELECT unnest(['权责交叉','政策漏洞','基础设施短板','监管缺位','服务落实不到位','其他']) AS tag),
      pred AS (SELECT order_id, tag FROM order_tags),
      want AS (SELECT order_id, unnest(true_root_causes) AS tag FROM truth)
      SELECT tags.tag,
             (SELECT count(*) FROM want w WHERE w.tag = tags.tag) AS support,
             (SELECT count(*) FROM pred p WHERE p.tag = tags.tag) AS predicted,
             (SELECT count(*) FROM want w JOIN pred p USING (order_id, tag) WHERE w.tag = tags.tag) AS tp
      FROM tags`);
    const ev: Evaluation = {
      orders: city.orders,
      perTag: per.map((m) => {
        const precision = m.predicted ? m.tp / m.predicted : 0;
        const recall = m.support ? m.tp / m.support : 0;
        return {
          ...m,
          precision,
          recall,
          f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
        };
      }),
      macroF1: 0,
      macroF1Causes: 0,
      exactMatch:
        (await store.value<number>(`
          WITH p AS (SELECT order_id, list_sort(list(tag)) AS s FROM order_tags GROUP BY 1)
          SELECT avg((p.s = list_sort(t.true_root_causes))::INT) FROM truth t JOIN p USING (order_id)`)) ?? 0,
    };
    ev.macroF1 = ev.perTag.reduce((a, m) => a + m.f1, 0) / ev.perTag.length;
    ev.macroF1Causes =
      ev.perTag.filter((m) => m.tag !== FALLBACK_TAG).reduce((a, m) => a + m.f1, 0) / (ev.perTag.length - 1);
    printEval('demo city root causes vs planted truth (out of distribution)', ev);
    const rep = await store.one<Record<string, number>>(`
      SELECT count(*) FILTER (WHERE t.repeat_of IS NOT NULL) AS planted,
             count(*) FILTER (WHERE f.is_repeat) AS flagged,
             count(*) FILTER (WHERE f.is_repeat AND t.repeat_of IS NOT NULL) AS both,
             count(*) FILTER (WHERE f.repeat_of = t.repeat_of) AS same_predecessor,
             count(*) FILTER (WHERE t.out_of_scope) AS oos_planted,
             count(*) FILTER (WHERE f.out_of_scope) AS oos_flagged,
             count(*) FILTER (WHERE f.out_of_scope AND t.out_of_scope) AS oos_both
      FROM truth t JOIN order_flags f USING (order_id)`);
    if (rep) {
      console.log(
        `  repeats: planted ${rep.planted}, flagged ${rep.flagged}; recall ${pct(rep.both / Math.max(1, rep.planted))}%, precision ${pct(rep.both / Math.max(1, rep.flagged))}% (same predecessor ${rep.same_predecessor})`,
      );
      console.log(
        `  scope:   planted out-of-scope ${rep.oos_planted}, flagged ${rep.oos_flagged}; recall ${pct(rep.oos_both / Math.max(1, rep.oos_planted))}%, precision ${pct(rep.oos_both / Math.max(1, rep.oos_flagged))}%`,
      );
    }
  } finally {
    store.close();
    tmp.cleanup();
  }
}
console.log(`\npeak RSS ${rssMB()} MB`);
