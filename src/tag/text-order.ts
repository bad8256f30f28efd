import type { OrderEvidence } from './tagger.js';

/** An order known by its text (and category) alone: what `tag explain --text`, the evaluations and calibration tag. */
export function textOrder(content: string, category = ''): OrderEvidence {
  return { content, category, dispatchCount: null, reopened: null, dept: null, repeatAfterClose: false };
}
