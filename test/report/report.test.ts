import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportStage, writeReport } from '../../src/report/stage.js';
import { runTopics } from '../../src/topics/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { heatingWave, risingIn, seedOrders, steady } from '../topics/fixture.js';
import { openInChromium } from './chromium.js';

const NOISE = [
  '夜间施工噪音扰民，我的电话13812345678',
  '工地凌晨施工噪声很大，身份证号110101199003071234',
  '施工噪音持续到深夜',
];
const PROPERTY = ['小区物业不作为，楼道垃圾无人清理', '物业费收取不合理，服务质量差'];
const PARKING = ['小区门口乱停车堵塞通道', '人行道违章停车无人管理'];
const HEAT = ['暖气不热，室温只有十五度', '供暖温度不达标，家中老人受冻'];

function square(name: string, lon: number, lat: number, d: number) {
  return {
    type: 'Feature',
    properties: { name },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [lon, lat],
          [lon + d, lat],
          [lon + d, lat + d],
          [lon, lat + d],
          [lon, lat],
        ],
      ],
    },
  };
}

describe('monthly report', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let raw: Record<string, unknown>;
  beforeAll(async () => {
    env = await tempStore();
    writeFileSync(
      join(env.dir, 'districts.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: [square('东城区', 113.58, 34.72, 0.06), square('西城区', 113.64, 34.72, 0.06)],
      }),
    );
    raw = { city: { name: '测试市' }, spatial: { boundaries: { districts: join(env.dir, 'districts.geojson') } } };
    await seedOrders(
      env.store,
      [
        {
          cat2: '生态环境/噪声污染',
          perDay: risingIn(12, 1.8, '2025-10-01', '2025-11-01'),
          texts: NOISE,
          dept: '市生态环境局',
          tags: ['监管缺位'],
          unsatisfied: 0.3,
        },
        { cat2: '城乡建设/供暖', perDay: heatingWave(3, 50), texts: HEAT },
        { cat2: '交通运输/停车管理', perDay: steady(25), texts: PARKING },
        { cat2: '城乡建设/物业管理', perDay: steady(60), texts: PROPERTY },
      ],
      '2024-06-01',
      '2025-11-01',
    );
    // hotspot cells inside the districts, a forecast for the heating wave, and one measured effect
    const cells = [latLngToCell(34.75, 113.6, 8), latLngToCell(34.76, 113.62, 8), latLngToCell(34.74, 113.67, 8)];
    for (const [i, c] of cells.entries()) {
      const [lat, lon] = cellToLatLng(c);
      await env.store.exec(
        `INSERT INTO hotspots (as_of, cell, lon, lat, category, count, z, p, q, kind, district, street)
         VALUES ('2025-11-01', $c, $lon, $lat, '生态环境/噪声污染', $n, $z, 0.001, 0.01, 'hot', '东城区', '一街道')`,
        { c, lon, lat, n: 40 - i * 10, z: 5 - i },
      );
    }
    // a second, weaker category in the first cell with more orders: the table's row is the strongest category's
    {
      const [lat, lon] = cellToLatLng(cells[0]);
      await env.store.exec(
        `INSERT INTO hotspots (as_of, cell, lon, lat, category, count, z, p, q, kind, district, street)
         VALUES ('2025-11-01', $c, $lon, $lat, '交通运输/停车管理', 95, 2.5, 0.01, 0.04, 'hot', '东城区', '一街道')`,
        { c: cells[0], lon, lat },
      );
    }
    await env.store.exec(
      `INSERT INTO forecasts (as_of, category, level, scope_level, scope_name, week_start, yhat, lo, hi, model) SELECT '2025-11-01', '城乡建设/供暖', 2, 'city', '测试市', ws, 330, 260, 400, 'test'
       FROM (SELECT unnest(generate_series(DATE '2025-10-27', DATE '2025-12-22', INTERVAL 7 DAY))::DATE AS ws)`,
    );
    await env.store.exec(
      `INSERT INTO effects (as_of, subject_kind, subject_id, category, lead_unit, measure, method, action_start, action_end, pre_start, post_end,
        weeks_pre, weeks_post, treated_n, control_n, treated_pre, treated_post, counterfactual, effect, effect_lo, effect_hi, effect_pct, pct_lo, pct_hi,
        significant, summary, details) VALUES ('2025-11-01', 'topic', '2025-08:城乡建设/物业管理', '城乡建设/物业管理', '市住房和城乡建设局', 'category', 'did',
        '2025-08-01', '2025-09-15', '2025-05-01', '2025-10-31', 13, 6, 3, 5, 70, 52, 65, -13, -20, -6, -0.2, -0.3, -0.09, true,
        '物业管理诉求较未整治时下降20%（区间-30%至-9%），联系人13912345678', NULL)`,
    );
    await runTopics(testContext(env.store, '2025-11-01', raw));
  }, 120_000);
  afterAll(() => env.cleanup());

  it('writes self-contained HTML and Markdown that render in headless Chromium without errors', async () => {
    const out = join(env.dir, 'out');
    const r = await writeReport(testContext(env.store, '2025-11-01', raw, out));
    expect(r.html).toBe(join(out, 'reports', '2025-11', 'report.html'));
    expect(existsSync(r.md)).toBe(true);
    const html = readFileSync(r.html, 'utf8');
    // self-contained: no external resources of any kind
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(http|src="http/i);
    // personal data masked everywhere, including the effect summary written by another stage
    for (const text of [html, readFileSync(r.md, 'utf8')]) {
      expect(text).not.toContain('13812345678');
      expect(text).not.toContain('13912345678');
      expect(text).not.toContain('110101199003071234');
    }
    expect(r.candidates).toBeGreaterThanOrEqual(2);
    const page = await openInChromium(r.html, process.env.WEISU_REPORT_SCREENSHOT);
    expect(page.pageErrors).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
    expect(page.externalRequests).toEqual([]);
    // one chart per candidate, the overview bars and the map
    expect(page.figureSvgs).toBe(r.candidates + 2);
    expect(page.title).toBe('测试市12345热线2025年11月调度报告');
    expect(page.text).toContain('本月调度议题候选');
    expect(page.text).toContain('生态环境/噪声污染');
    expect(page.text).toContain('城乡建设/供暖');
    expect(page.text).toContain('下降20%');
    // all measured items of a kind in one line (sql/report/effects_pooled.sql): its interval from the item's
    expect(page.text).toContain(
      '已评估议题1个：整治街道内同类诉求合计每周52.0件，较无整治的预期65.0件下降20%（95%区间 -30.8%～-9.2%）。',
    );
    expect(page.text).toContain('东城区');
    // the hotspot table names places, not cell ids: the three noise cells of 一街道 (no order has a community or
    // address here) are one line, their counts the noise category's (40 + 30 + 20), not the first cell's largest
    // row (95 parking orders)
    const md = readFileSync(r.md, 'utf8');
    expect(md).not.toContain(latLngToCell(34.75, 113.6, 8));
    const row = md.split('\n').find((l) => l.startsWith('| 一街道（共3个区块） |'))!;
    expect(row).toMatch(/^\| 一街道（共3个区块） \| 生态环境\/噪声污染 \| 90 \| [\d,]+ \| 热点 \|$/);
  }, 120_000);

  it('the map draws the boundaries and every hotspot cell', async () => {
    const svg = readFileSync(join(env.dir, 'out', 'reports', '2025-11', 'charts', 'map.svg'), 'utf8');
    // two district polygons and three cells, each a path in the geoshape layers
    const shapes = (svg.match(/<path[^>]*role-mark|<g class="mark-shape role-mark[^"]*"[^>]*>/g) ?? []).length;
    expect(shapes).toBeGreaterThan(0);
    expect((svg.match(/<path /g) ?? []).length).toBeGreaterThanOrEqual(5);
    expect(svg).toContain('东城区');
  });

  it('renders "no finished topics yet" when the assign tables are empty, and runs as a stage', async () => {
    await env.store.exec('DELETE FROM effects');
    const counts = await reportStage.run(testContext(env.store, '2025-11-01', raw, join(env.dir, 'out2')));
    const html = readFileSync(String(counts.html), 'utf8');
    expect(html).toContain('暂无已办结的往期议题');
    expect(html).toContain('暂无承办单位考核数据');
    expect(await env.store.value("SELECT count(*) FROM reports WHERE month = '2025-11'")).toBe(1);
    // items assigned by this month's own run are not "no items": they enter the scorecard next month
    await env.store.exec(
      `INSERT INTO assignments (item_id, source, item_type, level, as_of, category, cell, grid_id, district, street, title, evidence, lead_unit, co_units,
         assigned_at, deadline, status, status_at)
       VALUES ('T-1', 'topic', 'topic', 'street', '2025-11-01', '城乡建设/供暖', NULL, NULL, '东城区', '甲街道', 't', '{}', '市城市管理委员会', [],
         '2025-11-01 05:00:00', '2025-11-15 00:00:00', '交办', '2025-11-01 05:00:00')`,
    );
    const again = readFileSync(
      String((await reportStage.run(testContext(env.store, '2025-11-01', raw, join(env.dir, 'out4')))).html),
      'utf8',
    );
    expect(again).toContain('本月新交办1项');
    expect(again).not.toContain('暂无承办单位考核数据');
  }, 60_000);

  it('says an earlier topic is still inside its observation period, not that its effect was never computed', async () => {
    await env.store.exec(`DELETE FROM effects;
      INSERT INTO assignments (item_id, source, item_type, level, as_of, month, category, title, evidence, co_units, assigned_at, deadline, status, status_at)
      VALUES ('T-obs', 'topic', 'topic', 'city', '2025-10-01', '2025-10', '城乡建设/物业管理', 't', '{}', [], '2025-10-01', '2025-11-01', '办结', '2025-10-25')`);
    try {
      const r = await writeReport(testContext(env.store, '2025-11-01', raw, join(env.dir, 'out-obs')));
      const md = readFileSync(r.md, 'utf8');
      expect(md).toContain('往期议题办结后的观察期尚短');
      expect(md).not.toContain('尚未计算往期议题的成效');
    } finally {
      await env.store.exec("DELETE FROM assignments WHERE item_id = 'T-obs'");
    }
  }, 60_000);

  it('lists root causes without 其他: orders no cause was read from are a separate line', async () => {
    // a fifth of the noise orders lose their cause and carry the fallback tag instead
    await env.store.exec(
      `CREATE TEMP TABLE untagged AS SELECT order_id FROM orders WHERE cat2 = '生态环境/噪声污染' AND hash(order_id) % 5 = 0;
       DELETE FROM order_tags WHERE order_id IN (SELECT order_id FROM untagged);
       INSERT INTO order_tags SELECT order_id, '其他', 0.8, 'none', 1 FROM untagged;`,
    );
    const share = (await env.store.value<number>(
      `SELECT count(*) FILTER (WHERE u.order_id IS NOT NULL) / count(*) FROM orders o LEFT JOIN untagged u USING (order_id)
       WHERE o.cat2 = '生态环境/噪声污染' AND o.created_at >= '2025-10-01' AND o.created_at < '2025-11-01'`,
    ))!;
    await env.store.exec('DROP TABLE untagged');
    await runTopics(testContext(env.store, '2025-11-01', raw));
    const r = await writeReport(testContext(env.store, '2025-11-01', raw, join(env.dir, 'out5')));
    const md = readFileSync(r.md, 'utf8');
    const line = md
      .split('\n')
      .find((l) => l.startsWith('**根因构成**') && md.indexOf(l) > md.indexOf('生态环境/噪声污染'))!;
    const rest = Math.round((1 - share) * 1000) / 10;
    const other = Math.round(share * 1000) / 10;
    expect(line).toBe(`**根因构成**（占该类工单，一单可有多个根因）：监管缺位 ${rest}%；另有${other}%未识别出根因`);
    const html = readFileSync(r.html, 'utf8');
    expect(html).toContain(`另有${other}%未识别出根因`);
    expect(html).not.toMatch(/<span class="t">其他<\/span>/);
  }, 60_000);

  it('says what was already assigned, what is still open from earlier topics, and where places are missing', async () => {
    const item = (
      id: string,
      month: string,
      category: string,
      level: string,
      asOf: string,
      deadline: string,
      status: string,
      by: string,
    ) =>
      env.store.exec(
        `INSERT INTO assignments (item_id, source, item_type, level, as_of, month, category, title, evidence, co_units, assigned_at, deadline, status, status_at)
         VALUES ($id, 'topic', 'topic', $level, $as_of::DATE, $month, $category, 't', json_object('selected_by', $by), [], $as_of::TIMESTAMP, $deadline::TIMESTAMP, $status, $as_of::TIMESTAMP)`,
        { id, month, category, level, as_of: asOf, deadline, status, by },
      );
    await item('T-a', '2025-11', '生态环境/噪声污染', 'city', '2025-11-01', '2025-12-01', '交办', 'auto');
    // a new phrase raised in October: a new problem has no category of its own yet, and is no candidate
    await env.store.exec(
      `INSERT INTO alerts (as_of, category, level, scope_level, scope_name, kind, window_start, window_end, observed, expected, score, reason, details)
       VALUES ('2025-10-20', '市场监管/消费维权', 2, 'city', '测试市', 'new_topic', '2025-10-06', '2025-10-19', 40, 2, 3.5,
               '新出现诉求「乐居宝」：近2周约40件，此前26周约2件', json_object('term', '乐居宝'))`,
    );
    // raised on October's 1st about September's last 2 weeks: old news for the November report
    await env.store.exec(
      `INSERT INTO alerts (as_of, category, level, scope_level, scope_name, kind, window_start, window_end, observed, expected, score, reason, details)
       VALUES ('2025-10-01', '市场监管/消费维权', 2, 'city', '测试市', 'new_topic', '2025-09-15', '2025-09-28', 40, 2, 9.5,
               '新出现诉求「旧闻词」：近2周约40件，此前26周约2件', json_object('term', '旧闻词'))`,
    );
    for (const [i, lv] of ['street', 'street', 'grid'].entries())
      await item(`T-b${i}`, '2025-11', '生态环境/噪声污染', lv, '2025-11-01', '2025-12-01', '交办', 'auto');
    await item('T-c1', '2025-09', '城乡建设/物业管理', 'street', '2025-09-01', '2025-10-01', '排查', '领导');
    // a finished hotspot item with a clear fall: the table names its street and cell, not its id
    await env.store.exec(
      `INSERT INTO assignments (item_id, source, item_type, level, as_of, category, cell, street, title, evidence, co_units, assigned_at, deadline, status, status_at)
       VALUES ('H-0123456789ab', 'hotspot', 'general', 'grid', '2025-09-01', '生态环境/噪声污染', '8831aa6cddfffff', '一街道', 't', '{}', [], '2025-09-01', '2025-09-15', '办结', '2025-09-10');
       INSERT INTO effects (as_of, subject_kind, subject_id, category, lead_unit, measure, method, action_start, action_end, pre_start, post_end,
        weeks_pre, weeks_post, treated_n, control_n, treated_pre, treated_post, counterfactual, effect, effect_lo, effect_hi, effect_pct, pct_lo, pct_hi,
        significant, summary, details) VALUES ('2025-11-01', 'hotspot', 'H-0123456789ab', '生态环境/噪声污染', '市生态环境局', 'cells', 'did',
        '2025-09-01', '2025-09-10', '2025-06-01', '2025-10-31', 13, 6, 1, 20, 10, 2, 9, -7, -9, -5, -0.78, -1, -0.56, true, '热点处置后下降78%', NULL);`,
    );
    await item('T-c2', '2025-09', '城乡建设/物业管理', 'street', '2025-09-01', '2025-10-01', '办结', '领导');
    // a tenth of October's orders have no street, and a twentieth lie outside every boundary
    await env.store.exec(
      `DELETE FROM order_places;
       INSERT INTO order_places (order_id, cell, grid_id, district, street, community, match, coord_status, seq)
       SELECT order_id, NULL, NULL, '东城区',
              CASE WHEN hash(order_id) % 10 = 0 THEN NULL ELSE '一街道' END, NULL,
              CASE WHEN hash(order_id) % 10 = 0 THEN 'name' ELSE 'point' END,
              CASE WHEN hash(order_id) % 20 = 1 THEN 'outside' ELSE 'inside' END, 1
       FROM orders`,
    );
    const r = await writeReport(testContext(env.store, '2025-11-01', raw, join(env.dir, 'out6')));
    const md = readFileSync(r.md, 'utf8');
    expect(md).toContain(
      '未记录领导选择，已按评分第1名自动交办「生态环境/噪声污染」：全市1项、街道（乡镇）2项、网格1项，截止2025年11月30日。',
    );
    expect(md).toContain('往期议题「城乡建设/物业管理」（2025年9月）2项中仍有1项未办结，已超期。');
    expect(md).not.toContain('建议本月从以下');
    expect(md).toContain('| 热点 一街道 | 生态环境/噪声污染 | 市生态环境局 | 热点区块 | -78% |');
    expect(md).not.toContain('8831aa6cddfffff');
    expect(md).toContain('10月20日预警：新出现诉求「乐居宝」：近2周约40件，此前26周约2件。');
    expect(md).not.toContain('旧闻词');
    expect(md).toMatch(/### 1\. 生态环境\/噪声污染【已自动交办】/);
    expect(md).toMatch(/上月\d+(\.\d)?%的工单（[\d,]+件）未能定位到街道/);
    expect(md).toMatch(/上月\d+(\.\d)?%的工单（[\d,]+件）坐标落在全部边界之外/);
    expect(md).not.toContain('未发现影响本报告结论的数据问题');
    await env.store.exec(
      "DELETE FROM assignments; DELETE FROM order_places; DELETE FROM alerts WHERE kind = 'new_topic'; DELETE FROM effects WHERE subject_kind = 'hotspot'",
    );
  }, 60_000);

  it('says first when the data stopped before the month ended, and counts every month over the same first days', async () => {
    // the export of 2025-10-25 … 31 never arrived
    await env.store.exec(
      "CREATE TEMP TABLE kept_days AS SELECT * FROM daily_counts WHERE day >= '2025-10-25'; DELETE FROM daily_counts WHERE day >= '2025-10-25'",
    );
    try {
      const counts = await reportStage.run(testContext(env.store, '2025-11-01', raw, join(env.dir, 'out-stopped')));
      const md = readFileSync(String(counts.html).replace(/report\.html$/, 'report.md'), 'utf8');
      expect(md).toContain('截至2025-10-24，其后尚未入库');
      expect(md).toContain(
        '注意：工单数据只到2025-10-24，2025年10月最后7天尚未入库；上月数字按前24天计，同比、环比取各月前24天。',
      );
      // steady 25 + 60 a day and the heating category are flat against September's first 24 days; the noise
      // category rose ×1.8 from 12 a day (22): 107 + heating a day against 97 + heating
      const line = md.split('\n').find((l) => l.startsWith('2025年10月前24天全市受理有效诉求'))!;
      expect(line).toMatch(/环比\+\d+(\.\d)?%/);
      expect(line).not.toMatch(/环比-/);
    } finally {
      await env.store.exec('INSERT INTO daily_counts SELECT * FROM kept_days; DROP TABLE kept_days');
    }
  }, 60_000);

  it('a month without any topics still renders, saying so', async () => {
    // the data ends in 2025: February 2026 holds no order, so no topic could be weighed (test/report/no-month.test.ts)
    const counts = await reportStage.run(testContext(env.store, '2026-03-01', raw, join(env.dir, 'out3')));
    const html = readFileSync(String(counts.html), 'utf8');
    expect(html).toContain('上月没有工单数据，无法提出议题候选');
    const page = await openInChromium(String(counts.html));
    expect(page.pageErrors).toEqual([]);
    expect(page.consoleErrors).toEqual([]);
  }, 60_000);
});
