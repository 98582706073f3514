import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentileCont } from "@/lib/metrics/definitions";
import {
  addToSketch, mergeSketch, SKETCH_RELATIVE_ACCURACY, sketchCount, sketchKey, sketchQuantile, sketchValue, type Sketch,
} from "@/lib/metrics/sketch";

const build = (values: number[]) => values.reduce<Sketch>((s, v) => addToSketch(s, v), {});

describe("quantile sketch", () => {
  it("represents every value within the relative accuracy", () => {
    for (const v of [0.002, 0.5, 1, 3.7, 42, 600, 10_000, 525_600]) {
      expect(Math.abs(sketchValue(sketchKey(v)) - v) / v).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY + 1e-12);
    }
    expect(sketchKey(0)).toBe("z");
    expect(sketchKey(-5)).toBe("z");
    expect(sketchValue("z")).toBe(0);
  });

  it("gives quantiles within the accuracy of percentile_cont on any data", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 100_000, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.constantFrom(0, 0.1, 0.5, 0.9, 1), (values, p) => {
        const exact = percentileCont([...values].sort((a, b) => a - b), p)!;
        const approx = sketchQuantile(build(values), p)!;
        expect(Math.abs(approx - exact)).toBeLessThanOrEqual(exact * SKETCH_RELATIVE_ACCURACY + 1e-9);
      }),
    );
  });

  it("merges: the sum of daily sketches is the sketch of all the days", () => {
    const a = [1, 2, 3, 50, 0];
    const b = [4, 4, 4, 900];
    const merged = mergeSketch(mergeSketch({}, build(a)), build(b));
    expect(merged).toEqual(build([...a, ...b]));
    expect(sketchCount(merged)).toBe(9);
    expect(mergeSketch(build(a), null)).toEqual(build(a));
    expect(sketchQuantile({}, 0.5)).toBeNull();
    expect(sketchQuantile(build([0, 0, 10]), 0)).toBe(0);
  });
});
