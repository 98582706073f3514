/**
 * SLA timers end to end on a real database with a controllable clock (no sleeping): a lead ingested for an AE gets
 * its route path's chain as jobs; the worker fires the reminder, the breach and the reassignment at the right
 * instants across a weekend and a holiday (New York calendar 08:00–18:00, Memorial Day), and schedules across the
 * daylight-saving change (Berlin); a first touch before the reminder cancels everything; a second lapse goes to the
 * review queue; and the dashboard's breach count agrees with the sla_breached events the worker wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoIfEmpty } from "@/db/seed/demo";
import { LeadInput, OutcomeEventInput } from "@/lib/ingest/lead-input";
import { ingestLead } from "@/server/services/ingest/ingest-lead.service";
import { clearRoutingContextCache } from "@/server/services/ingest/routing-context";
import { kpis } from "@/server/services/metrics/metrics.service";
import { listNotifications } from "@/server/services/notifications/notify.service";
import { recordLeadOutcome } from "@/server/services/outcomes.service";
import { jobHandlers } from "@/server/jobs/handlers";
import { JobWorker } from "@/server/jobs/worker";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

let t: TestDatabase;
let workspaceId: string;
let clock = new Date("2026-04-01T00:00:00Z");
let worker: JobWorker;
const LUKAS = "lukas.weber@demo.switchyard.dev"; // Enterprise AE — EMEA: Berlin, 08:30–18:00, German holidays
const MAYA = "maya.chen@demo.switchyard.dev"; // Enterprise AE — North America: New York, 08:00–18:00, US holidays

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoIfEmpty(t.db, { now: new Date("2026-04-01T00:00:00Z"), leads: 300, days: 20 });
  clearRoutingContextCache();
  workspaceId = (await t.db.selectFrom("workspaces").select("id").executeTakeFirstOrThrow()).id;
  worker = new JobWorker(t.db, { handlers: jobHandlers, now: () => clock, workerId: "test-worker" });
}, 240_000);
afterAll(async () => t?.close());

async function ingestFor(ownerEmail: string, at: Date, n: number, country = "DE") {
  clock = at;
  return ingestLead({ db: t.db, now: () => at }, {
    workspaceId, sourceId: null, idempotencyKey: null, raw: {},
    input: LeadInput.parse({
      contact: { email: `buyer${n}@grossbank-example.de`, firstName: "Greta", lastName: `Käufer${n}` }, company: { name: "Grossbank AG", employees: 5000 },
      country, message: "We want a demo for 400 seats this quarter.", answers: { category: "sales_enterprise" }, hints: { ownerEmail },
    }),
  });
}

const eventsOf = (leadId: string) => t.db.selectFrom("lead_events").select(["type", "occurred_at", "rep_id", "reason_code"]).where("lead_id", "=", leadId)
  .where("type", "in", ["sla_warning", "sla_breached", "reassigned"]).orderBy("occurred_at").orderBy("id").execute();
const repId = async (email: string) => (await t.db.selectFrom("reps").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
const userId = async (email: string) => (await t.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
const at = (iso: string) => new Date(iso);

/** Advances the clock to `iso` and runs whatever is due; returns the jobs run. */
async function tick(iso: string): Promise<number> {
  clock = at(iso);
  return worker.drain();
}

describe("SLA timers", () => {
  it("reminder, breach and reassignment at the right instants across a weekend and Memorial Day", async () => {
    // Friday 22 May 2026, 17:50 in New York (EDT): 10 business minutes left that day; Monday 25 is Memorial Day;
    // the 30-minute SLA of AE direct runs on Tuesday 26 May from 08:00.
    const lead = await ingestFor(MAYA, at("2026-05-22T21:50:00Z"), 1, "US");
    expect(lead.routePath).toBe("ae-direct");
    expect(lead.slaDueAt?.toISOString()).toBe("2026-05-26T12:20:00.000Z"); // Tuesday 08:20 EDT
    const jobs = await t.db.selectFrom("jobs").select(["kind", "run_at", "status"]).where("lead_id", "=", lead.leadId).orderBy("run_at").execute();
    expect(jobs.map((j) => [j.kind, new Date(j.run_at).toISOString(), j.status])).toEqual([
      ["sla.step", "2026-05-26T12:05:00.000Z", "queued"], // reminder at 50%: 10 minutes on Friday + 5 on Tuesday
      ["sla.step", "2026-05-26T12:20:00.000Z", "queued"], // breach at the due time
      ["sla.step", "2026-05-26T13:20:00.000Z", "queued"], // reassignment 60 business minutes later
    ]);

    expect(await tick("2026-05-25T23:59:00Z")).toBe(0);
    expect(await tick("2026-05-26T12:04:59Z")).toBe(0);
    expect(await tick("2026-05-26T12:05:00Z")).toBe(1);
    const maya = await repId(MAYA);
    expect((await eventsOf(lead.leadId)).map((e) => [e.type, e.occurred_at.toISOString(), e.rep_id])).toEqual([["sla_warning", "2026-05-26T12:05:00.000Z", maya]]);
    const bell = await listNotifications(t.db, workspaceId, await userId("sales@demo.switchyard.dev"));
    // Told at assignment ("New lead for you"), then reminded.
    expect(bell.items.filter((n) => n.lead_id === lead.leadId).map((n) => n.kind)).toEqual(["sla_reminder", "lead_assigned"]);
    expect(bell.items[0]!.title).toMatch(/^Reminder: Greta Käufer1 \(Grossbank AG\) is due Tue, 8:20 AM EDT$/);

    expect(await tick("2026-05-26T12:20:00Z")).toBe(1);
    expect((await eventsOf(lead.leadId)).map((e) => e.type)).toEqual(["sla_warning", "sla_breached"]);
    // The breach reached the team's manager too (the demo's ops user manages every team).
    const manager = await listNotifications(t.db, workspaceId, await userId("ops@demo.switchyard.dev"));
    expect(manager.items.some((n) => n.kind === "sla_breached" && n.lead_id === lead.leadId)).toBe(true);

    expect(await tick("2026-05-26T13:19:00Z")).toBe(0);
    expect(await tick("2026-05-26T13:20:00Z")).toBe(1);
    const events = await eventsOf(lead.leadId);
    expect(events.map((e) => [e.type, e.reason_code])).toEqual([["sla_warning", null], ["sla_breached", null], ["reassigned", "sla_reassigned"]]);
    const after = await t.db.selectFrom("leads").select(["owner_rep_id", "status", "sla_due_at"]).where("id", "=", lead.leadId).executeTakeFirstOrThrow();
    expect(after.status).toBe("assigned");
    expect(after.owner_rep_id).not.toBe(maya);
    expect(after.owner_rep_id).toBe(events[2]!.rep_id);
    expect(after.sla_due_at!.toISOString()).toBe("2026-05-26T13:50:00.000Z"); // 30 business minutes from 09:20 EDT
    // The new owner's own chain.
    const next = await t.db.selectFrom("jobs").select(["run_at", "status", "payload"]).where("lead_id", "=", lead.leadId).where("status", "=", "queued").orderBy("run_at").execute();
    expect(next.map((j) => new Date(j.run_at).toISOString())).toEqual(["2026-05-26T13:35:00.000Z", "2026-05-26T13:50:00.000Z", "2026-05-26T14:50:00.000Z"]);
    expect(next.every((j) => (j.payload as { repId: string }).repId === after.owner_rep_id)).toBe(true);
    // Both told: the one it was taken from, and the new owner's task exists.
    const mayaBell = await listNotifications(t.db, workspaceId, await userId("sales@demo.switchyard.dev"));
    expect(mayaBell.items[0]!.kind).toBe("sla_reassigned");
    // Every step of the first owner's chain ran once: nothing more is due now.
    expect(await tick("2026-05-26T13:20:00Z")).toBe(0);
  });

  it("crosses the daylight-saving change: Friday 27 March 17:50 CET → Monday 30 March 08:35 / 08:50 / 09:50 CEST", async () => {
    const lead = await ingestFor(LUKAS, at("2026-03-27T16:50:00Z"), 2);
    const jobs = await t.db.selectFrom("jobs").select("run_at").where("lead_id", "=", lead.leadId).where("kind", "=", "sla.step").orderBy("run_at").execute();
    expect(jobs.map((j) => new Date(j.run_at).toISOString())).toEqual(["2026-03-30T06:35:00.000Z", "2026-03-30T06:50:00.000Z", "2026-03-30T07:50:00.000Z"]);
    // And they fire then: nothing at the old offset (07:35 CET would be 06:35Z + 1 h), each step at its instant.
    await tick("2026-03-30T06:34:59Z");
    expect(await eventsOf(lead.leadId)).toEqual([]);
    await tick("2026-03-30T06:35:00Z");
    await tick("2026-03-30T06:50:00Z");
    expect((await eventsOf(lead.leadId)).map((e) => [e.type, e.occurred_at.toISOString()])).toEqual([
      ["sla_warning", "2026-03-30T06:35:00.000Z"], ["sla_breached", "2026-03-30T06:50:00.000Z"],
    ]);
    await tick("2026-03-30T07:49:59Z");
    expect((await t.db.selectFrom("leads").select("status").where("id", "=", lead.leadId).executeTakeFirstOrThrow()).status).toBe("assigned");
    await tick("2026-03-30T07:50:00Z");
    // No other AE covers Germany: the reassignment step sends it to the review queue at its instant.
    const moved = await t.db.selectFrom("leads").select(["status", "owner_rep_id"]).where("id", "=", lead.leadId).executeTakeFirstOrThrow();
    expect(moved).toEqual({ status: "in_review", owner_rep_id: null });
    const queued = await t.db.selectFrom("lead_events").select("occurred_at").where("lead_id", "=", lead.leadId).where("type", "=", "queued_for_review").execute();
    expect(queued.map((e) => e.occurred_at.toISOString())).toEqual(["2026-03-30T07:50:00.000Z"]);
  });

  it("a first touch before the reminder cancels the whole chain", async () => {
    const lead = await ingestFor(LUKAS, at("2026-04-08T08:00:00Z"), 3); // Wednesday 10:00 CEST, due 10:30
    clock = at("2026-04-08T08:05:00Z");
    await recordLeadOutcome({ db: t.db, now: () => clock }, workspaceId, lead.leadId, OutcomeEventInput.parse({ type: "first_touch", eventId: "touch-3" }), {});
    const jobs = await t.db.selectFrom("jobs").select("status").where("lead_id", "=", lead.leadId).execute();
    expect(jobs.map((j) => j.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    await tick("2026-04-08T12:00:00Z");
    expect(await eventsOf(lead.leadId)).toEqual([]);
  });

  it("a step already on its way when the lead was touched stands down when it comes due", async () => {
    const lead = await ingestFor(MAYA, at("2026-04-09T14:00:00Z"), 4, "US");
    clock = at("2026-04-09T14:01:00Z");
    await recordLeadOutcome({ db: t.db, now: () => clock }, workspaceId, lead.leadId, OutcomeEventInput.parse({ type: "first_touch", eventId: "touch-4" }), {});
    // As if a worker had claimed the steps just before the touch cancelled them: they run, check the lead, do nothing.
    await t.db.updateTable("jobs").set({ status: "queued", finished_at: null }).where("lead_id", "=", lead.leadId).execute();
    await tick("2026-04-09T20:00:00Z");
    expect((await t.db.selectFrom("jobs").select("status").where("lead_id", "=", lead.leadId).execute()).map((j) => j.status)).toEqual(["done", "done", "done"]);
    expect(await eventsOf(lead.leadId)).toEqual([]);
  });

  it("after a wrong-owner rejection the new owner's clock runs (the earlier rejection does not stop it)", async () => {
    const lead = await ingestFor(MAYA, at("2026-04-15T14:00:00Z"), 6, "US"); // Wednesday 10:00 EDT
    clock = at("2026-04-15T14:02:00Z");
    await recordLeadOutcome({ db: t.db, now: () => clock }, workspaceId, lead.leadId, OutcomeEventInput.parse({ type: "rejected", reasonCode: "wrong_territory", eventId: "reject-6" }), {});
    const moved = await t.db.selectFrom("leads").select(["owner_rep_id", "decision", "sla_due_at"]).where("id", "=", lead.leadId).executeTakeFirstOrThrow();
    expect(moved.decision).toBe("rejected");
    expect(moved.owner_rep_id).not.toBe(await repId(MAYA));
    await tick(new Date(moved.sla_due_at!.getTime()).toISOString());
    const fired = await eventsOf(lead.leadId);
    expect(fired.map((e) => [e.type, e.rep_id])).toEqual([["reassigned", moved.owner_rep_id], ["sla_warning", moved.owner_rep_id], ["sla_breached", moved.owner_rep_id]]);
  });

  it("a second lapse after an SLA reassignment goes to the review queue, not to a third rep", async () => {
    const lead = await ingestFor(MAYA, at("2026-04-13T14:00:00Z"), 5, "US"); // Monday 10:00 EDT
    await tick("2026-04-13T16:00:00Z"); // reminder, breach, reassignment to the next AE
    const moved = await t.db.selectFrom("leads").select(["owner_rep_id", "sla_due_at"]).where("id", "=", lead.leadId).executeTakeFirstOrThrow();
    expect(moved.owner_rep_id).not.toBeNull();
    expect(moved.owner_rep_id).not.toBe(await repId(MAYA));
    await tick("2026-04-14T20:00:00Z"); // the new owner lets it pass too
    const last = await t.db.selectFrom("leads").select(["owner_rep_id", "status", "owner_queue"]).where("id", "=", lead.leadId).executeTakeFirstOrThrow();
    expect(last).toEqual({ owner_rep_id: null, status: "in_review", owner_queue: "review" });
    const item = await t.db.selectFrom("review_items").select(["reason_code", "status"]).where("lead_id", "=", lead.leadId).executeTakeFirstOrThrow();
    expect(item).toEqual({ reason_code: "sla_escalated", status: "open" });
    expect((await eventsOf(lead.leadId)).filter((e) => e.type === "reassigned").length).toBe(1);

    // The review queue's own SLA: still open at its due time, it is escalated to the ops users.
    const due = (await t.db.selectFrom("review_items").select("due_at").where("lead_id", "=", lead.leadId).executeTakeFirstOrThrow()).due_at!;
    await tick(new Date(due.getTime() - 1000).toISOString());
    expect(await t.db.selectFrom("lead_events").select("id").where("lead_id", "=", lead.leadId).where("type", "=", "escalated").execute()).toEqual([]);
    await tick(due.toISOString());
    const escalated = await t.db.selectFrom("lead_events").select(["reason_code", "occurred_at"]).where("lead_id", "=", lead.leadId).where("type", "=", "escalated").execute();
    expect(escalated.map((e) => [e.reason_code, e.occurred_at.toISOString()])).toEqual([["review_sla", due.toISOString()]]);
    const ops = await listNotifications(t.db, workspaceId, await userId("ops@demo.switchyard.dev"));
    expect(ops.items.some((n) => n.kind === "review_overdue" && n.lead_id === lead.leadId)).toBe(true);
  });

  it("the dashboard's SLA breach count agrees with the sla_breached events the worker wrote", async () => {
    clock = at("2026-06-01T12:00:00Z");
    await worker.drain();
    // After the seeded history (whose breaches the seed wrote itself): the leads of this file.
    const from = at("2026-04-01T00:00:00Z");
    const to = at("2026-06-01T00:00:00Z");
    const k = await kpis(t.db, { workspaceId, from, to }, clock);
    const breached = await t.db.selectFrom("lead_events as e").innerJoin("leads as l", "l.id", "e.lead_id").select((eb) => eb.fn.count<number>("e.lead_id").distinct().as("n"))
      .where("e.type", "=", "sla_breached").where("l.received_at", ">=", from).where("l.received_at", "<", to).where("l.workspace_id", "=", workspaceId).executeTakeFirstOrThrow();
    expect(Number(breached.n)).toBe(3); // leads 1, 5 and 6 (3 and 4 were touched in time)
    expect(k.slaBreach.numerator).toBe(Number(breached.n));
  });
});
