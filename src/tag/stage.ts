import type { Store } from '../store/db.js';
import { getMark, setMark } from '../store/marks.js';
import { sql } from '../store/sql.js';
import type { Stage, StageContext, StageCounts } from '../store/stage.js';
import { tagConfig, tagFiles, type TagConfig } from './config.js';
import { appendRows, readPacked, ScoredRows } from './batch-io.js';
import { scoreBatch, Utf8Decoder, type PackedBatch, type ScoredBatch } from './score-batch.js';
import { defaultWorkers, ScorePool } from './score-pool.js';
import {
  bounced,
  deserializeEvidence,
  loadTaggerInputs,
  makeTagger,
  serializeEvidence,
  SOURCE_LABELS,
  taggerParts,
  type Tagger,
  type TaggerInputs,
  type TrainedCache,
} from './tagger.js';

/** The tagger for the configured inputs: from the store when it was trained before, else trained and kept. */
export async function storedTagger(store: Store, inputs: TaggerInputs, cache?: TrainedCache): Promise<Tagger> {
  const fp = inputs.modelFingerprint;
  const json = cache?.has(fp)
    ? undefined
    : await store.value<string>('SELECT model FROM tag_models WHERE fingerprint = $fp', { fp });
  const tagger = makeTagger(inputs, json ? deserializeEvidence(json) : undefined, cache);
  if (!json && !(await store.value<number>('SELECT count(*) FROM tag_models WHERE fingerprint = $fp', { fp }))) {
    await store.exec('DELETE FROM tag_models WHERE fingerprint <> $fp', { fp });
    await store.exec(
      'INSERT INTO tag_models (fingerprint, created_at, model) VALUES ($fp, current_localtimestamp(), $model)',
      {
        fp,
        model: serializeEvidence(tagger.text),
      },
    );
  }
  return tagger;
}

function repeatParams(cfg: TagConfig, mark: number) {
  return {
    mark,
    decimals: cfg.coordDecimals,
    caller_same_category: cfg.callerSameCategory,
    window_days: cfg.repeatWindowDays,
  };
}

/**
 * How the stage scores. `workers`: scoring threads for large runs ('auto' = one per core, 0 = score on the main
 * thread). Starting a worker costs ~0.2 CPU-s (loading the tagger's modules), about what scoring 20,000 orders
 * costs, so below `minOrdersForWorkers` targets (a nightly increment) the main thread scores alone. `pageOrders`:
 * targets are read, scored and written a page of this many at a time, so what the stage holds at once (scored rows
 * in JS, the writes' joins in DuckDB) does not grow with the store: at 10M orders a single page kept 210 MB of
 * scored rows in JS while DuckDB, at its limit, wrote 13M tag rows through one join.
 */
export interface ScoringOptions {
  workers: number | 'auto';
  minOrdersForWorkers: number;
  batchOrders: number;
  pageOrders: number;
}

export const defaultScoringOptions: Readonly<ScoringOptions> = {
  workers: 'auto',
  minOrdersForWorkers: 100_000,
  batchOrders: 8192,
  pageOrders: 1_048_576,
};

/**
 * Milliseconds per step of a run, wall and CPU of the whole process (filled by the stage, read by bench/tag.ts), and
 * the most scored rows held at once.
 */
export interface TagTimings {
  ms: Record<string, number>;
  cpuMs: Record<string, number>;
  /** The most scored tag rows held in JS at once (bounded by the page, not the store: test/pipeline/memory-guard). */
  heldRows?: number;
}

/** What a tag stage instance keeps or is told: scoring options, where to put step timings, the trained-model cache. */
export interface TagStageOptions {
  scoring?: Partial<ScoringOptions>;
  timings?: TagTimings;
  cache?: TrainedCache;
}

/** A page of targets (pages.sql): its row numbers in tag_input and the span of rows in orders they come from. */
interface Page {
  rn_lo: number;
  rn_hi: number;
  orow_lo: number;
  orow_hi: number;
}

type Lap = (step: string) => Promise<void>;

/**
 * Score every target order, a page at a time: stream the page's (row number, content bytes, category number,
 * structure bits) from DuckDB, score in batches on workers or inline, append the typed rows to tag_scored /
 * tag_scope and write the page's tags and flags (write.sql). A statement on the connection would end the stream, so
 * each page's results are appended once its read is done and its batches are back from the workers.
 */
async function scoreTargets(
  ctx: StageContext,
  tagger: Tagger,
  inputs: TaggerInputs,
  targets: number,
  cfg: TagConfig,
  scoringOptions: ScoringOptions,
  lap: Lap,
): Promise<ScoredRows> {
  const { store } = ctx;
  const categories = (await store.all<{ category: string }>('SELECT category FROM tag_categories ORDER BY id')).map(
    (r) => r.category,
  );
  await appendDictionaries(store, tagger);
  const pages = await store.all<Page>(sql('tag/pages.sql'), { page_orders: scoringOptions.pageOrders });

  const out = new ScoredRows();
  const size = Math.min(scoringOptions.batchOrders, cfg.batchSize);
  const wanted = scoringOptions.workers === 'auto' ? defaultWorkers() : scoringOptions.workers;
  const pool =
    wanted > 0 && targets >= scoringOptions.minOrdersForWorkers
      ? new ScorePool(wanted, { parts: taggerParts(inputs, tagger), categories })
      : null;
  const decoder = new Utf8Decoder();
  // Batches in flight on the workers, oldest first; results are gathered in order (row numbers travel along).
  const inFlight: Array<{ batch: Pick<PackedBatch, 'n' | 'rn'>; result: Promise<ScoredBatch> }> = [];
  let done = 0;
  const settle = async () => {
    const f = inFlight.shift()!;
    out.add(f.batch, await f.result);
    done += f.batch.n;
    ctx.progress(done, targets, 'tag');
  };
  try {
    for (const page of pages) {
      const bounds = { rn_lo: page.rn_lo, rn_hi: page.rn_hi, orow_lo: page.orow_lo, orow_hi: page.orow_hi };
      for await (const batch of readPacked(store.conn, sql('tag/score_read.sql'), size, bounds)) {
        if (ctx.signal?.aborted) throw new Error('tagging interrupted');
        if (!pool) {
          out.add(batch, scoreBatch(tagger, categories, batch, decoder));
          done += batch.n;
          ctx.progress(done, targets, 'tag');
          continue;
        }
        // the batch's buffers move to the worker; keep the row numbers
        const kept = { n: batch.n, rn: batch.rn.slice() };
        const result = pool.score(batch);
        // a worker failure rejects every batch in flight at once: settle() reports it, the others must not count
        // as unhandled rejections (which would end the process) while the main thread is busy reading
        result.catch(() => {});
        inFlight.push({ batch: kept, result });
        // two batches per worker keep them busy while bounding memory
        if (inFlight.length >= 2 * wanted) await settle();
      }
      while (inFlight.length) await settle();
      await lap('score');
      await out.append(store.conn);
      await store.script(sql('tag/write.sql'), bounds);
      await lap('write');
    }
  } finally {
    await pool?.close();
  }
  return out;
}

/** The code tables the scorer's rows are written with: bounced departments and the tag, source and rule labels. */
async function appendDictionaries(store: Store, tagger: Tagger): Promise<void> {
  const depts = (await store.all<{ dept: string }>('SELECT dept FROM tag_depts')).map((r) => r.dept);
  await appendRows(
    store.conn,
    'tag_bounced',
    depts.filter((d) => bounced(d)).map((d) => [d]),
  );
  await appendRows(store.conn, 'tag_labels', [
    ...tagger.labels.map((l, i) => ['tag', i, l]),
    ...SOURCE_LABELS.map((l, i) => ['sources', i, l]),
    ...tagger.scope.rules.map((r, i) => ['scope', i, r.id]),
  ]);
}

/**
 * Root-cause tags, repeat flags and scope flags for orders new or changed since the last run (all orders when
 * the lexicon, labelled sample, scope rules or settings changed). An order's tags and flags depend only on the
 * order itself and on orders created before it, so they are the same whatever the as-of date; analytical stages
 * apply the as-of cut when they read.
 */
export function createTagStage(opts: TagStageOptions = {}): Stage {
  const scoring: ScoringOptions = { ...defaultScoringOptions, ...opts.scoring };
  const cache: TrainedCache = opts.cache ?? new Map();
  return {
    name: 'tag',
    description: 'root-cause tags, repeats and scope flags for new or changed orders',
    run: (ctx) => runTagStage(ctx, scoring, cache, opts.timings),
  };
}

/** The stage as the pipeline runs it: default scoring, its own trained-model cache for the process. */
export const tagStage: Stage = createTagStage();

/** Memory at a step's end (the highest RSS when it runs once per page), in MB: the process (RSS, JS heap, buffers outside it) and DuckDB's buffer pool. */
export interface StepMemory {
  rss: number;
  heap: number;
  external: number;
  duckdb: number;
}

/**
 * Wall and CPU time of each step, and the memory when it ended: where a run's time and memory go (logged as the
 * debug event tag_timing; bench/tag.ts reads the times).
 */
function stepTimer(store: Store) {
  const timer = {
    t: Date.now(),
    cpu: process.cpuUsage(),
    ms: {} as Record<string, number>,
    cpuMs: {} as Record<string, number>,
    memMb: {} as Record<string, StepMemory>,
  };
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  const lap = async (step: string) => {
    const now = Date.now();
    const cpu = process.cpuUsage();
    // a step that runs once per page adds up
    timer.ms[step] = (timer.ms[step] ?? 0) + now - timer.t;
    timer.cpuMs[step] =
      (timer.cpuMs[step] ?? 0) + Math.round((cpu.user + cpu.system - timer.cpu.user - timer.cpu.system) / 1000);
    const m = process.memoryUsage();
    const duckdb = (await store.value<number>('SELECT sum(memory_usage_bytes) FROM duckdb_memory()')) ?? 0;
    const was = timer.memMb[step];
    if (!was || mb(m.rss) > was.rss)
      timer.memMb[step] = { rss: mb(m.rss), heap: mb(m.heapUsed), external: mb(m.external), duckdb: mb(duckdb) };
    timer.t = Date.now();
    timer.cpu = process.cpuUsage();
  };
  return { timer, lap };
}

async function runTagStage(
  ctx: StageContext,
  scoring: ScoringOptions,
  cache: TrainedCache,
  timings: TagTimings | undefined,
): Promise<StageCounts> {
  const { store, log } = ctx;
  const cfg = tagConfig(ctx.config);
  const inputs = loadTaggerInputs(tagFiles(ctx.config, cfg), cfg);
  const previous = await store.value<string>("SELECT value FROM tag_state WHERE key = 'fingerprint'");
  const retagAll = previous !== undefined && previous !== inputs.fingerprint;
  const mark = previous === inputs.fingerprint ? await getMark(store, 'tag') : 0;
  if (retagAll)
    log.info(
      { event: 'tag_retag_all', previous, fingerprint: inputs.fingerprint },
      'tagging inputs changed: tagging every order again',
    );

  const params = repeatParams(cfg, mark);
  const { timer, lap } = stepTimer(store);
  await store.script(sql('tag/keys.sql'), params);
  // A first run or a re-tag makes every order in the span a target: no shared-key expansion, and the repeat
  // windows need no semi-join with the targets' keys (at 10M orders those were a third of the SQL time).
  const notTargets = (await store.value<number>('SELECT count(*) FROM tag_keys WHERE NOT target')) ?? 0;
  await store.script(sql(notTargets > 0 ? 'tag/targets.sql' : 'tag/targets_all.sql'), params);
  await lap('keys');
  const targets = (await store.value<number>('SELECT count(*) FROM tag_keys WHERE target')) ?? 0;
  const counts: StageCounts = { orders: targets };
  let heldRows = 0;
  if (targets > 0) {
    // as a bigint: rowids of a table created in this transaction start at 2^55, past a JS number's exact range
    const firstKid = BigInt((await store.value<string>('SELECT CAST(min(rowid) AS VARCHAR) FROM tag_keys')) ?? '0');
    await store.script(sql('tag/repeats.sql'), { ...params, first_kid: firstKid });
    await lap('repeats');
    const tagger = await storedTagger(store, inputs, cache);
    await lap('model');
    await store.script(sql('tag/scratch.sql'));
    await store.script(sql('tag/score_input.sql'));
    const stored = (await store.value<number>('SELECT count(*) FROM orders')) ?? 0;
    const everyOrder = targets === stored;
    await store.script(sql(everyOrder ? 'tag/replace_all.sql' : 'tag/replace_targets.sql'));
    await lap('input');
    const scored = await scoreTargets(ctx, tagger, inputs, targets, cfg, scoring, lap);
    await store.script(sql(everyOrder ? 'tag/rate_orders_all.sql' : 'tag/rate_orders.sql'));
    await store.script(sql('tag/repeat_rates.sql'));
    await lap('repeat_rates');
    counts.repeats = (await store.value<number>('SELECT count(*) FROM tag_input WHERE is_repeat')) ?? 0;
    counts.out_of_scope = scored.outOfScope;
    heldRows = scored.mostHeld;
    tagger.labels.forEach((tag, i) => {
      if (scored.perTag[i]) counts[tag] = scored.perTag[i];
    });
  }
  await store.script(sql('tag/cleanup.sql'));
  await setMark(store, 'tag');
  await store.exec("INSERT OR REPLACE INTO tag_state (key, value) VALUES ('fingerprint', $fp)", {
    fp: inputs.fingerprint,
  });
  log.debug({ event: 'tag_timing', ms: timer.ms, mem_mb: timer.memMb }, 'tag stage steps');
  if (timings) {
    timings.ms = timer.ms;
    timings.cpuMs = timer.cpuMs;
    timings.heldRows = heldRows;
  }
  return counts;
}
