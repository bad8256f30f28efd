import type { z } from 'zod';

/**
 * Unknown keys in a config section. A misspelt key (`fdrr` for `fdr`) would otherwise be dropped by zod and its
 * default used without a word, so every object of a section's schema is read as strict — unless the schema itself
 * says it takes any key (a record, or an object with a catch-all). The message names the key's full path and the
 * nearest valid key.
 */
export function unknownKeys(schema: z.ZodType, value: unknown, path: string): string | undefined {
  const def = unwrap(schema);
  if (def?.type !== 'object' || takesAnyKey(def) || !isPlainObject(value)) return undefined;
  const shape = def.shape as Record<string, z.ZodType>;
  const own = unknownKey(value, Object.keys(shape), path);
  if (own) return own;
  for (const [key, child] of Object.entries(shape)) {
    const inner = unknownKeys(child, value[key], path ? `${path}.${key}` : key);
    if (inner) return inner;
  }
  return undefined;
}

/** The first key of `value` outside `allowed`, worded for the user, with the nearest allowed key when one is close. */
export function unknownKey(
  value: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
): string | undefined {
  const key = Object.keys(value).find((k) => !allowed.includes(k) && !isComment(k));
  if (key === undefined) return undefined;
  const where = path ? `${path}.${key}` : key;
  const near = nearest(key, allowed);
  return `未知的键 '${where}'${near ? `（是否想写 '${near}'？）` : ''}（可用：${allowed.join(', ')}）`;
}

/** JSON has no comments: keys written `"//": "…"` or `"$comment"` are notes for people, and are let through. */
function isComment(key: string): boolean {
  return key.startsWith('//') || key.startsWith('$');
}

interface Def {
  type: string;
  shape?: unknown;
  catchall?: unknown;
  innerType?: z.ZodType;
  in?: z.ZodType;
}

/** The object definition under optional/default/prefault/nullable/readonly/pipe wrappers. */
function unwrap(schema: z.ZodType | undefined): Def | undefined {
  let def = (schema as { _zod?: { def: Def } } | undefined)?._zod?.def;
  for (let i = 0; def && i < 10; i++) {
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!next) break;
    def = (next as unknown as { _zod: { def: Def } })._zod.def;
  }
  return def;
}

/** `.loose()` and `.catchall(x)` declare an open object; `.strict()` is a catch-all of `never`. */
function takesAnyKey(def: Def): boolean {
  const catchall = def.catchall as { _zod?: { def: Def } } | undefined;
  return catchall !== undefined && catchall._zod?.def.type !== 'never';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The allowed key closest to `key` by edit distance, when it is close enough to be a typo (≤ 1/3 of its length). */
function nearest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const d = editDistance(key.toLowerCase(), a.toLowerCase());
    if (d < bestD) [best, bestD] = [a, d];
  }
  return bestD <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
