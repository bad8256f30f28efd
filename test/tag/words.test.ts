import { describe, expect, it } from 'vitest';
import { WordCut, WordDict, cutWords, forEachWordFeature } from '../../src/tag/features.js';
import { ModelScorer, buildVocabulary, fitModel, vectorize } from '../../src/tag/model.js';
import { loadSegmenter } from '../../src/tag/segment.js';
import { deserializeEvidence, serializeEvidence } from '../../src/tag/tagger.js';
import { TagConfigSchema, tagFiles } from '../../src/tag/config.js';
import { loadTaggerInputs } from '../../src/tag/tagger.js';
import { testConfig } from '../helpers.js';

function cut(text: string, words: string[]): string[] {
  const out = new WordCut();
  cutWords(text, text.length, new WordDict(words), out);
  return Array.from({ length: out.n }, (_, i) =>
    out.hash[i] < 0 ? '/' : text.slice(out.start[i], out.start[i] + out.len[i]),
  );
}

describe('segmenter', () => {
  it('jieba loads from its prebuilt binary and keeps domain-dictionary terms whole', () => {
    const seg = loadSegmenter('jieba');
    expect(seg.name).toBe('jieba');
    const words = seg.cut('物业把问题当皮球踢，商贩占道经营，二次供水水压低');
    expect(words).toContain('占道经营');
    expect(words).toContain('二次供水');
    expect(words.join('')).toBe('物业把问题当皮球踢，商贩占道经营，二次供水水压低');
  });

  it('Intl.Segmenter is the fallback and cuts the same text into words too', () => {
    const seg = loadSegmenter('intl');
    expect(seg.name).toBe('intl');
    const words = seg.cut('路灯坏了半年没人管');
    expect(words.join('')).toBe('路灯坏了半年没人管');
    expect(words.length).toBeGreaterThan(2);
    expect(words.length).toBeLessThan(9);
  });
});

describe('forward maximum matching over the model words', () => {
  it('takes the longest known word at each position, else one character; punctuation and digits break', () => {
    expect(cut('都把问题当皮球踢', ['皮球', '当皮球', '问题'])).toEqual(['都', '把', '问题', '当皮球', '踢']);
    expect(cut('当皮球', ['皮球'])).toEqual(['当', '皮球']);
    expect(cut('路灯，2号楼没有灯', ['路灯', '没有'])).toEqual(['路灯', '/', '号', '楼', '没有', '灯']);
    expect(cut('', ['路灯'])).toEqual([]);
  });

  it('emits words of three or more characters and pairs of three or more characters, never across a break', () => {
    const text = '都把问题当皮球踢，没有灯';
    const out = new WordCut();
    cutWords(text, text.length, new WordDict(['问题', '当皮球', '没有']), out);
    const names: string[] = [];
    forEachWordFeature(text, out, (_, name) => names.push(name()));
    // 都|把 is a character pair (two characters); 踢|没有 would cross the comma
    expect(names).toEqual(['把|问题', '当皮球', '问题|当皮球', '当皮球|踢', '没有|灯']);
  });
});

describe('a model with word features', () => {
  const texts = [
    '物业把问题当皮球踢，多次反映没人管',
    '街道和城管互相推诿，都把问题当皮球踢',
    '路灯坏了半年，没有灯，晚上出行不便',
    '小区没有路灯，晚上没有灯很危险',
    '商贩占道经营，城管不管',
    '占道经营严重，没有人查处',
    '多次反映至今未解决，物业不作为',
    '餐馆油烟扰民，多次反映没人管',
  ];
  const groups = texts.map((_, i) => `g${i}`);
  const labels = texts.map((_, i) => [i < 2, i === 2 || i === 3, i === 4 || i === 5 || i === 7, i === 6, i % 2 === 0]);
  const tags = ['权责交叉', '基础设施短板', '监管缺位', '服务落实不到位', '政策漏洞'];
  const v = buildVocabulary(texts, groups, 2, true);
  const model = fitModel(v, vectorize(texts, v), labels, tags, {
    epochs: 20,
    learningRate: 0.8,
    l2: 1e-4,
    minGroupFreq: 2,
    seed: 3,
    words: true,
  });

  it('has word features in its vocabulary and scores them the same on the fast and the general path', () => {
    expect(model.segWords?.length).toBeGreaterThan(0);
    expect([...model.wordNames!.values()].some((n) => n.includes('|') || n.length >= 3)).toBe(true);
    const scorer = new ModelScorer(model);
    const docs = vectorize(texts, v);
    const fast = new Float64Array(5);
    const general = new Float64Array(5);
    texts.forEach((t, i) => {
      scorer.margins(t, fast);
      scorer.marginsAnyTags(t, general);
      expect(Array.from(fast)).toEqual(Array.from(general));
      const nF = model.idf.length;
      for (let k = 0; k < 5; k++) {
        let z = model.bias[k];
        docs[i].cols.forEach((j, c) => (z += model.weights[k * nF + j] * docs[i].vals[c]));
        expect(fast[k]).toBeCloseTo(z, 10);
      }
    });
  });

  it('round-trips through the store with its words (same margins after deserializing)', () => {
    const back = deserializeEvidence(serializeEvidence({ model, calibration: tags.map(() => ({ a: 1, b: 0, c: 0 })) }));
    expect(back.model.segWords).toEqual(model.segWords);
    const a = new Float64Array(5);
    const b = new Float64Array(5);
    new ModelScorer(model).margins('物业把问题当皮球踢，没有灯', a);
    new ModelScorer(back.model).margins('物业把问题当皮球踢，没有灯', b);
    expect(Array.from(b)).toEqual(Array.from(a));
    // the word features move the margins: the same text without them scores differently
    const plain = new Float64Array(5);
    new ModelScorer({ ...model, segWords: undefined }).margins('物业把问题当皮球踢，没有灯', plain);
    expect(Array.from(plain)).not.toEqual(Array.from(a));
  });

  it('config tag.words switches word features on and changes the model fingerprint; off leaves it as before', () => {
    const off = TagConfigSchema.parse({});
    const on = TagConfigSchema.parse({ words: true });
    const a = loadTaggerInputs(tagFiles(testConfig(), off), off);
    const b = loadTaggerInputs(tagFiles(testConfig(), on), on);
    expect(a.opts.words).toBe(false);
    expect(b.opts.words).toBe(true);
    expect(b.modelFingerprint).not.toBe(a.modelFingerprint);
  });
});
