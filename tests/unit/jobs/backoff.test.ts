/** Job retry timing (lib/jobs/backoff.ts): exponential, half fixed and half jittered, capped. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, retryDelayMs } from "@/lib/jobs/backoff";

describe("retryDelayMs", () => {
  it("doubles per attempt between half and all of the step, capped at an hour", () => {
    expect([1, 2, 3, 4].map((a) => [retryDelayMs(a, 0), retryDelayMs(a, 1)])).toEqual([[5_000, 10_000], [10_000, 20_000], [20_000, 40_000], [40_000, 80_000]]);
    expect(retryDelayMs(30, 0)).toBe(1_800_000);
    expect(retryDelayMs(30, 1)).toBe(3_600_000);
    expect(retryDelayMs(1_000, 0.5)).toBe(2_700_000);
  });

  it("stays within [step/2, step] for any attempt and draw", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
      const step = Math.min(DEFAULT_BACKOFF.capMs, DEFAULT_BACKOFF.baseMs * 2 ** (attempt - 1));
      const d = retryDelayMs(attempt, r);
      return d >= Math.floor(step / 2) && d <= step;
    }));
  });
});
