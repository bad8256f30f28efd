import { existsSync } from 'node:fs';
import { configPath } from '../store/config.js';
import { UserError } from '../store/errors.js';
import { resolveSalt } from '../store/salt.js';
import type { Stage, StageCounts } from '../store/stage.js';
import { ingestSettings } from './config.js';
import { ingestFiles } from './index.js';

/**
 * Nightly: load every export file in the configured drop folder (`dropFolder`) that has not been ingested yet.
 * Files already loaded are recognised by content hash and skipped without being read again, so the folder can keep
 * its history. Runs inside the runner's transaction (store.tx nests), so a failure leaves nothing half-loaded. A file
 * that cannot be read (not a real workbook, over a limit, headers that do not fit) is set aside and recorded; the
 * others load and the nightly goes on.
 */
export const ingestDropStage: Stage = {
  name: 'ingest',
  description: 'load new export files from the drop folder',
  async run(ctx): Promise<StageCounts> {
    const cfg = ingestSettings(ctx.config);
    if (!ctx.config.dropFolder) {
      ctx.log.info({ event: 'ingest_no_drop_folder' }, 'no dropFolder configured: nothing to ingest');
      return { files: 0 };
    }
    const folder = configPath(ctx.config, ctx.config.dropFolder);
    if (!existsSync(folder)) throw new UserError(`配置 dropFolder 指向的文件夹不存在：${folder}`);
    const mapping =
      cfg.mapping && existsSync(configPath(ctx.config, cfg.mapping))
        ? configPath(ctx.config, cfg.mapping)
        : cfg.mapping;
    let s;
    try {
      s = await ingestFiles(ctx.store, [folder], {
        mapping,
        salt: resolveSalt(ctx.config, ctx.store.path),
        dateWindow: cfg.dateWindow,
        timezone: cfg.timezone,
        asOf: ctx.asOf,
        limits: cfg.limits,
        setAsideBadHeaders: true,
        settleMs: cfg.settleMs,
        log: ctx.log,
        progress: ctx.progress,
      });
    } catch (err) {
      // an empty drop folder is a quiet night, not an error
      if (err instanceof UserError && /no supported files/.test(err.message)) return { files: 0 };
      throw err;
    }
    return {
      files: s.files.filter((f) => !f.skipped).length,
      skipped: s.files.filter((f) => f.skipped).length,
      read: s.files.filter((f) => !f.skipped).reduce((n, f) => n + f.read, 0),
      loaded: s.loaded,
      updated: s.updated,
      // rows already in the store as they are: with them the line adds up (read = loaded + updated + unchanged +
      // quarantined), as `ingest --json` has it
      unchanged: s.files.filter((f) => !f.skipped).reduce((n, f) => n + f.unchanged, 0),
      quarantined: s.files.filter((f) => !f.skipped).reduce((n, f) => n + f.quarantined, 0),
      set_aside: s.set_aside.length,
      // files without rows (0 bytes or a header alone): loaded nothing, warned, and the night went on
      no_rows: s.files.filter((f) => !f.skipped && !f.set_aside && f.read === 0).length,
      date_outliers: s.date_outliers.reduce((n, f) => n + f.rows, 0),
      // modified in the last minutes (maybe still being written): left for the next night
      waiting: s.waiting?.length ?? 0,
    };
  },
};
