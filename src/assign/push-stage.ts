import type { Stage } from '../store/stage.js';
import { assignConfig } from './config.js';
import { generateItems } from './generate.js';
import { pushAll } from './push.js';
import { pageLinker } from './page/config.js';

/**
 * Nightly: turn the night's hotspots into items (topic items come from the monthly run) and push every recipient
 * the open items it has not yet received. A webhook that is down is recorded and retried next night; it does not
 * fail the run.
 */
export const pushStage: Stage = {
  name: 'push',
  description: 'push each recipient its own items through the configured webhooks',
  async run(ctx) {
    const counts = await generateItems(ctx, { topics: false, hotspots: true });
    const cfg = assignConfig(ctx.config);
    const reports = await pushAll(ctx.store, cfg, {
      asOf: ctx.asOf,
      now: `${ctx.asOf} 00:00:00`,
      dryRun: false,
      onlyNew: true,
      runId: ctx.runId,
      log: ctx.log,
      link: pageLinker(ctx.config),
    });
    counts.pushed_items = reports.reduce((s, r) => s + r.delivered, 0);
    counts.messages_sent = reports.reduce((s, r) => s + r.sent, 0);
    counts.messages_failed = reports.reduce((s, r) => s + r.failed, 0);
    return counts;
  },
};
