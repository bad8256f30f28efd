import { EFFECT_HEAD, HOTSPOT_HEAD, SCORECARD_HEAD, type ReportDocument } from './document.js';
import { mdCell } from './format.js';

function table(head: string[], rows: string[][]): string[] {
  if (!rows.length) return [];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
    '',
  ];
}

/** The Markdown twin of the HTML report; charts are the SVG files written next to it (charts/<key>.svg). */
export function renderMarkdown(doc: ReportDocument, charts: Set<string>, generatedAt: string): string {
  const img = (key: string, alt: string) => (charts.has(key) ? [`![${alt}](charts/${key}.svg)`, ''] : []);
  const out: string[] = [`# ${doc.title}`, '', `_${doc.subtitle}_`, ''];
  out.push(...doc.kpis.map((k) => `- **${k.label}**：${k.value}（${k.note}）`), '');
  out.push(...doc.summary, '');
  out.push(...img('top-categories', '上月诉求量最多的类别'));
  out.push('## 一、本月调度议题候选', '');
  if (doc.candidatesEmpty) out.push(doc.candidatesEmpty, '');
  for (const c of doc.candidates) {
    out.push(`### ${c.rank}. ${c.category}${c.selected ? `（${c.selected}）` : ''}　评分 ${c.score}`, '');
    out.push(...c.reasons.map((r) => `- ${r}`), '');
    out.push(c.facts.map(([l, v]) => `${l}：**${v}**`).join('　'), '');
    out.push(...img(c.chartKey, `${c.category} 每周诉求量`));
    const causes =
      c.rootCauses.map((r) => `${r.tag} ${r.share}`).join('、') || (c.unexplained ? '未识别出根因' : '暂无');
    out.push(
      `**根因构成**（占该类工单，一单可有多个根因）：${causes}${c.unexplained && c.rootCauses.length ? `；另有${c.unexplained}未识别出根因` : ''}`,
      '',
    );
    out.push(`**热点区块**：${c.hotspots.map((x) => `\`${x}\``).join('、') || '无'}`, '');
    out.push('**典型工单**：', '', ...c.typical.map((t) => `> ${mdCell(t)}`).flatMap((t) => [t, '']));
    out.push(`**建议牵头单位**：${c.lead}　**配合单位**：${c.co}`, '');
  }
  out.push(
    '## 二、热点区块分布',
    '',
    doc.hotspotIntro,
    '',
    ...img('map', '热点区块地图'),
    ...table(HOTSPOT_HEAD, doc.hotspotRows),
  );
  out.push(
    '## 三、往期议题成效',
    '',
    doc.effects.intro,
    '',
    ...doc.effects.pooled.map((n) => `- ${n}`),
    ...(doc.effects.pooled.length ? [''] : []),
    ...table(EFFECT_HEAD, doc.effects.rows),
  );
  out.push('## 四、承办单位考核', '', doc.scorecard.intro, '', ...table(SCORECARD_HEAD, doc.scorecard.rows));
  out.push('## 五、数据质量说明', '', ...doc.quality.map((n) => `- ${n}`), '');
  out.push('---', '', `_${doc.method}_`, '', `_weisu 生成于 ${generatedAt}_`, '');
  return out.join('\n');
}
