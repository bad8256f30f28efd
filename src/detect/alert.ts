import type { ScopeLevel } from './series.js';

export type AlertKind = 'yoy' | 'mom' | 'trend' | 'spike' | 'new_topic' | 'surge_forecast';
/** The kinds this stage writes (surge_forecast belongs to the forecast stage). */
export const DETECT_KINDS: readonly AlertKind[] = ['yoy', 'mom', 'trend', 'spike', 'new_topic'];

/**
 * One alert: what the stage decides, what `alerts` stores (store-alerts.ts) and what `weisu alerts` reads back and
 * prints (read-alerts.ts) — CONTRACT §4 plus level, p/q values, reason and details. The one type for all three.
 */
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
