/**
 * Long periods from the daily rollups (lead_metrics_daily): every count equals the exact SQL over lead_metrics, the
 * percentiles are within the sketch's accuracy, the partial days at either end and the SLA of untouched leads are
 * counted live, and a write moves the rollup in the same transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/db/seed/demo";
import { resolvePeriod, type DashboardFilters } from "@/lib/metrics/dashboard-filters";
import type { Kpis } from "@/lib/metrics/definitions";
import { SKETCH_RELATIVE_ACCURACY } from "@/lib/metrics/sketch";
import { dashboardBreakdown, dashboardSummary, dashboardTrend } from "@/server/services/metrics/dashboard.service";
import { DASHBOARD_PERCENTILES, kpis, kpisBy, kpisOverTime } from "@/server/services/metrics/metrics.service";
import { OutcomeEventInput } from "@/lib/ingest/lead-input";
import { recordLeadOutcome } from "@/server/services/outcomes.service";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

const NOW = new Date("2026-11-25T20:17:00Z"); // mid-day, so presets start and end on partial local days
let t: TestDatabase;
let workspaceId: string;
let timeZone: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const s = await seedDemo(t.db, { leads: 4000, days: 200, now: NOW });
  workspaceId = s.workspaceId;
  timeZone = (await t.db.selectFrom("workspaces").select("time_zone").where("id", "=", workspaceId).executeTakeFirstOrThrow()).time_zone;
}, 240_000);
afterAll(async () => t?.close());

/** Counts exactly equal; percentiles within the sketch's relative accuracy. */
function expectClose(approx: Kpis, exact: Kpis): void {
  const { speedToLead: a, ...countsA } = approx;
  const { speedToLead: e, ...countsE } = exact;
  expect(countsA).toEqual(countsE);
  expect(a.n).toBe(e.n);
  const pairs: Array<[number | null, number | null]> = [
    [a.medianMinutes, e.medianMinutes], [a.p90Minutes, e.p90Minutes], [a.medianBusinessMinutes, e.medianBusinessMinutes], [a.p90BusinessMinutes, e.p90BusinessMinutes],
    [a.systemDelay.median, e.systemDelay.median], [a.humanDelay.medianBusiness, e.humanDelay.medianBusiness],
  ];
  for (const [x, y] of pairs) {
    if (y === null) expect(x).toBeNull();
    else expect(Math.abs(x! - y)).toBeLessThanOrEqual(Math.abs(y) * (SKETCH_RELATIVE_ACCURACY + 1e-9) + 1e-6);
  }
}

const exactOf = (f: DashboardFilters, range: { from: Date; to: Date }) =>
  kpis(t.db, { workspaceId, from: range.from, to: range.to, routePaths: f.routePaths }, NOW, DASHBOARD_PERCENTILES);

describe("long periods from the daily rollups", () => {
  it("answers a 180-day summary (partial days at both ends) with exact counts and percentiles within 1%", async () => {
    const f: DashboardFilters = { range: "180d" };
    const s = await dashboardSummary(t.db, { workspaceId, now: NOW }, f);
    expect(s.approximate).toBe(true);
    expect(s.current.volume).toBeGreaterThan(3000);
    expectClose(s.current, await exactOf(f, s.period));
    expectClose(s.previous, await exactOf(f, { from: s.period.previousFrom, to: s.period.from }));
  });

  it("answers a custom range of whole local days and a route path filter the same way", async () => {
    const f: DashboardFilters = { range: "custom", from: "2026-06-01", to: "2026-11-20", routePaths: ["ae-direct", "sdr-queue"] };
    const s = await dashboardSummary(t.db, { workspaceId, now: NOW }, f);
    expect(s.approximate).toBe(true);
    expectClose(s.current, await exactOf(f, s.period));
  });

  it("breaks a long period down by route path and trends it by week from the rollups", async () => {
    const f: DashboardFilters = { range: "180d" };
    const period = resolvePeriod(f, NOW, timeZone);
    const rows = await dashboardBreakdown(t.db, { workspaceId, now: NOW }, f, "route_path");
    const exact = await kpisBy(t.db, { workspaceId, from: period.from, to: period.to }, NOW, "route_path", DASHBOARD_PERCENTILES);
    for (const e of exact) expectClose(rows.find((r) => r.key === (e.key ?? "none"))!.kpis, e.kpis);

    const trend = await dashboardTrend(t.db, { workspaceId, now: NOW }, f, "week");
    expect(trend.approximate).toBe(true);
    const exactWeeks = await kpisOverTime(t.db, { workspaceId, from: period.from, to: period.to }, NOW, "week", timeZone, DASHBOARD_PERCENTILES);
    expect(trend.series.map((s) => s.bucket)).toEqual(exactWeeks.map((w) => w.bucket));
    trend.series.forEach((s, i) => expectClose(s.kpis, exactWeeks[i]!.kpis));
    expect(trend.volume.reduce((n, v) => n + v.n, 0)).toBe(exactWeeks.reduce((n, w) => n + w.kpis.volume, 0));
  });

  it("keeps short periods and other filters exact", async () => {
    expect((await dashboardSummary(t.db, { workspaceId, now: NOW }, { range: "30d" })).approximate).toBe(false);
    const rep = (await t.db.selectFrom("reps").select("id").where("workspace_id", "=", workspaceId).executeTakeFirstOrThrow()).id;
    expect((await dashboardSummary(t.db, { workspaceId, now: NOW }, { range: "180d", reps: [rep] })).approximate).toBe(false);
  });

  it("moves the rollup with a write, in the same transaction", async () => {
    const f: DashboardFilters = { range: "180d" };
    const before = await dashboardSummary(t.db, { workspaceId, now: NOW }, f);
    // An assigned lead of the period, owned by a sales rep, not yet decided or wrongly assigned: its owner rejects it
    // as wrong territory.
    const lead = await t.db.selectFrom("leads as l").innerJoin("lead_metrics as m", "m.lead_id", "l.id")
      .select(["l.id", "l.owner_rep_id"]).where("l.workspace_id", "=", workspaceId).where("l.status", "=", "assigned")
      .where("m.wrong_assigned", "=", false).where("m.routed_to_sales", "=", true).where("m.decision", "is", null)
      .where("l.received_at", ">", before.period.from).orderBy("l.received_at").executeTakeFirstOrThrow();
    await recordLeadOutcome({ db: t.db, now: () => NOW }, workspaceId, lead.id, OutcomeEventInput.parse({ type: "rejected", reasonCode: "wrong_territory", eventId: "rollup-test" }), {});
    const after = await dashboardSummary(t.db, { workspaceId, now: NOW }, f);
    expect(after.approximate).toBe(true);
    expect(after.current.wrongAssignment.numerator).toBe(before.current.wrongAssignment.numerator + 1);
    expect(after.current.acceptance.denominator).toBe(before.current.acceptance.denominator + 1);
    expectClose(after.current, await exactOf(f, after.period));
  });
});
