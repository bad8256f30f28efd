import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { addDays } from '../store/dates.js';
import type { Alert } from './alert.js';
import type { DetectConfig } from './config.js';
import { terms, widenTerm, wordSegments } from './segment.js';
import { alertScore } from './score.js';
import { poissonUpper } from './stats.js';
import { benjaminiHochberg } from '../stats/fdr.js';
// The TF-IDF module alone: natural's index loads dotenv, which prints a banner on stdout and would corrupt --json.
import { TfIdf } from 'natural/lib/natural/tfidf/index.js';

interface DocRow {
  win: 'recent' | 'prior' | 'last_year';
  fortnight: number;
  content: string;
  cat1: string;
  cat2: string;
  district: string | null;
  street: string | null;
  window_orders: number;
}

interface Candidate {
  term: string;
  recent: number[];
  prior: number;
  p: number;
}

function mostCommon(values: readonly (string | null)[]): { name: string | null; share: number } {
  const m = new Map<string, number>();
  for (const v of values) if (v) m.set(v, (m.get(v) ?? 0) + 1);
  let name: string | null = null;
  let k = 0;
  for (const [v, c] of m) if (c > k || (c === k && name !== null && v < name)) [name, k] = [v, c];
  return { name, share: values.length ? k / values.length : 0 };
}

/**
 * Terms of the last 2 complete weeks that burst from near zero against the 26 weeks before: document frequency
 * now vs before (Poisson tail, BH across every term with enough support), with natural's TF-IDF over fortnightly
 * documents as a second view of how specific the term is to now. Each alert names the term, the level-2
 * category it concentrates in, and the narrowest scope holding most of its orders.
 */
/**
 * The windows topic_sample.sql draws its documents from, for the week starting week0: the 2 complete weeks before
 * as-of (recent), the 26 weeks before them (prior), and the same weeks a year earlier ± 2 weeks (last_year).
 */
export function topicSampleParams(asOf: string, week0: string, sampleRecent: number, samplePrior: number) {
  const recentStart = addDays(week0, -7);
  const recentEnd = addDays(week0, 7);
  return {
    as_of: asOf,
    recent_start: recentStart,
    recent_end: recentEnd,
    prior_start: addDays(recentStart, -26 * 7),
    last_year_start: addDays(recentStart, -52 * 7 - 14),
    last_year_end: addDays(recentEnd, -52 * 7 + 14),
    sample_recent: sampleRecent,
    sample_prior: samplePrior,
  };
}

/** Term statistics of the sampled documents: the terms of each recent one, and document frequencies before. */
interface TermStats {
  recentTerms: Set<string>[];
  priorDf: Map<string, number>;
  priorByFortnight: Map<number, string[]>;
  /** Recent documents holding each term (indices into recent). */
  recentDocs: Map<string, number[]>;
}

function termStats(recent: readonly DocRow[], prior: readonly DocRow[]): TermStats {
  const recentTerms = recent.map((r) => terms(r.content));
  const priorDf = new Map<string, number>();
  const priorByFortnight = new Map<number, string[]>();
  for (const r of prior) {
    const ts = terms(r.content);
    for (const t of ts) priorDf.set(t, (priorDf.get(t) ?? 0) + 1);
    const bucket = priorByFortnight.get(r.fortnight) ?? [];
    for (const t of ts) bucket.push(t);
    priorByFortnight.set(r.fortnight, bucket);
  }
  const recentDocs = new Map<string, number[]>();
  recentTerms.forEach((ts, i) => {
    for (const t of ts) {
      const list = recentDocs.get(t);
      if (list) list.push(i);
      else recentDocs.set(t, [i]);
    }
  });
  return { recentTerms, priorDf, priorByFortnight, recentDocs };
}

/** Every term with enough support, tested (Poisson tail of its recent count), with BH q-values, most surprising first. */
function testedTerms(st: TermStats, nR: number, nP: number, minSupport: number): { c: Candidate; q: number }[] {
  const tested: Candidate[] = [];
  for (const [term, docs] of st.recentDocs) {
    if (docs.length < minSupport) continue;
    const before = st.priorDf.get(term) ?? 0;
    const expected = ((before + 0.5) / nP) * nR;
    tested.push({ term, recent: docs, prior: before, p: poissonUpper(docs.length, expected) });
  }
  const q = benjaminiHochberg(tested.map((c) => c.p));
  return tested.map((c, i) => ({ c, q: q[i] })).sort((a, b) => a.c.p - b.c.p || b.c.recent.length - a.c.recent.length);
}

/** The narrowest scope holding ≥ 60% of a term's orders: a street, a district, or the city. */
function topicScope(docs: readonly DocRow[], cityName: string): Alert['scope'] {
  const street = mostCommon(docs.map((d) => (d.street ? `${d.district ?? ''}\u0000${d.street}` : null)));
  const district = mostCommon(docs.map((d) => d.district));
  if (street.share >= 0.6 && street.name)
    return { level: 'street', name: street.name.split('\u0000')[1], district: street.name.split('\u0000')[0] || null };
  if (district.share >= 0.6 && district.name)
    return { level: 'district', name: district.name, district: district.name };
  return { level: 'city', name: cityName, district: null };
}

// Single characters that only bind to the word beside them (structural and aspect particles, sentence-final
// particles, and the commonest prepositions and conjunctions): a term that begins or ends with one of them as a
// word of its own ("冻的", "看着", "在小区") is a fragment of a sentence, not a topic.
const FUNCTION_CHARS = new Set([...'的了得地着过吗呢吧啊呀么嘛哦啦之和与及或在把被给对向从']);
const isFunctionWord = (w: string) => w.length === 1 && FUNCTION_CHARS.has(w);

/**
 * Whether a term is a sentence fragment: its first or last word (as the segmenter splits it) is a single function
 * character. A dictionary word holding such a character ("地铁", "工地", "获得", "过期") is one word and stays a term.
 */
export function isFragment(term: string): boolean {
  const words = wordSegments(term)
    .filter((w) => w.isWordLike)
    .map((w) => w.segment);
  if (!words.length) return true;
  return isFunctionWord(words[0]) || isFunctionWord(words[words.length - 1]);
}

/** Where `phrase` first occurs in `text`: the offsets inside it (0..length) at which the segmenter starts a piece. */
function boundariesIn(text: string, phrase: string): Set<number> | null {
  const at = text.indexOf(phrase);
  if (at < 0) return null;
  const out = new Set<number>();
  for (const seg of wordSegments(text)) {
    const b = seg.index - at;
    if (b >= 0 && b <= phrase.length) out.add(b);
  }
  if (at + phrase.length === text.length) out.add(phrase.length);
  return out;
}

/** Texts read to place a phrase's edges (the segmenter costs ~0.1 ms a text). */
const EDGE_TEXTS = 200;

/**
 * The phrase cut back to word boundaries: widenTerm grows a character at a time and stops where the texts stop
 * agreeing, which can be inside a word ("推销办" of 办理 / 办卡). Each edge moves inward to the nearest offset that
 * the segmenter makes a word boundary in at least half the texts holding the phrase; nothing shorter than two
 * characters is left.
 */
export function toWordEdges(phrase: string, texts: readonly string[]): string {
  const sets = texts
    .slice(0, EDGE_TEXTS)
    .map((t) => boundariesIn(t, phrase))
    .filter((b): b is Set<number> => b !== null);
  if (!sets.length) return phrase;
  const isEdge = (k: number) => 2 * sets.filter((b) => b.has(k)).length >= sets.length;
  let start = 0;
  while (start < phrase.length && !isEdge(start)) start++;
  let end = phrase.length;
  while (end > start && !isEdge(end)) end--;
  return end - start >= 2 ? phrase.slice(start, end) : phrase;
}

const OPENING = /[\p{Ps}\p{Pi}]/u;

/**
 * Whether, in most texts holding `phrase`, a particle follows it and then an opening quote or bracket: "推销办" +
 * "了“会员卡”" — the phrase ends on a verb whose quoted object was cut off. "电梯坏" + "了，" and "下水道堵" + "了好几天" do
 * not: there the character is the complaint itself, and without it the phrase says nothing.
 */
function cutBeforeObject(phrase: string, texts: readonly string[]): boolean {
  let holding = 0;
  let cut = 0;
  for (const t of texts.slice(0, EDGE_TEXTS)) {
    const at = t.indexOf(phrase);
    if (at < 0) continue;
    holding++;
    let i = at + phrase.length;
    if (!FUNCTION_CHARS.has(t[i] ?? '')) continue;
    while (i < t.length && FUNCTION_CHARS.has(t[i])) i++;
    if (i < t.length && OPENING.test(t[i])) cut++;
  }
  return holding > 0 && 2 * cut > holding;
}

/**
 * The widened phrase without function characters at its edges ("暖气不热了" → "暖气不热"), nor a single character that
 * a particle leaves stranded after a longer word with its object cut off ("家里老人被推销办了“…”" → "家里老人被推销"; a run
 * of single characters, "不|热", is an unknown word and stays whole). The term if fewer than two characters are left.
 */
function trimFragment(phrase: string, term: string, texts: readonly string[]): string {
  const words = wordSegments(phrase).map((w) => w.segment);
  while (words.length && isFunctionWord(words[0])) words.shift();
  while (words.length && isFunctionWord(words[words.length - 1])) words.pop();
  const n = words.length;
  if (n >= 2 && words[n - 1].length === 1 && words[n - 2].length >= 2 && cutBeforeObject(words.join(''), texts))
    words.pop();
  const out = words.join('');
  return out.length >= 2 ? out : term;
}

/** The phrase an alert names for a burst term: widened over its texts, cut to word edges, without loose particles. */
export function phraseOf(term: string, texts: readonly string[]): string {
  return trimFragment(toWordEdges(widenTerm(term, texts), texts), term, texts);
}

/** What one run's term tests share. */
interface TopicRun {
  recent: DocRow[];
  nR: number;
  nP: number;
  scaleR: number;
  scaleP: number;
  tfidf: TfIdf;
  window: { start: string; end: string };
  cityName: string;
}

function topicAlert(run: TopicRun, c: Candidate, qv: number, lift: number): Alert {
  const { nR, nP, scaleR, scaleP } = run;
  const docs = c.recent.map((i) => run.recent[i]);
  const phrase = phraseOf(
    c.term,
    docs.map((d) => d.content),
  );
  const cat = mostCommon(docs.map((d) => d.cat2));
  const scope = topicScope(docs, run.cityName);
  const observed = Math.round(c.recent.length * scaleR);
  const expected = ((c.prior + 0.5) / nP) * nR * scaleR;
  const where = scope.level === 'city' ? '' : `，集中在${scope.name}`;
  return {
    category: cat.name ?? '',
    // a path without a level 2 stores cat2 = cat1: its category is the 大类, at level 1
    level: docs.some((d) => d.cat2 === cat.name && d.cat2 !== d.cat1) ? 2 : 1,
    scope,
    kind: 'new_topic',
    window_start: run.window.start,
    window_end: run.window.end,
    observed,
    expected,
    score: alertScore(qv, observed / expected),
    p_value: c.p,
    q_value: qv,
    reason: `新出现诉求「${phrase}」：近2周约${observed}件，此前26周约${Math.round(c.prior * scaleP)}件，${Math.round(cat.share * 100)}%属「${cat.name}」${where}`,
    details: {
      term: phrase,
      matched_term: c.term,
      category_share: cat.share,
      prior_orders: Math.round(c.prior * scaleP),
      sample_recent: nR,
      sample_prior: nP,
      tfidf: run.tfidf.tfidf([c.term], 0),
      lift,
    },
  };
}

/**
 * The same weeks a year earlier: a phrase common then is a seasonal return (heating fees every November), not new.
 * Only the few terms that pass every other gate are looked up there, and a term is a substring of each text it is a
 * term of, so only the texts containing it are segmented (segmenting all 30,000 up front cost seconds). Returns
 * whether the term was common then; always false without a usable year-earlier sample.
 */
function lastYearCheck(lastYear: readonly string[], nt: DetectConfig['newTopic']) {
  const usable = lastYear.length >= 100 && lastYear.some((t) => terms(t).size > 0);
  return (term: string, recentShare: number): boolean => {
    if (!usable) return false;
    const seen = lastYear.reduce((n, t) => (t.includes(term) && terms(t).has(term) ? n + 1 : n), 0);
    const nY = lastYear.length;
    return seen / nY > nt.maxPriorShare || recentShare / ((seen + 0.5) / nY) < nt.minLift;
  };
}

export async function detectNewTopics(
  store: Store,
  asOf: string,
  week0: string,
  cityName: string,
  cfg: DetectConfig,
): Promise<Alert[]> {
  const nt = cfg.newTopic;
  if (!nt.enabled) return [];
  const sample = topicSampleParams(asOf, week0, nt.sampleRecent, nt.samplePrior);
  await store.script(sql('detect/topic_sample.sql'), sample);
  const rows = await store.all<DocRow>(sql('detect/topic_documents.sql'), { recent_start: sample.recent_start });
  await store.exec('DROP TABLE IF EXISTS detect_topic_sample');
  const recent = rows.filter((r) => r.win === 'recent');
  const prior = rows.filter((r) => r.win === 'prior');
  const seenLastYear = lastYearCheck(
    rows.filter((r) => r.win === 'last_year').map((r) => r.content),
    nt,
  );
  if (recent.length < nt.minSupport || prior.length < 100) return [];

  const st = termStats(recent, prior);
  const nR = recent.length;
  const nP = prior.length;
  const order = testedTerms(st, nR, nP, nt.minSupport);
  const tfidf = new TfIdf();
  tfidf.addDocument(st.recentTerms.flatMap((ts) => [...ts]));
  for (const f of [...st.priorByFortnight.keys()].sort((a, b) => a - b)) tfidf.addDocument(st.priorByFortnight.get(f)!);
  const run: TopicRun = {
    recent,
    nR,
    nP,
    scaleR: (recent[0]?.window_orders ?? nR) / nR,
    scaleP: (prior[0]?.window_orders ?? nP) / nP,
    tfidf,
    window: { start: sample.recent_start, end: addDays(sample.recent_end, -1) },
    cityName,
  };

  const covered = new Set<number>();
  const alerts: Alert[] = [];
  for (const { c, q: qv } of order) {
    if (alerts.length >= nt.maxAlerts || qv > nt.fdr) break;
    const shareBefore = c.prior / nP;
    const lift = c.recent.length / nR / ((c.prior + 0.5) / nP);
    if (shareBefore > nt.maxPriorShare || lift < nt.minLift) continue;
    if (isFragment(c.term)) continue;
    if (seenLastYear(c.term, c.recent.length / nR)) continue;
    // a second word of the same phrase is the same topic
    const fresh = c.recent.filter((i) => !covered.has(i));
    if (fresh.length < c.recent.length / 2) continue;
    for (const i of c.recent) covered.add(i);
    alerts.push(topicAlert(run, c, qv, lift));
  }
  return alerts;
}
