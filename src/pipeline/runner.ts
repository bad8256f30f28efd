import type { Store } from '../store/db.js';
import type { Config } from '../store/config.js';
import type { Logger } from '../store/log.js';
import { finishRun, finishStage, newRunId, startRun, startStage } from '../store/runs.js';
import type { StageContext, StageCounts } from '../store/stage.js';
import type { Pipeline } from './types.js';

export interface RunOptions {
  asOf: string;
  config: Config;
  log: Logger;
  outDir: string;
  progress?: StageContext['progress'];
  signal?: AbortSignal;
  /** Called when a stage starts and ends, for the CLI's running commentary. */
  onStage?: (event: { stage: string; phase: 'start' | 'end'; counts?: StageCounts; ms?: number }) => void;
}

export interface RunResult {
  runId: string;
  pipeline: string;
  asOf: string;
  status: 'ok' | 'failed' | 'interrupted';
  counts: Record<string, StageCounts>;
  ms: number;
  error?: string;
}

/**
 * Run a pipeline's stages in order. Each stage runs inside one transaction, so a crash or kill mid-stage leaves
 * the store as it was before that stage; the stages before it stay committed and, being idempotent, a re-run
 * simply redoes the rest.
 */
export async function runPipeline(store: Store, pipeline: Pipeline, opts: RunOptions): Promise<RunResult> {
  const runId = newRunId(pipeline.name, opts.asOf);
  const log = opts.log.child({ run_id: runId, pipeline: pipeline.name, as_of: opts.asOf });
  const t0 = Date.now();
  await startRun(store, runId, pipeline.name, opts.asOf);
  log.info({ event: 'run_start', stages: pipeline.stages.map((s) => s.name) }, `run ${pipeline.name} as of ${opts.asOf}`);
  const counts: Record<string, StageCounts> = {};
  for (const stage of pipeline.stages) {
    if (opts.signal?.aborted) {
      await finishRun(store, runId, 'interrupted', counts, 'stopped before stage ' + stage.name);
      return { runId, pipeline: pipeline.name, asOf: opts.asOf, status: 'interrupted', counts, ms: Date.now() - t0 };
    }
    const ctx: StageContext = {
      store,
      asOf: opts.asOf,
      runId,
      log: log.child({ stage: stage.name }),
      config: opts.config,
      outDir: opts.outDir,
      progress: opts.progress ?? (() => {}),
      signal: opts.signal,
    };
    const s0 = Date.now();
    opts.onStage?.({ stage: stage.name, phase: 'start' });
    await startStage(store, runId, stage.name);
    try {
      const c = await store.tx(() => stage.run(ctx));
      counts[stage.name] = c;
      const ms = Date.now() - s0;
      await finishStage(store, runId, stage.name, 'ok', { ...c, ms });
      ctx.log.info({ event: 'stage_end', counts: c, ms }, `stage ${stage.name} done`);
      opts.onStage?.({ stage: stage.name, phase: 'end', counts: c, ms });
    } catch (err) {
      const message = (err as Error).message;
      await finishStage(store, runId, stage.name, 'failed', {}, message);
      await finishRun(store, runId, 'failed', counts, `${stage.name}: ${message}`);
      log.error({ event: 'run_failed', stage: stage.name, err }, `stage ${stage.name} failed`);
      return { runId, pipeline: pipeline.name, asOf: opts.asOf, status: 'failed', counts, ms: Date.now() - t0, error: `${stage.name}: ${message}` };
    }
  }
  await finishRun(store, runId, 'ok', counts);
  const ms = Date.now() - t0;
  log.info({ event: 'run_end', ms }, `run ${pipeline.name} ok`);
  return { runId, pipeline: pipeline.name, asOf: opts.asOf, status: 'ok', counts, ms };
}
