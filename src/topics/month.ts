import { addMonths } from '../store/dates.js';

/** The months a topic for month M is judged on, as first days (YYYY-MM-DD). */
export interface MonthWindows {
  month: string;
  asOf: string;
  nextStart: string;
  lastStart: string;
  prevStart: string;
  /** The month before lyStart (M-14): last year's 环比, to take the season out of this year's. */
  lyPrevStart: string;
  lyStart: string;
  lyEnd: string;
  lyNextEnd: string;
}

const first = (m: string) => `${m}-01`;

export function monthWindows(month: string): MonthWindows {
  return {
    month,
    asOf: first(month),
    nextStart: first(addMonths(month, 1)),
    lastStart: first(addMonths(month, -1)),
    prevStart: first(addMonths(month, -2)),
    lyPrevStart: first(addMonths(month, -14)),
    lyStart: first(addMonths(month, -13)),
    lyEnd: first(addMonths(month, -12)),
    lyNextEnd: first(addMonths(month, -11)),
  };
}
