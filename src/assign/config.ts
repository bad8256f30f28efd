import { z } from 'zod';
import { section, type Config } from '../store/config.js';
import { UserError } from '../store/errors.js';
import { recipientToken } from './recipients.js';

/** The closed-loop status flow (交办 → 排查 → 整改 → 办结 → 核验). */
export const STATUSES = ['交办', '排查', '整改', '办结', '核验'] as const;
export type Status = (typeof STATUSES)[number];

const WebhookSchema = z.object({
  type: z.enum(['json', 'wecom', 'dingtalk']),
  url: z.url(),
  /** DingTalk: the robot's 加签 secret (signs timestamp+secret into the URL). json: signs the body (X-Weisu-Signature). */
  secret: z.string().min(1).optional(),
});

export const RecipientSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]+$/, '只能用字母、数字和 _ . -'),
    name: z.string().min(1),
    kind: z.enum(['grid', 'street', 'district', 'unit']),
    grids: z.array(z.string()).default([]),
    /** Street names; 'district/street' when a name occurs in several districts. */
    streets: z.array(z.string()).default([]),
    districts: z.array(z.string()).default([]),
    units: z.array(z.string()).default([]),
    webhook: WebhookSchema.optional(),
    /** Bearer token for `weisu serve`: give it inline, through an environment variable, or as its sha256 hex. */
    token: z.string().min(16, 'token 至少 16 个字符').optional(),
    tokenEnv: z.string().optional(),
    tokenHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'tokenHash 应为 sha256 十六进制串')
      .optional(),
  })
  .strict();
export type RecipientConfig = z.infer<typeof RecipientSchema>;

/** Hours from assignment to deadline, or 'month_end' (the end of the topic's month: the 调度 deadline). */
const DeadlineSchema = z.union([z.number().positive(), z.literal('month_end')]);

const DEFAULT_FACILITY = [
  '城市管理/路灯照明',
  '城市管理/排水防涝',
  '城市管理/公厕管理',
  '交通运输/道路设施',
  '交通运输/交通信号',
  '公用事业/供水',
  '公用事业/供电',
  '公用事业/燃气',
  '城乡建设/供暖',
  '市场监管/特种设备',
];

/**
 * An item type for the categories a rule names (category-match.ts): by path (the category or one above it) or by
 * words in any level's name, any case and language, so a taxonomy nobody listed (a US 311 export's
 * `Street Light Condition`) still gets its type and deadline.
 */
const ItemTypeRuleSchema = z
  .strictObject({
    type: z.string().min(1),
    categories: z.array(z.string().min(1)).default([]),
    keywords: z.array(z.string().trim().min(1)).default([]),
  })
  .refine((r) => r.categories.length + r.keywords.length > 0, {
    message: '每条规则至少要给出 categories（分类路径）或 keywords（关键词）之一',
  });

export const AssignSchema = z
  .object({
    /** Deadline per item type. Hotspot items take the type of the first itemTypes rule matching their category. */
    deadlines: z.record(z.string(), DeadlineSchema).default({ facility: 24, general: 168, topic: 'month_end' }),
    itemTypes: z.array(ItemTypeRuleSchema).default([{ type: 'facility', categories: DEFAULT_FACILITY, keywords: [] }]),
    /** Share of the time to deadline after which an open item turns yellow (red once past the deadline). */
    yellowAt: z.number().gt(0).lt(1).default(0.75),
    /** 按时签收: an item must leave 交办 within this many hours. */
    ackHours: z.number().positive().default(24),
    /** 按时核验: 核验 within this many days after 办结. */
    verifyDays: z.number().positive().default(3),
    hotspot: z
      .object({
        kinds: z
          .array(z.enum(['hot', 'emerging', 'persistent', 'multi_category']))
          .default(['hot', 'emerging', 'persistent', 'multi_category']),
        minZ: z.number().default(1.96),
        minCount: z.number().int().min(1).default(3),
        /** The hotspot window when the hotspots table does not record it (older stores): evidence and typical orders. */
        windowDays: z.number().int().min(1).default(28),
        maxItems: z.number().int().min(1).default(200),
        /**
         * A cell that is only persistent (hot month after month, not above its own usual level now, not new) is
         * handed out again only this many days after its last item, or sooner when its orders grew clearly since the
         * window before (the two counts as Poisson counts, z > 2: sql/assign/hotspot_candidates.sql); 0 hands it out
         * every time.
         */
        persistentRepeatDays: z.number().int().min(0).default(90),
      })
      .prefault({}),
    topic: z
      .object({
        /** With no leadership selection for the month, assign the rank-1 candidate (marked as auto-selected). */
        autoSelect: z.boolean().default(true),
        /** A grid gets a topic item when it had at least this many orders of the category last month. */
        minGridOrders: z.number().int().min(1).default(3),
        minStreetOrders: z.number().int().min(1).default(5),
        maxGridItems: z.number().int().min(0).default(100),
      })
      .prefault({}),
    typicalOrders: z.number().int().min(0).max(10).default(3),
    recipients: z.array(RecipientSchema).default([]),
    /** Give every street and lead unit with items but no configured recipient an export-only list (id auto-…). */
    autoRecipients: z.boolean().default(true),
    push: z
      .object({
        /** Retries after the first attempt, on network errors, 5xx and 429. */
        retries: z.number().int().min(0).max(10).default(3),
        backoffMs: z.number().int().min(0).default(1000),
        timeoutMs: z.number().int().min(100).default(10_000),
        maxItemsPerMessage: z.number().int().min(1).default(20),
      })
      .prefault({}),
    effect: z
      .object({
        preWeeks: z.number().int().min(2).default(8),
        /** Weeks before the pre period that controls must also match (0: the pre period only); see did.ts. */
        historyWeeks: z.number().int().min(0).default(26),
        /** A measure needs at least this many orders in the treated units' pre period. */
        minPreOrders: z.number().int().min(1).default(5),
        /** A topic is measured once this share of its items is finished (its finished streets are the treated). */
        minFinishedShare: z.number().gt(0).max(1).default(0.8),
        minPostWeeks: z.number().int().min(1).default(3),
        maxPostWeeks: z.number().int().min(1).default(8),
        /** Control streets/cells: pre-period level within this factor of the treated unit's. */
        matchFactor: z.number().gt(1).default(2),
        maxControls: z.number().int().min(1).default(20),
        bootstrap: z.number().int().min(100).default(1000),
      })
      .prefault({}),
  })
  .strict();
export type AssignConfig = z.infer<typeof AssignSchema>;

export function assignConfig(config: Config): AssignConfig {
  const cfg = section(config, 'assign', AssignSchema);
  for (const t of ['general', 'topic', ...cfg.itemTypes.map((r) => r.type)]) {
    if (!(t in cfg.deadlines))
      throw new UserError(`配置 assign 部分：缺少 deadlines.${t}（事项类型 '${t}' 需要办理时限）`);
  }
  const ids = new Set<string>();
  for (const r of cfg.recipients) {
    if (ids.has(r.id)) throw new UserError(`配置 assign 部分：接收人编号 '${r.id}' 出现了两次`);
    ids.add(r.id);
    if (r.grids.length + r.streets.length + r.districts.length + r.units.length === 0)
      throw new UserError(
        `配置 assign 部分：接收人 '${r.id}' 没有负责范围（请给出 grids、streets、districts 或 units）`,
      );
  }
  refuseSharedTokens(cfg.recipients);
  return cfg;
}

/**
 * Two recipients with one token (a copy-pasted entry) would each see and change the other's items: refused at
 * load, naming both.
 */
export function refuseSharedTokens(recipients: RecipientConfig[], env: NodeJS.ProcessEnv = process.env): void {
  const owner = new Map<string, string>();
  for (const r of recipients) {
    const h = recipientToken(r, env).hash;
    if (!h) continue;
    const first = owner.get(h);
    if (first)
      throw new UserError(`配置 assign 部分：接收人 '${first}' 和 '${r.id}' 的令牌相同（每个接收人须有自己的令牌）`);
    owner.set(h, r.id);
  }
}
