import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeLead } from "@/lib/lead";
import { DEFAULT_SCORING_CONFIG, ScoringConfig, ScoringFacts, leadScoringFacts, score } from "@/lib/scoring";

describe("DEFAULT_SCORING_CONFIG", () => {
  it("is a valid config with tiers P1..P4", () => {
    expect(ScoringConfig.parse(DEFAULT_SCORING_CONFIG)).toEqual(DEFAULT_SCORING_CONFIG);
    expect(DEFAULT_SCORING_CONFIG.tiers.map((t) => t.tier)).toEqual(["P1", "P2", "P3", "P4"]);
  });

  it.each([
    [
      "VP at a 500-person company asking for a demo, urgently",
      { employees: 500, seniority: "vp", emailType: "business", routingRegion: "NA", productInterest: "Platform", intentCategory: "demo_request", urgency: "high" },
      96,
      "P1",
    ],
    [
      "CEO of an existing 5,000-person customer, pricing this quarter (fit and intent capped)",
      { employees: 5000, seniority: "c_level", emailType: "business", routingRegion: "EMEA", existingCustomer: true, productInterest: "API", intentCategory: "pricing", urgency: "high", timeline: "this_quarter" },
      100,
      "P1",
    ],
    [
      "Director at a mid-size company evaluating",
      { employees: 120, seniority: "director", emailType: "business", routingRegion: "APAC", intentCategory: "product_question", urgency: "medium" },
      59,
      "P2",
    ],
    [
      "Manager on free mail at a small company, pricing question",
      { employees: 30, seniority: "manager", emailType: "free", routingRegion: "LATAM", intentCategory: "pricing" },
      31,
      "P3",
    ],
    ["Support request from a customer", { emailType: "business", existingCustomer: true, intentCategory: "support" }, 5, "P4"],
    ["Classifier taxonomy: enterprise sales inquiry", { employees: 2000, seniority: "vp", emailType: "business", intentCategory: "sales_enterprise", urgency: "normal" }, 71, "P1"],
    ["Reference taxonomy: content download", { employees: 80, emailType: "business", routingRegion: "NA", intentCategory: "content_download" }, 28, "P3"],
    ["Classifier taxonomy: vendor solicitation", { emailType: "business", intentCategory: "vendor_solicitation" }, 0, "P4"],
    ["Classifier taxonomy: low fit", { employees: 3, emailType: "free", intentCategory: "low_fit", productInterest: "API" }, 0, "P4"],
    ["Disposable junk", { emailType: "disposable", isJunk: true, intentCategory: "spam" }, 0, "P4"],
    ["Nothing known", {}, 0, "P4"],
  ])("%s", (_label, facts, points, tier) => {
    const result = score(DEFAULT_SCORING_CONFIG, facts);
    expect(result.points).toBe(points);
    expect(result.tier).toBe(tier);
    expect(result.points).toBe(result.contributions.reduce((s, c) => s + c.points, 0));
  });

  it("explains a capped fit group", () => {
    const result = score(DEFAULT_SCORING_CONFIG, { employees: 5000, seniority: "c_level", emailType: "business", routingRegion: "NA", existingCustomer: true });
    expect(result.contributions.find((c) => c.ruleId === "cap:fit")).toMatchObject({ points: -15, value: 65, label: "Fit capped at 50" });
    expect(result.points).toBe(50);
  });

  it("scores any facts within 0–100 without throwing", () => {
    fc.assert(
      fc.property(fc.anything(), (facts) => {
        const result = score(DEFAULT_SCORING_CONFIG, facts);
        expect(result.points).toBeGreaterThanOrEqual(0);
        expect(result.points).toBeLessThanOrEqual(100);
      }),
    );
  });
});

describe("leadScoringFacts", () => {
  it("assembles facts from a normalised lead plus enrichment and classification", () => {
    const lead = normalizeLead({
      email: "maria.garcia@acme.es",
      firstName: "María",
      lastName: "García",
      title: "Directora de Marketing",
      employees: "201-500",
      country: "España",
      productInterest: "Routing",
    });
    const facts = leadScoringFacts(lead, { intentCategory: "demo_request", urgency: "medium", existingCustomer: false });
    expect(ScoringFacts.parse(facts)).toEqual(facts);
    expect(facts).toEqual({
      employees: 350,
      employeeBand: "200-999",
      seniority: "director",
      productInterest: "Routing",
      emailType: "business",
      country: "ES",
      routingRegion: "EMEA",
      isJunk: false,
      existingCustomer: false,
      intentCategory: "demo_request",
      urgency: "medium",
      timeline: null,
    });
    const result = score(DEFAULT_SCORING_CONFIG, facts);
    expect(result.contributions.map((c) => c.ruleId)).toEqual([
      "size-200",
      "seniority-director",
      "email-business",
      "region-served",
      "product-interest",
      "intent-buy",
      "urgency-medium",
    ]);
    expect(result.points).toBe(15 + 12 + 10 + 5 + 10 + 25 + 7);
    expect(result.tier).toBe("P1");
    expect(result.missingFields).toEqual(["timeline"]);
  });

  it("lets enrichment's head count win and defaults missing extras to null", () => {
    const lead = normalizeLead({ email: "x@mailinator.com", firstName: "asdf", lastName: "asdf", employees: "1-10" });
    const facts = leadScoringFacts(lead, { employees: 2500 });
    expect(facts.employees).toBe(2500);
    expect(facts.isJunk).toBe(true);
    expect(facts.intentCategory).toBeNull();
    expect(score(DEFAULT_SCORING_CONFIG, facts).tier).toBe("P4");
  });
});
