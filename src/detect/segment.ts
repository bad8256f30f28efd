/**
 * Candidate terms of one order text: the words Intl.Segmenter('zh') finds (two characters or more) and adjacent
 * word pairs. A new phrase the dictionary does not know is split into known words, so its novelty shows in the
 * pairs; the burst term is widened back to the full phrase afterwards (see widenTerm).
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;
// digits runs could be phone, ID or plate numbers: never a term, never printed
const DIGITS = /\d{3,}/;

// Segmenting is the slow part (~0.05–0.1 ms a text: ~5 s for the 70,000 sampled texts of a nightly run, which
// starts a fresh process), so it is done once per clause and cached: order texts share far more clauses
// (templates, boilerplate like "请尽快处理") than whole texts, and cutting at digits too keeps house numbers and
// masked phone numbers from making every clause unique. Cutting there changes no term: no word holding a Han
// character reaches across punctuation, white space, a control character or a digit (none of them is part of a
// dictionary run, and the word-break rules join nothing to Han but combining marks and format characters), and
// no term pair spans one because that character ends the run of words before it (see segmentTerms).
// test/detect/segment.test.ts checks both against whole-text segmentation.
const CLAUSE_BREAK = /[\p{P}\p{Z}\p{Cc}0-9０-９]+/u;
const textCache = new Map<string, Set<string>>();
const clauseCache = new Map<string, readonly string[]>();
const CACHE_MAX = 100_000;

/** The segmenter's pieces of a text, words and the rest (punctuation, spaces), in order. */
export function wordSegments(text: string): Intl.SegmentData[] {
  return [...segmenter.segment(text)];
}

export function terms(text: string): Set<string> {
  let hit = textCache.get(text);
  if (!hit) {
    hit = new Set<string>();
    for (const clause of text.split(CLAUSE_BREAK)) if (clause) for (const t of clauseTerms(clause)) hit.add(t);
    if (textCache.size >= CACHE_MAX) textCache.clear();
    textCache.set(text, hit);
  }
  return hit;
}

function clauseTerms(clause: string): readonly string[] {
  let hit = clauseCache.get(clause);
  if (!hit) {
    hit = [...segmentTerms(clause)];
    if (clauseCache.size >= CACHE_MAX) clauseCache.clear();
    clauseCache.set(clause, hit);
  }
  return hit;
}

/** The terms of one text segmented whole (terms() gets the same set clause by clause). */
export function segmentTerms(text: string): Set<string> {
  const out = new Set<string>();
  let prev: string | null = null;
  for (const seg of segmenter.segment(text)) {
    if (!seg.isWordLike) {
      prev = null;
      continue;
    }
    const w = seg.segment;
    if (!HAN.test(w) || DIGITS.test(w)) {
      prev = null;
      continue;
    }
    if (w.length >= 2) out.add(w);
    if (prev !== null) out.add(prev + w);
    prev = w;
  }
  return out;
}

/**
 * Grow a term left and right while most texts that contain it agree on the next character, so a burst of
 * "充电桩" + "起火" comes back as the phrase people actually wrote.
 */
export function widenTerm(term: string, texts: readonly string[], agree = 0.8, maxLen = 12): string {
  let cur = term;
  for (const dir of [-1, 1] as const) {
    while (cur.length < maxLen) {
      const next = new Map<string, number>();
      let seen = 0;
      for (const t of texts) {
        const i = t.indexOf(cur);
        if (i < 0) continue;
        seen++;
        const ch = dir < 0 ? t[i - 1] : t[i + cur.length];
        if (ch && HAN.test(ch)) next.set(ch, (next.get(ch) ?? 0) + 1);
      }
      let best: string | null = null;
      let bestN = 0;
      for (const [ch, k] of next) if (k > bestN) [best, bestN] = [ch, k];
      if (!best || seen === 0 || bestN / seen < agree) break;
      cur = dir < 0 ? best + cur : cur + best;
    }
  }
  return cur;
}
