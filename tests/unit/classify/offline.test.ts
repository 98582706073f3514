import { beforeAll, describe, expect, it } from "vitest";
import { Classification } from "@/lib/classify/keyword";
import { classifyOffline, MAX_CONFIDENCE, offlineClassifierFor } from "@/lib/classify/offline";
import { trainTextClassifier, type ClassifierModel } from "@/lib/classify/text-classifier";
import { DEFAULT_TRAINING_SET } from "@/lib/classify/training-set";
import { DEFAULT_CATEGORIES } from "@/lib/ingest/lead-input";

let model: ClassifierModel;

beforeAll(() => {
  model = trainTextClassifier(DEFAULT_TRAINING_SET);
}, 60_000);

describe("classifyOffline", () => {
  it("returns the project's Classification with the model's category and the shared signal extraction", () => {
    const c = classifyOffline(model, "We need pricing for 40 users ASAP, we go live within 2 weeks with our dashboards and API.", DEFAULT_CATEGORIES);
    expect(() => Classification.parse(c)).not.toThrow();
    expect(c).toMatchObject({ category: "pricing_demo", classifier: "offline", urgency: "high", timelineDays: 14 });
    expect(c.urgencyPhrase?.toLowerCase()).toBe("asap");
    expect(c.productHints).toEqual(expect.arrayContaining(["analytics", "api"]));
    expect(c.confidence).toBeGreaterThan(0.5);
    expect(c.matched.length).toBeGreaterThan(0);
    expect(c.briefing).toMatch(/^Reads as a pricing or demo request \(“.+”\)\. They wrote: “We need pricing/);
    expect(c.briefing).toContain("Urgent: “ASAP”.");
  });

  it("restricts the choice to the taxonomy and renormalises the confidence", () => {
    const text = "Could you send pricing for 12 users and book a demo?";
    const full = offlineClassifierFor(model).classify(text);
    const limited = classifyOffline(model, text, ["support_request", "spam", "low_fit"]);
    expect(["support_request", "spam", "low_fit"]).toContain(limited.category);
    const mass = full.probabilities.support_request! + full.probabilities.spam! + full.probabilities.low_fit!;
    expect(limited.confidence).toBeCloseTo(Math.min(MAX_CONFIDENCE, full.probabilities[limited.category]! / mass), 3);
  });

  it("never picks a category the model was not trained on, and says so when it knows none", () => {
    const c = classifyOffline(model, "We need an enterprise agreement for 3,000 users", ["custom_a", "custom_b"]);
    expect(c).toMatchObject({ category: "custom_a", confidence: 0, matched: [], classifier: "offline" });
    expect(c.briefing).toContain("retrain");
    const mixed = classifyOffline(model, "We need an enterprise agreement for 3,000 users", ["custom_a", "sales_enterprise"]);
    expect(mixed.category).toBe("sales_enterprise");
    expect(mixed.confidence).toBe(MAX_CONFIDENCE); // the only known category: certain, reported as the cap
  });

  it("gives an empty message a low confidence so it goes to review", () => {
    const c = classifyOffline(model, "   ", DEFAULT_CATEGORIES);
    expect(c).toMatchObject({ category: "low_fit", briefing: "The lead left no message.", matched: [] });
    expect(c.confidence).toBeLessThanOrEqual(0.2);
    expect(classifyOffline(model, "", ["spam", "support_request"]).category).toBe("spam");
  });

  it("accepts a loaded classifier and loads each model object once", () => {
    const loaded = offlineClassifierFor(model);
    expect(offlineClassifierFor(model)).toBe(loaded);
    expect(offlineClassifierFor(loaded)).toBe(loaded);
    expect(classifyOffline(loaded, "My CV for the analyst role", DEFAULT_CATEGORIES)).toEqual(classifyOffline(model, "My CV for the analyst role", DEFAULT_CATEGORIES));
  });

  it("handles emoji and other languages", () => {
    for (const text of ["🚀🚀🚀", "Hola, necesitamos una demo y precios para 15 usuarios.", "Unser Export funktioniert nicht mehr, bitte helfen Sie."]) {
      expect(() => Classification.parse(classifyOffline(model, text, DEFAULT_CATEGORIES))).not.toThrow();
    }
    expect(classifyOffline(model, "Hola, necesitamos una demo y precios para 15 usuarios.", DEFAULT_CATEGORIES).category).toBe("pricing_demo");
    expect(classifyOffline(model, "Unser Export funktioniert nicht mehr, bitte helfen Sie.", DEFAULT_CATEGORIES).category).toBe("support_request");
  });
});
