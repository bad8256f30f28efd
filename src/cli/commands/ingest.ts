import { basename } from 'node:path';
import type { Command } from 'commander';
import { withStore } from '../env.js';
import { ingestSettings } from '../../ingest/config.js';
import { ingestFiles } from '../../ingest/index.js';
import { sql } from '../../store/sql.js';

interface IngestCliOptions {
  mapping?: string;
  strict?: boolean;
  reload?: boolean;
  newSalt?: boolean;
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('把导出的工单文件（CSV、XLSX、Parquet、JSON Lines、Arrow IPC，或装着它们的文件夹）读入数据库')
    .argument('<files...>', '文件或文件夹（文件夹逐层读取，例如按 year=/month= 分区的 Parquet 导出）')
    .option('--mapping <file>', '表头映射（JSON 文件，或预设名称如 12345-zh）；默认自动识别')
    .option('--strict', '有任何一行被隔离就失败（退出码 3），该文件一行也不读入')
    .option('--reload', '即使内容读入过也重新读取（例如改好映射之后）；有变化的工单会被更新')
    .option('--new-salt', '接受与数据库不同的盐值（前后的重复来电人将对不上）')
    .action(async (files: string[], opts: IngestCliOptions, cmd: Command) => {
      await withStore(cmd, async (env) => {
        const cfg = ingestSettings(env.config);
        const s = await ingestFiles(env.store, files, {
          mapping: opts.mapping,
          dateWindow: cfg.dateWindow,
          timezone: cfg.timezone,
          limits: cfg.limits,
          newSalt: opts.newSalt,
          strict: opts.strict,
          reload: opts.reload,
          salt: env.salt(),
          log: env.log,
          progress: env.progress,
        });
        if (env.json) {
          env.emit(s);
        } else {
          for (const f of s.files) {
            const note = f.skipped ? '（此前已读入，跳过）' : !f.committed ? '（未入库：--strict 下有不合格行）' : '';
            env.say(
              `  ${f.path}：${f.format}${f.encoding ? '/' + f.encoding : ''} 读取 ${f.read} 行，新增 ${f.loaded}，更新 ${f.updated}，未变 ${f.unchanged}，隔离 ${f.quarantined}${note}`,
            );
            for (const w of f.warnings ?? []) env.say(`    提示：${w}`);
            if (f.set_aside) env.say(`    整个文件未读入：${f.set_aside}`);
            if (f.date_outliers)
              env.say(
                `    零散日期：${f.date_outliers.rows} 件工单在 ${f.date_outliers.months.map((m) => `${m.month}（${m.rows}件）`).join('、')}，不在连续有数据的 ${f.date_outliers.sustained_from} … ${f.date_outliers.sustained_to} 之内`,
              );
          }
          env.say(
            `读入合计：读取 ${s.read} 行，新增 ${s.loaded}，更新 ${s.updated}，未变 ${s.unchanged}，隔离 ${s.quarantined}`,
          );
          if (s.quarantined > 0)
            env.say(
              `  隔离行的文件、行号与原因：SELECT file, line, field, reason FROM quarantine ORDER BY batch_seq DESC, line`,
            );
        }
        // a file refused whole: one line each on stderr, and a non-zero exit once the others have loaded
        for (const f of s.set_aside) process.stderr.write(`weisu: ${f.reason}（整个文件未读入）\n`);
        if (s.set_aside.length) process.exitCode = 2;
        if (opts.strict && s.strict_failed) {
          const bad = s.files.filter((f) => !f.committed);
          // the first rejected row, so the one line says where to look (file, line, field, reason)
          const first = await env.store.one<{
            file: string;
            line: number | null;
            field: string | null;
            reason: string;
          }>(sql('ingest/first_quarantined.sql'), { f: bad[0].path });
          const where = first
            ? `；第一处：${basename(first.file)}:${first.line ?? '?'}${first.field ? ` ${first.field}` : ''}: ${first.reason}`
            : '';
          process.stderr.write(
            `weisu: --strict：${bad.map((f) => f.path).join('、')} 中有 ${bad.reduce((n, f) => n + f.quarantined, 0)} 行被隔离，未读入任何工单${where}\n`,
          );
          process.exitCode = 3;
        }
      });
    });
}
