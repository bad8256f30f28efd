import type { Command } from 'commander';
import { forecastStage } from '../../forecast/stage.js';
import { hotspotStage } from '../../spatial/hotspot-stage.js';
import { parseMonth } from '../../store/dates.js';
import { UserError } from '../../store/errors.js';
import { sql } from '../../store/sql.js';
import { topicStage } from '../../topics/stage.js';
import { categoryLevelFinder, withCategoryLevels } from '../category-levels.js';
import { withStore, type CliEnv } from '../env.js';
import { runForCommand, unlessStored } from '../run-stages.js';

/** The stored candidates of a month in the CONTRACT §4 shape (plus extra fields). */
export interface TopicsDoc {
  month: string;
  as_of: string;
  candidates: {
    rank: number;
    category: string;
    level: number;
    score: number;
    reasons: string[];
    evidence: Record<string, unknown>;
    lead_unit: string | null;
    co_units: string[];
    components: Record<string, number>;
    /** The level names, exact where a name holds '/' (CONTRACT §4). */
    category_levels?: string[];
  }[];
  /** 备选 when fewer than two categories passed the bar, each with why it is weaker (src/topics/alternates.ts). */
  alternates: {
    rank: number;
    category: string;
    score: number;
    reasons: string[];
    weaker: string[];
    category_levels?: string[];
  }[];
  selected: { category: string; selected_at: string; selected_by: string | null }[];
  notes: string[];
}

interface StoredCandidate {
  rank: number;
  category: string;
  level: number;
  score: number;
  reasons: string;
  evidence: string;
  lead_unit: string | null;
  co_units: string | null;
  components: string | null;
}

export async function readTopics(env: Pick<CliEnv, 'store'>, month: string): Promise<TopicsDoc> {
  const rows = await env.store.all<StoredCandidate>(sql('topics/read_candidates.sql'), { month });
  const selected = await env.store.all<{ category: string; selected_at: string; selected_by: string | null }>(
    sql('topics/read_selections.sql'),
    { month },
  );
  const notes = await env.store.value<string | null>('SELECT notes::VARCHAR FROM topic_runs WHERE month = $month', {
    month,
  });
  const alternates = await env.store.all<{
    rank: number;
    category: string;
    score: number;
    reasons: string;
    weaker: string;
  }>(sql('topics/read_alternates.sql'), { month });
  const levels = await categoryLevelFinder(env.store);
  return {
    month,
    as_of: `${month}-01`,
    candidates: withCategoryLevels(
      rows.map((r) => ({
        rank: r.rank,
        category: r.category,
        level: r.level,
        score: r.score,
        reasons: JSON.parse(r.reasons) as string[],
        evidence: JSON.parse(r.evidence) as Record<string, unknown>,
        lead_unit: r.lead_unit,
        co_units: r.co_units ? (JSON.parse(r.co_units) as string[]) : [],
        components: r.components ? (JSON.parse(r.components) as Record<string, number>) : {},
      })),
      levels,
    ),
    alternates: withCategoryLevels(
      alternates.map((a) => ({
        ...a,
        reasons: JSON.parse(a.reasons) as string[],
        weaker: JSON.parse(a.weaker) as string[],
      })),
      levels,
    ),
    selected,
    notes: notes ? (JSON.parse(notes) as string[]) : [],
  };
}

/**
 * Bring the store up to date for month M and compute its topics: the per-order derivations, then forecasts and
 * hotspots for M's first day if none are stored for it (compute on demand), then the topic stage.
 */
export async function computeMonthTopics(env: CliEnv, month: string): Promise<{ doc: TopicsDoc }> {
  const asOf = `${month}-01`;
  const stages = [
    ...(await unlessStored(env, 'forecasts', asOf, forecastStage)),
    ...(await unlessStored(env, 'hotspots', asOf, hotspotStage)),
    topicStage,
  ];
  await runForCommand(env, 'topics', asOf, stages);
  const doc = await readTopics(env, month);
  return { doc };
}

function printHuman(env: CliEnv, doc: TopicsDoc): void {
  env.say(`${doc.month} 调度议题候选（基于 ${doc.as_of} 之前的工单）`);
  if (doc.candidates.length === 0) env.say('  （无符合条件的候选）');
  for (const c of doc.candidates) {
    env.say(
      `${c.rank}. ${c.category}  评分 ${c.score.toFixed(3)}  牵头：${c.lead_unit ?? '—'}  配合：${c.co_units.join('、') || '—'}`,
    );
    for (const r of c.reasons) env.say(`   · ${r}`);
  }
  for (const a of doc.alternates) {
    env.say(`${a.rank}. 备选 ${a.category}  评分 ${a.score.toFixed(3)}`);
    for (const r of [...a.reasons, ...a.weaker]) env.say(`   · ${r}`);
  }
  for (const n of doc.notes) env.say(`注：${n}`);
}

export function register(program: Command): void {
  const topics = program
    .command('topics')
    .description('本月调度选题候选（按该月第一天计算）')
    .option('--month <YYYY-MM>', '为哪个月提出选题')
    .option('--stored', '显示已存的候选，不重新计算')
    .action(async (opts: { month?: string; stored?: boolean }, cmd: Command) => {
      const month = parseMonth(opts.month);
      await withStore(cmd, async (env) => {
        const doc = opts.stored ? await readTopics(env, month) : (await computeMonthTopics(env, month)).doc;
        if (env.json) env.emit(doc);
        else printHuman(env, doc);
      });
    });

  topics
    .command('select')
    .description('记录领导选定的本月选题')
    // --month is also an option of `topics` itself, which commander fills first: read it from either level
    .option('--month <YYYY-MM>', '月份')
    .requiredOption('--category <path>', '选定的类别（本月候选之一）')
    .option('--by <name>', '选定人')
    .option('--note <text>', '备注')
    .option('--force', '接受不在候选中的类别')
    .action(
      async (opts: { month?: string; category: string; by?: string; note?: string; force?: boolean }, cmd: Command) => {
        const month = parseMonth(opts.month ?? (cmd.optsWithGlobals() as { month?: string }).month);
        const category = opts.category.trim();
        await withStore(cmd, async (env) => {
          const listed = await env.store.all<{ category: string; alternate: boolean }>(
            sql('topics/candidate_categories.sql'),
            { month },
          );
          const candidates = listed.filter((c) => !c.alternate);
          if (!opts.force && !listed.some((c) => c.category === category)) {
            const list = listed.map((c) => `${c.category}${c.alternate ? '（备选）' : ''}`).join(', ');
            throw new UserError(
              listed.length
                ? `--category '${category}' 不是 ${month} 的候选或备选（${list}）；如仍要记录，请加 --force`
                : `${month} 还没有议题候选：请先运行 weisu topics --month ${month}，或加 --force`,
            );
          }
          // --force lifts the candidate rule, not the need for a real category: a typo would otherwise be recorded
          // as the month's topic and the assign stage would silently make no items for it
          const known = await env.store.value<boolean>(sql('topics/category_known.sql'), { c: category });
          if (!known)
            throw new UserError(`--category '${category}'：库中没有任何工单属于这个类别（一级、二级或完整路径）`);
          await env.store.tx(() =>
            env.store.script(sql('topics/select_topic.sql'), {
              month,
              category,
              by: opts.by ?? null,
              note: opts.note ?? null,
            }),
          );
          const doc = {
            month,
            category,
            selected_by: opts.by ?? null,
            candidate: candidates.some((c) => c.category === category),
            alternate: listed.some((c) => c.alternate && c.category === category),
          };
          if (env.json) env.emit(doc);
          else env.say(`已记录：${month} 选题 ${category}${opts.by ? `（${opts.by} 选定）` : ''}`);
        });
      },
    );
}
