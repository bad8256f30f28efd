/**
 * The report's fixed wording, kept apart from the logic that picks and fills it: table heads, section intros and
 * the method appendix. Statistics names (Gi*, TF-IDF, 双重差分, config keys) appear only in METHOD_NOTES, which the
 * renderers print as an appendix after the body.
 */
export const HOTSPOT_HEAD = ['位置', '主要类别', '该类件数', '区块全部件数', '类型'];
export const SUDDEN_HEAD = ['位置', '诉求类别', '近4周', '前4周', '去年同期', '趋势'];
export const EFFECT_HEAD = ['议题/事项', '类别', '牵头单位', '衡量', '变化', '区间'];
export const SCORECARD_HEAD = [
  '月份',
  '承办单位',
  '交办',
  '按时签收',
  '按时回传',
  '办结',
  '未办结',
  '超期',
  '按时回传率',
  '诉求变化',
];

export const KIND: Record<string, string> = {
  hot: '热点',
  emerging: '新发',
  persistent: '持续',
  multi_category: '多类',
};
export const MEASURE: Record<string, string> = {
  category: '整治街道同类',
  cells: '热点区块',
  repeat: '重复诉求',
  forecast: '对照预测',
};
export const POOLED_WHAT: Record<string, string> = {
  category: '整治街道内同类诉求',
  cells: '热点区块内同类诉求',
  repeat: '重复诉求',
};

export const SECTION = {
  candidates: '一、本月调度议题候选',
  sudden: '二、局部突发问题',
  hotspots: '三、热点区块分布',
  effects: '四、往期议题成效',
  scorecard: '五、承办单位考核',
  quality: '六、数据质量说明',
  appendix: '附：方法说明',
};

export const CANDIDATES_EMPTY = '本月没有符合条件的议题候选（没有明显上升或即将到来的季节高峰的类别）。';
export const CANDIDATES_NO_MONTH = '上月没有工单数据，无法提出议题候选；补导上月数据后请重新生成报告。';
export const SUDDEN_NO_MONTH = '上月没有工单数据，无法判断局部突发问题。';
export const ALTERNATES_INTRO = (n: number, alts: number) =>
  n === 0
    ? `本月没有类别达到候选条件；为便于调度会比较选择，列出评分最高的${alts}个类别作为备选，并说明其较弱之处。`
    : `本月仅${n}个类别达到候选条件；为便于调度会比较选择，另列评分其次的${alts}个类别作为备选，并说明其较弱之处。`;
export const FACT_NOTE =
  '同比、环比均为上月日均与去年同月、前一月日均相比；“扣除后”的数字去掉了全市诉求总体增长或往年同期的季节变化，是评分所用口径。周度预警按近几周计，数值与按月的不同。';

export const SUDDEN_INTRO =
  '以下问题集中在个别街道或城区，未必构成全市议题，但近几周明显高于往常，建议本月关注。件数为近4周（按数据最后一天计）该地该类诉求。';
export const SUDDEN_EMPTY = '上月没有发现明显的局部突发问题（各街道、城区的上升均与全市同步或不显著）。';

export const HOTSPOT_NOT_RUN = '本期热点分析尚未运行（weisu run monthly 或 weisu hotspots），暂无热点区块结果。';
export const HOTSPOT_NONE = (cells: number) =>
  `最近一次热点分析比较了${cells}个区块，没有哪个区块的诉求明显多于周边（已排除偶然波动），本期无热点区块。`;
export const HOTSPOT_NO_COORDS =
  '工单数据没有经纬度坐标（或坐标均不可用），无法计算热点区块；导出数据含坐标后才有此节。';
export const HOTSPOT_NO_RECENT = (lastDay: string | null) =>
  lastDay
    ? `近几周没有带坐标的工单入库（最新工单日期为${lastDay}），无法计算热点区块。`
    : '近几周的工单都没有可用的经纬度坐标，无法计算热点区块。';
export const MAP_CAPTION = '热点区块（六边形小区域，与网格化管理的网格不同）与行政区划边界，颜色越深聚集越强';

export const EFFECT_HOW = '按同类诉求较“未整治时应有水平”的降幅评估';
export const EFFECTS_INTRO =
  '往期议题与热点整治办结后，诉求相对于“未整治时应有水平”（可比的未整治街道或区块同期的变化；议题另对照预测）的变化，负值为下降，括号内为95%区间。单个区块每周只有几件诉求，逐项结果多不显著，先看合计；下表列出议题，以及排除偶然波动后仍显著的热点事项。';
export const SIMULATED_TOP =
  '演示数据：本报告中的签收、回传、办结均为模拟生成（weisu feedback simulate），不是承办单位的真实回传；据此得出的成效与承办单位考核仅作演示。';
export const SIMULATED =
  '演示数据：本节的签收、回传、办结均为模拟生成（weisu feedback simulate），不是承办单位的真实回传，仅用于演示，不能据此考核。';

export const METHOD_NOTES = [
  '同比、环比均按日均计；议题卡片中“扣除后”的同比 = (1 + 同比) / (1 + 全市其余诉求总量增长) − 1，环比扣除去年同期同两月之间的季节变化。周度预警（detect 阶段）按近4周或近8周与预期相比，口径不同于按月同比。',
  '议题评分为各项指标的加权和（权重见配置 topics.weights）：同比上升（已扣除全市总量增长）、环比上升（扣除去年同期的季节变化）、本月预测（季节高峰将至）、诉求量、热点集中度、重复诉求率、不满意率、结构性根因占比（权责交叉、政策漏洞、基础设施短板、监管缺位）与预警。上升按泊松率比的置信下界计分。常年量大但没有上升的类别、负面清单诉求不作为候选；候选不足2个时，评分其次、未过门槛的类别列为备选。',
  '热点区块为 H3 六边形（默认第8级），按 Getis-Ord Gi* 统计量判断聚集，多重检验按 Benjamini–Hochberg 控制误报率（FDR）；地图颜色为 Gi* z 值。位置取区块内该类工单最多的街道、社区，以及工单最常提到的地址（去掉门牌号、楼号后归并）。',
  '局部突发取自周度预警中的街道、城区级预警（不含与全市同步的上升），同一城区同一大类只列最强的一条；件数取自每日计数。',
  '成效按双重差分（与可比的未整治街道或区块相比）或对照预测评估，95%区间由按周自助抽样得到；逐项显著性按 Benjamini–Hochberg 控制误报率5%。',
  '典型工单按文本与该类诉求中心的相似度（TF-IDF 余弦）选取，个人信息已脱敏。',
];

/** An effect whose expected level is under one order a week: counts, not a percentage. */
export const TINY_BASE_NOTE = (what: string, post: number | null, expected: number, pre: number | null) =>
  `${what}每周${post === null ? '—' : post.toFixed(1)}件，无整治时预期每周仅${expected.toFixed(1)}件` +
  `${pre === null ? '' : `（整治前每周${pre.toFixed(1)}件）`}；基数不足每周1件，变化按件数计，不按百分比计`;

/** Boston 311 (one year) read "（与去年同月对比）" under bars of one month only. */
export const TOP_CHART_CAPTION = (yearEarlier: boolean) =>
  `上月诉求量最多的类别${yearEarlier ? '（与去年同月对比）' : ''}`;
