import { z } from 'zod';
import { section, type Config } from '../store/config.js';

/** The `detect` section of the config file. Defaults are tuned on planted-truth backtests (docs/detect.md). */
export const DetectConfigSchema = z
  .object({
    /**
     * BH false-discovery rate per kind and run; a number sets all kinds. Checked against the false-alarm budget
     * in the backtest (docs/detect.md).
     */
    fdr: z
      .union([
        z
          .number()
          .gt(0)
          .lt(1)
          .transform((v) => ({ spike: v, mom: v, yoy: v, trend: v })),
        z
          .object({
            spike: z.number().gt(0).lt(1).default(0.05),
            mom: z.number().gt(0).lt(1).default(0.05),
            yoy: z.number().gt(0).lt(1).default(0.05),
            trend: z.number().gt(0).lt(1).default(0.05),
          })
          .prefault({}),
      ])
      .default({ spike: 0.05, mom: 0.05, yoy: 0.05, trend: 0.05 }),
    /**
     * Per-test significance that alerts even when BH does not (0 = off), per kind; defaults chosen by the
     * backtest sweep (docs/detect.md), yoy kept strict because a 4-week window alarms for 4 weeks in a row. The budget users state is
     * false alarms per series-week, which a per-test level controls directly (at most about `alpha` per test
     * before the effect-size gates); BH over thousands of street tests is far stricter than that budget and
     * makes a street rise wait weeks for its p-value to clear the whole list.
     */
    alpha: z
      .object({
        spike: z.number().min(0).lt(1).default(0.003),
        mom: z.number().min(0).lt(1).default(0.001),
        yoy: z.number().min(0).lt(1).default(0.0001),
        trend: z.number().min(0).lt(1).default(0.001),
      })
      .prefault({}),
    /**
     * Fit a log-linear drift of each category's share over the earlier years in the spike/trend baseline, kept when
     * significant (|b| > 3 se) and not extrapolating above the baseline's largest share (Farrington's rule), so a
     * share that has drifted for years is not reported as rising every week (docs/detect.md). false: the flat share.
     */
    baselineTrend: z.boolean().default(true),
    /** BH families: one per kind ('kind'), or one per kind × scope level ('scope'). */
    fdrFamilies: z.enum(['kind', 'scope']).default('kind'),
    /** A trend alert needs its one-sided CUSUM (k = 0.5) at least this high and this many of the last 6 weeks above expected. */
    trendMinCusum: z.number().min(0).default(3),
    trendMinWeeksAbove: z.number().int().min(0).max(6).default(3),
    /** A series is tested only with at least this many orders in the last `recentWeeks` weeks. */
    minRecent: z.number().int().min(1).default(8),
    recentWeeks: z.number().int().min(4).max(52).default(12),
    /** Smallest expected count a test accepts (per week for spike, per 4 weeks otherwise). */
    minExpectedWeek: z.number().min(0).default(2),
    minExpected4w: z.number().min(0).default(5),
    /**
     * A burst under the volume gate: a series expecting under `minExpectedWeek` a week is still spike-tested when its
     * week holds at least `minCount` orders, and alarms only at a family-wise level — `familyAlpha` shared
     * (Bonferroni) over every series of the run under the gate, never looser than `alpha.spike` — so a category near
     * zero that jumps to 17 is heard in its first week, and the many small series add at most `familyAlpha` false
     * alarms per run (0 = off).
     */
    burst: z
      .object({
        minCount: z.number().min(1).default(10),
        familyAlpha: z.number().min(0).lt(1).default(0.05),
      })
      .prefault({}),
    /** Smallest observed / expected a leader should hear about, per kind. */
    minRatio: z
      .object({
        spike: z.number().min(1).default(1.5),
        mom: z.number().min(1).default(1.25),
        yoy: z.number().min(1).default(1.25),
        trend: z.number().min(1).default(1.15),
      })
      .prefault({}),
    /** Smallest excess (observed − expected) in orders. */
    minExcess: z.number().min(0).default(4),
    /** A parent alert is "explained" by a child scope or sub-category holding at least this share of its excess. */
    explainShare: z.number().gt(0).lt(1).default(0.6),
    newTopic: z
      .object({
        enabled: z.boolean().default(true),
        /** Orders containing the term in the last 2 weeks. */
        minSupport: z.number().int().min(2).default(8),
        /** Share of orders containing the term in the previous 26 weeks must stay below this. */
        maxPriorShare: z.number().gt(0).default(0.0005),
        /** Recent share must be at least this many times the prior share. */
        minLift: z.number().min(1).default(10),
        /** Documents sampled per window (deterministic sample by order_id hash). */
        sampleRecent: z.number().int().min(100).default(10000),
        samplePrior: z.number().int().min(100).default(30000),
        maxAlerts: z.number().int().min(0).default(10),
        /** BH false-discovery rate over the candidate terms. */
        fdr: z.number().gt(0).lt(1).default(0.05),
      })
      .prefault({}),
  })
  .prefault({});

export type DetectConfig = z.infer<typeof DetectConfigSchema>;

export function detectConfig(config: Config): DetectConfig {
  return section(config, 'detect', DetectConfigSchema);
}
