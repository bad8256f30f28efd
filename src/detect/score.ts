/**
 * Ranking: how sure (−log10 q, capped at 30) times how large (log2 of observed/expected, capped at 3 = 8×, so a
 * term rising from nothing or a street going from 1 to 9 does not outrank a city-wide rise by its ratio alone).
 * Certainty is floored at 0.1: an alert raised by its own p-value (detect.alpha) while its q is large still
 * ranks by size, below the alerts BH is sure of.
 */
export function alertScore(q: number, ratio: number): number {
  return Math.max(0.1, Math.min(-Math.log10(Math.max(q, 1e-300)), 30)) * Math.min(Math.log2(Math.max(ratio, 1)), 3);
}
