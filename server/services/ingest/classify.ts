/**
 * The classify step's interface. Whatever classifier is configured reads only the free text (message, use case)
 * and returns a Classification; the pipeline keeps explicit form answers over it and falls back to the keyword
 * classifier when the configured one fails or times out, so leads always route.
 */
import "server-only";
import { Classification, classifyByKeywords } from "@/lib/classify/keyword";

export interface LeadClassifier {
  readonly name: string;
  classify(text: string, options: { taxonomy: readonly string[]; signal: AbortSignal }): Promise<Classification>;
}

/** The always-available, deterministic fallback. */
export const keywordClassifier: LeadClassifier = {
  name: "keywords",
  async classify(text, { taxonomy }) {
    return classifyByKeywords(text, taxonomy);
  },
};

export interface ClassifyOutcome {
  classification: Classification;
  /** The configured classifier failed and the keyword classifier answered. */
  fellBack: boolean;
  error: string | null;
  ms: number;
}

/** Runs `primary` with a timeout; on failure or timeout the keyword classifier answers and the outcome says why. */
export async function classifyText(
  primary: LeadClassifier,
  text: string,
  taxonomy: readonly string[],
  timeoutMs: number,
): Promise<ClassifyOutcome> {
  const started = performance.now();
  if (primary === keywordClassifier) {
    return { classification: classifyByKeywords(text, taxonomy), fellBack: false, error: null, ms: performance.now() - started };
  }
  try {
    // An answer outside the schema or the taxonomy is a failure, not a guess.
    const classification = Classification.parse(await primary.classify(text, { taxonomy, signal: AbortSignal.timeout(timeoutMs) }));
    if (!taxonomy.includes(classification.category)) throw new Error(`category “${classification.category}” is outside the taxonomy`);
    return { classification, fellBack: false, error: null, ms: performance.now() - started };
  } catch (error) {
    return {
      classification: classifyByKeywords(text, taxonomy),
      fellBack: true,
      error: error instanceof Error ? error.message : String(error),
      ms: performance.now() - started,
    };
  }
}
