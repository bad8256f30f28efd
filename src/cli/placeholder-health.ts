import type { PlaceholderPoint, PlaceQuality } from '../spatial/stage.js';

/** What `weisu health` says about the points the place stage found to name no place (spatial docs, "Placeholder points"). */
export interface PlacesHealth {
  ok: boolean;
  /** How many points name no place (a geocoder's default, or far outside the city). */
  placeholder_point_count: number;
  /** Orders at those points: placed by their names, in no cell or hotspot. */
  coords_placeholder: number;
  /** Orders with coordinates (neither missing nor invalid) — the orders a hotspot could stand on. */
  orders_with_coords: number;
  /** coords_placeholder / orders_with_coords (0 without any). */
  share_placeholder: number;
  /** The share above which health fails (--max-placeholder-share). */
  max_share: number;
  placeholder_points: PlaceholderPoint[];
  /** One line of Chinese per point. */
  warnings: string[];
  problem: string | null;
}

const count = (n: number): string => n.toLocaleString('en-US');
const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;
const degrees = (x: number): string => String(Number(x.toFixed(6)));

/** One warning line for a point: where, how many orders, what share, and why it names no place. */
export function placeholderWarning(p: PlaceholderPoint): string {
  const where = `坐标 ${degrees(p.lat)},${degrees(p.lon)} 上有 ${count(p.orders)} 件（占有坐标工单的${percent(p.share)}）`;
  const why =
    p.reason === 'shared' && p.names !== null ? `来自 ${p.names} 个不同的区（或街道）` : '远在其余工单所在范围之外';
  return `${where}${why}，视为无坐标（地理编码默认点）`;
}

/**
 * Placeholder points are a data-quality warning, not a failure: their orders still count by district and street,
 * only hotspots lose them. Health fails only when they hold more than `maxShare` of the orders with coordinates —
 * then the hotspots stand on a minority of the located orders and the export's coordinates are mostly a geocoder's
 * default, which someone must look at.
 */
export function placesHealth(q: PlaceQuality, points: PlaceholderPoint[], maxShare: number): PlacesHealth {
  const withCoords = q.orders - q.coords_missing - q.coords_invalid;
  const share = withCoords > 0 ? q.coords_placeholder / withCoords : 0;
  const ok = share <= maxShare;
  return {
    ok,
    placeholder_point_count: points.length,
    coords_placeholder: q.coords_placeholder,
    orders_with_coords: withCoords,
    share_placeholder: Number(share.toFixed(4)),
    max_share: maxShare,
    placeholder_points: points,
    warnings: points.map(placeholderWarning),
    problem: ok
      ? null
      : `地理编码默认点上的工单占有坐标工单的${percent(share)}（超过${percent(maxShare)}）：热点只反映少数工单的位置，请检查导出的坐标`,
  };
}

/** The text lines for the places check: a summary, then a warning per point (at most `shown`, the rest counted). */
export function placesLines(h: PlacesHealth, shown = 10): string[] {
  const status = h.ok ? '正常' : '异常';
  const summary =
    h.placeholder_point_count === 0
      ? '没有发现地理编码默认点'
      : `${count(h.coords_placeholder)} 件工单（占有坐标工单的${percent(h.share_placeholder)}）落在 ${h.placeholder_point_count} 个不指向具体地点的坐标上`;
  const out = [`${status} ${'places'.padEnd(8)} ${summary}${h.problem ? '  ' + h.problem : ''}`];
  for (const w of h.warnings.slice(0, shown)) out.push(`提示 ${'places'.padEnd(8)} ${w}`);
  if (h.warnings.length > shown)
    out.push(`提示 ${'places'.padEnd(8)} 另有 ${h.warnings.length - shown} 个这样的坐标点`);
  return out;
}
