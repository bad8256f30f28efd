import { differenceInDifferences } from '../src/assign/did.js';
import { mulberry32 as rng } from '../src/stats/random.js';
// Coverage of the effect interval (src/assign/did.ts) on simulated street panels like test/assign/effect.test.ts:
// 3 treated and 9 control streets, a shared seasonal decline, 8 weeks before and after. Run: npx tsx bench/assign-did-coverage.ts
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
for (const eff of [-0.4, 0]) {
  let cover = 0,
    sig = 0;
  const N = 200;
  for (let s = 0; s < N; s++) {
    const r = rng(1000 + s);
    const mk = (base: number, treated: boolean) => {
      const pre = [],
        post = [];
      for (let w = 0; w < 8; w++) {
        let n = 0;
        for (let d = 0; d < 7; d++) n += poisson(base * (1.4 - (0.6 * (w * 7 + d)) / 140), r);
        pre.push(n);
      }
      for (let w = 0; w < 8; w++) {
        let n = 0;
        for (let d = 0; d < 7; d++)
          n += poisson(base * (1.4 - (0.6 * (70 + w * 7 + d)) / 140) * (treated ? 1 + eff : 1), r);
        post.push(n);
      }
      return { unit: String(base), pre, post };
    };
    const T = [mk(2, true), mk(2.6, true), mk(3.2, true)];
    const C = [3.8, 4.4, 5, 2, 2.6, 3.2, 3.8, 4.4, 5].map((b) => mk(b, false));
    const res = differenceInDifferences(T, C, { bootstrap: 1000, seed: s })!;
    if (res.pctLo! <= eff && eff <= res.pctHi!) cover++;
    if (res.pctHi! < 0 || res.pctLo! > 0) sig++;
  }
  console.log(`effect ${eff}: 95% interval covers truth in ${cover}/${N}, significant in ${sig}/${N}`);
}
