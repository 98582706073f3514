import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY_MS, getZone, localDate, localDayNumber } from "@/lib/calendar/zone";

/** The local day by definition, with no memo: one offset look-up at the instant itself. */
const reference = (name: string, t: number) => {
  const zone = getZone(name);
  return Math.floor((t + zone.offsetMs(t)) / DAY_MS);
};

const ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata", "Pacific/Apia", "America/St_Johns"];

describe("localDayNumber's memo", () => {
  it("agrees with a fresh look-up minute by minute across daylight-saving days", () => {
    for (const name of ZONES) {
      // 2026's spring-forward and fall-back weeks on both hemispheres, and the odd Apia skip of 2011.
      for (const from of [Date.UTC(2026, 2, 5), Date.UTC(2026, 3, 1), Date.UTC(2026, 8, 25), Date.UTC(2026, 9, 20), Date.UTC(2011, 11, 27)]) {
        for (let t = from; t < from + 10 * DAY_MS; t += 7 * 60_000) {
          expect(localDayNumber(getZone(name), t), `${name} ${new Date(t).toISOString()}`).toBe(reference(name, t));
        }
      }
    }
  });

  it("agrees with a fresh look-up for any order of instants (property)", () => {
    const instant = fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2030, 0, 1) });
    fc.assert(fc.property(fc.constantFrom(...ZONES), fc.array(fc.tuple(instant, fc.integer({ min: 0, max: 3 * 3_600_000 })), { maxLength: 30 }), (name, steps) => {
      for (const [t, d] of steps) {
        for (const x of [t, t + d, t - d]) {
          expect(localDayNumber(getZone(name), x)).toBe(reference(name, x));
          expect(localDate(name, new Date(x))).toBe(new Date(reference(name, x) * DAY_MS).toISOString().slice(0, 10));
        }
      }
    }), { numRuns: 300 });
  });
});
