/**
 * Defensive masking for anything that leaves the store (exports, pushes, the HTTP endpoint). Ingest already
 * masks order text; this catches what a mapping or a free-text note may have let through: mainland mobile and
 * landline numbers, 18-digit ID numbers, and long digit runs such as bank cards.
 */
export function maskPersonal(text: string): string {
  return text
    .replace(/(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?!\d)/g, '$1********$3')
    .replace(/(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g, '$1****$3')
    .replace(/(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)/g, '$1****$3')
    .replace(/(?<!\d)(\d{4})\d{8,11}(\d{4})(?!\d)/g, '$1********$2');
}

/** Shorten an order text for a list (whole characters, not bytes). */
export function clip(text: string, max = 60): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max ? chars.join('') : chars.slice(0, max).join('') + '…';
}
