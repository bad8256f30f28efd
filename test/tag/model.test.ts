import { describe, expect, it } from 'vitest';
import { LO, SPAN } from '../../src/tag/features.js';
import { ModelScorer, vectorize, type TextModel } from '../../src/tag/model.js';

/** A model over a few ideographs: every unigram and a third of the bigrams, seeded weights and IDF. */
function randomModel(nTags: number, seed: number): { model: TextModel; chars: string[] } {
  let x = seed;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const chars = [...new Set('暖气不热楼道积水噪音扰民推诿没人管多次反映占位经营')];
  const vocab = new Map<number, number>();
  for (const c of chars) vocab.set(c.charCodeAt(0) - LO, vocab.size);
  // (every key once: a column number is the key's position)
  for (const a of chars)
    for (const b of chars)
      if (rnd() < 0.33) vocab.set(SPAN + (a.charCodeAt(0) - LO) * SPAN + (b.charCodeAt(0) - LO), vocab.size);
  const nF = vocab.size;
  const idf = Float64Array.from({ length: nF }, () => 0.5 + 3 * rnd());
  const weights = Float64Array.from({ length: nTags * nF }, () => 4 * rnd() - 2);
  const bias = Float64Array.from({ length: nTags }, () => rnd() - 0.5);
  return { model: { tags: Array.from({ length: nTags }, (_, t) => `t${t}`), vocab, idf, weights, bias }, chars };
}

describe('ModelScorer.margins', () => {
  it('the five-tag path (also with a gate column) is bit-identical to the general one and both equal bias + w·tf-idf of the training vectors', () => {
    for (const nTags of [5, 6, 3]) {
      const { model, chars } = randomModel(nTags, 11 + nTags);
      const scorer = new ModelScorer(model);
      let x = 5;
      const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
      const pool = [...chars, 'a', '1', '，', ' ', '𠀀', '号'];
      const texts = [
        '',
        'abc',
        '暖',
        '暖暖暖',
        ...Array.from({ length: 400 }, () =>
          Array.from({ length: Math.floor(rnd() * 120) }, () => pool[Math.floor(rnd() * pool.length)]).join(''),
        ),
      ];
      const docs = vectorize(texts, { vocab: model.vocab, idf: model.idf });
      const fast = new Float64Array(nTags);
      const general = new Float64Array(nTags);
      texts.forEach((text, i) => {
        scorer.margins(text, fast);
        scorer.marginsAnyTags(text, general);
        expect(Array.from(fast)).toEqual(Array.from(general));
        const nF = model.idf.length;
        for (let t = 0; t < nTags; t++) {
          let z = model.bias[t];
          docs[i].cols.forEach((j, k) => (z += model.weights[t * nF + j] * docs[i].vals[k]));
          expect(fast[t]).toBeCloseTo(z, 10);
        }
      });
    }
  });
});
