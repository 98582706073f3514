/**
 * The monthly routing review's workflow (server/services/review/reviews.service.ts): created when its month ends
 * (ops told, once), the checklist and comments put it in review, action items link a draft and its simulation (or
 * are refused field by field), it is signed off by ops and sales — growth cannot sign — and is read-only after; an
 * unsigned review becomes overdue (ops told, once).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json } from "@/db";
import { seedDemoIfEmpty } from "@/db/seed/demo";
import { ConflictError, ForbiddenError, ValidationError } from "@/server/errors";
import { openDraft } from "@/server/services/routing/versions.service";
import {
  addActionItem, addComment, createReview, ensureDueReviews, getReview, listReviews, reviewSettings, saveReviewSettings, signReview, updateChecklist, type ReviewActor,
} from "@/server/services/review/reviews.service";
import { createTestDatabase, type TestDatabase } from "../support/test-db";

const NOW = new Date("2026-11-03T15:00:00Z");
let t: TestDatabase;
let workspaceId: string;
const users: Record<string, string> = {};
const as = (role: "ops" | "sales" | "growth" | "admin", now = NOW): ReviewActor => ({ userId: users[role]!, workspaceId, role, now });

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoIfEmpty(t.db, { now: NOW, leads: 3000, days: 70 });
  workspaceId = (await t.db.selectFrom("workspaces").select("id").executeTakeFirstOrThrow()).id;
  for (const role of ["ops", "sales", "growth", "admin"] as const) {
    users[role] = (await t.db.selectFrom("users").select("id").where("role", "=", role).orderBy("email").executeTakeFirstOrThrow()).id;
  }
}, 300_000);
afterAll(async () => t?.close());

describe("monthly review", () => {
  let reviewId: string;

  it("is created when its month ends, with its packet, and ops are told once", async () => {
    expect(await ensureDueReviews(t.db, NOW)).toEqual({ created: 1, overdue: 0 });
    expect(await ensureDueReviews(t.db, NOW)).toEqual({ created: 0, overdue: 0 });
    const [review] = await listReviews(t.db, workspaceId, NOW);
    reviewId = review!.id;
    expect([review!.period_start, review!.period_end, review!.status]).toEqual(["2026-10-01", "2026-11-01", "draft"]);
    const full = await getReview(t.db, workspaceId, reviewId, NOW);
    // October in New York: from midnight EDT on the 1st to midnight (still EDT) on November 1st.
    expect(full.packet.period).toEqual({ from: "2026-10-01T04:00:00.000Z", to: "2026-11-01T04:00:00.000Z" });
    expect(full.packet.overall.current.volume).toBeGreaterThan(500);
    expect(full.checklist.map((c) => c.done)).toEqual(Array(7).fill(false));
    expect(full.narrative).toMatch(/^[\d,]+ leads \([\d,]+ the period before\)\. SLA breach rate/);
    const told = await t.db.selectFrom("notifications").select(["user_id", "link"]).where("kind", "=", "review_due").execute();
    expect(told.map((n) => n.link)).toEqual(told.map(() => `/monthly-review/${reviewId}`));
    expect(told.map((n) => n.user_id)).toEqual(expect.arrayContaining([users.ops, users.admin]));
  });

  it("the checklist and comments put it in review; bad input is refused field by field", async () => {
    await updateChecklist(t.db, as("ops"), { reviewId, key: "wrong_assignment", done: true, note: "29.9%, mostly territory" });
    let r = await getReview(t.db, workspaceId, reviewId, NOW);
    expect(r.status).toBe("in_review");
    expect(r.checklist.find((c) => c.key === "wrong_assignment")).toMatchObject({ done: true, doneBy: users.ops, note: "29.9%, mostly territory" });
    const bad = await updateChecklist(t.db, as("ops"), { reviewId, key: "nope", done: true }).catch((e: unknown) => e);
    expect((bad as ValidationError).fields).toEqual({ key: ["“nope” is not on this review's checklist."] });
    await addComment(t.db, as("sales"), { reviewId, body: "Territory rules for DACH need a look." });
    r = await getReview(t.db, workspaceId, reviewId, NOW);
    expect(r.comments.map((c) => c.body)).toEqual(["Territory rules for DACH need a look."]);
  });

  it("action items link a draft and its simulation; a simulation of another version is refused", async () => {
    const table = await t.db.selectFrom("decision_tables").select("id").executeTakeFirstOrThrow();
    const draft = await openDraft(t.db, { workspaceId, userId: users.ops!, now: NOW }, table.id);
    const live = await t.db.selectFrom("decision_table_versions").select("id").where("status", "=", "published").executeTakeFirstOrThrow();
    const sim = await t.db.insertInto("simulations").values({ workspace_id: workspaceId, table_id: table.id, draft_version_id: live.id, period_start: NOW, period_end: NOW, filters: json({}), status: "done" })
      .returning("id").executeTakeFirstOrThrow();
    const bad = await addActionItem(t.db, as("ops"), { reviewId, title: "Tighten DACH territory", ownerUserId: users.ops, dueDate: "2026-11-20", draftVersionId: draft.id, simulationId: sim.id }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).fields).toEqual({ simulationId: ["That simulation is of another version."] });
    const good = await t.db.insertInto("simulations").values({ workspace_id: workspaceId, table_id: table.id, draft_version_id: draft.id, period_start: NOW, period_end: NOW, filters: json({}), status: "done" })
      .returning("id").executeTakeFirstOrThrow();
    await addActionItem(t.db, as("ops"), { reviewId, title: "Tighten DACH territory", ownerUserId: users.ops, dueDate: "2026-11-20", draftVersionId: draft.id, simulationId: good.id });
    const r = await getReview(t.db, workspaceId, reviewId, NOW);
    expect(r.items.map((i) => [i.title, i.draft_version_id, i.simulation_id, i.due_date, i.overdue])).toEqual([["Tighten DACH territory", draft.id, good.id, "2026-11-20", false]]);
    // Past its due date (the workspace's day) and still open: overdue.
    expect((await getReview(t.db, workspaceId, reviewId, new Date("2026-11-21T15:00:00Z"))).items[0]!.overdue).toBe(true);
  });

  it("is signed off by ops and sales (growth cannot sign) and read-only after", async () => {
    await expect(signReview(t.db, as("growth"), reviewId)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await signReview(t.db, as("ops"), reviewId)).toEqual({ status: "in_review", missing: ["sales"] });
    expect(await signReview(t.db, as("ops"), reviewId)).toEqual({ status: "in_review", missing: ["sales"] });
    expect(await signReview(t.db, as("sales"), reviewId)).toEqual({ status: "signed_off", missing: [] });
    const r = await getReview(t.db, workspaceId, reviewId, NOW);
    expect(r.status).toBe("signed_off");
    expect(r.signoffs.map((s) => s.role).sort()).toEqual(["ops", "sales"]);
    await expect(updateChecklist(t.db, as("ops"), { reviewId, key: "speed_by_source", done: true })).rejects.toThrow("A signed-off review is read-only.");
    await expect(addComment(t.db, as("ops"), { reviewId, body: "late" })).rejects.toBeInstanceOf(ConflictError);
    expect((await listReviews(t.db, workspaceId, NOW))[0]).toMatchObject({ id: reviewId, status: "signed_off" });
  });

  it("an unsigned review becomes overdue 14 days after its period (or its creation, if later); ops are told once; one period, one review", async () => {
    const sept = await createReview(t.db, as("ops"), { periodStart: "2026-09-01", periodEnd: "2026-10-01" });
    await expect(createReview(t.db, as("ops"), { periodStart: "2026-09-01", periodEnd: "2026-10-01" })).rejects.toThrow("There is already a review of that period.");
    const bad = await createReview(t.db, as("ops"), { periodStart: "2026-09-01", periodEnd: "2026-08-01" }).catch((e: unknown) => e);
    expect((bad as { issues: Array<{ path: string[] }> }).issues.map((i) => i.path.join("."))).toEqual(["periodEnd"]);
    // September ended a month ago, but its review was only started today: it is not born overdue.
    expect(await ensureDueReviews(t.db, NOW)).toEqual({ created: 0, overdue: 0 });
    const later = new Date(NOW.getTime() + 15 * 86_400_000);
    expect(await ensureDueReviews(t.db, later)).toEqual({ created: 0, overdue: 1 });
    expect(await ensureDueReviews(t.db, later)).toEqual({ created: 0, overdue: 0 });
    const told = await t.db.selectFrom("notifications").select("title").where("kind", "=", "review_overdue_monthly").where("link", "=", `/monthly-review/${sept.id}`).execute();
    expect(told.length).toBeGreaterThan(0);
    expect(told[0]!.title).toBe("The routing review of September 2026 is overdue");
  });

  it("follows the workspace's cadence: every quarter, the quarter's review is created when it ends (beside October's own)", async () => {
    expect(await reviewSettings(t.db, workspaceId, NOW)).toMatchObject({ cadence: "monthly", next: { start: "2026-11-01", end: "2026-12-01" } });
    const bad = await saveReviewSettings(t.db, as("ops"), { cadence: "hourly" }).catch((e: unknown) => e);
    expect((bad as { issues: Array<{ path: string[]; message: string }> }).issues.map((i) => [i.path.join("."), i.message])).toEqual([["cadence", "Pick every month or every quarter."]]);
    await saveReviewSettings(t.db, as("ops"), { cadence: "quarterly" });
    expect(await reviewSettings(t.db, workspaceId, NOW)).toMatchObject({ cadence: "quarterly", next: { start: "2026-10-01", end: "2027-01-01" } });
    // Switched in November: the quarter that ended in September gets no review of its own.
    expect(await ensureDueReviews(t.db, new Date(NOW.getTime() + 3600_000))).toEqual({ created: 0, overdue: 0 });
    const january = new Date("2027-01-05T15:00:00Z");
    expect(await ensureDueReviews(t.db, january)).toEqual({ created: 1, overdue: 0 });
    const q4 = (await listReviews(t.db, workspaceId, january)).find((r) => r.period_end === "2027-01-01")!;
    expect([q4.period_start, q4.status]).toEqual(["2026-10-01", "draft"]);
    const told = await t.db.selectFrom("notifications").select("title").where("link", "=", `/monthly-review/${q4.id}`).execute();
    expect(told[0]!.title).toBe("The routing review of Q4 2026 is ready");
    expect(await ensureDueReviews(t.db, january)).toEqual({ created: 0, overdue: 0 });
  });
});
