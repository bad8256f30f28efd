// sql/assign/topic_selection.sql + topic_candidate.sql through chosenTopic: leadership's latest selection wins, its
// units come from that category's latest candidate; with no selection the latest run's rank-1 candidate is chosen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore } from '../helpers.js';
import { chosenTopic } from '../../src/assign/items.js';
import { assignConfig } from '../../src/assign/config.js';
import { configFrom } from '../../src/store/config.js';
import type { Store } from '../../src/store/db.js';

let store: Store;
let cleanup: () => void;
const config = configFrom({});
const cfg = assignConfig(config);
const MONTH = '2026-03';

async function candidate(rank: number, category: string, lead: string, computedAt: string): Promise<void> {
  await store.exec(
    `INSERT INTO topic_candidates (month, rank, category, level, score, reasons, evidence, lead_unit, co_units, computed_at)
     VALUES ($m, $rank, $c, 2, 1.0, '[]', '{}', $lead, $co::JSON, $at::TIMESTAMP)`,
    { m: MONTH, rank, c: category, lead, co: JSON.stringify([`${lead}协办`]), at: computedAt },
  );
}

async function select(category: string, by: string, at: string): Promise<void> {
  await store.exec(
    `INSERT INTO topic_selections (month, category, selected_at, selected_by, note) VALUES ($m, $c, $at::TIMESTAMP, $by, NULL)`,
    { m: MONTH, c: category, at, by },
  );
}

beforeEach(async () => {
  ({ store, cleanup } = await tempStore());
  // an older run ranked 噪声 first; the latest run ranks 停车 first and 噪声 second, each with other units
  await candidate(1, '环境保护/噪声', '旧环保局', '2026-03-01 01:00:00');
  await candidate(2, '交通管理/停车', '旧交管局', '2026-03-01 01:00:00');
  await candidate(2, '环境保护/噪声', '环保局', '2026-03-01 02:00:00');
  await candidate(1, '交通管理/停车', '交管局', '2026-03-01 02:00:00');
});
afterEach(() => cleanup());

describe('the month topic', () => {
  it("is the latest run's rank-1 candidate when nobody chose", async () => {
    expect(await chosenTopic(store, config, cfg, MONTH)).toEqual({
      month: MONTH,
      category: '交通管理/停车',
      selectedBy: 'auto',
      lead: '交管局',
      co: ['交管局协办'],
    });
  });

  it("is leadership's latest selection, with that category's latest candidate units", async () => {
    await select('交通管理/停车', '李主任', '2026-03-01 08:00:00');
    await select('环境保护/噪声', '张主任', '2026-03-01 09:00:00');
    expect(await chosenTopic(store, config, cfg, MONTH)).toEqual({
      month: MONTH,
      category: '环境保护/噪声',
      selectedBy: '张主任',
      lead: '环保局',
      co: ['环保局协办'],
    });
  });

  it('is none when nobody chose and auto-selection is off', async () => {
    const off = { ...cfg, topic: { ...cfg.topic, autoSelect: false } };
    expect(await chosenTopic(store, config, off, MONTH)).toBeNull();
  });
});
