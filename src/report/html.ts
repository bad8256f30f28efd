import type { AlternateCard, CandidateCard, ReportDocument } from './document.js';
import { escapeHtml as h } from './format.js';
import { FONT } from './render-svg.js';
import {
  EFFECT_HEAD,
  HOTSPOT_HEAD,
  MAP_CAPTION,
  SCORECARD_HEAD,
  SECTION,
  SIMULATED_TOP,
  SUDDEN_HEAD,
} from './wording.js';

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f5f5f2;color:#222;font-family:${FONT};font-size:15px;line-height:1.65}
main{max-width:980px;margin:0 auto;padding:32px 36px 48px;background:#fff;box-shadow:0 0 0 1px #e4e4df}
header{border-bottom:3px solid #b3261e;padding-bottom:14px;margin-bottom:22px}
h1{font-size:26px;margin:0 0 4px;letter-spacing:1px}
.sub{color:#666;font-size:13px}
h2{font-size:19px;margin:34px 0 12px;padding-left:10px;border-left:4px solid #b3261e}
h3{font-size:17px;margin:0 0 8px}
.sim{background:#fff4d6;border:1px solid #e6c35c;border-radius:6px;padding:8px 12px;margin:10px 0;font-weight:600;color:#6b4e00}
.kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:18px 0}
.kpi{background:#faf8f4;border:1px solid #ece7dc;border-radius:6px;padding:10px 12px}
.kpi .l{font-size:12px;color:#666}.kpi .v{font-size:24px;font-weight:700;color:#1f3b63}.kpi .n{font-size:12px;color:#888}
.summary p{margin:6px 0}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}
th,td{border-bottom:1px solid #e6e6e6;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f3f1ec;font-weight:600;color:#444;white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.nw{white-space:nowrap}
tr.note td{border-bottom:1px solid #d8d8d8;color:#555;font-size:12px;padding-top:0}
tr.main td{border-bottom:none}
.card{border:1px solid #e3ded3;border-radius:8px;padding:16px 18px;margin:16px 0;break-inside:avoid}
.card.alt{border-style:dashed;background:#fcfcfa}
.rank{display:inline-block;width:28px;height:28px;border-radius:50%;background:#b3261e;color:#fff;text-align:center;line-height:28px;font-weight:700;margin-right:8px}
.alt .rank{background:#8a8a8a}
.score{float:right;color:#888;font-size:13px}
.badge{display:inline-block;background:#1f7a3d;color:#fff;border-radius:4px;font-size:12px;padding:1px 8px;margin-left:8px;vertical-align:middle}
.badge.grey{background:#8a8a8a}
ul.reasons{margin:6px 0 10px;padding-left:20px}ul.reasons li{margin:2px 0}
ul.weaker li{color:#7a4b00}
.facts{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;margin:8px 0}
.fact{background:#f7f7f5;border-radius:4px;padding:6px 10px}.fact .l{font-size:12px;color:#777}.fact .v{font-weight:600}
.factnote{font-size:12px;color:#777;margin:2px 0 8px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:18px;margin-top:6px}
.bar{display:flex;align-items:center;font-size:13px;margin:3px 0}.bar .t{width:112px;white-space:nowrap}.bar .b{height:10px;background:#d9822b;border-radius:2px;margin-right:6px}
.typical{font-size:13px;color:#333;background:#fbfaf7;border-left:3px solid #d8cfbd;padding:6px 10px;margin:5px 0}
.units{font-size:14px;margin-top:10px}.units b{color:#1f3b63}
.places{font-size:13px;color:#333}.places div{margin:2px 0}
figure{margin:10px 0;text-align:center;break-inside:avoid}figure svg{max-width:100%;height:auto}
figcaption{font-size:12px;color:#777}
.muted{color:#777}
.notes li{margin:4px 0}
.appendix{font-size:12px;color:#666}
footer{margin-top:36px;border-top:1px solid #ddd;padding-top:10px;font-size:12px;color:#888}
@page{size:A4}
@media print{body{background:#fff;font-size:13px}main{box-shadow:none;max-width:none;padding:0}
section.part{break-before:page}h2{margin-top:0}h2,h3{break-after:avoid}tr{break-inside:avoid}
.card{break-inside:auto}.card.alt{break-inside:avoid}.facts,.cols,ul.reasons,.typical,.kpis{break-inside:avoid}}
`;

/** A table; `numeric` columns right-aligned, `nowrap` columns kept on one line (unit names, months). */
function table(head: string[], rows: string[][], numeric: number[] = [], nowrap: number[] = []): string {
  if (!rows.length) return '';
  const cls = (i: number) => (numeric.includes(i) ? ' class="num"' : nowrap.includes(i) ? ' class="nw"' : '');
  return `<table><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${h(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** The effect table: each item's long 说明 on its own full-width line under the item, not a narrow column. */
function effectTable(rows: ReportDocument['effects']['rows']): string {
  if (!rows.length) return '';
  const body = rows
    .map(
      (r) =>
        `<tr class="main">${r.cells.map((c, i) => `<td${i === 4 || i === 5 ? ' class="num"' : i === 2 ? ' class="nw"' : ''}>${h(c)}</td>`).join('')}</tr>` +
        (r.note ? `<tr class="note"><td colspan="${r.cells.length}">${h(r.note)}</td></tr>` : ''),
    )
    .join('');
  return `<table><thead><tr>${EFFECT_HEAD.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

function figure(svg: string | undefined, caption: string): string {
  if (!svg) return '';
  return `<figure>${svg}<figcaption>${h(caption)}</figcaption></figure>`;
}

const list = (items: string[], cls: string) =>
  items.length ? `<ul class="${cls}">${items.map((r) => `<li>${h(r)}</li>`).join('')}</ul>` : '';

function causes(c: CandidateCard): string {
  const bars = c.rootCauses.length
    ? c.rootCauses
        .map(
          (r) =>
            `<div class="bar"><span class="t">${h(r.tag)}</span><span class="b" style="width:${Math.max(2, r.width * 1.6)}px"></span>${h(r.share)}</div>`,
        )
        .join('')
    : `<div class="muted">${c.unexplained ? '未识别出根因' : '暂无根因标签'}</div>`;
  const rest =
    c.unexplained && c.rootCauses.length ? `<div class="muted">另有${h(c.unexplained)}未识别出根因</div>` : '';
  return `<div><b>根因构成</b> <span class="muted">占该类工单，一单可有多个根因</span>${bars}${rest}</div>`;
}

function card(c: CandidateCard, svgs: Map<string, string>): string {
  const places = c.hotspots.length
    ? `<div class="places">${c.hotspots.map((p) => `<div>${h(p)}</div>`).join('')}</div>`
    : '<div class="muted">无明显聚集区块</div>';
  const typical = c.typical.map((t) => `<div class="typical">${h(t)}</div>`).join('') || '<div class="muted">—</div>';
  return `<div class="card" id="topic-${c.rank}">
<h3><span class="rank">${c.rank}</span>${h(c.category)}${c.selected ? `<span class="badge">${h(c.selected)}</span>` : ''}<span class="score">评分 ${h(c.score)}</span></h3>
${list(c.reasons, 'reasons')}
<div class="facts">${c.facts.map(([l, v]) => `<div class="fact"><div class="l">${h(l)}</div><div class="v">${h(v)}</div></div>`).join('')}</div>
<div class="factnote">${h(c.factNote)}</div>
${figure(svgs.get(c.chartKey), c.chartCaption)}
<div class="cols">${causes(c)}<div><b>热点区块位置</b>${places}</div></div>
<div style="margin-top:10px"><b>典型工单</b>${typical}</div>
<div class="units">建议牵头单位：<b>${h(c.lead)}</b>&emsp;配合单位：${h(c.co)}</div>
</div>`;
}

function alternateCard(a: AlternateCard): string {
  return `<div class="card alt" id="alternate-${a.rank}">
<h3><span class="rank">${a.rank}</span>${h(a.category)}<span class="badge grey">备选</span><span class="score">评分 ${h(a.score)}</span></h3>
${list(a.reasons, 'reasons')}<b>较弱之处</b>${list(a.weaker, 'reasons weaker')}
</div>`;
}

/** The candidates, then the 备选 — also when no category passed the bar: that is when the meeting needs them most
 * (the Markdown twin lists them in both cases). */
function candidatesPart(doc: ReportDocument, svgs: Map<string, string>): string {
  const empty = doc.candidatesEmpty ? `<p class="muted">${h(doc.candidatesEmpty)}</p>` : '';
  const alts = doc.alternates.length
    ? `<p>${h(doc.alternatesIntro ?? '')}</p>${doc.alternates.map(alternateCard).join('\n')}`
    : '';
  return empty + doc.candidates.map((c) => card(c, svgs)).join('\n') + alts;
}

const sim = (doc: ReportDocument) => (doc.simulated ? `<p class="sim">${h(doc.simulated)}</p>` : '');

/** The self-contained HTML report: inline CSS and inline SVG charts, no script, no external resource. */
export function renderHtml(doc: ReportDocument, svgs: Map<string, string>, generatedAt: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(doc.title)}</title><style>${CSS}</style></head>
<body><main>
<header><h1>${h(doc.title)}</h1><div class="sub">${h(doc.subtitle)}</div></header>
${doc.simulated ? `<p class="sim">${h(SIMULATED_TOP)}</p>` : ''}
<section class="kpis">${doc.kpis.map((k) => `<div class="kpi"><div class="l">${h(k.label)}</div><div class="v">${h(k.value)}</div><div class="n">${h(k.note)}</div></div>`).join('')}</section>
<section class="summary">${doc.summary.map((s) => `<p>${h(s)}</p>`).join('')}</section>
${figure(svgs.get('top-categories'), doc.topChartCaption)}
<section class="part"><h2>${SECTION.candidates}</h2>
${candidatesPart(doc, svgs)}</section>
<section class="part"><h2>${SECTION.sudden}</h2>
<p>${h(doc.sudden.intro)}</p>
${table(SUDDEN_HEAD, doc.sudden.rows, [2, 3, 4], [1])}
<h2>${SECTION.hotspots}</h2>
<p>${h(doc.hotspotIntro)}</p>
${figure(svgs.get('map'), MAP_CAPTION)}
${table(HOTSPOT_HEAD, doc.hotspotRows, [2, 3], [1, 4])}</section>
<section class="part"><h2>${SECTION.effects}</h2>
${doc.effects.rows.length || doc.effects.pooled.length ? sim(doc) : ''}<p>${h(doc.effects.intro)}</p>
${list(doc.effects.pooled, 'notes')}
${effectTable(doc.effects.rows)}
<h2>${SECTION.scorecard}</h2>
${doc.scorecard.rows.length ? sim(doc) : ''}<p>${h(doc.scorecard.intro)}</p>
${table(SCORECARD_HEAD, doc.scorecard.rows, [2, 3, 4, 5, 6, 7, 8, 9], [0, 1])}
<h2>${SECTION.quality}</h2>
${list(doc.quality, 'notes')}</section>
<section class="appendix"><h2>${SECTION.appendix}</h2>${list(doc.method, 'notes')}</section>
<footer><p>weisu 生成于 ${h(generatedAt)}</p></footer>
</main></body></html>
`;
}
