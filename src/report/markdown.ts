import type { ReportDocument } from './document.js';
import { mdCell } from './format.js';
import { EFFECT_HEAD, HOTSPOT_HEAD, SCORECARD_HEAD, SECTION, SIMULATED_TOP, SUDDEN_HEAD } from './wording.js';

/** An ideographic space (U+3000): the gap between facts on one line, written as an escape so it stays visible. */
const GAP = '\u3000';

function table(head: string[], rows: string[][]): string[] {
  if (!rows.length) return [];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
    '',
  ];
}

function candidates(doc: ReportDocument, img: (key: string, alt: string) => string[]): string[] {
  const out: string[] = [`## ${SECTION.candidates}`, ''];
  if (doc.candidatesEmpty) out.push(doc.candidatesEmpty, '');
  for (const c of doc.candidates) {
    out.push(`### ${c.rank}. ${c.category}${c.selected ? `【${c.selected}】` : ''}${GAP}评分 ${c.score}`, '');
    out.push(...c.reasons.map((r) => `- ${r}`), '');
    out.push(c.facts.map(([l, v]) => `${l}：**${v}**`).join(GAP), '', `_${c.factNote}_`, '');
    out.push(...img(c.chartKey, `${c.category} 每周诉求量`));
    const causes =
      c.rootCauses.map((r) => `${r.tag} ${r.share}`).join('、') || (c.unexplained ? '未识别出根因' : '暂无');
    out.push(
      `**根因构成**（占该类工单，一单可有多个根因）：${causes}${c.unexplained && c.rootCauses.length ? `；另有${c.unexplained}未识别出根因` : ''}`,
      '',
    );
    out.push(`**热点区块位置**：${c.hotspots.join('；') || '无明显聚集区块'}`, '');
    out.push('**典型工单**：', '', ...c.typical.map((t) => `> ${mdCell(t)}`).flatMap((t) => [t, '']));
    out.push(`**建议牵头单位**：${c.lead}${GAP}**配合单位**：${c.co}`, '');
  }
  if (doc.alternatesIntro) out.push(doc.alternatesIntro, '');
  for (const a of doc.alternates) {
    out.push(`### ${a.rank}. ${a.category}（备选）${GAP}评分 ${a.score}`, '');
    out.push(...a.reasons.map((r) => `- ${r}`), '', '**较弱之处**：', '', ...a.weaker.map((r) => `- ${r}`), '');
  }
  return out;
}

/** The Markdown twin of the HTML report; charts are the SVG files written next to it (charts/<key>.svg). */
export function renderMarkdown(doc: ReportDocument, charts: Set<string>, generatedAt: string): string {
  const img = (key: string, alt: string) => (charts.has(key) ? [`![${alt}](charts/${key}.svg)`, ''] : []);
  const sim = (shown: boolean) => (doc.simulated && shown ? [`> **${doc.simulated}**`, ''] : []);
  const out: string[] = [`# ${doc.title}`, '', `_${doc.subtitle}_`, ''];
  if (doc.simulated) out.push(`> **${SIMULATED_TOP}**`, '');
  out.push(...doc.kpis.map((k) => `- **${k.label}**：${k.value}（${k.note}）`), '');
  out.push(...doc.summary, '');
  out.push(...img('top-categories', '上月诉求量最多的类别'));
  out.push(...candidates(doc, img));
  out.push(`## ${SECTION.sudden}`, '', doc.sudden.intro, '', ...table(SUDDEN_HEAD, doc.sudden.rows));
  out.push(`## ${SECTION.hotspots}`, '', doc.hotspotIntro, '', ...img('map', '热点区块地图'));
  out.push(...table(HOTSPOT_HEAD, doc.hotspotRows));
  const e = doc.effects;
  out.push(`## ${SECTION.effects}`, '', ...sim(e.rows.length + e.pooled.length > 0), e.intro, '');
  out.push(...e.pooled.map((n) => `- ${n}`), ...(e.pooled.length ? [''] : []));
  out.push(
    ...table(
      [...EFFECT_HEAD, '说明'],
      e.rows.map((r) => [...r.cells, r.note]),
    ),
  );
  out.push(`## ${SECTION.scorecard}`, '', ...sim(doc.scorecard.rows.length > 0), doc.scorecard.intro, '');
  out.push(...table(SCORECARD_HEAD, doc.scorecard.rows));
  out.push(`## ${SECTION.quality}`, '', ...doc.quality.map((n) => `- ${n}`), '');
  out.push('---', '', `## ${SECTION.appendix}`, '', ...doc.method.map((n) => `- ${n}`), '');
  out.push(`_weisu 生成于 ${generatedAt}_`, '');
  return out.join('\n');
}
