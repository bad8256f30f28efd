import type { Rng } from './random.js';

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '176',
  '177',
  '180',
  '181',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '199',
];

/** A fake mainland mobile number (11 digits). */
export function mobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + String(rng.int(100_000_000)).padStart(8, '0');
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A fake 18-digit resident ID number with a valid check digit (GB 11643), region codes of a northern province. */
export function residentId(rng: Rng): string {
  const region = rng.pick(['130202', '130203', '130204', '130205', '130207', '130224', '130225']);
  const year = rng.range(1950, 2003);
  const month = String(rng.range(1, 12)).padStart(2, '0');
  const day = String(rng.range(1, 28)).padStart(2, '0');
  const seq = String(rng.int(1000)).padStart(3, '0');
  const body = `${region}${year}${month}${day}${seq}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * ID_WEIGHTS[i];
  return body + ID_CHECK[sum % 11];
}
