/**
 * Decision-table governance and what-if simulation on the demo workspace: drafts, diagnostics-free saves only when
 * the structure parses, test cases, simulation of history (an unchanged draft reproduces history's route-path
 * volumes exactly), publishing gates, the switch of live routing and rollback.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json } from "@/db";
import { seedDemoIfEmpty } from "@/db/seed/demo";
import { parseDecisionTable, type DecisionTable } from "@/lib/decision-table";
import { LeadInput } from "@/lib/ingest/lead-input";
import { ingestLead } from "@/server/services/ingest/ingest-lead.service";
import { clearRoutingContextCache, routingContext } from "@/server/services/ingest/routing-context";
import { maintainStoredHistory, pruneHistoryMarks } from "@/server/repositories/simulation.repository";
import { cancelSimulation, getSimulation, runSimulation, startSimulation } from "@/server/services/routing/simulation.service";
import { RoutePathInput, updateRoutePath } from "@/server/services/routing/route-paths.service";
import {
  approveDraft, diffVersions, discardDraft, exportDefinition, importDefinition, openDraft, publishDraft, publishReadiness, rollbackTo, saveDraft, saveTest,
  tableEditor, versionDetail,
} from "@/server/services/routing/versions.service";
import { PreconditionError, ValidationError } from "@/server/errors";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

const NOW = new Date("2026-11-25T20:00:00Z");
const DAY = 86_400_000;
let t: TestDatabase;
let workspaceId: string;
let tableId: string;
let ops: string;
let admin: string;

const actor = (userId = ops, now = new Date()) => ({ workspaceId, userId, now });

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoIfEmpty(t.db, { now: NOW });
  clearRoutingContextCache();
  workspaceId = (await t.db.selectFrom("workspaces").select("id").executeTakeFirstOrThrow()).id;
  tableId = (await t.db.selectFrom("decision_tables").select("id").executeTakeFirstOrThrow()).id;
  ops = (await t.db.selectFrom("users").select("id").where("role", "=", "ops").executeTakeFirstOrThrow()).id;
  admin = (await t.db.selectFrom("users").select("id").where("role", "=", "admin").executeTakeFirstOrThrow()).id;
}, 240_000);
afterAll(async () => t?.close());

async function simulate(versionId: string, days = 90) {
  const run = await startSimulation(t.db, actor(), { versionId, since: new Date(NOW.getTime() - days * DAY), until: new Date(NOW.getTime() + DAY) }, { wait: true });
  const sim = await getSimulation(t.db, workspaceId, run.id);
  expect(sim.status).toBe("done");
  return sim.result!;
}

/** A run's result without what differs from run to run (timings, memory). */
const strip = (r: { timings: unknown; memoryMb: unknown }) => {
  const { timings: _t, memoryMb: _m, ...rest } = r;
  return rest;
};

describe("what-if simulation", () => {
  it("replays an unchanged draft to exactly the historical route-path volumes", async () => {
    const draft = await openDraft(t.db, actor(), tableId);
    const result = await simulate(draft.id, 90);
    const actual = await t.db.selectFrom("leads").select(["route_path_key", (eb) => eb.fn.countAll<number>().as("n")])
      .where("received_at", ">=", new Date(NOW.getTime() - 90 * DAY)).where("status", "not in", ["duplicate", "new"]).groupBy("route_path_key").execute();
    expect(result.leads).toBe(actual.reduce((a, r) => a + Number(r.n), 0));
    expect(result.leads).toBeGreaterThan(10_000);
    for (const row of actual) {
      const v = result.volumes.find((x) => x.route === row.route_path_key)!;
      expect(v, `route ${row.route_path_key}`).toBeDefined();
      expect(v.actual).toBe(Number(row.n));
      expect(v.baseline).toBe(Number(row.n));
      expect(v.draft).toBe(Number(row.n));
    }
    expect(result.changed).toBe(0);
    expect(result.flow.every((c) => c.from === c.to)).toBe(true);
    expect(result.triage.draft).toBe(result.triage.baseline);
    // Projections rest on history: sales paths carry estimates with intervals around them.
    const ae = result.outcomes.find((o) => o.route === "ae-direct")!;
    expect(ae.draft.accepted!.low).toBeLessThanOrEqual(ae.draft.accepted!.value);
    expect(ae.draft.accepted!.high).toBeGreaterThanOrEqual(ae.draft.accepted!.value);
    expect(ae.draft.accepted!.sample).toBeGreaterThan(100);
    expect(result.sla.find((s) => s.route === "ae-direct")!.draft.value).toBeGreaterThan(0);
    expect(result.load.reps.length).toBeGreaterThan(5);
    await discardDraft(t.db, actor(), draft.id);
  }, 120_000);

  it("shows where a changed rule sends leads, and the flow adds up", async () => {
    const draft = await openDraft(t.db, actor(), tableId);
    const detail = await versionDetail(t.db, workspaceId, draft.id);
    const def = structuredClone(detail.definition) as DecisionTable;
    // Mid-market enterprise inquiries go to the SDR queue instead of AEs.
    def.rules = def.rules.map((r) => (r.id === "R07" ? { ...r, then: { route: "sdr-queue" } } : r));
    await saveDraft(t.db, actor(), { versionId: draft.id, definition: def, changeReason: "Try SDRs on mid-market" });
    const result = await simulate(draft.id, 30);
    const moved = result.flow.find((c) => c.from === "ae-direct" && c.to === "sdr-queue");
    expect(moved?.count).toBeGreaterThan(0);
    expect(result.changed).toBe(moved!.count);
    expect(result.flow.reduce((a, c) => a + c.count, 0)).toBe(result.leads);
    const vol = (k: string) => result.volumes.find((v) => v.route === k)!;
    expect(vol("sdr-queue").draft - vol("sdr-queue").baseline).toBe(moved!.count);
    expect(vol("ae-direct").baseline - vol("ae-direct").draft).toBe(moved!.count);

    // The draft replayed on its own thread (simulation.worker.ts, loaded from source here) gives the very same
    // result as both sides on one thread; a second threaded run reuses the idle thread.
    const rerun = async (draftThread: boolean) => {
      const row = await t.db.insertInto("simulations").values({
        workspace_id: workspaceId, table_id: tableId, draft_version_id: draft.id, baseline_version_id: (await tableEditor(t.db, workspaceId, tableId, new Date())).liveVersionId,
        period_start: new Date(NOW.getTime() - 30 * DAY), period_end: new Date(NOW.getTime() + DAY), filters: json({}), lead_count: result.leads, created_by: ops,
      }).returning("id").executeTakeFirstOrThrow();
      return (await runSimulation(t.db, row.id, { draftThread }))!;
    };
    const oneThread = await rerun(false);
    expect(oneThread.timings.threads).toBe(1);
    expect(strip(oneThread)).toEqual(strip(result));
    for (let i = 0; i < 2; i++) {
      const twoThreads = await rerun(true);
      expect(twoThreads.timings.threads).toBe(2);
      expect(strip(twoThreads)).toEqual(strip(result));
    }
    await discardDraft(t.db, actor(), draft.id);
  }, 120_000);
});

describe("stored history", () => {
  const marks = async () => Number((await t.db.selectFrom("simulation_history_dirty").select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", workspaceId).executeTakeFirstOrThrow()).n);

  it("follows every change to history: a run after an outcome changes equals a run that rebuilt everything", async () => {
    const draft = await openDraft(t.db, actor(), tableId);
    const first = await simulate(draft.id, 30);
    const days = await t.db.selectFrom("simulation_history_days").select(["day", "lead_count"]).where("workspace_id", "=", workspaceId).execute();
    expect(days.length).toBeGreaterThanOrEqual(31);
    expect(days.reduce((a, d) => a + d.lead_count, 0)).toBeGreaterThanOrEqual(first.leads);
    expect(await marks()).toBe(0);
    // Outcomes arrive for leads already stored: meetings booked on a handful of sales leads of the period.
    const picked = await t.db.selectFrom("lead_metrics").select("lead_id").where("workspace_id", "=", workspaceId)
      .where("received_at", ">=", new Date(NOW.getTime() - 20 * DAY)).where("routed_to_sales", "=", true).where("meeting_booked", "=", false)
      .orderBy("lead_id").limit(40).execute();
    expect(picked.length).toBe(40);
    await t.db.updateTable("lead_metrics").set((eb) => ({ meeting_booked: true, pipeline_amount: eb("pipeline_amount", "+", 25_000) }))
      .where("lead_id", "in", picked.map((p) => p.lead_id)).execute();
    expect(await marks()).toBeGreaterThan(0);
    const refreshed = await simulate(draft.id, 30);
    expect(await marks()).toBe(0);
    expect(strip(refreshed)).not.toEqual(strip(first));
    await t.db.deleteFrom("simulation_history_days").where("workspace_id", "=", workspaceId).execute();
    const rebuilt = await simulate(draft.id, 30);
    const last = await t.db.selectFrom("simulations").select(["status", "phase"]).where("workspace_id", "=", workspaceId).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    expect(last).toEqual({ status: "done", phase: "replaying" });
    expect(strip(refreshed)).toEqual(strip(rebuilt));
    // A lead that arrives after the days were stored is replayed too.
    const before = rebuilt.leads;
    const deps = { db: t.db, now: () => new Date(NOW.getTime() - 2 * DAY) };
    await ingestLead(deps, {
      workspaceId, sourceId: null, idempotencyKey: null, raw: {},
      input: LeadInput.parse({ contact: { email: "late.arrival@globex-example.com" }, message: "Pricing for 300 seats please" }),
    });
    expect((await simulate(draft.id, 30)).leads).toBe(before + 1);
    await t.db.updateTable("lead_metrics").set((eb) => ({ meeting_booked: false, pipeline_amount: eb("pipeline_amount", "-", 25_000) }))
      .where("lead_id", "in", picked.map((p) => p.lead_id)).execute();
    // Marks of days nobody has stored are pruned; those of stored days stay until their rebuild.
    const old = await t.db.selectFrom("leads").select("id").where("workspace_id", "=", workspaceId).where("received_at", "<", new Date(NOW.getTime() - 60 * DAY)).limit(1).executeTakeFirstOrThrow();
    await t.db.updateTable("leads").set({ updated_at: new Date() }).where("id", "=", old.id).execute();
    const stored = await marks();
    expect(stored).toBeGreaterThan(1);
    expect(await pruneHistoryMarks(t.db, workspaceId)).toBe(1);
    expect(await marks()).toBe(stored - 1);
    // Background maintenance rebuilds the marked stored days (the meetings just undone): the next run reads them
    // as they are, with nothing left to rebuild, and equals the first run again.
    const maintained = await maintainStoredHistory(t.db);
    expect(maintained.days).toBeGreaterThan(0);
    expect(await marks()).toBe(0);
    const again = await simulate(draft.id, 30);
    expect(again.leads).toBe(before + 1);
    expect(again.volumes).toEqual((await simulate(draft.id, 30)).volumes);
    await discardDraft(t.db, actor(), draft.id);
  }, 120_000);
});

describe("drafts, tests and publishing", () => {
  it("refuses a structurally broken table with field-level errors and changes nothing", async () => {
    const draft = await openDraft(t.db, actor(), tableId);
    const before = await versionDetail(t.db, workspaceId, draft.id);
    const broken = { ...before.definition, hitPolicy: "SOMETIMES" };
    const error = await saveDraft(t.db, actor(), { versionId: draft.id, definition: broken, changeReason: "" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields)).toContain("definition.hitPolicy");
    expect((await versionDetail(t.db, workspaceId, draft.id)).definition).toEqual(before.definition);
    // A typo in a cell is a diagnostic, saved with the draft, and blocks publishing.
    const typo = structuredClone(before.definition) as DecisionTable;
    typo.rules[1]!.when.category = "support_request"; // unquoted
    const saved = await saveDraft(t.db, actor(), { versionId: draft.id, definition: typo, changeReason: "typo" });
    expect(saved.diagnostics.some((d) => d.severity === "error" && d.ruleId === "R02" && d.column === "category")).toBe(true);
    await expect(publishDraft(t.db, actor(), { versionId: draft.id, changeReason: "should not publish" })).rejects.toBeInstanceOf(PreconditionError);
    await discardDraft(t.db, actor(), draft.id);
  });

  it("publishes only with passing tests and a fresh simulation; live routing switches and rollback restores it", async () => {
    await saveTest(t.db, actor(), { tableId, name: "Spam is junk", facts: { category: "spam" }, expected: { route: "junk" } });
    const draft = await openDraft(t.db, actor(), tableId);
    const def = structuredClone((await versionDetail(t.db, workspaceId, draft.id)).definition) as DecisionTable;
    // Route partner requests to the SDR queue.
    def.rules = def.rules.map((r) => (r.id === "R03" ? { ...r, then: { route: "sdr-queue" } } : r));
    await saveDraft(t.db, actor(), { versionId: draft.id, definition: def, changeReason: "Partners via SDR" });
    let ready = await publishReadiness(t.db, workspaceId, draft.id, new Date());
    expect(ready.checks.find((c) => c.key === "simulation")!.ok).toBe(false);
    expect(ready.checks.find((c) => c.key === "tests")!.ok).toBe(true);
    await expect(publishDraft(t.db, actor(), { versionId: draft.id, changeReason: "Partners via SDR" })).rejects.toThrow(/cannot be published/);

    // A failing test blocks too.
    const failing = await saveTest(t.db, actor(), { tableId, name: "Partners go to partner", facts: { category: "partner_request" }, expected: { route: "partner" } });
    await simulate(draft.id, 7);
    ready = await publishReadiness(t.db, workspaceId, draft.id, new Date());
    expect(ready.checks.find((c) => c.key === "tests")!.ok).toBe(false);
    await saveTest(t.db, actor(), { id: failing.id, tableId, name: "Partners go to SDRs", facts: { category: "partner_request" }, expected: { route: "sdr-queue" } });

    // The second approver, when the workspace asks for one, is someone else.
    const ws = await t.db.selectFrom("workspaces").select("settings").where("id", "=", workspaceId).executeTakeFirstOrThrow();
    await t.db.updateTable("workspaces").set({ settings: json({ ...ws.settings, routing: { requireApprover: true } }) }).where("id", "=", workspaceId).execute();
    ready = await publishReadiness(t.db, workspaceId, draft.id, new Date());
    expect(ready.checks.find((c) => c.key === "approval")!.ok).toBe(false);
    await expect(approveDraft(t.db, actor(ops), draft.id)).rejects.toBeInstanceOf(PreconditionError);
    await approveDraft(t.db, actor(admin), draft.id);
    ready = await publishReadiness(t.db, workspaceId, draft.id, new Date());
    expect(ready.ready).toBe(true);

    const before = await tableEditor(t.db, workspaceId, tableId, new Date());
    const oldLive = before.liveVersionId!;
    await publishDraft(t.db, actor(), { versionId: draft.id, changeReason: "Partners via SDR" });
    const after = await tableEditor(t.db, workspaceId, tableId, new Date());
    expect(after.liveVersionId).toBe(draft.id);
    expect(after.versions.find((v) => v.id === oldLive)!.status).toBe("superseded");

    const lead = (n: number) => ({
      workspaceId, sourceId: null, idempotencyKey: null, raw: {},
      input: LeadInput.parse({
        contact: { email: `partner${n}@bigco-example.com`, firstName: "Pat", lastName: "Ner" }, company: { name: "BigCo" },
        message: "We would like to become a reseller partner.", answers: { category: "partner_request" },
      }),
    });
    const deps = { db: t.db, now: () => new Date() };
    const routed = await ingestLead(deps, lead(1));
    const row = await t.db.selectFrom("leads").select(["route_path_key", "table_version_id"]).where("id", "=", routed.leadId).executeTakeFirstOrThrow();
    expect(row).toEqual({ route_path_key: "sdr-queue", table_version_id: draft.id });

    const rolled = await rollbackTo(t.db, actor(), { versionId: oldLive, changeReason: "Partners complained" });
    const again = await ingestLead(deps, lead(2));
    const row2 = await t.db.selectFrom("leads").select(["route_path_key", "table_version_id"]).where("id", "=", again.leadId).executeTakeFirstOrThrow();
    expect(row2).toEqual({ route_path_key: "partner", table_version_id: rolled.versionId });
    const audit = await t.db.selectFrom("audit_log").select("action").where("entity_type", "=", "decision_table_version").execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["table_version.published", "table_version.rolled_back", "table_version.approved", "table_version.draft_saved"]));
    const diff = await diffVersions(t.db, workspaceId, oldLive, draft.id);
    expect(diff.diff.rules).toEqual([{ ruleId: "R03", kind: "changed", fromIndex: 3, toIndex: 3, cells: [{ side: "output", column: "route", before: "partner", after: "sdr-queue" }] }]);
  }, 120_000);

  it("exports DMN and JSON and imports them back into a draft unchanged", async () => {
    const live = (await tableEditor(t.db, workspaceId, tableId, new Date())).liveVersionId!;
    const draft = await openDraft(t.db, actor(), tableId);
    for (const format of ["dmn", "json"] as const) {
      const file = await exportDefinition(t.db, workspaceId, live, format);
      const imported = await importDefinition(t.db, actor(), { versionId: draft.id, format, text: file.text });
      expect(parseDecisionTable(imported.definition).rules).toEqual(parseDecisionTable((await versionDetail(t.db, workspaceId, live)).definition).rules);
    }
    const bad = await importDefinition(t.db, actor(), { versionId: draft.id, format: "dmn", text: "<definitions>" }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).fields.text?.length).toBeGreaterThan(0);
  });
});

describe("scheduled publishing, cancellation and the route path catalog", () => {
  it("keeps routing on the live version until a scheduled version's effective time", async () => {
    await t.db.deleteFrom("decision_table_tests").execute(); // the earlier test's cases describe the rolled-back experiment
    const draft = await openDraft(t.db, actor(), tableId);
    const def = structuredClone((await versionDetail(t.db, workspaceId, draft.id)).definition) as DecisionTable;
    def.rules = def.rules.map((r) => (r.id === "R02" ? { ...r, then: { route: "nurture" } } : r));
    await saveDraft(t.db, actor(), { versionId: draft.id, definition: def, changeReason: "Support to nurture, later" });
    await simulate(draft.id, 3);
    const approver = (await t.db.selectFrom("workspaces").select("settings").where("id", "=", workspaceId).executeTakeFirstOrThrow()).settings as { routing?: { requireApprover?: boolean } };
    if (approver.routing?.requireApprover) await approveDraft(t.db, actor(admin), draft.id);
    const before = (await tableEditor(t.db, workspaceId, tableId, new Date())).liveVersionId;
    const effectiveAt = new Date(Date.now() + 1500);
    await publishDraft(t.db, actor(), { versionId: draft.id, changeReason: "Support to nurture, later", effectiveAt });
    const editor = await tableEditor(t.db, workspaceId, tableId, new Date());
    expect(editor.liveVersionId).toBe(before);
    expect(editor.versions.find((v) => v.id === draft.id)!.scheduled).toBe(true);
    const deps = { db: t.db, now: () => new Date() };
    const support = (n: number) => ({
      workspaceId, sourceId: null, idempotencyKey: null, raw: {},
      input: LeadInput.parse({ contact: { email: `help${n}@acme-example.com` }, message: "Our dashboard is broken", answers: { category: "support_request" } }),
    });
    const first = await ingestLead(deps, support(1));
    expect(first.routePath).toBe("support");
    await new Promise((r) => setTimeout(r, Math.max(0, effectiveAt.getTime() - Date.now() + 50)));
    const second = await ingestLead(deps, support(2));
    expect(second.routePath).toBe("nurture");
    expect((await tableEditor(t.db, workspaceId, tableId, new Date())).liveVersionId).toBe(draft.id);
    // Put support back for the tests after this one.
    await rollbackTo(t.db, actor(), { versionId: before!, changeReason: "Undo the experiment" });
  }, 60_000);

  it("a cancelled simulation stops and saves no result", async () => {
    const draft = await openDraft(t.db, actor(), tableId);
    const run = await startSimulation(t.db, actor(), { versionId: draft.id, since: new Date(NOW.getTime() - 90 * DAY), until: NOW });
    await cancelSimulation(t.db, actor(), run.id).catch(() => undefined);
    // Let the background run notice.
    for (let i = 0; i < 600; i++) {
      const s = await getSimulation(t.db, workspaceId, run.id);
      if (s.status !== "running" && s.status !== "queued") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const sim = await getSimulation(t.db, workspaceId, run.id);
    expect(["cancelled", "done"]).toContain(sim.status);
    if (sim.status === "cancelled") expect(sim.result).toBeNull();
    await expect(cancelSimulation(t.db, actor(), run.id)).rejects.toThrow(/already/);
    // A run cancelled before its background task claims it never starts.
    const queued = await t.db.insertInto("simulations").values({
      workspace_id: workspaceId, table_id: tableId, draft_version_id: draft.id, period_start: new Date(NOW.getTime() - 7 * DAY), period_end: NOW, filters: json({}),
    }).returning("id").executeTakeFirstOrThrow();
    await cancelSimulation(t.db, actor(), queued.id);
    expect(await runSimulation(t.db, queued.id)).toBeNull();
    const never = await getSimulation(t.db, workspaceId, queued.id);
    expect([never.status, never.result]).toEqual(["cancelled", null]);
    // One run at a time per workspace: while one is running, another is refused.
    await t.db.updateTable("simulations").set({ status: "running" }).where("id", "=", run.id).execute();
    await expect(startSimulation(t.db, actor(), { versionId: draft.id, since: new Date(NOW.getTime() - 7 * DAY), until: NOW })).rejects.toThrow(/already running/);
    await t.db.updateTable("simulations").set({ status: "cancelled" }).where("id", "=", run.id).execute();
    await discardDraft(t.db, actor(), draft.id);
  }, 60_000);

  it("refuses an invalid route path edit field by field and changes nothing", async () => {
    const rp = await t.db.selectFrom("route_paths").selectAll().where("key", "=", "sdr-queue").executeTakeFirstOrThrow();
    const input = {
      id: rp.id, name: rp.name, triggerSummary: rp.trigger_summary, dataRequired: [...rp.data_required, "shoe_size"], slaMinutes: rp.sla_minutes,
      confidenceThreshold: rp.confidence_threshold, fallbackRouteKey: "sdr-queue", color: rp.color,
      destination: { strategies: [{ kind: "round_robin", repIds: [] }], fallback: { kind: "queue", queue: "review" } },
    };
    const error = await updateRoutePath(t.db, actor(), input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields).sort()).toEqual(["dataRequired", "destination.strategies.0.repIds", "fallbackRouteKey"]);
    expect(await t.db.selectFrom("route_paths").selectAll().where("id", "=", rp.id).executeTakeFirstOrThrow()).toEqual(rp);
    // A valid edit applies to live routing and is audited with before and after.
    const ok = await updateRoutePath(t.db, actor(), { ...input, dataRequired: rp.data_required, fallbackRouteKey: "review", destination: rp.destination, slaMinutes: 45 });
    expect(ok.changed).toEqual(["sla_minutes"]);
    const audit = await t.db.selectFrom("audit_log").select(["before", "after"]).where("action", "=", "route_path.updated").executeTakeFirstOrThrow();
    expect((audit.before as { sla_minutes: number }).sla_minutes).toBe(rp.sla_minutes);
    expect((audit.after as { sla_minutes: number }).sla_minutes).toBe(45);

    // Its escalation chain: a bad step is refused field by field (the tRPC input parses with RoutePathInput);
    // a good one is saved, audited and live for the next assignment's clock.
    const badChain = RoutePathInput.safeParse({ ...input, escalation: { steps: [{ kind: "remind", atPercent: 0 }, { kind: "reassign", graceMinutes: -5, to: "next_rep" }] } });
    expect(badChain.success).toBe(false);
    expect(badChain.error!.issues.map((i) => i.path.join("."))).toEqual(["escalation.steps.0.atPercent", "escalation.steps.1.graceMinutes"]);
    const chain = { steps: [{ kind: "remind" as const, atPercent: 25 }, { kind: "breach" as const, notifyManager: false, notifyChannel: true }, { kind: "reassign" as const, graceMinutes: 30, to: "review" as const }] };
    const saved = await updateRoutePath(t.db, actor(), { ...input, dataRequired: rp.data_required, fallbackRouteKey: "review", destination: rp.destination, slaMinutes: 45, escalation: chain });
    expect(saved.changed).toEqual(["escalation"]);
    expect((await routingContext(t.db, workspaceId)).routes.get("sdr-queue")!.escalation).toEqual(chain);
  });
});

