/**
 * A fixed set of non-negative integer keys → dense column numbers, as open addressing over typed arrays.
 * Built once from the model's vocabulary; lookups are the hot path of scoring and cost a multiply, a shift and
 * usually one probe (a JS Map of numbers is several times slower here).
 */
export class IntIndex {
  /** The table itself, for hot loops that probe inline (see get()): keys[h] (−1 = empty), vals[h], mask, shift. */
  readonly keys: Int32Array;
  readonly vals: Int32Array;
  readonly mask: number;
  readonly shift: number;

  constructor(keys: readonly number[]) {
    let bits = 4;
    while (1 << bits < keys.length * 2) bits++;
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.keys = new Int32Array(1 << bits).fill(-1);
    this.vals = new Int32Array(1 << bits);
    keys.forEach((k, j) => {
      if (!Number.isInteger(k) || k < 0 || k >= 2 ** 31) throw new Error(`IntIndex: key out of range: ${k}`);
      let h = slot(k, this.shift);
      while (this.keys[h] !== -1 && this.keys[h] !== k) h = (h + 1) & this.mask;
      this.keys[h] = k;
      this.vals[h] = j;
    });
  }

  /** The column of a key, or -1. */
  get(k: number): number {
    const h = probe(this.keys, this.mask, this.shift, k);
    return h < 0 ? -1 : this.vals[h];
  }
}

/** A key's home slot in a table of 2^(32 − shift) slots (Fibonacci hashing). */
function slot(k: number, shift: number): number {
  return Math.imul(k, 0x9e3779b1) >>> shift;
}

/**
 * The slot of key k in an IntIndex's table, or -1. Hot loops call it with the table's fields held in locals
 * (const { keys, mask, shift } = index), so nothing is re-read from the object per lookup.
 */
export function probe(keys: Int32Array, mask: number, shift: number, k: number): number {
  let h = slot(k, shift);
  for (;;) {
    const kk = keys[h];
    if (kk === k) return h;
    if (kk === -1) return -1;
    h = (h + 1) & mask;
  }
}
