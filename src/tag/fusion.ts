/**
 * Turns the text evidence (model margin, lexicon score) into a calibrated probability per tag, and adds the
 * structural evidence. The calibration is a small logistic regression per tag, p = σ(a·margin + b·lex + c),
 * fitted on out-of-fold margins (the model never scores a text it was trained on), so the confidences mean
 * what they say on new text. Structure (re-dispatch, reopening, repeat after closure) comes from order fields
 * the labelled texts do not have, so it joins by noisy-OR with configured strengths.
 */
export interface Calibration {
  a: number;
  b: number;
  c: number;
  /**
   * Models trained on real messages (linear.ts) weigh every cause's lexicon score, lexFeature(lex[t']), and the
   * speech act (question; suggestion or praise) inside their own margin: these are those weights (absent otherwise).
   */
  lexAll?: number[];
  acts?: number[];
}

/** Lexicon scores are sums of weights; beyond a few matches more matches say little more. */
export function lexFeature(score: number): number {
  return Math.sign(score) * Math.log1p(Math.abs(score));
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Fit σ(a·x1 + b·x2 + c) to 0/1 labels by damped Newton steps. The ridge keeps a and b finite when the
 * evidence separates the sample perfectly (it often does on a clean labelled set; the real world is noisier).
 */
export function fitCalibration(x1: number[], x2: number[], y: boolean[]): Calibration {
  let a = 1,
    b = 0,
    c = 0;
  const ridge = 1;
  for (let it = 0; it < 50; it++) {
    const g = [0, 0, 0];
    const H = [
      [ridge, 0, 0],
      [0, ridge, 0],
      [0, 0, ridge],
    ];
    for (let i = 0; i < y.length; i++) {
      const f = [x1[i], x2[i], 1];
      const p = sigmoid(a * f[0] + b * f[1] + c);
      const r = p - (y[i] ? 1 : 0);
      const w = Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j < 3; j++) {
        g[j] += r * f[j];
        for (let k = 0; k < 3; k++) H[j][k] += w * f[j] * f[k];
      }
    }
    g[0] += ridge * a;
    g[1] += ridge * b;
    H[2][2] -= ridge; // the intercept is not shrunk
    H[2][2] += 1e-9;
    const step = solve3(H, g);
    const size = Math.hypot(step[0], step[1], step[2]);
    if (size > 2) for (let j = 0; j < 3; j++) step[j] *= 2 / size;
    a -= step[0];
    b -= step[1];
    c -= step[2];
    if (Math.abs(step[0]) + Math.abs(step[1]) + Math.abs(step[2]) < 1e-8) break;
  }
  return { a, b, c };
}

function solve3(A: number[][], y: number[]): number[] {
  const m = A.map((row, i) => [...row, y[i]]);
  for (let col = 0; col < 3; col++) {
    let piv = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
    [m[col], m[piv]] = [m[piv], m[col]];
    const d = m[col][col] || 1e-12;
    for (let r = 0; r < 3; r++) {
      if (r === col) continue;
      const f = m[r][col] / d;
      for (let k = col; k < 4; k++) m[r][k] -= f * m[col][k];
    }
  }
  return [m[0][3] / (m[0][0] || 1e-12), m[1][3] / (m[1][1] || 1e-12), m[2][3] / (m[2][2] || 1e-12)];
}

export function calibrated(cal: Calibration, margin: number, lexScore: number): number {
  return sigmoid(cal.a * margin + cal.b * lexFeature(lexScore) + cal.c);
}

/**
 * calibrated() with the weights of a model trained on real messages: every cause's lexicon feature (lexF, as
 * lexFeature of each cause's score) and the speech act (1 question, 2 suggestion, 3 praise) add to the margin.
 */
export function calibratedAll(
  cal: Calibration,
  margin: number,
  lexScore: number,
  lexF: Float64Array,
  act: number,
): number {
  let z = cal.a * margin + cal.b * lexFeature(lexScore) + cal.c;
  const w = cal.lexAll;
  if (w) for (let i = 0; i < w.length; i++) z += w[i] * lexF[i];
  if (cal.acts && act > 0) z += cal.acts[act === 1 ? 0 : 1];
  return sigmoid(z);
}

/** Combine independent pieces of evidence that each alone would give probability p_i. */
export function noisyOr(p: number, q: number): number {
  return 1 - (1 - p) * (1 - q);
}
