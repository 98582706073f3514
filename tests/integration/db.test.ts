import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json } from "@/db";
import { migrateToLatest } from "@/db/migrate";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

let t: TestDatabase;
let workspaceId: string;
let leadId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const ws = await t.db.insertInto("workspaces").values({ slug: "test-ws", name: "Test", settings: json({}) }).returning("id").executeTakeFirstOrThrow();
  workspaceId = ws.id;
  const lead = await t.db.insertInto("leads").values({
    workspace_id: workspaceId, raw_payload: json({ a: [1, 2] }), received_at: new Date("2026-03-01T10:00:00Z"), facts: json({ tags: ["x"] }),
  }).returning("id").executeTakeFirstOrThrow();
  leadId = lead.id;
});
afterAll(async () => t?.close());

describe(`database (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("is migrated, and migrating again is a no-op", async () => {
    const again = await migrateToLatest(t.db);
    expect(again).toEqual([]);
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' order by 1`.execute(t.db);
    const names = tables.rows.map((r) => r.table_name);
    for (const expected of ["workspaces", "teams", "reps", "users", "accounts", "leads", "lead_events", "decision_table_versions", "route_paths", "sources", "api_keys", "simulations", "monthly_reviews", "audit_log", "jobs"]) {
      expect(names).toContain(expected);
    }
  });

  it("returns counts and sums as numbers on both drivers", async () => {
    await t.db.insertInto("lead_events").values([
      { workspace_id: workspaceId, lead_id: leadId, type: "opportunity_created", occurred_at: new Date(), amount: 1234.5, data: json({}) },
      { workspace_id: workspaceId, lead_id: leadId, type: "opportunity_created", occurred_at: new Date(), amount: 0.5, data: json({}) },
    ]).execute();
    const row = await t.db
      .selectFrom("lead_events")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.sum<number>("amount").as("total"), eb.fn.max<number>("id").as("max_id")])
      .where("lead_id", "=", leadId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ n: 2, total: 1235, max_id: expect.any(Number) });
    const e = await t.db.selectFrom("lead_events").select(["amount", "id"]).where("lead_id", "=", leadId).orderBy("id").executeTakeFirstOrThrow();
    expect(e.amount).toBe(1234.5);
    expect(typeof e.id).toBe("number");
  });

  it("round-trips jsonb arrays, text[] and timestamptz", async () => {
    const lead = await t.db.selectFrom("leads").select(["raw_payload", "facts", "received_at"]).where("id", "=", leadId).executeTakeFirstOrThrow();
    expect(lead.raw_payload).toEqual({ a: [1, 2] });
    expect(lead.facts).toEqual({ tags: ["x"] });
    expect(lead.received_at).toBeInstanceOf(Date);
    expect(lead.received_at.toISOString()).toBe("2026-03-01T10:00:00.000Z");
    const team = await t.db.insertInto("teams").values({ workspace_id: workspaceId, key: "t1", name: "T", time_zone: "UTC", weekly_hours: json({}), holidays: json([]), settings: json({}) }).returning("id").executeTakeFirstOrThrow();
    const rep = await t.db.insertInto("reps").values({ workspace_id: workspaceId, team_id: team.id, name: "R", email: "r@x.io", role: "ae", territories: ["US", "CA"], products: [], segments: [], time_zone: "UTC", working_hours: null, settings: json({}) }).returning(["territories", "products", "weight"]).executeTakeFirstOrThrow();
    expect(rep).toEqual({ territories: ["US", "CA"], products: [], weight: 1 });
  });

  it("keeps the lead event log append-only", async () => {
    await expect(t.db.updateTable("lead_events").set({ reason_code: "x" }).where("lead_id", "=", leadId).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom("lead_events").where("lead_id", "=", leadId).execute()).rejects.toThrow(/append-only/);
  });

  it("makes published decision-table versions immutable and allows one published version per table", async () => {
    const table = await t.db.insertInto("decision_tables").values({ workspace_id: workspaceId, key: "inbound", name: "Inbound" }).returning("id").executeTakeFirstOrThrow();
    const v1 = await t.db.insertInto("decision_table_versions").values({ workspace_id: workspaceId, table_id: table.id, version: 1, status: "draft", definition: json({ rules: [] }) }).returning("id").executeTakeFirstOrThrow();
    // A draft may change, then be published.
    await t.db.updateTable("decision_table_versions").set({ definition: json({ rules: [{ id: "R1" }] }) }).where("id", "=", v1.id).execute();
    await t.db.updateTable("decision_table_versions").set({ status: "published", published_at: new Date() }).where("id", "=", v1.id).execute();
    await expect(t.db.updateTable("decision_table_versions").set({ definition: json({ rules: [] }) }).where("id", "=", v1.id).execute()).rejects.toThrow(/immutable/);
    await expect(t.db.updateTable("decision_table_versions").set({ status: "draft" }).where("id", "=", v1.id).execute()).rejects.toThrow(/immutable/);
    await expect(t.db.deleteFrom("decision_table_versions").where("id", "=", v1.id).execute()).rejects.toThrow(/cannot be deleted/);
    await expect(
      t.db.insertInto("decision_table_versions").values({ workspace_id: workspaceId, table_id: table.id, version: 2, status: "published", definition: json({}) }).execute(),
    ).rejects.toThrow(/duplicate key|unique/i);
    // Superseding the old one first lets a new version be published.
    await t.db.transaction().execute(async (trx) => {
      await trx.updateTable("decision_table_versions").set({ status: "superseded" }).where("id", "=", v1.id).execute();
      await trx.insertInto("decision_table_versions").values({ workspace_id: workspaceId, table_id: table.id, version: 2, status: "published", definition: json({}) }).execute();
    });
    const published = await t.db.selectFrom("decision_table_versions").select("version").where("table_id", "=", table.id).where("status", "=", "published").execute();
    expect(published).toEqual([{ version: 2 }]);
  });

  it("rolls back a failed transaction and reports affected rows", async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx.insertInto("workspaces").values({ slug: "rolled-back", name: "X", settings: json({}) }).execute();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await t.db.selectFrom("workspaces").select("id").where("slug", "=", "rolled-back").executeTakeFirst()).toBeUndefined();
    const res = await t.db.updateTable("workspaces").set({ name: "Renamed" }).where("id", "=", workspaceId).executeTakeFirst();
    expect(res.numUpdatedRows).toBe(1n);
    const del = await t.db.deleteFrom("api_keys").where("workspace_id", "=", workspaceId).executeTakeFirst();
    expect(del.numDeletedRows).toBe(0n);
  });

  it("serialises concurrent transactions without losing writes", async () => {
    const key = `ctr-${Date.now()}`;
    await t.db.insertInto("assignment_state").values({ workspace_id: workspaceId, pool_key: key, state: json({ n: 0 }) }).execute();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        t.db.transaction().execute(async (trx) => {
          const row = await trx.selectFrom("assignment_state").select("revision").where("pool_key", "=", key).forUpdate().executeTakeFirstOrThrow();
          await trx.updateTable("assignment_state").set({ revision: row.revision + 1 }).where("pool_key", "=", key).execute();
        }),
      ),
    );
    const final = await t.db.selectFrom("assignment_state").select("revision").where("pool_key", "=", key).executeTakeFirstOrThrow();
    expect(final.revision).toBe(20);
  });

  it("rejects values that break the schema's checks", async () => {
    await expect(t.db.insertInto("workspaces").values({ slug: "Bad Slug!", name: "x", settings: json({}) }).execute()).rejects.toThrow(/check/i);
    await expect(
      t.db.insertInto("lead_events").values({ workspace_id: workspaceId, lead_id: leadId, type: "made_up" as never, occurred_at: new Date(), data: json({}) }).execute(),
    ).rejects.toThrow(/check/i);
  });
});

describe("integrity after 0003", () => {
  it("erases a lead with its events by cascade, while direct event deletes and truncates stay refused", async () => {
    const ws = await t.db.insertInto("workspaces").values({ slug: "erase-ws", name: "Erase", settings: json({}) }).returning("id").executeTakeFirstOrThrow();
    const lead = await t.db.insertInto("leads").values({ workspace_id: ws.id, raw_payload: json({}), received_at: new Date(), facts: json({}) }).returning("id").executeTakeFirstOrThrow();
    await t.db.insertInto("lead_events").values({ workspace_id: ws.id, lead_id: lead.id, type: "received", occurred_at: new Date(), data: json({}) }).execute();
    await expect(t.db.deleteFrom("lead_events").where("lead_id", "=", lead.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate lead_events`.execute(t.db)).rejects.toThrow(/append-only/);
    await t.db.deleteFrom("leads").where("id", "=", lead.id).execute();
    expect(await t.db.selectFrom("lead_events").select("id").where("lead_id", "=", lead.id).execute()).toEqual([]);
    await t.db.deleteFrom("workspaces").where("id", "=", ws.id).execute();
  });

  it("lets a job key be queued again once its job is done, and bumps config_version on settings changes", async () => {
    await t.db.insertInto("jobs").values({ kind: "x", run_at: new Date(), dedupe_key: "sla:1", payload: json({}) }).execute();
    await expect(t.db.insertInto("jobs").values({ kind: "x", run_at: new Date(), dedupe_key: "sla:1", payload: json({}) }).execute()).rejects.toThrow(/duplicate|unique/i);
    await t.db.updateTable("jobs").set({ status: "done" }).where("dedupe_key", "=", "sla:1").execute();
    await t.db.insertInto("jobs").values({ kind: "x", run_at: new Date(), dedupe_key: "sla:1", payload: json({}) }).execute();
    const before = await t.db.selectFrom("workspaces").select("config_version").where("id", "=", workspaceId).executeTakeFirstOrThrow();
    await t.db.updateTable("workspaces").set({ settings: json({ dedupeWindowHours: 24 }) }).where("id", "=", workspaceId).execute();
    const after = await t.db.selectFrom("workspaces").select("config_version").where("id", "=", workspaceId).executeTakeFirstOrThrow();
    expect(after.config_version).toBe(before.config_version + 1);
  });
});
