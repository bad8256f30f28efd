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
 * The k orders closest to the centre of the pool: each text becomes an L2-normalised TF-IDF vector, the centroid
 * is their mean, and orders are ranked by cosine to it. Identical texts are shown once. Content is masked.
 */
export function typicalOrders(pool: readonly PoolOrder[], k: number): TypicalOrder[] {
  if (pool.length === 0) return [];
  const tfidf = new TfIdf();
  const tokens = pool.map((o) => tokenize(o.content));
  tokens.forEach((t) => tfidf.addDocument(t.length ? t : ['∅']));
  const vectors: Map<string, number>[] = tokens.map((_t, i) => {
    const v = new Map<string, number>();
    for (const term of tfidf.listTerms(i)) v.set(term.term, term.tfidf);
    return normalise(v);
  });
  const centroid = new Map<string, number>();
  for (const v of vectors) for (const [term, w] of v) centroid.set(term, (centroid.get(term) ?? 0) + w / vectors.length);
  const centre = normalise(centroid);
  const ranked = pool
    .map((o, i) => ({ ...o, similarity: dot(vectors[i], centre) }))
    .sort((a, b) => b.similarity - a.similarity || a.order_id.localeCompare(b.order_id));
  const seen = new Set<string>();
  const out: TypicalOrder[] = [];
  for (const o of ranked) {
    const key = o.content.replace(/\s+/g, '');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...o, content: maskPersonal(o.content), similarity: Math.round(o.similarity * 1000) / 1000 });
    if (out.length === k) break;
  }
  return out;
}

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
