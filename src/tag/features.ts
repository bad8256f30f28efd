/**
 * Text features for the root-cause model: Chinese characters and character bigrams. Bigrams carry most of the
 * meaning of short complaint texts (推诿, 老化, 监管, 承诺 …) and, unlike a word segmenter, cost one pass over
 * the string — the model has to score 100k+ orders a second. Keys are numbers (unigram = code unit,
 * see below) so lookups hash small integers, not strings.
 */

// Features are built from CJK ideographs (U+3400–U+9FFF); everything else (punctuation, digits, Latin,
// spaces) ends a run. Keys stay below 2^30 so V8 keeps them as small integers: unigram = i, bigram =
// SPAN + i1·SPAN + i2, with i = code − 0x3400.
export const LO = 0x3400;
export const SPAN = 0xa000 - LO;

/** Calls fn with each feature key of the text (a key may repeat; callers dedupe). */
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

/** The distinct feature keys of a text. */
export function featureKeys(text: string): number[] {
  const seen = new Set<number>();
  forEachFeature(text, (k) => seen.add(k));
  return [...seen];
}

/** A readable form of a key, for explanations and natural.TfIdf's string tokens. */
export function featureText(key: number): string {
  if (key < SPAN) return String.fromCharCode(LO + key);
  const k = key - SPAN;
  return String.fromCharCode(LO + Math.floor(k / SPAN), LO + (k % SPAN));
}
