import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { dataPath } from '../../src/store/paths.js';
import { TagConfigSchema, tagFiles } from '../../src/tag/config.js';
import { readPacked } from '../../src/tag/batch-io.js';
import { Utf8Decoder } from '../../src/tag/score-batch.js';
import { createTagStage } from '../../src/tag/stage.js';
import { ScorePool } from '../../src/tag/score-pool.js';
import { buildTagger, loadTaggerInputs, makeTagger, taggerParts, type Tagger } from '../../src/tag/tagger.js';
import { tempStore, testConfig, testContext } from '../helpers.js';

describe('Utf8Decoder', () => {
  it('decodes exactly as TextDecoder, valid or not', () => {
    const enc = new TextEncoder();
    const texts = [
      '',
      'abc',
      '路灯不亮，物业推诿',
      'é ß ü ¥ ¬',
      '😀 表情 𠀋 surrogate pairs',
      '混合 mixed ２０２４年 \u3000全角空格',
      'x'.repeat(5000) + '尾',
    ];
    const chunks: Uint8Array[] = texts.map((t) => enc.encode(t));
    // invalid sequences: lone continuation, truncated 3-byte, overlong, encoded surrogate, bytes past U+10FFFF
    for (const bad of [[0x80], [0xe4, 0xb8], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff, 0x41]])
      chunks.push(Uint8Array.from([...enc.encode('前'), ...bad, ...enc.encode('后')]));
    const offsets = new Int32Array(chunks.length + 1);
    chunks.forEach((c, i) => (offsets[i + 1] = offsets[i] + c.length));
    const bytes = new Uint8Array(offsets[chunks.length]);
    chunks.forEach((c, i) => bytes.set(c, offsets[i]));
    const got = new Utf8Decoder().decodeAll(bytes, offsets, chunks.length);
    const td = new TextDecoder();
    expect(got).toEqual(chunks.map((c) => td.decode(c)));
  });
});

// readPacked copies runs of payloads that sit back to back in DuckDB's memory with one call: the packed bytes must be
// exactly the column's, whether the payloads are inline (≤ 12 bytes), NULL, computed (adjacent) or read from storage.
describe('readPacked', () => {
  it('packs every row of every chunk exactly, across batch and chunk edges', async () => {
    const t = await tempStore();
    try {
      const n = 5000;
      await t.store.exec(`CREATE TEMP TABLE texts AS
        SELECT i AS rn,
               CASE WHEN i % 97 = 0 THEN NULL
                    WHEN i % 11 = 0 THEN ''
                    WHEN i % 5 = 0 THEN repeat('短', i % 5)                -- ≤ 12 bytes: inline
                    ELSE repeat(chr(CAST(19968 + i % 2000 AS INTEGER)), 1 + i % 40) || ' #' || i || ' 😀' END AS content,
               i % 7 AS category, CAST(i % 8 AS UTINYINT) AS flags
        FROM range(${n}) r(i)`);
      const want = await t.store.all<{ rn: number; content: string | null; category: number; flags: number }>(
        'SELECT rn, content, category, flags FROM texts ORDER BY rn',
      );
      const td = new TextDecoder();
      for (const query of [
        // straight from a table
        "SELECT CAST(rn AS INTEGER), encode(coalesce(content, '')), CAST(category AS INTEGER), flags FROM texts ORDER BY rn",
        // computed payloads, NULLs kept
        "SELECT CAST(rn AS INTEGER), encode(content || ''), CAST(category AS INTEGER), flags FROM texts ORDER BY rn",
      ]) {
        const got: Array<{ rn: number; content: string; category: number; flags: number }> = [];
        for await (const b of readPacked(t.store.conn, query, 1000)) {
          expect(b.n).toBeLessThanOrEqual(1000);
          for (let i = 0; i < b.n; i++)
            got.push({
              rn: b.rn[i],
              content: td.decode(b.bytes.subarray(b.offsets[i], b.offsets[i + 1])),
              category: b.category[i],
              flags: b.flags[i],
            });
        }
        expect(got).toEqual(want.map((w) => ({ ...w, content: w.content ?? '' })));
      }
    } finally {
      t.cleanup();
    }
  });
});

// The stage scores in compact batches (UTF-8 bytes, codes, typed rows), inline or on worker threads. Both must give
// exactly what the plain Tagger API gives for each order.
describe('tag stage scoring paths', () => {
  const N = 2500;
  let tagger: Tagger;
  const stores: Array<() => void> = [];
  beforeAll(() => {
    const cfg = TagConfigSchema.parse({});
    tagger = buildTagger(tagFiles(testConfig(), cfg), cfg);
  }, 120_000);
  afterAll(() => stores.forEach((c) => c()));

  async function seeded(): Promise<Store> {
    const t = await tempStore();
    stores.push(t.cleanup);
    const file = dataPath('labelled/root_causes.jsonl').replaceAll("'", "''");
    await t.store.exec(
      `CREATE TEMP TABLE lab AS SELECT row_number() OVER () - 1 AS k, content FROM read_json_auto('${file}')`,
    );
    const L = await t.store.value<number>('SELECT count(*) FROM lab');
    await t.store.exec(
      `INSERT INTO orders (order_id, created_at, category, cat1, cat2, content, district, street, community, address, lon, lat, caller_hash,
         dept, closed_at, dispatch_count, reopened, row_hash, first_seq, seq, loaded_at)
       SELECT 'T' || i, TIMESTAMP '2024-01-01' + to_seconds(CAST(i * 1800 AS BIGINT)), cat, split_part(cat, '/', 1),
              split_part(cat, '/', 1) || '/' || split_part(cat, '/', 2),
              CASE i % 6 WHEN 0 THEN a.content || b.content
                         WHEN 1 THEN '同事借钱不还，' || a.content
                         WHEN 2 THEN a.content || ' 😀 ABC-12 ' || b.content
                         WHEN 3 THEN '邻居吵闹，消防通道被堵' || a.content
                         ELSE a.content END,
              'D1', 'S' || (i % 7), NULL, NULL, NULL, NULL, 'c' || (i % 400),
              CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN '区住建局→街道办' WHEN 2 THEN '区城管局' WHEN 3 THEN 'A、 B' ELSE ' 、B' END,
              CASE WHEN i % 3 = 0 THEN TIMESTAMP '2024-01-01' + to_seconds(CAST(i * 1800 + 3600 AS BIGINT)) END,
              CASE WHEN i % 4 = 0 THEN NULL ELSE (i % 4)::INTEGER END,
              CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN true ELSE false END,
              0, 1, 1, now()
       FROM (SELECT i, ['城市管理/市容环境', '民事纠纷/邻里纠纷', '政务服务/政策咨询', '城乡建设/供暖/暖气不热'][1 + i % 4] AS cat FROM range(${N}) r(i)) t
       JOIN lab a ON a.k = i % ${L}
       JOIN lab b ON b.k = (i * 7 + 3) % ${L}`,
    );
    return t.store;
  }

  const snapshot = async (store: Store) => ({
    tags: await store.all('SELECT order_id, tag, confidence, sources, seq FROM order_tags ORDER BY order_id, tag'),
    flags: await store.all('SELECT * FROM order_flags ORDER BY order_id'),
    rates: await store.all('SELECT * FROM repeat_rates ORDER BY ALL'),
  });

  it('inline and on workers, the stage gives what Tagger.tag gives for every order', async () => {
    const inline = await seeded();
    const countsInline = await createTagStage({ scoring: { workers: 0 } }).run(testContext(inline, '2024-06-01'));
    const workers = await seeded();
    const onWorkers = createTagStage({
      scoring: { workers: 2, minOrdersForWorkers: 1, batchOrders: 300, pageOrders: 700 },
    });
    const countsWorkers = await onWorkers.run(testContext(workers, '2024-06-01'));
    expect(countsWorkers).toEqual(countsInline);
    const a = await snapshot(inline);
    expect(await snapshot(workers)).toEqual(a);
    expect(countsInline.orders).toBe(N);
    expect(countsInline.out_of_scope).toBeGreaterThan(0);

    // the simple path: each order through Tagger.tag and ScopeGuard.match, with the same structural evidence
    const orders = await inline.all<{
      order_id: string;
      content: string;
      category: string;
      dispatch_count: number | null;
      reopened: boolean | null;
      dept: string | null;
      after_close: boolean;
      scope_rule: string | null;
    }>(`SELECT o.order_id, o.content, o.category, o.dispatch_count, o.reopened, o.dept, f.scope_rule,
               coalesce(p.closed_at <= o.created_at, false) AS after_close
        FROM orders o JOIN order_flags f USING (order_id) LEFT JOIN orders p ON p.order_id = f.repeat_of`);
    const stored = new Map<string, string[]>();
    for (const t of a.tags as Array<{ order_id: string; tag: string; confidence: number; sources: string }>) {
      if (!stored.has(t.order_id)) stored.set(t.order_id, []);
      stored.get(t.order_id)!.push(`${t.tag} ${t.confidence} ${t.sources}`);
    }
    let structural = 0;
    for (const o of orders) {
      const evidence = {
        content: o.content,
        category: o.category,
        dispatchCount: o.dispatch_count,
        reopened: o.reopened,
        dept: o.dept,
        repeatAfterClose: o.after_close,
      };
      const want = tagger
        .tag(evidence)
        .map((t) => `${t.tag} ${Math.round(t.confidence * 1e4) / 1e4} ${t.sources}`)
        .sort();
      expect(stored.get(o.order_id)!.sort(), o.order_id).toEqual(want);
      expect(o.scope_rule, o.order_id).toBe(tagger.scope.match(o.category, o.content));
      if (want.some((w) => w.includes('structure'))) structural++;
    }
    expect(structural).toBeGreaterThan(N / 4);
  }, 120_000);
});

describe('ScorePool', () => {
  it('a batch that fails in a worker rejects (the stage fails cleanly, the process does not crash)', async () => {
    const cfg = TagConfigSchema.parse({});
    const inputs = loadTaggerInputs(tagFiles(testConfig(), cfg), cfg);
    const pool = new ScorePool(1, { parts: taggerParts(inputs, makeTagger(inputs)), categories: [] });
    try {
      // category 0 does not exist: the worker's scope check throws (each batch's buffers move to the worker)
      const batch = () => {
        const bytes = new TextEncoder().encode('路灯不亮');
        return {
          n: 1,
          rn: Int32Array.of(1),
          category: Int32Array.of(0),
          flags: Uint8Array.of(0),
          bytes,
          offsets: Int32Array.of(0, bytes.length),
        };
      };
      await expect(pool.score(batch())).rejects.toThrow();
      // and the pool stays failed
      await expect(pool.score(batch())).rejects.toThrow();
    } finally {
      await pool.close();
    }
  }, 60_000);
});
