import { zoneOffsetMs } from '../store/dates.js';

/**
 * The zone a zoned timestamp column of an Arrow or Parquet file states: a zone name or a fixed offset in which its
 * writer kept the times, or undefined when it states only instants (no zone, or UTC by name). A time written with a
 * numeric offset in a text file is the same case as a stated zone, UTC by name the same as a 'Z'.
 */
export type StatedZone = { zone: string } | { offsetMs: number } | undefined;

/** Names of UTC itself: an instant with no local time, as a text time ending in 'Z'. */
const UTC_NAMES = /^(?:z|utc|gmt|universal|zulu|etc\/(?:utc|gmt|universal|zulu|uct)|uct)$/i;

export function statedZone(tz: string | null | undefined): StatedZone {
  const name = tz?.trim();
  if (!name || UTC_NAMES.test(name)) return undefined;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(name);
  if (m) return { offsetMs: (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 };
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return { zone: name };
  } catch {
    // a zone no one knows states nothing usable: the instant is read as a 'Z' time
    return undefined;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An instant (ms) as the wall clock of the stated zone with its offset, 'YYYY-MM-DDThh:mm:ss.sss±hh:mm': the text
 * form the timestamp parsing reads as any time written with an offset (its own wall clock without a city zone,
 * converted to the city's zone with one).
 */
export function wallText(ms: number, z: NonNullable<StatedZone>): string {
  const off = 'zone' in z ? zoneOffsetMs(ms, z.zone) : z.offsetMs;
  const minutes = Math.round(Math.abs(off) / 60_000);
  const wall = new Date(ms + off).toISOString().slice(0, 23);
  return `${wall}${off < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
