import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryLevelFinder, withCategoryLevels } from '../../src/cli/category-levels.js';
import { readTopics } from '../../src/cli/commands/topics.js';
import { tempStore } from '../helpers.js';

/**
 * CONTRACT §4: wherever a JSON output has `category`, it may carry `category_levels`, exact where a name holds '/'.
 * None did: a 留言板 mapped with 领域 › 类型 gave alerts and topics on '城建/投诉/求助' at level 2 that no script can
 * split. Invented orders.
 */
describe('category_levels beside category in the JSON outputs', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    env = await tempStore();
    const rows: [string, string[]][] = [
      ['1', ['城建', '投诉/求助']],
      ['2', ['城建', '建言']],
      ['3', ['A/B', 'C']],
      ['4', ['A', 'B/C']],
    ];
    for (const [id, levels] of rows)
      await env.store.exec(
        `INSERT INTO orders (order_id, created_at, category, category_levels, cat1, cat2, content, row_hash, first_seq, seq, loaded_at)
         VALUES ($id, TIMESTAMP '2022-12-10 09:00:00', $cat, $levels::VARCHAR[], $l1, $cat, 'x', 1, 1, 1, now()::TIMESTAMP)`,
        { id, cat: levels.join('/'), levels: JSON.stringify(levels), l1: levels[0] },
      );
    await env.store.exec(
      `INSERT INTO topic_alternates (month, rank, category, level, score, excluded_why, reasons, weaker, computed_at)
       VALUES ('2023-01', 1, '城建/投诉/求助', 2, 0.2, 'below_bar', '[]', '[]', now()::TIMESTAMP)`,
    );
  }, 60_000);
  afterAll(() => env.cleanup());

  it('gives each path its stored level names, by depth where two lists join to the same path', async () => {
    const find = await categoryLevelFinder(env.store);
    expect(find('城建/投诉/求助', 2)).toEqual(['城建', '投诉/求助']);
    expect(find('城建/投诉/求助')).toEqual(['城建', '投诉/求助']);
    expect(find('城建', 1)).toEqual(['城建']);
    // 'A/B/C' is A/B › C and A › B/C: no name can be given, and neither is the three-level A › B › C
    expect(find('A/B/C')).toBeUndefined();
    expect(find('A/B/C', 2)).toBeUndefined();
    expect(find('A/B/C', 3)).toBeUndefined();
    expect(find('A/B', 1)).toEqual(['A/B']);
    const out = withCategoryLevels(
      [{ category: '城建/建言', level: 2 }, { category: null }, { category: '无此类' }],
      find,
    );
    expect(out).toEqual([
      { category: '城建/建言', level: 2, category_levels: ['城建', '建言'] },
      { category: null },
      { category: '无此类' },
    ]);
  });

  it('are in the topics document, alternates included', async () => {
    const doc = await readTopics(env, '2023-01');
    expect(doc.alternates.map((a) => [a.category, a.category_levels])).toEqual([
      ['城建/投诉/求助', ['城建', '投诉/求助']],
    ]);
  });
});
