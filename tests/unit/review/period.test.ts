import { describe, expect, it } from "vitest";
import { addDays, dayLabel, reviewCadence, reviewTitle } from "@/lib/review/period";

describe("review periods", () => {
  it("names a month, a quarter, and anything else by its dates; reads the cadence", () => {
    expect(reviewTitle("2026-10-01", "2026-11-01")).toBe("October 2026");
    expect(reviewTitle("2026-07-01", "2026-10-01")).toBe("Q3 2026");
    expect(reviewTitle("2026-08-01", "2026-11-01")).toBe("Aug 1, 2026 – Oct 31, 2026");
    expect(reviewTitle("2026-10-05", "2026-10-12")).toBe("Oct 5, 2026 – Oct 11, 2026");
    expect(reviewCadence({ review: { cadence: "quarterly" } })).toBe("quarterly");
    expect(reviewCadence({ review: { cadence: "hourly" } })).toBe("monthly");
    expect(reviewCadence(null)).toBe("monthly");
    expect([addDays("2026-10-31", 1), addDays("2026-03-01", -1), addDays("not a day", 1)]).toEqual(["2026-11-01", "2026-02-28", "not a day"]);
    expect(dayLabel("2026-12-15")).toBe("Dec 15, 2026");
  });
});
