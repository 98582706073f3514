import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { employeeBand, parseEmployees } from "@/lib/lead/employees";

describe("parseEmployees", () => {
  it.each([
    ["1-10", 5, 1, 10, "1-9"],
    ["11-50", 30, 11, 50, "10-49"],
    ["51-200", 125, 51, 200, "50-199"],
    ["201-500", 350, 201, 500, "200-999"],
    ["501-1000", 750, 501, 1000, "200-999"],
    ["1001-5000", 3000, 1001, 5000, "1000+"],
    ["5001-10,000", 7500, 5001, 10000, "1000+"],
    ["10,001+", 10001, 10001, null, "1000+"],
    ["1,000+", 1000, 1000, null, "1000+"],
    ["1000+ employees", 1000, 1000, null, "1000+"],
    ["5000", 5000, 5000, 5000, "1000+"],
    ["5k", 5000, 5000, 5000, "1000+"],
    ["10K+", 10000, 10000, null, "1000+"],
    ["1.5k", 1500, 1500, 1500, "1000+"],
    ["2M", 2000000, 2000000, 2000000, "1000+"],
    ["<10", 5, 1, 9, "1-9"],
    ["<= 10", 5, 1, 10, "1-9"],
    ["less than 50", 25, 1, 49, "10-49"],
    ["up to 50", 25, 1, 50, "10-49"],
    ["> 1000", 1001, 1001, null, "1000+"],
    ["more than 500", 500, 500, null, "200-999"],
    ["500 or more", 500, 500, null, "200-999"],
    ["1 000", 1000, 1000, 1000, "1000+"],
    ["1.000", 1000, 1000, 1000, "1000+"],
    ["1\u202F000 Mitarbeiter", 1000, 1000, 1000, "1000+"],
    ["50 - 200 employees", 125, 50, 200, "50-199"],
    ["10–50", 30, 10, 50, "10-49"],
    ["100 to 250", 175, 100, 250, "50-199"],
    ["Just me", 1, 1, 1, "1-9"],
    ["self-employed", 1, 1, 1, "1-9"],
    [" 200 ", 200, 200, 200, "200-999"],
    [250, 250, 250, 250, "200-999"],
    [12.7, 12, 12, 12, "10-49"],
  ])("%j → %i (%s–%s, %s)", (raw, count, min, max, band) => {
    expect(parseEmployees(raw)).toEqual({ count, min, max, band });
  });

  it.each(["Enterprise", "n/a", "", "-5", "2.5", "1,5", "10-5", "0", "less than 1", "lots", 0, -1, Number.NaN, Number.POSITIVE_INFINITY, null, undefined, {}])(
    "%j → null",
    (raw) => {
      expect(parseEmployees(raw)).toBeNull();
    },
  );

  it("reads any whole head count as itself, in the band employeeBand gives", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (n) => {
        expect(parseEmployees(n)).toEqual({ count: n, min: n, max: n, band: employeeBand(n) });
        expect(parseEmployees(String(n))?.count).toBe(n);
      }),
    );
  });

  it("puts a closed range's count inside the range", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (lo, span) => {
        const parsed = parseEmployees(`${lo}-${lo + span}`);
        expect(parsed).not.toBeNull();
        expect(parsed!.count).toBeGreaterThanOrEqual(lo);
        expect(parsed!.count).toBeLessThanOrEqual(lo + span);
      }),
    );
  });
});

describe("employeeBand", () => {
  it.each([
    [0, "1-9"], [1, "1-9"], [9, "1-9"], [10, "10-49"], [49, "10-49"], [50, "50-199"], [199, "50-199"],
    [200, "200-999"], [999, "200-999"], [1000, "1000+"], [250000, "1000+"],
  ])("%i → %s", (n, band) => {
    expect(employeeBand(n)).toBe(band);
  });
});
