/**
 * Evaluates an LLM classifier the same way as the offline model (lib/classify/metrics.ts): accuracy, macro-F1,
 * per-class figures, confusion matrix, reliability table and the triage curve — on labelled texts it never saw
 * (an LLM is not trained here, so every example is held out). A failed call counts as a wrong answer with zero
 * confidence: in production that lead would have fallen back to the offline model.
 */
import "server-only";
import { summarizePredictions, type EvaluationMetrics, type Prediction } from "@/lib/classify/metrics";
import type { TrainingExample } from "@/lib/classify/text-classifier";
import type { LlmClassifier, LlmUsage } from "./llm";

export const FAILED = "(failed)";

export interface LlmEvaluation extends EvaluationMetrics {
  failures: number;
  failureReasons: Record<string, number>;
  usage: { inputTokens: number; outputTokens: number; costUsd: number | null; p50Ms: number | null; p95Ms: number | null };
}

export async function evaluateLlm(
  classifier: LlmClassifier,
  examples: readonly TrainingExample[],
  options: { taxonomy: readonly string[]; concurrency?: number; targetTriageRate?: number; onProgress?: (done: number, total: number) => void },
): Promise<LlmEvaluation> {
  const usable = examples.filter((e) => e.label.trim().length > 0);
  const predictions: Prediction[] = new Array(usable.length);
  const usages: LlmUsage[] = [];
  const failureReasons: Record<string, number> = {};
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < usable.length) {
      const i = next++;
      const e = usable[i]!;
      try {
        const r = await classifier.classifyWithUsage(e.text, { taxonomy: options.taxonomy, signal: AbortSignal.timeout(60_000) });
        usages.push(r.usage);
        predictions[i] = { label: e.label.trim(), predicted: r.classification.category, confidence: r.classification.confidence };
      } catch (error) {
        const usage = (error as { usage?: LlmUsage }).usage;
        if (usage) usages.push(usage);
        const reason = error instanceof Error ? error.name : "Error";
        failureReasons[reason] = (failureReasons[reason] ?? 0) + 1;
        predictions[i] = { label: e.label.trim(), predicted: FAILED, confidence: 0 };
      }
      options.onProgress?.(++done, usable.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  const metrics = summarizePredictions(predictions, { classes: options.taxonomy, targetTriageRate: options.targetTriageRate ?? 0.2 });
  const ms = usages.filter((u) => !u.cached).map((u) => u.latencyMs).sort((a, b) => a - b);
  const q = (p: number) => (ms.length ? ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)]! : null);
  const costs = usages.map((u) => u.costUsd);
  return {
    ...metrics,
    failures: predictions.filter((p) => p.predicted === FAILED).length,
    failureReasons,
    usage: {
      inputTokens: usages.reduce((a, u) => a + u.inputTokens, 0),
      outputTokens: usages.reduce((a, u) => a + u.outputTokens, 0),
      costUsd: costs.some((c) => c === null) ? null : costs.reduce<number>((a, c) => a + (c ?? 0), 0),
      p50Ms: q(0.5),
      p95Ms: q(0.95),
    },
  };
}
