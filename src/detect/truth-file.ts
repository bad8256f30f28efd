import { existsSync, readFileSync } from 'node:fs';
import type { Store } from '../store/db.js';
import { UserError } from '../store/errors.js';
import type { Truth } from '../synth/truth.js';

/** The planted truth for a backtest: --truth FILE, or the file the demo recorded in settings('demo.truth'). */
export async function loadTruth(store: Store, file: string | undefined): Promise<{ truth: Truth; path: string }> {
  const path =
    file ?? (await store.value<string | null>("SELECT value FROM settings WHERE key = 'demo.truth'")) ?? undefined;
  if (!path) throw new UserError('no truth file: pass --truth FILE (a truth.json written by the demo generator)');
  if (!existsSync(path)) throw new UserError(`truth file not found: ${path}`);
  let truth: Truth;
  try {
    truth = JSON.parse(readFileSync(path, 'utf8')) as Truth;
  } catch (err) {
    throw new UserError(`truth file ${path}: not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(truth.events)) throw new UserError(`truth file ${path}: field 'events' must be an array`);
  truth.events.forEach((e, i) => {
    for (const f of ['id', 'kind', 'category', 'start', 'end'] as const) {
      if (typeof e[f] !== 'string') throw new UserError(`truth file ${path}: events[${i}].${f} must be a string`);
    }
    if (!e.scope || typeof e.scope.name !== 'string')
      throw new UserError(`truth file ${path}: events[${i}].scope must have a name`);
  });
  return { truth, path };
}
