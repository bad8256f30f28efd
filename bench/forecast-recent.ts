/**
 * Blend weights from the latest weeks (docs/forecast.md, round 6): the engine weighs the blend's parts by their
 * errors at the latest 2 selection origins, the latest of them 8 weeks before the end (every horizon seen). Here
 * origins 2, 4 and 6 weeks before the end join them with the horizons already seen, so the weights can move off a
 * part within weeks of a break. Scored offline on bench/forecast-rules.ts's dump. `BENCH_SERIES_DIR=/work/realdata
 * [BENCH_REAL_BEFORE=56] node --import tsx bench/forecast-recent.ts`.
 */
import { configFrom } from '../src/store/config.js';
import { modelContext } from '../src/forecast/engine.js';
import { candidateForecasts } from '../src/forecast/models.js';
import { inverseError, loadCases, pooledChoice, table, type Case, type Rule } from './forecast-rules.js';
import { realSeries } from './forecast-real.js';

const H = 8;
/** Weeks before the end of the recent origins. */
const CUTS = [2, 4, 6];

type Recent = Map<Case, Map<number, { actual: number[]; cands: Record<string, number[]> }>>;

function recentForecasts(cases: Case[], dir: string): Recent {
  const ctx = modelContext(configFrom({ forecast: { calendar: 'none' } }));
  const series = new Map(realSeries(dir).map((s) => [s.key, s]));
  const out: Recent = new Map();
  for (const c of cases) {
    const s = series.get(c.key)!;
    const y = s.y.slice(0, (c.origin - s.start) / 7);
    const m = new Map<number, { actual: number[]; cands: Record<string, number[]> }>();
    for (const cut of CUTS) {
      if (y.length - cut < 60) continue;
      const cands = candidateForecasts({ start: s.start, y: y.slice(0, y.length - cut) }, H, ctx) as Record<
        string,
        number[]
      >;
      m.set(cut, { actual: y.slice(y.length - cut), cands });
    }
    out.set(c, m);
  }
  return out;
}

/** Inverse MSE of S over the recent origins `cuts` (the horizons seen) and the latest K selection origins. */
function recentRule(S: string[], recent: Recent, cuts: number[], K: number): Rule {
  return (c) => {
    const r = recent.get(c)!;
    const ms = S.filter((m) => c.cands[m] && c.errors[m] && cuts.every((k) => !r.get(k) || r.get(k)!.cands[m]));
    if (!ms.length) return c.cands.ets ?? c.weisu;
    const w = ms.map((m) => {
      let sq = 0,
        n = 0;
      for (const k of cuts) {
        const e = r.get(k);
        if (!e) continue;
        e.actual.forEach((a, j) => {
          sq += (a - e.cands[m][j]) ** 2;
          n++;
        });
      }
      for (const hj of c.errors[m])
        for (const [a, f] of hj.slice(0, K)) {
          sq += (a - f) ** 2;
          n++;
        }
      return n ? n / Math.max(sq, 1e-9) : 1;
    });
    const t = w.reduce((a, b) => a + b, 0);
    return Array.from({ length: H }, (_, k) => ms.reduce((a, m, i) => a + (w[i] / t) * c.cands[m][k], 0));
  };
}

if (process.argv[1]?.endsWith('forecast-recent.ts')) {
  const dir = process.env.BENCH_SERIES_DIR;
  if (!dir) {
    console.log(
      'forecast-recent: set BENCH_SERIES_DIR to a folder of weekly*.csv series (see /work/realdata/README.md)',
    );
    process.exit(0);
  }
  const cases = loadCases();
  const t0 = performance.now();
  const recent = recentForecasts(cases, dir);
  console.log(`recent origins: ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  const six = ['direct', 'ets', 'combo', 'glm', 'comb_sa', 'ets_log'];
  const P = ['comb', 'glm', 'glm_level'];
  const variants: Array<[string, number[], number]> = [
    ['4', [4], 2],
    ['4, 2', [2, 4], 2],
    ['6, 4, 2', [2, 4, 6], 2],
    ['4 and K1', [4], 1],
    ['6, 4, 2 and K1', [2, 4, 6], 1],
  ];
  table(cases, [
    ['weisu (main)', (c) => c.weisu],
    ['six K2 (the blend)', inverseError(six, 2, 2)],
    ['pooled six (the engine)', pooledChoice(cases, P, six)],
    ...variants.map(([n, cuts, K]): [string, Rule] => [`six, recent ${n}`, recentRule(six, recent, cuts, K)]),
    ...variants.map(([n, cuts, K]): [string, Rule] => [
      `pooled six, recent ${n}`,
      pooledChoice(cases, P, six, 2, 2, recentRule(six, recent, cuts, K)),
    ]),
  ]);
}
