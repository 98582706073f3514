/**
 * Anomaly detection for the monthly review (lib/review/anomalies.ts): planted anomalies are found and explained;
 * ordinary randomness (Poisson days, binomial shares, a stable classifier) raises nothing.
 */
import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "@/lib/random";
import { detectAnomalies, mad, median, proportionZ, psi, volumeZ, type AnomalyInput } from "@/lib/review/anomalies";

/** Poisson draw (Knuth; fine for the small means used here). */
function poisson(r: Random, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r.next();
  } while (p > l);
  return k - 1;
}
/** n days of Poisson(λ) leads, weekdays counted from 0; `weekend` scales Saturdays and Sundays (5, 6). */
const days = (r: Random, n: number, lambda: number, weekend = 1, start = 0) =>
  Array.from({ length: n }, (_, i) => ({ weekday: (start + i) % 7, n: poisson(r, (start + i) % 7 >= 5 ? lambda * weekend : lambda) }));
const flat = (counts: number[], start = 0) => counts.map((n, i) => ({ weekday: (start + i) % 7, n }));
const binom = (r: Random, n: number, p: number) => Array.from({ length: n }, () => (r.next() < p ? 1 : 0)).reduce<number>((a, b) => a + b, 0);
const EMPTY: AnomalyInput = { sources: [], routePaths: [], reps: [], shares: [], confidence: null };

describe("statistics", () => {
  it("median, MAD, proportion z and PSI by hand", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
    // 10/100 vs 30/100: pooled p 0.2, se √(0.2·0.8·0.02) = 0.0566 → z 3.54
    expect(proportionZ(10, 100, 30, 100)).toBeCloseTo(0.2 / Math.sqrt(0.2 * 0.8 * 0.02), 10);
    expect(psi([50, 50], [50, 50])).toBe(0);
    // Half a count per bin: 50.5/101 vs 90.5/101 and 50.5/101 vs 10.5/101.
    const [b, p1, p2] = [50.5 / 101, 90.5 / 101, 10.5 / 101];
    expect(psi([50, 50], [90, 10])).toBeCloseTo((p1 - b) * Math.log(p1 / b) + (p2 - b) * Math.log(p2 / b), 10);
    // A steady 10/day baseline (4 of each weekday) and a 20/day week: each day expects 10 with σ = √10 (the
    // Poisson floor), widened by 1.57/4 for the median of 4 days → z = 70 / √(7 · 10 · 1.3925).
    const v = volumeZ(flat(Array(28).fill(10)), flat(Array(7).fill(20)));
    expect(v.z).toBeCloseTo(70 / Math.sqrt(7 * 10 * (1 + 1.57 / 4)), 6);
    expect([v.base, v.observed]).toEqual([10, 20]);
  });
});

describe("detectAnomalies", () => {
  it("raises nothing on 300 quiet months (Poisson days, binomial shares, the same classifier)", () => {
    const r = createRandom("quiet-months");
    let findings = 0;
    for (let m = 0; m < 300; m++) {
      const lambda = r.pick([2, 5, 12, 40]);
      const weekend = r.pick([1, 0.3]);
      const p = r.pick([0.05, 0.2, 0.5]);
      const n0 = 28 * lambda;
      const n1 = 30 * lambda;
      const hist = (n: number) => { const h = Array(10).fill(0); for (let i = 0; i < n; i++) h[Math.min(9, Math.floor((0.5 + 0.5 * r.next() ** 0.5) * 10))]++; return h; };
      findings += detectAnomalies({
        sources: [{ key: "s", label: "Web form", baseline: days(r, 28, lambda, weekend), period: days(r, 30, lambda, weekend, 28) }],
        routePaths: [{ key: "r", label: "AE direct", baseline: days(r, 28, lambda, weekend), period: days(r, 30, lambda, weekend, 28) }],
        reps: [{ key: "x", label: "Rep", baseline: binom(r, n0, 0.1), period: binom(r, n1, 0.1), baselineDays: 28, periodDays: 30 }],
        shares: [{ key: "r", label: "AE direct", metric: "review share", baseline: { k: binom(r, n0, p), n: n0 }, period: { k: binom(r, n1, p), n: n1 } }],
        confidence: { baseline: hist(n0), period: hist(n1) },
      }).length;
    }
    expect(findings).toBe(0);
  });

  it("finds a silent source, a volume jump, a starved rep, a fallback share jump and a classifier shift — and explains each", () => {
    const r = createRandom("planted");
    const f = detectAnomalies({
      sources: [
        { key: "web", label: "Web form", baseline: days(r, 28, 8), period: [...days(r, 27, 8, 1, 28), ...flat([0, 0, 0], 55)] },
        { key: "ads", label: "Paid ads", baseline: days(r, 28, 6), period: days(r, 30, 15, 1, 28) },
      ],
      routePaths: [{ key: "ae", label: "AE direct", baseline: days(r, 28, 20, 0.3), period: days(r, 30, 20, 0.3, 28) }],
      reps: [{ key: "maya", label: "Maya Chen", baseline: 40, period: 0, baselineDays: 28, periodDays: 30 }],
      shares: [{ key: "review", label: "All route paths", metric: "review share", baseline: { k: 50, n: 1000 }, period: { k: 180, n: 1000 } }],
      confidence: { baseline: [0, 0, 0, 0, 0, 40, 80, 120, 100, 60], period: [20, 40, 80, 100, 80, 40, 20, 12, 4, 4] },
    });
    expect(f.map((x) => [x.kind, x.subject.key]).sort()).toEqual([
      ["confidence_shift", "classifier"], ["rep_starved", "maya"], ["share_jump", "review"], ["source_silent", "web"], ["volume_spike", "ads"],
    ].sort());
    expect(f.find((x) => x.kind === "source_silent")!.explanation).toMatch(/^Web form sent no leads for the last 3 days of the period; it sent \d+(\.\d)? a day \(median\) before\.$/);
    expect(f.find((x) => x.kind === "share_jump")!.explanation).toBe("All route paths: review share 18.0% against 5.0% before (180 of 1000 leads; z 9.1).");
    expect(f.find((x) => x.kind === "rep_starved")!.explanation).toBe("Maya Chen received no leads in the period, after 40 in the 28 days before (10 a week).");
    // Critical first.
    expect(f[0]!.severity).toBe("critical");
  });

  it("ignores what is too small to judge: a rep with a few leads, shares on tiny samples, a trickle of a source", () => {
    expect(detectAnomalies({ ...EMPTY, reps: [{ key: "x", label: "X", baseline: 3, period: 0, baselineDays: 28, periodDays: 30 }] })).toEqual([]);
    expect(detectAnomalies({ ...EMPTY, shares: [{ key: "r", label: "R", metric: "review share", baseline: { k: 0, n: 20 }, period: { k: 15, n: 20 } }] })).toEqual([]);
    expect(detectAnomalies({ ...EMPTY, sources: [{ key: "s", label: "S", baseline: flat([0, 1, 0, 0, 2, 0, 1]), period: flat([0, 0, 0, 0, 0, 0, 0], 7) }] })).toEqual([]);
  });
});
