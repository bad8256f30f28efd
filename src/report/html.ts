import { EFFECT_HEAD, HOTSPOT_HEAD, SCORECARD_HEAD, type ReportDocument } from './document.js';
import { escapeHtml as h } from './format.js';
import { FONT } from './render-svg.js';

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f5f5f2;color:#222;font-family:${FONT};font-size:15px;line-height:1.65}
main{max-width:940px;margin:0 auto;padding:32px 36px 48px;background:#fff;box-shadow:0 0 0 1px #e4e4df}
header{border-bottom:3px solid #b3261e;padding-bottom:14px;margin-bottom:22px}
h1{font-size:26px;margin:0 0 4px;letter-spacing:1px}
.sub{color:#666;font-size:13px}
h2{font-size:19px;margin:34px 0 12px;padding-left:10px;border-left:4px solid #b3261e}
h3{font-size:17px;margin:0 0 8px}
.kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:18px 0}
.kpi{background:#faf8f4;border:1px solid #ece7dc;border-radius:6px;padding:10px 12px}
.kpi .l{font-size:12px;color:#666}.kpi .v{font-size:24px;font-weight:700;color:#1f3b63}.kpi .n{font-size:12px;color:#888}
.summary p{margin:6px 0}
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}
th,td{border-bottom:1px solid #e6e6e6;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f3f1ec;font-weight:600;color:#444}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.card{border:1px solid #e3ded3;border-radius:8px;padding:16px 18px;margin:16px 0;page-break-inside:avoid}
.rank{display:inline-block;width:28px;height:28px;border-radius:50%;background:#b3261e;color:#fff;text-align:center;line-height:28px;font-weight:700;margin-right:8px}
.score{float:right;color:#888;font-size:13px}
.badge{display:inline-block;background:#1f7a3d;color:#fff;border-radius:4px;font-size:12px;padding:1px 8px;margin-left:8px;vertical-align:middle}
ul.reasons{margin:6px 0 10px;padding-left:20px}ul.reasons li{margin:2px 0}
.facts{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;margin:8px 0}
.fact{background:#f7f7f5;border-radius:4px;padding:6px 10px}.fact .l{font-size:12px;color:#777}.fact .v{font-weight:600}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:18px;margin-top:6px}
.bar{display:flex;align-items:center;font-size:13px;margin:3px 0}.bar .t{width:112px;white-space:nowrap}.bar .b{height:10px;background:#d9822b;border-radius:2px;margin-right:6px}
.typical{font-size:13px;color:#333;background:#fbfaf7;border-left:3px solid #d8cfbd;padding:6px 10px;margin:5px 0}
.units{font-size:14px;margin-top:10px}.units b{color:#1f3b63}
.cells{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:#555;word-break:break-all}
figure{margin:10px 0;text-align:center}figure svg{max-width:100%;height:auto}
figcaption{font-size:12px;color:#777}
.muted{color:#777}
.notes li{margin:4px 0}
footer{margin-top:36px;border-top:1px solid #ddd;padding-top:10px;font-size:12px;color:#888}
@media print{body{background:#fff}main{box-shadow:none}}
`;

function table(head: string[], rows: string[][], numeric: number[] = []): string {
  if (!rows.length) return '';
  return `<table><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${h(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function figure(svg: string | undefined, caption: string): string {
  if (!svg) return '';
  return `<figure>${svg}<figcaption>${h(caption)}</figcaption></figure>`;
}

/** The self-contained HTML report: inline CSS and inline SVG charts, no script, no external resource. */
export function renderHtml(doc: ReportDocument, svgs: Map<string, string>, generatedAt: string): string {
  const cards = doc.candidates
    .map(
      (c) => `<div class="card" id="topic-${c.rank}">
<h3><span class="rank">${c.rank}</span>${h(c.category)}${c.selected ? `<span class="badge">${h(c.selected)}</span>` : ''}<span class="score">评分 ${h(c.score)}</span></h3>
<ul class="reasons">${c.reasons.map((r) => `<li>${h(r)}</li>`).join('')}</ul>
<div class="facts">${c.facts.map(([l, v]) => `<div class="fact"><div class="l">${h(l)}</div><div class="v">${h(v)}</div></div>`).join('')}</div>
${figure(svgs.get(c.chartKey), '每周诉求量：实际、去年同期与预测（阴影为80%预测区间）')}
<div class="cols"><div><b>根因构成</b> <span class="muted">占该类工单，一单可有多个根因</span>${
        c.rootCauses.length
          ? c.rootCauses
              .map(
                (r) =>
                  `<div class="bar"><span class="t">${h(r.tag)}</span><span class="b" style="width:${Math.max(2, r.width * 1.6)}px"></span>${h(r.share)}</div>`,
              )
              .join('')
          : `<div class="muted">${c.unexplained ? '未识别出根因' : '暂无根因标签'}</div>`
      }${c.unexplained && c.rootCauses.length ? `<div class="muted">另有${h(c.unexplained)}未识别出根因</div>` : ''}</div><div><b>热点区块</b>${c.hotspots.length ? `<div class="cells">${c.hotspots.map(h).join('<br>')}</div>` : '<div class="muted">无显著聚集区块</div>'}</div></div>
<div style="margin-top:10px"><b>典型工单</b>${c.typical.map((t) => `<div class="typical">${h(t)}</div>`).join('') || '<div class="muted">—</div>'}</div>
<div class="units">建议牵头单位：<b>${h(c.lead)}</b>　配合单位：${h(c.co)}</div>
</div>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(doc.title)}</title><style>${CSS}</style></head>
<body><main>
<header><h1>${h(doc.title)}</h1><div class="sub">${h(doc.subtitle)}</div></header>
<section class="kpis">${doc.kpis.map((k) => `<div class="kpi"><div class="l">${h(k.label)}</div><div class="v">${h(k.value)}</div><div class="n">${h(k.note)}</div></div>`).join('')}</section>
<section class="summary">${doc.summary.map((s) => `<p>${h(s)}</p>`).join('')}</section>
${figure(svgs.get('top-categories'), '上月诉求量最多的类别（与去年同月对比）')}
<h2>一、本月调度议题候选</h2>
${doc.candidatesEmpty ? `<p class="muted">${h(doc.candidatesEmpty)}</p>` : cards}
<h2>二、热点区块分布</h2>
<p>${h(doc.hotspotIntro)}</p>
${figure(svgs.get('map'), '热点区块（H3 六边形，与网格化管理的网格不同）与行政区划边界')}
${table(HOTSPOT_HEAD, doc.hotspotRows, [3, 4])}
<h2>三、往期议题成效</h2>
<p>${h(doc.effects.intro)}</p>
${doc.effects.pooled.length ? `<ul class="notes">${doc.effects.pooled.map((n) => `<li>${h(n)}</li>`).join('')}</ul>` : ''}
${table(EFFECT_HEAD, doc.effects.rows)}
<h2>四、承办单位考核</h2>
<p>${h(doc.scorecard.intro)}</p>
${table(SCORECARD_HEAD, doc.scorecard.rows, [2, 3, 4, 5, 6, 7, 8, 9])}
<h2>五、数据质量说明</h2>
<ul class="notes">${doc.quality.map((n) => `<li>${h(n)}</li>`).join('')}</ul>
<footer><p>${h(doc.method)}</p><p>weisu 生成于 ${h(generatedAt)}</p></footer>
</main></body></html>
`;
}
