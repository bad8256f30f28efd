import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTruth } from '../../src/detect/truth-file.js';
import { UserError } from '../../src/store/errors.js';
import { tempStore } from '../helpers.js';

describe('backtest truth file', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    t = await tempStore();
  });
  afterAll(() => t.cleanup());

  const event = {
    id: 'e1',
    kind: 'spike',
    category: '供水',
    start: '2025-01-06',
    end: '2025-01-20',
    scope: { name: '东区' },
  };
  /** The one line a user reads for a truth file with this content. */
  async function errorFor(content: string | null, name = 'truth.json'): Promise<string> {
    const file = join(t.dir, name);
    if (content !== null) writeFileSync(file, content);
    const err = await loadTruth(t.store, file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }

  it('reads a valid file', async () => {
    const file = join(t.dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ events: [event] }));
    const { truth, path } = await loadTruth(t.store, file);
    expect(path).toBe(file);
    expect(truth.events.map((e) => e.id)).toEqual(['e1']);
  });

  it('names the file and the field of each problem in one Chinese line', async () => {
    const f = join(t.dir, 'truth.json');
    expect(await errorFor(null, 'none.json')).toBe(`找不到真值文件：${join(t.dir, 'none.json')}`);
    expect(await errorFor('{"events": [')).toMatch(new RegExp(`^真值文件 ${f}：不是有效的 JSON（.+）$`));
    expect(await errorFor('null')).toBe(`真值文件 ${f} 字段 events：应为数组`);
    expect(await errorFor('{"events": {}}')).toBe(`真值文件 ${f} 字段 events：应为数组`);
    expect(await errorFor(JSON.stringify({ events: [event, { ...event, start: 20250106 }] }))).toBe(
      `真值文件 ${f} 字段 events[1].start：应为字符串`,
    );
    expect(await errorFor(JSON.stringify({ events: [{ ...event, scope: {} }] }))).toBe(
      `真值文件 ${f} 字段 events[0].scope.name：应为字符串（事件范围的名称）`,
    );
  });

  it('without --truth and without a demo city says how to give one', async () => {
    const err = await loadTruth(t.store, undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe('没有真值文件：请用 --truth FILE 指明（演示数据生成器写出的 truth.json）');
  });
});
