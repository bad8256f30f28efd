// Compose data/labelled/root_causes.jsonl from the hand-written bases in bases.txt.
// Each base becomes VARIANTS orders: the same complaint told with different openings, places, durations and
// requests (the clauses below carry no root-cause signal, so a model cannot learn the label from them).
// The held-out test part is chosen BY BASE: every 5th base of each primary tag, so no variant of a test
// complaint is ever seen in training. Run: node data/labelled/compose.mjs (deterministic).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const VARIANTS = 7;

// Deterministic PRNG (mulberry32) so the file is reproducible.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, xs) => xs[Math.floor(r() * xs.length)];

const openers = ['', '', '市民来电反映：', '来电人反映，', '来电人称', '网友留言：', '市民通过微信反映，', '来电人表示，', '群众反映：', '居民来电称，', '来电者反映'];
const places = ['', '', '', '我住在{street}{community}，', '{community}居民反映，', '在{street}附近，', '{street}{community}{building}号楼，', '{community}这边，', '位于{street}的{community}，'];
const streets = ['和平街道', '东风路街道', '新华街道', '城关镇', '建设路街道', '长安街道', '滨河街道', '南湖街道', '北苑街道', '金桥镇', '解放路街道', '文昌街道', '杨柳青镇', '高新区', '西关街道'];
const communities = ['幸福里社区', '阳光小区', '翠湖花园', '红星村', '锦绣家园', '铁路宿舍', '光明社区', '棉纺厂家属院', '碧水苑', '东村', '金色港湾', '槐树里', '新城国际', '北街社区', '柳园小区'];
const tails = ['', '', '', '请尽快处理。', '希望有关部门重视。', '诉求：尽快解决。', '请相关部门核实处理。', '希望给个答复。', '要求尽快解决并回复。', '特此反映。', '麻烦跟进一下。', '希望早日解决。'];
const fillers = ['', '', '', '', '家里有老人孩子，', '附近居民意见很大，', '这个情况影响很大，', '大家都很着急，', '周边好多人都有同感，'];

function expand(text, r) {
  return text.replace(/\{([^{}]*\|[^{}]*)\}/g, (_, alts) => pick(r, alts.split('|')));
}
function fill(s, r) {
  return s.replace('{street}', pick(r, streets)).replace('{community}', pick(r, communities)).replace('{building}', String(1 + Math.floor(r() * 30)));
}

const lines = readFileSync(join(here, 'bases.txt'), 'utf8').split('\n');
const bases = [];
lines.forEach((line, i) => {
  if (!line.trim() || line.startsWith('#')) return;
  const [tags, category, text] = line.split('\t');
  if (!text) throw new Error(`bases.txt line ${i + 1}: expected tags<TAB>category<TAB>text`);
  bases.push({ line: i + 1, tags: tags.split('|'), category, text });
});

const seenPerTag = new Map();
const out = [];
bases.forEach((b, bi) => {
  const primary = b.tags[0];
  const k = seenPerTag.get(primary) ?? 0;
  seenPerTag.set(primary, k + 1);
  const split = k % 5 === 2 ? 'test' : 'train';
  const r = rng(1000 + bi);
  const texts = new Set();
  for (let v = 0; v < VARIANTS * 3 && texts.size < VARIANTS; v++) {
    const body = expand(b.text, r);
    const t = pick(r, openers) + fill(pick(r, places), r) + pick(r, fillers) + body + (/[。！？]$/.test(body) ? '' : '。') + pick(r, tails);
    texts.add(t);
  }
  let v = 0;
  for (const content of texts) {
    out.push({ id: `L${String(bi + 1).padStart(3, '0')}-${v++}`, base: `B${String(bi + 1).padStart(3, '0')}`, split, category: b.category, tags: b.tags, content });
  }
});
writeFileSync(join(here, 'root_causes.jsonl'), out.map((o) => JSON.stringify(o)).join('\n') + '\n');
const test = out.filter((o) => o.split === 'test').length;
console.log(`${bases.length} bases -> ${out.length} orders (${out.length - test} train, ${test} test)`);
