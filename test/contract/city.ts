// A small city for the CONTRACT conformance tests, deliberately unlike the demo city: its own name and places, a
// four-level taxonomy given in four separate columns (one level's name holds a '/'), a GBK export with its own
// headers read through a mapping, coordinates around another centre, some times with an explicit UTC offset, rows
// that must go to quarantine, and ids repeated inside the file. Everything is invented here.
import { writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { mulberry32 } from '../../src/stats/random.js';

/**
 * Level names per path, four levels and one path of five (a city's taxonomy may have 2–5, CONTRACT §1); 供水/排水 is
 * one level-2 name (kept whole because the levels come from columns).
 */
export const PATHS: string[][] = [
  ['市政公用', '供水/排水', '管网维修', '爆管漏水', '主管爆裂'],
  ['市政公用', '供水/排水', '管网维修', '井盖缺失'],
  ['市政公用', '供水/排水', '水质', '自来水浑浊'],
  ['市政公用', '燃气', '安全隐患', '燃气泄漏'],
  ['市政公用', '燃气', '收费', '燃气费争议'],
  ['社会治理', '邻里纠纷', '噪音', '装修噪音'],
  ['社会治理', '邻里纠纷', '噪音', '宠物扰民'],
  ['社会治理', '治安', '盗窃', '电动车被盗'],
  ['交通出行', '道路', '路面破损', '坑洼积水'],
  ['交通出行', '公交', '线路', '班次太少'],
  ['民生服务', '养老', '补贴', '高龄补贴发放'],
  ['民生服务', '就业', '欠薪', '农民工欠薪'],
];
export const SAYS: Record<string, string[]> = {
  爆管漏水: ['路边水管爆裂大量漏水', '小区地下管道漏水多日'],
  井盖缺失: ['人行道井盖丢失很危险', '井盖松动车辆经过声响大'],
  自来水浑浊: ['自来水发黄有异味', '水龙头放出的水浑浊'],
  燃气泄漏: ['楼道里闻到燃气味', '燃气表附近有泄漏声'],
  燃气费争议: ['燃气费比往年高很多', '燃气公司重复收费'],
  装修噪音: ['楼上周末装修电钻声很吵', '中午装修影响休息'],
  宠物扰民: ['邻居家狗整夜叫', '楼道里养鸡气味大'],
  电动车被盗: ['楼下电动车被偷', '车棚电瓶被盗'],
  坑洼积水: ['路面坑洼下雨积水', '道路破损电动车摔倒'],
  班次太少: ['公交班次太少等车一小时', '末班车太早下班回不了家'],
  高龄补贴发放: ['老人高龄补贴迟迟未到账', '咨询高龄补贴申领'],
  农民工欠薪: ['工地拖欠农民工工资', '包工头欠薪跑路'],
};
export const PLACES: Record<string, string[]> = {
  东湖区: ['湖滨街道', '青山街道'],
  西岭区: ['岭南街道', '松涛街道', '石门镇'],
};
/** The planted rise: the level-5 category at one street, from RISE.from on. */
export const RISE = { path: PATHS[0]!, district: '西岭区', street: '松涛街道', from: '2026-09-21', perDay: 6 };
/** The planted cluster of orders around one point, from HOT.from on (any category). */
export const HOT = { lon: 104.31, lat: 30.52, from: '2026-09-14', perDay: 5 };
export const CENTRE = { lon: 104.2, lat: 30.6 };
export const START = '2025-06-01';
export const AS_OF = '2026-11-02'; // a Monday
export const END = '2026-12-01'; // the "later" file runs up to here (exclusive)
export const HEADER = [
  '单号',
  '登记时间',
  '一级分类',
  '二级分类',
  '三级分类',
  '四级分类',
  '五级分类',
  '问题描述',
  '区',
  '街道',
  '社区',
  '地点',
  'X坐标',
  'Y坐标',
  '来电号码',
  '渠道',
  '类型',
  '承办部门',
  '结案时间',
  '满意度',
  '是否解决',
];
export const MAPPING = {
  name: 'xiling-contract',
  columns: {
    单号: 'order_id',
    登记时间: 'created_at',
    问题描述: 'content',
    区: 'district',
    街道: 'street',
    社区: 'community',
    地点: 'address',
    X坐标: 'lon',
    Y坐标: 'lat',
    渠道: 'channel',
    类型: 'order_type',
    承办部门: 'dept',
    结案时间: 'closed_at',
    满意度: 'satisfaction',
    是否解决: 'resolved',
  },
  category_levels: ['一级分类', '二级分类', '三级分类', '四级分类', '五级分类'],
  phone_column: '来电号码',
};

export interface Written {
  /** Data rows written per file (what `read` must count). */
  rows: number;
  /** Distinct order ids among the rows that are valid. */
  ids: number;
  /** Rows that must be quarantined. */
  bad: number;
  /** Rows repeating an earlier id of the file with every field equal / with a field changed. */
  sameRepeats: number;
  changedRepeats: number;
  /** Raw phone numbers written (none may reach the store). */
  phones: string[];
  /** One order written with a UTC time ('…Z'), and the local time it stands for. */
  utc?: { id: string; local: string };
  /** The last row of a changed repeat: its id and the satisfaction that must win. */
  changed?: { id: string; satisfaction: string };
}

const DAY = 86_400_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** Local wall-clock text of a UTC-coded instant (the file's local time). */
const local = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};
const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * The city's orders created in [from, to) as a GBK CSV. About 28 orders a day with a weekly cycle; 1 in 40 rows
 * carries its time as UTC with a 'Z' (8 hours earlier on the clock); the first file also gets three bad rows and
 * repeated ids. Ids are numbered from idBase so two files never share one.
 */
export function writeOrders(
  file: string,
  from: string,
  to: string,
  seed: number,
  idBase: number,
  extras: boolean,
): Written {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const streets = Object.entries(PLACES).flatMap(([d, ss]) => ss.map((s) => [d, s] as const));
  const lines: string[] = [HEADER.join(',')];
  const out: Written = { rows: 0, ids: 0, bad: 0, sameRepeats: 0, changedRepeats: 0, phones: [] };
  const kept: string[][] = [];
  let n = idBase;
  const push = (cells: string[]) => {
    lines.push(cells.map(q).join(','));
    out.rows++;
  };
  const order = (t: number, path: string[], district: string, street: string, lon: number, lat: number) => {
    const phone = `13${pad(Math.floor(rand() * 1e9), 9)}`;
    out.phones.push(phone);
    const utc = rand() < 1 / 40;
    const created = utc ? local(t - 8 * 3_600_000).replace(' ', 'T') + 'Z' : local(t);
    if (utc) out.utc = { id: `XL${pad(n + 1, 7)}`, local: local(t) };
    const closed = rand() < 0.85 ? local(t + (1 + rand() * 6) * DAY) : '';
    const cells = [
      `XL${pad(++n, 7)}`,
      created,
      ...path,
      ...Array<string>(5 - path.length).fill(''),
      `${street}${pick(SAYS[path[3]!]!)}，电话${phone}`,
      district,
      street,
      `${street.slice(0, 2)}${1 + Math.floor(rand() * 4)}社区`,
      `${street}${pick(['解放路', '文化路', '滨江路'])}${1 + Math.floor(rand() * 80)}号`,
      lon.toFixed(6),
      lat.toFixed(6),
      phone,
      pick(['电话', '微信', 'APP']),
      pick(['投诉', '求助', '咨询']),
      pick(['市水务局', '区住建局', '街道办事处', '市燃气公司', '区人社局']),
      closed,
      closed ? pick(['满意', '基本满意', '不满意']) : '',
      closed ? pick(['是', '否']) : '',
    ];
    push(cells);
    out.ids++;
    if (extras && kept.length < 6 && rand() < 0.01) kept.push(cells);
  };
  for (let day = Date.parse(from + 'T00:00:00Z'); day < Date.parse(to + 'T00:00:00Z'); day += DAY) {
    const wd = new Date(day).getUTCDay();
    const level = wd === 0 || wd === 6 ? 20 : 32;
    const count = Math.round(level + (rand() - 0.5) * 2 * Math.sqrt(level));
    for (let k = 0; k < count; k++) {
      const [district, street] = pick(streets);
      // the first order of a file without extras comes at midnight sharp: the as-of day's first instant
      const first = !extras && k === 0 && day === Date.parse(from + 'T00:00:00Z');
      const t = first ? day : day + Math.floor(rand() * DAY);
      order(t, pick(PATHS), district, street, CENTRE.lon + (rand() - 0.5) * 0.3, CENTRE.lat + (rand() - 0.5) * 0.3);
    }
    if (day >= Date.parse(RISE.from + 'T00:00:00Z'))
      for (let k = 0; k < RISE.perDay; k++)
        order(day + Math.floor(rand() * DAY), RISE.path, RISE.district, RISE.street, CENTRE.lon, CENTRE.lat - 0.1);
    if (day >= Date.parse(HOT.from + 'T00:00:00Z'))
      for (let k = 0; k < HOT.perDay; k++)
        order(
          day + Math.floor(rand() * DAY),
          pick(PATHS),
          '东湖区',
          '湖滨街道',
          HOT.lon + (rand() - 0.5) * 0.004,
          HOT.lat + (rand() - 0.5) * 0.004,
        );
  }
  if (extras) {
    // one row of each repeat: the same order sent again unchanged, and again with its satisfaction changed
    for (const [i, cells] of kept.entries()) {
      if (i % 2 === 0) {
        push(cells);
        out.sameRepeats++;
      } else {
        const sat = HEADER.indexOf('满意度');
        const changed = cells.map((c, j) => (j === sat ? (c === '不满意' ? '满意' : '不满意') : c));
        push(changed);
        out.changed = { id: changed[0]!, satisfaction: changed[sat]! };
        out.changedRepeats++;
      }
    }
    // each with a phone number in its text and its phone column: masked in the raw row kept in quarantine too
    const bad = (id: string, created: string, levels: string[]) => {
      const phone = `139${pad(Math.floor(rand() * 1e8), 8)}`;
      out.phones.push(phone);
      const cells = [id, created, ...levels, `燃气费太高，电话${phone}`, '东湖区', '湖滨街道', '', '', '', '', phone];
      push([...cells, '', '', '', '', '', '']);
    };
    const gas = ['市政公用', '燃气', '收费', '燃气费争议', ''];
    bad('XLBAD0001', '2026-02-30 10:00:00', gas); // no such day
    bad('XLBAD0002', '2026-03-01 10:00:00', ['', '', '', '', '']); // no category
    bad('', '2026-03-01 10:00:00', gas); // no id
    out.bad = 3;
  }
  writeFileSync(file, iconv.encode(lines.join('\r\n') + '\r\n', 'gbk'));
  return out;
}
