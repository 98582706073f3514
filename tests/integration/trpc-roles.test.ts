import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "@/db/seed/demo";
import { loadSessionUser, type SessionUser } from "@/server/services/auth.service";
import { createCaller } from "@/server/trpc/root";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

const NOW = new Date("2026-11-02T15:00:00Z");
let t: TestDatabase;
const users: Record<string, SessionUser> = {};

function caller(user: SessionUser | null) {
  return createCaller({ db: t.db, user, now: () => NOW });
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : `not a TRPCError: ${String(e)}`;
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db, { leads: 600, now: NOW, seed: "roles-test" });
  for (const email of ["admin", "ops", "growth", "sales", "sales2"]) {
    const row = await t.db.selectFrom("users").select("id").where("email", "=", `${email}@demo.switchyard.dev`).executeTakeFirstOrThrow();
    users[email] = (await loadSessionUser(t.db, row.id))!;
  }
});
afterAll(async () => t?.close());

describe("tRPC authorisation", () => {
  it("refuses every procedure without a session", async () => {
    const anon = caller(null);
    expect(await codeOf(anon.me.get())).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.leads.list({}))).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.dashboard.summary({ filters: { range: "30d" } }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.settings.overview())).toBe("UNAUTHORIZED");
  });

  it("enforces each procedure's roles", async () => {
    expect(await codeOf(caller(users.growth!).settings.overview())).toBe("FORBIDDEN");
    expect(await codeOf(caller(users.growth!).review.queue())).toBe("FORBIDDEN");
    expect(await codeOf(caller(users.growth!).inbox.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(caller(users.sales!).dashboard.summary({ filters: { range: "30d" } }))).toBe("FORBIDDEN");
    expect(await codeOf(caller(users.sales!).routing.overview())).toBe("FORBIDDEN");
    expect(await codeOf(caller(users.ops!).settings.overview())).toBe("OK");
    expect(await codeOf(caller(users.growth!).dashboard.summary({ filters: { range: "30d" } }))).toBe("OK");
    // The monthly review: growth reads it; ops and sales work it; only ops (and admins) start one.
    expect(await codeOf(caller(users.growth!).monthlyReview.list())).toBe("OK");
    expect(await codeOf(caller(users.growth!).monthlyReview.sign({ id: "00000000-0000-4000-8000-000000000000" }))).toBe("FORBIDDEN");
    expect(await codeOf(caller(users.growth!).monthlyReview.create({ periodStart: "2026-01-01", periodEnd: "2026-02-01" }))).toBe("FORBIDDEN");
    expect(await codeOf(caller(users.sales!).monthlyReview.create({ periodStart: "2026-01-01", periodEnd: "2026-02-01" }))).toBe("FORBIDDEN");
    expect(await codeOf(caller(users.sales!).monthlyReview.options())).toBe("OK");
    expect(await codeOf(caller(users.growth!).dashboard.saveTargets({ targets: { speedToLeadMinutes: 5, wrongAssignmentRate: 0.05, manualTriageRate: 0.2, acceptanceRate: 0.6, slaBreachRate: 0.1, meetingRate: 0.15 } }))).toBe("FORBIDDEN");
  });

  it("gives each role its navigation", async () => {
    const nav = async (u: SessionUser) => (await caller(u).me.get()).navigation.map((n) => n.area);
    expect(await nav(users.admin!)).toEqual(["dashboard", "leads", "routing", "review", "monthly_review", "inbox", "settings"]);
    expect(await nav(users.growth!)).toEqual(["dashboard", "leads", "routing", "monthly_review"]);
    expect(await nav(users.sales!)).toEqual(["leads", "monthly_review", "inbox"]);
  });

  it("shows only admins the user list", async () => {
    expect((await caller(users.admin!).settings.overview()).users?.length).toBe(5);
    expect((await caller(users.ops!).settings.overview()).users).toBeNull();
  });
});

describe("sales users see only their own leads", () => {
  it("lists only leads they own, and all of them", async () => {
    const sales = users.sales!;
    const mine = await caller(sales).leads.list({ pageSize: 200 });
    const owned = await t.db.selectFrom("leads").select((eb) => eb.fn.countAll<number>().as("n")).where("owner_rep_id", "=", sales.repId).executeTakeFirstOrThrow();
    expect(mine.total).toBe(owned.n);
    expect(mine.total).toBeGreaterThan(0);
    expect(new Set(mine.rows.map((r) => r.owner_name))).toEqual(new Set(["Maya Chen"]));
    // Asking for someone else's leads by filter still returns only their own (none).
    const other = await t.db.selectFrom("leads").select("owner_rep_id").where("owner_rep_id", "is not", null).where("owner_rep_id", "!=", sales.repId).executeTakeFirstOrThrow();
    expect((await caller(sales).leads.list({ ownerRepId: other.owner_rep_id! })).total).toBe(0);
  });

  it("refuses another rep's lead as NOT_FOUND, and serves their own", async () => {
    const sales = users.sales!;
    const theirs = await t.db.selectFrom("leads").select("id").where("owner_rep_id", "is not", null).where("owner_rep_id", "!=", sales.repId).executeTakeFirstOrThrow();
    const own = await t.db.selectFrom("leads").select("id").where("owner_rep_id", "=", sales.repId).executeTakeFirstOrThrow();
    expect(await codeOf(caller(sales).leads.byId({ id: theirs.id }))).toBe("NOT_FOUND");
    const detail = await caller(sales).leads.byId({ id: own.id });
    expect(detail.lead.id).toBe(own.id);
    expect(detail.events.length).toBeGreaterThan(3);
    // Ops may read any lead.
    expect((await caller(users.ops!).leads.byId({ id: theirs.id })).lead.id).toBe(theirs.id);
  });

  it("cannot open another rep's inbox", async () => {
    const other = await t.db.selectFrom("reps").select("id").where("id", "!=", users.sales!.repId).executeTakeFirstOrThrow();
    expect(await codeOf(caller(users.sales!).inbox.list({ repId: other.id }))).toBe("FORBIDDEN");
    const own = await caller(users.sales!).inbox.list({});
    expect(own.repId).toBe(users.sales!.repId);
    expect(own.reps).toEqual([]);
  });

  it("rejects malformed input with field-level errors", async () => {
    await expect(caller(users.ops!).leads.byId({ id: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller(users.ops!).leads.list({ pageSize: 5000 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
