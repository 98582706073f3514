/**
 * A deterministic keyword classifier for the free text of a lead (message, use case). It is the always-available
 * fallback of the classify step: no network, microseconds per lead, and explainable (it returns the phrases it
 * matched). The AI layer (issue 5) sits in front of it and falls back to it.
 *
 * Scoring: each category has weighted phrases; a phrase counts once. The category with the highest score wins; the
 * confidence grows with the winner's score and its margin over the runner-up, capped below 1, so a single weak
 * keyword never looks certain. No match → "low_fit" with low confidence (the review guard then decides).
 */
import { z } from "zod";

export const Classification = z.object({
  category: z.string(),
  confidence: z.number().min(0).max(1),
  urgency: z.enum(["high", "normal", "low"]),
  /** The phrase that shows the urgency, if any. */
  urgencyPhrase: z.string().nullable(),
  /** A stated timeline in days ("within 2 weeks" → 14), if any. */
  timelineDays: z.number().nullable(),
  productHints: z.array(z.string()),
  /** 2–3 sentences for the rep. */
  briefing: z.string(),
  /** Which classifier produced this. */
  classifier: z.string(),
  /** Evidence: the phrases that scored. */
  matched: z.array(z.string()),
});
export type Classification = z.infer<typeof Classification>;

type Rules = Record<string, ReadonlyArray<readonly [string, number]>>;

const RULES: Rules = {
  sales_enterprise: [
    ["enterprise", 3], ["procurement", 3], ["rfp", 3], ["security review", 3], ["sso", 2], ["dpa", 2], ["multi-year", 3],
    ["company-wide", 3], ["rollout", 2], ["contract", 1], ["account executive", 2], ["budget", 2], ["analysts", 1],
    ["group companies", 3], ["audit log", 2], ["shortlist", 2], ["vendors", 1], ["replace", 1], ["consolidate", 2],
  ],
  pricing_demo: [
    ["pricing", 3], ["price", 2], ["quote", 3], ["demo", 3], ["trial", 3], ["cost", 2], ["walk us through", 2],
    ["how much", 2], ["tiers", 2], ["comparing", 1], ["book a", 1], ["annual billing", 2], ["plans", 1],
  ],
  support_request: [
    ["not working", 3], ["stopped", 2], ["error", 3], ["can't log in", 3], ["cannot log in", 3], ["login", 2],
    ["bug", 3], ["broken", 3], ["reset", 2], ["password", 2], ["500", 2], ["charged twice", 3], ["billing question", 3],
    ["existing customer", 2], ["empty", 1], ["fails", 2], ["issue", 1], ["help with our", 2],
  ],
  job_application: [
    ["cv", 3], ["resume", 3], ["applying", 3], ["application", 2], ["hiring", 3], ["internship", 3], ["job", 2],
    ["position", 2], ["role posted", 3], ["join the team", 3], ["career", 3],
  ],
  partner_request: [
    ["partner", 3], ["partnership", 3], ["reseller", 3], ["resell", 3], ["integrator", 3], ["consultancy", 2],
    ["agency", 1], ["referral program", 3], ["alliance", 2], ["integrates with", 2],
  ],
  vendor_solicitation: [
    ["we help", 2], ["we provide", 2], ["our services", 2], ["offshore", 3], ["seo", 3], ["backlinks", 3],
    ["outbound", 2], ["15 minutes", 2], ["sponsorship", 3], ["lead generation", 3], ["rates", 1], ["featured", 2],
  ],
  low_fit: [
    ["student", 3], ["personal use", 3], ["free version", 3], ["just curious", 3], ["just browsing", 3],
    ["whitepaper", 2], ["research", 1], ["no immediate need", 3], ["next year", 2], ["non-profit", 1], ["hobby", 3],
  ],
  spam: [
    ["buy cheap", 4], ["followers", 3], ["click here", 4], ["won a prize", 4], ["congratulations", 2], ["viagra", 5],
    ["casino", 4], ["crypto", 2], ["asdf", 4], ["qwerty", 4], ["test test", 4], ["lorem ipsum", 4],
  ],
};

const URGENT: ReadonlyArray<readonly [RegExp, "high" | "low"]> = [
  [/\b(asap|urgent(ly)?|immediately|right away|as soon as possible|this week|end of (this|the) week|hard deadline|by tomorrow)\b/i, "high"],
  [/\b(go-live|contract ends|board meeting)\b/i, "high"],
  [/\b(no rush|next quarter|next year|early in the process|just exploring|exploring options)\b/i, "low"],
];

const TIMELINE = /\b(?:within|in|by|over the next|next)\s+(?:(\d{1,3}|a|an|one|two|three|four|six)\s+)?(day|week|month)s?\b/i;
const WORD_NUMBERS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, six: 6 };
const UNIT_DAYS: Record<string, number> = { day: 1, week: 7, month: 30 };

const PRODUCTS: ReadonlyArray<readonly [string, RegExp]> = [
  ["analytics", /\b(analytics|dashboards?|reports?|bi)\b/i],
  ["platform", /\b(data platform|warehouse|pipeline|platform)\b/i],
  ["api", /\b(api|sdk|developer|endpoint)\b/i],
  ["payments", /\b(payments?|billing data|checkout)\b/i],
];

/** How a briefing names each default category ("Reads as a pricing or demo request"). */
export const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  sales_enterprise: "an enterprise sales inquiry",
  pricing_demo: "a pricing or demo request",
  support_request: "a support request",
  job_application: "a job application",
  partner_request: "a partnership request",
  vendor_solicitation: "a vendor pitch",
  low_fit: "an early, low-fit inquiry",
  spam: "spam",
};

/** The first sentence of `text` (20–240 characters up to `.`, `!` or `?`), else its first 200 characters. */
export function firstSentence(text: string): string {
  const s = text.replace(/\s+/g, " ").trim();
  const m = /^(.{20,240}?[.!?])(\s|$)/.exec(s);
  return (m ? m[1]! : s.slice(0, 200)).trim();
}

/** The signals any classifier reports besides the category: urgency (with its phrase), stated timeline, products. */
export interface TextSignals {
  urgency: Classification["urgency"];
  urgencyPhrase: string | null;
  timelineDays: number | null;
  productHints: string[];
}

/** The first urgency phrase in `text` ("ASAP" → high, "no rush" → low); none → normal. */
export function extractUrgency(text: string): Pick<TextSignals, "urgency" | "urgencyPhrase"> {
  for (const [re, level] of URGENT) {
    const m = re.exec(text);
    if (m) return { urgency: level, urgencyPhrase: m[0] };
  }
  return { urgency: "normal", urgencyPhrase: null };
}

/** A stated timeline in days ("within 2 weeks" → 14, "next month" → 30), or null. */
export function extractTimelineDays(text: string): number | null {
  const t = TIMELINE.exec(text);
  return t ? (t[1] === undefined ? 1 : Number(t[1]) || WORD_NUMBERS[t[1].toLowerCase()] || 1) * UNIT_DAYS[t[2]!.toLowerCase()]! : null;
}

/** Product keys the text mentions (analytics, platform, api, payments), in catalogue order. */
export function extractProductHints(text: string): string[] {
  return PRODUCTS.filter(([, re]) => re.test(text)).map(([p]) => p);
}

/** Urgency, timeline and product hints of `text` together. */
export function extractSignals(text: string): TextSignals {
  return { ...extractUrgency(text), timelineDays: extractTimelineDays(text), productHints: extractProductHints(text) };
}

/**
 * The rep's 2–3 sentence briefing: what the inquiry reads as and on which evidence, what they wrote, and the
 * urgency or stated timeline. Shared by every classifier so briefings read the same whoever produced them.
 */
export function composeBriefing(category: string, evidence: readonly string[], text: string, signals: TextSignals): string {
  const because = evidence.length > 0 ? ` (${evidence.slice(0, 3).map((m) => `“${m}”`).join(", ")})` : "";
  return [
    `Reads as ${CATEGORY_LABELS[category] ?? category}${because}.`,
    `They wrote: “${firstSentence(text)}”`,
    signals.urgency === "high" ? `Urgent: “${signals.urgencyPhrase}”.` : signals.timelineDays ? `Stated timeline: about ${signals.timelineDays} days.` : "",
  ].filter(Boolean).join(" ");
}

/**
 * Classifies free text into the default taxonomy. `taxonomy` limits the categories considered (categories without
 * rules are never chosen by this classifier).
 */
export function classifyByKeywords(text: string, taxonomy: readonly string[] = Object.keys(RULES)): Classification {
  const lower = ` ${text.toLowerCase().replace(/\s+/g, " ")} `;
  const scores: Array<{ category: string; score: number; matched: string[] }> = [];
  for (const category of taxonomy) {
    const rules = MATCHERS.get(category);
    if (!rules) continue;
    let score = 0;
    const matched: string[] = [];
    for (const { phrase, weight, test } of rules) {
      if (test(lower)) {
        score += weight;
        matched.push(phrase);
      }
    }
    scores.push({ category, score, matched });
  }
  scores.sort((a, b) => b.score - a.score);
  const best = scores[0];
  const second = scores[1]?.score ?? 0;
  const signals = extractSignals(text);

  if (!best || best.score === 0) {
    return {
      category: taxonomy.includes("low_fit") ? "low_fit" : (taxonomy[0] ?? "low_fit"),
      confidence: text.trim().length === 0 ? 0.2 : 0.35,
      ...signals,
      briefing: text.trim() ? `No clear intent in the message: “${firstSentence(text)}”` : "The lead left no message.",
      classifier: "keywords",
      matched: [],
    };
  }
  const margin = best.score - second;
  const confidence = Math.min(0.95, 0.45 + 0.06 * best.score + 0.06 * margin);
  return {
    category: best.category,
    confidence: Math.round(confidence * 100) / 100,
    ...signals,
    briefing: composeBriefing(best.category, best.matched, text, signals),
    classifier: "keywords",
    matched: best.matched,
  };
}

/** Multi-word and long phrases match as substrings; short tokens ("cv", "sso", "500") only as whole words. */
function phraseTest(phrase: string): (lowerText: string) => boolean {
  if (phrase.includes(" ") || phrase.length > 6) return (t) => t.includes(phrase);
  const re = new RegExp(`(^|[^a-z0-9])${phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^a-z0-9]|$)`);
  return (t) => re.test(t);
}

const MATCHERS = new Map(
  Object.entries(RULES).map(([category, rules]) => [category, rules.map(([phrase, weight]) => ({ phrase, weight, test: phraseTest(phrase) }))]),
);
