import { effectStage } from '../src/assign/effect-stage.js';
import { tempStore, testContext } from '../test/helpers.js';
import { AS_OF, clearCells, plantCells, type Scenario } from '../test/assign/effect-cells.js';
// How often the effect stage calls a hotspot item's change significant (test/assign/effect-cells.ts has the
// scenarios): on items assigned during a rise with no real effect (rise, burst) it should be about 5% or less; on a
// real drop (drop, rise-drop) it should stay as high as the data allows. N seeds per scenario (default 100).
// Run: nice -n 10 npx tsx bench/assign-effect-trigger.ts   (N=40 for a quicker look)
const N = Number(process.env.N ?? 100);
const { store, cleanup } = await tempStore();
try {
  for (const scenario of ['none', 'rise', 'burst', 'drop', 'rise-drop'] as Scenario[]) {
    let rows = 0;
    let up = 0;
    let down = 0;
    for (let seed = 1; seed <= N; seed++) {
      await clearCells(store);
      await plantCells(store, scenario, 7000 + seed);
      await effectStage.run(testContext(store, AS_OF));
      const r = await store.one<{ significant: boolean; effect: number }>(
        `SELECT significant, effect FROM effects WHERE measure = 'cells'`,
      );
      if (!r) continue;
      rows++;
      if (r.significant && r.effect > 0) up++;
      if (r.significant && r.effect < 0) down++;
    }
    const pct = (k: number) => `${((100 * k) / Math.max(1, rows)).toFixed(0)}%`;
    console.log(
      `${scenario.padEnd(10)} measured ${rows}/${N}  significant rise ${pct(up)}  significant drop ${pct(down)}`,
    );
  }
} finally {
  cleanup();
}
