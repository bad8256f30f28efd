import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dataPath } from '../store/paths.js';

/**
 * Chinese word segmentation for the root-cause model's word features. `@node-rs/jieba` (the field's standard
 * segmenter, a native module with prebuilt binaries) with jieba's own dictionary plus a domain dictionary of
 * hotline terms (data/jieba_domain.txt: 踢皮球, 占道经营, 二次供水 … stay one word); when the native module
 * cannot load (no prebuilt binary for the platform), Intl.Segmenter('zh') from the ICU built into Node.
 * Both are deterministic, but they cut differently, so the segmenter's name is part of the model's fingerprint.
 */
export interface Segmenter {
  /** 'jieba' or 'intl'. */
  readonly name: string;
  /** The words of a text, in order (punctuation and spaces come back as their own tokens). */
  cut(text: string): string[];
}

export const DOMAIN_DICTIONARY = dataPath('jieba_domain.txt');

interface JiebaModule {
  Jieba: { withDict(dict: Uint8Array): { cut(s: string, hmm?: boolean): string[]; loadDict(d: Uint8Array): void } };
}

function loadJieba(domainDictionary: string): Segmenter | null {
  try {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as JiebaModule;
    const { dict } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array };
    const jieba = Jieba.withDict(dict);
    if (existsSync(domainDictionary)) jieba.loadDict(readFileSync(domainDictionary));
    // no HMM for unknown words: the same text always cuts the same way and 2-3× faster; unknown words fall
    // back to single characters, which the character-pair features still cover
    return { name: 'jieba', cut: (s) => jieba.cut(s, false) };
  } catch {
    return null;
  }
}

function intlSegmenter(): Segmenter {
  const seg = new Intl.Segmenter('zh', { granularity: 'word' });
  return { name: 'intl', cut: (s) => Array.from(seg.segment(s), (x) => x.segment) };
}

/** The domain dictionary's text ('' when absent), for the model's fingerprint. */
export function domainDictionaryText(): string {
  return existsSync(DOMAIN_DICTIONARY) ? readFileSync(DOMAIN_DICTIONARY, 'utf8') : '';
}

/** A new segmenter: jieba with the domain dictionary, or Intl.Segmenter when asked for or when jieba cannot load. */
export function loadSegmenter(kind: 'jieba' | 'intl' = 'jieba'): Segmenter {
  return (kind === 'jieba' && loadJieba(DOMAIN_DICTIONARY)) || intlSegmenter();
}

let shared: Segmenter | null = null;

/**
 * The process's segmenter (loaded once: jieba's dictionary takes ~0.3 s to build; only training calls it).
 * WEISU_SEGMENTER=intl forces the fallback (platforms where the native module misbehaves).
 */
export function segmenter(): Segmenter {
  if (!shared) shared = loadSegmenter(process.env.WEISU_SEGMENTER === 'intl' ? 'intl' : 'jieba');
  return shared;
}
