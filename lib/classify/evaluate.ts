/**
 * The evaluation harness: trains the offline classifier on stratified splits of labelled texts and scores the
 * held-out parts, giving the figures of metrics.ts on predictions the model never trained on, calibrated and
 * uncalibrated side by side. Used by `npm run eval:classifier`, the Settings page and the tests.
 */
import { createRandom } from "../random";
import { summarizePredictions, reliabilityTable, type EvaluationMetrics, type Prediction, type ReliabilityBin } from "./metrics";
import { stratifiedFolds, stratifiedHoldout } from "./splits";
import { loadTextClassifier, runPausing, runToEnd, trainSteps, type ClassifierModel, type TrainingExample, type TrainOptions } from "./text-classifier";

export interface EvaluateOptions {
  /** Stratified k-fold cross-validation with this many folds (the default, 5, when neither is given). */
  folds?: number;
  /** Stratified hold-out: this share of each class is held out (e.g. 0.2). */
  holdout?: number;
  /** Seed of the split and of training (default "switchyard-eval"). */
  seed?: number | string;
  /** Triage rate the recommended threshold must not exceed (default 0.2). */
  targetTriageRate?: number;
  /** Training options for every fold's model (its seed is derived from `seed` unless given). */
  train?: TrainOptions;
  /** Called after each fold is scored, for progress reports. */
  onFold?: (progress: { fold: number; folds: number; trainSize: number; testSize: number }) => void;
}

export interface EvaluationReport extends EvaluationMetrics {
  method: { kind: "kfold"; folds: number } | { kind: "holdout"; ratio: number };
  seed: number | string;
  examples: number;
  /** The same held-out predictions with the temperature set to 1: what calibration changed. */
  uncalibrated: { ece: number; reliability: ReliabilityBin[] };
  /** Each fold model's fitted temperature. */
  temperatures: number[];
  /** Held-out predictions in example order (hold-out: only the held-out examples). */
  predictions: Array<Prediction & { index: number }>;
}

/**
 * Evaluates the offline classifier on `examples` by stratified k-fold cross-validation or a stratified hold-out
 * and returns accuracy, macro-F1, per-class figures, the confusion matrix, the reliability table (calibrated and
 * not) and the triage curve with its recommended threshold. Deterministic for a given seed.
 */
export function evaluateClassifier(examples: readonly TrainingExample[], options: EvaluateOptions = {}): EvaluationReport {
  return runToEnd(evaluateSteps(examples, options));
}

/** The same evaluation, awaiting `pause` between units of work (see trainTextClassifierAsync). */
export async function evaluateClassifierAsync(examples: readonly TrainingExample[], options: EvaluateOptions, pause: () => Promise<void>): Promise<EvaluationReport> {
  return runPausing(evaluateSteps(examples, options), pause);
}

function* evaluateSteps(examples: readonly TrainingExample[], options: EvaluateOptions): Generator<void, EvaluationReport> {
  if (options.folds !== undefined && options.holdout !== undefined) throw new RangeError("choose either folds or holdout, not both");
  const seed = options.seed ?? "switchyard-eval";
  const random = createRandom(seed);
  const usable = examples.filter((e) => e.label.trim().length > 0);
  const labels = usable.map((e) => e.label.trim());
  const splits: Array<{ train: number[]; test: number[] }> = [];
  let method: EvaluationReport["method"];
  if (options.holdout !== undefined) {
    splits.push(stratifiedHoldout(labels, options.holdout, random.fork("split")));
    method = { kind: "holdout", ratio: options.holdout };
  } else {
    const k = options.folds ?? 5;
    const fold = stratifiedFolds(labels, k, random.fork("split"));
    for (let f = 0; f < k; f++) {
      splits.push({
        train: fold.flatMap((v, i) => (v === f ? [] : [i])),
        test: fold.flatMap((v, i) => (v === f ? [i] : [])),
      });
    }
    method = { kind: "kfold", folds: k };
  }

  const predictions: Array<Prediction & { index: number }> = [];
  const raw: Array<{ confidence: number; correct: boolean }> = [];
  const temperatures: number[] = [];
  for (const [f, split] of splits.entries()) {
    const model: ClassifierModel = yield* trainSteps(
      split.train.map((i) => usable[i]!),
      { ...options.train, seed: options.train?.seed ?? `${String(seed)}/fold-${f}` },
    );
    temperatures.push(model.calibration.temperature);
    const classifier = loadTextClassifier(model);
    for (const i of split.test) {
      const text = usable[i]!.text;
      const p = classifier.classify(text);
      predictions.push({ index: i, label: labels[i]!, predicted: p.label, confidence: p.confidence });
      const u = classifier.classify(text, 1);
      raw.push({ confidence: u.confidence, correct: u.label === labels[i] });
    }
    options.onFold?.({ fold: f + 1, folds: splits.length, trainSize: split.train.length, testSize: split.test.length });
    yield;
  }
  const order = predictions.map((p, j) => [p.index, j] as const).sort((a, b) => a[0] - b[0]);
  const sortedPredictions = order.map(([, j]) => predictions[j]!);
  const sortedRaw = order.map(([, j]) => raw[j]!);
  const metrics = summarizePredictions(sortedPredictions, { classes: [...new Set(labels)], targetTriageRate: options.targetTriageRate ?? 0.2 });
  const uncal = reliabilityTable(sortedRaw);
  return {
    ...metrics,
    method,
    seed,
    examples: usable.length,
    uncalibrated: { ece: uncal.ece, reliability: uncal.bins },
    temperatures,
    predictions: sortedPredictions,
  };
}
