import { describe, expect, it } from "vitest";
import { renderNarrative, unsupportedNumbers } from "@/lib/review/narrative";

const FACTS = {
  overall: { leads: { current: 1204, previous: 1150, change: 54 }, slaBreachPercent: { current: 12.34, previous: 9.1, change: 3.2 }, acceptancePercent: { current: 61.8, previous: 64, change: -2.2 } },
  period: { firstDay: "2026-10-01", lastDay: "2026-10-31" },
  anomalies: ["Partner form sent no leads for the last 3 days of the period; it sent 15 a day (median) before."],
};

describe("the narrative's figure guard", () => {
  it("accepts figures from the facts, their roundings and absolute changes", () => {
    const text = "1,204 leads in October 2026 (1,150 before). SLA breach rose to 12.3% (up 3.2 points, 12% rounded); acceptance fell 2.2 points to 61.8%. Partner form was silent for 3 days after 15 a day.";
    expect(unsupportedNumbers(text, FACTS)).toEqual([]);
  });

  it("names every figure the facts do not support", () => {
    expect(unsupportedNumbers("SLA breach rose to 14.5% on 1,300 leads; acceptance 61.8%.", FACTS)).toEqual(["14.5", "1,300"]);
    // A rounding must be a rounding: 12.34 supports 12.3 and 12, not 12.4.
    expect(unsupportedNumbers("SLA breach 12.4%.", FACTS)).toEqual(["12.4"]);
  });

  it("lets small counts through (top 3, two route paths) but not a made-up total", () => {
    expect(unsupportedNumbers("The top 3 reasons across 2 route paths.", FACTS)).toEqual([]);
    expect(unsupportedNumbers("Look at the 37 rejected leads.", FACTS)).toEqual(["37"]);
  });

  it("renders the summary, then what to look at and what to discuss", () => {
    expect(renderNarrative({ summary: "Fine.", concerns: ["SLA"], suggestions: [] })).toBe("Fine.\n\nWhat to look at:\n- SLA");
  });
});
