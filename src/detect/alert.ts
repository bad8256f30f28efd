import type { ScopeLevel } from './series.js';

export type AlertKind = 'yoy' | 'mom' | 'trend' | 'spike' | 'new_topic';
/** The kinds this stage writes (surge_forecast belongs to the forecast stage). */
export const DETECT_KINDS: readonly AlertKind[] = ['yoy', 'mom', 'trend', 'spike', 'new_topic'];

/** One alert as stored in `alerts` and printed by `weisu alerts` (CONTRACT §4 plus extras). */
export interface Alert {
  category: string;
  /** Category level: 1 大类, 2 中类, 3 小类 and finer where the city records them. */
  level: number;
  scope: { level: ScopeLevel; name: string; district?: string | null };
  kind: AlertKind;
  window_start: string;
  window_end: string;
  observed: number;
  expected: number;
  score: number;
  p_value: number | null;
  q_value: number | null;
  reason: string;
  details: Record<string, unknown>;
}
