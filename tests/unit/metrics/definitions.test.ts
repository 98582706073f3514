import { describe, expect, it } from "vitest";
import {
  businessDelays,
  computeKpis,
  foldLeadOutcome,
  isWrongOwnerReason,
  percentileCont,
  slaStatus,
  wallDelays,
  type MetricEvent,
} from "@/lib/metrics/definitions";

const t = (iso: string) => new Date(`2026-03-02T${iso}:00Z`);
const sales = new Set(["ae1", "ae2", "sdr1"]);
const fold = (id: string, received: string, events: MetricEvent[], route = "ae-direct") =>
  foldLeadOutcome({ leadId: id, receivedAt: t(received), routePathKey: route, isSalesRep: (r) => sales.has(r) }, events);

describe("percentileCont", () => {
  it("matches PostgreSQL percentile_cont on known inputs", () => {
    // select percentile_cont(0.5) within group (order by x) from (values (1),(2),(3),(4)) v(x) → 2.5
    expect(percentileCont([1, 2, 3, 4], 0.5)).toBe(2.5);
    // percentile_cont(0.9) over 1..10 → 9.1
    expect(percentileCont([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    expect(percentileCont([7], 0.9)).toBe(7);
    expect(percentileCont([], 0.5)).toBeNull();
    expect(percentileCont([1, 5], 0)).toBe(1);
    expect(percentileCont([1, 5], 1)).toBe(5);
  });
});

describe("foldLeadOutcome", () => {
  it("keeps the first assignment, earliest touch, latest decision and wrong-owner history", () => {
    const o = fold("L1", "09:00", [
      { type: "accepted", occurredAt: t("10:30"), repId: "ae2" },
      { type: "assigned", occurredAt: t("09:01"), repId: "ae1", slaDueAt: t("09:31") },
      { type: "rejected", occurredAt: t("09:20"), repId: "ae1", reasonCode: "wrong_territory" },
      { type: "reassigned", occurredAt: t("09:21"), repId: "ae2", reasonCode: "rejected_reroute" },
      { type: "first_touch", occurredAt: t("10:00"), repId: "ae2" },
      { type: "first_touch", occurredAt: t("09:50"), repId: "ae2" },
      { type: "meeting_booked", occurredAt: t("11:00") },
      { type: "opportunity_created", occurredAt: t("12:00"), amount: 1200.5 },
      { type: "opportunity_created", occurredAt: t("13:00"), amount: 99.5 },
    ]);
    expect(o.assignedAt).toEqual(t("09:01"));
    expect(o.slaDueAt).toEqual(t("09:31"));
    expect(o.firstTouchAt).toEqual(t("09:50"));
    expect(o.latestDecision).toBe("accepted");
    expect(o.wrongAssigned).toBe(true);
    expect(o.routedToSalesOwner).toBe(true);
    expect(o.meetingBooked).toBe(true);
    expect(o.pipelineAmount).toBe(1300);
    expect(o.opportunities).toBe(2);
    expect(o.enteredReview).toBe(false);
  });

  it("counts a wrong-owner reassignment and ignores non-wrong-owner reasons", () => {
    expect(fold("a", "09:00", [
      { type: "assigned", occurredAt: t("09:00"), repId: "ae1" },
      { type: "reassigned", occurredAt: t("09:10"), repId: "ae2", reasonCode: "account_owned_by_other" },
    ]).wrongAssigned).toBe(true);
    expect(fold("b", "09:00", [
      { type: "assigned", occurredAt: t("09:00"), repId: "ae1" },
      { type: "reassigned", occurredAt: t("09:10"), repId: "ae2", reasonCode: "sla_reassigned" },
      { type: "rejected", occurredAt: t("09:20"), repId: "ae2", reasonCode: "not_a_fit" },
    ]).wrongAssigned).toBe(false);
  });

  it("a lead in a queue is neither assigned nor routed to sales", () => {
    const o = fold("q", "09:00", [{ type: "queued_for_review", occurredAt: t("09:00") }], "review");
    expect(o.assignedToOwner).toBe(false);
    expect(o.routedToSalesOwner).toBe(false);
    expect(o.enteredReview).toBe(true);
  });

  it("assignment to a support rep is an owner but not a sales owner", () => {
    const o = fold("s", "09:00", [{ type: "assigned", occurredAt: t("09:02"), repId: "support1" }], "support");
    expect(o.assignedToOwner).toBe(true);
    expect(o.routedToSalesOwner).toBe(false);
  });
});

describe("slaStatus", () => {
  const now = t("12:00");
  it("touched after due is breached, before due is met", () => {
    expect(slaStatus({ slaDueAt: t("10:00"), firstTouchAt: t("10:01") }, now)).toEqual({ eligible: true, breached: true });
    expect(slaStatus({ slaDueAt: t("10:00"), firstTouchAt: t("10:00") }, now)).toEqual({ eligible: true, breached: false });
  });
  it("untouched counts only once due has passed", () => {
    expect(slaStatus({ slaDueAt: t("11:00"), firstTouchAt: null }, now)).toEqual({ eligible: true, breached: true });
    expect(slaStatus({ slaDueAt: t("13:00"), firstTouchAt: null }, now)).toEqual({ eligible: false, breached: false });
    expect(slaStatus({ slaDueAt: null, firstTouchAt: null }, now)).toEqual({ eligible: false, breached: false });
  });
});

describe("computeKpis", () => {
  it("computes each KPI by its definition on a hand-built set", () => {
    const now = t("18:00");
    const outcomes = [
      // touched 10 min after receipt, assigned after 1 min, SLA met
      fold("1", "09:00", [
        { type: "assigned", occurredAt: t("09:01"), repId: "ae1", slaDueAt: t("09:30") },
        { type: "first_touch", occurredAt: t("09:10") },
        { type: "accepted", occurredAt: t("09:11") },
        { type: "meeting_booked", occurredAt: t("10:00") },
        { type: "opportunity_created", occurredAt: t("11:00"), amount: 5000 },
      ]),
      // touched 60 min later, SLA breached, rejected wrong territory
      fold("2", "09:00", [
        { type: "assigned", occurredAt: t("09:02"), repId: "ae2", slaDueAt: t("09:30") },
        { type: "rejected", occurredAt: t("09:40"), reasonCode: "wrong_territory" },
        { type: "first_touch", occurredAt: t("10:00") },
      ]),
      // never touched, SLA passed → breached; rejected not a fit
      fold("3", "09:00", [
        { type: "assigned", occurredAt: t("09:03"), repId: "sdr1", slaDueAt: t("10:00") },
        { type: "rejected", occurredAt: t("09:30"), reasonCode: "not_a_fit" },
      ]),
      // never touched, SLA not due yet → not eligible
      fold("4", "17:00", [{ type: "assigned", occurredAt: t("17:00"), repId: "sdr1", slaDueAt: t("19:00") }]),
      // review queue, no owner
      fold("5", "09:00", [{ type: "queued_for_review", occurredAt: t("09:00") }], "review"),
    ];
    const k = computeKpis(outcomes, now);
    expect(k.volume).toBe(5);
    expect(k.speedToLead.n).toBe(2);
    expect(k.speedToLead.medianMinutes).toBe(35); // (10 + 60) / 2
    expect(k.speedToLead.p90Minutes).toBeCloseTo(55, 10); // 10 + 0.9 * 50
    expect(k.speedToLead.systemDelay.median).toBe(1.5); // delays 1, 2, 3, 0 → sorted 0,1,2,3 → 1.5
    expect(k.slaBreach).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 });
    expect(k.wrongAssignment).toEqual({ numerator: 1, denominator: 4, rate: 0.25 });
    expect(k.acceptance).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 });
    expect(k.meetingRate).toEqual({ numerator: 1, denominator: 4, rate: 0.25 });
    expect(k.pipeline).toEqual({ amount: 5000, opportunities: 1 });
    expect(k.manualTriage).toEqual({ numerator: 1, denominator: 5, rate: 0.2 });
  });

  it("reports null rates rather than 0 when there is nothing to measure", () => {
    const k = computeKpis([], t("12:00"));
    expect(k.acceptance.rate).toBeNull();
    expect(k.speedToLead.medianMinutes).toBeNull();
    expect(k.manualTriage.rate).toBeNull();
  });

  it("uses business minutes when the caller supplies them", () => {
    const o = fold("b", "09:00", [
      { type: "assigned", occurredAt: t("09:00"), repId: "ae1" },
      { type: "first_touch", occurredAt: t("09:30") },
    ]);
    o.business = { toTouch: 12, system: 0, human: 12 };
    const k = computeKpis([o], t("12:00"));
    expect(k.speedToLead.medianBusinessMinutes).toBe(12);
    expect(k.speedToLead.humanDelay.medianBusiness).toBe(12);
  });
});

describe("isWrongOwnerReason", () => {
  it("knows the four wrong-owner reasons", () => {
    expect(["wrong_territory", "wrong_product", "wrong_segment", "account_owned_by_other"].every(isWrongOwnerReason)).toBe(true);
    expect(isWrongOwnerReason("spam")).toBe(false);
    expect(isWrongOwnerReason(null)).toBe(false);
  });
});

describe("wallDelays and businessDelays", () => {
  // New York office hours; 2026-03-06 is a Friday, 2026-03-08 the spring-forward Sunday.
  const cal = {
    timeZone: "America/New_York",
    weeklyHours: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]], fri: [["09:00", "17:00"]], sat: [], sun: [] },
    holidays: [],
  } as unknown as Parameters<typeof businessDelays>[1];

  it("splits speed to lead into system and human delay, in wall-clock and business minutes across a weekend", () => {
    const lead = {
      receivedAt: new Date("2026-03-06T21:30:00Z"), // Fri 16:30 EST
      assignedAt: new Date("2026-03-06T21:31:00Z"), // Fri 16:31 EST
      firstTouchAt: new Date("2026-03-09T13:30:00Z"), // Mon 09:30 EDT (after the DST change)
    };
    const wall = wallDelays(lead);
    expect(wall.system).toBe(1);
    expect(wall.toTouch).toBe(64 * 60); // Fri 21:30Z → Mon 13:30Z = 2 days 16 h
    expect(wall.human).toBe(64 * 60 - 1);
    const business = businessDelays(lead, cal);
    expect(business.toTouch).toBe(60); // 30 min on Friday + 30 min on Monday
    expect(business.system).toBe(1);
    expect(business.human).toBe(59);
  });

  it("gives nulls where the lead has not got that far", () => {
    const lead = { receivedAt: new Date("2026-03-06T15:00:00Z"), assignedAt: null, firstTouchAt: null };
    expect(wallDelays(lead)).toEqual({ toTouch: null, system: null, human: null });
    expect(businessDelays(lead, cal)).toEqual({ toTouch: null, system: null, human: null });
    const touchedOnly = { ...lead, firstTouchAt: new Date("2026-03-06T15:10:00Z") };
    expect(wallDelays(touchedOnly)).toEqual({ toTouch: 10, system: null, human: null });
  });

  it("records the first assignment's rep", () => {
    const o = fold("r", "09:00", [
      { type: "assigned", occurredAt: t("09:01"), repId: "ae1" },
      { type: "reassigned", occurredAt: t("09:05"), repId: "ae2", reasonCode: "wrong_territory" },
    ]);
    expect(o.firstRepId).toBe("ae1");
  });
});

describe("fairness facts of a lead", () => {
  it("keeps the skips that cost an eligible rep a turn and every rejection", () => {
    const o = fold("f", "09:00", [
      { type: "assigned", occurredAt: t("09:01"), repId: "ae1", skipped: [{ repId: "ae2", reason: "out_of_office" }, { repId: "sdr1", reason: "territory" }] },
      { type: "rejected", occurredAt: t("09:10"), repId: "ae1", reasonCode: "wrong_territory" },
      { type: "assigned", occurredAt: t("09:11"), repId: "ae2", skipped: [{ repId: "ae1", reason: "excluded" }] },
    ]);
    expect(o.skips).toEqual([{ repId: "ae2", reason: "out_of_office" }, { repId: "ae1", reason: "excluded" }]);
    expect(o.rejections).toEqual([{ repId: "ae1", reason: "wrong_territory" }]);
  });
});
