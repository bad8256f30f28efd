import { ingestSettings } from '../ingest/config.js';
import { resolveWindow } from '../ingest/dates.js';
import type { Stage, StageCounts } from '../store/stage.js';
import { UserError } from '../store/errors.js';
import { sql } from '../store/sql.js';

interface FutureDated {
  rows: number;
  example: string | null;
}

/**
 * The drop folder's ingest, failing the night when more than half of the rows in its new files were quarantined as
 * created after ingest's plausible window (the day after today). That is what a machine clock set behind the
 * exports looks like, and those files would otherwise be recorded as ingested and never read again once the clock
 * is right: their orders would stay in quarantine. Failing inside the stage's transaction loads and records
 * nothing, names the cause in one line, turns `health` red, and the next run after the fix reads the files anew.
 * A few future-dated rows among many stay ordinary quarantine. The rows are found by the quarantine's reason code,
 * so rewording or translating the reason text changes nothing here; the window's end is the one ingest used (its
 * config, the run's day and as-of: resolveWindow).
 */
export function withClockGuard(ingest: Stage): Stage {
  return {
    name: ingest.name,
    description: ingest.description,
    async run(ctx): Promise<StageCounts> {
      const after = (await ctx.store.value<number>('SELECT coalesce(max(batch_seq), 0) FROM ingested_files')) ?? 0;
      const counts = await ingest.run(ctx);
      const read = Number(counts.read ?? 0);
      if (read === 0) return counts;
      const f = await ctx.store.one<FutureDated>(sql('pipeline/future_dated.sql'), { after });
      if (f && f.rows * 2 > read) {
        const windowTo = resolveWindow(ingestSettings(ctx.config).dateWindow, new Date(), ctx.asOf).to;
        throw new UserError(
          `新文件的 ${read} 行中有 ${f.rows} 行受理时间晚于 ${windowTo}（首个：${f.example}）：` +
            '本机时钟是否慢了？本次未载入任何数据，下次运行会重新读取这些文件',
        );
      }
      return counts;
    },
  };
}
