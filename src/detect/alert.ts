import type { ScopeLevel } from './series.js';

export type AlertKind = 'yoy' | 'mom' | 'trend' | 'spike' | 'new_topic';
/** The kinds this stage writes (surge_forecast belongs to the forecast stage). */
export const DETECT_KINDS: readonly AlertKind[] = ['yoy', 'mom', 'trend', 'spike', 'new_topic'];

/** One alert as stored in `alerts` and printed by `weisu alerts` (CONTRACT §4 plus extras). */
export interface Alert {
  category: string;
  level: 1 | 2;
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
