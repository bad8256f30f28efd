/**
 * Phone and ID numbers in text that leaves the store (reports, pushes, exports, the HTTP endpoint). Ingest already
 * masks content in SQL (sql/ingest/macros.sql, mask_pii); this runs again on every excerpt shown, because one
 * missed pattern upstream would otherwise go straight to print.
 */
// 18-digit ID, whole or grouped 6-8-4 / 6-4-4-4 by a blank or hyphen
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{6})[- ]?(\d{4})[- ]?(\d{4})[- ]?(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const ID_NUMBER_15 = /(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])/g;
// mobile grouped 3-4-4 by hyphens or up to two blanks, or by dots throughout; +86 / 0086 prefix
const MOBILE = /(?<!\d)(?:(?:\+|00)?86[- ]?)?(1[3-9]\d)(?:[- ]{0,2}\d{4}[- ]{0,2}|\.\d{4}\.)(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)[(（]?(0\d{2,3})[)）]?(?:[- ]{0,2}|\.)(\d{3,4})(?:[- ]?|\.)(\d{4})(?!\d)/g;
const LONG_DIGITS = /(?<!\d)(\d{3})(\d{5,})(\d{2})(?!\d)/g;
// North American numbers in US and Canadian exports: (617) 555-0123, 617-555-0123, 617.555.0123, +1 617 555 0123;
// area code and exchange start with 2-9 (NANP), so dates (2015-05-04) and house-number ranges (1679-1677) never fit
// (ingest stores them masked by the same rule: mask_nanp_pass in sql/ingest/macros.sql; pii-corpus.test.ts compares)
const NANP = /(?<![\d\w])(?:\+?1[-. ]?)?(?:\(([2-9]\d{2})\) ?|([2-9]\d{2})[-. ])[2-9]\d{2}[-. ]\d{2}(\d{2})(?!\d)/g;
// the form ingest stores (region code and last four kept: 130203********6025): its 4th–6th digits name the county,
// more than anything that leaves the store should say
const ID_STORED = /(?<![0-9A-Za-z])(\d{3})\d{3}(\*{8}[\dXx]{4})(?![0-9A-Za-z])/g;
const FULL_WIDTH_DIGIT = /[０-９]/g;

function maskAscii(text: string): string {
  return text
    .replace(ID_NUMBER, (_m, a: string, _b: string, _c: string, d: string) => `${a.slice(0, 3)}${'*'.repeat(11)}${d}`)
    .replace(
      ID_NUMBER_15,
      (_m, a: string, b: string, c: string) => `${a.slice(0, 3)}${'*'.repeat(3 + b.length + c.length - 3)}${c}`,
    )
    .replace(ID_STORED, (_m, a: string, rest: string) => `${a}***${rest}`)
    .replace(MOBILE, (_m, a: string, d: string) => `${a}****${d}`)
    .replace(
      LANDLINE,
      (_m, a: string, b: string, c: string) => `${a}-${'*'.repeat(b.length + c.length - 2)}${c.slice(-2)}`,
    )
    .replace(LONG_DIGITS, (_m, a: string, b: string, c: string) => `${a}${'*'.repeat(b.length)}${c}`)
    .replace(NANP, (_m, p: string | undefined, a: string | undefined, d: string) => `${p ?? a}-***-**${d}`);
}

// a dash other than '-' after a digit (0455—6876021, １３９－８７６５－４３２１): em dash, full-width hyphen, en dash, …
const VARIANT_DASH = /([0-9])[－—–‐‑−]{1,2}/g;
// a no-break or ideographic space after a digit (139 8765 4321 from a web page or a Chinese input method)
const VARIANT_BLANK = /([0-9])[\u00a0\u3000]/g;
const VARIANT = /[０-９]|[0-9０-９][－—–‐‑−\u00a0\u3000]/;
// invisible format characters (zero-width space and joiners, word joiner, BOM, soft hyphen) carry no text; one inside
// a number hid it from every rule (sql/ingest/macros.sql mask_rare_pii, the same rule)
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
// seven or more digits written as Chinese numerals (一三九八七六五四三二一, 幺三九…, 壹叁玖…): no word or date of
// ordinary text runs to seven (十 is not a digit); the first three and last two are kept (sql/ingest/macros.sql, the same rule)
const NUMERAL = '[〇零一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖]';
const NUMERAL_RUN = new RegExp(`${NUMERAL}{7,}`, 'g');
// a run of fewer than three distinct numerals (一一一一一一一: a filler, a drawn-out 一) is no number
const maskNumerals = (run: string) => (new Set(run).size >= 3 ? `${run.slice(0, 3)}****${run.slice(-2)}` : run);

/**
 * Phone and ID numbers in every form people write them. Full-width digits and variant dashes are masked as the
 * ASCII form they stand for; a text with nothing to mask stays as it is.
 */
export function maskPersonal(text: string): string {
  const t = text.replace(INVISIBLE, '').replace(NUMERAL_RUN, maskNumerals);
  if (!VARIANT.test(t)) return maskAscii(t);
  const ascii = t
    .replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48))
    .replace(VARIANT_DASH, '$1-')
    .replace(VARIANT_BLANK, '$1 ');
  const masked = maskAscii(ascii);
  return masked === ascii ? t : masked;
}

/** Keys whose values are identifiers the system made (an order id of 12+ digits is not a phone number). */
const ID_KEYS = new Set(['order_id', 'item_id', 'cell', 'cells', 'grid_id', 'recipient_id', 'id']);

/**
 * maskPersonal over every string inside a parsed JSON value, leaving numbers (coordinates: 119.0353217746213 is not
 * a phone number) and identifier fields alone: masking the serialised text would break the JSON and every order id.
 */
export function maskDeep<T>(value: T, key?: string): T {
  if (typeof value === 'string') return (key !== undefined && ID_KEYS.has(key) ? value : maskPersonal(value)) as T;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, key)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = maskDeep(v, k);
    return out as T;
  }
  return value;
}
