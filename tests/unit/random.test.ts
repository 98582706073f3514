import { describe, expect, it } from "vitest";
import { createRandom } from "@/lib/random";

describe("createRandom", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom("other");
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
  });

  it("stays in range and is roughly uniform", () => {
    const r = createRandom(7);
    const buckets = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      buckets[Math.floor(x * 4)]!++;
    }
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(400);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5).toBe(true);
    }
  });

  it("weighted picks follow weights; pick and weighted reject empty input", () => {
    const r = createRandom(1);
    let a = 0;
    for (let i = 0; i < 20_000; i++) if (r.weighted([["a", 3], ["b", 1]] as const) === "a") a++;
    expect(a / 20_000).toBeGreaterThan(0.73);
    expect(a / 20_000).toBeLessThan(0.77);
    expect(() => r.pick([])).toThrow(RangeError);
    expect(() => r.weighted([["x", 0]] as const)).toThrow(RangeError);
  });

  it("log-normal has the requested median; uuids are v4-shaped and unique", () => {
    const r = createRandom(99);
    const xs = Array.from({ length: 20_001 }, () => r.logNormal(50, 1)).sort((p, q) => p - q);
    expect(xs[10_000]!).toBeGreaterThan(46);
    expect(xs[10_000]!).toBeLessThan(54);
    const ids = new Set(Array.from({ length: 1000 }, () => r.uuid()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("fork gives independent, reproducible streams", () => {
    const x = createRandom(5).fork("leads");
    const y = createRandom(5).fork("leads");
    const z = createRandom(5).fork("accounts");
    expect(x.next()).toBe(y.next());
    expect(createRandom(5).fork("leads").next()).not.toBe(z.next());
    expect(createRandom(3).chance(1)).toBe(true);
    expect(createRandom(3).chance(0)).toBe(false);
    expect(Number.isFinite(createRandom(3).normal())).toBe(true);
  });
});
