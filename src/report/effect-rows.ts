import { benjaminiHochberg } from '../stats/fdr.js';
import { normalUpper } from '../stats/normal.js';
import type { EffectRow, PooledEffectRow } from './data.js';

/** The false-discovery rate the report's per-item findings are held to. */
export const ITEM_FDR = 0.05;

/**
 * Per-item significance at 95% means one item in twenty is "significant" by chance: of 171 hotspot items with no
 * true effect, 7 came out so, and the report listed five "significant rises" by unit. Each DiD item's p-value is read
 * back from its interval (se = half-width / 1.96, as effects_pooled.sql does) and Benjamini–Hochberg runs over the
 * items of each kind and measure; `q` is set on those rows. Topic rows and the forecast measure are left as they are.
 */
export function withItemQ(rows: readonly EffectRow[]): (EffectRow & { q: number | null })[] {
  const out = rows.map((r) => ({ ...r, q: null as number | null }));
  const families = new Map<string, number[]>();
  out.forEach((r, i) => {
    if (
      r.subject_kind === 'topic' ||
      r.method !== 'did' ||
      r.effect_lo === null ||
      r.effect_hi === null ||
      r.effect === null
    )
      return;
    const k = `${r.subject_kind}|${r.measure}`;
    const list = families.get(k) ?? [];
    list.push(i);
    families.set(k, list);
  });
  for (const idx of families.values()) {
    const q = twoSidedQ(
      idx.map((i) => ({ est: out[i].effect!, se: (out[i].effect_hi! - out[i].effect_lo!) / (2 * 1.96) })),
    );
    idx.forEach((i, j) => (out[i].q = q[j]));
  }
  return out;
}

/** The rows to list: every topic row, then the items significant after FDR control (largest decline first). */
export function rowsToList(
  rows: readonly (EffectRow & { q: number | null })[],
  limit: number,
): (EffectRow & { q: number | null })[] {
  const topics = rows.filter((r) => r.subject_kind === 'topic');
  const found = new Map<string, number>();
  for (const r of rows) {
    if (
      r.subject_kind === 'topic' ||
      r.q === null ||
      r.q > ITEM_FDR ||
      (r.measure !== 'category' && r.measure !== 'cells')
    )
      continue;
    found.set(r.subject_id, Math.min(found.get(r.subject_id) ?? Infinity, r.effect_pct ?? 0));
  }
  const items = rows
    .filter((r) => found.has(r.subject_id))
    .sort((a, b) => found.get(a.subject_id)! - found.get(b.subject_id)! || a.subject_id.localeCompare(b.subject_id));
  return [...topics, ...items].slice(0, limit);
}

/** Items per kind and measure found significant after FDR control, beside the unadjusted counts. */
export function fdrCounts(
  rows: readonly (EffectRow & { q: number | null })[],
  p: PooledEffectRow,
): { declines: number; rises: number } {
  let declines = 0;
  let rises = 0;
  for (const r of rows) {
    if (r.subject_kind !== p.subject_kind || r.measure !== p.measure || r.q === null || r.q > ITEM_FDR) continue;
    if ((r.effect ?? 0) < 0) declines++;
    else rises++;
  }
  return { declines, rises };
}

/**
 * q-values of the scorecard's 诉求变化 (normal approximation from decline_se), null where it has none. Each month's
 * units are one family: the month's leadership reads them side by side, whatever number of rows a table lists.
 */
export function scorecardQ(
  rows: readonly { month?: string; decline_pct: number | null; decline_se?: number | null }[],
): (number | null)[] {
  const families = new Map<string, number[]>();
  rows.forEach((r, i) => {
    if (r.decline_pct === null || !r.decline_se) return;
    const key = r.month ?? '';
    families.set(key, [...(families.get(key) ?? []), i]);
  });
  const out: (number | null)[] = rows.map(() => null);
  for (const idx of families.values()) {
    const q = twoSidedQ(idx.map((i) => ({ est: rows[i].decline_pct!, se: rows[i].decline_se! })));
    idx.forEach((i, j) => (out[i] = q[j]));
  }
  return out;
}

/** Benjamini–Hochberg q-values of two-sided normal tests of estimate / standard error (p = 1 without an error). */
function twoSidedQ(tests: readonly { est: number; se: number }[]): Float64Array {
  return benjaminiHochberg(tests.map((t) => (t.se > 0 ? Math.min(1, 2 * normalUpper(Math.abs(t.est) / t.se)) : 1)));
}
