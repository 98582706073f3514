/**
 * Metric correctness (DESIGN.md "Metric definitions"): small event logs built by hand, every KPI computed by hand
 * here (literal numbers, arithmetic in the comments), compared with what the service serves:
 * - `kpis` (SQL over lead_metrics, what the dashboard shows), its breakdowns and its daily trend;
 * - `kpisFromEvents` (lib folding the raw events) for the wall-clock figures;
 * - `dashboardSummary` for a custom period of local days and its previous period;
 * - the drill-down (`listLeads` with a metric) listing exactly the leads a figure counts;
 * - the real write path (`recordLeadOutcome`) moving the dashboard's numbers by exactly one lead.
 * The last test pins a bug this file found (a lead first owned through a "reassigned" event lost its SLA).
 *
 * The workspace: America/New_York; team "ny" (New York, Mon–Fri 09:00–17:00), team "partners" (London, Mon–Fri
 * 09:00–17:00); reps ae1, ae2 (ae), sdr1 (sdr) in ny — sales owners — and pm1 (partner_manager) in partners, not
 * a sales owner. Route paths enterprise and smb (sales, SLA 30 business minutes), partner (no SLA), review, nurture.
 *
 * The period: local days 2026-03-02 (Mon) … 2026-03-08 (Sun) in New York = [03-02 05:00Z, 03-09 04:00Z): 167 hours,
 * because DST began on Sunday 03-08 at 02:00. `NOW` is Monday 2026-03-09 11:00 EDT.
 *
 * Current-period leads (times in New York; "+n" = n minutes after receipt; due = data.slaDueAt of the assignment):
 *  L1  Mon 10:00 enterprise web   assigned ae1 +1 (due +31), touch +3, accepted, meeting, opportunities 12,000 + 8,000.50
 *  L2  Mon 11:00 enterprise web   assigned ae2 +2 (due +32), touch +45 (late), rejected not_a_fit
 *  L3  Tue 09:50 smb        portal assigned sdr1 +0.5 (due +30.5), touches +15 then (late-arriving) +10, accepted
 *  L4  Tue 13:00 enterprise web   assigned ae1 +1 (due +31), reassigned ae2 +20 wrong_territory, reassigned sdr1 +40
 *                                 wrong_segment, touch +90 (late), accepted by sdr1 — reassigned twice, wrong once
 *  L5  Wed 10:00 smb        web   assigned ae2 +1 (due +31), rejected wrong_territory +10, re-routed to ae1 +10,
 *                                 accepted +15, touch +20, meeting — rejected then accepted: accepted AND wrong
 *  L6  Wed 14:00 enterprise web   assigned ae1 +1 (due +31), nothing else — untouched, past due: breached
 *  L7  Sun 22:00 EDT smb    web   assigned sdr1 +0.5, due Mon 13:00 EDT (after NOW) — untouched, not yet due: no SLA
 *  L8  Fri 16:30 EST enterprise web assigned ae2 +2 (due Mon 09:02 EDT), touch Mon 09:30 EDT — over the weekend
 *                                 and the DST change: 3,840 wall-clock minutes, 60 business minutes; late
 *  L9  Thu 10:00 partner    portal assigned pm1 +5 (no SLA), touch +180, accepted, meeting, opportunity 5,000 —
 *                                 a non-sales owner (London calendar): out of acceptance and meeting rate
 *  L10 Thu 11:00 review     web   queued_for_review, no owner ever — volume and triage only
 *  L11 Thu 12:00 enterprise web   queued_for_review, then assigned ae1 +30 (due +60), touch +40 — still triaged
 *  L12 Mon 00:30 nurture    (API) no events, no owner, no team — the first local hour of the period
 *  L13 Fri 10:00 smb        web   assigned ae1 +1 (due +31), reassigned ae2 +5 out_of_office, touch +25, accepted
 *                                 +26, rejected duplicate +60 — not wrong; latest decision rejected
 *  L14 Thu 14:00 partner    portal assigned pm1 +2 (no SLA), reassigned ae1 +30 wrong_product, touch +60, accepted
 *                                 — routed to a sales owner after a non-sales one; wrong
 * Previous period: P1 Fri 02-27 16:30 (touch Mon 03-02 09:30), P2 Wed 02-25 10:00 (rejected wrong_segment,
 * re-routed, accepted), P3 Sun 03-01 23:30 (no events). Outside both: N1 Mon 03-09 10:00 EDT, O1 Fri 02-20.
 * Another workspace's lead in the period must never count.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "@/db/types";
import { OutcomeEventInput } from "@/lib/ingest/lead-input";
import { DashboardFilters } from "@/lib/metrics/dashboard-filters";
import type { Kpis, Ratio } from "@/lib/metrics/definitions";
import { POST as postLead } from "@/app/api/v1/leads/route";
import { listLeads } from "@/server/repositories/lead.repository";
import { dashboardSummary } from "@/server/services/metrics/dashboard.service";
import { kpis, kpisBy, kpisFromEvents, kpisOverTime, type MetricFilter } from "@/server/services/metrics/metrics.service";
import { backfillLeadMetrics } from "@/server/services/metrics/lead-metrics";
import { recordLeadOutcome } from "@/server/services/outcomes.service";
import { createApiTestEnv, jsonRequest, leadBody } from "../support/api";
import { createMetricWorkspace, type FixtureLead, type MetricFixture } from "../support/metrics-fixture";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

const NOW = new Date("2026-03-09T15:00:00Z"); // Mon 2026-03-09 11:00 EDT
const FROM = new Date("2026-03-02T05:00:00Z"); // Mon 2026-03-02 00:00 EST
const TO = new Date("2026-03-09T04:00:00Z"); // Mon 2026-03-09 00:00 EDT (the week is 167 hours long)
const WEEK = DashboardFilters.parse({ range: "custom", from: "2026-03-02", to: "2026-03-08" });

const CURRENT: FixtureLead[] = [
  {
    key: "L1", receivedAt: "2026-03-02T15:00:00Z", route: "enterprise", source: "web", owner: "ae1", version: "v1", status: "working",
    events: [
      { type: "assigned", at: 1, rep: "ae1", slaDueAt: 31 },
      { type: "first_touch", at: 3, rep: "ae1" },
      { type: "accepted", at: 5, rep: "ae1" },
      { type: "meeting_booked", at: 60, rep: "ae1" },
      { type: "opportunity_created", at: 1440, rep: "ae1", amount: 12_000 },
      { type: "opportunity_created", at: 2880, rep: "ae1", amount: 8_000.5 },
    ],
  },
  {
    key: "L2", receivedAt: "2026-03-02T16:00:00Z", route: "enterprise", source: "web", owner: "ae2", version: "v1", status: "rejected",
    events: [
      { type: "assigned", at: 2, rep: "ae2", slaDueAt: 32 },
      { type: "first_touch", at: 45, rep: "ae2" },
      { type: "rejected", at: 50, rep: "ae2", reason: "not_a_fit" },
    ],
  },
  {
    key: "L3", receivedAt: "2026-03-03T14:50:00Z", route: "smb", source: "portal", owner: "sdr1", version: "v1", status: "accepted",
    events: [
      { type: "assigned", at: 0.5, rep: "sdr1", slaDueAt: 30.5 },
      { type: "first_touch", at: 15, rep: "sdr1" },
      { type: "first_touch", at: 10, rep: "sdr1" }, // recorded later, happened earlier: the earliest touch counts
      { type: "accepted", at: 16, rep: "sdr1" },
    ],
  },
  {
    key: "L4", receivedAt: "2026-03-03T18:00:00Z", route: "enterprise", source: "web", owner: "sdr1", version: "v1", status: "accepted",
    events: [
      { type: "assigned", at: 1, rep: "ae1", slaDueAt: 31 },
      { type: "reassigned", at: 20, rep: "ae2", reason: "wrong_territory" },
      { type: "reassigned", at: 40, rep: "sdr1", reason: "wrong_segment" },
      { type: "first_touch", at: 90, rep: "sdr1" },
      { type: "accepted", at: 95, rep: "sdr1" },
    ],
  },
  {
    key: "L5", receivedAt: "2026-03-04T15:00:00Z", route: "smb", source: "web", owner: "ae1", version: "v1", status: "working",
    events: [
      { type: "assigned", at: 1, rep: "ae2", slaDueAt: 31 },
      { type: "rejected", at: 10, rep: "ae2", reason: "wrong_territory" },
      // As recordLeadOutcome's re-route writes it: its own due time, which does not replace the first assignment's.
      { type: "reassigned", at: 10, rep: "ae1", reason: "rejected_reroute", slaDueAt: 40 },
      { type: "accepted", at: 15, rep: "ae1" },
      { type: "first_touch", at: 20, rep: "ae1" },
      { type: "meeting_booked", at: 45, rep: "ae1" },
    ],
  },
  {
    key: "L6", receivedAt: "2026-03-04T19:00:00Z", route: "enterprise", source: "web", owner: "ae1", version: "v1",
    events: [{ type: "assigned", at: 1, rep: "ae1", slaDueAt: 31 }],
  },
  {
    key: "L7", receivedAt: "2026-03-09T02:00:00Z", route: "smb", source: "web", owner: "sdr1", version: "v2",
    events: [{ type: "assigned", at: 0.5, rep: "sdr1", slaDueAt: "2026-03-09T17:00:00Z" }],
  },
  {
    key: "L8", receivedAt: "2026-03-06T21:30:00Z", route: "enterprise", source: "web", owner: "ae2", version: "v2", status: "working",
    events: [
      { type: "assigned", at: 2, rep: "ae2", slaDueAt: "2026-03-09T13:02:00Z" },
      { type: "first_touch", at: "2026-03-09T13:30:00Z", rep: "ae2" },
    ],
  },
  {
    key: "L9", receivedAt: "2026-03-05T15:00:00Z", route: "partner", source: "portal", owner: "pm1", version: "v2", status: "working",
    events: [
      { type: "assigned", at: 5, rep: "pm1" },
      { type: "first_touch", at: 180, rep: "pm1" },
      { type: "accepted", at: 190, rep: "pm1" },
      { type: "meeting_booked", at: 210, rep: "pm1" },
      { type: "opportunity_created", at: 1260, rep: "pm1", amount: 5_000 },
    ],
  },
  {
    key: "L10", receivedAt: "2026-03-05T16:00:00Z", route: "review", source: "web", owner: null, version: "v2", status: "in_review",
    events: [{ type: "queued_for_review", at: 0, reason: "low_confidence" }],
  },
  {
    key: "L11", receivedAt: "2026-03-05T17:00:00Z", route: "enterprise", source: "web", owner: "ae1", version: "v2",
    events: [
      { type: "queued_for_review", at: 0, reason: "low_confidence" },
      { type: "assigned", at: 30, rep: "ae1", slaDueAt: 60 },
      { type: "first_touch", at: 40, rep: "ae1" },
    ],
  },
  { key: "L12", receivedAt: "2026-03-02T05:30:00Z", route: "nurture", source: null, owner: null, version: null, status: "queued" },
  {
    key: "L13", receivedAt: "2026-03-06T15:00:00Z", route: "smb", source: "web", owner: "ae2", version: "v2", status: "rejected",
    events: [
      { type: "assigned", at: 1, rep: "ae1", slaDueAt: 31 },
      { type: "reassigned", at: 5, rep: "ae2", reason: "out_of_office" },
      { type: "first_touch", at: 25, rep: "ae2" },
      { type: "accepted", at: 26, rep: "ae2" },
      { type: "rejected", at: 60, rep: "ae2", reason: "duplicate" },
    ],
  },
  {
    key: "L14", receivedAt: "2026-03-05T19:00:00Z", route: "partner", source: "portal", owner: "ae1", version: "v2", status: "working",
    events: [
      { type: "assigned", at: 2, rep: "pm1" },
      { type: "reassigned", at: 30, rep: "ae1", reason: "wrong_product" },
      { type: "first_touch", at: 60, rep: "ae1" },
      { type: "accepted", at: 65, rep: "ae1" },
    ],
  },
];

const OTHERS: FixtureLead[] = [
  {
    key: "P1", receivedAt: "2026-02-27T21:30:00Z", route: "enterprise", source: "web", owner: "ae1", version: "v1", status: "working",
    events: [
      { type: "assigned", at: 2, rep: "ae1", slaDueAt: "2026-03-02T14:02:00Z" },
      { type: "first_touch", at: "2026-03-02T14:30:00Z", rep: "ae1" },
      { type: "accepted", at: "2026-03-02T14:35:00Z", rep: "ae1" },
    ],
  },
  {
    key: "P2", receivedAt: "2026-02-25T15:00:00Z", route: "smb", source: "web", owner: "ae1", version: "v1", status: "working",
    events: [
      { type: "assigned", at: 1, rep: "ae2", slaDueAt: 31 },
      { type: "rejected", at: 5, rep: "ae2", reason: "wrong_segment" },
      { type: "reassigned", at: 5, rep: "ae1", reason: "rejected_reroute", slaDueAt: 35 },
      { type: "first_touch", at: 10, rep: "ae1" },
      { type: "accepted", at: 12, rep: "ae1" },
    ],
  },
  { key: "P3", receivedAt: "2026-03-02T04:30:00Z", route: "nurture", source: null, owner: null, version: null },
  {
    key: "N1", receivedAt: "2026-03-09T14:00:00Z", route: "enterprise", source: "web", owner: "ae1", version: "v2",
    events: [
      { type: "assigned", at: 1, rep: "ae1", slaDueAt: 31 },
      { type: "first_touch", at: 2, rep: "ae1" },
    ],
  },
  { key: "O1", receivedAt: "2026-02-20T17:00:00Z", route: "nurture", source: null, owner: null, version: null },
  // Over the autumn DST change (US clocks go back on Sunday 2026-11-01 at 02:00): Fri 16:00 EDT → Mon 10:00 EST.
  {
    key: "F1", receivedAt: "2026-10-30T20:00:00Z", route: "enterprise", source: "web", owner: "ae1", version: "v2", status: "working",
    events: [
      { type: "assigned", at: 1, rep: "ae1", slaDueAt: "2026-10-30T20:31:00Z" },
      { type: "first_touch", at: "2026-11-02T15:00:00Z", rep: "ae1" },
    ],
  },
];

const ratio = (numerator: number, denominator: number): Ratio => ({ numerator, denominator, rate: denominator === 0 ? null : numerator / denominator });
const delays = (median: number | null, p90: number | null, medianBusiness: number | null, p90Business: number | null) => ({ median, p90, medianBusiness, p90Business });

/** Every number rounded to 1e-6 (percentiles are computed in floating point on both sides). */
function rounded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" ? Math.round(v * 1e6) / 1e6 : v))) as T;
}
function expectKpis(actual: Kpis, expected: Kpis): void {
  expect(rounded(actual)).toEqual(rounded(expected));
}
/**
 * What the dashboard's queries compute: every figure except the two delay pairs it does not show (system delay in
 * business minutes, human delay in wall-clock minutes), which come back null (DASHBOARD_PERCENTILES).
 */
function dashboardShown(k: Kpis): Kpis {
  const s = k.speedToLead;
  return {
    ...k,
    speedToLead: {
      ...s,
      systemDelay: { ...s.systemDelay, medianBusiness: null, p90Business: null },
      humanDelay: { ...s.humanDelay, median: null, p90: null },
    },
  };
}
/** The hand values without business minutes: what folding the raw events (no calendars) must give. */
function wallClockOnly(k: Kpis): Kpis {
  const s = k.speedToLead;
  return {
    ...k,
    speedToLead: {
      ...s, medianBusinessMinutes: null, p90BusinessMinutes: null,
      systemDelay: { ...s.systemDelay, medianBusiness: null, p90Business: null },
      humanDelay: { ...s.humanDelay, medianBusiness: null, p90Business: null },
    },
  };
}

/**
 * The current period, by hand.
 * Speed to lead (10 touched; L6, L7, L10, L12 have no first touch and are left out):
 *   wall-clock sorted [3 L1, 10 L3, 20 L5, 25 L13, 40 L11, 45 L2, 60 L14, 90 L4, 180 L9, 3840 L8]
 *     median: position 0.5·9 = 4.5 → (40 + 45) / 2 = 42.5;  p90: position 0.9·9 = 8.1 → 180 + 0.1·(3840 − 180) = 546
 *   business sorted [3, 10, 20, 25, 40, 45, 60 L14, 60 L8, 90, 120 L9 (London: 15:00–17:00 GMT)]
 *     median (40 + 45) / 2 = 42.5;  p90: 90 + 0.1·(120 − 90) = 93
 * System delay (12 assigned): wall [0.5 L3, 0.5 L7, 1 L1, 1 L4, 1 L5, 1 L6, 1 L13, 2 L2, 2 L8, 2 L14, 5 L9, 30 L11]
 *     median: position 5.5 → (1 + 1) / 2 = 1;  p90: position 0.9·11 = 9.9 → 2 + 0.9·(5 − 2) = 4.7
 *   business: the same but L7 (Sunday night) is 0 → [0, 0.5, 1×5, 2×3, 5, 30]: median 1, p90 4.7
 * Human delay (10): wall [2, 9.5, 10, 19, 24, 43, 58, 89, 175, 3838 L8]
 *     median (24 + 43) / 2 = 33.5;  p90: 175 + 0.1·(3838 − 175) = 541.3
 *   business: L8 → 28 (Fri 16:32–17:00) + 30 (Mon 09:00–09:30) = 58, L9 → 115 (15:05–17:00 London)
 *     [2, 9.5, 10, 19, 24, 43, 58, 58, 89, 115]: median 33.5;  p90: 89 + 0.1·(115 − 89) = 91.6
 * SLA: due and/or touched: L1 ok, L2 late, L3 ok, L4 late, L5 ok (touch +20 < first due +31), L6 untouched past due,
 *   L8 late, L11 ok, L13 ok → 4 breached / 9; L7 not yet due and L9, L14 (no SLA) excluded.
 * Wrong assignment: assigned to an owner: L1–L9, L11, L13, L14 = 12 (L10, L12 never owned); wrong: L4 (twice, counted
 *   once), L5 (rejected wrong_territory), L14 (wrong_product) = 3 → 3/12. L2 (not_a_fit), L13 (out_of_office,
 *   duplicate) are not wrong.
 * Acceptance: sales-routed = the 12 assigned minus L9 (pm1 only) = 11; latest decisions: accepted L1, L3, L4, L5, L14;
 *   rejected L2, L13 (accepted, then rejected) → 5 / 7. L9's acceptance does not count.
 * Meeting rate: meetings among sales-routed: L1, L5 → 2 / 11 (L9's meeting does not count).
 * Pipeline: 12,000 + 8,000.50 (L1) + 5,000 (L9) = 25,000.50 in 3 opportunities.
 * Manual triage: L10, L11 → 2 / 14.
 */
const EXPECTED_WEEK: Kpis = {
  volume: 14,
  speedToLead: {
    n: 10, medianMinutes: 42.5, p90Minutes: 546, medianBusinessMinutes: 42.5, p90BusinessMinutes: 93,
    systemDelay: delays(1, 4.7, 1, 4.7),
    humanDelay: delays(33.5, 541.3, 33.5, 91.6),
  },
  slaBreach: ratio(4, 9),
  wrongAssignment: ratio(3, 12),
  acceptance: ratio(5, 7),
  meetingRate: ratio(2, 11),
  pipeline: { amount: 25_000.5, opportunities: 3 },
  manualTriage: ratio(2, 14),
};

/**
 * The previous period (same length, just before): P1, P2, P3.
 * Speed to lead: P2 10; P1 Fri 02-27 21:30Z → Mon 03-02 14:30Z = 48 h + 17 h = 3,900 wall-clock minutes, 30 + 30 = 60
 *   business → wall [10, 3900]: median 1955, p90 10 + 0.9·3890 = 3511; business [10, 60]: median 35, p90 10 + 0.9·50 = 55.
 * System: [1 P2, 2 P1] → median 1.5, p90 1 + 0.9·1 = 1.9 (business the same).
 * Human: wall [9, 3898] → median 1953.5, p90 9 + 0.9·3889 = 3509.1; business [9, 58] → median 33.5, p90 9 + 0.9·49 = 53.1.
 * SLA: P1 late, P2 in time → 1/2. Wrong: P2 → 1/2. Acceptance 2/2. Meetings 0/2. Triage 0/3.
 */
const EXPECTED_PREVIOUS: Kpis = {
  volume: 3,
  speedToLead: {
    n: 2, medianMinutes: 1955, p90Minutes: 3511, medianBusinessMinutes: 35, p90BusinessMinutes: 55,
    systemDelay: delays(1.5, 1.9, 1.5, 1.9),
    humanDelay: delays(1953.5, 3509.1, 33.5, 53.1),
  },
  slaBreach: ratio(1, 2),
  wrongAssignment: ratio(1, 2),
  acceptance: ratio(2, 2),
  meetingRate: ratio(0, 2),
  pipeline: { amount: 0, opportunities: 0 },
  manualTriage: ratio(0, 3),
};

let t: TestDatabase;
let db: Kysely<Database>;
let fx: MetricFixture;
let week: MetricFilter;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  fx = await createMetricWorkspace(db, {
    slug: "metrics-fixture",
    timeZone: "America/New_York",
    teams: [
      { key: "ny", timeZone: "America/New_York" },
      { key: "partners", timeZone: "Europe/London" },
    ],
    reps: [
      { key: "ae1", team: "ny", role: "ae" },
      { key: "ae2", team: "ny", role: "ae" },
      { key: "sdr1", team: "ny", role: "sdr" },
      { key: "pm1", team: "partners", role: "partner_manager" },
    ],
    routes: [
      { key: "enterprise", kind: "sales", slaMinutes: 30 },
      { key: "smb", kind: "sales", slaMinutes: 30 },
      { key: "partner", kind: "partner" },
      { key: "review", kind: "review", slaMinutes: 120 },
      { key: "nurture", kind: "nurture" },
    ],
    sources: [
      { key: "web", kind: "form" },
      { key: "portal", kind: "json" },
    ],
    versions: ["v1", "v2"],
  });
  await fx.addLeads([...CURRENT, ...OTHERS]);
  // Another workspace with a lead in the same week: it must never leak into this one's figures.
  const other = await createMetricWorkspace(db, {
    slug: "metrics-other", timeZone: "America/New_York", teams: [{ key: "ny", timeZone: "America/New_York" }],
    reps: [{ key: "ae9", team: "ny", role: "ae" }], routes: [{ key: "enterprise", kind: "sales", slaMinutes: 30 }], sources: [], versions: [],
  });
  await other.addLeads([{
    key: "X1", receivedAt: "2026-03-03T15:00:00Z", route: "enterprise", owner: "ae9",
    events: [{ type: "assigned", at: 1, rep: "ae9", slaDueAt: 31 }, { type: "rejected", at: 2, rep: "ae9", reason: "wrong_territory" }],
  }]);
  week = { workspaceId: fx.workspaceId, from: FROM, to: TO };
});
afterAll(async () => t?.close());

const ids = (...keys: string[]) => keys.map((k) => fx.lead[k]!).sort();

describe("KPIs of a hand-built week", () => {
  it("serves from lead_metrics (SQL) exactly the hand-computed figures", async () => {
    expectKpis(await kpis(db, week, NOW), EXPECTED_WEEK);
  });

  it("folding the raw events (lib) gives the same wall-clock figures and the same counts", async () => {
    expectKpis(await kpisFromEvents(db, week, NOW), wallClockOnly(EXPECTED_WEEK));
  });

  it("stores each lead's row as folded from its events (edge cases, field by field)", async () => {
    const rows = await db.selectFrom("lead_metrics").selectAll().where("workspace_id", "=", fx.workspaceId).execute();
    const row = (key: string) => rows.find((r) => r.lead_id === fx.lead[key])!;
    // Reassigned twice with wrong-owner reasons: the first assignment is kept (ae1, its due time), wrong once.
    expect(row("L4")).toMatchObject({
      first_rep_id: fx.rep.ae1, owner_rep_id: fx.rep.sdr1, assigned_at: new Date("2026-03-03T18:01:00Z"),
      sla_due_at: new Date("2026-03-03T18:31:00Z"), wrong_assigned: true, decision: "accepted", routed_to_sales: true, stl_minutes: 90,
    });
    // Rejected (wrong territory), then accepted by the next rep: accepted, still wrong, SLA of the first assignment.
    expect(row("L5")).toMatchObject({ decision: "accepted", wrong_assigned: true, sla_due_at: new Date("2026-03-04T15:31:00Z"), first_rep_id: fx.rep.ae2 });
    // The earliest first touch, whatever order the touches were recorded in.
    expect(row("L3")).toMatchObject({ first_touch_at: new Date("2026-03-03T15:00:00Z"), stl_minutes: 10, system_minutes: 0.5, human_minutes: 9.5 });
    // Weekend + spring-forward: 64 h wall-clock, 60 business minutes (30 on Friday, 30 on Monday).
    expect(row("L8")).toMatchObject({ stl_minutes: 3840, stl_business_minutes: 60, system_business_minutes: 2, human_business_minutes: 58 });
    // The owner team's calendar (London) for the partner manager's lead: 15:00–17:00 GMT = 120 of 180 minutes.
    expect(row("L9")).toMatchObject({ stl_minutes: 180, stl_business_minutes: 120, human_business_minutes: 115, routed_to_sales: false, assigned_to_owner: true, sla_due_at: null });
    // Assigned Sunday night: half a wall-clock minute, no business minute; no touch yet.
    expect(row("L7")).toMatchObject({ system_minutes: 0.5, system_business_minutes: 0, stl_minutes: null, human_minutes: null, first_touch_at: null });
    // Never owned: no assignment, no delays, counted in review only.
    expect(row("L10")).toMatchObject({ assigned_to_owner: false, routed_to_sales: false, entered_review: true, first_rep_id: null, team_id: null, stl_minutes: null, system_minutes: null });
    // First owned by a partner manager, then moved to an AE: routed to a sales owner.
    expect(row("L14")).toMatchObject({ routed_to_sales: true, wrong_assigned: true, first_rep_id: fx.rep.pm1, sla_due_at: null });
    // Accepted, then rejected as a duplicate: the latest decision counts; not a wrong-owner reason.
    expect(row("L13")).toMatchObject({ decision: "rejected", wrong_assigned: false });
    expect(row("L1")).toMatchObject({ pipeline_amount: 20_000.5, opportunities: 2, meeting_booked: true });
  });

  it("breaks the week down by route path (pipeline by route path)", async () => {
    const rows = await kpisBy(db, week, NOW, "route_path");
    const by = new Map(rows.map((r) => [r.key, r.kpis]));
    expect([...by.keys()].sort()).toEqual(["enterprise", "nurture", "partner", "review", "smb"]);
    /**
     * enterprise: L1, L2, L4, L6, L8, L11.
     *   stl wall [3, 40, 45, 90, 3840]: median 45, p90 position 3.6 → 90 + 0.6·3750 = 2340;
     *   business [3, 40, 45, 60, 90]: median 45, p90 60 + 0.6·30 = 78.
     *   system wall [1 L1, 1 L4, 1 L6, 2 L2, 2 L8, 30 L11]: median 1.5, p90 position 4.5 → 2 + 0.5·28 = 16 (business the same).
     *   human wall [2, 10, 43, 89, 3838]: median 43, p90 89 + 0.6·3749 = 2338.4; business [2, 10, 43, 58, 89]: p90 58 + 0.6·31 = 76.6.
     *   SLA: L2, L4, L6, L8 late; L1, L11 in time → 4/6. Wrong: L4 → 1/6. Acceptance: L1, L4 accepted, L2 rejected → 2/3.
     *   Meetings: L1 → 1/6. Pipeline 20,000.50 (2). Triage: L11 → 1/6.
     */
    expectKpis(by.get("enterprise")!, {
      volume: 6,
      speedToLead: {
        n: 5, medianMinutes: 45, p90Minutes: 2340, medianBusinessMinutes: 45, p90BusinessMinutes: 78,
        systemDelay: delays(1.5, 16, 1.5, 16), humanDelay: delays(43, 2338.4, 43, 76.6),
      },
      slaBreach: ratio(4, 6), wrongAssignment: ratio(1, 6), acceptance: ratio(2, 3), meetingRate: ratio(1, 6),
      pipeline: { amount: 20_000.5, opportunities: 2 }, manualTriage: ratio(1, 6),
    });
    /**
     * smb: L3, L5, L7, L13. stl [10, 20, 25]: median 20, p90 position 1.8 → 20 + 0.8·5 = 24 (business the same).
     *   system wall [0.5 L3, 0.5 L7, 1 L5, 1 L13]: median 0.75, p90 position 2.7 → 1; business [0 L7, 0.5, 1, 1]: median 0.75, p90 1.
     *   human [9.5, 19, 24]: median 19, p90 19 + 0.8·5 = 23.
     *   SLA 0/3 (L7 not yet due). Wrong: L5 → 1/4. Acceptance: L3, L5 accepted, L13 rejected → 2/3. Meetings: L5 → 1/4.
     */
    expectKpis(by.get("smb")!, {
      volume: 4,
      speedToLead: {
        n: 3, medianMinutes: 20, p90Minutes: 24, medianBusinessMinutes: 20, p90BusinessMinutes: 24,
        systemDelay: delays(0.75, 1, 0.75, 1), humanDelay: delays(19, 23, 19, 23),
      },
      slaBreach: ratio(0, 3), wrongAssignment: ratio(1, 4), acceptance: ratio(2, 3), meetingRate: ratio(1, 4),
      pipeline: { amount: 0, opportunities: 0 }, manualTriage: ratio(0, 4),
    });
    /**
     * partner: L9 (pm1 only), L14 (pm1, then ae1). stl [60, 180]: median 120, p90 60 + 0.9·120 = 168;
     *   business [60 L14 New York, 120 L9 London]: median 90, p90 60 + 0.9·60 = 114.
     *   system [2, 5]: median 3.5, p90 4.7. human wall [58, 175]: median 116.5, p90 58 + 0.9·117 = 163.3;
     *   business [58, 115]: median 86.5, p90 58 + 0.9·57 = 109.3.
     *   No SLA on the route → 0/0. Wrong: L14 → 1/2. Acceptance: only L14 is sales-routed → 1/1. Meetings: 0/1 (L9's
     *   meeting is a partner manager's). Pipeline 5,000 (L9).
     */
    expectKpis(by.get("partner")!, {
      volume: 2,
      speedToLead: {
        n: 2, medianMinutes: 120, p90Minutes: 168, medianBusinessMinutes: 90, p90BusinessMinutes: 114,
        systemDelay: delays(3.5, 4.7, 3.5, 4.7), humanDelay: delays(116.5, 163.3, 86.5, 109.3),
      },
      slaBreach: ratio(0, 0), wrongAssignment: ratio(1, 2), acceptance: ratio(1, 1), meetingRate: ratio(0, 1),
      pipeline: { amount: 5_000, opportunities: 1 }, manualTriage: ratio(0, 2),
    });
    // review: L10 only — no owner, so in volume and triage but in no owner denominator.
    expect(by.get("review")).toMatchObject({ volume: 1, manualTriage: ratio(1, 1), wrongAssignment: ratio(0, 0), acceptance: ratio(0, 0), meetingRate: ratio(0, 0), slaBreach: ratio(0, 0) });
    expect(by.get("review")!.speedToLead).toMatchObject({ n: 0, medianMinutes: null, p90Minutes: null });
    expect(by.get("nurture")).toMatchObject({ volume: 1, manualTriage: ratio(0, 1), wrongAssignment: ratio(0, 0) });
    // The parts add up to the whole.
    expect(rows.reduce((n, r) => n + r.kpis.volume, 0)).toBe(14);
    expect(rows.reduce((n, r) => n + r.kpis.pipeline.amount, 0)).toBeCloseTo(25_000.5, 6);
  });

  it("breaks the week down by rep (the lead's current owner)", async () => {
    const rows = await kpisBy(db, week, NOW, "rep");
    const by = new Map(rows.map((r) => [r.key, r.kpis]));
    expect(new Set(by.keys())).toEqual(new Set([fx.rep.ae1, fx.rep.ae2, fx.rep.sdr1, fx.rep.pm1, null]));
    /**
     * ae1 owns L1, L5, L6, L11, L14. stl [3, 20, 40, 60]: median 30, p90 position 2.7 → 40 + 0.7·20 = 54 (business the same).
     *   system [1, 1, 1, 2, 30]: median 1, p90 2 + 0.6·28 = 18.8. human [2, 10, 19, 58]: median 14.5, p90 19 + 0.7·39 = 46.3.
     *   SLA: L1, L5, L11 in time, L6 past due → 1/4 (L14 has none). Wrong: L5, L14 → 2/5. Acceptance L1, L5, L14 → 3/3.
     *   Meetings L1, L5 → 2/5. Pipeline 20,000.50. Triage L11 → 1/5.
     */
    expectKpis(by.get(fx.rep.ae1!)!, {
      volume: 5,
      speedToLead: {
        n: 4, medianMinutes: 30, p90Minutes: 54, medianBusinessMinutes: 30, p90BusinessMinutes: 54,
        systemDelay: delays(1, 18.8, 1, 18.8), humanDelay: delays(14.5, 46.3, 14.5, 46.3),
      },
      slaBreach: ratio(1, 4), wrongAssignment: ratio(2, 5), acceptance: ratio(3, 3), meetingRate: ratio(2, 5),
      pipeline: { amount: 20_000.5, opportunities: 2 }, manualTriage: ratio(1, 5),
    });
    // ae2 owns L2, L8, L13: stl [25, 45, 3840] median 45; SLA L2, L8 late, L13 in time → 2/3; no wrong; L2, L13 rejected → 0/2.
    expect(by.get(fx.rep.ae2!)).toMatchObject({ volume: 3, slaBreach: ratio(2, 3), wrongAssignment: ratio(0, 3), acceptance: ratio(0, 2), meetingRate: ratio(0, 3) });
    expect(by.get(fx.rep.ae2!)!.speedToLead).toMatchObject({ n: 3, medianMinutes: 45 });
    // sdr1 owns L3, L4, L7: stl [10, 90] median 50; SLA L3 in time, L4 late, L7 not due → 1/2; wrong L4 → 1/3; accepted 2/2.
    expect(by.get(fx.rep.sdr1!)).toMatchObject({ volume: 3, slaBreach: ratio(1, 2), wrongAssignment: ratio(1, 3), acceptance: ratio(2, 2), meetingRate: ratio(0, 3) });
    expect(by.get(fx.rep.sdr1!)!.speedToLead).toMatchObject({ n: 2, medianMinutes: 50 });
    // pm1 owns L9: an owner (assigned 1, not wrong) but not a sales owner: no acceptance or meeting denominator.
    expect(by.get(fx.rep.pm1!)).toMatchObject({ volume: 1, wrongAssignment: ratio(0, 1), acceptance: ratio(0, 0), meetingRate: ratio(0, 0), pipeline: { amount: 5_000, opportunities: 1 } });
    // No owner: L10, L12.
    expect(by.get(null)).toMatchObject({ volume: 2, manualTriage: ratio(1, 2), wrongAssignment: ratio(0, 0), acceptance: ratio(0, 0) });
  });

  it("filters by source, team, version and 'none', and groups by table version", async () => {
    // portal: L3, L9, L14 → stl [10, 60, 180] median 60; wrong L14 → 1/3; acceptance (sales-routed L3, L14) 2/2.
    const portal = await kpis(db, { ...week, sources: [fx.source.portal!] }, NOW);
    expect(portal).toMatchObject({ volume: 3, wrongAssignment: ratio(1, 3), acceptance: ratio(2, 2) });
    expect(portal.speedToLead).toMatchObject({ n: 3, medianMinutes: 60 });
    // No source: L12. No team: L10, L12. Team partners: L9 (L14 now belongs to ae1's team).
    expect((await kpis(db, { ...week, sources: ["none"] }, NOW)).volume).toBe(1);
    expect(await kpis(db, { ...week, teams: ["none"] }, NOW)).toMatchObject({ volume: 2, manualTriage: ratio(1, 2) });
    expect((await kpis(db, { ...week, teams: [fx.team.partners!] }, NOW)).volume).toBe(1);
    // Versions: v1 L1–L6, v2 L7–L11, L13, L14, none L12.
    const byVersion = new Map((await kpisBy(db, week, NOW, "table_version")).map((r) => [r.key, r.kpis.volume]));
    expect(byVersion).toEqual(new Map([[fx.version.v1, 6], [fx.version.v2, 7], [null, 1]]));
    // v1 (L1–L6): wrong L4, L5 → 2/6; SLA L2, L4, L6 late; L1, L3, L5 in time → 3/6.
    expect(await kpis(db, { ...week, versions: [fx.version.v1!] }, NOW)).toMatchObject({ volume: 6, wrongAssignment: ratio(2, 6), slaBreach: ratio(3, 6) });
  });

  it("buckets the week by local day in the workspace's time zone", async () => {
    const series = await kpisOverTime(db, week, NOW, "day", "America/New_York");
    // L12 (Mon 00:30 EST = 05:30Z) is Monday's; L7 (Sun 22:00 EDT = Mon 02:00Z) is Sunday's; no lead on Saturday.
    expect(series.map((s) => [s.bucket, s.kpis.volume])).toEqual([
      ["2026-03-02", 3], // L1, L2, L12
      ["2026-03-03", 2], // L3, L4
      ["2026-03-04", 2], // L5, L6
      ["2026-03-05", 4], // L9, L10, L11, L14
      ["2026-03-06", 2], // L8, L13
      ["2026-03-08", 1], // L7
    ]);
    // Wednesday: L5 (in time, wrong) and L6 (past due) → SLA 1/2, wrong 1/2.
    expect(series[2]!.kpis).toMatchObject({ slaBreach: ratio(1, 2), wrongAssignment: ratio(1, 2) });
  });
});

describe("the dashboard over a custom period", () => {
  it("covers whole local days and compares with the previous period's leads", async () => {
    const summary = await dashboardSummary(db, { workspaceId: fx.workspaceId, now: NOW }, WEEK);
    expect(summary.period.from).toEqual(FROM);
    expect(summary.period.to).toEqual(TO);
    // Current: L1–L14 only (not P3 one hour before, not N1 on Monday 03-09, not the other workspace's lead).
    expectKpis(summary.current, dashboardShown(EXPECTED_WEEK));
    // Previous: P1, P2, P3 (not O1, a week earlier still).
    expectKpis(summary.previous, dashboardShown(EXPECTED_PREVIOUS));
    expectKpis(await kpisFromEvents(db, { workspaceId: fx.workspaceId, from: summary.period.previousFrom, to: summary.period.from }, NOW), wallClockOnly(EXPECTED_PREVIOUS));
    // Seven whole local days before: Monday 02-23 00:00 EST (no DST change in that week).
    expect(summary.period.previousFrom).toEqual(new Date("2026-02-23T05:00:00Z"));
  });

  it("measures across the autumn DST change (Fri 16:00 EDT → Mon 10:00 EST)", async () => {
    const now = new Date("2026-11-03T00:00:00Z");
    const summary = await dashboardSummary(db, { workspaceId: fx.workspaceId, now }, DashboardFilters.parse({ range: "custom", from: "2026-10-26", to: "2026-11-01" }));
    // F1: Fri 10-30 20:00Z → Mon 11-02 15:00Z = 48 h + 19 h = 67 h = 4,020 wall-clock minutes (66 h without the extra hour);
    // business: Fri 16:00–17:00 EDT = 60 + Mon 09:00–10:00 EST = 60 → 120. System 1 (1). Human 4,019; business 59 + 60 = 119.
    // SLA: due Fri 16:31 EDT, touched Monday → 1/1 breached.
    expect(summary.current.volume).toBe(1);
    expect(summary.current.speedToLead).toMatchObject({
      n: 1, medianMinutes: 4020, p90Minutes: 4020, medianBusinessMinutes: 120, p90BusinessMinutes: 120,
      systemDelay: delays(1, 1, null, null), humanDelay: delays(null, null, 119, 119),
    });
    // The full KPI set (all six delay pairs) has the rest: system 1 business minute, human 4,019 wall-clock minutes.
    const full = await kpis(db, { workspaceId: fx.workspaceId, from: summary.period.from, to: summary.period.to }, now);
    expect(full.speedToLead).toMatchObject({ systemDelay: delays(1, 1, 1, 1), humanDelay: delays(4019, 4019, 119, 119) });
    expect(summary.current.slaBreach).toEqual(ratio(1, 1));
    expect(summary.previous.volume).toBe(0);
  });
});

describe("drill-down: the leads behind each number", () => {
  async function drill(metric: "sla_breached" | "sla_eligible" | "wrong_assigned" | "assigned" | "accepted" | "rejected" | "sales_routed" | "meeting" | "triaged" | "touched" | "opportunity") {
    const res = await listLeads(db, { workspaceId: fx.workspaceId }, { metric, now: NOW, from: FROM, to: TO, sort: { field: "received_at", dir: "asc" }, page: 0, pageSize: 100 });
    expect(res.rows).toHaveLength(res.total);
    return res.rows.map((r) => r.id).sort();
  }

  it("lists exactly the leads each figure counts", async () => {
    const k = await kpis(db, week, NOW);
    expect(await drill("sla_breached")).toEqual(ids("L2", "L4", "L6", "L8"));
    expect(await drill("sla_eligible")).toEqual(ids("L1", "L2", "L3", "L4", "L5", "L6", "L8", "L11", "L13"));
    expect(await drill("wrong_assigned")).toEqual(ids("L4", "L5", "L14"));
    expect(await drill("assigned")).toEqual(ids("L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9", "L11", "L13", "L14"));
    expect(await drill("accepted")).toEqual(ids("L1", "L3", "L4", "L5", "L14"));
    expect(await drill("rejected")).toEqual(ids("L2", "L13"));
    expect(await drill("sales_routed")).toEqual(ids("L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L11", "L13", "L14"));
    expect(await drill("meeting")).toEqual(ids("L1", "L5"));
    expect(await drill("triaged")).toEqual(ids("L10", "L11"));
    expect(await drill("touched")).toEqual(ids("L1", "L2", "L3", "L4", "L5", "L8", "L9", "L11", "L13", "L14"));
    expect(await drill("opportunity")).toEqual(ids("L1", "L9"));
    // …and the counts are the figures' numerators and denominators.
    expect([k.slaBreach.numerator, k.slaBreach.denominator]).toEqual([(await drill("sla_breached")).length, (await drill("sla_eligible")).length]);
    expect([k.wrongAssignment.numerator, k.wrongAssignment.denominator]).toEqual([(await drill("wrong_assigned")).length, (await drill("assigned")).length]);
    expect(k.manualTriage.numerator).toBe((await drill("triaged")).length);
  });

  it("narrows by the breakdown's dimension like the breakdown does", async () => {
    const res = await listLeads(db, { workspaceId: fx.workspaceId }, {
      metric: "wrong_assigned", reps: [fx.rep.ae1!], now: NOW, from: FROM, to: TO, sort: { field: "received_at", dir: "asc" }, page: 0, pageSize: 100,
    });
    expect(res.rows.map((r) => r.id).sort()).toEqual(ids("L5", "L14"));
    const none = await listLeads(db, { workspaceId: fx.workspaceId }, {
      metric: "triaged", reps: ["none"], now: NOW, from: FROM, to: TO, sort: { field: "received_at", dir: "asc" }, page: 0, pageSize: 100,
    });
    expect(none.rows.map((r) => r.id)).toEqual(ids("L10"));
  });
});

describe("the real write path: recordLeadOutcome on ingested leads moves the dashboard by exactly one lead", () => {
  let env: Awaited<ReturnType<typeof createApiTestEnv>>;
  /** One instant for every reading, after all the writes below: only the events change between two readings. */
  let at: Date;
  let ae: { id: string; email: string };

  beforeAll(async () => {
    env = await createApiTestEnv({ leads: 150 });
    at = new Date(Date.now() + 30 * 60_000);
    ae = await env.db.selectFrom("reps").select(["id", "email"]).where("workspace_id", "=", env.workspaceId).where("role", "=", "ae").where("active", "=", true).orderBy("email").executeTakeFirstOrThrow();
  }, 240_000);
  afterAll(async () => env?.close());

  const LAST_WEEK = DashboardFilters.parse({ range: "7d" });
  const summary = async () => (await dashboardSummary(env.db, { workspaceId: env.workspaceId, now: at }, LAST_WEEK)).current;
  const deps = () => ({ db: env.db, now: () => new Date() });

  /** A lead ingested through the API with an explicit owner: the AE. */
  async function ingestedLead(): Promise<string> {
    const res = await postLead(jsonRequest("/api/v1/leads", leadBody({ hints: { ownerEmail: ae.email } })));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { leadId: string; status: string; owner: { id: string } | null };
    expect(body).toMatchObject({ status: "assigned", owner: { id: ae.id } });
    return body.leadId;
  }

  async function drilled(metric: "wrong_assigned" | "accepted" | "rejected", leadId: string): Promise<boolean> {
    const period = { from: new Date(at.getTime() - 7 * 86_400_000), to: at };
    const res = await listLeads(env.db, { workspaceId: env.workspaceId }, { metric, now: at, ...period, q: undefined, sort: { field: "received_at", dir: "desc" }, page: 0, pageSize: 1000 });
    return res.rows.some((r) => r.id === leadId);
  }

  it("a wrong-territory rejection adds one to the wrong-assignment numerator only; the next rep's acceptance turns it into an accepted lead", async () => {
    const leadId = await ingestedLead();
    const before = await summary();
    expect(before.volume).toBeGreaterThan(0);

    const rejected = await recordLeadOutcome(deps(), env.workspaceId, leadId, OutcomeEventInput.parse({ type: "rejected", reasonCode: "wrong_territory" }));
    const afterReject = await summary();
    // The lead was already assigned to an owner: the denominator does not move, the numerator moves by exactly one.
    expect(afterReject.wrongAssignment).toEqual(ratio(before.wrongAssignment.numerator + 1, before.wrongAssignment.denominator));
    expect(afterReject.volume).toBe(before.volume);
    expect(afterReject.slaBreach).toEqual(before.slaBreach);
    expect(await drilled("wrong_assigned", leadId)).toBe(true);

    if (rejected.reroutedTo && "repId" in rejected.reroutedTo) {
      expect(rejected.reroutedTo.repId).not.toBe(ae.id);
      // Latest decision: rejected (one more decided lead, not accepted); not triaged.
      expect(afterReject.acceptance).toEqual(ratio(before.acceptance.numerator, before.acceptance.denominator + 1));
      expect(afterReject.manualTriage).toEqual(before.manualTriage);
      expect(await drilled("rejected", leadId)).toBe(true);

      // The next owner accepts: the same lead now counts as accepted, and still as wrongly assigned.
      await recordLeadOutcome(deps(), env.workspaceId, leadId, OutcomeEventInput.parse({ type: "accepted" }));
      const afterAccept = await summary();
      expect(afterAccept.acceptance).toEqual(ratio(before.acceptance.numerator + 1, before.acceptance.denominator + 1));
      expect(afterAccept.wrongAssignment).toEqual(afterReject.wrongAssignment);
      expect(await drilled("accepted", leadId)).toBe(true);
      expect(await drilled("rejected", leadId)).toBe(false);
      expect(await drilled("wrong_assigned", leadId)).toBe(true);
    } else {
      // Nobody else eligible: the lead went to the review queue, which the triage rate counts.
      expect(afterReject.manualTriage).toEqual(ratio(before.manualTriage.numerator + 1, before.manualTriage.denominator));
    }
  });

  it("a not-a-fit rejection is a decision but not a wrong assignment", async () => {
    const leadId = await ingestedLead();
    const before = await summary();
    await recordLeadOutcome(deps(), env.workspaceId, leadId, OutcomeEventInput.parse({ type: "rejected", reasonCode: "not_a_fit" }));
    const after = await summary();
    expect(after.wrongAssignment).toEqual(before.wrongAssignment);
    expect(after.acceptance).toEqual(ratio(before.acceptance.numerator, before.acceptance.denominator + 1));
    expect(await drilled("wrong_assigned", leadId)).toBe(false);
  });

  it("serves the same figures from lead_metrics as from folding the events after these writes", async () => {
    const filter = { workspaceId: env.workspaceId, from: new Date(at.getTime() - 7 * 86_400_000), to: at };
    const fromRows = await kpis(env.db, filter, at);
    const fromEvents = await kpisFromEvents(env.db, filter, at);
    const { speedToLead: a, ...restRows } = fromRows;
    const { speedToLead: b, ...restEvents } = fromEvents;
    expect(restRows).toEqual(restEvents);
    expect(a.n).toBe(b.n);
    expect(a.medianMinutes).toBeCloseTo(b.medianMinutes!, 6);
    expect(a.p90Minutes).toBeCloseTo(b.p90Minutes!, 6);
  });
});

describe("the real write path on a hand-built workspace (fixed clock)", () => {
  /**
   * A lead that waited in the review queue with no owner (route "review", SLA 120 business minutes) is handed to an
   * AE by name through the outcome service (a "reassigned" event, as the API and the inbox write it) on Wednesday
   * 2026-04-01 at 10:00 EDT. The service starts an SLA: 120 business minutes of team ny → 12:00 EDT = 16:00Z, on the
   * lead row and on the rep's task. Nobody touches it; at 16:00 EDT (20:00Z) it is past due.
   * By hand (DESIGN.md: "among leads with an SLA whose due time has passed or which were touched"): SLA breach 1/1;
   * assigned to an owner 1, wrong 0; triaged 1/1; system delay 10:00 − 09:00 = 60 minutes.
   *
   * (This once failed: the "reassigned" event carried no slaDueAt and the metric fold read it from "assigned" events
   * only, so the dashboard left the lead out, 0/0, while the lead row, the task and the inbox showed its SLA clock.)
   * The same lead handed over from the review queue screen (review.service giveTo → "assigned") is counted.
   */
  it("counts the SLA of a lead first assigned by a reassignment out of the review queue", async () => {
    const ws = await createMetricWorkspace(db, {
      slug: "metrics-writes", timeZone: "America/New_York", teams: [{ key: "ny", timeZone: "America/New_York" }],
      reps: [{ key: "ae1", team: "ny", role: "ae" }], routes: [{ key: "review", kind: "review", slaMinutes: 120 }], sources: [], versions: [],
    });
    await ws.addLeads([{
      key: "R1", receivedAt: "2026-04-01T13:00:00Z", route: "review", owner: null, status: "in_review",
      events: [{ type: "queued_for_review", at: 0, reason: "low_confidence" }],
    }]);
    const leadId = ws.lead.R1!;
    const handedAt = new Date("2026-04-01T14:00:00Z");
    const result = await recordLeadOutcome({ db, now: () => handedAt }, ws.workspaceId, leadId, OutcomeEventInput.parse({ type: "reassigned", reasonCode: "manual", repEmail: ws.repEmail.ae1! }));
    expect(result).toMatchObject({ ownerRepId: ws.rep.ae1, status: "assigned" });
    const lead = await db.selectFrom("leads").select(["sla_due_at", "owner_rep_id"]).where("id", "=", leadId).executeTakeFirstOrThrow();
    expect(lead.sla_due_at).toEqual(new Date("2026-04-01T16:00:00Z"));

    const later = new Date("2026-04-01T20:00:00Z");
    const filter = { workspaceId: ws.workspaceId, from: new Date("2026-04-01T04:00:00Z"), to: new Date("2026-04-02T04:00:00Z") };
    const k = await kpis(db, filter, later);
    expect(k).toMatchObject({ volume: 1, wrongAssignment: ratio(0, 1), manualTriage: ratio(1, 1) });
    expect(k.speedToLead.systemDelay.median).toBe(60);
    // The lead has an SLA (due 16:00Z) and it has passed untouched: breached 1 of 1. The lead_metrics row carries no
    // due time, so the dashboard shows 0 of 0 and the drill-down cannot list it.
    const row = await db.selectFrom("lead_metrics").select("sla_due_at").where("lead_id", "=", leadId).executeTakeFirstOrThrow();
    expect(row.sla_due_at).toEqual(lead.sla_due_at);
    expect(k.slaBreach).toEqual(ratio(1, 1));
  });
});

describe("backfill of a database from before lead_metrics", () => {
  it("rebuilds missing rows from the events, identical to the rows the writers keep", async () => {
    const kept = await db.selectFrom("lead_metrics").selectAll().where("workspace_id", "=", fx.workspaceId).orderBy("lead_id").execute();
    await db.deleteFrom("lead_metrics").where("workspace_id", "=", fx.workspaceId).execute();
    const written = await backfillLeadMetrics(db, 4); // small batches: the loop must carry on while batches are full
    expect(written).toBeGreaterThanOrEqual(kept.length);
    const rebuilt = await db.selectFrom("lead_metrics").selectAll().where("workspace_id", "=", fx.workspaceId).orderBy("lead_id").execute();
    const strip = (rows: typeof kept) => rows.map(({ updated_at: _u, ...r }) => r);
    expect(strip(rebuilt)).toEqual(strip(kept));
    expect(await backfillLeadMetrics(db)).toBe(0);
  });
});
