import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../store/errors.js';
import { sql } from '../../store/sql.js';
import { tagConfig, tagFiles, type TagConfig, type TagFiles } from '../../tag/config.js';
import { fitRealCalibration } from '../../tag/calibrate.js';
import { evaluate, formatEvaluation } from '../../tag/evaluate.js';
import { loadLabelled } from '../../tag/labelled.js';
import { formatRealEvaluation, loadRealMessages, scoreReal, sourceLabel } from '../../tag/real-eval.js';
import { storedTagger } from '../../tag/stage.js';
import { loadTaggerInputs, type OrderEvidence, type Tagger } from '../../tag/tagger.js';
import { withStore, type CliEnv } from '../env.js';
import { CAUSE_TAGS, LexiconScorer, loadLexicon } from '../../tag/lexicon.js';
import { defaultLinearTrainOptions, heldOutBySource, thresholdRecord, trainLinear } from '../../tag/linear-train.js';
import { writeTextModelFile } from '../../tag/linear-file.js';
import { textOrder } from '../../tag/text-order.js';
import { maskPersonal } from '../../store/mask.js';

/**
 * `weisu tag explain` shows why an order (or a piece of text) gets its root-cause tags — what a data team needs
 * when it edits the lexicon; `weisu tag eval` scores the configured lexicon and sample on the held-out part, and on
 * hand-labelled real messages when given.
 */
export function register(program: Command): void {
  const tag = program.command('tag').description('根因标签：解释一件工单的标签，评估词表和模型');
  registerExplain(tag);
  registerEval(tag);
  registerCalibrate(tag);
  registerTrain(tag);
}

function registerTrain(tag: Command): void {
  tag
    .command('train')
    .description('用人工标注的真实留言和标注样本训练文本模型（只存权重，不存文本）')
    .requiredOption(
      '--real-texts <files>',
      '真实留言（JSON / JSON Lines，字段 id、source、title、detail；多个文件用逗号分隔）',
    )
    .requiredOption('--real-labels <files>', '留言的标注（每行 id、act、causes；见 docs/tag.md；多个文件用逗号分隔）')
    .option('--sources <list>', '只用这些来源训练（逗号分隔），其余留作评估')
    .option('--team-share <x>', '标注样本文本的总权重占真实留言的比例', '0.2')
    .option('--min-precision <p>', '只有在交叉验证准确率达到此值的阈值上才打出该根因', '0.7')
    .requiredOption('--out <file>', '模型写到哪里（再把配置 tag.textModel 指向它）')
    .action(async (opts: TrainCliOptions, cmd: Command) => {
      await withStore(cmd, async (env) => {
        const doc = trainTextModel(env, opts);
        if (env.json) env.emit(doc);
        else env.say(`已写出 ${opts.out}：${doc.trainedOn}；阈值 ${JSON.stringify(doc.thresholds)}`);
      });
    });
}

interface TrainCliOptions {
  realTexts: string;
  realLabels: string;
  sources?: string;
  teamShare: string;
  minPrecision: string;
  out: string;
}

function trainTextModel(env: CliEnv, opts: TrainCliOptions) {
  const cfg = tagConfig(env.config);
  const files = tagFiles(env.config, cfg);
  const wanted = opts.sources?.split(',').map((x) => x.trim());
  const messages = loadRealMessages(opts.realTexts, opts.realLabels).filter(
    (m) => !wanted || wanted.includes(m.source),
  );
  if (!messages.length) throw new UserError(`tag train：没有${wanted ? `来自 ${opts.sources} 的` : ''}已标注留言`);
  const team = loadLabelled(files.labelled).orders.filter((o) => o.split === 'train');
  const lexicon = new LexiconScorer(loadLexicon(files.lexicon), CAUSE_TAGS);
  const options = {
    ...defaultLinearTrainOptions,
    teamShare: Number(opts.teamShare),
    minPrecision: Number(opts.minPrecision),
  };
  const examples = [
    ...messages.map((m) => ({ source: m.source, text: m.text, tags: m.tags })),
    ...team.map((o) => ({ source: 'team', text: o.content, tags: o.tags })),
  ];
  const tr = trainLinear(examples, lexicon, cfg, options);
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.source, (counts.get(m.source) ?? 0) + 1);
  const oof = (ch: typeof tr.strict) =>
    Object.fromEntries(
      CAUSE_TAGS.map((t, i) => [
        t,
        { precision: round3(ch[i].precision), recall: round3(ch[i].recall), f1: round3(ch[i].f1) },
      ]),
    );
  const doc = {
    note: 'Weights of the root-cause text model (numbers, feature keys, the model words; no message text), trained by weisu tag train.',
    sources: [...counts.keys()].sort(),
    trainedOn: `${messages.length} labelled messages (${[...counts].map(([s, n]) => `${s} ${n}`).join(', ')}) + ${team.length} of the labelled sample at share ${options.teamShare}`,
    options,
    outOfFold: { thresholds: oof(tr.strict), thresholdsBestF1: oof(tr.bestF1) },
    thresholds: thresholdRecord(tr.strict),
  };
  writeTextModelFile(opts.out, tr.evidence, doc.thresholds, thresholdRecord(tr.bestF1), doc);
  return doc;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function registerCalibrate(tag: Command): void {
  tag
    .command('calibrate')
    .description('在人工标注的真实工单上拟合每个标签的概率和阈值（只存数字，不存文本）')
    .requiredOption('--real-texts <file>', '真实留言（JSON / JSON Lines，字段 id、source、title、detail）')
    .requiredOption('--real-labels <file>', '留言的标注（每行 id、act、causes；见 docs/tag.md）')
    .option('--sources <list>', '只用这些来源拟合（逗号分隔），其余留作评估')
    .option('--min-precision <p>', '每个标签的阈值：达到此准确率的最低值', '0.7')
    .requiredOption('--out <file>', '校准结果写到哪里（再把配置 tag.calibration 指向它）')
    .action(
      async (
        opts: { realTexts: string; realLabels: string; sources?: string; minPrecision: string; out: string },
        cmd: Command,
      ) => {
        await withStore(cmd, async (env) => {
          const cfg = tagConfig(env.config);
          // fit from the sample-trained model: margins and lexicon scores do not depend on any calibration
          // the team-text model's probability layer is what a calibration refits (tag.textModel 'team')
          const inputs = loadTaggerInputs({ ...tagFiles(env.config, cfg), calibration: null, textModel: null }, cfg);
          const tagger = await env.store.tx(() => storedTagger(env.store, inputs));
          const wanted = opts.sources?.split(',').map((x) => x.trim());
          const messages = loadRealMessages(opts.realTexts, opts.realLabels).filter(
            (m) => !wanted || wanted.includes(m.source),
          );
          if (!messages.length) throw new UserError(`tag calibrate：没有来自 ${opts.sources} 的已标注留言`);
          const fit = fitRealCalibration(tagger, messages, Number(opts.minPrecision));
          const sources = [...new Set(messages.map((m) => m.source))].sort().join(', ');
          const doc = {
            note: 'Per-tag p = σ(a·margin + b·log(1+lexicon) + c) and thresholds, fitted by weisu tag calibrate on hand-labelled real orders; numbers only.',
            fittedOn: `${messages.length} labelled messages from ${sources}`,
            ...fit,
          };
          writeFileSync(opts.out, JSON.stringify(doc, null, 2) + '\n');
          if (env.json) env.emit(doc);
          else env.say(`已写出 ${opts.out}：拟合自 ${doc.fittedOn}；阈值 ${JSON.stringify(fit.thresholds)}`);
        });
      },
    );
}

function registerExplain(tag: Command): void {
  tag
    .command('explain')
    .description('显示一件已存工单（或 --text 文本）的标签依据')
    .argument('[order_id]', '库中的工单编号')
    .option('--text <content>', '解释这段文本，而不是库中的工单')
    .action(async (orderId: string | undefined, opts: { text?: string }, cmd: Command) => {
      if (!orderId && !opts.text) throw new UserError('tag explain：请给出工单编号或 --text');
      await withStore(cmd, async (env) => {
        const cfg = tagConfig(env.config);
        const inputs = loadTaggerInputs(tagFiles(env.config, cfg), cfg);
        // a pasted text is masked as ingest masks a stored order: the model explains the text it would see, and no
        // phone or ID number is printed back
        const { o, flags } = orderId
          ? await storedOrder(env, orderId)
          : { o: textOrder(maskPersonal(opts.text ?? '')), flags: undefined };
        const tagger = await env.store.tx(() => storedTagger(env.store, inputs));
        printExplain(env, tagger, o, orderId, flags);
      });
    });
}

interface OrderFlags {
  is_repeat: boolean | null;
  repeat_kind: string | null;
  repeat_of: string | null;
  scope_rule: string | null;
}

async function storedOrder(env: CliEnv, orderId: string): Promise<{ o: OrderEvidence; flags: OrderFlags }> {
  const row = await env.store.one<
    OrderFlags & {
      content: string;
      category: string;
      dispatch_count: number | null;
      reopened: boolean | null;
      dept: string | null;
      after_close: boolean | null;
    }
  >(sql('tag/explain_order.sql'), { id: orderId });
  if (!row) throw new UserError(`tag explain：数据库 ${env.dbPath} 中没有工单 '${orderId}'`);
  const o: OrderEvidence = {
    content: row.content,
    category: row.category,
    dispatchCount: row.dispatch_count,
    reopened: row.reopened,
    dept: row.dept,
    repeatAfterClose: row.after_close === true,
  };
  const { is_repeat, repeat_kind, repeat_of, scope_rule } = row;
  return { o, flags: { is_repeat, repeat_kind, repeat_of, scope_rule } };
}

const ACT_NAMES: Record<string, string> = {
  complaint: '投诉/反映',
  question: '咨询/提问',
  suggestion: '建议',
  praise: '表扬',
};

function printExplain(
  env: CliEnv,
  tagger: Tagger,
  o: OrderEvidence,
  orderId: string | undefined,
  flags: OrderFlags | undefined,
): void {
  const evidence = tagger.explain(o);
  const tags = tagger.tag(o);
  const known = tagger.knownShare;
  const floor = tagger.cfg.minKnownShare;
  const scope = tagger.scope.match(o.category, o.content);
  const act = tagger.speechActOf(o);
  if (env.json) {
    env.emit({
      order_id: orderId ?? null,
      content: o.content,
      tags,
      scope_rule: scope,
      flags: flags ?? null,
      act,
      known_share: known,
      evidence,
    });
    return;
  }
  env.say(`${orderId ?? '文本'}：${o.content}`);
  env.say(
    `标签：${tags.map((t) => `${t.tag} ${t.confidence.toFixed(2)}（${t.sources}）`).join('，')}${scope ? `   不属治理范围：${scope}` : ''}`,
  );
  env.say(
    `判为${ACT_NAMES[act.act]}${act.act === 'complaint' ? '' : '（依据不强时不打根因）'}：线索 ${act.cues.join(' ') || '—'}`,
  );
  env.say(
    `模型熟悉的字对占 ${(100 * known).toFixed(0)}%${known < floor ? `，不到 ${(100 * floor).toFixed(0)}%：这段文字不像模型学过的诉求，模型的词语只能压低、不能抬高根因，根因只看词表和语气` : ''}`,
  );
  if (flags?.is_repeat)
    env.say(
      `重复诉求（${String(flags.repeat_kind)}），与 ${String(flags.repeat_of)} 相同${o.repeatAfterClose ? '，在其办结之后' : ''}`,
    );
  for (const e of evidence) {
    env.say(
      `  ${e.tag.padEnd(8, '　')} p=${e.confidence.toFixed(3)} (${Number.isFinite(e.threshold) ? `≥ ${e.threshold}` : '不输出: 此原因未达到精确率要求'})  模型得分 ${e.margin.toFixed(2)}  词表得分 ${e.lexiconScore}${e.lexicon.length ? ' [' + e.lexicon.join(' ') + ']' : ''}`,
    );
    env.say(
      `           最强的特征：${e.features.map((f) => `${f.feature}${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(1)}`).join(' ')}`,
    );
  }
}

function registerEval(tag: Command): void {
  tag
    .command('eval')
    .description('每个标签在留出的标注样本上（给出时也在人工标注的真实留言上）的准确率、召回率和 F1')
    .option(
      '--real-texts <file>',
      '真实留言（JSON / JSON Lines，字段 id、source、title、detail）；或环境变量 WEISU_TAG_REAL_TEXTS',
    )
    .option(
      '--real-labels <file>',
      '留言的标注（每行 id、act、causes；见 docs/tag.md）；或环境变量 WEISU_TAG_REAL_LABELS',
    )
    .option('--held-out', '另对每个来源：不用它训练真实留言模型，再在它上面打分（需数分钟；至少 2 个来源）')
    .action(async (opts: { realTexts?: string; realLabels?: string; heldOut?: boolean }, cmd: Command) => {
      await withStore(cmd, async (env) => {
        const cfg = tagConfig(env.config);
        const files = tagFiles(env.config, cfg);
        const inputs = loadTaggerInputs(files, cfg);
        const tagger = await env.store.tx(() => storedTagger(env.store, inputs));
        const test = loadLabelled(files.labelled).orders.filter((o) => o.split === 'test');
        if (test.length === 0) throw new UserError(`标注样本 ${files.labelled}：没有 split 为 "test" 的工单`);
        const ev = evaluate(tagger, test);
        const textsFile = opts.realTexts ?? process.env.WEISU_TAG_REAL_TEXTS;
        const labelsFile = opts.realLabels ?? process.env.WEISU_TAG_REAL_LABELS;
        const real = textsFile && labelsFile ? realBySource(tagger, textsFile, labelsFile) : [];
        const heldOut =
          opts.heldOut && textsFile && labelsFile ? realHeldOut(cfg, files, textsFile, labelsFile) : undefined;
        if (env.json) {
          env.emit({ labelled: files.labelled, lexicon: files.lexicon, ...ev, real, heldOut });
          return;
        }
        for (const line of formatEvaluation(ev)) env.say(line);
        if (!real.length) env.say('真实留言：给出 --real-texts 和 --real-labels 即可在人工标注的真实留言上打分');
        const seen = inputs.textModel?.sources ?? [];
        for (const r of real) {
          const note =
            seen.includes(r.source) || (r.source === 'all' && seen.length)
              ? '（文本模型训练时用过：不是留出评估的数字）'
              : '';
          for (const line of formatRealEvaluation(`真实留言，${sourceLabel(r.source)}${note}`, r)) env.say(line);
        }
        if (seen.length && real.length && !heldOut)
          env.say(`文本模型用 ${seen.join(', ')} 训练过；要按来源留出评估，请加 --held-out`);
        for (const r of heldOut ?? [])
          for (const line of formatRealEvaluation(`真实留言，${sourceLabel(r.source)}，留出评估（用其余来源训练）`, r))
            env.say(line);
      });
    });
}

/**
 * The real-message model trained once per source without it (plus the labelled sample), scored on that source at
 * the thresholds tag.abstain selects; then all held-out predictions pooled.
 */
function realHeldOut(cfg: TagConfig, files: TagFiles, textsFile: string, labelsFile: string) {
  const messages = loadRealMessages(textsFile, labelsFile);
  if (new Set(messages.map((m) => m.source)).size < 2)
    throw new UserError(`tag eval --held-out：${labelsFile} 只有一个来源；留出一个来源评估至少需要两个`);
  const team = loadLabelled(files.labelled)
    .orders.filter((o) => o.split === 'train')
    .map((o) => ({ source: 'team', text: o.content, tags: o.tags }));
  const lexicon = new LexiconScorer(loadLexicon(files.lexicon), CAUSE_TAGS);
  const held = heldOutBySource(messages, team, lexicon, cfg);
  const pick = (h: (typeof held)[number]) => (cfg.abstain ? h.strict : h.bestF1);
  const rows = held.map((h) => ({ source: h.source, ...scoreReal(h.messages, pick(h)) }));
  const all = scoreReal(
    held.flatMap((h) => h.messages),
    held.flatMap(pick),
  );
  return [...rows, { source: 'all (pooled)', ...all }];
}

/** The tagger scored on each source of hand-labelled real messages, then on all of them. */
function realBySource(tagger: Tagger, textsFile: string, labelsFile: string) {
  const messages = loadRealMessages(textsFile, labelsFile);
  const predict = (ms: typeof messages) => ms.map((m) => new Set(tagger.tag(textOrder(m.text)).map((r) => r.tag)));
  const sources = [...new Set(messages.map((m) => m.source))].sort();
  return [...sources, 'all'].map((source) => {
    const ms = source === 'all' ? messages : messages.filter((m) => m.source === source);
    return { source, ...scoreReal(ms, predict(ms)) };
  });
}
