import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shuffledIndices, stratifiedFolds, stratifiedHoldout } from "@/lib/classify/splits";
import { createRandom } from "@/lib/random";

const labels = (counts: Record<string, number>): string[] => Object.entries(counts).flatMap(([l, n]) => Array.from({ length: n }, () => l));

describe("stratified k-fold", () => {
  it("keeps each class spread evenly over the folds", () => {
    const ys = labels({ a: 50, b: 25, c: 10 });
    const fold = stratifiedFolds(ys, 5, createRandom(1));
    for (const cls of ["a", "b", "c"]) {
      const perFold = [0, 0, 0, 0, 0];
      ys.forEach((y, i) => y === cls && perFold[fold[i]!]!++);
      expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
    }
  });

  it("is deterministic for a seed and changes with it", () => {
    const ys = labels({ a: 30, b: 30 });
    expect(stratifiedFolds(ys, 3, createRandom("s"))).toEqual(stratifiedFolds(ys, 3, createRandom("s")));
    expect(stratifiedFolds(ys, 3, createRandom("s"))).not.toEqual(stratifiedFolds(ys, 3, createRandom("t")));
  });

  it("puts every example in exactly one fold, fold sizes within one of each other (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c", "d"), { minLength: 0, maxLength: 200 }), fc.integer({ min: 2, max: 10 }), fc.integer(), (ys, k, seed) => {
        const fold = stratifiedFolds(ys, k, createRandom(seed));
        expect(fold).toHaveLength(ys.length);
        const sizes = new Array<number>(k).fill(0);
        for (const f of fold) {
          expect(f).toBeGreaterThanOrEqual(0);
          expect(f).toBeLessThan(k);
          sizes[f]!++;
        }
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("rejects k < 2", () => {
    expect(() => stratifiedFolds(["a"], 1, createRandom(1))).toThrow(RangeError);
    expect(() => stratifiedFolds(["a"], 2.5, createRandom(1))).toThrow(RangeError);
  });
});

describe("stratified hold-out", () => {
  it("holds out the ratio of every class and keeps singletons in training", () => {
    const ys = labels({ a: 50, b: 20, c: 1, d: 2 });
    const { train, test } = stratifiedHoldout(ys, 0.2, createRandom(7));
    const count = (idx: number[], cls: string) => idx.filter((i) => ys[i] === cls).length;
    expect(count(test, "a")).toBe(10);
    expect(count(test, "b")).toBe(4);
    expect(count(test, "c")).toBe(0);
    expect(count(train, "c")).toBe(1);
    expect(count(test, "d")).toBe(1);
    expect([...train, ...test].sort((x, y) => x - y)).toEqual(ys.map((_, i) => i));
    expect(train).toEqual([...train].sort((x, y) => x - y));
  });

  it("rejects ratios outside (0, 1)", () => {
    expect(() => stratifiedHoldout(["a", "b"], 0, createRandom(1))).toThrow(RangeError);
    expect(() => stratifiedHoldout(["a", "b"], 1, createRandom(1))).toThrow(RangeError);
  });
});

describe("shuffledIndices", () => {
  it("is a permutation", () => {
    const s = shuffledIndices(100, createRandom(3));
    expect([...s].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(s).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
