import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { maskPersonal } from '../../src/store/mask.js';
import { packageRoot } from '../../src/store/paths.js';
import { sql } from '../../src/store/sql.js';

/**
 * The PII corpus (test/fixtures/ingest/pii-corpus.tsv, written for this test): phone and ID numbers in the forms
 * people type them — grouped, dotted, prefixed, full-width, 15-digit IDs, North American numbers of US and Canadian
 * exports — and look-alikes that must stay (order numbers, amounts, dates, ZIP+4, house numbers and ranges, plates,
 * coordinates). Recall: a number counts as masked when no 7 of its
 * digits survive in a row. False masks: a look-alike changed at all.
 */
interface Case {
  kind: 'pii' | 'keep';
  text: string;
  number: string;
}

const CORPUS: Case[] = readFileSync(join(packageRoot, 'test/fixtures/ingest/pii-corpus.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [kind, text, number] = l.split('\t');
    return { kind: kind as Case['kind'], text, number };
  });

// full-width digits and digits written as Chinese numerals, read as ASCII digits
const NUMERALS: Record<string, string> = {
  ...Object.fromEntries([...'〇一二三四五六七八九'].map((c, i) => [c, String(i)])),
  ...Object.fromEntries([...'零壹贰叁肆伍陆柒捌玖'].map((c, i) => [c, String(i)])),
  幺: '1',
  两: '2',
};
const ascii = (s: string) =>
  s
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48))
    .replace(/[〇零一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖]/g, (c) => NUMERALS[c]);

export function survives(output: string, number: string): boolean {
  // a +86 / 0086 country prefix is not personal: the digits that count are the national number's
  const digits = ascii(number)
    .replace(/[^0-9Xx]/g, '')
    .replace(/^(?:00)?86(?=1[3-9]\d{9}$)/, '');
  const out = ascii(output).replace(/[-. ()（）+]/g, '');
  for (let i = 0; i + 7 <= digits.length; i++) if (out.includes(digits.slice(i, i + 7))) return true;
  return false;
}

function score(masked: string[]): { recall: number; missed: string[]; falseRate: number; falseMasks: string[] } {
  const missed: string[] = [];
  const falseMasks: string[] = [];
  let pii = 0;
  let keep = 0;
  CORPUS.forEach((c, i) => {
    if (c.kind === 'pii') {
      pii++;
      if (masked[i] === c.text || survives(masked[i], c.number)) missed.push(`${c.text} → ${masked[i]}`);
    } else {
      keep++;
      if (masked[i] !== c.text) falseMasks.push(`${c.text} → ${masked[i]}`);
    }
  });
  return { recall: 1 - missed.length / pii, missed, falseRate: falseMasks.length / keep, falseMasks };
}

const pct = (x: number) => (100 * x).toFixed(2) + ' %';

describe('PII corpus', () => {
  let store: Store;
  beforeAll(async () => {
    store = await Store.open(':memory:');
    await store.exec(sql('ingest/macros.sql'));
  });
  afterAll(() => store.close());

  it('has at least 200 forms, positive and negative', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(200);
    expect(CORPUS.filter((c) => c.kind === 'pii').length).toBeGreaterThanOrEqual(100);
    expect(CORPUS.filter((c) => c.kind === 'keep').length).toBeGreaterThanOrEqual(100);
    for (const c of CORPUS.filter((x) => x.kind === 'pii')) expect(c.text).toContain(c.number);
  });

  it('ingest (mask_pii, what the store keeps): recall 100 %, false masks under 1 %', async () => {
    const rows = await store.all<{ i: number; m: string }>(
      `WITH c AS (SELECT from_json($j, '["VARCHAR"]') AS l)
       SELECT g.i, mask_pii(c.l[g.i]) AS m FROM c, generate_series(1, len(c.l)) g(i) ORDER BY g.i`,
      { j: JSON.stringify(CORPUS.map((c) => c.text)) },
    );
    const s = score(rows.map((r) => r.m));
    console.log(
      `PII corpus, ingest mask_pii: recall ${pct(s.recall)} (${CORPUS.filter((c) => c.kind === 'pii').length} numbers), false masks ${pct(s.falseRate)} (${s.falseMasks.length} of ${CORPUS.filter((c) => c.kind === 'keep').length})`,
    );
    expect(s.missed).toEqual([]);
    expect(s.falseRate).toBeLessThan(0.01);
  });

  it('North American numbers: ingest masks them exactly as the outgoing mask does (one rule in both places)', async () => {
    const nanp = CORPUS.filter(
      (c) => c.kind === 'pii' && /^(?:\+?1[-. ]?)?(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}$/.test(c.number),
    );
    expect(nanp.length).toBeGreaterThanOrEqual(10);
    for (const c of nanp) {
      const m = await store.value<string>('SELECT mask_pii($t)', { t: c.text });
      expect(m, c.text).toBe(maskPersonal(c.text));
    }
  });

  it('outgoing (maskPersonal, reports and exports): recall 100 %; it also masks any run of 10+ digits on purpose', () => {
    const s = score(CORPUS.map((c) => maskPersonal(c.text)));
    const long = s.falseMasks.filter((m) => /\d{10,}/.test(ascii(m.split(' → ')[0])));
    console.log(
      `PII corpus, outgoing maskPersonal: recall ${pct(s.recall)}, false masks ${pct(s.falseRate)} (${s.falseMasks.length}, of which ${long.length} are runs of 10+ digits it masks by design)`,
    );
    expect(s.missed).toEqual([]);
    expect(s.falseMasks.length - long.length).toBeLessThan(0.01 * CORPUS.filter((c) => c.kind === 'keep').length);
  });
});
