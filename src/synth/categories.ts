/**
 * How each level-2 category behaves in the demo city: its share of the hotline's volume, its yearly wave, where
 * it happens (urban or village), and the mix of true root causes behind its orders.
 */
export const ROOT_CAUSES = ['权责交叉', '政策漏洞', '基础设施短板', '监管缺位', '服务落实不到位', '其他'] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];

export type SeasonKind = 'heating' | 'flood' | 'greenery' | 'noise' | 'air' | 'enrolment' | 'school' | 'none';

export interface CategoryProfile {
  /** 'l1/l2'. */
  cat2: string;
  /** Share of the baseline volume (per mille before normalising). */
  share: number;
  season: SeasonKind;
  /** Where it happens: 'urban' categories are rarer in villages, 'rural' ones almost only there. */
  tilt: 'urban' | 'rural' | 'none';
  /** Root-cause prior: weights for 权责交叉, 政策漏洞, 基础设施短板, 监管缺位, 服务落实不到位, 其他. */
  causes: [number, number, number, number, number, number];
  /** Outside the government's remit (民事纠纷): the scope guard should flag these. */
  outOfScope?: boolean;
}

// [share, season, tilt, A 权责交叉, P 政策漏洞, I 基础设施短板, S 监管缺位, F 服务落实不到位, O 其他]
type Row = [number, SeasonKind, CategoryProfile['tilt'], number, number, number, number, number, number];
const TABLE: Record<string, Row> = {
  '城乡建设/供暖': [30, 'heating', 'urban', 5, 5, 40, 5, 25, 20],
  '城乡建设/物业管理': [70, 'none', 'urban', 25, 5, 10, 15, 30, 15],
  '城乡建设/房屋安全': [12, 'none', 'none', 15, 5, 45, 10, 10, 15],
  '城乡建设/老旧小区改造': [18, 'none', 'urban', 15, 20, 15, 5, 30, 15],
  '城乡建设/违章建筑': [20, 'none', 'none', 25, 5, 0, 45, 10, 15],
  '城市管理/排水防涝': [18, 'flood', 'none', 15, 0, 55, 0, 10, 20],
  '城市管理/市容环境': [45, 'none', 'none', 15, 0, 10, 25, 30, 20],
  '城市管理/园林绿化': [14, 'greenery', 'none', 20, 0, 15, 10, 25, 30],
  '城市管理/占道经营': [25, 'none', 'urban', 25, 0, 0, 45, 10, 20],
  '城市管理/路灯照明': [10, 'none', 'none', 15, 0, 50, 0, 15, 20],
  '城市管理/公厕管理': [6, 'none', 'none', 10, 0, 30, 10, 30, 20],
  '交通运输/道路设施': [22, 'none', 'none', 20, 0, 45, 0, 15, 20],
  '交通运输/公共交通': [20, 'none', 'none', 5, 25, 20, 0, 20, 30],
  '交通运输/停车管理': [35, 'none', 'urban', 20, 10, 30, 25, 0, 15],
  '交通运输/出租网约车': [12, 'none', 'urban', 5, 10, 0, 45, 10, 30],
  '交通运输/交通信号': [10, 'none', 'none', 10, 0, 40, 0, 20, 30],
  '交通运输/共享单车': [8, 'none', 'urban', 25, 10, 0, 35, 0, 30],
  '教育/入学招生': [14, 'enrolment', 'none', 5, 45, 0, 0, 10, 40],
  '教育/校外培训': [10, 'none', 'none', 5, 25, 0, 35, 10, 25],
  '教育/学校周边': [10, 'school', 'none', 25, 0, 20, 20, 0, 35],
  '教育/学校收费': [6, 'none', 'none', 0, 25, 0, 35, 0, 40],
  '教育/学校管理': [8, 'none', 'none', 0, 20, 0, 0, 20, 60],
  '生态环境/噪声污染': [30, 'noise', 'none', 25, 0, 0, 40, 10, 25],
  '生态环境/大气污染': [15, 'air', 'none', 20, 0, 0, 40, 10, 30],
  '生态环境/水污染': [5, 'none', 'none', 25, 0, 15, 35, 0, 25],
  '生态环境/固废污染': [6, 'none', 'none', 25, 0, 0, 40, 0, 35],
  '市场监管/食品安全': [20, 'none', 'none', 0, 0, 0, 50, 10, 40],
  '市场监管/消费维权': [45, 'none', 'none', 0, 25, 0, 30, 15, 30],
  '市场监管/价格监管': [10, 'none', 'none', 0, 20, 0, 40, 0, 40],
  '市场监管/特种设备': [6, 'none', 'none', 15, 0, 25, 35, 0, 25],
  '公用事业/供水': [25, 'none', 'none', 10, 0, 45, 0, 20, 25],
  '公用事业/供电': [18, 'none', 'none', 0, 0, 45, 0, 20, 35],
  '公用事业/燃气': [15, 'none', 'none', 0, 0, 30, 15, 25, 30],
  '公用事业/通信网络': [10, 'none', 'none', 0, 0, 35, 0, 25, 40],
  '公共安全/消防安全': [10, 'none', 'none', 20, 0, 25, 35, 0, 20],
  '公共安全/治安管理': [10, 'none', 'none', 0, 0, 0, 30, 15, 55],
  '公共安全/安全生产': [4, 'none', 'none', 15, 0, 0, 50, 0, 35],
  '社会保障/社会保险': [25, 'none', 'none', 10, 40, 0, 0, 20, 30],
  '社会保障/医疗保障': [20, 'none', 'none', 10, 45, 0, 0, 15, 30],
  '社会保障/就业服务': [10, 'none', 'none', 0, 30, 0, 0, 20, 50],
  '社会保障/社会救助': [10, 'none', 'none', 10, 45, 0, 0, 20, 25],
  '劳动权益/拖欠工资': [30, 'none', 'none', 20, 15, 0, 35, 10, 20],
  '劳动权益/劳动合同': [15, 'none', 'none', 0, 25, 0, 30, 10, 35],
  '劳动权益/工伤认定': [5, 'none', 'none', 20, 30, 0, 0, 20, 30],
  '卫生健康/医疗服务': [20, 'none', 'none', 0, 10, 0, 20, 30, 40],
  '卫生健康/疾病防控': [8, 'none', 'none', 0, 10, 0, 20, 20, 50],
  '卫生健康/母婴健康': [5, 'none', 'none', 10, 30, 0, 0, 25, 35],
  '住房保障/不动产登记': [12, 'none', 'none', 25, 30, 0, 0, 20, 25],
  '住房保障/商品房': [20, 'none', 'none', 15, 15, 0, 35, 0, 35],
  '住房保障/保障性住房': [8, 'none', 'none', 0, 45, 0, 0, 20, 35],
  '住房保障/房屋租赁': [14, 'none', 'urban', 0, 25, 0, 35, 0, 40],
  '农业农村/农村人居环境': [6, 'none', 'rural', 0, 0, 40, 10, 20, 30],
  '农业农村/土地承包': [4, 'none', 'rural', 20, 35, 0, 10, 0, 35],
  '农业农村/农业补贴': [3, 'none', 'rural', 0, 45, 0, 0, 20, 35],
  '民政服务/养老服务': [8, 'none', 'none', 0, 30, 20, 0, 20, 30],
  '民政服务/婚姻登记': [2, 'none', 'none', 0, 20, 0, 0, 30, 50],
  '民政服务/殡葬管理': [3, 'none', 'none', 0, 25, 0, 30, 0, 45],
  '政务服务/办事效率': [12, 'none', 'none', 30, 15, 0, 0, 30, 25],
  '政务服务/工作作风': [8, 'none', 'none', 30, 0, 0, 0, 45, 25],
  '政务服务/政策咨询': [14, 'none', 'none', 0, 50, 0, 0, 0, 50],
  '民事纠纷/邻里纠纷': [15, 'none', 'none', 10, 10, 0, 0, 0, 80],
  '民事纠纷/商业纠纷': [8, 'none', 'none', 10, 10, 0, 0, 0, 80],
  '民事纠纷/家庭纠纷': [5, 'none', 'none', 10, 10, 0, 0, 0, 80],
};

export function categoryProfile(cat2: string): CategoryProfile {
  const row = TABLE[cat2];
  // A city taxonomy edited beyond this table still generates: an unknown 小类 gets a small, quiet, mixed profile.
  if (!row) return { cat2, share: 5, season: 'none', tilt: 'none', causes: [15, 15, 15, 15, 15, 25] };
  const [share, season, tilt, ...causes] = row;
  return {
    cat2,
    share,
    season,
    tilt,
    causes: causes as CategoryProfile['causes'],
    outOfScope: cat2.startsWith('民事纠纷/'),
  };
}

/** Level-2 categories with a yearly wave (truth.seasonalCategories). */
export function seasonalCategories(cat2s: string[]): string[] {
  return cat2s.filter((c) => categoryProfile(c).season !== 'none');
}

/** Probability an order of this category is a repeat of an earlier one: higher where causes are structural. */
export function repeatRate(p: CategoryProfile): number {
  const total = p.causes.reduce((a, b) => a + b, 0);
  const structural = (p.causes[0] + p.causes[2] + p.causes[3] + p.causes[4]) / total;
  return 0.05 + 0.14 * structural;
}
