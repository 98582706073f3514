import { describe, expect, it } from "vitest";
import { compile, parseDecisionTable } from "@/lib/decision-table";
import { buildLeadHistory, importEventId, projectImportedLead, type LeadHistoryInput } from "@/lib/import/history";
import { decideImportedRoute, importedLeadFacts } from "@/lib/import/lead-facts";
import type { MappedLead, MappedOutcomes } from "@/lib/import/map-row";
import { compileScoring, DEFAULT_SCORING_CONFIG } from "@/lib/scoring";

const t = (s: string) => new Date(s);
const NOW = t("2026-06-01T00:00:00Z");
const none: MappedOutcomes = {
  assignedAt: null, firstTouchAt: null, decision: null, decisionAt: null, rejectReason: null, meetingBookedAt: null,
  opportunityAmount: null, opportunityAt: null, closedOutcome: null, closedAt: null,
};
const MAYA = { repId: "rep-maya", teamId: "team-na" };
const JORDAN = { repId: "rep-jordan", teamId: "team-sdr" };

function input(overrides: Partial<LeadHistoryInput> = {}): LeadHistoryInput {
  return {
    mode: "insert", receivedAt: t("2026-01-05T14:00:00Z"), receivedAtSynthetic: false, channel: "web", importJobId: "job", row: 3,
    externalId: "L-1", route: { key: "ae-direct", kind: "sales", ruleId: "R06", tableVersionId: "v1", decidedBy: "table", slaMinutes: 30 },
    firstOwner: null, owner: MAYA, outcomes: none, currency: "USD", now: NOW,
    slaDueAt: (_team, start, minutes) => new Date(start.getTime() + minutes * 60_000),
    ...overrides,
  };
}

describe("buildLeadHistory", () => {
  it("writes the full history of a won lead, each event dated from the file", () => {
    const h = buildLeadHistory(input({
      outcomes: {
        ...none, assignedAt: t("2026-01-05T14:02:00Z"), firstTouchAt: t("2026-01-05T14:20:00Z"), decision: "accepted",
        decisionAt: t("2026-01-05T15:00:00Z"), meetingBookedAt: t("2026-01-08T10:00:00Z"), opportunityAmount: 12000,
        opportunityAt: t("2026-01-12T10:00:00Z"), closedOutcome: "won", closedAt: t("2026-02-20T10:00:00Z"),
      },
    }));
    expect(h.errors).toEqual([]);
    expect(h.events.map((e) => [e.type, e.occurredAt.toISOString(), e.repId])).toEqual([
      ["received", "2026-01-05T14:00:00.000Z", null],
      ["decided", "2026-01-05T14:00:00.000Z", null],
      ["assigned", "2026-01-05T14:02:00.000Z", "rep-maya"],
      ["first_touch", "2026-01-05T14:20:00.000Z", "rep-maya"],
      ["accepted", "2026-01-05T15:00:00.000Z", "rep-maya"],
      ["meeting_booked", "2026-01-08T10:00:00.000Z", "rep-maya"],
      ["opportunity_created", "2026-01-12T10:00:00.000Z", "rep-maya"],
      ["closed_won", "2026-02-20T10:00:00.000Z", "rep-maya"],
    ]);
    const assigned = h.events[2]!;
    expect(assigned.data).toMatchObject({ reason: "Imported", imported: true, slaDueAt: "2026-01-05T14:32:00.000Z", slaMinutes: 30 });
    expect(assigned.data.inferredTime).toBeUndefined();
    expect(h.events[6]).toMatchObject({ amount: 12000, currency: "USD" });
    expect(h.events[7]).toMatchObject({ amount: 12000, currency: "USD" });
    expect(h.events.every((e) => e.externalId === importEventId(e.type))).toBe(true);
    expect(h.events[0]!.data).toMatchObject({ imported: true, importJobId: "job", row: 3, channel: "web", externalId: "L-1", receivedAtSynthetic: false });
    expect(h.events[1]!.data).toMatchObject({ route: "ae-direct", ruleId: "R06", tableVersionId: "v1", decidedBy: "table" });
    expect(h.slaDueAt?.toISOString()).toBe("2026-01-05T14:32:00.000Z");
  });

  it("infers undated milestones at the latest dated one before them", () => {
    const h = buildLeadHistory(input({ outcomes: { ...none, firstTouchAt: t("2026-01-06T10:00:00Z"), decision: "rejected", rejectReason: "wrong_territory", opportunityAmount: 0, closedOutcome: "lost" } }));
    const byType = Object.fromEntries(h.events.map((e) => [e.type, e]));
    expect(byType.assigned!.occurredAt).toEqual(t("2026-01-05T14:00:00Z"));
    expect(byType.assigned!.data.inferredTime).toBe(true);
    expect(byType.rejected!).toMatchObject({ occurredAt: t("2026-01-06T10:00:00Z"), reasonCode: "wrong_territory" });
    expect(byType.rejected!.data.inferredTime).toBe(true);
    expect(byType.opportunity_created).toBeUndefined();
    expect(byType.closed_lost).toMatchObject({ occurredAt: t("2026-01-06T10:00:00Z"), amount: null, currency: null });
  });

  it("hands the lead from the first owner to the owner", () => {
    const h = buildLeadHistory(input({ firstOwner: JORDAN, owner: MAYA }));
    expect(h.events.filter((e) => e.type === "assigned" || e.type === "reassigned").map((e) => [e.type, e.repId, e.reasonCode])).toEqual([
      ["assigned", "rep-jordan", null],
      ["reassigned", "rep-maya", "manual"],
    ]);
  });

  it("records an SLA breach when the first touch came late or never", () => {
    const late = buildLeadHistory(input({ outcomes: { ...none, firstTouchAt: t("2026-01-05T15:00:00Z") } }));
    expect(late.events.find((e) => e.type === "sla_breached")?.occurredAt).toEqual(t("2026-01-05T14:30:00Z"));
    const never = buildLeadHistory(input());
    expect(never.events.some((e) => e.type === "sla_breached")).toBe(true);
    const onTime = buildLeadHistory(input({ outcomes: { ...none, firstTouchAt: t("2026-01-05T14:10:00Z") } }));
    expect(onTime.events.some((e) => e.type === "sla_breached")).toBe(false);
    const open = buildLeadHistory(input({ receivedAt: t("2026-05-31T23:50:00Z") }));
    expect(open.events.some((e) => e.type === "sla_breached")).toBe(false);
  });

  it("writes no owner events without an owner, and no decided event without a route", () => {
    const h = buildLeadHistory(input({ owner: null, route: { key: null, kind: null, ruleId: null, tableVersionId: null, decidedBy: "none", slaMinutes: null } }));
    expect(h.events.map((e) => e.type)).toEqual(["received"]);
  });

  it("refuses times before the lead arrived and events in the future", () => {
    const early = buildLeadHistory(input({ outcomes: { ...none, firstTouchAt: t("2026-01-01T00:00:00Z") } }));
    expect(early.events).toEqual([]);
    expect(early.errors).toEqual([{ field: "first_touch_at", message: "2026-01-01T00:00:00.000Z is before the lead was received (2026-01-05T14:00:00.000Z)" }]);
    const future = buildLeadHistory(input({ now: t("2026-01-05T14:01:00Z"), outcomes: { ...none, meetingBookedAt: t("2026-01-09T00:00:00Z") } }));
    expect(future.errors.map((e) => e.message)).toEqual(["meeting_booked at 2026-01-09T00:00:00.000Z is in the future"]);
  });

  it("in update mode appends outcomes only, assigning an unowned lead", () => {
    const h = buildLeadHistory(input({ mode: "update", route: null, firstOwner: JORDAN, owner: MAYA, existing: { ownerRepId: null, firstOwnerRepId: null }, outcomes: { ...none, closedOutcome: "won", closedAt: t("2026-03-01T00:00:00Z") } }));
    expect(h.events.map((e) => e.type)).toEqual(["assigned", "reassigned", "closed_won"]);
    expect(h.slaDueAt).toBeNull();
    const owned = buildLeadHistory(input({ mode: "update", route: null, owner: MAYA, existing: { ownerRepId: "rep-maya", firstOwnerRepId: "rep-maya" }, outcomes: { ...none, meetingBookedAt: t("2026-02-01T00:00:00Z") } }));
    expect(owned.events.map((e) => e.type)).toEqual(["meeting_booked"]);
    const moved = buildLeadHistory(input({ mode: "update", route: null, owner: JORDAN, existing: { ownerRepId: "rep-maya", firstOwnerRepId: "rep-maya" } }));
    expect(moved.events.map((e) => [e.type, e.repId])).toEqual([["reassigned", "rep-jordan"]]);
  });
});

describe("projectImportedLead", () => {
  const ev = (type: string, at: string, repId: string | null = null, extra: { reasonCode?: string; amount?: number } = {}) => ({
    type, occurredAt: t(at), repId, reasonCode: extra.reasonCode ?? null, amount: extra.amount ?? null,
  });

  it("projects owners, first assignment and outcomes", () => {
    const p = projectImportedLead([
      ev("closed_won", "2026-02-01T00:00:00Z", "b"),
      ev("assigned", "2026-01-01T00:00:00Z", "a"),
      ev("rejected", "2026-01-02T00:00:00Z", "a", { reasonCode: "wrong_territory" }),
      ev("reassigned", "2026-01-02T01:00:00Z", "b", { reasonCode: "rejected_reroute" }),
      ev("opportunity_created", "2026-01-10T00:00:00Z", "b", { amount: 500 }),
    ], "sales");
    expect(p).toMatchObject({
      ownerRepId: "b", firstOwnerRepId: "a", assignedAt: t("2026-01-01T00:00:00Z"), everWrongAssigned: true, status: "won",
      opportunityAmount: 500, closedAt: t("2026-02-01T00:00:00Z"),
    });
  });

  it.each([
    [[ev("assigned", "2026-01-01T00:00:00Z", "a")], "sales", "assigned"],
    [[], "nurture", "queued"],
    [[], "junk", "junk"],
    [[], null, "queued"],
    [[ev("first_touch", "2026-01-01T00:00:00Z")], null, "working"],
  ] as const)("status %#", (events, kind, status) => {
    expect(projectImportedLead(events, kind).status).toBe(status);
  });
});

describe("importedLeadFacts and decideImportedRoute", () => {
  const scoring = compileScoring(DEFAULT_SCORING_CONFIG);
  const lead = (overrides: Partial<MappedLead>): MappedLead => ({
    kind: "leads", row: 1, externalId: null, idempotencyKey: "k", receivedAt: NOW, receivedAtSynthetic: false, email: null, emailDomain: null,
    emailType: null, firstName: null, lastName: null, phone: null, title: null, seniority: null, company: null, companyNameKey: null,
    companyDomain: null, country: null, region: null, message: null, personKey: null, inquiryKey: null, channel: null, productInterest: null,
    category: null, employees: null, industry: null, existingCustomer: null, routePath: null, owner: null, firstOwner: null, outcomes: none,
    ...overrides,
  });

  it("takes an explicit category as a form answer, enriched by the account", () => {
    const f = importedLeadFacts(lead({ category: "pricing_demo", emailType: "business", channel: "web" }), {
      accountId: "acc", customer: true, employees: 1500, industry: "Retail", region: "EMEA", country: "DE",
    }, scoring);
    expect(f).toMatchObject({
      category: "pricing_demo", classifier: "import", confidence: null, is_existing_customer: true, employees: 1500, industry: "Retail",
      region: "EMEA", country: "DE", lead_source: "web", business_email: true, ai_fields: [],
    });
    expect(typeof f.score).toBe("number");
    expect(f.priority_tier).toMatch(/^P[1-4]$/);
  });

  it("classifies a message offline when no category is given", () => {
    const f = importedLeadFacts(lead({ message: "Can we get pricing and a demo for our team?", existingCustomer: false }), null, scoring);
    expect(f).toMatchObject({ category: "pricing_demo", classifier: "keywords", is_existing_customer: false, business_email: null });
    expect(f.ai_fields).toEqual(["category", "confidence", "urgency", "timeline_days"]);
    expect(importedLeadFacts(lead({}), null, scoring)).toMatchObject({ category: null, classifier: null });
  });

  it("decides the route with the published table", () => {
    const table = parseDecisionTable({
      name: "t", hitPolicy: "FIRST",
      inputs: [{ field: "category", type: "string" }, { field: "employees", type: "number" }],
      outputs: [{ name: "path", type: "string", role: "route" }],
      rules: [
        { id: "R1", when: { category: "'pricing_demo'", employees: ">= 1000" }, then: { path: "ae-direct" } },
        { id: "R2", when: { category: "'pricing_demo'" }, then: { path: "sdr-queue" } },
      ],
    });
    const published = { versionId: "v1", compiled: compile(table) };
    expect(decideImportedRoute(published, { category: "pricing_demo", employees: 5000 })).toEqual({ route: "ae-direct", ruleId: "R1" });
    expect(decideImportedRoute(published, { category: "pricing_demo", employees: null })).toEqual({ route: "sdr-queue", ruleId: "R2" });
    expect(decideImportedRoute(published, { category: "spam" })).toEqual({ route: null, ruleId: null });
    expect(decideImportedRoute(null, { category: "spam" })).toEqual({ route: null, ruleId: null });
  });
});
