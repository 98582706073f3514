import { beforeAll, describe, expect, it } from "vitest";
import { type EvaluationReport, evaluateClassifier as evaluate, evaluateClassifierAsync } from "@/lib/classify/evaluate";
import { EvaluationMetrics } from "@/lib/classify/metrics";
import { DEFAULT_TRAINING_SET } from "@/lib/classify/training-set";

/** Each evaluation trains one to five models of about a second each; leave room for coverage and a busy machine. */
const SLOW = 60_000;

describe("evaluateClassifier on the shipped labelled set", () => {
  // Acceptance criterion (issue 5): ≥ 85% accuracy on a held-out stratified 20% of the shipped set.
  let holdout: EvaluationReport;
  beforeAll(() => {
    holdout = evaluate(DEFAULT_TRAINING_SET, { holdout: 0.2 });
  }, SLOW);

  it("reaches at least 85% accuracy on a stratified 20% hold-out", () => {
    expect(holdout.method).toEqual({ kind: "holdout", ratio: 0.2 });
    expect(holdout.n).toBeGreaterThanOrEqual(Math.floor(DEFAULT_TRAINING_SET.length * 0.19));
    expect(holdout.n).toBeLessThanOrEqual(Math.ceil(DEFAULT_TRAINING_SET.length * 0.21));
    expect(holdout.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(holdout.macroF1).toBeGreaterThanOrEqual(0.85);
  });

  it("holds out every class in proportion", () => {
    for (const c of holdout.perClass) expect(c.support).toBeGreaterThanOrEqual(18);
  });

  it("is better calibrated than the raw model and recommends a threshold within the triage target", () => {
    expect(holdout.ece).toBeLessThan(holdout.uncalibrated.ece);
    expect(holdout.ece).toBeLessThanOrEqual(0.1);
    expect(holdout.recommended).not.toBeNull();
    expect(holdout.recommended!.triageRate).toBeLessThanOrEqual(0.2);
    expect(holdout.recommended!.accuracy!).toBeGreaterThanOrEqual(holdout.accuracy);
    expect(() => EvaluationMetrics.parse(holdout)).not.toThrow();
  });

  it("is deterministic for a seed", () => {
    const again = evaluate(DEFAULT_TRAINING_SET, { holdout: 0.2 });
    expect(again.predictions).toEqual(holdout.predictions);
  }, SLOW);
});

describe("evaluateClassifier mechanics", () => {
  const SMALL = DEFAULT_TRAINING_SET.filter((_, i) => i % 4 === 0);

  it("k-fold scores every example exactly once and reports each fold", () => {
    const folds: number[] = [];
    const r = evaluate(SMALL, { folds: 3, seed: 7, train: { calibrationFolds: 0 }, onFold: (p) => folds.push(p.fold) });
    expect(folds).toEqual([1, 2, 3]);
    expect(r.method).toEqual({ kind: "kfold", folds: 3 });
    expect(r.n).toBe(SMALL.length);
    expect(r.predictions.map((p) => p.index)).toEqual(SMALL.map((_, i) => i));
    expect(r.temperatures).toEqual([1, 1, 1]);
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(SMALL.length);
    expect(r.targetTriageRate).toBe(0.2);
  }, SLOW);

  it("evaluates the same when it pauses between units of work", async () => {
    let pauses = 0;
    const options = { folds: 3, seed: 7, train: { calibrationFolds: 0, epochs: 3 } };
    const r = await evaluateClassifierAsync(SMALL, options, async () => { pauses++; });
    expect(pauses).toBeGreaterThan(2);
    expect(r).toEqual(evaluate(SMALL, options));
  }, SLOW);

  it("defaults to 5 folds, honours the triage target, and skips unlabelled examples", () => {
    const r = evaluate([...SMALL, { text: "no label", label: " " }], { targetTriageRate: 0.05, train: { calibrationFolds: 0, epochs: 3 } });
    expect(r.method).toEqual({ kind: "kfold", folds: 5 });
    expect(r.examples).toBe(SMALL.length);
    expect(r.targetTriageRate).toBe(0.05);
    if (r.recommended) expect(r.recommended.triageRate).toBeLessThanOrEqual(0.05);
  }, SLOW);

  it("refuses both folds and holdout", () => {
    expect(() => evaluate(SMALL, { folds: 5, holdout: 0.2 })).toThrow(RangeError);
  });
});
