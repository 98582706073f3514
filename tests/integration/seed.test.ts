/**
 * The demo workspace: its history must read like a team before good routing, and those figures must come out of the
 * event log through the one set of metric definitions — the same path the dashboard takes.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo, seedDemoIfEmpty, type SeedSummary } from "@/db/seed/demo";
import { computeKpis } from "@/lib/metrics/definitions";
import { projectOutcomes } from "@/lib/routing/projection";
import { compile, evaluate, firstOutputs, parseDecisionTable } from "@/lib/decision-table";
import { kpis, kpisFromEvents, leadOutcomes } from "@/server/services/metrics/metrics.service";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

const NOW = new Date("2026-11-25T20:00:00Z");
const DAY = 86_400_000;
let t: TestDatabase;
let summary: SeedSummary;

beforeAll(async () => {
  t = await createTestDatabase();
  summary = (await seedDemoIfEmpty(t.db, { now: NOW }))!;
}, 240_000);
afterAll(async () => t?.close());

describe("demo seed", () => {
  it("builds the workspace described in the README", async () => {
    expect(summary.leads).toBe(20_000);
    const count = async (table: "teams" | "reps" | "accounts" | "route_paths" | "users") =>
      (await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    expect(await count("teams")).toBeGreaterThanOrEqual(3);
    expect(await count("reps")).toBeGreaterThanOrEqual(15);
    expect(await count("accounts")).toBe(300);
    expect(await count("route_paths")).toBeGreaterThanOrEqual(5);
    expect(await count("users")).toBe(5);
    const zones = await t.db.selectFrom("teams").select("time_zone").distinct().execute();
    expect(zones.length).toBeGreaterThanOrEqual(3);
    const owned = await t.db.selectFrom("accounts").select((eb) => eb.fn.countAll<number>().as("n")).where("owner_rep_id", "is not", null).executeTakeFirstOrThrow();
    expect(owned.n).toBeGreaterThan(150);
    const published = await t.db.selectFrom("decision_table_versions").select("status").execute();
    expect(published).toEqual([{ status: "published" }]);
    const span = await t.db.selectFrom("leads").select((eb) => [eb.fn.min("received_at").as("first"), eb.fn.max("received_at").as("last")]).executeTakeFirstOrThrow();
    expect(NOW.getTime() - new Date(span.first as Date).getTime()).toBeGreaterThan(88 * DAY);
    expect(new Date(span.last as Date).getTime()).toBeLessThanOrEqual(NOW.getTime());
  });

  it("reads like a team before good routing, measured from the event log", async () => {
    const ws = await t.db.selectFrom("workspaces").select("id").executeTakeFirstOrThrow();
    const outcomes = await leadOutcomes(t.db, { workspaceId: ws.id, from: new Date(NOW.getTime() - 91 * DAY), to: NOW });
    const k = computeKpis(outcomes, NOW);
    expect(k.volume).toBe(20_000);
    expect(k.wrongAssignment.rate).toBeGreaterThan(0.26);
    expect(k.wrongAssignment.rate).toBeLessThan(0.34);
    expect(k.speedToLead.medianMinutes).toBeGreaterThan(40);
    expect(k.speedToLead.medianMinutes).toBeLessThan(60);
    expect(k.acceptance.rate).toBeGreaterThan(0.37);
    expect(k.acceptance.rate).toBeLessThan(0.45);
    expect(k.meetingRate.rate).toBeGreaterThan(0.15);
    expect(k.meetingRate.rate).toBeLessThan(0.21);
    expect(k.pipeline.amount).toBeGreaterThan(1_000_000);
    expect(k.manualTriage.rate).toBeGreaterThan(0.02);
    expect(k.manualTriage.rate).toBeLessThan(0.2);
  });

  it("serves the dashboard's figures from lead_metrics equal to folding the raw event log", async () => {
    const ws = await t.db.selectFrom("workspaces").select("id").executeTakeFirstOrThrow();
    for (const days of [7, 30, 91]) {
      const filter = { workspaceId: ws.id, from: new Date(NOW.getTime() - days * DAY), to: NOW };
      const fromEvents = await kpisFromEvents(t.db, filter, NOW);
      const fromRows = await kpis(t.db, filter, NOW);
      // Business minutes exist only on the rows (the event fold has no calendars); everything else must be equal.
      const { speedToLead: a, ...restRows } = fromRows;
      const { speedToLead: b, ...restEvents } = fromEvents;
      expect(restRows).toEqual(restEvents);
      expect(a.n).toBe(b.n);
      for (const key of ["medianMinutes", "p90Minutes"] as const) expect(a[key]).toBeCloseTo(b[key]!, 6);
      for (const key of ["median", "p90"] as const) {
        expect(a.systemDelay[key]).toBeCloseTo(b.systemDelay[key]!, 6);
        expect(a.humanDelay[key]).toBeCloseTo(b.humanDelay[key]!, 6);
      }
      expect(a.medianBusinessMinutes).not.toBeNull();
      expect(a.medianBusinessMinutes!).toBeLessThanOrEqual(a.medianMinutes!);
    }
  });

  it("routed every lead by the published table from the facts stored on it", async () => {
    const version = await t.db.selectFrom("decision_table_versions").select(["id", "definition"]).executeTakeFirstOrThrow();
    const compiled = compile(parseDecisionTable(version.definition));
    const routes = new Map((await t.db.selectFrom("route_paths").select(["key", "confidence_threshold"]).execute()).map((r) => [r.key, r.confidence_threshold]));
    const leads = await t.db.selectFrom("leads").select(["facts", "route_path_key", "rule_id", "table_version_id"]).where("status", "!=", "duplicate").execute();
    let checked = 0;
    for (const lead of leads) {
      const facts = lead.facts as Record<string, unknown>;
      const result = evaluate(compiled, facts);
      const decided = firstOutputs(result)?.route as string;
      const threshold = routes.get(decided) ?? null;
      const expected = threshold !== null && (facts.confidence as number) < threshold ? "review" : decided;
      expect(lead.route_path_key).toBe(expected);
      expect(lead.rule_id).toBe(result.ruleIds[0]);
      expect(lead.table_version_id).toBe(version.id);
      checked++;
    }
    expect(checked).toBeGreaterThan(19_000);
  });

  it("keeps the projection on the lead row consistent with its events", async () => {
    const mismatches = await sql<{ n: number }>`
      select count(*)::int as n from leads l
      where l.first_touch_at is distinct from (select min(e.occurred_at) from lead_events e where e.lead_id = l.id and e.type = 'first_touch')
         or l.meeting_booked_at is distinct from (select min(e.occurred_at) from lead_events e where e.lead_id = l.id and e.type = 'meeting_booked')
    `.execute(t.db);
    expect(mismatches.rows[0]!.n).toBe(0);
    const future = await t.db.selectFrom("lead_events").select((eb) => eb.fn.countAll<number>().as("n")).where("occurred_at", ">", NOW).executeTakeFirstOrThrow();
    expect(future.n).toBe(0);
  });

  it("every lead row equals the projection of its events (decision, touch, meeting, pipeline, close, status)", async () => {
    const leads = await t.db.selectFrom("leads").selectAll().where("status", "not in", ["duplicate", "junk", "queued", "in_review"]).execute();
    const events = await t.db.selectFrom("lead_events").select(["lead_id", "type", "occurred_at", "rep_id", "reason_code", "amount"]).orderBy("occurred_at").orderBy("id").execute();
    const byLead = new Map<string, typeof events>();
    for (const e of events) (byLead.get(e.lead_id) ?? byLead.set(e.lead_id, []).get(e.lead_id)!).push(e);
    const mismatches: string[] = [];
    for (const l of leads) {
      const p = projectOutcomes((byLead.get(l.id) ?? []).map((e) => ({ type: e.type, occurredAt: e.occurred_at, repId: e.rep_id, reasonCode: e.reason_code, amount: e.amount })));
      const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
      if (l.decision !== p.decision || !same(l.decision_at, p.decisionAt) || !same(l.first_touch_at, p.firstTouchAt) || !same(l.meeting_booked_at, p.meetingBookedAt)
        || l.opportunity_amount !== p.opportunityAmount || !same(l.closed_at, p.closedAt) || l.ever_wrong_assigned !== p.everWrongAssigned || l.status !== (p.status ?? "assigned")) {
        mismatches.push(l.id);
      }
    }
    expect(leads.length).toBeGreaterThan(5000);
    expect(mismatches).toEqual([]);
    // A decision never predates the decider's assignment, and a touch is by whoever held the lead.
    const early = await sql<{ n: number }>`
      select count(*)::int as n from lead_events d
      where d.type in ('accepted', 'rejected') and d.rep_id is not null
        and not exists (select 1 from lead_events a where a.lead_id = d.lead_id and a.type in ('assigned', 'reassigned')
                        and a.rep_id = d.rep_id and a.occurred_at <= d.occurred_at)`.execute(t.db);
    expect(early.rows[0]!.n).toBe(0);
  });

  it("does nothing on a database that already has a workspace", async () => {
    expect(await seedDemoIfEmpty(t.db, { now: NOW })).toBeNull();
  });
});

describe("determinism", () => {
  it("gives identical history for the same seed and end instant", async () => {
    const digest = async (db: TestDatabase["db"]) =>
      (await sql<{ d: string }>`select md5(string_agg(concat_ws('|', email, received_at, route_path_key, status, owner_rep_id, score), ',' order by received_at, email)) as d from leads`.execute(db)).rows[0]!.d;
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    try {
      await seedDemo(a.db, { now: NOW, leads: 500, seed: "same" });
      await seedDemo(b.db, { now: NOW, leads: 500, seed: "same" });
      expect(await digest(a.db)).toBe(await digest(b.db));
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);
});
