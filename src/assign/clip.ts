/** Shorten an order text for a list (whole characters, not bytes). */
export function clip(text: string, max = 60): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max ? chars.join('') : chars.slice(0, max).join('') + '…';
}
