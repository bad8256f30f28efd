/**
 * What a message does before what it is about: a complaint or report has a cause; a question, a consultation, a
 * suggestion or praise has none (其他), even when it names a policy or a facility. Real 问政 boards are a third
 * questions and suggestions; a cause model that never saw them tags "请问最低工资标准是多少" as 政策漏洞.
 *
 * The act is decided from cue phrases: question, suggestion and praise cues (the title counts double: it is where
 * a writer says 咨询 or 建议), against complaint cues (投诉, 举报, 扰民, 拖欠, 不作为 …). Complaint cues win
 * ties: a message that asks "为什么没人管" is a complaint, not a question.
 */
import { PhraseMatcher } from './matcher.js';

export type SpeechAct = 'complaint' | 'question' | 'suggestion' | 'praise';

const QUESTION = [
  '请问',
  '咨询',
  '想问',
  '想了解',
  '了解一下',
  '问一下',
  '请教',
  '能否',
  '可否',
  '是否可以',
  '是否需要',
  '可不可以',
  '能不能',
  '可以吗',
  '怎么办理',
  '如何办理',
  '如何申请',
  '怎么申请',
  '在哪里办',
  '哪里办理',
  '需要什么',
  '需要哪些',
  '要带什么',
  '什么条件',
  '什么资料',
  '流程',
  '手续',
  '是多少',
  '有哪些',
];
/** Question marks of every kind: in a complaint they are often rhetorical, so they weigh half. */
const QUESTION_WEAK = ['什么时候', '何时', '多少钱', '有没有', '吗？', '吗?', '么？', '呢？'];
const SUGGESTION = ['建议', '提议', '提几点', '倡议', '能否增设', '可否增设', '意见和建议', '设想', '希望能', '应该'];
const PRAISE = ['感谢信', '表扬', '点赞', '致谢', '好评', '赞扬', '锦旗'];
/** Signs of a grievance: a question or suggestion carrying them is a complaint in disguise. */
const COMPLAINT = [
  '投诉',
  '举报',
  '反映',
  '严重',
  '扰民',
  '污染',
  '违法',
  '违规',
  '非法',
  '违章',
  '拖欠',
  '不作为',
  '乱作为',
  '推诿',
  '踢皮球',
  '扯皮',
  '乱收费',
  '欺诈',
  '诈骗',
  '骗',
  '坑',
  '拒绝',
  '拒不',
  '至今',
  '多次',
  '一直没',
  '迟迟',
  '无人',
  '没人管',
  '不管',
  '强制',
  '强行',
  '危险',
  '隐患',
  '敷衍',
  '态度',
  '不退',
  '难道',
  '不合理',
  '不公平',
  '不公',
  '霸王',
  '恶劣',
  '损害',
  '侵害',
  '侵占',
  '维权',
  '受骗',
  '噪音',
  '油烟',
  '停水',
  '停电',
  '漏水',
  '烂尾',
  '偷排',
  '克扣',
  '刁难',
  '没有回复',
  '不回复',
  '不予',
  '苦不堪言',
  '无法',
  '影响',
  '失信',
  '却',
  '竟然',
  '居然',
  '根本',
  '不给',
  '不发',
  '未发',
  '没发',
  '还没有',
  '到现在',
  '没有人',
  '不到位',
  '不达标',
  '超标',
  '不符',
];
const COMPLAINT_STRONG = new Set([
  '投诉',
  '举报',
  '扰民',
  '污染',
  '违法',
  '非法',
  '拖欠',
  '不作为',
  '乱收费',
  '诈骗',
  '推诿',
  '踢皮球',
  '偷排',
]);

const KINDS = [QUESTION, SUGGESTION, PRAISE, COMPLAINT, QUESTION_WEAK] as const;
const PHRASES = KINDS.flat();
/** Kind per phrase: 0 question, 1 suggestion, 2 praise, 3 complaint; weak question cues are kind 0 at half weight. */
const KIND_OF = Int8Array.from(KINDS.flatMap((list, k) => list.map(() => (k === 4 ? 0 : k))));
const WEIGHT = Float64Array.from(KINDS.flatMap((list, k) => list.map(() => (k === 4 ? 0.5 : 1))));
/** Titles that open with these state the act (希望开通… is a suggestion, 感谢… praise). */
const TITLE_OPENINGS: ReadonlyArray<[string, number]> = [
  ['希望', 1],
  ['建议', 1],
  ['呼吁', 1],
  ['恳请', 1],
  ['感谢', 2],
];
const matcher = new PhraseMatcher(PHRASES);

/** The cue phrases, for a caller that finds them in its own scan (ids base … base + length − 1). */
export const SPEECH_ACT_PHRASES: readonly string[] = PHRASES;

export interface SpeechActResult {
  act: SpeechAct;
  /** Cue weights: question, suggestion, praise, complaint. */
  scores: [number, number, number, number];
  cues: string[];
}

const ACTS: readonly SpeechAct[] = ['complaint', 'question', 'suggestion', 'praise'];
const stamp = new Int32Array(PHRASES.length);
let generation = 0;
const scratch: [number, number, number, number] = [0, 0, 0, 0];

/** The act of a message; `titleLength` marks how many leading characters are its title (0 when unknown). */
export function speechAct(text: string, titleLength = 0): SpeechActResult {
  const n = matcher.collect(text);
  const cues: string[] = [];
  const code = speechActCode(text, n, matcher.hitId, matcher.hitStart, 0, titleLength, cues);
  return { act: ACTS[code], scores: [...scratch], cues };
}

/**
 * The act as a code (0 complaint, 1 question, 2 suggestion, 3 praise) from the hits of someone else's scan, where
 * these cues sit at ids base … base + length − 1: the tagger finds lexicon, scope and act cues in one pass.
 * Allocates nothing unless `cues` is given (the stage's hot loop).
 */
export function speechActCode(
  text: string,
  n: number,
  ids: Int32Array,
  starts: Int32Array,
  base: number,
  titleLength: number,
  cues?: string[],
): number {
  const scores = scratch;
  scores.fill(0);
  const gen = ++generation;
  for (let h = 0; h < n; h++) {
    const id = ids[h] - base;
    if (id < 0 || id >= PHRASES.length || stamp[id] === gen) continue;
    stamp[id] = gen;
    const k = KIND_OF[id];
    const phrase = PHRASES[id];
    // the title states the act; the first sentences too, when no title was given
    const lead = starts[h] < (titleLength || 24) ? 2 : 1;
    const w = k === 3 && COMPLAINT_STRONG.has(phrase) ? 2 : WEIGHT[id];
    scores[k] += w * (k === 3 ? 1 : lead);
    cues?.push(phrase);
  }
  for (const [opening, k] of TITLE_OPENINGS)
    if (text.startsWith(opening)) {
      scores[k] += 2;
      cues?.push(opening + '…');
    }
  return decide(scores);
}

/** Complaint cues needed per question / suggestion / praise cue for a message to count as a complaint (0.7 was
 * chosen on two of the three real sources, see docs/tag.md). */
export const COMPLAINT_RATIO = 0.7;

function decide([q, s, p, c]: [number, number, number, number]): number {
  const other = Math.max(q, s, p);
  // complaint cues outweigh the asking, suggesting or thanking: "为什么没人管？" is a complaint
  if (other === 0 || c >= COMPLAINT_RATIO * other) return 0;
  if (q === other) return 1;
  if (s === other) return 2;
  return 3;
}
