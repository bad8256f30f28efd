import { z } from 'zod';
import { configPath, section, type Config } from '../store/config.js';
import { dataPath } from '../store/paths.js';
import { CAUSE_TAGS } from './lexicon.js';

/** Config section `tag`. Paths resolve against the config file's folder. */
export const TagConfigSchema = z.strictObject({
  /** Replacement lexicon (same format as data/root_causes.json). */
  lexicon: z.string().optional(),
  /** Replacement labelled sample (JSON Lines, as data/labelled/root_causes.jsonl). */
  labelled: z.string().optional(),
  /** Replacement negative list (as data/scope_rules.json). */
  scopeRules: z.string().optional(),
  /** An order gets every tag whose confidence reaches this (else 其他). */
  threshold: z.number().gt(0).lt(1).default(0.5),
  /** Per-tag thresholds overriding `threshold`. */
  thresholds: z
    .record(z.string(), z.number().gt(0).lt(1))
    .refine((r) => Object.keys(r).every((k) => (CAUSE_TAGS as readonly string[]).includes(k)), {
      message: `keys must be among ${CAUSE_TAGS.join(', ')}`,
    })
    .default({}),
  /**
   * Lexicon score at which a complaint gets a cause on the lexicon alone, whatever the model says (per tag; merged
   * over SHIPPED_LEXICON_ALONE). On long real messages explicit cue phrases are more reliable than the text model.
   */
  lexiconAlone: z
    .record(z.string(), z.number().positive())
    .refine((r) => Object.keys(r).every((k) => (CAUSE_TAGS as readonly string[]).includes(k)), {
      message: `keys must be among ${CAUSE_TAGS.join(', ')}`,
    })
    .default({}),
  /**
   * A calibration fitted on the city's own hand-labelled orders (`weisu tag calibrate`): per-tag probability weights
   * and thresholds replacing those fitted on the labelled sample; thresholds given here in `thresholds` still win.
   */
  calibration: z.string().optional(),
  /** A later order within this many days of an earlier one from the same caller or place is a repeat. */
  repeatWindowDays: z.number().int().min(1).max(365).default(30),
  /** Coordinates rounded to this many decimals count as the same place (3 ≈ 100 m). */
  coordDecimals: z.number().int().min(2).max(6).default(3),
  /** Caller repeats need the same level-2 category too (a caller asking about something else is not repeating). */
  callerSameCategory: z.boolean().default(true),
  /** Probability each structural signal alone gives its tag (joined to the text evidence by noisy-OR). */
  structure: z
    .strictObject({
      /** dispatch_count ≥ 2, or several departments in `dept` → 权责交叉. */
      redispatch: z.number().min(0).max(1).default(0.6),
      /** reopened (重办) → 服务落实不到位. */
      reopened: z.number().min(0).max(1).default(0.6),
      /** a repeat of an order that was already closed → 服务落实不到位. */
      repeatAfterClose: z.number().min(0).max(1).default(0.55),
    })
    .prefault({}),
  /**
   * Factor on the text evidence of an order that reads as a question, suggestion or praise rather than a complaint
   * (a consultation has no root cause; 0 abstains always, 1 ignores the speech act).
   */
  nonComplaint: z.number().min(0).max(1).default(0.2),
  /**
   * Words and word pairs beside the character pairs: jieba (with data/jieba_domain.txt) finds the words of the
   * training texts and new text is cut by forward maximum matching over them. Off by default: on the real
   * held-out messages they changed macro-F1 by ±0.01 and cost a third of the scoring speed (docs/tag.md).
   */
  words: z.boolean().default(false),
  /**
   * Which text model: 'team' trains one at run time on the labelled sample (the team's own texts; `labelled`);
   * 'real' uses the shipped data/tag/real_model.json, trained by `weisu tag train` on hand-labelled real messages
   * plus the team's texts (docs/tag.md); any other value is the path of a file `weisu tag train` wrote.
   */
  textModel: z.string().min(1).default('real'),
  /**
   * With a trained text model: emit a cause only at a threshold that reached precision 0.7 on out-of-fold
   * predictions by source, and never a cause that did not (true); or use the thresholds with the best F1 (false).
   */
  abstain: z.boolean().default(true),
  /**
   * Out-of-domain rule: when less than this share of a text's character pairs are features of the text model (seen
   * in enough of its training texts), the model's word evidence is set aside and only the cue phrases and the
   * speech act count (0 turns the rule off). A car-fault title is mostly words no city-service letter has; the few
   * it shares (发动机) carry weights learned in another sense.
   */
  minKnownShare: z.number().min(0).max(1).default(0.3),
  /** Orders scored per batch. */
  batchSize: z.number().int().min(100).default(50_000),
});

export type TagConfig = z.infer<typeof TagConfigSchema>;

/**
 * Per-tag thresholds used unless a calibration file (`tag.calibration`) brings its own; `tag.thresholds` wins over
 * both. Chosen on two of the three hand-labelled real sources (wz-s3, wz-s4; docs/tag.md) for precision: the text
 * model learns from the team's own short texts and is over-confident on long real messages, so a cause needs more
 * than an even chance before it is emitted. 监管缺位 reads well at the even default.
 */
/**
 * Lexicon scores at which a complaint gets a cause on its cue phrases alone. Each was kept only where it raised
 * that cause's F1 on the two tuning sources (wz-s3, wz-s4; docs/tag.md), at the score that did best there.
 */
export const SHIPPED_LEXICON_ALONE: Readonly<Record<string, number>> = {
  权责交叉: 5,
  政策漏洞: 5,
  基础设施短板: 6,
  监管缺位: 3,
  服务落实不到位: 3,
};

export const SHIPPED_THRESHOLDS: Readonly<Record<string, number>> = {
  权责交叉: 0.95,
  政策漏洞: 0.97,
  基础设施短板: 0.8,
  服务落实不到位: 0.9,
};

export interface TagFiles {
  lexicon: string;
  labelled: string;
  scopeRules: string;
  /** null: no real-data calibration. */
  calibration: string | null;
  /** A trained text model file (tag.textModel), or null: train on the labelled sample. */
  textModel: string | null;
}

/** The shipped model trained on hand-labelled real messages (tag.textModel: 'real'). */
export const REAL_TEXT_MODEL = 'tag/real_model.json';

export function tagConfig(config: Config): TagConfig {
  return section(config, 'tag', TagConfigSchema);
}

export function tagFiles(config: Config, tc: TagConfig): TagFiles {
  return {
    lexicon: tc.lexicon ? configPath(config, tc.lexicon) : dataPath('root_causes.json'),
    labelled: tc.labelled ? configPath(config, tc.labelled) : dataPath('labelled/root_causes.jsonl'),
    scopeRules: tc.scopeRules ? configPath(config, tc.scopeRules) : dataPath('scope_rules.json'),
    calibration: tc.calibration ? configPath(config, tc.calibration) : null,
    textModel:
      tc.textModel === 'team'
        ? null
        : tc.textModel === 'real'
          ? dataPath(REAL_TEXT_MODEL)
          : configPath(config, tc.textModel),
  };
}
