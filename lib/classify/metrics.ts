/**
 * Classifier evaluation figures from a list of predictions: accuracy, per-class precision / recall / F1, macro-F1,
 * the confusion matrix, a reliability (calibration) table with its expected calibration error, and the triage
 * curve — what share of leads a confidence threshold sends to the review queue and how accurate the rest are —
 * with the threshold to recommend for a target triage rate.
 *
 * Conventions follow scikit-learn so figures compare with the literature: precision of a class never predicted is
 * 0, macro-F1 averages over the classes that occur as truth or prediction, ECE uses equal-width bins weighted by
 * their share of predictions.
 */
import { z } from "zod";

/** One scored prediction: the true label, the predicted one and the classifier's confidence in it (0–1). */
export interface Prediction {
  label: string;
  predicted: string;
  confidence: number;
}

export const ClassReport = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  /** Examples whose true label is this class. */
  support: z.number().int(),
  /** Examples predicted as this class. */
  predicted: z.number().int(),
});
export type ClassReport = z.infer<typeof ClassReport>;

export const ReliabilityBin = z.object({
  /** Confidence range [from, to) (the last bin includes 1). */
  from: z.number(),
  to: z.number(),
  count: z.number().int(),
  /** null when the bin is empty. */
  meanConfidence: z.number().nullable(),
  accuracy: z.number().nullable(),
  /** This bin's contribution to the ECE: share × |accuracy − mean confidence|. */
  ece: z.number(),
});
export type ReliabilityBin = z.infer<typeof ReliabilityBin>;

export const TriagePoint = z.object({
  threshold: z.number(),
  /** Share of predictions with confidence below the threshold (they would go to the review queue). */
  triageRate: z.number(),
  /** Predictions at or above the threshold. */
  kept: z.number().int(),
  /** Accuracy of the kept predictions; null when none is kept. */
  accuracy: z.number().nullable(),
});
export type TriagePoint = z.infer<typeof TriagePoint>;

export const EvaluationMetrics = z.object({
  n: z.number().int(),
  accuracy: z.number(),
  macroF1: z.number(),
  /** Row = true class, column = predicted class, both in `classes` order. */
  classes: z.array(z.string()),
  confusion: z.array(z.array(z.number().int())),
  perClass: z.array(ClassReport),
  reliability: z.array(ReliabilityBin),
  /** Expected calibration error (sum of the bins' contributions). */
  ece: z.number(),
  triageCurve: z.array(TriagePoint),
  targetTriageRate: z.number(),
  /** The threshold with the best kept accuracy among those triaging at most the target; null if none keeps any. */
  recommended: TriagePoint.nullable(),
});
export type EvaluationMetrics = z.infer<typeof EvaluationMetrics>;

const EPS = 1e-12;

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The confusion matrix over `classes` (row = true, column = predicted); labels outside `classes` are ignored. */
export function confusionMatrix(predictions: readonly Prediction[], classes: readonly string[]): number[][] {
  const index = new Map(classes.map((c, i) => [c, i]));
  const m = classes.map(() => classes.map(() => 0));
  for (const p of predictions) {
    const r = index.get(p.label);
    const c = index.get(p.predicted);
    if (r !== undefined && c !== undefined) m[r]![c]!++;
  }
  return m;
}

/**
 * Equal-width reliability table over [0, 1] (`bins` bins; confidence 1 falls in the last) and the expected
 * calibration error ECE = Σ (bin count / n) × |bin accuracy − bin mean confidence|.
 */
export function reliabilityTable(
  scored: ReadonlyArray<{ confidence: number; correct: boolean }>,
  bins = 10,
): { bins: ReliabilityBin[]; ece: number } {
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const right = new Array<number>(bins).fill(0);
  for (const s of scored) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(s.confidence * bins)));
    count[b]!++;
    conf[b]! += s.confidence;
    if (s.correct) right[b]!++;
  }
  const n = scored.length;
  let ece = 0;
  const table = count.map((c, b): ReliabilityBin => {
    const meanConfidence = c > 0 ? conf[b]! / c : null;
    const accuracy = c > 0 ? right[b]! / c : null;
    const part = c > 0 ? (c / n) * Math.abs(accuracy! - meanConfidence!) : 0;
    ece += part;
    return { from: b / bins, to: (b + 1) / bins, count: c, meanConfidence, accuracy, ece: part };
  });
  return { bins: table, ece };
}

/** Expected calibration error of (confidence, correct) pairs over `bins` equal-width bins. */
export function expectedCalibrationError(scored: ReadonlyArray<{ confidence: number; correct: boolean }>, bins = 10): number {
  return reliabilityTable(scored, bins).ece;
}

/**
 * The triage curve: for thresholds 0, step, 2·step … 1, the share of predictions below the threshold (to review)
 * and the accuracy of those at or above it.
 */
export function triageCurve(predictions: readonly Prediction[], step = 0.05): TriagePoint[] {
  const n = predictions.length;
  const points: TriagePoint[] = [];
  const steps = Math.round(1 / step);
  for (let i = 0; i <= steps; i++) {
    const threshold = Math.round(i * step * 1e9) / 1e9;
    let kept = 0;
    let right = 0;
    for (const p of predictions) {
      if (p.confidence + EPS >= threshold) {
        kept++;
        if (p.predicted === p.label) right++;
      }
    }
    points.push({ threshold, triageRate: n > 0 ? (n - kept) / n : 0, kept, accuracy: kept > 0 ? right / kept : null });
  }
  return points;
}

/**
 * The recommended threshold: highest kept accuracy among points whose triage rate is at most `target`; ties go to
 * the lower threshold (same accuracy, less manual work). null when no point qualifies.
 */
export function recommendThreshold(curve: readonly TriagePoint[], target: number): TriagePoint | null {
  let best: TriagePoint | null = null;
  for (const p of curve) {
    if (p.accuracy === null || p.triageRate > target + EPS) continue;
    if (!best || p.accuracy > best.accuracy! + EPS || (Math.abs(p.accuracy - best.accuracy!) <= EPS && p.threshold < best.threshold)) best = p;
  }
  return best;
}

/**
 * All evaluation figures for a list of predictions. `classes` fixes the confusion matrix's rows and columns (labels
 * seen in the predictions are added); macro-F1 averages the classes that occur as a true or predicted label.
 */
export function summarizePredictions(
  predictions: readonly Prediction[],
  options: { classes?: readonly string[]; targetTriageRate?: number; bins?: number; step?: number } = {},
): EvaluationMetrics {
  const target = options.targetTriageRate ?? 0.2;
  const occurring = sortedUnique(predictions.flatMap((p) => [p.label, p.predicted]));
  const classes = sortedUnique([...(options.classes ?? []), ...occurring]);
  const confusion = confusionMatrix(predictions, classes);
  const n = predictions.length;
  let right = 0;
  classes.forEach((_, i) => (right += confusion[i]![i]!));
  const perClass = classes.map((label, i): ClassReport => {
    const tp = confusion[i]![i]!;
    const support = confusion[i]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[i]!, 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support, predicted };
  });
  const averaged = perClass.filter((c) => occurring.includes(c.label));
  const macroF1 = averaged.length > 0 ? averaged.reduce((a, c) => a + c.f1, 0) / averaged.length : 0;
  const { bins, ece } = reliabilityTable(predictions.map((p) => ({ confidence: p.confidence, correct: p.predicted === p.label })), options.bins ?? 10);
  const curve = triageCurve(predictions, options.step ?? 0.05);
  return {
    n,
    accuracy: n > 0 ? right / n : 0,
    macroF1,
    classes,
    confusion,
    perClass,
    reliability: bins,
    ece,
    triageCurve: curve,
    targetTriageRate: target,
    recommended: recommendThreshold(curve, target),
  };
}
