import { describe, expect, it } from 'vitest';
import { maskPersonal } from '../../src/store/mask.js';

/**
 * Outside evaluations bring US and Canadian 311 exports, whose free text writes phone numbers the North American
 * way: (617) 555-0123, 617-555-0123, 617.555.0123, +1 617 555 0123. Before anything leaves the store they are masked
 * like a Chinese mobile (the area code and the last digits kept); house numbers, ZIP codes and dates are not phone
 * numbers. Invented numbers (555-01xx is reserved for fiction).
 */
describe('maskPersonal on North American phone numbers', () => {
  it.each([
    ['call back at (617) 555-0123 please', '0123'],
    ['caller 617-555-0142 reports no heat', '0142'],
    ['tel 617.555.0177', '0177'],
    ['+1 617 555 0199 left a message', '0199'],
    ['1-617-555-0105', '0105'],
  ])('masks %s', (text, last) => {
    const masked = maskPersonal(text);
    expect(masked).not.toMatch(/555[-. )]*01/);
    expect(masked).toContain('617');
    expect(masked).toContain(last.slice(-2));
  });

  it.each([
    '1679-1677 Washington St  Roxbury  MA  02118',
    '81A-81 Newbury St  Boston  MA  02115',
    'Case Closed. Closed date : 2015-05-04 08:22:24.297 ROA',
    'INTERSECTION of Kilmarnock St & Peterborough St',
    '25-35 Chesterton St',
  ])('leaves %s as it is', (text) => {
    expect(maskPersonal(text)).toBe(text);
  });
});
