/**
 * Fairness per rep, computed by hand: first assignments against the weighted target share within the team, skips
 * recorded by live routing (by reason) and rejections made (wrong-owner ones apart).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardFairness } from "@/server/services/metrics/dashboard.service";
import { createMetricWorkspace, type MetricFixture } from "../support/metrics-fixture";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

const NOW = new Date("2026-03-09T15:00:00Z");
const WEEK = { range: "custom" as const, from: "2026-03-02", to: "2026-03-08" };
let t: TestDatabase;
let fx: MetricFixture;

beforeAll(async () => {
  t = await createTestDatabase();
  fx = await createMetricWorkspace(t.db, {
    slug: "fair", timeZone: "America/New_York",
    teams: [{ key: "ny", timeZone: "America/New_York" }, { key: "emea", timeZone: "Europe/London" }],
    reps: [
      { key: "a", team: "ny", role: "ae", weight: 2 },
      { key: "b", team: "ny", role: "ae", weight: 1 },
      { key: "c", team: "ny", role: "ae", weight: 1, active: false },
      { key: "d", team: "emea", role: "sdr", weight: 1 },
    ],
    routes: [{ key: "ae", kind: "sales", slaMinutes: 30 }], sources: [], versions: [],
  });
  const lead = (key: string, firstRep: string, extra: Parameters<MetricFixture["addLeads"]>[0][number]["events"] = []) => ({
    key, receivedAt: "2026-03-03T15:00:00Z", route: "ae", owner: firstRep,
    events: [{ type: "assigned" as const, at: 1, rep: firstRep, slaDueAt: 31 }, ...extra],
  });
  await fx.addLeads([
    lead("L1", "a", []),
    lead("L2", "a", []),
    lead("L3", "b", []),
    // a was skipped twice (out of office), b once (at its open-lead cap) on the way to these assignments
    { ...lead("L4", "b"), events: [{ type: "assigned", at: 1, rep: "b", skipped: [{ rep: "a", reason: "out_of_office" }] }] },
    { ...lead("L5", "a"), events: [{ type: "assigned", at: 1, rep: "a", skipped: [{ rep: "b", reason: "capacity_open" }] }, { type: "rejected", at: 5, rep: "a", reason: "wrong_territory" }] },
    { ...lead("L6", "d"), events: [{ type: "assigned", at: 1, rep: "d", skipped: [{ rep: "a", reason: "out_of_office" }, { rep: "b", reason: "territory" }] }, { type: "rejected", at: 9, rep: "d", reason: "not_a_fit" }] },
    // outside the week: not counted
    { key: "X1", receivedAt: "2026-03-10T15:00:00Z", route: "ae", owner: "a", events: [{ type: "assigned", at: 1, rep: "a", skipped: [{ rep: "b", reason: "capacity_open" }] }] },
  ]);
}, 120_000);
afterAll(async () => t?.close());

describe("fairness", () => {
  it("compares each rep's share of the team's first assignments with the weighted target and lists skips and rejections", async () => {
    const rows = await dashboardFairness(t.db, { workspaceId: fx.workspaceId, now: NOW }, WEEK);
    const byKey = Object.fromEntries(Object.entries(fx.rep).map(([k, id]) => [k, rows.find((r) => r.repId === id)]));
    // A territory skip is not a missed turn (the lead never fitted b), so b's skips stay { capacity_open: 1 }.
    // Team ny, first assignments in the week: a = L1, L2, L5 = 3; b = L3, L4 = 2; total 5.
    // Active weights in ny: a 2 + b 1 = 3 (c is inactive) → targets a 2/3, b 1/3; c inactive with nothing: not listed.
    expect(byKey.a).toMatchObject({ assigned: 3, share: 3 / 5, targetShare: 2 / 3, skips: { out_of_office: 2 }, rejections: 1, wrongOwnerRejections: 1 });
    expect(byKey.b).toMatchObject({ assigned: 2, share: 2 / 5, targetShare: 1 / 3, skips: { capacity_open: 1 }, rejections: 0, wrongOwnerRejections: 0 });
    expect(byKey.c).toBeUndefined();
    // Team emea: d alone → 1/1 against 1/1; its not_a_fit rejection is not a wrong-owner one.
    expect(byKey.d).toMatchObject({ assigned: 1, share: 1, targetShare: 1, skips: {}, rejections: 1, wrongOwnerRejections: 0 });
  });

  it("narrows to the filter's team", async () => {
    const rows = await dashboardFairness(t.db, { workspaceId: fx.workspaceId, now: NOW }, { ...WEEK, teams: [fx.team.emea!] });
    expect(rows.map((r) => r.repId)).toEqual([fx.rep.d]);
  });
});
