// The deep import avoids natural's index, which loads storage back-ends that print dotenv banners on stdout
// (that would break `--json`).
import { TfIdf } from 'natural/lib/natural/tfidf/index.js';
import { maskPersonal } from '../store/mask.js';

export interface PoolOrder {
  order_id: string;
  day: string;
  district: string;
  street: string;
  content: string;
}

export interface TypicalOrder extends PoolOrder {
  /** Cosine similarity of the order's TF-IDF vector to the category's centroid. */
  similarity: number;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAS_LETTER = /[\p{Script=Han}A-Za-z]/u;

/** Words of a Chinese text: ICU word segments that hold a Han character or a letter; digits and punctuation are noise. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text)) {
    if (!s.isWordLike) continue;
    const w = s.segment.toLowerCase();
    if (!HAS_LETTER.test(w) || /\d/.test(w)) continue;
    out.push(w);
  }
  return out;
}

/**
 * The k orders that best show what the pool is about: each text becomes an L2-normalised TF-IDF vector, the
 * centroid is their mean, and orders are chosen by maximal marginal relevance (Carbonell & Goldstein 1998): close to
 * the centre, but not a near-copy of one already chosen. Pure closeness picked five copies of one template
 * ("3号小区…", "5号小区…") whenever a complaint came in waves; a leader reading five examples should see five
 * complaints. Texts equal up to blanks and digits count as one. The chosen orders are listed most central first;
 * content is masked.
 */
export function typicalOrders(pool: readonly PoolOrder[], k: number, diversity = TYPICAL_DIVERSITY): TypicalOrder[] {
  if (pool.length === 0 || k <= 0) return [];
  const tfidf = new TfIdf();
  const tokens = pool.map((o) => tokenize(o.content));
  tokens.forEach((t) => tfidf.addDocument(t.length ? t : ['∅']));
  const vectors: Map<string, number>[] = tokens.map((_t, i) => {
    const v = new Map<string, number>();
    for (const term of tfidf.listTerms(i)) v.set(term.term, term.tfidf);
    return normalise(v);
  });
  const centroid = new Map<string, number>();
  for (const v of vectors)
    for (const [term, w] of v) centroid.set(term, (centroid.get(term) ?? 0) + w / vectors.length);
  const centre = normalise(centroid);
  // most central first, then by order_id
  const byCentrality = (a: { o: PoolOrder; similarity: number }, b: { o: PoolOrder; similarity: number }) =>
    b.similarity - a.similarity || a.o.order_id.localeCompare(b.o.order_id);
  const ranked = pool.map((o, i) => ({ o, i, similarity: dot(vectors[i], centre) })).sort(byCentrality);
  // one order per text up to blanks and digits (the most central of them, by the sort above)
  const seen = new Set<string>();
  const distinct = ranked.filter((r) => {
    const key = r.o.content.replace(/[\s\d*]+/g, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const chosen: typeof distinct = [];
  // closest similarity of each remaining order to anything chosen so far
  const overlap = new Float64Array(distinct.length);
  const taken = new Uint8Array(distinct.length);
  while (chosen.length < Math.min(k, distinct.length)) {
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < distinct.length; c++) {
      if (taken[c]) continue;
      const score = (1 - diversity) * distinct[c].similarity - diversity * overlap[c];
      // ties keep the ranked order (more central, then order_id)
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    taken[best] = 1;
    chosen.push(distinct[best]);
    const v = vectors[distinct[best].i];
    for (let c = 0; c < distinct.length; c++)
      if (!taken[c]) overlap[c] = Math.max(overlap[c], dot(vectors[distinct[c].i], v));
  }
  return chosen
    .sort(byCentrality)
    .map((r) => ({ ...r.o, content: maskPersonal(r.o.content), similarity: Math.round(r.similarity * 1000) / 1000 }));
}

/** Weight of "unlike those already chosen" against "close to the centre" in typicalOrders (0 = closeness only). */
export const TYPICAL_DIVERSITY = 0.3;

function normalise(v: Map<string, number>): Map<string, number> {
  let norm = 0;
  for (const w of v.values()) norm += w * w;
  norm = Math.sqrt(norm);
  if (norm === 0) return v;
  const out = new Map<string, number>();
  for (const [t, w] of v) out.set(t, w / norm);
  return out;
}

function dot(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, w] of small) s += w * (large.get(t) ?? 0);
  return s;
}
