import { describe, expect, it } from "vitest";
import { describeNoEligibleOwner } from "@/lib/assignment";

describe("describeNoEligibleOwner", () => {
  it("counts distinct reps by their first skip reason, most common first", () => {
    expect(describeNoEligibleOwner("AE direct", [
      { repId: "a", reason: "territory", strategy: "round_robin" },
      { repId: "b", reason: "territory", strategy: "round_robin" },
      { repId: "c", reason: "out_of_office", strategy: "round_robin" },
      { repId: "c", reason: "territory", strategy: "round_robin" },
    ])).toBe("No eligible rep for AE direct: 2 outside the territory, 1 out of office.");
  });
  it("says when no rep is configured", () => {
    expect(describeNoEligibleOwner("Support", [])).toBe("No rep is configured for Support.");
  });
});
