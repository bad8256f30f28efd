import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countsOnly, reasonSentences } from '../../src/topics/reasons.js';
import { runTopics } from '../../src/topics/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from './fixture.js';

type Env = Awaited<ReturnType<typeof tempStore>>;

/**
 * A wave read from one past season among many categories. The Konstanz Mängelmelder (20 categories, two years, no
 * seasonal model chosen by the forecast stage) had 23 road reports in December 2020 and 42 in January 2021; as of
 * 2022-01-01 the topics read that one change as "按去年同期季节规律推算本月约50件…季节性高峰将至，宜提前部署" and
 * proposed it first (z 2.2). 15 came. With twenty categories each read from last year's change, one passes z 2 by
 * chance about every other month: a wave seen in one past season must clear the bar after allowing for the number
 * of categories read that way (Bonferroni). A heating season (3 → 60 a day) still does (test/topics/ranking.test.ts).
 * Invented orders with the shape of the Konstanz counts.
 */
describe('a coming wave read from one past season', () => {
  let env: Env;
  beforeEach(async () => {
    env = await tempStore();
  });
  afterEach(() => env.cleanup());

  it('is not claimed from a change that twenty categories would show by chance', async () => {
    const dom = (d: string) => Number(d.slice(8, 10));
    const roads = (d: string): number => {
      if (d.startsWith('2020-12')) return dom(d) <= 23 ? 1 : 0; // 23
      if (d.startsWith('2021-01')) return dom(d) <= 11 ? 2 : 1; // 42
      if (d.startsWith('2021-12')) return dom(d) <= 30 ? 1 : 0; // 30
      return 1;
    };
    const others = Array.from({ length: 19 }, (_, i) => ({
      cat2: `Kategorie ${String.fromCharCode(65 + i)}/Unterkategorie`,
      perDay: steady(1),
      texts: ['Meldung'],
    }));
    await seedOrders(
      env.store,
      [{ cat2: 'Straßen/Straßenschäden', perDay: roads, texts: ['Schlagloch'] }, ...others],
      '2020-06-01',
      '2022-01-01',
    );
    const res = await runTopics(testContext(env.store, '2022-01-01'));
    const road = res.scored.find((s) => s.metrics.category === 'Straßen/Straßenschäden')!;
    expect(road.extras.forecast?.source).toBe('seasonal_naive');
    expect(road.components.forecast).toBe(0);
    for (const c of [...res.candidates, ...res.alternates]) expect(c.reasons.join('')).not.toContain('季节性高峰将至');
    // the figure, where shown, says it is no more than last year's one change
    const lines = reasonSentences(road, countsOnly('Konstanz')).filter((l) => l.includes('按去年同期季节规律推算'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('仅凭去年一次变化，不足以断定高峰将至');
  });
});
