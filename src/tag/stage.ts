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
 * costs, so below `minOrdersForWorkers` targets (a nightly increment) the main thread scores alone.
 */
export interface ScoringOptions {
  workers: number | 'auto';
  minOrdersForWorkers: number;
  batchOrders: number;
}

export const defaultScoringOptions: Readonly<ScoringOptions> = {
  workers: 'auto',
  minOrdersForWorkers: 100_000,
  batchOrders: 8192,
};

/** Milliseconds per step of a run, wall and CPU of the whole process (filled by the stage, read by bench/tag.ts). */
export interface TagTimings {
  ms: Record<string, number>;
  cpuMs: Record<string, number>;
}

/** What a tag stage instance keeps or is told: scoring options, where to put step timings, the trained-model cache. */
export interface TagStageOptions {
  scoring?: Partial<ScoringOptions>;
  timings?: TagTimings;
  cache?: TrainedCache;
}

/**
 * Score every target order: stream (row number, content bytes, category number, structure bits) from DuckDB,
 * score in batches on workers or inline, and append typed rows to tag_scored / tag_scope.
 */
async function scoreTargets(
  ctx: StageContext,
  tagger: Tagger,
  inputs: TaggerInputs,
  targets: number,
  cfg: TagConfig,
  scoringOptions: ScoringOptions,
): Promise<ScoredRows> {
  const { store } = ctx;
  const categories = (await store.all<{ category: string }>('SELECT category FROM tag_categories ORDER BY id')).map(
    (r) => r.category,
  );
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
    for await (const batch of readPacked(store.conn, sql('tag/score_read.sql'), size)) {
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
  } finally {
    await pool?.close();
  }
  await out.append(store.conn);
  return out;
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
  const timer = {
    t: Date.now(),
    cpu: process.cpuUsage(),
    ms: {} as Record<string, number>,
    cpuMs: {} as Record<string, number>,
  };
  const lap = (step: string) => {
    const now = Date.now();
    const cpu = process.cpuUsage();
    timer.ms[step] = now - timer.t;
    timer.cpuMs[step] = Math.round((cpu.user + cpu.system - timer.cpu.user - timer.cpu.system) / 1000);
    timer.t = now;
    timer.cpu = cpu;
  };
  await store.script(sql('tag/keys.sql'), params);
  // A first run or a re-tag makes every order in the span a target: no shared-key expansion, and the repeat
  // windows need no semi-join with the targets' keys (at 10M orders those were a third of the SQL time).
  const notTargets = (await store.value<number>('SELECT count(*) FROM tag_keys WHERE NOT target')) ?? 0;
  await store.script(sql(notTargets > 0 ? 'tag/targets.sql' : 'tag/targets_all.sql'), params);
  lap('keys');
  const targets = (await store.value<number>('SELECT count(*) FROM tag_keys WHERE target')) ?? 0;
  const counts: StageCounts = { orders: targets };
  if (targets > 0) {
    // as a bigint: rowids of a table created in this transaction start at 2^55, past a JS number's exact range
    const firstKid = BigInt((await store.value<string>('SELECT CAST(min(rowid) AS VARCHAR) FROM tag_keys')) ?? '0');
    await store.script(sql('tag/repeats.sql'), { ...params, first_kid: firstKid });
    lap('repeats');
    const tagger = await storedTagger(store, inputs, cache);
    lap('model');
    await store.script(sql('tag/scratch.sql'));
    await store.script(sql('tag/score_input.sql'));
    lap('input');
    const scored = await scoreTargets(ctx, tagger, inputs, targets, cfg, scoring);
    lap('score');
    const stored = (await store.value<number>('SELECT count(*) FROM orders')) ?? 0;
    const everyOrder = targets === stored;
    await store.script(sql(everyOrder ? 'tag/replace_all.sql' : 'tag/replace_targets.sql'));
    await store.script(sql('tag/write.sql'));
    lap('write');
    await store.script(sql(everyOrder ? 'tag/rate_orders_all.sql' : 'tag/rate_orders.sql'));
    await store.script(sql('tag/repeat_rates.sql'));
    lap('repeat_rates');
    counts.repeats = (await store.value<number>('SELECT count(*) FROM tag_input WHERE is_repeat')) ?? 0;
    counts.out_of_scope = scored.outOfScope;
    tagger.labels.forEach((tag, i) => {
      if (scored.perTag[i]) counts[tag] = scored.perTag[i];
    });
  }
  await store.script(sql('tag/cleanup.sql'));
  await setMark(store, 'tag');
  await store.exec("INSERT OR REPLACE INTO tag_state (key, value) VALUES ('fingerprint', $fp)", {
    fp: inputs.fingerprint,
  });
  log.debug({ event: 'tag_timing', ms: timer.ms }, 'tag stage steps');
  if (timings) {
    timings.ms = timer.ms;
    timings.cpuMs = timer.cpuMs;
  }
  return counts;
}
