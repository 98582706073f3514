import { describe, expect, it } from "vitest";
import { projectOutcomes } from "@/lib/routing/projection";

const t = (m: number) => new Date(Date.UTC(2026, 2, 2, 9, m));

describe("projectOutcomes", () => {
  it("orders by occurred-at, keeps the earliest touch and sums opportunities", () => {
    const p = projectOutcomes([
      { type: "first_touch", occurredAt: t(30) },
      { type: "opportunity_created", occurredAt: t(50), amount: 100 },
      { type: "accepted", occurredAt: t(20) },
      { type: "first_touch", occurredAt: t(10) },
      { type: "opportunity_created", occurredAt: t(40), amount: 50 },
      { type: "meeting_booked", occurredAt: t(35) },
    ]);
    expect(p).toMatchObject({ firstTouchAt: t(10), decision: "accepted", decisionAt: t(20), meetingBookedAt: t(35), opportunityCreatedAt: t(40), opportunityAmount: 150, status: "working" });
  });
  it("a rejection stands until a reassignment; wrong-owner reasons are remembered", () => {
    expect(projectOutcomes([{ type: "rejected", occurredAt: t(1), reasonCode: "not_a_fit" }])).toMatchObject({ status: "rejected", everWrongAssigned: false });
    const rerouted = projectOutcomes([{ type: "rejected", occurredAt: t(1), reasonCode: "wrong_product" }, { type: "reassigned", occurredAt: t(2), reasonCode: "rejected_reroute" }]);
    expect(rerouted).toMatchObject({ status: null, everWrongAssigned: true, decision: "rejected" });
    expect(projectOutcomes([{ type: "reassigned", occurredAt: t(2), reasonCode: "account_owned_by_other" }]).everWrongAssigned).toBe(true);
    expect(projectOutcomes([{ type: "rejected", occurredAt: t(1), reasonCode: "wrong_segment" }, { type: "accepted", occurredAt: t(3) }]).status).toBe("accepted");
  });
  it("closes as won, lost, disqualified or closed", () => {
    expect(projectOutcomes([{ type: "closed_won", occurredAt: t(5) }]).status).toBe("won");
    expect(projectOutcomes([{ type: "closed_lost", occurredAt: t(5) }]).status).toBe("lost");
    expect(projectOutcomes([{ type: "closed_lost", occurredAt: t(5), reasonCode: "no_response" }]).status).toBe("disqualified");
    expect(projectOutcomes([{ type: "closed_lost", occurredAt: t(5), reasonCode: "resolved" }])).toMatchObject({ status: "closed", closedAt: t(5) });
    expect(projectOutcomes([]).status).toBeNull();
  });
});
