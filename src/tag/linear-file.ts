import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../store/errors.js';
import { CAUSE_TAGS } from './lexicon.js';
import { GATE_TAG, deserializeEvidence, serializeEvidence, type TextEvidence } from './tagger.js';

/**
 * A trained text model on file (`weisu tag train`; the shipped one is data/tag/real_model.json): the weights
 * (numbers, the model's words and the feature keys — no message text) and per-cause thresholds chosen on
 * out-of-fold predictions by source. `thresholds` are those reaching the training precision (a cause with null is
 * not emitted: it never reached it); `thresholdsBestF1` those with the best F1 (config tag.abstain: false).
 */
export interface TextModelFile {
  evidence: TextEvidence;
  thresholds: Record<string, number>;
  thresholdsBestF1: Record<string, number>;
  /** The sources of the real messages it was trained on (their figures in `tag eval` are not held out). */
  sources: string[];
  /** The raw file, for the model's fingerprint. */
  text: string;
}

const Thresholds = z.partialRecord(z.enum(CAUSE_TAGS), z.number().gt(0).lt(1).nullable());
const FileSchema = z.looseObject({
  version: z.literal(1),
  thresholds: Thresholds,
  thresholdsBestF1: Thresholds,
  sources: z.array(z.string()).default([]),
  evidence: z.looseObject({ tags: z.array(z.string()), keys: z.array(z.number()) }),
});

/** null (abstain) → Infinity: no confidence reaches it. */
const toNumbers = (r: Partial<Record<string, number | null>>): Record<string, number> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? Infinity]));

export function loadTextModelFile(file: string): TextModelFile {
  if (!existsSync(file)) throw new UserError(`找不到文本模型：${file}`);
  const text = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`文本模型 ${file}：不是有效的 JSON（${(err as Error).message}）`);
  }
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`文本模型 ${file} 字段 ${issue.path.join('.')}：${issue.message}`);
  }
  const d = parsed.data;
  const evidence = deserializeEvidence(JSON.stringify(d.evidence));
  // the causes, then (a two-stage model) the gate
  const tags = evidence.model.tags.join();
  if (tags !== CAUSE_TAGS.join() && tags !== [...CAUSE_TAGS, GATE_TAG].join())
    throw new UserError(
      `文本模型 ${file} 字段 evidence.tags：应为 ${CAUSE_TAGS.join('、')}（两段式模型其后再加 ${GATE_TAG}）`,
    );
  return {
    evidence,
    thresholds: toNumbers(d.thresholds),
    thresholdsBestF1: toNumbers(d.thresholdsBestF1),
    sources: d.sources,
    text,
  };
}

/** Numbers kept to 4 significant digits: the file stays small and the tags the same to well within a threshold. */
function compact(json: string): unknown {
  return JSON.parse(json, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v,
  );
}

export function writeTextModelFile(
  file: string,
  evidence: TextEvidence,
  thresholds: Record<string, number | null>,
  thresholdsBestF1: Record<string, number | null>,
  about: Record<string, unknown>,
): void {
  const doc = { version: 1, ...about, thresholds, thresholdsBestF1, evidence: compact(serializeEvidence(evidence)) };
  writeFileSync(file, JSON.stringify(doc) + '\n');
}
