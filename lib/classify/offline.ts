/**
 * The offline classifier behind the classify step's interface: the trained text model picks the category and its
 * calibrated confidence; urgency, timeline, product hints and the briefing come from the same extraction the
 * keyword classifier uses, so every classifier's output reads alike. No network, microseconds per lead.
 */
import { composeBriefing, extractSignals, firstSentence, type Classification } from "./keyword";
import { loadTextClassifier, type ClassifierModel, type TextClassifier } from "./text-classifier";

const loaded = new WeakMap<ClassifierModel, TextClassifier>();

/** The loaded classifier for `model`, built once per model object (loading indexes the weights). */
export function offlineClassifierFor(model: ClassifierModel | TextClassifier): TextClassifier {
  if ("classify" in model) return model;
  let classifier = loaded.get(model);
  if (!classifier) {
    classifier = loadTextClassifier(model);
    loaded.set(model, classifier);
  }
  return classifier;
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;
/** The highest confidence the offline model reports. */
export const MAX_CONFIDENCE = 0.99;

/**
 * Classifies a lead's free text with the offline model, limited to `taxonomy`: the probabilities of the taxonomy's
 * categories the model knows are renormalised and the best one wins, with that renormalised probability as the
 * confidence. Categories the model was never trained on cannot be chosen; if it knows none of them, or the text is
 * empty, the answer is "low_fit" (or the taxonomy's first category) with a low confidence so the review guard
 * sends the lead to a human. `matched` lists the words and phrases that pushed hardest towards the category.
 */
export function classifyOffline(model: ClassifierModel | TextClassifier, text: string, taxonomy: readonly string[]): Classification {
  const classifier = offlineClassifierFor(model);
  const signals = extractSignals(text);
  const fallback = taxonomy.includes("low_fit") ? "low_fit" : (taxonomy[0] ?? "low_fit");
  const known = taxonomy.filter((c) => classifier.classes.includes(c));
  if (known.length === 0) {
    return {
      category: fallback,
      confidence: 0,
      ...signals,
      briefing: `The offline model knows none of this workspace's categories; retrain it from labelled leads. They wrote: “${firstSentence(text)}”`,
      classifier: "offline",
      matched: [],
    };
  }
  const prediction = classifier.classify(text);
  let total = 0;
  for (const c of known) total += prediction.probabilities[c]!;
  if (text.trim().length === 0) {
    // Nothing to read: the model's answer is its class prior, which says nothing about this lead.
    const prior = known.includes(fallback) ? prediction.probabilities[fallback]! / total : 0;
    return { category: fallback, confidence: round3(Math.min(0.2, prior)), ...signals, briefing: "The lead left no message.", classifier: "offline", matched: [] };
  }
  let category = known[0]!;
  for (const c of known) if (prediction.probabilities[c]! > prediction.probabilities[category]!) category = c;
  const matched = classifier.explain(text, category, 3).map((e) => e.phrase);
  return {
    category,
    // Never certainty: a text model that says 100% invites thresholds nothing should pass.
    confidence: Math.min(MAX_CONFIDENCE, round3(total > 0 ? prediction.probabilities[category]! / total : 0)),
    ...signals,
    briefing: composeBriefing(category, matched, text, signals),
    classifier: "offline",
    matched,
  };
}
