import type { RootCause } from './categories.js';
import {
  CAUSE_CLAUSES,
  DEMANDS,
  DOMAIN_OF,
  IMPACTS,
  DURATIONS,
  INQUIRY_DEMANDS,
  NEIGHBOUR_REPEAT,
  NO_LEGAL_BASIS,
  OPENERS,
  PROBLEMS,
  REPEAT_AFTER_CLOSE,
  REPEAT_LEADS,
  WEB_OPENERS,
} from './phrases.js';
import { mobile, residentId } from './people.js';
import type { Rng } from './random.js';

export interface ContentInput {
  /** 'l1/l2/l3'. */
  category: string;
  /** 'l1/l2'. */
  cat2: string;
  /** Where, as a caller would say it (community + building, a road crossing…). */
  place: string;
  causes: RootCause[];
  channel: string;
  orderType: string;
  repeat?: 'caller' | 'caller_after_close' | 'place';
  /** The caller's own phone, sometimes repeated inside the text. */
  phone: string;
  noLegalBasis?: boolean;
  /** A new term (new_topic event) the text is about. */
  term?: string;
}

const GENERIC = ['{p}{leaf}问题', '{p}存在{leaf}的情况', '反映{p}{leaf}的问题'];

const poolCache = new Map<string, string[]>();
function problem(rng: Rng, category: string, place: string): string {
  let pool = poolCache.get(category);
  if (!pool) {
    const parts = category.split('/');
    const leaf = parts[2] ?? parts[1] ?? parts[0];
    const key2 = parts.length >= 3 ? `${parts[1]}/${leaf}` : leaf;
    pool = (PROBLEMS[key2] ?? PROBLEMS[leaf] ?? GENERIC).map((t) => t.replace('{leaf}', leaf));
    poolCache.set(category, pool);
  }
  return rng.pick(pool).replace('{p}', place);
}

/** Terms for the new_topic event: names that occur nowhere else in the generated text. */
export const NEW_TERMS = ['悦享通卡', '乐居宝', '易停宝', '安心充', '惠享家'];

const TERM_TEMPLATES = [
  '在{p}附近的门店办理了“{t}”会员，充值后门店突然关门，预存的钱退不了',
  '“{t}”平台推广时承诺随时退款，现在申请退款一直不处理',
  '家里老人被推销办了“{t}”，花了好几千元，现在联系不上商家',
  '购买的“{t}”服务无法使用，客服电话打不通',
  '“{t}”预付款退费难，很多人都遇到同样的问题',
];

/**
 * One order's 诉求内容: opener, (repeat lead), place + problem, duration, the clause of each true root cause,
 * demand, sometimes the caller's phone or ID number (masked at ingest).
 */
export function composeContent(rng: Rng, input: ContentInput): string {
  const parts: string[] = [];
  let asking = false;
  const web = input.channel === '网站' || input.channel === 'APP' || input.channel === '微信';
  if (!input.repeat) parts.push(rng.pick(web ? WEB_OPENERS : OPENERS));
  if (input.repeat === 'caller') parts.push(rng.pick(REPEAT_LEADS));
  else if (input.repeat === 'caller_after_close') parts.push(rng.pick(REPEAT_AFTER_CLOSE));
  else if (input.repeat === 'place') parts.push(rng.pick(NEIGHBOUR_REPEAT));
  const dur = rng.pick(DURATIONS);
  if (input.term) {
    parts.push(rng.pick(TERM_TEMPLATES).replace('{p}', input.place).replace('{t}', input.term) + '，');
  } else {
    const body = problem(rng, input.category, input.place);
    asking = body.startsWith('想') || body.startsWith('咨询');
    parts.push(dur && !asking ? dur + body + '，' : body + '，');
    if (!asking && rng.chance(0.35)) parts.push(rng.pick(IMPACTS) + '，');
  }
  const clauses: string[] = [];
  const domain = DOMAIN_OF[input.cat2];
  for (const c of input.causes) {
    const pools = CAUSE_CLAUSES[c];
    if (!pools) continue;
    const specific = domain ? pools.domain[domain] : undefined;
    clauses.push(rng.pick(specific && rng.chance(0.6) ? specific : pools.generic));
  }
  if (clauses.length) parts.push(clauses.join('，') + '，');
  if (input.noLegalBasis) parts.push(rng.pick(NO_LEGAL_BASIS) + '，');
  let text = parts.join('');
  if (text.endsWith('，')) text = text.slice(0, -1) + '。';
  const demand = input.orderType === '咨询' || asking ? rng.pick(INQUIRY_DEMANDS) : rng.pick(DEMANDS);
  text += demand;
  const r = rng.next();
  if (r < 0.04) text += `联系电话${rng.chance(0.7) ? input.phone : mobile(rng)}。`;
  else if (r < 0.055) text += `来电人身份证号${residentId(rng)}。`;
  else if (r < 0.065) text += `如需核实请拨打${mobile(rng)}。`;
  return text;
}
