const cols = (c: string) => (/[\u2e80-\uffef]/.test(c) ? 2 : 1);

/** Pad to a display width: CJK characters take two columns in a terminal. */
export function padWide(text: string, width: number): string {
  const w = [...text].reduce((a, c) => a + cols(c), 0);
  return text + ' '.repeat(Math.max(0, width - w));
}

/** Pad or clip to a display width: a longer text ends in '…' so the columns after it stay in line. */
export function fitWide(text: string, width: number): string {
  const chars = [...text];
  if (chars.reduce((a, c) => a + cols(c), 0) <= width) return padWide(text, width);
  let out = '';
  let w = 0;
  for (const c of chars) {
    if (w + cols(c) > width - 1) break;
    out += c;
    w += cols(c);
  }
  return padWide(out + '…', width);
}
