/**
 * Round 6's candidates and combination rules scored offline on the real series, as bench/forecast-rules.ts scores
 * rules (docs/forecast.md, round 6). The global model, bagged ETS and ETS over temporal aggregates
 * (forecast-round6-models.ts) are fitted at each (file, origin) and at the engine's selection origins before it,
 * added to the dumped candidates and backtest errors; then the blend with each, and its weights shrunk toward equal,
 * toward the store's, or trimmed. `BENCH_SERIES_DIR=/work/realdata [BENCH_REAL_BEFORE=56] node --import tsx
 * bench/forecast-round6.ts` (makes bench/forecast-rules.ts's dump first when missing). GLOBAL_OPT / BAG_OPT: JSON
 * options of the global model / the bag (e.g. '{"block":52,"half":13}'), SKIP=global,bagged,mapa leaves models out.
 */
import { baggedEts, globalForecasts, mapaEts, type BagOptions, type GlobalOptions } from './forecast-round6-models.js';
import { inverseError, loadCases, pooledChoice, table, type Case, type Rule } from './forecast-rules.js';
import { realSeries } from './forecast-real.js';

const H = 8;
/** The engine's selection origins: 13, 4 weeks apart, the latest H weeks before the end (models.ts select). */
const ORIGINS = 13;

type Fits = (ys: number[][], cut: number) => Array<number[] | null>;

/**
 * Adds candidate `name` to every case's candidates and backtest errors: `fits` forecasts a store's series (the cases
 * of one file at one origin) from `cut` weeks before their common end, at the end and at the engine's selection
 * origins.
 */
export function addCandidate(cases: Case[], dir: string, name: string, fits: (g: Case[]) => Fits): void {
  const series = new Map(realSeries(dir).map((s) => [s.key, s]));
  const groups = new Map<string, Case[]>();
  for (const c of cases) groups.set(`${c.source}|${c.origin}`, [...(groups.get(`${c.source}|${c.origin}`) ?? []), c]);
  for (const g of groups.values()) {
    const ys = g.map((c) => {
      const s = series.get(c.key)!;
      return s.y.slice(0, (c.origin - s.start) / 7);
    });
    const fit = fits(g);
    const now = fit(ys, 0);
    const errs = g.map(() => Array.from({ length: H }, (): Array<[number, number]> => []));
    for (let k = 0; k < ORIGINS; k++) {
      const cut = H + 4 * k;
      const fs = fit(ys, cut);
      fs.forEach((f, i) => {
        const n = ys[i].length;
        if (!f || n - cut < 8 || errs[i][0].length < k) return;
        for (let j = 0; j < H; j++) errs[i][j].push([ys[i][n - cut + j], f[j]]);
      });
    }
    g.forEach((c, i) => {
      if (!now[i]) return;
      c.cands[name] = now[i]!;
      if (errs[i][0].length >= 3) c.errors[name] = errs[i];
    });
  }
}

const globalFits = (opt: GlobalOptions) => (): Fits => (ys, cut) => globalForecasts(ys, cut, H, opt);

const mapaFits = (): Fits => (ys, cut) =>
  ys.map((y) => (y.length - cut >= 64 ? mapaEts(y.slice(0, y.length - cut), H) : null));

const baggedFits =
  (opt: BagOptions) =>
  (g: Case[]): Fits => {
    const warm = g.map(() => ({}) as { etsForm?: number });
    return (ys, cut) =>
      ys.map((y, i) => (y.length - cut >= 16 ? baggedEts(y.slice(0, y.length - cut), H, opt, warm[i]) : null));
  };

/**
 * Per-series inverse-MSE weights (latest 2 origins) shrunk λ toward the store's: inverse mean squared scaled error
 * (error / the series' MASE scale) over every series of the store (a file at an origin) and every selection origin.
 */
function storeShrunk(cases: Case[], S: string[], lambda: number): Rule {
  const groups = new Map<string, Case[]>();
  for (const c of cases) groups.set(`${c.source}|${c.origin}`, [...(groups.get(`${c.source}|${c.origin}`) ?? []), c]);
  const store = new Map<Case, Map<string, number>>();
  for (const g of groups.values()) {
    const sq = new Map<string, [number, number]>();
    for (const c of g) {
      if (!(c.scale > 0)) continue;
      for (const m of S) {
        const e = c.errors[m];
        if (!e) continue;
        const acc = sq.get(m) ?? [0, 0];
        for (const hj of e)
          for (const [a, f] of hj) {
            acc[0] += ((a - f) / c.scale) ** 2;
            acc[1]++;
          }
        sq.set(m, acc);
      }
    }
    const w = new Map([...sq].map(([m, [s2, n]]) => [m, n / Math.max(s2, 1e-9)]));
    for (const c of g) store.set(c, w);
  }
  return (c) => {
    const ms = S.filter((m) => c.cands[m] && c.errors[m] && c.errors[m][0].length >= 2 && store.get(c)!.has(m));
    if (!ms.length) return c.cands.ets ?? c.weisu;
    const own = inverseError(ms, 2, 2)(c)!;
    const sw = ms.map((m) => store.get(c)!.get(m)!);
    const t = sw.reduce((a, b) => a + b, 0);
    const pooled = Array.from({ length: 8 }, (_, k) => ms.reduce((a, m, i) => a + (sw[i] / t) * c.cands[m][k], 0));
    return own.map((v, k) => (1 - lambda) * v + lambda * pooled[k]);
  };
}

/** Equal weights over the `keep` parts of S with the least squared error at the latest K origins (a trimmed mean). */
function trimmed(S: string[], keep: number, K: number): Rule {
  return (c) => {
    const ms = S.filter((m) => c.cands[m] && c.errors[m] && c.errors[m][0].length >= K);
    if (!ms.length) return c.cands.ets ?? c.weisu;
    const sq = ms.map((m) => {
      let t = 0;
      for (const hj of c.errors[m]) for (const [a, f] of hj.slice(0, K)) t += (a - f) ** 2;
      return t;
    });
    const best = ms
      .map((m, i) => [m, sq[i]] as const)
      .sort((a, b) => a[1] - b[1])
      .slice(0, keep);
    return Array.from({ length: 8 }, (_, k) => best.reduce((a, [m]) => a + c.cands[m][k], 0) / best.length);
  };
}

if (process.argv[1]?.endsWith('forecast-round6.ts')) {
  const dir = process.env.BENCH_SERIES_DIR;
  if (!dir) {
    console.log(
      'forecast-round6: set BENCH_SERIES_DIR to a folder of weekly*.csv series (see /work/realdata/README.md)',
    );
    process.exit(0);
  }
  const cases = loadCases();
  const t0 = performance.now();
  if (!(process.env.SKIP ?? '').includes('global'))
    addCandidate(cases, dir, 'global', globalFits(JSON.parse(process.env.GLOBAL_OPT ?? '{}') as GlobalOptions));
  console.log(`global: ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  if (!(process.env.SKIP ?? '').includes('bagged'))
    addCandidate(cases, dir, 'bagged', baggedFits(JSON.parse(process.env.BAG_OPT ?? '{}') as BagOptions));
  console.log(`bagged: ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  if (!(process.env.SKIP ?? '').includes('mapa')) addCandidate(cases, dir, 'mapa', mapaFits);
  const cand =
    (m: string): Rule =>
    (c) =>
      c.cands[m] ?? null;
  const six = ['direct', 'ets', 'combo', 'glm', 'comb_sa', 'ets_log'];
  const seven = [...six, 'global'];
  const P = ['comb', 'glm', 'glm_level'];
  const swap = (from: string, to: string) => six.map((m) => (m === from ? to : m));
  table(cases, [
    ['weisu (main)', (c) => c.weisu],
    ...['ets', 'direct'].map((m): [string, Rule] => [m, cand(m)]),
    ...['global', 'bagged', 'mapa'].map((m): [string, Rule] => [m, (c) => c.cands[m] ?? c.cands.ets ?? null]),
    ['six K2 (the blend)', inverseError(six, 2, 2)],
    ["pooled six (the engine's choice)", pooledChoice(cases, P, six)],
    ['seven K2 (+ global)', inverseError(seven, 2, 2)],
    ['pooled seven (+ global)', pooledChoice(cases, P, seven)],
    ['pooled six, global for direct', pooledChoice(cases, P, swap('direct', 'global'))],
    ['pooled six, bagged for ets', pooledChoice(cases, P, swap('ets', 'bagged'))],
    ['pooled six + bagged', pooledChoice(cases, P, [...six, 'bagged'])],
    ['pooled six, mapa for ets', pooledChoice(cases, P, swap('ets', 'mapa'))],
    ['pooled six + mapa', pooledChoice(cases, P, [...six, 'mapa'])],
    ['pooled six + global + mapa', pooledChoice(cases, P, [...six, 'global', 'mapa'])],
    ...[0.25, 0.5, 1].map((l): [string, Rule] => [`six K2 shrunk ${l} to equal`, inverseError(six, 2, 2, l)]),
    ...[0.25, 0.5, 1].map((l): [string, Rule] => [`six K2 shrunk ${l} to the store's`, storeShrunk(cases, six, l)]),
    ...[2, 3, 4].map((k): [string, Rule] => [`six, equal over best ${k} (K2)`, trimmed(six, k, 2)]),
  ]);
}
