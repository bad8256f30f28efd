/**
 * Place names in a row, as written: Chinese names run together (高新区解放街道), but two Latin names meeting would
 * run into one word ("Herb J. Wesson Jr.MACARTHUR PARK NC"), so a space goes between those.
 */
export function joinPlace(parts: readonly (string | null | undefined)[]): string {
  let out = '';
  for (const p of parts) {
    if (!p) continue;
    out += out && /[A-Za-z0-9.)]$/.test(out) && /^[A-Za-z0-9(]/.test(p) ? ` ${p}` : p;
  }
  return out;
}
