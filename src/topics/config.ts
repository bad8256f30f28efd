import { z } from 'zod';
import { section, type Config } from '../store/config.js';

/**
 * Config section `topics`. The score is a weighted sum of components in [0, 1]; every weight, saturation point
 * and gate is here so a city can see and tune why a category was proposed (see docs/topics.md).
 */
export const TopicsConfigSchema = z
  .object({
    /** How many candidates to propose (the 月调度 model: 2–3). */
    candidates: z.number().int().min(1).max(10).default(3),
    weights: z
      .object({
        yoy: z.number().min(0).default(0.22),
        mom: z.number().min(0).default(0.08),
        forecast: z.number().min(0).default(0.2),
        excess: z.number().min(0).default(0.12),
        volume: z.number().min(0).default(0.04),
        hotspot: z.number().min(0).default(0.08),
        repeat: z.number().min(0).default(0.07),
        dissatisfaction: z.number().min(0).default(0.07),
        structural: z.number().min(0).default(0.08),
        alerts: z.number().min(0).default(0.04),
      })
      .prefault({}),
    /** The value at which each component saturates at 1. */
    full: z
      .object({
        yoy: z.number().positive().default(0.5),
        mom: z.number().positive().default(0.5),
        forecast: z.number().positive().default(1),
        hotspot: z.number().positive().default(0.5),
        structural: z.number().positive().default(0.6),
        /** Share of the city's monthly volume at which the volume component is 1 (log scale below). */
        volumeShare: z.number().positive().max(1).default(0.1),
        /** Extra orders (over the expectation), as a share of the city's monthly volume, at which excess is 1 (log scale). */
        excessShare: z.number().positive().max(1).default(0.02),
      })
      .prefault({}),
    /**
     * Rises are scored on the lower confidence bound of the rate ratio (Poisson, log scale): this many standard errors
     * below the estimate (1.645 = one-sided 95%). A +75% on 40 orders is far less certain than +70% on 500.
     */
    confidence: z.number().min(0).default(1.645),
    /** A rise counts only when the log rate ratio is this many standard errors above zero. */
    zMin: z.number().min(0).default(2),
    /** Pseudo-count pulling small categories' repeat and dissatisfaction rates towards the city's. */
    shrink: z.number().min(0).default(20),
    /** A category is a candidate only if one rise component (yoy, mom, forecast) reaches this. */
    minRise: z.number().min(0).max(1).default(0.2),
    /** Below this many orders last month (and forecast for this month) a category is too small to be a topic. */
    minOrders: z.number().int().min(0).default(30),
    /** A level-1 category is a candidate only when its rising level-2 categories hold this share of its volume. */
    broadShare: z.number().min(0).max(1).default(0.6),
    /** Level-2 yoy (growth-adjusted) from which a child counts as rising for the broad test. */
    childRise: z.number().min(0).default(0.1),
    /** Categories mostly out of scope (负面清单) last month are left out. */
    maxOutOfScopeShare: z.number().min(0).max(1).default(0.5),
    structuralTags: z.array(z.string()).default(['权责交叉', '政策漏洞', '基础设施短板', '监管缺位']),
    /** Tags below this confidence are not counted in root-cause shares. */
    minConfidence: z.number().min(0).max(1).default(0.5),
    /** Categories never proposed (level-1 or level-2 paths), e.g. pure consultations. */
    exclude: z.array(z.string()).default([]),
    typicalOrders: z.number().int().min(3).max(5).default(5),
    /** Orders sampled (deterministically) per candidate to find the category's centre. */
    typicalPool: z.number().int().min(10).default(2000),
    maxCells: z.number().int().min(1).default(5),
    /** Characters of each typical order's content shown. */
    excerptChars: z.number().int().min(20).default(140),
  })
  .loose();

export type TopicsConfig = z.infer<typeof TopicsConfigSchema>;
export type Weights = TopicsConfig['weights'];

export function topicsConfig(config: Config): TopicsConfig {
  return section(config, 'topics', TopicsConfigSchema);
}
