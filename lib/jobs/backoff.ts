/**
 * Retry timing for jobs: exponential backoff with "equal jitter" — half the exponential delay fixed, half random —
 * so retries after a shared outage (a Slack or CRM endpoint down for everyone) spread out instead of arriving
 * together, while no retry comes sooner than half its step. Pure: the random draw is passed in.
 */

export interface BackoffPolicy {
  /** Delay before the second attempt, ms. */
  baseMs: number;
  /** Longest delay between two attempts, ms. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 10_000, capMs: 3_600_000 };

/**
 * Milliseconds to wait after failed attempt number `attempt` (1-based) before the next one; `random` in [0, 1).
 * attempt 1 → 5–10 s, 2 → 10–20 s, 3 → 20–40 s … capped at capMs (30–60 min by default).
 */
export function retryDelayMs(attempt: number, random: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)));
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(exp / 2 + (exp / 2) * r);
}
