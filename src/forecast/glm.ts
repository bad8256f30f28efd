import { CholeskyDecomposition, Matrix, solve } from 'ml-matrix';

export interface PoissonFit {
  beta: number[];
  /** Fitted means on the training rows. */
  fitted: number[];
  iterations: number;
}

const MAX_ETA = 25;

/**
 * Weighted least squares with a ridge on the penalized columns. The p×p normal equations are accumulated here
 * (one pass over the rows) and solved by ml-matrix (the linear algebra under ml-regression): Cholesky, as the
 * ridge makes the system positive definite, with an SVD-based solve as the fallback.
 */
function wls(x: number[][], nz: Int32Array[], z: number[], w: number[], penalty: number[]): number[] {
  const p = x[0].length;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  // Calendar columns are mostly zero: accumulate over each row's non-zero columns only.
  for (let i = 0; i < x.length; i++) {
    const wi = w[i];
    if (wi === 0) continue;
    const r = x[i];
    const cols = nz[i];
    const wz = wi * z[i];
    for (let jj = 0; jj < cols.length; jj++) {
      const j = cols[jj];
      const v = r[j] * wi;
      b[j] += r[j] * wz;
      for (let kk = jj; kk < cols.length; kk++) {
        const k = cols[kk];
        a[j * p + k] += v * r[k];
      }
    }
  }
  const A = new Matrix(p, p);
  for (let j = 0; j < p; j++) {
    for (let k = j; k < p; k++) {
      A.set(j, k, a[j * p + k]);
      A.set(k, j, a[j * p + k]);
    }
    A.set(j, j, a[j * p + j] + penalty[j]);
  }
  const B = Matrix.columnVector(Array.from(b));
  const chol = new CholeskyDecomposition(A);
  const beta = chol.isPositiveDefinite() ? chol.solve(B) : solve(A, B, true);
  return beta.to1DArray().map((v) => (Number.isFinite(v) ? v : 0));
}

/**
 * Poisson regression with a log link fitted by iteratively reweighted least squares, with a ridge penalty
 * (`ridge` × mean weight) on every column but the unpenalized ones: sparse calendar dummies and high Fourier
 * terms shrink toward zero instead of chasing one noisy year. Weights w let the caller discount observations.
 */
export function fitPoisson(
  x: number[][],
  y: number[],
  opts: { ridge: number; unpenalized: number[]; weights?: number[]; maxIter?: number; start?: number[] },
): PoissonFit {
  const n = x.length;
  const p = x[0].length;
  const obsW = opts.weights;
  const nz: Int32Array[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = x[i];
    const cols: number[] = [];
    for (let j = 0; j < p; j++) if (r[j] !== 0) cols.push(j);
    nz[i] = Int32Array.from(cols);
  }
  // Start from least squares on log(y + 0.5) weighted by y + 0.5: close to the answer, so IRLS needs few steps.
  const z = new Array<number>(n);
  const mu = new Array<number>(n);
  const w = new Array<number>(n);
  let beta = new Array<number>(p).fill(0);
  if (opts.start && opts.start.length === p) {
    // Warm start (the fit of a neighbouring backtest origin): IRLS then needs two or three steps.
    beta = opts.start.slice();
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += x[i][j] * beta[j];
      mu[i] = Math.max(1e-6, Math.exp(Math.min(MAX_ETA, eta)));
      z[i] = Math.min(MAX_ETA, eta) + (y[i] - mu[i]) / mu[i];
    }
  } else {
    for (let i = 0; i < n; i++) {
      mu[i] = y[i] + 0.5;
      z[i] = Math.log(mu[i]);
    }
  }
  let it = 0;
  const maxIter = opts.maxIter ?? 25;
  const penalty = new Array<number>(p);
  for (; it < maxIter; it++) {
    let meanW = 0;
    for (let i = 0; i < n; i++) {
      w[i] = obsW ? mu[i] * obsW[i] : mu[i];
      meanW += w[i];
    }
    meanW /= Math.max(1, n);
    penalty.fill(opts.ridge * meanW);
    for (const j of opts.unpenalized) penalty[j] = 1e-9 * meanW;
    const next = wls(x, nz, z, w, penalty);
    let delta = 0;
    for (let j = 0; j < p; j++) delta = Math.max(delta, Math.abs(next[j] - beta[j]));
    beta = next;
    for (let i = 0; i < n; i++) {
      const r = x[i];
      const cols = nz[i];
      let eta = 0;
      for (let jj = 0; jj < cols.length; jj++) eta += r[cols[jj]] * beta[cols[jj]];
      eta = Math.min(MAX_ETA, eta);
      mu[i] = Math.max(1e-6, Math.exp(eta));
      z[i] = eta + (y[i] - mu[i]) / mu[i];
    }
    // Changes below 1e-4 on the log scale move a forecast by 0.01%.
    if (delta < 1e-4) break;
  }
  return { beta, fitted: mu, iterations: it + 1 };
}

export function predictPoisson(beta: number[], row: number[]): number {
  let eta = 0;
  for (let j = 0; j < row.length; j++) eta += row[j] * beta[j];
  return Math.exp(Math.min(MAX_ETA, eta));
}
