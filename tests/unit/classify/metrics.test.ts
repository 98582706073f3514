import { describe, expect, it } from "vitest";
import {
  confusionMatrix,
  EvaluationMetrics,
  expectedCalibrationError,
  recommendThreshold,
  reliabilityTable,
  summarizePredictions,
  triageCurve,
  type Prediction,
} from "@/lib/classify/metrics";

const p = (label: string, predicted: string, confidence: number): Prediction => ({ label, predicted, confidence });

// Six predictions over classes a, b, c, worked out by hand:
//   a: 3 true, predicted a,a,b      → tp 2
//   b: 2 true, predicted b,c        → tp 1
//   c: 1 true, predicted c          → tp 1
// predicted counts: a 2, b 2, c 2.
const SIX: Prediction[] = [
  p("a", "a", 0.9),
  p("a", "a", 0.8),
  p("a", "b", 0.6),
  p("b", "b", 0.7),
  p("b", "c", 0.4),
  p("c", "c", 0.95),
];

describe("confusion matrix and per-class figures", () => {
  it("counts rows as truth and columns as predictions", () => {
    expect(confusionMatrix(SIX, ["a", "b", "c"])).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    // labels outside the class list are ignored
    expect(confusionMatrix([p("x", "a", 1)], ["a"])).toEqual([[0]]);
  });

  it("computes accuracy, precision, recall, F1 and macro-F1 as worked out by hand", () => {
    const m = summarizePredictions(SIX);
    expect(m.n).toBe(6);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    const [a, b, c] = m.perClass;
    // a: P = 2/2, R = 2/3, F1 = 0.8
    expect(a).toMatchObject({ label: "a", support: 3, predicted: 2 });
    expect(a!.precision).toBeCloseTo(1, 12);
    expect(a!.recall).toBeCloseTo(2 / 3, 12);
    expect(a!.f1).toBeCloseTo(0.8, 12);
    // b: P = 1/2, R = 1/2, F1 = 0.5
    expect(b!.f1).toBeCloseTo(0.5, 12);
    // c: P = 1/2, R = 1, F1 = 2/3
    expect(c!.precision).toBeCloseTo(0.5, 12);
    expect(c!.recall).toBeCloseTo(1, 12);
    expect(c!.f1).toBeCloseTo(2 / 3, 12);
    expect(m.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
    expect(() => EvaluationMetrics.parse(m)).not.toThrow();
  });

  it("keeps classes given but absent in the matrix, and averages macro-F1 only over occurring classes", () => {
    const m = summarizePredictions([p("a", "a", 1), p("b", "a", 1)], { classes: ["a", "b", "z"] });
    expect(m.classes).toEqual(["a", "b", "z"]);
    expect(m.confusion).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [0, 0, 0],
    ]);
    // a: P 1/2 R 1 F1 2/3; b: never predicted → P 0, R 0, F1 0; z does not occur.
    expect(m.perClass.find((c) => c.label === "b")).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(m.macroF1).toBeCloseTo((2 / 3 + 0) / 2, 12);
  });

  it("handles no predictions", () => {
    const m = summarizePredictions([]);
    expect(m).toMatchObject({ n: 0, accuracy: 0, macroF1: 0, ece: 0, recommended: null });
    expect(m.triageCurve.every((t) => t.accuracy === null && t.triageRate === 0)).toBe(true);
  });
});

describe("reliability table and ECE", () => {
  it("bins by confidence and weights each bin's gap by its share", () => {
    const scored = [
      { confidence: 0.95, correct: true },
      { confidence: 0.95, correct: false },
      { confidence: 0.15, correct: false },
      { confidence: 1, correct: true }, // 1.0 falls in the last bin
    ];
    const { bins, ece } = reliabilityTable(scored);
    expect(bins).toHaveLength(10);
    expect(bins[9]).toMatchObject({ count: 3 });
    expect(bins[9]!.meanConfidence).toBeCloseTo((0.95 + 0.95 + 1) / 3, 12);
    expect(bins[9]!.accuracy).toBeCloseTo(2 / 3, 12);
    expect(bins[1]).toMatchObject({ count: 1, accuracy: 0 });
    expect(bins[5]).toMatchObject({ count: 0, meanConfidence: null, accuracy: null, ece: 0 });
    // ECE = 3/4 · |2/3 − 0.9667| + 1/4 · |0 − 0.15|
    const expected = (3 / 4) * Math.abs(2 / 3 - 2.9 / 3) + (1 / 4) * 0.15;
    expect(ece).toBeCloseTo(expected, 12);
    expect(expectedCalibrationError(scored)).toBeCloseTo(expected, 12);
  });

  it("is zero for perfectly calibrated bins", () => {
    const scored = [
      ...Array.from({ length: 4 }, (_, i) => ({ confidence: 0.75, correct: i < 3 })),
      ...Array.from({ length: 2 }, (_, i) => ({ confidence: 0.55, correct: i < 1 })),
    ];
    // 0.75 bin: 3/4 right; 0.55 bin: 1/2 right (gap 0.05, share 1/3)
    expect(expectedCalibrationError(scored)).toBeCloseTo((2 / 6) * 0.05, 12);
  });
});

describe("triage curve and recommended threshold", () => {
  it("sends predictions below the threshold to review and scores the rest", () => {
    const curve = triageCurve(SIX);
    expect(curve).toHaveLength(21);
    expect(curve[0]).toMatchObject({ threshold: 0, triageRate: 0, kept: 6 });
    expect(curve[0]!.accuracy).toBeCloseTo(4 / 6, 12);
    // threshold 0.5: 0.4 (wrong) goes to review → 5 kept, 4 right
    const half = curve.find((t) => t.threshold === 0.5)!;
    expect(half.triageRate).toBeCloseTo(1 / 6, 12);
    expect(half.accuracy).toBeCloseTo(4 / 5, 12);
    // threshold 0.65: 0.4 and 0.6 go → 4 kept, all right
    const t065 = curve.find((t) => t.threshold === 0.65)!;
    expect(t065).toMatchObject({ kept: 4, accuracy: 1 });
    expect(t065.triageRate).toBeCloseTo(2 / 6, 12);
    // a confidence exactly at the threshold is kept
    expect(curve.find((t) => t.threshold === 0.6)!.kept).toBe(5);
    expect(curve[20]).toMatchObject({ threshold: 1, kept: 0, accuracy: null, triageRate: 1 });
  });

  it("recommends the most accurate threshold within the triage budget, preferring the lower one on ties", () => {
    const curve = triageCurve(SIX);
    // ≤ 20% triage allows thresholds up to 0.6 (1/6 triaged); accuracy 4/5 first reached at 0.45.
    expect(recommendThreshold(curve, 0.2)).toMatchObject({ threshold: 0.45, kept: 5 });
    // ≤ 40% allows 0.65 → accuracy 1 (first threshold reaching it)
    expect(recommendThreshold(curve, 0.4)).toMatchObject({ threshold: 0.65, accuracy: 1 });
    // no budget → threshold 0 (keeps everything; lowest among equals)
    expect(recommendThreshold(curve, 0)).toMatchObject({ threshold: 0, triageRate: 0 });
    expect(summarizePredictions(SIX, { targetTriageRate: 0.4 }).recommended?.threshold).toBe(0.65);
    expect(recommendThreshold([{ threshold: 0.5, triageRate: 1, kept: 0, accuracy: null }], 0.2)).toBeNull();
  });
});
