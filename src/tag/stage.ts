import type { DuckDBAppender } from '@duckdb/node-api';
import type { Store } from '../store/db.js';
import { getMark, setMark } from '../store/marks.js';
import { sql } from '../store/sql.js';
import type { Stage, StageContext, StageCounts } from '../store/stage.js';
import { tagConfig, tagFiles, type TagConfig } from './config.js';
import { deserializeEvidence, isTrained, loadTaggerInputs, makeTagger, serializeEvidence, type OrderEvidence, type Tagger, type TaggerInputs } from './tagger.js';

/** The tagger for the configured inputs: from the store when it was trained before, else trained and kept. */
export async function storedTagger(store: Store, inputs: TaggerInputs): Promise<Tagger> {
  const fp = inputs.modelFingerprint;
  const json = isTrained(inputs) ? undefined : await store.value<string>('SELECT model FROM tag_models WHERE fingerprint = $fp', { fp });
  const tagger = makeTagger(inputs, json ? deserializeEvidence(json) : undefined);
  if (!json && !(await store.value<number>('SELECT count(*) FROM tag_models WHERE fingerprint = $fp', { fp }))) {
    await store.exec('DELETE FROM tag_models WHERE fingerprint <> $fp', { fp });
    await store.exec('INSERT INTO tag_models VALUES ($fp, current_localtimestamp(), $model)', { fp, model: serializeEvidence(tagger.text) });
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

interface Batch {
  ids: string[];
  content: string[];
  category: string[];
  dispatch: Array<number | null>;
  reopened: Array<boolean | null>;
  dept: Array<string | null>;
  afterClose: boolean[];
  seq: bigint[];
}

async function readBatch(store: Store, from: number, to: number): Promise<Batch> {
  const res = await store.conn.run('SELECT * EXCLUDE (rn) FROM tag_input WHERE rn > $from AND rn <= $to ORDER BY rn', { from, to });
  const b: Batch = { ids: [], content: [], category: [], dispatch: [], reopened: [], dept: [], afterClose: [], seq: [] };
  for (;;) {
    const chunk = await res.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const cols = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => chunk.getColumnVector(i));
    for (let r = 0; r < chunk.rowCount; r++) {
      b.ids.push(cols[0].getItem(r) as string);
      b.content.push(cols[1].getItem(r) as string);
      b.category.push(cols[2].getItem(r) as string);
      b.dispatch.push(cols[3].getItem(r) as number | null);
      b.reopened.push(cols[4].getItem(r) as boolean | null);
      b.dept.push(cols[5].getItem(r) as string | null);
      b.afterClose.push(cols[6].getItem(r) === true);
      b.seq.push(cols[7].getItem(r) as bigint);
    }
  }
  return b;
}

/** Score one batch into the scratch tables. Returns counts per tag. */
function scoreBatch(tagger: Tagger, b: Batch, tags: DuckDBAppender, scope: DuckDBAppender, perTag: Map<string, number>): number {
  let outOfScope = 0;
  let i = 0;
  const emit = (tag: string, confidence: number, sources: string) => {
    tags.appendVarchar(b.ids[i]);
    tags.appendVarchar(tag);
    tags.appendDouble(Math.round(confidence * 1e4) / 1e4);
    tags.appendVarchar(sources);
    tags.appendBigInt(b.seq[i]);
    tags.endRow();
    perTag.set(tag, (perTag.get(tag) ?? 0) + 1);
  };
  const evidence: OrderEvidence = { content: '', category: '', dispatchCount: null, reopened: null, dept: null, repeatAfterClose: false };
  for (i = 0; i < b.ids.length; i++) {
    evidence.content = b.content[i];
    evidence.category = b.category[i];
    evidence.dispatchCount = b.dispatch[i];
    evidence.reopened = b.reopened[i];
    evidence.dept = b.dept[i];
    evidence.repeatAfterClose = b.afterClose[i];
    tagger.each(evidence, emit);
    const rule = tagger.scope.match(b.category[i], b.content[i]);
    scope.appendVarchar(b.ids[i]);
    if (rule === null) scope.appendNull();
    else {
      scope.appendVarchar(rule);
      outOfScope++;
    }
    scope.endRow();
  }
  return outOfScope;
}

/** Milliseconds per step of the last run in this process (for bench/tag.ts). */
export let lastTimings: Record<string, number> = {};

/**
 * Root-cause tags, repeat flags and scope flags for orders new or changed since the last run (all orders when
 * the lexicon, labelled sample, scope rules or settings changed). An order's tags and flags depend only on the
 * order itself and on orders created before it, so they are the same whatever the as-of date; analytical stages
 * apply the as-of cut when they read.
 */
export const tagStage: Stage = {
  name: 'tag',
  description: 'root-cause tags, repeats and scope flags for new or changed orders',
  async run(ctx: StageContext): Promise<StageCounts> {
    const { store, log } = ctx;
    const cfg = tagConfig(ctx.config);
    const inputs = loadTaggerInputs(tagFiles(ctx.config, cfg), cfg);
    const previous = await store.value<string>("SELECT value FROM tag_state WHERE key = 'fingerprint'");
    const retagAll = previous !== undefined && previous !== inputs.fingerprint;
    const mark = previous === inputs.fingerprint ? await getMark(store, 'tag') : 0;
    if (retagAll) log.info({ event: 'tag_retag_all', previous, fingerprint: inputs.fingerprint }, 'tagging inputs changed: tagging every order again');

    const params = repeatParams(cfg, mark);
    const timer = { t: Date.now(), ms: {} as Record<string, number> };
    const lap = (step: string) => {
      const now = Date.now();
      timer.ms[step] = now - timer.t;
      timer.t = now;
    };
    await store.script(sql('tag/keys.sql'), params);
    lap('keys');
    const targets = (await store.value<number>('SELECT count(*) FROM tag_targets')) ?? 0;
    const counts: StageCounts = { orders: targets };
    if (targets > 0) {
      await store.script(sql('tag/repeats.sql'), params);
      lap('repeats');
      const tagger = await storedTagger(store, inputs);
      lap('model');
      await store.script(sql('tag/scratch.sql'));
      await store.exec(`CREATE OR REPLACE TEMP TABLE tag_input AS SELECT row_number() OVER () AS rn, * FROM (${sql('tag/score_input.sql')})`);
      const perTag = new Map<string, number>();
      lap('input');
      let outOfScope = 0;
      for (let from = 0; from < targets; from += cfg.batchSize) {
        const batch = await readBatch(store, from, from + cfg.batchSize);
        const tags = await store.conn.createAppender('tag_scored', null, 'temp');
        const scope = await store.conn.createAppender('tag_scope', null, 'temp');
        outOfScope += scoreBatch(tagger, batch, tags, scope, perTag);
        tags.flushSync();
        tags.closeSync();
        scope.flushSync();
        scope.closeSync();
        ctx.progress(Math.min(from + cfg.batchSize, targets), targets, 'tag');
        if (ctx.signal?.aborted) throw new Error('tagging interrupted');
      }
      lap('score');
      await store.script(sql('tag/write.sql'));
      lap('write');
      await store.script(sql('tag/repeat_rates.sql'));
      lap('repeat_rates');
      counts.repeats = (await store.value<number>('SELECT count(*) FROM tag_repeats WHERE is_repeat')) ?? 0;
      counts.out_of_scope = outOfScope;
      for (const [tag, n] of perTag) counts[tag] = n;
      await store.exec('DROP TABLE IF EXISTS tag_input');
    }
    await store.script(sql('tag/cleanup.sql'));
    await setMark(store, 'tag');
    await store.exec("INSERT OR REPLACE INTO tag_state VALUES ('fingerprint', $fp)", { fp: inputs.fingerprint });
    log.debug({ event: 'tag_timing', ms: timer.ms }, 'tag stage steps');
    lastTimings = timer.ms;
    return counts;
  },
};
