import type { Command } from 'commander';
import { dataEnd } from '../../store/data-end.js';
import { hotspotStage } from '../../spatial/hotspot-stage.js';
import { HOTSPOT_SORTS, readHotspots, type HotspotSort } from '../../spatial/read-hotspots.js';
import { placeQuality, type PlaceQuality } from '../../spatial/stage.js';
import { spatialConfig } from '../../spatial/config.js';
import type { Config } from '../../store/config.js';
import { addDays } from '../../store/dates.js';
import { UserError } from '../../store/errors.js';
import { categoryLevelFinder, withCategoryLevels } from '../category-levels.js';
import { asOfOption, withStore } from '../env.js';
import { runForCommand } from '../run-stages.js';
import { padWide } from '../../forecast/format.js';
import { hotspotKindZh } from '../../spatial/hotspots.js';

const KINDS = ['hot', 'emerging', 'persistent', 'multi_category'];

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(1)}%` : '0%';
}

interface HotspotOptions {
  asOf?: string;
  kind?: string;
  category?: string;
  limit?: string;
  sort: string;
}

function parseOptions(opts: HotspotOptions): {
  asOfIn: (config: Config) => string;
  kinds: string[] | null;
  limit: number;
} {
  if (!(HOTSPOT_SORTS as readonly string[]).includes(opts.sort))
    throw new UserError(`--sort：没有 '${opts.sort}' 这种排序（可选：${HOTSPOT_SORTS.join(', ')}）`);
  const asOfIn = asOfOption(opts.asOf);
  const kinds = opts.kind ? opts.kind.split(',').map((k) => k.trim()) : null;
  for (const k of kinds ?? [])
    if (!KINDS.includes(k)) throw new UserError(`--kind：没有 '${k}' 这种热点类型（可选：${KINDS.join(', ')}）`);
  const limit = opts.limit === undefined ? Infinity : Number(opts.limit);
  if (limit !== Infinity && (!Number.isInteger(limit) || limit < 0))
    throw new UserError(`--limit 应为非负整数，收到的是 '${opts.limit}'`);
  return { asOfIn, kinds, limit };
}

export function register(program: Command): void {
  program
    .command('hotspots')
    .description('近 4 周的诉求热点地区：按类别和全部类别，找出工单明显聚集的网格')
    .option('--as-of <date>', '只用此日期之前受理的工单（YYYY-MM-DD）；默认今天')
    .option('--kind <kinds>', `只看这些类型，逗号分隔（${KINDS.join(', ')}）`)
    .option('--category <name>', '只看这个二级类别（all 表示全部类别合计）')
    .option('--limit <n>', '最多列出 n 个网格')
    .option(
      '--sort <order>',
      `网格的排序（${HOTSPOT_SORTS.join(', ')}）；strength：超出往常水平的在前，越强越靠前`,
      'strength',
    )
    .action(async (opts: HotspotOptions, cmd: Command) => {
      const { asOfIn, kinds, limit } = parseOptions(opts);
      await withStore(cmd, async (env) => {
        const asOf = asOfIn(env.config);
        const cfg = spatialConfig(env.config).hotspots;
        const counts = (await runForCommand(env, 'hotspots', asOf, [hotspotStage]))[hotspotStage.name];
        let cells = await readHotspots(env.store, asOf, opts.sort as HotspotSort);
        if (kinds) cells = cells.filter((c) => kinds.includes(c.kind));
        if (opts.category)
          cells = cells.filter((c) => (opts.category === 'all' ? c.category === null : c.category === opts.category));
        cells = cells.slice(0, limit);
        const shares = (q: PlaceQuality) => ({
          ...q,
          share_match_none: q.orders ? Number((q.match_none / q.orders).toFixed(4)) : 0,
          share_coords_outside: q.orders ? Number((q.coords_outside / q.orders).toFixed(4)) : 0,
        });
        // every order before the as-of (CONTRACT §2: a later order must not change what an as-of run says), and the
        // window's own figures: what these hotspots could not see
        const quality = await placeQuality(env.store, { from: '0001-01-01', to: asOf });
        const inWindow = await placeQuality(env.store, { from: addDays(asOf, -cfg.windowDays), to: asOf });
        const dataQuality = { ...shares(quality), window: shares(inWindow) };
        // an as-of past the end of the data looks at weeks without orders: say so, as alerts does (data_end/stale)
        const end = await dataEnd(env.store, asOf);
        if (env.json) {
          const levels = await categoryLevelFinder(env.store);
          env.emit({
            as_of: asOf,
            data_end: end.lastDay,
            data_stale: end.asOf < asOf,
            window: { start: addDays(asOf, -cfg.windowDays), end: asOf },
            study_cells: counts.study_cells,
            tests: counts.tests,
            fdr_q: cfg.q,
            cells: withCategoryLevels(cells, levels),
            data_quality: dataQuality,
          });
          return;
        }
        if (end.asOf < asOf)
          env.say(
            `数据只到${end.lastDay ?? '—'}：${asOf}之前${end.missingDays}天没有任何工单，热点窗口内的工单因此偏少或没有。`,
          );
        env.say(
          `截至 ${asOf} 的热点（工单 ${addDays(asOf, -cfg.windowDays)} … ${addDays(asOf, -1)}）：研究区 ${counts.study_cells} 个区块中 ${cells.length} 个，共 ${counts.tests} 次检验，误报率（FDR）${cfg.q}`,
        );
        for (const c of cells) {
          const where = [c.district, c.street, c.grid_id].filter(Boolean).join(' ');
          const what = c.kind === 'multi_category' ? (c.categories ?? []).join('、') : (c.category ?? '全部类别');
          env.say(
            `  ${padWide(hotspotKindZh(c.kind), 8)} ${c.cell}  ${String(c.count).padStart(4)}件  z=${c.z.toFixed(1).padStart(5)}  ` +
              `${c.above_usual ? '↑' : ' '}强度${(c.strength ?? 0).toFixed(1).padStart(5)}  ${what}  ${where}`,
          );
        }
        // "located" is the district an order is placed in: orders with coordinates sit in cells even where no
        // boundaries are configured, so the line says which it is (a city run without boundaries read 未能定位 100%)
        const noBounds = !Object.values(spatialConfig(env.config).boundaries).some(Boolean);
        env.say(
          `数据质量：${quality.orders} 件工单，按坐标归入区划 ${pct(quality.match_point, quality.orders)}、按地名 ${pct(quality.match_name, quality.orders)}、` +
            `未归入任何区划 ${pct(quality.match_none, quality.orders)}${noBounds ? '（未配置区划边界 spatial.boundaries，区划只取自工单中的地名）' : ''}；` +
            `${quality.coords_outside} 件坐标在所有区划之外（保留），${quality.coords_missing} 件无坐标，${quality.coords_invalid} 件坐标无效`,
        );
        env.say(
          `窗口内：${inWindow.orders} 件工单，${pct(inWindow.with_cell, inWindow.orders)} 落在区块中（其余不可能进入热点），` +
            `${pct(inWindow.match_none, inWindow.orders)} 未归入区划，${inWindow.no_street} 件无街道`,
        );
      });
    });
}
