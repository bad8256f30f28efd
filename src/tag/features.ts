/**
 * Text features for the root-cause model: character pairs (one pass over the string, no dictionary) and, beside
 * them, words and adjacent word pairs from a segmenter (segment.ts). Character pairs carry the meaning of short
 * hotline records (推诿, 老化, 监管 …); words and word pairs carry what pairs of characters split or join wrongly
 * (当|皮球, 没有|灯, 占道经营). Keys are numbers so lookups hash small integers, not strings.
 */
import { IntIndex, probe } from './inthash.js';

// Character features come from CJK ideographs (U+3400–U+9FFF); everything else (punctuation, digits, Latin,
// spaces) ends a run. Keys stay below 2^30 so V8 keeps them as small integers: unigram = i, bigram =
// SPAN + i1·SPAN + i2, with i = code − 0x3400. Word and word-pair keys are hashes in [2^30, 2^31).
export const LO = 0x3400;
export const SPAN = 0xa000 - LO;
export const WORD_BASE = 0x40000000;
const WORD_MASK = 0x3fffffff;

/** Calls fn with each character feature key of the text (a key may repeat; callers dedupe). */
export function forEachFeature(text: string, fn: (key: number) => void): void {
  let prev = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - LO;
    if (c < 0 || c >= SPAN) {
      prev = -1;
      continue;
    }
    fn(c);
    if (prev >= 0) fn(SPAN + prev * SPAN + c);
    prev = c;
  }
}

/** FNV-1a of a word, or −1 when it holds no ideograph (punctuation, digits, Latin: they end a run of words). */
export function wordHash(w: string): number {
  let h = 0x811c9dc5;
  let cjk = false;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= LO && c < 0xa000) cjk = true;
    h = Math.imul(h ^ c, 16777619);
  }
  return cjk ? h >>> 0 : -1;
}

/** Key of a word of two or more characters (single-character words name a topic as often as a cause). */
export const wordKey = (h: number): number => WORD_BASE + (h & WORD_MASK);
/** Key of two adjacent words (any length: 当|皮球, 没有|灯). */
export const pairKey = (h1: number, h2: number): number =>
  WORD_BASE + ((Math.imul(h1 ^ 0x5bd1e995, 0x9e3779b1) ^ h2) & WORD_MASK);

/**
 * The words a model cuts new text into: the words the segmenter (jieba with the domain dictionary) found in the
 * training texts, all ideographs, two or more characters. New text is cut by forward maximum matching over them
 * (at each position the longest known word, else one character), the same at training and at scoring, so the
 * hot path needs no native call and no strings (a segmenter call costs ~9 µs per 100-character text, 3–4×
 * the rest of the scoring).
 */
export class WordDict {
  /** Every prefix (two or more characters) of every word; isWord[vals[slot]] says whether it is a word itself. */
  readonly index: IntIndex;
  readonly isWord: Uint8Array;
  readonly maxLen: number;

  constructor(readonly words: readonly string[]) {
    const word = new Map<number, boolean>();
    for (const w of words)
      for (let l = 2; l <= w.length; l++) {
        const k = wordKey(wordHash(w.slice(0, l)));
        word.set(k, word.get(k) === true || l === w.length);
      }
    const keys = [...word.keys()];
    this.index = new IntIndex(keys);
    this.isWord = Uint8Array.from(keys, (k) => (word.get(k) ? 1 : 0));
    this.maxLen = words.reduce((m, w) => Math.max(m, w.length), 1);
  }
}

/** Scratch for cutWords: token hashes (−1 = a run of non-ideographs) and their start and length. */
export class WordCut {
  n = 0;
  hash = new Float64Array(256);
  start = new Int32Array(256);
  len = new Int32Array(256);

  push(h: number, start: number, len: number): void {
    if (this.n === this.hash.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.hash = grow(this.hash);
      this.start = grow(this.start);
      this.len = grow(this.len);
    }
    this.hash[this.n] = h;
    this.start[this.n] = start;
    this.len[this.n++] = len;
  }
}

/** Cut text[0, len) into words by forward maximum matching over dict, into out. */
export function cutWords(text: string, len: number, dict: WordDict, out: WordCut): void {
  out.n = 0;
  const { keys, vals, mask, shift } = dict.index;
  const { isWord, maxLen } = dict;
  let i = 0;
  let inBreak = false;
  while (i < len) {
    const c0 = text.charCodeAt(i);
    if (c0 < LO || c0 >= 0xa000) {
      if (!inBreak) out.push(-1, i, 1);
      inBreak = true;
      i++;
      continue;
    }
    inBreak = false;
    let h = Math.imul(0x811c9dc5 ^ c0, 16777619);
    let best = 1;
    let bestH = h >>> 0;
    for (let l = 2; l <= maxLen && i + l <= len; l++) {
      const c = text.charCodeAt(i + l - 1);
      if (c < LO || c >= 0xa000) break;
      h = Math.imul(h ^ c, 16777619);
      // no known word starts with these characters: stop extending
      const slot = probe(keys, mask, shift, wordKey(h >>> 0));
      if (slot < 0) break;
      if (isWord[vals[slot]] === 1) {
        best = l;
        bestH = h >>> 0;
      }
    }
    out.push(bestH, i, best);
    i += best;
  }
}

/**
 * Calls fn with each word feature key of a cut text: words of three or more characters, and pairs of adjacent
 * words (no punctuation between) of three or more characters together. Shorter ones are exactly a character
 * pair, which the character features already hold. name() gives a key's readable form.
 */
export function forEachWordFeature(text: string, cut: WordCut, fn: (key: number, name: () => string) => void): void {
  let ph = -1;
  let pl = 0;
  for (let w = 0; w < cut.n; w++) {
    const h = cut.hash[w];
    if (h < 0) {
      ph = -1;
      continue;
    }
    const s = cut.start[w];
    const l = cut.len[w];
    if (l >= 3) fn(wordKey(h), () => text.slice(s, s + l));
    if (ph >= 0 && l + pl >= 3) {
      const ps = cut.start[w - 1];
      fn(pairKey(ph, h), () => `${text.slice(ps, s)}|${text.slice(s, s + l)}`);
    }
    ph = h;
    pl = l;
  }
}

/** The distinct character feature keys of a text. */
export function featureKeys(text: string): number[] {
  const seen = new Set<number>();
  forEachFeature(text, (k) => seen.add(k));
  return [...seen];
}

/** A readable form of a character key, for explanations (word keys are named by the model's vocabulary). */
export function featureText(key: number): string {
  if (key < SPAN) return String.fromCharCode(LO + key);
  const k = key - SPAN;
  return String.fromCharCode(LO + Math.floor(k / SPAN), LO + (k % SPAN));
}
