import { describe, expect, it } from "vitest";
import {
  CATEGORY_LABELS,
  classifyByKeywords,
  composeBriefing,
  extractProductHints,
  extractSignals,
  extractTimelineDays,
  extractUrgency,
  firstSentence,
} from "@/lib/classify/keyword";
import { composeMessage } from "@/db/seed/messages";
import { CATEGORIES, PRODUCTS } from "@/db/seed/catalog";
import { createRandom } from "@/lib/random";

describe("classifyByKeywords", () => {
  it.each([
    ["We need an enterprise agreement with SSO and a security review for 500 analysts", "sales_enterprise"],
    ["Could you send pricing? Is there a trial?", "pricing_demo"],
    ["Our dashboards stopped refreshing and the API returns error 500", "support_request"],
    ["Please find my CV attached for the data engineer position", "job_application"],
    ["We are a consultancy and want to become a reseller partner", "partner_request"],
    ["We help SaaS companies with SEO and backlinks, 15 minutes this week?", "vendor_solicitation"],
    ["Just curious, I'm a student working on a project", "low_fit"],
    ["Buy cheap followers now, click here", "spam"],
  ])("%s → %s", (text, category) => {
    const c = classifyByKeywords(text);
    expect(c.category).toBe(category);
    expect(c.confidence).toBeGreaterThan(0.5);
    expect(c.matched.length).toBeGreaterThan(0);
    expect(c.briefing).toContain("Reads as");
  });

  it("says it does not know, with low confidence, when nothing matches", () => {
    const c = classifyByKeywords("Hello there");
    expect(c).toMatchObject({ category: "low_fit", matched: [] });
    expect(c.confidence).toBeLessThan(0.5);
    expect(classifyByKeywords("").briefing).toBe("The lead left no message.");
  });

  it("finds urgency, timelines and product hints", () => {
    const c = classifyByKeywords("We need pricing ASAP, we go live within 2 weeks with our dashboards and API");
    expect(c).toMatchObject({ urgency: "high", timelineDays: 14 });
    expect(c.urgencyPhrase?.toLowerCase()).toBe("asap");
    expect(c.productHints).toEqual(expect.arrayContaining(["analytics", "api"]));
    expect(classifyByKeywords("No rush, planning for next quarter; demo please").urgency).toBe("low");
    expect(classifyByKeywords("a trial over the next month").timelineDays).toBe(30);
  });

  it("matches short tokens only as whole words and respects the taxonomy", () => {
    expect(classifyByKeywords("I discovered the project").matched).not.toContain("cv");
    expect(classifyByKeywords("pricing please", ["support_request", "spam"]).category).not.toBe("pricing_demo");
  });

  it("is a useful baseline on the demo's generated inquiries (≥ 75% of non-spam)", () => {
    const r = createRandom("kw-eval");
    let right = 0;
    let total = 0;
    for (let i = 0; i < 800; i++) {
      const category = r.pick(CATEGORIES);
      const msg = composeMessage(r, category, r.pick(PRODUCTS), "Germany");
      if (classifyByKeywords(msg.text).category === category) right++;
      total++;
    }
    expect(right / total).toBeGreaterThan(0.75);
  });
});

describe("the shared signal extraction", () => {
  it.each([
    ["Need this ASAP", "high", "ASAP"],
    ["no rush at all", "low", "no rush"],
    ["Hello", "normal", null],
  ])("extractUrgency(%j) → %s", (text, urgency, phrase) => {
    expect(extractUrgency(text)).toEqual({ urgency, urgencyPhrase: phrase });
  });

  it.each([
    ["go live within 3 weeks", 21],
    ["a pilot next month", 30],
    ["decide in two days", 2],
    ["someday", null],
  ])("extractTimelineDays(%j) → %s", (text, days) => {
    expect(extractTimelineDays(text)).toBe(days);
  });

  it("finds products and composes the same briefing for every classifier", () => {
    expect(extractProductHints("our checkout and the API")).toEqual(["api", "payments"]);
    const text = "We need a product demo for our team. Our go-live is close.";
    const signals = extractSignals(text);
    expect(signals).toEqual({ urgency: "high", urgencyPhrase: "go-live", timelineDays: null, productHints: [] });
    expect(composeBriefing("pricing_demo", ["demo"], text, signals)).toBe(
      "Reads as a pricing or demo request (“demo”). They wrote: “We need a product demo for our team.” Urgent: “go-live”.",
    );
    expect(composeBriefing("custom", [], "Short", { ...signals, urgency: "normal", timelineDays: 7 })).toBe(
      "Reads as custom. They wrote: “Short” Stated timeline: about 7 days.",
    );
    expect(firstSentence("  One   two three four five six. Seven  ")).toBe("One two three four five six.");
    expect(CATEGORY_LABELS.spam).toBe("spam");
  });
});
