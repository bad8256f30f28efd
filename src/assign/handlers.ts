import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { section, type Config } from '../store/config.js';
import { dataPath } from '../store/paths.js';
import { categoryMatcher } from './category-match.js';

/** Who can act on a category: the grid worker on site, only its unit, or nobody in public governance. */
export const HANDLERS = ['grid', 'unit', 'out'] as const;
export type Handler = (typeof HANDLERS)[number];

const HandlerEnum = z.enum(HANDLERS);

/** Config section `handlers`: the city's own entries over data/handlers.json, and the deadlines by handler type. */
const HandlersSchema = z
  .object({
    /** Category path (level 2) or level-1 name → handler type; over the embedded entries. */
    categories: z.record(z.string(), HandlerEnum).default({}),
    /** Words (any case) that make a category unit-only or out of scope; over the embedded keywords. */
    keywords: z.object({ unit: z.array(z.string()).default([]), out: z.array(z.string()).default([]) }).prefault({}),
    /** Handler type of a category no entry or keyword names. */
    default: HandlerEnum.optional(),
    deadlines: z
      .object({
        /** Hours a unit gets for a unit-only hotspot item (the grid worker is not asked). */
        unit: z.number().positive().default(168),
        /** Hours for a chronic cell at its usual level: a month's work for the unit, never a 24-hour errand. */
        chronic: z.number().positive().default(720),
      })
      .prefault({}),
  })
  .strict()
  .prefault({});

interface HandlerData {
  categories: Record<string, Handler>;
  keywords: Partial<Record<Handler, string[]>>;
  default: Handler;
}

export interface Handlers {
  /** The handler of a category path; levels: its stored level names (category_paths.sql), default split at '/'. */
  of(category: string, levels?: readonly string[]): Handler;
  deadlines: { unit: number; chronic: number };
}

let embedded: HandlerData | null = null;

/** The handler types: config section `handlers` over the embedded data/handlers.json. */
export function handlersFor(config: Config): Handlers {
  const cfg = section(config, 'handlers', HandlersSchema);
  const data = (embedded ??= JSON.parse(readFileSync(dataPath('handlers.json'), 'utf8')) as HandlerData);
  const table = { ...data.categories, ...cfg.categories };
  const fallback = cfg.default ?? data.default;
  // unit words before out words: 劳动合同纠纷 is the labour bureau's, though it names a 合同纠纷
  const byWords = (['unit', 'out'] as const).map((h) => ({
    handler: h,
    names: categoryMatcher({ keywords: [...(data.keywords[h] ?? []), ...cfg.keywords[h]] }),
  }));
  return {
    deadlines: cfg.deadlines,
    of(category: string, levels?: readonly string[]): Handler {
      // the whole path, else its level-1 name as stored (a '/' inside a name is not a level break)
      const direct = table[category] ?? table[(levels ?? category.split('/'))[0]];
      if (direct) return direct;
      // an unseen city's own taxonomy: its names still say whether wages, insurance or a utility is the matter
      return byWords.find((w) => w.names(category))?.handler ?? fallback;
    },
  };
}
