/**
 * When a failed delivery is tried again: 5 s, 30 s, 2 min, 10 min, 1 h, 2 h, then every 4 h, each
 * delay scaled by a jitter in [0.9, 1.1) so endpoints that failed together do not retry together.
 * Thirteen attempts span about 27 hours (at least 24.5 h at the lowest jitter): the issue asks for at
 * least 24. After the last one the item is given up and the endpoint stops there (`failing`).
 */
export const RETRY_DELAYS_MS: ReadonlyArray<number> = [
  5_000,
  30_000,
  120_000,
  600_000,
  3_600_000,
  7_200_000,
  ...Array<number>(6).fill(14_400_000),
];

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The delay before attempt `attemptsMade + 1`, or undefined once the schedule is spent; `random` in [0, 1). */
export const retryDelay = (attemptsMade: number, random: () => number): number | undefined => {
  const base = RETRY_DELAYS_MS[attemptsMade - 1];
  if (attemptsMade < 1 || base === undefined) return undefined;
  return Math.round(base * (0.9 + 0.2 * random()));
};
