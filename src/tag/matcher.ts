/**
 * Finds many fixed phrases in short texts at once. Phrases are indexed by their first two characters
 * (one-character phrases by their only one), so a text costs one or two table lookups per character plus a
 * startsWith for the one or two phrases that begin there — far cheaper than `includes` for every phrase on
 * every order, and it does not allocate.
 */
import { IntIndex, probe } from './inthash.js';

export interface PhraseMatch {
  /** Index of the phrase in the list given to the constructor. */
  id: number;
  start: number;
  end: number;
}

const pairKey = (c0: number, c1: number) => ((c0 & 0x7fff) << 16) | c1;

export class PhraseMatcher {
  /** Per UTF-16 code unit: whether any phrase starts with it (a cheap first filter). */
  private readonly starts = new Uint8Array(65536);
  /** Per code unit: index into `lists` + 1 for the one-character phrases. */
  private readonly singles = new Uint16Array(65536);
  private readonly pairs: IntIndex;
  private readonly lists: number[][] = [];

  constructor(readonly phrases: readonly string[]) {
    const pairKeys: number[] = [];
    const pairList = new Map<number, number[]>();
    phrases.forEach((p, id) => {
      if (!p) return;
      const c0 = p.charCodeAt(0);
      this.starts[c0] = 1;
      if (p.length === 1) {
        if (this.singles[c0] === 0) {
          this.lists.push([]);
          this.singles[c0] = this.lists.length;
        }
        this.lists[this.singles[c0] - 1].push(id);
        return;
      }
      const k = pairKey(c0, p.charCodeAt(1));
      let list = pairList.get(k);
      if (!list) {
        pairList.set(k, (list = []));
        pairKeys.push(k);
      }
      list.push(id);
    });
    for (const k of pairKeys) this.lists.push(pairList.get(k)!);
    const offset = this.lists.length - pairKeys.length;
    this.pairs = new IntIndex(pairKeys);
    this.pairOffset = offset;
    // Longer phrases first, so callers that want the longest match at a position see it first.
    for (const list of this.lists) list.sort((a, b) => phrases[b].length - phrases[a].length);
  }

  private readonly pairOffset: number;

  /** Phrase ids and start offsets found by the last collect() (valid up to the count it returned). */
  hitId = new Int32Array(64);
  hitStart = new Int32Array(64);

  /**
   * Finds every occurrence of every phrase (in text order; at one position, longer phrases first) into hitId and
   * hitStart and returns how many. The scorer's hot loops read these arrays instead of taking a callback per
   * match, and the phrase comparison is inline rather than a startsWith call per candidate.
   */
  collect(text: string): number {
    const n = text.length;
    const { starts, singles, lists, pairOffset, phrases } = this;
    // the pair index's table held in locals (IntIndex.get re-reads its fields every call)
    const { keys, vals, mask, shift } = this.pairs;
    let found = 0;
    for (let i = 0; i < n; i++) {
      const c0 = text.charCodeAt(i);
      if (starts[c0] === 0) continue;
      const s = singles[c0];
      if (s !== 0) {
        const list = lists[s - 1];
        for (let k = 0; k < list.length; k++) found = this.hit(found, list[k], i);
      }
      if (i + 1 < n) {
        const h = probe(keys, mask, shift, pairKey(c0, text.charCodeAt(i + 1)));
        if (h >= 0) {
          const list = lists[pairOffset + vals[h]];
          for (let k = 0; k < list.length; k++) {
            const p = phrases[list[k]];
            const len = p.length;
            if (i + len > n) continue;
            let m = 0; // not from 2: the pair key folds the first character to 15 bits
            while (m < len && text.charCodeAt(i + m) === p.charCodeAt(m)) m++;
            if (m === len) found = this.hit(found, list[k], i);
          }
        }
      }
    }
    return found;
  }

  private hit(found: number, id: number, start: number): number {
    if (found === this.hitId.length) {
      const ids = new Int32Array(found * 2);
      ids.set(this.hitId);
      const st = new Int32Array(found * 2);
      st.set(this.hitStart);
      this.hitId = ids;
      this.hitStart = st;
    }
    this.hitId[found] = id;
    this.hitStart[found] = start;
    return found + 1;
  }

  /** Calls fn(id, start) for every occurrence of every phrase (see collect()). */
  scan(text: string, fn: (id: number, start: number) => void): void {
    const n = this.collect(text);
    // copy out: fn may scan again with this matcher
    const ids = this.hitId.slice(0, n);
    const starts = this.hitStart.slice(0, n);
    for (let k = 0; k < n; k++) fn(ids[k], starts[k]);
  }

  /** Whether any phrase occurs in the text. */
  test(text: string): boolean {
    return this.collect(text) > 0;
  }

  /** Every occurrence of every phrase (overlaps included). */
  matches(text: string): PhraseMatch[] {
    const out: PhraseMatch[] = [];
    this.scan(text, (id, start) => out.push({ id, start, end: start + this.phrases[id].length }));
    return out;
  }
}
