/** Number formats of the report (Chinese conventions, thousands separators). */
export const int = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US');
export const pct = (x: number | null | undefined, signed = false) => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const v = Math.round(x * 1000) / 10;
  return `${signed && v > 0 ? '+' : ''}${v % 1 === 0 ? v.toFixed(0) : v.toFixed(1)}%`;
};
export const change = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : pct(x, true);
export { monthLabel } from '../store/dates.js';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Markdown table cells: no pipes or line breaks. */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '｜').replace(/\r?\n/g, ' ');
}
