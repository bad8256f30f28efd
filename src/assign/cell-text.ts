/**
 * Text from the orders (complaint content, addresses) as it goes into documents other programs interpret. Both
 * rules neutralise what the text could do there and keep it readable.
 */

/**
 * A CSV/XLSX cell that a spreadsheet would read as a formula (a leading = + - @, or a tab or CR before one) gets a
 * leading apostrophe, so `=HYPERLINK(…)` or `=cmd|'/C calc'!A0` shows as text (OWASP CSV injection). Numbers
 * are written as numbers and left alone.
 */
export function spreadsheetText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

const MD_LOOKALIKE: Record<string, string> = {
  '[': '［',
  ']': '］',
  '(': '（',
  ')': '）',
  '<': '＜',
  '>': '＞',
  '`': '｀',
};

/**
 * Text for a WeCom or DingTalk robot's Markdown: brackets, parentheses and angle brackets become their full-width
 * forms and '://' loses its colon, so a complaint's `[点击](http://…)`, `<font>` or bare URL is shown, never
 * rendered as a link or markup. (The robots' Markdown has no backslash escape.)
 */
export function markdownText(s: string | null | undefined): string {
  return (s ?? '').replace(/[[\]()<>`]/g, (c) => MD_LOOKALIKE[c]).replace(/:\/\//g, '：//');
}
