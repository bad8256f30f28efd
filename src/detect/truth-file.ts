import { existsSync, readFileSync } from 'node:fs';
import type { Store } from '../store/db.js';
import { UserError } from '../store/errors.js';
import type { Truth } from '../synth/truth.js';

/** The planted truth for a backtest: --truth FILE, or the file the demo recorded in settings('demo.truth'). */
export async function loadTruth(store: Store, file: string | undefined): Promise<{ truth: Truth; path: string }> {
  const path =
    file ?? (await store.value<string | null>("SELECT value FROM settings WHERE key = 'demo.truth'")) ?? undefined;
  if (!path) throw new UserError('没有真值文件：请用 --truth FILE 指明（演示数据生成器写出的 truth.json）');
  if (!existsSync(path)) throw new UserError(`找不到真值文件：${path}`);
  let truth: Truth;
  try {
    truth = JSON.parse(readFileSync(path, 'utf8')) as Truth;
  } catch (err) {
    throw new UserError(`真值文件 ${path}：不是有效的 JSON（${(err as Error).message}）`);
  }
  if (!Array.isArray(truth?.events)) throw new UserError(`真值文件 ${path} 字段 events：应为数组`);
  truth.events.forEach((e, i) => {
    for (const f of ['id', 'kind', 'category', 'start', 'end'] as const) {
      if (typeof e[f] !== 'string') throw new UserError(`真值文件 ${path} 字段 events[${i}].${f}：应为字符串`);
    }
    if (!e.scope || typeof e.scope.name !== 'string')
      throw new UserError(`真值文件 ${path} 字段 events[${i}].scope.name：应为字符串（事件范围的名称）`);
  });
  return { truth, path };
}
