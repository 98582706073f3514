/**
 * The classify step's interface. Whatever classifiers are configured read only the free text (message, use case)
 * and return a Classification; they are tried in order (the LLM when configured, then the workspace's offline
 * model) and the keyword classifier answers if all of them fail, so leads always route. The pipeline keeps
 * explicit form answers over any of them.
 */
import "server-only";
import { Classification, classifyByKeywords } from "@/lib/classify/keyword";

/** What one call cost (LLM classifiers report it; the offline ones cost nothing). */
export interface ClassifierUsage {
  latencyMs: number;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  cached: boolean;
  attempts: number;
  model: string;
  api: string;
}

export interface LeadClassifier {
  readonly name: string;
  classify(text: string, options: { taxonomy: readonly string[]; signal: AbortSignal }): Promise<Classification>;
  /** Classifiers that call a paid model also say what the call cost. */
  classifyWithUsage?(text: string, options: { taxonomy: readonly string[]; signal: AbortSignal }): Promise<{ classification: Classification; usage: ClassifierUsage }>;
}

/** The always-available, deterministic last resort. */
export const keywordClassifier: LeadClassifier = {
  name: "keywords",
  async classify(text, { taxonomy }) {
    return classifyByKeywords(text, taxonomy);
  },
};

export interface ClassifierAttempt {
  classifier: string;
  ok: boolean;
  error: string | null;
  ms: number;
}

export interface ClassifyOutcome {
  classification: Classification;
  /** The first classifier of the chain failed and a later one answered. */
  fellBack: boolean;
  /** Why the first one failed, if it did. */
  error: string | null;
  ms: number;
  attempts: ClassifierAttempt[];
  /** The LLM's usage when an LLM was called (also when it failed and another classifier answered). */
  usage: ClassifierUsage | null;
}

/**
 * Runs `chain` in order, each within `timeoutMs` (an LLM classifier also enforces its own per-attempt timeout);
 * the first valid answer wins. An answer outside the schema or the taxonomy is a failure, not a guess. When every
 * classifier fails, the keyword classifier answers and the outcome says why.
 */
export async function classifyText(
  chain: LeadClassifier | readonly LeadClassifier[],
  text: string,
  taxonomy: readonly string[],
  timeoutMs: number,
): Promise<ClassifyOutcome> {
  const classifiers = Array.isArray(chain) ? (chain as readonly LeadClassifier[]) : [chain as LeadClassifier];
  const started = performance.now();
  const attempts: ClassifierAttempt[] = [];
  let usage: ClassifierUsage | null = null;
  let firstError: string | null = null;
  for (const classifier of classifiers) {
    const t0 = performance.now();
    if (classifier === keywordClassifier) break;
    try {
      const options = { taxonomy, signal: AbortSignal.timeout(timeoutMs) };
      let answer: unknown;
      if (classifier.classifyWithUsage) {
        const r = await classifier.classifyWithUsage(text, options);
        usage = r.usage;
        answer = r.classification;
      } else {
        answer = await classifier.classify(text, options);
      }
      const classification = Classification.parse(answer);
      if (!taxonomy.includes(classification.category)) throw new Error(`category “${classification.category}” is outside the taxonomy`);
      attempts.push({ classifier: classifier.name, ok: true, error: null, ms: performance.now() - t0 });
      return { classification, fellBack: attempts.length > 1, error: firstError, ms: performance.now() - started, attempts, usage };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      firstError ??= `${classifier.name}: ${message}`;
      const failedUsage = (error as { usage?: ClassifierUsage }).usage;
      if (failedUsage) usage = failedUsage;
      attempts.push({ classifier: classifier.name, ok: false, error: message, ms: performance.now() - t0 });
    }
  }
  const t0 = performance.now();
  const classification = classifyByKeywords(text, taxonomy);
  attempts.push({ classifier: keywordClassifier.name, ok: true, error: null, ms: performance.now() - t0 });
  return { classification, fellBack: attempts.length > 1, error: firstError, ms: performance.now() - started, attempts, usage };
}
