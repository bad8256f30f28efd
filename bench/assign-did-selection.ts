// Selection bias of the effect measure (src/assign/did.ts) with no effect at all: 300 cells with gamma-distributed
// rates (8 persistent hot ones, optional passing bursts: BURST=0.1), the 10 highest of the last 4 pre weeks treated,
// controls matched with and without the 26 weeks of history. Prints the pooled effect (should be ~0) and the share
// of items called significant. Run: npx tsx bench/assign-did-selection.ts  (SEEDS=30 BURST=0.2 to vary)
import { differenceInDifferences, matchControls, type UnitSeries } from '../src/assign/did.js';
import { mulberry32 } from '../src/stats/random.js';
function poisson(l: number, r: () => number) {
  const L = Math.exp(-l);
  let k = 0,
    p = 1;
  do {
    k++;
    p *= r();
  } while (p > L);
  return k - 1;
}
function gamma(shape: number, r: () => number): number {
  // Marsaglia–Tsang, shape<1 boost
  if (shape < 1) return gamma(shape + 1, r) * Math.pow(r(), 1 / shape);
  const d = shape - 1 / 3,
    c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x, v;
    do {
      const u1 = r(),
        u2 = r();
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = r();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
const H = 26,
  PRE = 8,
  POST = 8;
for (const useHist of [true, false]) {
  let T = 0,
    C = 0,
    sig = 0,
    n = 0;
  for (let seed = 1; seed <= Number(process.env.SEEDS ?? 20); seed++) {
    const r = mulberry32(seed);
    const cells = Array.from({ length: 300 }, (_, i) => {
      const lam = gamma(0.8, r) * 0.75 + (i < 8 ? 3 : 0);
      const burst =
        r() < Number(process.env.BURST ?? 0)
          ? { at: Math.floor(r() * (H + PRE + POST)), len: 4 + Math.floor(r() * 7) }
          : null;
      const wk = (w: number) =>
        poisson(lam * (1 + 0.3 * Math.sin(w / 8)) + (burst && w >= burst.at && w < burst.at + burst.len ? 2 : 0), r);
      const all = Array.from({ length: H + PRE + POST }, (_, w) => wk(w));
      return {
        unit: `c${i}`,
        history: useHist ? all.slice(0, H) : undefined,
        pre: all.slice(H, H + PRE),
        post: all.slice(H + PRE),
      } as UnitSeries;
    });
    const recent = (u: UnitSeries) => u.pre.slice(4).reduce((a, b) => a + b, 0);
    const treated = [...cells].sort((a, b) => recent(b) - recent(a)).slice(0, 10);
    const tset = new Set(treated.map((u) => u.unit));
    for (const t of treated) {
      const ctrl = matchControls(
        [t],
        cells.filter((u) => !tset.has(u.unit)),
        2,
        20,
      );
      if (!ctrl.length) continue;
      const res = differenceInDifferences([t], ctrl, { bootstrap: 200, seed })!;
      if (!res || res.treatedPre * PRE < 5) continue;
      n++;
      T += res.treatedPost;
      C += res.counterfactual;
      if (res.lo > 0 || res.hi < 0) sig++;
    }
  }
  console.log(
    useHist ? 'history+pre' : 'pre only  ',
    `items ${n} pooled ${(100 * (T / C - 1)).toFixed(1)}% significant ${sig} (${((100 * sig) / n).toFixed(1)}%)`,
  );
}
