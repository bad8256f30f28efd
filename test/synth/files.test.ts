import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCity, GBK_HEADERS, ORDER_COLUMNS, type GeneratedCity } from '../../src/synth/index.js';
import { tempDir } from '../helpers.js';
import { duck, files } from './helpers.js';

const PHONE = /1[3-9][0-9]{9}/;
const ID18 = /\d{17}[\dX]/;

describe('synth: order files, GBK slice and personal data', () => {
  const tmp = tempDir('weisu-synth-files-');
  let city: GeneratedCity;
  let db: Awaited<ReturnType<typeof duck>>;
  beforeAll(async () => {
    city = await generateCity({ outDir: tmp.dir, scale: 0.05, start: '2026-06-01', end: '2026-12-01' });
    db = await duck();
    await db.conn.run(`CREATE TABLE o AS SELECT * FROM read_parquet(${files(city.ordersFiles)})`);
    await db.conn.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${city.ordersTruthFile}')`);
  }, 120_000);
  afterAll(() => {
    db?.close();
    tmp.cleanup();
  });

  it('Parquet holds the canonical columns with caller_phone (never caller_hash), unique ids, every taxonomy leaf', async () => {
    const cols = await db.all<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE o)`);
    expect(cols.map((c) => c.column_name)).toEqual(Object.keys(ORDER_COLUMNS));
    const [q] = await db.all<{ n: number; ids: number; leaves: number; bad: number }>(
      `SELECT count(*) AS n, count(DISTINCT order_id) AS ids, count(DISTINCT category) AS leaves,
              count(*) FILTER (created_at < '2026-06-01' OR created_at >= '2026-12-01' OR closed_at < created_at) AS bad FROM o`,
    );
    expect(Number(q.ids)).toBe(Number(q.n));
    expect(Number(q.n)).toBe(city.orders);
    expect(Number(q.bad)).toBe(0);
    const taxonomy = JSON.parse(readFileSync(new URL('../../data/taxonomy.json', import.meta.url), 'utf8')) as {
      categories: { children: { children: string[] }[] }[];
    };
    const nLeaves = taxonomy.categories.reduce((a, c) => a + c.children.reduce((b, k) => b + k.children.length, 0), 0);
    expect(Number(q.leaves)).toBe(nLeaves);
  });

  it('raw numbers appear only in the phone column and inside content (which ingest masks)', async () => {
    // every string column but the phone and the content, joined, must hold no phone or ID number
    const others = `concat_ws('|', order_id, category, district, street, community, address, channel, order_type, dept, satisfaction)`;
    const [q] = await db.all<Record<string, number>>(
      `SELECT count(*) AS n,
              count(*) FILTER (NOT regexp_full_match(caller_phone, '1[3-9][0-9]{9}')) AS bad_phone,
              count(*) FILTER (regexp_matches(${others}, '${PHONE.source}')) AS phone_elsewhere,
              count(*) FILTER (regexp_matches(${others}, '[0-9]{17}[0-9X]')) AS id_elsewhere,
              count(*) FILTER (regexp_matches(content, '${PHONE.source}')) AS phone_in_content,
              count(*) FILTER (regexp_matches(content, '[0-9]{17}[0-9X]')) AS id_in_content
       FROM o`,
    );
    expect(Number(q.bad_phone)).toBe(0);
    expect(Number(q.phone_elsewhere)).toBe(0);
    expect(Number(q.id_elsewhere)).toBe(0);
    // enough numbers in the text that masking is exercised
    expect(Number(q.phone_in_content) / Number(q.n)).toBeGreaterThan(0.02);
    expect(Number(q.id_in_content)).toBeGreaterThan(10);
    // the same holds in the GBK export: only 来电号码 and 诉求内容 may hold numbers
    const lines = iconv.decode(readFileSync(city.gbkCsv), 'gbk').trim().split('\r\n').slice(1);
    const phoneCol = GBK_HEADERS.findIndex(([h]) => h === '来电号码');
    const contentCol = GBK_HEADERS.findIndex(([h]) => h === '诉求内容');
    let leaks = 0;
    for (const line of lines) {
      const cells = line.split(',');
      if (!/^1[3-9]\d{9}$/.test(cells[phoneCol])) leaks++;
      const rest = cells.filter((_c, i) => i !== phoneCol && i !== contentCol).join('|');
      if (PHONE.test(rest) || ID18.test(rest)) leaks++;
    }
    expect(leaks).toBe(0);
  });

  it('the GBK CSV holds the last month, same ids and values as the Parquet rows', async () => {
    const text = iconv.decode(readFileSync(city.gbkCsv), 'gbk');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe(GBK_HEADERS.map(([h]) => h).join(','));
    const idx = Object.fromEntries(GBK_HEADERS.map(([h], i) => [h, i]));
    const rows = lines.slice(1).map((l) => l.split(','));
    const pq = await db.all<Record<string, string | number | boolean | null>>(
      `SELECT order_id, strftime(created_at, '%Y-%m-%d %H:%M:%S') AS created_at, category, content, lon, lat, caller_phone, satisfaction, resolved FROM o WHERE created_at >= '2026-11-01' ORDER BY order_id`,
    );
    expect(rows.length).toBe(pq.length);
    const byId = new Map(pq.map((r) => [r.order_id as string, r]));
    for (const r of rows) {
      expect(r.length).toBe(GBK_HEADERS.length);
      const p = byId.get(r[idx['工单编号']])!;
      expect(p).toBeDefined();
      expect(r[idx['受理时间']]).toBe(p.created_at);
      expect(r[idx['诉求分类']]).toBe(p.category);
      expect(r[idx['诉求内容']]).toBe(p.content);
      expect(r[idx['来电号码']]).toBe(p.caller_phone);
      expect(r[idx['经度']] === '' ? null : Number(r[idx['经度']])).toBe(p.lon);
      expect(r[idx['满意度']] === '' ? null : r[idx['满意度']]).toBe(p.satisfaction);
      expect(r[idx['是否解决']] === '' ? null : r[idx['是否解决']] === '是').toBe(p.resolved);
    }
    // GBK really: re-encoding round-trips
    expect(iconv.encode(text, 'gbk').equals(readFileSync(city.gbkCsv))).toBe(true);
  });

  it('behaviour: repeats, bounced orders, dissatisfaction and out-of-scope matters at plausible rates', async () => {
    const [q] = await db.all<Record<string, number>>(
      `SELECT count(*) AS n,
              count(*) FILTER (t.repeat_of IS NOT NULL) AS repeats,
              count(*) FILTER (t.repeat_kind IN ('caller', 'caller_after_close')) AS caller_repeats,
              count(*) FILTER (t.out_of_scope) AS oos,
              avg(CASE WHEN list_contains(t.true_root_causes, '权责交叉') THEN o.dispatch_count END) AS disp_a,
              avg(CASE WHEN NOT list_contains(t.true_root_causes, '权责交叉') THEN o.dispatch_count END) AS disp_other,
              avg(CASE WHEN list_contains(t.true_root_causes, '服务落实不到位') THEN (o.satisfaction = '不满意')::INT END) AS bad_f,
              avg(CASE WHEN t.true_root_causes = ['其他'] THEN (o.satisfaction = '不满意')::INT END) AS bad_o,
              count(*) FILTER (len(t.true_root_causes) > 1) AS multi
       FROM o JOIN t USING (order_id)`,
    );
    const n = Number(q.n);
    expect(Number(q.repeats) / n).toBeGreaterThan(0.08);
    expect(Number(q.repeats) / n).toBeLessThan(0.16);
    expect(Number(q.caller_repeats)).toBeGreaterThan(Number(q.repeats) / 2);
    expect(Number(q.oos) / n).toBeGreaterThan(0.02);
    expect(Number(q.oos) / n).toBeLessThan(0.06);
    expect(Number(q.disp_a)).toBeGreaterThan(2);
    expect(Number(q.disp_other)).toBeLessThan(1.2);
    expect(Number(q.bad_f)).toBeGreaterThan(Number(q.bad_o) * 2);
    expect(Number(q.multi) / n).toBeGreaterThan(0.05);
    // a caller repeat reuses the phone of the order it repeats
    const [r] = await db.all<{ same: number; total: number }>(
      `SELECT count(*) FILTER (a.caller_phone = b.caller_phone) AS same, count(*) AS total
       FROM t JOIN o a ON a.order_id = t.order_id JOIN o b ON b.order_id = t.repeat_of WHERE t.repeat_kind IN ('caller', 'caller_after_close')`,
    );
    expect(Number(r.same)).toBe(Number(r.total));
  });

  it('root causes can be read from the text: each tag has its own wording', async () => {
    const cues: Record<string, RegExp> = {
      权责交叉:
        /推诿|推脱|踢皮球|没人管|转到别的部门|不是他们的职责|不归自己管|职责|让找|推卸|不愿意接手|互相推|推给|说归/,
      政策漏洞: /政策|规定|标准|条件|依据|口径|说法|规则/,
      基础设施短板:
        /老化|失修|没有维修|配套设施|没换过|排水设施|容量|锈蚀|翻修|缺失|没有建|没有设置|没有公厕|严重不足|收集设施|停车区|使用年限/,
      监管缺位: /监管|查处|执法|检查|处罚|没有处理结果|睁一只眼|没有人管|巡查|照旧|很少来管/,
      服务落实不到位: /一直没来|没解决|敷衍|没人来|又坏了|又不热了|拖着|其实并没有|没有任何|依旧|老样子|半个月|不办/,
    };

    const rows = await db.all<{ content: string; causes: string[] }>(
      `SELECT o.content, t.true_root_causes AS causes FROM o JOIN t USING (order_id) WHERE t.repeat_of IS NULL LIMIT 20000`,
    );
    for (const [tag, re] of Object.entries(cues)) {
      const withTag = rows.filter((r) => r.causes.includes(tag));
      const hit = withTag.filter((r) => re.test(r.content)).length / withTag.length;
      expect(hit, tag).toBeGreaterThan(0.95);
    }
  });
});
