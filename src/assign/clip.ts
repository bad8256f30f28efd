/**
 * Shorten an order text for a list (whole characters, not bytes). A text without Chinese characters is cut at the
 * last space before the limit, so a word is never cut in two ("Washington…", not "Washingto…").
 */
export function clip(text: string, max = 60): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  if (chars.length <= max) return chars.join('');
  const head = chars.slice(0, max).join('');
  if (/\p{Script=Han}/u.test(head) || chars[max] === ' ') return head + '…';
  const space = head.lastIndexOf(' ');
  return (space > 0 ? head.slice(0, space).replace(/[\s&,/-]+$/, '') : head) + '…';
}
