// ml-regression ships no type declarations; this is the part of its API the forecast models use.
declare module 'ml-regression' {
  export class MultivariateLinearRegression {
    constructor(x: number[][], y: number[][], options?: { intercept?: boolean; statistics?: boolean });
    weights: number[][];
    predict(x: number[]): number[];
  }
}
