/**
 * Exponential smoothing as a state-space model (ETS, Hyndman et al. 2008) fitted by likelihood, the way R's
 * forecast::ets fits a weekly series: the non-seasonal models ANN, AAdN, MNN and MAdN (additive or multiplicative
 * errors, no trend or a damped additive trend; a 52-week season is beyond ETS), each by maximum likelihood over its
 * smoothing weights, damping and initial states (Nelder–Mead), the one of least AICc kept. Counts are modelled on
 * their own scale, so a series whose weekly noise grows with its level takes the multiplicative-error form.
 */

/** Weeks fitted: recent enough to follow today's level, long enough for the likelihood to tell the forms apart. */
const MAX_FIT = 156;
/** Bounds of the usual ETS parameter space (R's defaults). */
const PHI_LO = 0.8;
const PHI_HI = 0.98;
const EPS = 1e-4;
/** Likelihood evaluations per form. */
const MAX_EVAL = 200;

interface Form {
  error: 'A' | 'M';
  trend: boolean;
}

const FORMS: Form[] = [
  { error: 'A', trend: false },
  { error: 'A', trend: true },
  { error: 'M', trend: false },
  { error: 'M', trend: true },
];

interface Fit {
  form: Form;
  level: number;
  trend: number;
  phi: number;
  aicc: number;
  /** One-step error variance (relative for multiplicative errors). */
  sigma2: number;
}

const logistic = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * The parameters of a form from an unbounded vector: α in (ε, 1 − ε), β in (ε, α − ε), φ in (0.8, 0.98), the
 * initial level and trend in units of the series' scale.
 */
function unpack(
  form: Form,
  v: number[],
  scale: number,
): { alpha: number; beta: number; phi: number; l0: number; b0: number } {
  const alpha = EPS + (1 - 2 * EPS) * logistic(v[0]);
  if (!form.trend) return { alpha, beta: 0, phi: 0, l0: v[1] * scale, b0: 0 };
  const beta = EPS + (alpha - 2 * EPS) * logistic(v[1]);
  const phi = PHI_LO + (PHI_HI - PHI_LO) * logistic(v[2]);
  return { alpha, beta, phi, l0: v[3] * scale, b0: v[4] * scale * 0.1 };
}

/**
 * −2 log-likelihood (up to a constant) of y under a form and its parameters, and the final states. Additive errors:
 * n·log(Σe²/n); multiplicative: n·log(Σ(e/ŷ)²/n) + 2·Σlog ŷ. Infinity where a multiplicative form's ŷ is not > 0.
 */
function run(
  y: number[],
  form: Form,
  p: { alpha: number; beta: number; phi: number; l0: number; b0: number },
): { lik: number; level: number; trend: number; sigma2: number } {
  let l = p.l0;
  let b = p.b0;
  let sse = 0;
  let logs = 0;
  for (let i = 0; i < y.length; i++) {
    const f = l + p.phi * b;
    if (form.error === 'M') {
      if (!(f > 1e-8)) return { lik: Infinity, level: l, trend: b, sigma2: Infinity };
      const e = (y[i] - f) / f;
      sse += e * e;
      logs += Math.log(f);
      l = f * (1 + p.alpha * e);
      b = p.phi * b + p.beta * f * e;
    } else {
      const e = y[i] - f;
      sse += e * e;
      l = f + p.alpha * e;
      b = p.phi * b + p.beta * e;
    }
  }
  const n = y.length;
  const lik = n * Math.log(Math.max(sse, 1e-300) / n) + 2 * logs;
  return { lik, level: l, trend: b, sigma2: sse / n };
}

/** Nelder–Mead minimisation of f from x0 (initial simplex steps `step`), a fixed budget of evaluations. */
export function nelderMead(f: (x: number[]) => number, x0: number[], step: number, maxEval = 400): number[] {
  const d = x0.length;
  let pts = [x0, ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + step : v)))];
  let vals = pts.map(f);
  let evals = d + 1;
  while (evals < maxEval) {
    const order = vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b]);
    pts = order.map((i) => pts[i]);
    vals = order.map((i) => vals[i]);
    if (Math.abs(vals[d] - vals[0]) <= 1e-8 * (Math.abs(vals[0]) + 1e-8)) break;
    const c = x0.map((_, j) => pts.slice(0, d).reduce((a, p) => a + p[j], 0) / d);
    const at = (t: number) => c.map((v, j) => v + t * (pts[d][j] - v));
    const r = at(-1);
    const fr = f(r);
    evals++;
    if (fr < vals[0]) {
      const e = at(-2);
      const fe = f(e);
      evals++;
      [pts[d], vals[d]] = fe < fr ? [e, fe] : [r, fr];
    } else if (fr < vals[d - 1]) [pts[d], vals[d]] = [r, fr];
    else {
      const k = fr < vals[d] ? at(-0.5) : at(0.5);
      const fk = f(k);
      evals++;
      if (fk < Math.min(fr, vals[d])) [pts[d], vals[d]] = [k, fk];
      else {
        // shrink toward the best point
        for (let i = 1; i <= d; i++) {
          pts[i] = pts[i].map((v, j) => pts[0][j] + 0.5 * (v - pts[0][j]));
          vals[i] = f(pts[i]);
        }
        evals += d;
      }
    }
  }
  return pts[vals.indexOf(Math.min(...vals))];
}

/**
 * The form fitted by likelihood over its smoothing weights and damping (Nelder–Mead); the initial level is the mean
 * of the first 10 weeks and the initial trend 0 (over a fitted window of years they no longer matter, and leaving
 * them out of the search makes it three times faster at the same accuracy). AICc counts the weights and σ.
 */
function fitForm(y: number[], form: Form, scale: number): Fit {
  const first = y.slice(0, Math.min(10, y.length));
  const l0 = first.reduce((a, b) => a + b, 0) / first.length / scale;
  const full = (v: number[]) => (form.trend ? [...v, l0, 0] : [...v, l0]);
  const obj = (v: number[]) => run(y, form, unpack(form, full(v), scale)).lik;
  const p = unpack(form, full(nelderMead(obj, form.trend ? [0, -1, 0] : [0], 0.5, MAX_EVAL)), scale);
  const { lik, level, trend, sigma2 } = run(y, form, p);
  const k = (form.trend ? 3 : 1) + 1;
  const n = y.length;
  const aicc = lik + 2 * k + (n - k - 1 > 0 ? (2 * k * (k + 1)) / (n - k - 1) : Infinity);
  return { form, level, trend, phi: form.trend ? p.phi : 0, aicc, sigma2 };
}

/**
 * Forecasts 1..h of the ETS form of least AICc, fitted on the last MAX_FIT weeks of y (null under 16 weeks or when
 * no form fits). Multiplicative-error forms are tried only on a series without zeros (as R does). `warm.form`: the
 * form chosen at the latest backtest origin, refitted alone at the older ones (a form chosen on years of weeks does
 * not change in a few weeks; fitting one form instead of four keeps the backtest fast).
 */
export function etsForecast(y: number[], h: number, warm?: { etsForm?: number }): number[] | null {
  return etsFit(y, h, warm)?.mean.map((v) => Math.max(0, v)) ?? null;
}

/**
 * etsForecast's fit with its one-step error variance. `additiveOnly`: the additive-error forms alone (a series on
 * the log scale, where the multiplicative forms mean nothing).
 */
export function etsFit(
  y: number[],
  h: number,
  warm?: { etsForm?: number },
  additiveOnly = false,
): { mean: number[]; sigma2: number } | null {
  const z = y.slice(-MAX_FIT);
  if (z.length < 16) return null;
  const mean = z.reduce((a, b) => a + b, 0) / z.length;
  const scale = Math.max(1, Math.abs(mean));
  const positive = !additiveOnly && z.every((v) => v > 0);
  let best: Fit | null = null;
  const fixed = warm?.etsForm;
  const tried = fixed !== undefined && (FORMS[fixed].error === 'A' || positive) ? [FORMS[fixed]] : FORMS;
  for (const form of tried) {
    if (form.error === 'M' && !positive) continue;
    const fit = fitForm(z, form, scale);
    if (Number.isFinite(fit.aicc) && (!best || fit.aicc < best.aicc)) best = fit;
  }
  if (!best) return null;
  if (warm && fixed === undefined) warm.etsForm = FORMS.indexOf(best.form);
  const out: number[] = [];
  let damp = 0;
  for (let k = 1; k <= h; k++) {
    damp += best.phi ** k;
    out.push(best.level + damp * best.trend);
  }
  return { mean: out, sigma2: best.sigma2 };
}
