import { describe, expect, it } from 'vitest';
import { runTopics } from '../../src/topics/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { seedOrders, steady } from './fixture.js';

/**
 * `weisu topics --month` for a month before the store's first order (a user trying the month their export starts
 * in): the one true note is that there is nothing to weigh. Notes on missing forecasts or root-cause tags beside it
 * read as if the month had been weighed without them.
 */
describe('topics for a month before the first order', () => {
  it('gives the one note that there are no orders before the month', async () => {
    const env = await tempStore();
    try {
      await seedOrders(
        env.store,
        [{ cat2: '城乡建设/供暖', perDay: steady(20), texts: ['暖气不热'] }],
        '2025-06-05',
        '2025-06-21',
      );
      const res = await runTopics(testContext(env.store, '2025-06-01'));
      expect(res.candidates).toEqual([]);
      expect(res.notes).toEqual(['库中没有该月之前的工单，无法生成议题。']);
    } finally {
      env.cleanup();
    }
  }, 60_000);
});
