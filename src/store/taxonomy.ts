import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { configPath, type Config } from './config.js';
import { UserError } from './errors.js';
import { dataPath } from './paths.js';

const NodeSchema: z.ZodType<TaxonomyNode> = z.lazy(() =>
  z.union([z.string(), z.object({ name: z.string().min(1), children: z.array(NodeSchema).default([]) })]),
) as z.ZodType<TaxonomyNode>;

export type TaxonomyNode = string | { name: string; children: TaxonomyNode[] };

const TaxonomySchema = z.object({ version: z.number().optional(), categories: z.array(NodeSchema).min(1) }).loose();
const UnitsSchema = z
  .object({ units: z.record(z.string(), z.object({ lead: z.string(), co: z.array(z.string()).default([]) })) })
  .loose();

export interface Taxonomy {
  /** Every full path, e.g. 城乡建设/供暖/暖气不热, level 1 and 2 paths included. */
  paths: string[];
  level1: string[];
  /** Level-2 paths 'l1/l2'. */
  level2: string[];
  /** Level-3 leaf paths 'l1/l2/l3'. */
  leaves: string[];
}

export interface UnitAssignment {
  lead: string;
  co: string[];
}

function readJson(file: string, label: string): unknown {
  if (!existsSync(file)) throw new UserError(`找不到${label}文件：${file}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`${label}文件 ${file} 不是有效的 JSON（${(err as Error).message}）`);
  }
}

/** The category taxonomy: config `taxonomy` (a path) or the embedded data/taxonomy.json. */
export function loadTaxonomy(config?: Config): Taxonomy {
  const file =
    typeof config?.raw.taxonomy === 'string' ? configPath(config, config.raw.taxonomy) : dataPath('taxonomy.json');
  const parsed = TaxonomySchema.safeParse(readJson(file, '分类体系（taxonomy）'));
  if (!parsed.success) throw new UserError(`分类体系文件 ${file}：${parsed.error.issues[0]?.message ?? '格式不对'}`);
  const out: Taxonomy = { paths: [], level1: [], level2: [], leaves: [] };
  const walk = (node: TaxonomyNode, prefix: string, depth: number) => {
    const name = typeof node === 'string' ? node : node.name;
    const path = prefix ? `${prefix}/${name}` : name;
    out.paths.push(path);
    if (depth === 1) out.level1.push(path);
    else if (depth === 2) out.level2.push(path);
    const kids = typeof node === 'string' ? [] : node.children;
    if (kids.length === 0 && depth >= 2) out.leaves.push(path);
    for (const k of kids) walk(k, path, depth + 1);
  };
  for (const n of parsed.data.categories) walk(n, '', 1);
  return out;
}

/** The unit (承办单位) mapping: config `units` (a path) or the embedded data/units.json. Keys are level-2 or level-1 paths. */
export function loadUnits(config?: Config): Record<string, UnitAssignment> {
  const file = typeof config?.raw.units === 'string' ? configPath(config, config.raw.units) : dataPath('units.json');
  const parsed = UnitsSchema.safeParse(readJson(file, '承办单位映射（units）'));
  if (!parsed.success)
    throw new UserError(`承办单位映射文件 ${file}：${parsed.error.issues[0]?.message ?? '格式不对'}`);
  return parsed.data.units;
}

/** Level-1 and level-2 paths of a category path. */
export function categoryLevels(category: string): { cat1: string; cat2: string } {
  const parts = category
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean);
  const cat1 = parts[0] ?? category;
  return { cat1, cat2: parts.length > 1 ? `${cat1}/${parts[1]}` : cat1 };
}
