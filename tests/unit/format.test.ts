import { describe, expect, it } from "vitest";
import { classifierLabel, formatCount, formatMinutes, formatMoney, formatPercent, humanize, relativeChange } from "@/lib/format";

describe("format", () => {
  it("formats counts, percents and minutes", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(null)).toBe("—");
    expect(formatPercent(0.41234)).toBe("41.2%");
    expect(formatPercent(null)).toBe("—");
    expect(formatPercent(Number.NaN)).toBe("—");
    expect(formatMinutes(0.5)).toBe("30 s");
    expect(formatMinutes(42)).toBe("42 min");
    expect(formatMinutes(210)).toBe("3.5 h");
    expect(formatMinutes(4320)).toBe("3 d");
    expect(formatMinutes(-5)).toBe("-5 min");
    expect(formatMinutes(undefined)).toBe("—");
  });
  it("formats money compactly above 10k", () => {
    expect(formatMoney(950)).toBe("$950");
    expect(formatMoney(12_345)).toBe("$12.3K");
    expect(formatMoney(2_500_000, "EUR")).toBe("€2.5M");
    expect(formatMoney(12_345, "USD", false)).toBe("$12,345");
    expect(formatMoney(null)).toBe("—");
  });
  it("computes relative change and humanizes codes", () => {
    expect(relativeChange(120, 100)).toBeCloseTo(0.2);
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(null, 3)).toBeNull();
    expect(humanize("wrong_territory")).toBe("Wrong territory");
    expect(classifierLabel("llm:gpt-4o-mini")).toBe("LLM (gpt-4o-mini)");
    expect(classifierLabel("offline")).toBe("Offline model");
    expect(classifierLabel("some_new_one")).toBe("Some new one");
    expect(classifierLabel(null)).toBe("—");
    expect(humanize("ae-direct")).toBe("Ae direct");
    expect(humanize(null)).toBe("—");
  });
});

describe("leadDisplayName", () => {
  it("prefers the name, then the email", async () => {
    const { leadDisplayName } = await import("@/lib/format");
    expect(leadDisplayName({ first_name: "Ada", last_name: "Lovelace", email: "a@x.io" })).toBe("Ada Lovelace");
    expect(leadDisplayName({ first_name: null, last_name: "Lovelace" })).toBe("Lovelace");
    expect(leadDisplayName({ first_name: "", last_name: null, email: "a@x.io" })).toBe("a@x.io");
    expect(leadDisplayName({})).toBe("Unnamed lead");
  });
});
