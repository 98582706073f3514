import { describe, expect, it } from "vitest";
import { DEFAULT_TRAINING_SET } from "@/lib/classify/training-set";
import { DEFAULT_CATEGORIES } from "@/lib/ingest/lead-input";

const words = (t: string) => t.trim().split(/\s+/).filter(Boolean).length;

describe("the shipped labelled set", () => {
  it("has at least 400 examples, every default category with at least 45", () => {
    expect(DEFAULT_TRAINING_SET.length).toBeGreaterThanOrEqual(400);
    const counts = new Map<string, number>();
    for (const e of DEFAULT_TRAINING_SET) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...DEFAULT_CATEGORIES].sort());
    for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(45);
  });

  it("has no duplicates or blank texts", () => {
    expect(new Set(DEFAULT_TRAINING_SET.map((e) => e.text.trim().toLowerCase())).size).toBe(DEFAULT_TRAINING_SET.length);
    expect(DEFAULT_TRAINING_SET.every((e) => e.text.trim().length > 0)).toBe(true);
  });

  it("varies in length: one-word notes to long paragraphs in every category", () => {
    for (const category of DEFAULT_CATEGORIES) {
      const lengths = DEFAULT_TRAINING_SET.filter((e) => e.label === category).map((e) => words(e.text));
      expect(Math.min(...lengths)).toBeLessThanOrEqual(3);
      expect(Math.max(...lengths)).toBeGreaterThanOrEqual(45);
    }
  });

  it("includes German, Spanish, French and Portuguese inquiries", () => {
    const has = (...markers: string[]) => {
      const re = new RegExp(`(?<!\\p{L})(${markers.join("|")})(?!\\p{L})`, "iu");
      return DEFAULT_TRAINING_SET.filter((e) => re.test(e.text)).length;
    };
    expect(has("wir", "möchten", "Ihr", "bitte")).toBeGreaterThanOrEqual(8);
    expect(has("queremos", "nuestro", "estoy", "necesitamos", "¿Podemos")).toBeGreaterThanOrEqual(8);
    expect(has("nous", "vous", "votre", "je")).toBeGreaterThanOrEqual(8);
    expect(has("vocês", "gostaria", "somos uma", "não", "para uma")).toBeGreaterThanOrEqual(8);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(DEFAULT_TRAINING_SET)).toBe(true);
  });
});
