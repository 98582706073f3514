/**
 * The CSV import end to end on a real database: a hand-written fixture with good and bad rows, idempotent re-runs,
 * resuming from the cursor after a pause and after a dead process, the outcomes update, accounts and reps, the tRPC
 * procedures, and metrics over imported history matching values computed by hand.
 */
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kpisFromEvents } from "@/server/services/metrics/metrics.service";
import { getImportJob, pauseImportJob, resumeImportJob, startImportJob } from "@/server/services/import/import-jobs.service";
import { runImportJob } from "@/server/services/import/run-import.service";
import { claimJob } from "@/server/repositories/import.repository";
import { ImportMapping } from "@/lib/import";
import { createImportTestEnv, FIXTURES, importAll, mappingFile, NOW, upload, type ImportTestEnv } from "./import-support";

let env: ImportTestEnv;
beforeAll(async () => {
  env = await createImportTestEnv();
});
afterAll(async () => env?.cleanup());

const JUNE = { from: new Date("2025-06-01T00:00:00Z"), to: new Date("2025-07-01T00:00:00Z") };
const FIXTURE = { file: path.join(FIXTURES, "leads-small.csv") };

async function leadsByExternal() {
  const rows = await env.db.selectFrom("leads").selectAll().where("workspace_id", "=", env.workspaceId).where("idempotency_key", "like", "import:F-%").execute();
  return new Map(rows.map((r) => [r.idempotency_key!.slice("import:".length), r]));
}

async function repId(email: string) {
  return (await env.db.selectFrom("reps").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
}

async function eventCount(): Promise<number> {
  const r = await env.db.selectFrom("lead_events").select((eb) => eb.fn.countAll<number>().as("n")).where("workspace_id", "=", env.workspaceId).executeTakeFirstOrThrow();
  return r.n;
}

describe("a fixture with good and bad rows", () => {
  let result: Awaited<ReturnType<typeof importAll>>;
  beforeAll(async () => {
    result = await importAll(env, "leads", FIXTURE, await mappingFile(path.join(FIXTURES, "leads-small.mapping.json")));
  });

  it("finishes, counting every row, and lists each bad row with its column", () => {
    expect(result.summary.status).toBe("done");
    expect(result.job).toMatchObject({ status: "done", totalRows: 12, processedRows: 12, errorCount: 6, stats: { inserted: 6, updated: 0, skipped: 0 } });
    const errors = result.job.errors.map((e) => [e.row, e.field, e.column]);
    expect(errors).toEqual([
      [7, "received_at", "created_at"],
      [8, "owner", "owner_email"],
      [9, "decision", "status"],
      [9, "opportunity_amount", "amount"],
      [9, "closed_outcome", "status"],
      [10, "first_touch_at", "first_touch_at"],
      [11, "", null],
      [12, "received_at", "created_at"],
    ]);
    const message = (row: number) => result.job.errors.find((e) => e.row === row)!.message;
    expect(message(7)).toMatch(/"06\/04\/2025" is not a date in the format yyyy-MM-dd HH:mm:ss/);
    expect(message(8)).toMatch(/No rep has the email "ghost@nowhere.test"/);
    expect(message(10)).toMatch(/before the lead was received/);
    expect(message(11)).toMatch(/5 of the header's 17 columns/);
    expect(message(12)).toMatch(/in the future/);
  });

  it("imports the good rows and writes nothing of the bad ones", async () => {
    const leads = await leadsByExternal();
    expect([...leads.keys()].sort()).toEqual(["F-001", "F-002", "F-003", "F-004", "F-005", "F-006"]);
    const bad = await env.db.selectFrom("leads").select("id").where("email", "like", "%-fixture.com").where("email", "in", ["bad.date@zeta-fixture.com", "ghost.owner@eta-fixture.com", "two.errors@theta-fixture.com", "early.touch@iota-fixture.com"]).execute();
    expect(bad).toEqual([]);
    const reps = await env.db.selectFrom("reps").select("id").where("email", "=", "ghost@nowhere.test").execute();
    expect(reps).toEqual([]);
  });

  it("writes the lead projection as the seed does, with the CSV record as raw payload", async () => {
    const leads = await leadsByExternal();
    const maya = await repId("maya.chen@demo.switchyard.dev");
    const f1 = leads.get("F-001")!;
    expect(f1).toMatchObject({
      status: "won", owner_rep_id: maya, first_owner_rep_id: maya, decision: "accepted", opportunity_amount: 12000, route_path_key: "ae-direct",
      email: "dana.kim@acme-fixture.com", company: "Acme Fixture Inc.", country: "US", region: "NA", channel: "web", person_key: "email:dana.kim@acme-fixture.com",
      ever_wrong_assigned: false, ever_in_review: false, is_junk: false, rule_id: null, table_version_id: null,
    });
    expect(f1.received_at.toISOString()).toBe("2025-06-02T13:00:00.000Z");
    expect(f1.assigned_at?.toISOString()).toBe("2025-06-02T13:00:00.000Z");
    expect(f1.first_touch_at?.toISOString()).toBe("2025-06-02T13:10:00.000Z");
    expect(f1.meeting_booked_at?.toISOString()).toBe("2025-06-04T14:00:00.000Z");
    expect(f1.closed_at?.toISOString()).toBe("2025-07-01T20:00:00.000Z");
    expect(f1.sla_due_at?.toISOString()).toBe("2025-06-02T13:30:00.000Z");
    expect(f1.team_id).not.toBeNull();
    expect(f1.raw_payload).toMatchObject({ lead_id: "F-001", amount: "$12,000.00", status: "Won" });
    expect(f1.facts).toMatchObject({ country: "US", region: "NA", lead_source: "web", business_email: true });

    expect(leads.get("F-002")).toMatchObject({ status: "rejected", decision: "rejected", ever_wrong_assigned: true });
    expect(leads.get("F-003")).toMatchObject({ status: "working", decision: "accepted", opportunity_amount: 5000 });
    expect(leads.get("F-004")).toMatchObject({ status: "assigned", decision: null, first_touch_at: null });
    const f5 = leads.get("F-005")!;
    expect(f5).toMatchObject({ status: "queued", owner_rep_id: null, assigned_at: null, message: "Hello,\nwe need pricing for 50 seats, and a demo." });
    expect(f5.facts).toMatchObject({ category: "pricing_demo", classifier: "keywords" });
    expect(f5.table_version_id).not.toBeNull();
    expect(f5.rule_id).toMatch(/^R\d+$/);
    expect(leads.get("F-006")).toMatchObject({ status: "lost", decision: "accepted", opportunity_amount: null });
  });

  it("writes the event log the metrics read, dated from the file", async () => {
    const leads = await leadsByExternal();
    const events = await env.db.selectFrom("lead_events").select(["type", "occurred_at", "reason_code", "amount", "currency", "external_id", "data"])
      .where("lead_id", "=", leads.get("F-002")!.id).orderBy("occurred_at").orderBy("id").execute();
    expect(events.map((e) => [e.type, e.occurred_at.toISOString()])).toEqual([
      ["received", "2025-06-02T14:00:00.000Z"],
      ["decided", "2025-06-02T14:00:00.000Z"],
      ["assigned", "2025-06-02T14:00:00.000Z"],
      ["sla_breached", "2025-06-02T15:00:00.000Z"],
      ["first_touch", "2025-06-02T15:30:00.000Z"],
      ["rejected", "2025-06-02T15:30:00.000Z"],
    ]);
    const assigned = events.find((e) => e.type === "assigned")!;
    expect(assigned.data).toMatchObject({ reason: "Imported", imported: true, slaDueAt: "2025-06-02T15:00:00.000Z", slaMinutes: 60 });
    expect(events.find((e) => e.type === "rejected")!.reason_code).toBe("wrong_territory");
    expect(events.every((e) => e.external_id === `import:${e.type}`)).toBe(true);
    const opp = await env.db.selectFrom("lead_events").select(["amount", "currency"]).where("lead_id", "=", leads.get("F-001")!.id).where("type", "=", "opportunity_created").executeTakeFirstOrThrow();
    expect(opp).toEqual({ amount: 12000, currency: "USD" });
  });

  it("gives the KPIs computed by hand over the imported leads", async () => {
    const k = await kpisFromEvents(env.db, { workspaceId: env.workspaceId, ...JUNE }, NOW);
    expect(k.volume).toBe(6);
    // First touch − received, minutes: F-001 10, F-002 90, F-003 5, F-006 20.
    expect(k.speedToLead).toMatchObject({ n: 4, medianMinutes: 15 });
    expect(k.speedToLead.p90Minutes).toBeCloseTo(69, 9);
    expect(k.speedToLead.systemDelay).toMatchObject({ median: 0, p90: 0 });
    // SLA: F-002 touched after its 60 business minutes; F-004 (Berlin team, after hours) never touched.
    expect(k.slaBreach).toEqual({ numerator: 2, denominator: 5, rate: 0.4 });
    expect(k.wrongAssignment).toEqual({ numerator: 1, denominator: 5, rate: 0.2 });
    expect(k.acceptance).toEqual({ numerator: 3, denominator: 4, rate: 0.75 });
    expect(k.meetingRate).toEqual({ numerator: 2, denominator: 5, rate: 0.4 });
    expect(k.pipeline).toEqual({ amount: 17000, opportunities: 2 });
    expect(k.manualTriage).toEqual({ numerator: 0, denominator: 6, rate: 0 });
  });

  it("re-running the same file duplicates nothing", async () => {
    const before = await eventCount();
    const again = await importAll(env, "leads", FIXTURE, await mappingFile(path.join(FIXTURES, "leads-small.mapping.json")));
    expect(again.job).toMatchObject({ status: "done", errorCount: 6, stats: { inserted: 0, updated: 0, skipped: 6 } });
    expect((await leadsByExternal()).size).toBe(6);
    expect(await eventCount()).toBe(before);
  });

  it("appends outcomes with the update mode, idempotently", async () => {
    const mapping = await mappingFile(path.join(FIXTURES, "leads-small-outcomes.mapping.json"));
    const source = { file: path.join(FIXTURES, "leads-small-outcomes.csv") };
    const run = await importAll(env, "leads", source, mapping);
    expect(run.job).toMatchObject({ status: "done", totalRows: 3, errorCount: 1, stats: { inserted: 0, updated: 2, skipped: 0 } });
    expect(run.job.errors).toEqual([{ row: 3, column: "lead_id", field: "external_id", message: 'No imported lead has the external id "F-999" (import the leads first)' }]);
    const leads = await leadsByExternal();
    const maya = await repId("maya.chen@demo.switchyard.dev");
    expect(leads.get("F-004")).toMatchObject({ status: "working", decision: "accepted" });
    expect(leads.get("F-004")!.meeting_booked_at?.toISOString()).toBe("2025-06-12T14:00:00.000Z");
    expect(leads.get("F-005")).toMatchObject({ status: "won", owner_rep_id: maya, first_owner_rep_id: maya, decision: "accepted", owner_queue: null });
    expect(leads.get("F-005")!.assigned_at?.toISOString()).toBe("2025-06-04T13:00:00.000Z");

    const before = await eventCount();
    const again = await importAll(env, "leads", source, mapping);
    expect(again.job.stats).toEqual({ inserted: 0, updated: 0, skipped: 2 });
    expect(await eventCount()).toBe(before);

    const k = await kpisFromEvents(env.db, { workspaceId: env.workspaceId, ...JUNE }, NOW);
    // First touches now also F-004 (8,460 min) and F-005 (60 min): [5, 10, 20, 60, 90, 8460].
    expect(k.speedToLead).toMatchObject({ n: 6, medianMinutes: 40 });
    expect(k.speedToLead.p90Minutes).toBeCloseTo(4275, 9);
    expect(k.acceptance).toEqual({ numerator: 5, denominator: 6, rate: 5 / 6 });
    expect(k.meetingRate).toEqual({ numerator: 3, denominator: 6, rate: 0.5 });
    expect(k.wrongAssignment).toEqual({ numerator: 1, denominator: 6, rate: 1 / 6 });
    expect(k.slaBreach).toEqual({ numerator: 2, denominator: 5, rate: 0.4 });
  });
});

/** A generated file of `n` leads owned by demo reps (for batches, pauses and resumes). */
function generated(n: number, prefix: string): string {
  const lines = ["id,created,email,owner,touched"];
  for (let i = 1; i <= n; i++) {
    const day = String(1 + (i % 28)).padStart(2, "0");
    lines.push(`${prefix}-${i},2025-04-${day} 10:00:00,p${i}@${prefix.toLowerCase()}-gen.com,${i % 2 ? "maya.chen@demo.switchyard.dev" : "jordan.lee@demo.switchyard.dev"},2025-04-${day} 10:${String(i % 60).padStart(2, "0")}:00`);
  }
  return `${lines.join("\n")}\n`;
}

const GEN_MAPPING = {
  kind: "leads",
  fields: {
    external_id: { column: "id" }, received_at: { column: "created" }, email: { column: "email" }, owner: { column: "owner" },
    first_touch_at: { column: "touched" },
  },
};

async function countLike(prefix: string): Promise<{ leads: number; events: number }> {
  const leads = await env.db.selectFrom("leads").select((eb) => eb.fn.countAll<number>().as("n")).where("idempotency_key", "like", `import:${prefix}-%`).executeTakeFirstOrThrow();
  const events = await env.db.selectFrom("lead_events as e").innerJoin("leads as l", "l.id", "e.lead_id").select((eb) => eb.fn.countAll<number>().as("n")).where("l.idempotency_key", "like", `import:${prefix}-%`).executeTakeFirstOrThrow();
  return { leads: leads.n, events: events.n };
}

describe("pause and resume", () => {
  it("pauses after a batch, keeps the cursor, and resumes without duplicates", async () => {
    const id = await upload(env, "leads", { text: generated(3000, "PR") });
    const { done } = await startImportJob(env.deps, env.actor, id, GEN_MAPPING);
    // Pause as soon as the first batch is in: the batch in flight (if any) is rolled back.
    for (;;) {
      const j = await getImportJob(env.deps, env.actor, id);
      if (j.processedRows >= 500) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await pauseImportJob(env.deps, env.actor, id);
    expect((await done).status).toBe("paused");
    const paused = await getImportJob(env.deps, env.actor, id);
    expect(paused.status).toBe("paused");
    expect(paused.processedRows % 500).toBe(0);
    expect(paused.processedRows).toBeLessThan(3000);
    expect((await countLike("PR")).leads).toBe(paused.processedRows);

    const resumed = await resumeImportJob(env.deps, env.actor, id);
    expect((await resumed.done).status).toBe("done");
    const finished = await getImportJob(env.deps, env.actor, id);
    expect(finished).toMatchObject({ status: "done", processedRows: 3000, errorCount: 0, stats: { inserted: 3000, skipped: 0 } });
    // Every lead once, every event type at most once per lead.
    const counts = await countLike("PR");
    expect(counts.leads).toBe(3000);
    const distinct = await env.db.selectFrom("lead_events as e").innerJoin("leads as l", "l.id", "e.lead_id")
      .select([sql<number>`count(distinct (e.lead_id, e.type))`.as("n")]).where("l.idempotency_key", "like", "import:PR-%").executeTakeFirstOrThrow();
    expect(distinct.n).toBe(counts.events);
  });

  it("resumes a job whose process died mid-batch (stale heartbeat), from its cursor, after a restart", async () => {
    const id = await upload(env, "leads", { text: generated(1100, "CR") });
    const mapping = ImportMapping.parse(GEN_MAPPING);
    await env.db.updateTable("import_jobs").set({ mapping: JSON.stringify(mapping) }).where("id", "=", id).execute();
    // A first "process": claims the job, commits one batch, then dies (its run is abandoned mid-way).
    const claimed = await claimJob(env.db, id, "run-1", NOW, NOW);
    expect(claimed).toBeDefined();
    const controller = new AbortController();
    const first = await runImportJob(env.deps, {
      id, runId: "run-1", workspaceId: env.workspaceId, mapping, file: path.join(env.dataDir, "imports", `${id}.csv`), totalRows: 1100,
      cursorRow: 0, errorCount: 0, errors: [], stats: { inserted: 0, updated: 0, skipped: 0 },
    }, { signal: controller.signal, onProgress: () => controller.abort() });
    expect(first).toMatchObject({ status: "paused", row: 500 });
    // Make it look like the process was killed while running: status running, heartbeat two minutes old.
    await env.db.updateTable("import_jobs").set({
      status: "running", cursor: sql`cursor || jsonb_build_object('heartbeatAt', ${new Date(NOW.getTime() - 120_000).toISOString()}::text)`,
    }).where("id", "=", id).execute();
    const view = await getImportJob(env.deps, env.actor, id);
    expect(view).toMatchObject({ status: "running", interrupted: true, active: false, processedRows: 500 });

    const resumed = await resumeImportJob(env.deps, env.actor, id);
    expect((await resumed.done).status).toBe("done");
    expect(await getImportJob(env.deps, env.actor, id)).toMatchObject({ status: "done", processedRows: 1100, stats: { inserted: 1100, skipped: 0 } });
    expect((await countLike("CR")).leads).toBe(1100);
    // The superseded run can never write again.
    expect(await claimJob(env.db, id, "run-3", NOW, new Date(NOW.getTime() - 60_000))).toBeUndefined();
  });

  it("refuses to resume a finished job or start one twice", async () => {
    const { job } = await importAll(env, "leads", { text: generated(3, "RF") }, GEN_MAPPING);
    await expect(resumeImportJob(env.deps, env.actor, job.id)).rejects.toThrow(/finished/);
    await expect(startImportJob(env.deps, env.actor, job.id, GEN_MAPPING)).rejects.toThrow(/only a new upload can be started/);
    await expect(pauseImportJob(env.deps, env.actor, job.id)).rejects.toThrow(/not running/);
  });
});

describe("reps and accounts", () => {
  it("upserts reps by email, creating their teams with a default calendar", async () => {
    const csv = [
      "Name,Email,Team,Role,Territories,Weight,Capacity",
      "Ana Lima,ana.lima@import.test,LATAM Sales,SDR,BR; MX,1.5,120",
      "Maya Chen,maya.chen@demo.switchyard.dev,,AE,US; CA,2,",
      "No Email,,LATAM Sales,AE,,,",
    ].join("\n");
    const mapping = {
      kind: "reps",
      fields: {
        name: { column: "Name" }, email: { column: "Email" }, team: { column: "Team" }, role: { column: "Role" },
        territories: { column: "Territories" }, weight: { column: "Weight" }, max_open_leads: { column: "Capacity" },
      },
    };
    const { job } = await importAll(env, "reps", { text: csv }, mapping);
    expect(job).toMatchObject({ status: "done", errorCount: 1, stats: { inserted: 1, updated: 1 } });
    expect(job.errors[0]).toMatchObject({ row: 3, field: "email" });
    const team = await env.db.selectFrom("teams").selectAll().where("workspace_id", "=", env.workspaceId).where("key", "=", "latam-sales").executeTakeFirstOrThrow();
    expect(team).toMatchObject({ name: "LATAM Sales", time_zone: "America/New_York" });
    expect(team.weekly_hours.mon).toEqual([["09:00", "17:00"]]);
    expect(team.weekly_hours.sat).toEqual([]);
    const ana = await env.db.selectFrom("reps").selectAll().where("email", "=", "ana.lima@import.test").executeTakeFirstOrThrow();
    expect(ana).toMatchObject({ team_id: team.id, role: "sdr", territories: ["BR", "MX"], weight: 1.5, max_open_leads: 120, time_zone: "America/New_York" });
    const maya = await env.db.selectFrom("reps").selectAll().where("email", "=", "maya.chen@demo.switchyard.dev").executeTakeFirstOrThrow();
    expect(maya).toMatchObject({ territories: ["US", "CA"], weight: 2, role: "ae", max_open_leads: null });
  });

  it("upserts accounts by external id or domain, resolving owners", async () => {
    const csv = [
      "Account,Website,Owner,Status,Employees,Country",
      "Fixture Widgets,https://www.fixture-widgets.com,Maya Chen,Customer,1200,Germany",
      "Fixture Widgets GmbH,fixture-widgets.com,,,1300,",
      "Nobody Owns,nobody-owns.test,Ghost Rep,,,",
    ].join("\n");
    const mapping = {
      kind: "accounts",
      fields: {
        name: { column: "Account" }, website: { column: "Website" }, owner: { column: "Owner" }, customer_status: { column: "Status" },
        employees: { column: "Employees" }, country: { column: "Country" },
      },
    };
    const { job } = await importAll(env, "accounts", { text: csv }, mapping);
    expect(job).toMatchObject({ status: "done", errorCount: 1, stats: { inserted: 1, updated: 1 } });
    expect(job.errors[0]).toMatchObject({ row: 3, field: "owner", column: "Owner" });
    const acc = await env.db.selectFrom("accounts").selectAll().where("domain", "=", "fixture-widgets.com").execute();
    expect(acc).toHaveLength(1);
    expect(acc[0]).toMatchObject({ name: "Fixture Widgets GmbH", name_key: "fixture widgets", employees: 1300, customer_status: "customer", owner_rep_id: null, country: null });
  });

  it("creates unknown owners when the mapping says so", async () => {
    const csv = "id,created,sdr,closer\nCO-1,2025-05-01,a8387c01a09e99ce014107505b92388c,4ef15afb4b2723d8f3d81e51ec7afefe\nCO-2,2025-05-02,a8387c01a09e99ce014107505b92388c,\n";
    const mapping = {
      kind: "leads",
      fields: {
        external_id: { column: "id" }, received_at: { column: "created" },
        first_owner: { column: "sdr", ifUnknown: "create", createAs: { role: "sdr", team: "Hash SDRs" } },
        owner: { column: "closer", ifUnknown: "create", createAs: { role: "ae", team: "Hash AEs" } },
      },
    };
    const { job } = await importAll(env, "leads", { text: csv }, mapping);
    expect(job).toMatchObject({ status: "done", errorCount: 0, stats: { inserted: 2 } });
    const sdr = await env.db.selectFrom("reps").innerJoin("teams", "teams.id", "reps.team_id").select(["reps.id", "reps.role", "reps.email", "teams.name"])
      .where("reps.name", "=", "a8387c01a09e99ce014107505b92388c").execute();
    expect(sdr).toEqual([{ id: sdr[0]!.id, role: "sdr", email: "a8387c01a09e99ce014107505b92388c@imported.invalid", name: "Hash SDRs" }]);
    const leads = await env.db.selectFrom("leads").select(["idempotency_key", "first_owner_rep_id", "owner_rep_id"]).where("idempotency_key", "in", ["import:CO-1", "import:CO-2"]).orderBy("idempotency_key").execute();
    expect(leads[0]!.first_owner_rep_id).toBe(sdr[0]!.id);
    expect(leads[0]!.owner_rep_id).not.toBe(sdr[0]!.id);
    expect(leads[1]).toMatchObject({ first_owner_rep_id: sdr[0]!.id, owner_rep_id: sdr[0]!.id });
  });
});

describe("a dry run", () => {
  it("reports what the import would do and stores nothing", async () => {
    const mapping = ImportMapping.parse(GEN_MAPPING);
    const id = await upload(env, "leads", { text: generated(40, "DR") + "DR-x,yesterday,,,\n" });
    const summary = await runImportJob(env.deps, {
      id, runId: "dry", workspaceId: env.workspaceId, mapping, file: path.join(env.dataDir, "imports", `${id}.csv`), totalRows: 41,
      cursorRow: 0, errorCount: 0, errors: [], stats: { inserted: 0, updated: 0, skipped: 0 },
    }, { dryRun: true, batchSize: 16 });
    expect(summary).toMatchObject({ status: "done", row: 41, errorCount: 1, stats: { inserted: 40 } });
    expect((await countLike("DR")).leads).toBe(0);
    expect((await getImportJob(env.deps, env.actor, id)).status).toBe("pending");
  });
});
