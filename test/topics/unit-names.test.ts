import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTopics } from '../../src/topics/stage.js';
import { tempStore, testContext } from '../helpers.js';
import { risingIn, seedOrders } from './fixture.js';

type Env = Awaited<ReturnType<typeof tempStore>>;

/**
 * A unit's name as an export writes it in a multi-line cell: the Konstanz Mängelmelder's `Gruppe` ends in "\r\n" or
 * "\r\n\r\n". The topics proposed "Technische Betriebe Konstanz\r\n\r\n" as lead unit and
 * "Bürgeramt/Straßenverkehrswesen\r\n\r\n\r\n" as a supporting one: the report's 配合单位 line broke in the middle,
 * a unit recipient configured as "Technische Betriebe Konstanz" got none of its items, and the same unit written
 * with "\n" was a second unit. A unit's name is its text with runs of blanks made one space and its ends trimmed.
 */
describe('unit names from a multi-line export cell', () => {
  let env: Env;
  beforeEach(async () => {
    env = await tempStore();
  });
  afterEach(() => env.cleanup());

  it('proposes the unit trimmed, one unit however its line ends are written', async () => {
    await seedOrders(
      env.store,
      [
        {
          cat2: 'Straßen/Gullideckel',
          perDay: risingIn(10, 3, '2025-10-01', '2025-11-01'),
          texts: ['Gulli verstopft'],
          dept: 'Technische Betriebe Konstanz\r\n\r\n',
        },
      ],
      '2025-06-01',
      '2025-11-01',
    );
    // a third written with "\n" only, a quarter by another office whose cell ends in blanks and a line break
    await env.store.exec(
      `UPDATE orders SET dept = 'Technische Betriebe Konstanz' || chr(10) WHERE hash(order_id) % 3 = 0`,
    );
    await env.store.exec(`UPDATE orders SET dept = '  Tiefbauamt ' || chr(13) || chr(10) WHERE hash(order_id) % 4 = 1`);
    const res = await runTopics(testContext(env.store, '2025-11-01'));
    const c = res.candidates.find((x) => x.category === 'Straßen/Gullideckel' || x.category === 'Straßen');
    expect(c).toBeDefined();
    expect(c!.lead_unit).toBe('Technische Betriebe Konstanz');
    expect(c!.co_units).toContain('Tiefbauamt');
    const depts = (c!.evidence as unknown as { handling_depts?: { dept: string }[] }).handling_depts ?? [];
    expect(depts.map((d) => d.dept).sort()).toEqual(['Technische Betriebe Konstanz', 'Tiefbauamt']);
  });
});
