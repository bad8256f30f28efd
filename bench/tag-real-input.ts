import { existsSync, statSync } from 'node:fs';
import { fileList, loadRealMessages, type RealMessage } from '../src/tag/real-eval.js';

/** The labelled real messages a real-data tag bench reads, and the files they came from. */
export interface RealInput {
  messages: RealMessage[];
  /** The text files read, comma-separated (those of WEISU_TAG_REAL_TEXTS that exist and are not empty). */
  texts: string;
  /** The label files read, the same way. */
  labels: string;
  /** Label lines whose text has not arrived yet, skipped. */
  skipped: number;
}

/**
 * WEISU_TAG_REAL_TEXTS / WEISU_TAG_REAL_LABELS, comma lists (texts.json,texts2.json / pass1.tsv,pass4.tsv), pooled;
 * files not written yet are left out and label lines whose text has not arrived yet are skipped (labels are added
 * while the benches are used). Real data is not in the repo: without both variables the bench says so and exits 0.
 */
export function realInputOrExit(bench: string): RealInput {
  const textsSpec = process.env.WEISU_TAG_REAL_TEXTS;
  const labelsSpec = process.env.WEISU_TAG_REAL_LABELS;
  if (!textsSpec || !labelsSpec) {
    console.log(`${bench}: set WEISU_TAG_REAL_TEXTS and WEISU_TAG_REAL_LABELS (real data is not in the repo); skipped`);
    process.exit(0);
  }
  const present = (spec: string) =>
    fileList(spec)
      .filter((f) => existsSync(f) && statSync(f).size > 0)
      .join(',');
  const texts = present(textsSpec);
  const labels = present(labelsSpec);
  const skipped = { count: 0 };
  const messages = loadRealMessages(texts, labels, { skipMissing: true, skipped });
  return { messages, texts, labels, skipped: skipped.count };
}
