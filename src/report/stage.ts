import { topicsConfig } from '../topics/config.js';
import { spatialConfig } from '../spatial/config.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cityTimeZone, configPath } from '../store/config.js';
import { sql } from '../store/sql.js';
import type { Stage, StageContext } from '../store/stage.js';
import { seriesSpec, topCategoriesSpec } from './charts.js';
import { boundaryFiles, reportConfig } from './config.js';
import { loadReportData } from './data.js';
import { loadReportExtras } from './extras.js';
import { printPdf } from './pdf.js';
import { buildDocument, chartForecast } from './document.js';
import { renderHtml } from './html.js';
import { mapSpec, readBoundaries, type Feature } from './map.js';
import { renderMarkdown } from './markdown.js';
import { renderSvg } from './render-svg.js';

export interface WrittenReport {
  month: string;
  dir: string;
  html: string;
  md: string;
  /** The PDF, when asked for (`weisu report --pdf`). */
  pdf: string | null;
  htmlBytes: number;
  candidates: number;
  charts: number;
  notes: string[];
}

/**
 * The monthly leadership report for the month of the as-of (its topics were computed as of the month's first day):
 * HTML with every chart inlined as SVG, and Markdown with the SVGs beside it, in `<outDir>/reports/YYYY-MM/`.
 */
export const reportStage: Stage = {
  name: 'report',
  description: 'the monthly leadership report (HTML and Markdown)',
  async run(ctx) {
    const r = await writeReport(ctx);
    return { month: r.month, candidates: r.candidates, charts: r.charts, bytes: r.htmlBytes, html: r.html };
  },
};

export async function writeReport(
  ctx: StageContext,
  outDir = ctx.outDir,
  opts: { pdf?: boolean } = {},
): Promise<WrittenReport> {
  const { store, config } = ctx;
  const cfg = reportConfig(config);
  const month = ctx.asOf.slice(0, 7);
  const data = await loadReportData(store, month, {
    ...cfg,
    candidatesWanted: topicsConfig(config).candidates,
    hotspotDays: spatialConfig(config).hotspots.windowDays,
  });
  const extras = await loadReportExtras(store, data, { suddenRows: cfg.suddenRows, tableRows: 10 });
  const notes: string[] = [];

  const svgs = new Map<string, string>();
  if (data.topCategories.length)
    svgs.set('top-categories', await renderSvg(topCategoriesSpec(data.topCategories, data.lastMonth), 'top'));
  for (const c of data.candidates) {
    const series = data.series.get(c.category) ?? [];
    if (series.length)
      svgs.set(
        `series-${c.rank}`,
        await renderSvg(seriesSpec(c.category, series, chartForecast(c, data), data.asOf), `s${c.rank}`),
      );
  }
  const files = boundaryFiles(config);
  const read = (level: string): Feature[] => {
    const f = files.find((x) => x.level === level);
    if (!f) return [];
    const { features, note } = readBoundaries(configPath(config, f.file));
    if (note) notes.push(note);
    return features;
  };
  const districts = read('districts');
  const streets = read('streets');
  if (data.hotspots.length || districts.length || streets.length) {
    svgs.set('map', await renderSvg(mapSpec(districts, streets.length <= 3000 ? streets : [], data.hotspots), 'map'));
    // said of a map that is drawn: with no map (no coordinates, or no hotspot) §三 already says why there is none
    if (!files.length) notes.push('未配置行政区划边界（spatial.boundaries），地图只显示热点区块。');
  }

  const generatedAt = readersClock(new Date(), cityTimeZone(config));
  const doc = buildDocument(data, extras, config.city.name, cfg.title, notes);
  const dir = join(outDir, 'reports', month);
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const html = renderHtml(doc, svgs, generatedAt);
  const htmlPath = join(dir, 'report.html');
  const mdPath = join(dir, 'report.md');
  writeFileSync(htmlPath, html);
  for (const [key, svg] of svgs) writeFileSync(join(dir, 'charts', `${key}.svg`), svg);
  writeFileSync(mdPath, renderMarkdown(doc, new Set(svgs.keys()), generatedAt));
  const pdfPath = opts.pdf ? join(dir, 'report.pdf') : null;
  if (pdfPath) await printPdf(htmlPath, pdfPath, process.env.CHROMIUM_PATH ?? cfg.chromium);
  const htmlBytes = Buffer.byteLength(html);
  await store.script(sql('report/save_report.sql'), {
    month,
    as_of: data.asOf,
    html_path: htmlPath,
    md_path: mdPath,
    html_bytes: htmlBytes,
    candidates: data.candidates.length,
    charts: svgs.size,
    notes: JSON.stringify(doc.quality),
  });
  ctx.log.info({ event: 'report', month, html: htmlPath, charts: svgs.size }, `report for ${month} written`);
  return {
    month,
    dir,
    html: htmlPath,
    md: mdPath,
    pdf: pdfPath,
    htmlBytes,
    candidates: data.candidates.length,
    charts: svgs.size,
    notes: doc.quality,
  };
}

/**
 * When the report was made, on its readers' clock: the city's zone (config city.timezone), whatever the server's.
 * Konstanz (Europe/Berlin) read "08:14（北京时间）" at 01:14 its time; Beijing time is named as such, another zone by
 * its name.
 */
export function readersClock(now: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  const stamp = `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}`;
  return stamp + (zone === 'Asia/Shanghai' ? '（北京时间）' : `（当地时间，${zone}）`);
}
