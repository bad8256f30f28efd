import type { HotspotConfig } from './config.js';
import { poissonUpper } from './fdr.js';
import { benjaminiHochberg } from '../stats/fdr.js';
import { normalUpper } from '../stats/normal.js';
import { giStar, type Neighbours } from './gistar.js';

/** Category key of the all-categories test. */
export const ALL = '';

/** Counts of one window: category key ('' = all) → count per study-area cell. */
export type WindowCounts = Map<string, Float64Array>;

export interface WindowResult {
  z: Map<string, Float64Array>;
  p: Map<string, Float64Array>;
  q: Map<string, Float64Array>;
  /** Hot by Gi* (q, z, minCellCount, no halo) with or without an excess over the cell's own level. */
  chronic: Map<string, Uint8Array>;
  /** chronic and an excess over the cell's own level (or no exposure given): heat worth a visit now. */
  hot: Map<string, Uint8Array>;
  tests: number;
}

/**
 * Gi* for every category of one window, then Benjamini–Hochberg across all of that window's tests (every cell of
 * every category, and the all-categories layer). A cell is hot when q ≤ α, z > 0, the cell itself holds at least
 * minCellCount orders, and it holds at least the mean of its neighbourhood (itself and its ring). Gi* alone also lights
 * up ordinary cells next to a busy one, because their neighbourhood sum includes it: a grid worker sent there would
 * find nothing. That rule keeps the cells that carry the cluster and drops the halo.
 *
 * Every layer, the all-categories one included, must also show an excess over the cell's own usual level: expected =
 * the layer's window total × the cell's share of the study year's orders (its exposure), a one-sided Poisson test per
 * cell, Benjamini–Hochberg across all of the window's layer cells at the same q. Without it a busy cell's raw count
 * beats the city mean every month: busy residential cells flicker in and out of every big category, and the busy
 * urban core fills the all-categories layer with cells that are merely normal for themselves. Such chronically busy
 * cells are still recorded (`chronic`: every rule but the excess test) so that `classify` can report them once, as
 * persistent, instead of pushing them as new heat.
 */
export function testWindow(
  counts: WindowCounts,
  nb: Neighbours,
  cfg: Pick<HotspotConfig, 'q' | 'minCellCount'>,
  exposure?: ArrayLike<number>,
): WindowResult {
  const z = new Map<string, Float64Array>();
  const p = new Map<string, Float64Array>();
  const keys = [...counts.keys()];
  let m = 0;
  for (const k of keys) {
    const zk = giStar(counts.get(k)!, nb);
    z.set(k, zk);
    const pk = new Float64Array(zk.length);
    for (let i = 0; i < zk.length; i++) pk[i] = normalUpper(zk[i]);
    p.set(k, pk);
    m += zk.length;
  }
  const all = new Float64Array(m);
  let off = 0;
  for (const k of keys) {
    all.set(p.get(k)!, off);
    off += p.get(k)!.length;
  }
  const qAll = benjaminiHochberg(all);
  // the cell's own excess over what its exposure predicts, one Poisson test per cell of every layer
  const excessQ = new Map<string, Float64Array>();
  if (exposure) {
    const layerKeys = keys;
    const pe = new Float64Array(layerKeys.length * (layerKeys.length ? counts.get(layerKeys[0])!.length : 0));
    let at = 0;
    for (const k of layerKeys) {
      const x = counts.get(k)!;
      let total = 0;
      for (let i = 0; i < x.length; i++) total += x[i];
      for (let i = 0; i < x.length; i++) pe[at++] = poissonUpper(x[i], total * exposure[i]);
    }
    const qe = benjaminiHochberg(pe);
    at = 0;
    for (const k of layerKeys) {
      const n = counts.get(k)!.length;
      excessQ.set(k, qe.slice(at, at + n));
      at += n;
    }
  }
  const q = new Map<string, Float64Array>();
  const hot = new Map<string, Uint8Array>();
  const chronic = new Map<string, Uint8Array>();
  off = 0;
  for (const k of keys) {
    const x = counts.get(k)!;
    const n = x.length;
    const qk = qAll.slice(off, off + n);
    off += n;
    q.set(k, qk);
    const zk = z.get(k)!;
    const eq = excessQ.get(k);
    const h = new Uint8Array(n);
    const ch = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (!(qk[i] <= cfg.q && zk[i] > 0 && x[i] >= cfg.minCellCount)) continue;
      // the cell must be at least as busy as its neighbourhood on average: part of the heat, not beside it
      const a = nb.offsets[i];
      const b = nb.offsets[i + 1];
      let local = 0;
      for (let j = a; j < b; j++) local += x[nb.nbrs[j]];
      if (x[i] * (b - a) < local) continue;
      ch[i] = 1;
      if (eq && eq[i] > cfg.q) continue;
      h[i] = 1;
    }
    hot.set(k, h);
    chronic.set(k, ch);
  }
  return { z, p, q, chronic, hot, tests: m };
}

/** Day offsets (before as-of) at which the windows the kinds need end. 0 is the current window. */
export function windowOffsets(cfg: Pick<HotspotConfig, 'windowDays' | 'emergingWindows' | 'persistentWindows'>): {
  emerging: number[];
  persistent: number[];
  all: number[];
} {
  // emerging: weekly-shifted windows that end where the current one starts or earlier, so they share no day with it
  const emerging = Array.from({ length: cfg.emergingWindows }, (_, k) => cfg.windowDays + 7 * k);
  // persistent: back-to-back windows, the current one first
  const persistent = Array.from({ length: cfg.persistentWindows }, (_, m) => cfg.windowDays * m);
  const all = [...new Set([0, ...emerging, ...persistent])].sort((a, b) => a - b);
  return { emerging, persistent, all };
}

export type Kind = 'hot' | 'emerging' | 'persistent' | 'multi_category';

/** A hotspot kind as people read it (grid items, the `hotspots` table); the JSON documents keep the code. */
const KIND_ZH: Record<Kind, string> = {
  hot: '热点',
  emerging: '新发热点',
  persistent: '持续热点',
  multi_category: '多类叠加',
};

export function hotspotKindZh(kind: string): string {
  return KIND_ZH[kind as Kind] ?? kind;
}

export interface HotCell {
  cell: number;
  /** ALL for the all-categories layer and for multi_category rows. */
  category: string;
  count: number;
  z: number;
  p: number;
  q: number;
  kind: Kind;
  windowsHot: number;
  categories?: string[];
  /** The space-time permutation scan's verdict on the cell in this layer (scan-hotspots.ts). */
  strength?: number;
  /** City-wide: against the strongest cylinder of a null night over every layer (cityVerdict). */
  scanP?: number;
  scanWeeks?: number;
  expected?: number;
  aboveUsual?: boolean;
}

/**
 * The kinds, from the current window's result and the earlier windows' (by offset). History is read from `chronic`
 * (hot by Gi*, with or without an excess over the cell's own level), so a chronically busy cell is never "new":
 * - emerging: hot now and chronic in none of the emerging windows (all of which must hold orders);
 * - persistent: chronic now and in at least persistentMin of the persistent windows (the current one included) —
 *   reported whether or not it is above its own usual level this time: it is hot month after month;
 * - hot: hot now, neither of the above;
 * - multi_category: one extra row (category ALL) for a cell hot now in ≥ multiCategoryMin level-2 categories.
 * A cell that is chronic now but neither hot (no excess over its own level) nor persistent is not reported.
 */
export function classify(current: WindowCounts, results: Map<number, WindowResult>, cfg: HotspotConfig): HotCell[] {
  const offs = windowOffsets(cfg);
  const now = results.get(0)!;
  const out: HotCell[] = [];
  const perCell = new Map<number, string[]>();
  for (const [key, hot] of now.hot) {
    const x = current.get(key)!;
    const chronic = now.chronic.get(key)!;
    for (let i = 0; i < hot.length; i++) {
      if (!chronic[i]) continue;
      const wasHot = (o: number) => results.get(o)?.chronic.get(key)?.[i] === 1;
      const windowsHot = offs.persistent.filter(wasHot).length;
      const persistent = windowsHot >= cfg.persistentMin;
      if (!hot[i] && !persistent) continue;
      // only when every earlier window has data: a store holding three weeks of orders cannot call anything new
      const emerging = hot[i] === 1 && offs.emerging.every((o) => results.has(o)) && !offs.emerging.some(wasHot);
      const kind: Kind = emerging ? 'emerging' : persistent ? 'persistent' : 'hot';
      out.push({
        cell: i,
        category: key,
        count: x[i],
        z: now.z.get(key)![i],
        p: now.p.get(key)![i],
        q: now.q.get(key)![i],
        kind,
        windowsHot,
      });
      if (key !== ALL && hot[i]) perCell.set(i, [...(perCell.get(i) ?? []), key]);
    }
  }
  const allX = current.get(ALL);
  for (const [i, cats] of perCell) {
    if (cats.length < cfg.multiCategoryMin) continue;
    out.push({
      cell: i,
      category: ALL,
      count: allX ? allX[i] : 0,
      z: now.z.get(ALL)?.[i] ?? 0,
      p: now.p.get(ALL)?.[i] ?? 1,
      q: now.q.get(ALL)?.[i] ?? 1,
      kind: 'multi_category',
      windowsHot: 0,
      categories: cats.sort(),
    });
  }
  return out;
}
