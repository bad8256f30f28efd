import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { sql } from '../../src/store/sql.js';
import { mulberry32 } from '../../src/stats/random.js';

/**
 * mask_pii skips passes by cheap tests (sql/ingest/macros.sql); mask_pass is the three passes, always run. The two
 * must agree on every text: here on generated ones dense with numbers of every kind, next to each other, grouped,
 * prefixed, too long or too short, among Chinese text.
 */
function texts(n: number, seed: number): string[] {
  const r = mulberry32(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const digits = (k: number) => Array.from({ length: k }, () => Math.floor(r() * 10)).join('');
  const pieces: Array<() => string> = [
    () => pick(['市民反映', '小区', '号楼', '联系电话', '，', '。', ' ', '-', '(', ')', 'X', '年', '月']),
    () => digits(1 + Math.floor(r() * 6)),
    // mobile: plain, grouped 3-4-4, +86 / 86 prefixed
    () =>
      `${pick(['', '+86', '86', '+86 ', '86-'])}1${pick(['3', '5', '8', '9', '2'])}${digits(1)}${pick(['', '-', ' '])}${digits(4)}${pick(['', '-', ' '])}${digits(4)}`,
    // landline: area code with or without brackets and separator
    () =>
      `${pick(['', '('])}0${pick(['10', '311', '21', '755', '0'])}${pick(['', ')', '-', ' '])}${digits(pick([7, 8, 6]))}`,
    // resident ID born 19xx / 20xx, last char a digit or X
    () => `${pick(['1', '4', '6'])}${digits(5)}${pick(['19', '20', '18'])}${digits(9)}${pick(['X', 'x', digits(1)])}`,
    () => digits(pick([10, 11, 12, 17, 18, 19])),
  ];
  return Array.from({ length: n }, () =>
    Array.from({ length: 1 + Math.floor(r() * 7) }, () => pick(pieces)()).join(''),
  );
}

/** Timestamps as exports write them, and the near misses around the one form read by the plain cast. */
function stamps(n: number, seed: number): string[] {
  const r = mulberry32(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const two = (k: number) => String(k).padStart(2, '0');
  return Array.from({ length: n }, () => {
    const [y, mo, d, h, mi, s] = [
      pick(['2024', '2019', '1989', '2101']),
      1 + Math.floor(r() * 12),
      1 + Math.floor(r() * 28),
      Math.floor(r() * 24),
      Math.floor(r() * 60),
      Math.floor(r() * 60),
    ];
    const body = pick([
      () => `${y}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}:${two(s)}`,
      () => `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}`,
      () => `${y}-${mo}-${d} ${h}:${two(mi)}:${two(s)}`,
      () => `${y}/${mo}/${d} ${h}:${two(mi)}`,
      () => `${y}年${mo}月${d}日 ${h}时${mi}分`,
      () => `${y}-${two(mo)}-${two(d)} ${two(h)}:${two(mi)}`,
      () => `${y}${two(mo)}${two(d)}${two(h)}${two(mi)}${two(s)}`,
      () => `${45000 + Math.floor(r() * 900)}.${Math.floor(r() * 1000)}`,
      () => `${1700000000 + Math.floor(r() * 1e7)}`,
      () => pick(['', ' ', '\u3000', 'n/a', '2024-13-01 00:00:00', '2024-02-30 10:00:00', '24-01-01 10:00:00']),
    ])();
    const tail = pick([
      '',
      '',
      '',
      'Z',
      '+08:00',
      '+0800',
      '+8',
      '-05:00',
      '.5',
      '.123',
      ' ',
      '  ',
      '\u3000',
      '\t',
      ' UTC',
    ]);
    const head = pick(['', '', '', ' ', '\u3000', '\u00a0', '\t']);
    return head + body + tail;
  });
}

describe('ingest_ts_read', () => {
  // with the city's zone named (offsets converted to it) and without (offsets keep their own wall clock)
  it.each([false, true])('reads every timestamp as trimming and ingest_ts_clean would (own_offset %s)', async (own) => {
    const store = await Store.open(':memory:', { migrate: false });
    try {
      await store.exec(sql('ingest/macros.sql'));
      await store.exec(`CREATE TABLE t AS SELECT unnest(from_json($xs, '["VARCHAR"]')) AS s`, {
        xs: JSON.stringify(stamps(20000, 11)),
      });
      const fmts = "['%Y-%m-%d %H:%M:%S']";
      const args = `${fmts}, 'Asia/Shanghai', ${own}`;
      const r = (await store.one<{ differ: number; plain: number; read: number; long: number }>(`
        SELECT count(*) FILTER (WHERE ingest_ts_read(s, ${args}) IS DISTINCT FROM ingest_ts_clean(nullif(trim(s), ''), ${args}))::INT AS differ,
               count(*) FILTER (WHERE ingest_ts_plain(s) IS NOT NULL)::INT                                                  AS plain,
               count(*) FILTER (WHERE ingest_ts_read(s, ${args}) IS NOT NULL)::INT                                          AS read,
               count(*) FILTER (WHERE ingest_ts_plain(s) IS NULL AND strlen(s) = 19)::INT                                   AS long
        FROM t`))!;
      expect(r.differ).toBe(0);
      // both ways are taken often: the plain cast, and the full one for texts of 19 bytes it must not take
      expect(r.plain).toBeGreaterThan(300);
      expect(r.read - r.plain).toBeGreaterThan(3000);
      expect(r.long).toBeGreaterThan(300);
    } finally {
      store.close();
    }
  });
});

describe('mask_pii', () => {
  it('gives exactly what the three passes give, on texts of every kind', async () => {
    const store = await Store.open(':memory:', { migrate: false });
    try {
      await store.exec(sql('ingest/macros.sql'));
      const rows = texts(20000, 7);
      await store.exec(`CREATE TABLE t AS SELECT unnest(from_json($xs, '["VARCHAR"]')) AS s`, {
        xs: JSON.stringify(rows),
      });
      const r = (await store.one<{
        n: number;
        differ: number;
        masked: number;
        mobile_only: number;
        untouched_with_digits: number;
      }>(`
        SELECT count(*)::INT                                                        AS n,
               count(*) FILTER (WHERE mask_pii(s) IS DISTINCT FROM mask_pass(s))::INT AS differ,
               count(*) FILTER (WHERE mask_pass(s) <> s)::INT                        AS masked,
               count(*) FILTER (WHERE mask_pass(s) = mask_mobiles(s) AND mask_pass(s) <> s)::INT AS mobile_only,
               count(*) FILTER (WHERE mask_pass(s) = s AND regexp_matches(s, '[0-9]{7}'))::INT AS untouched_with_digits
        FROM t`))!;
      expect(r.n).toBe(20000);
      expect(r.differ).toBe(0);
      // the comparison means something: many texts are masked, by every branch, and some with long digit runs are not
      expect(r.masked).toBeGreaterThan(8000);
      expect(r.mobile_only).toBeGreaterThan(1000);
      expect(r.masked - r.mobile_only).toBeGreaterThan(1000);
      expect(r.untouched_with_digits).toBeGreaterThan(100);
      expect(await store.value('SELECT mask_pii(NULL) IS NULL')).toBe(true);
    } finally {
      store.close();
    }
  });

  it('masks mobiles as two passes always would, taking the second only where two mobile-like runs are', async () => {
    const store = await Store.open(':memory:', { migrate: false });
    try {
      await store.exec(sql('ingest/macros.sql'));
      // the rule before: the second pass wherever a mobile-like number is left after the first
      await store.exec(`CREATE TEMP MACRO ref_mobiles(s) AS mask_mobile_pass(mask_mobile_pass(s))`);
      // numbers dense and adjacent, grouped by blanks, hyphens and dots, across line breaks
      const rows = texts(20000, 11).map((t, i) =>
        i % 3 === 0 ? t.replace(/-/g, '.') : i % 3 === 1 ? t + '\n' + t : t,
      );
      await store.exec(`CREATE TABLE t AS SELECT unnest(from_json($xs, '["VARCHAR"]')) AS s`, {
        xs: JSON.stringify(rows),
      });
      const r = (await store.one<{ differ: number; masked: number; changed_by_second: number }>(`
        SELECT count(*) FILTER (WHERE mask_mobiles(s) IS DISTINCT FROM ref_mobiles(s))::INT AS differ,
               count(*) FILTER (WHERE mask_mobiles(s) = mask_mobile_pass(mask_mobile_pass(s))
                                  AND mask_mobile_pass(s) <> mask_mobile_pass(mask_mobile_pass(s)))::INT AS changed_by_second,
               count(*) FILTER (WHERE mask_mobile_pass(s) <> s)::INT AS masked
        FROM t`))!;
      expect(r.differ).toBe(0);
      // the second pass matters on some of these texts, and they got it
      expect(r.changed_by_second).toBeGreaterThan(100);
      expect(r.masked).toBeGreaterThan(2000);
    } finally {
      store.close();
    }
  });
});

/**
 * Short texts around the gate's threshold: a few digits, ASCII or full-width, in every grouping the masks know, North
 * American numbers, Chinese numerals in runs of six and seven, invisible characters and dashes.
 */
function sparseTexts(n: number, seed: number): string[] {
  const r = mulberry32(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const digits = (k: number) => Array.from({ length: k }, () => Math.floor(r() * 10)).join('');
  const wide = (t: string) => t.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
  const numerals = (k: number) => Array.from({ length: k }, () => pick([...'〇零一二三四五六七八九幺两壹贰叁']));
  const pieces: Array<() => string> = [
    () => pick(['市民反映', '号楼', '电话', '，', ' ', '-', '—', '－', '.', '(', ')', '\u3000', '\u00a0', '\u200b']),
    () => digits(1 + Math.floor(r() * 9)),
    () => wide(digits(1 + Math.floor(r() * 9))),
    () =>
      `1${pick(['3', '8'])}${digits(1)}${pick(['', '-', ' ', '—', '.'])}${digits(4)}${pick(['', '-', ' ', '.'])}${digits(4)}`,
    () => `0${pick(['10', '755'])}${pick(['', '-', ' ', '—'])}${digits(pick([5, 6, 7, 8]))}`,
    () => `(${pick(['617', '212'])}) ${pick(['555', '234'])}-${digits(pick([3, 4]))}`,
    () => numerals(pick([6, 7, 8])).join(''),
    () => wide(`13${digits(pick([8, 9]))}`),
  ];
  return Array.from({ length: n }, () =>
    Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(pieces)()).join(''),
  );
}

describe('pii_possible', () => {
  it('is true wherever a mask would change the text, and lets most short texts through untouched', async () => {
    const store = await Store.open(':memory:', { migrate: false });
    try {
      await store.exec(sql('ingest/macros.sql'));
      // the masks without the gate in front
      await store.exec(
        `CREATE TEMP MACRO ungated(s) AS CASE WHEN pii_rare_form(s) THEN mask_rare_pii(s) ELSE mask_common_pii(s) END`,
      );
      await store.exec(`CREATE TABLE t AS SELECT unnest(from_json($xs, '["VARCHAR"]')) AS s`, {
        xs: JSON.stringify(sparseTexts(20000, 5)),
      });
      const r = (await store.one<{ differ: number; changed: number; gated: number; gated_long: number }>(`
        SELECT count(*) FILTER (WHERE mask_pii(s) IS DISTINCT FROM ungated(s))::INT                  AS differ,
               count(*) FILTER (WHERE ungated(s) <> s)::INT                                            AS changed,
               count(*) FILTER (WHERE NOT pii_possible(s))::INT                                        AS gated,
               -- gated texts with seven to nine digits: the near misses the threshold must get right
               count(*) FILTER (WHERE NOT pii_possible(s)
                                  AND regexp_matches(s, '(?:[0-9０-９][^0-9０-９]*){7}'))::INT           AS gated_long
        FROM t`))!;
      expect(r.differ).toBe(0);
      expect(r.changed).toBeGreaterThan(3000);
      expect(r.gated).toBeGreaterThan(4000);
      expect(r.gated_long).toBeGreaterThan(500);
    } finally {
      store.close();
    }
  });
});
