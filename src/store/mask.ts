/**
 * Phone and ID numbers in text that leaves the store (reports, pushes, exports, the HTTP endpoint). Ingest already
 * masks content in SQL (sql/ingest/macros.sql, mask_pii); this runs again on every excerpt shown, because one
 * missed pattern upstream would otherwise go straight to print.
 */
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const ID_NUMBER_15 = /(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3})[- ]?(\d{7,8})(?!\d)/g;
const LONG_DIGITS = /(?<!\d)(\d{3})(\d{5,})(\d{2})(?!\d)/g;
// the form ingest stores (region code and last four kept: 130203********6025): its 4th–6th digits name the county,
// more than anything that leaves the store should say
const ID_STORED = /(?<![0-9A-Za-z])(\d{3})\d{3}(\*{8}[\dXx]{4})(?![0-9A-Za-z])/g;

export function maskPersonal(text: string): string {
  return text
    .replace(
      ID_NUMBER,
      (_m, a: string, b: string, c: string) =>
        `${a.slice(0, 3)}${'*'.repeat(3 + b.length + c.length - 4)}${c.slice(-4)}`,
    )
    .replace(
      ID_NUMBER_15,
      (_m, a: string, b: string, c: string) => `${a.slice(0, 3)}${'*'.repeat(3 + b.length + c.length - 3)}${c}`,
    )
    .replace(ID_STORED, (_m, a: string, rest: string) => `${a}***${rest}`)
    .replace(MOBILE, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(LANDLINE, (_m, a: string, b: string) => `${a}-${'*'.repeat(b.length - 2)}${b.slice(-2)}`)
    .replace(LONG_DIGITS, (_m, a: string, b: string, c: string) => `${a}${'*'.repeat(b.length)}${c}`);
}

/** Keys whose values are identifiers the system made (an order id of 12+ digits is not a phone number). */
const ID_KEYS = new Set(['order_id', 'item_id', 'cell', 'cells', 'grid_id', 'recipient_id', 'id']);

/**
 * maskPersonal over every string inside a parsed JSON value, leaving numbers (coordinates: 119.0353217746213 is not
 * a phone number) and identifier fields alone. Masking the serialised text instead broke the JSON and every order id.
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
