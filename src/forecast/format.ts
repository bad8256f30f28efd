/** Pad to a display width: CJK characters take two columns in a terminal. */
export function padWide(text: string, width: number): string {
  const w = [...text].reduce((a, c) => a + (/[\u2e80-\uffef]/.test(c) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(0, width - w));
}
