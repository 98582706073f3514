/**
 * The monthly routing review as a workflow: draft → in review → signed off. A review covers one period (the
 * previous calendar month in the workspace's time zone by default) and starts from its packet (packet.service.ts).
 * Ops and sales leadership tick the checklist, comment, and agree action items — each optionally linked to a draft
 * table version and its simulation. It is signed off once an ops user and a sales user (or an admin) have signed;
 * a signed-off review is read-only. Reviews are created when their period ends (ensureDueReviews, run by the
 * server's maintenance) or on demand; ops are told when one is due and when it is overdue.
 */
import "server-only";
import { sql, type Kysely } from "kysely";
import { DateTime } from "luxon";
import { z } from "zod";
import { json } from "@/db";
import type { Database } from "@/db/types";
import { dayNumberToIsoDate, isoDateToDayNumber, localDate } from "@/lib/calendar";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../errors";
import { recordAudit } from "../../repositories/audit.repository";
import { notifyInApp } from "../notifications/notify.service";
import { templateNarrative } from "@/lib/review/narrative";
import { REVIEW_CADENCES, reviewCadence, reviewTitle, type ReviewCadence } from "@/lib/review/period";
import { llmConfigFromSettings } from "../classify/classifier.service";
import { queueNarrative } from "./narrative.service";
import { computePacket, type ReviewPacket } from "./packet.service";

type Db = Kysely<Database>;
export interface ReviewActor { userId: string; workspaceId: string; role: "admin" | "ops" | "growth" | "sales"; now: Date }

export interface ChecklistItem { key: string; label: string; done: boolean; doneBy: string | null; doneAt: string | null; note: string | null }

export const DEFAULT_CHECKLIST: ReadonlyArray<Pick<ChecklistItem, "key" | "label">> = [
  { key: "wrong_assignment", label: "Pull last period's wrong-assignment rate and its top reasons" },
  { key: "speed_by_source", label: "Median and p90 speed to lead by source" },
  { key: "active_rules", label: "List the active rules and what each is for" },
  { key: "ai_field", label: "Keep one free-text field on every form for the AI to read" },
  { key: "fallback_queue", label: "The fallback (review) queue is defined and owned" },
  { key: "definitions", label: "Accepted, rejected and urgent definitions agreed with sales" },
  { key: "route_vs_meetings", label: "Dashboard: route path against meetings booked" },
];

/** Days after its period ends (or after it was created, if later) before an unsigned review is overdue. */
export const OVERDUE_DAYS = 14;

/** The review period (calendar month or quarter in `timeZone`) that contains `at`, as local dates [start, end) and instants. */
function periodContaining(at: Date, timeZone: string, cadence: ReviewCadence): { start: string; end: string; from: Date; to: Date } {
  const from = DateTime.fromJSDate(at, { zone: timeZone }).startOf(cadence === "quarterly" ? "quarter" : "month");
  const to = from.plus({ months: cadence === "quarterly" ? 3 : 1 });
  return { start: from.toISODate()!, end: to.toISODate()!, from: from.toJSDate(), to: to.toJSDate() };
}

/** The period that ended last in `timeZone` at `now` — the previous calendar month or quarter. */
export function previousPeriod(now: Date, timeZone: string, cadence: ReviewCadence = "monthly"): { start: string; end: string; from: Date; to: Date } {
  return periodContaining(new Date(periodContaining(now, timeZone, cadence).from.getTime() - 1), timeZone, cadence);
}

/** The instant of local midnight of a YYYY-MM-DD in `timeZone`. */
export function localMidnight(day: string, timeZone: string): Date {
  return DateTime.fromISO(day, { zone: timeZone }).startOf("day").toJSDate();
}

export const ReviewPeriodInput = z.object({
  periodStart: z.iso.date({ error: "Pick the first day." }),
  periodEnd: z.iso.date({ error: "Pick the day after the last." }),
}).refine((p) => p.periodEnd > p.periodStart, { path: ["periodEnd"], error: "The period must end after it starts." })
  .refine((p) => (isoDateToDayNumber(p.periodEnd)! - isoDateToDayNumber(p.periodStart)!) <= 100, { path: ["periodEnd"], error: "Review at most 100 days at a time." });

async function workspaceZone(db: Db, workspaceId: string): Promise<string> {
  return (await db.selectFrom("workspaces").select("time_zone").where("id", "=", workspaceId).executeTakeFirstOrThrow()).time_zone;
}

/** Creates the review of a period (with its packet); ConflictError when one exists for that start. */
export async function createReview(db: Db, actor: ReviewActor, raw: unknown): Promise<{ id: string }> {
  const p = ReviewPeriodInput.parse(raw);
  const tz = await workspaceZone(db, actor.workspaceId);
  const existing = await db.selectFrom("monthly_reviews").select("id").where("workspace_id", "=", actor.workspaceId).where("period_start", "=", p.periodStart).where("period_end", "=", p.periodEnd).executeTakeFirst();
  if (existing) throw new ConflictError("There is already a review of that period.");
  const packet = await computePacket(db, actor.workspaceId, { from: localMidnight(p.periodStart, tz), to: localMidnight(p.periodEnd, tz) }, actor.now);
  const row = await insertReview(db, { workspaceId: actor.workspaceId, start: p.periodStart, end: p.periodEnd, packet, createdBy: actor.userId, now: actor.now });
  if (!row) throw new ConflictError("There is already a review of that period.");
  await recordAudit(db, actor, { action: "review.created", entityType: "monthly_review", entityId: row.id, summary: `Created the routing review of ${p.periodStart} – ${dayNumberToIsoDate(isoDateToDayNumber(p.periodEnd)! - 1)}` });
  return row;
}

/**
 * A new review with its packet, a fresh checklist and the template narrative (the LLM's is queued when one is
 * configured); undefined when its period has one.
 */
async function insertReview(db: Db, r: { workspaceId: string; start: string; end: string; packet: ReviewPacket; createdBy: string | null; now: Date }) {
  const row = await db.insertInto("monthly_reviews").values({
    workspace_id: r.workspaceId, period_start: r.start, period_end: r.end, packet: json(r.packet as unknown as Record<string, unknown>),
    checklist: json(DEFAULT_CHECKLIST.map((c): ChecklistItem => ({ ...c, done: false, doneBy: null, doneAt: null, note: null }))),
    narrative: templateNarrative(r.packet), narrative_source: "template", narrative_at: r.now, created_by: r.createdBy, created_at: r.now, updated_at: r.now,
  }).onConflict((oc) => oc.columns(["workspace_id", "period_start", "period_end"]).doNothing()).returning("id").executeTakeFirst();
  if (row) await queueNarrative(db, r.workspaceId, row.id, r.now);
  return row;
}

/**
 * For every workspace: the review of the month that just ended, created when missing (ops told it is due); ops
 * told once when one stays unsigned OVERDUE_DAYS after its period. Run by the server's maintenance.
 */
export async function ensureDueReviews(db: Db, now: Date): Promise<{ created: number; overdue: number }> {
  let created = 0;
  let overdue = 0;
  const workspaces = await db.selectFrom("workspaces").select(["id", "time_zone", "settings"]).execute();
  for (const ws of workspaces) {
    const ops = await db.selectFrom("users").select("id").where("workspace_id", "=", ws.id).where("role", "in", ["ops", "admin"]).where("active", "=", true).execute();
    const month = previousPeriod(now, ws.time_zone, reviewCadence(ws.settings));
    // A cadence changed mid-way starts with the next period that ends: switching to quarterly in November does not
    // conjure up a review of the quarter that ended in September.
    const since = (ws.settings as { review?: { since?: string } }).review?.since;
    const due = ops.length > 0 && !(since && month.to.getTime() <= Date.parse(since));
    const has = due && (await db.selectFrom("monthly_reviews").select("id").where("workspace_id", "=", ws.id).where("period_start", "=", month.start).where("period_end", "=", month.end).executeTakeFirst());
    if (due && !has) {
      const packet = await computePacket(db, ws.id, { from: month.from, to: month.to }, now);
      const row = await insertReview(db, { workspaceId: ws.id, start: month.start, end: month.end, packet, createdBy: null, now });
      if (row) {
        created++;
        await notifyInApp(db, ops.map((u) => ({ workspaceId: ws.id, userId: u.id, leadId: null, kind: "review_due", title: `The routing review of ${reviewTitle(month.start, month.end)} is ready`, body: `${packet.anomalies.length} anomalies, ${packet.slaBreaches.total} SLA breaches, ${packet.wrongAssignments.total} wrong assignments to go through.`, link: `/monthly-review/${row.id}` })), now);
      }
    }
    overdue += await remindOverdue(db, ws, ops, now);
  }
  return { created, overdue };
}

/** Tells ops, once, of each review still unsigned when it is overdue; returns how many were told of. */
async function remindOverdue(db: Db, ws: { id: string; time_zone: string }, ops: ReadonlyArray<{ id: string }>, now: Date): Promise<number> {
  let told = 0;
  const late = await db.selectFrom("monthly_reviews").select(["id", "status", "period_start", "period_end", "created_at"]).where("workspace_id", "=", ws.id).where("status", "<>", "signed_off").execute();
  for (const r of late) {
    if (!overdueState(r, ws.time_zone, now).overdue || !ops.length) continue;
    const already = await db.selectFrom("notifications").select("id").where("workspace_id", "=", ws.id).where("kind", "=", "review_overdue_monthly").where("link", "=", `/monthly-review/${r.id}`).limit(1).executeTakeFirst();
    if (already) continue;
    told++;
    await notifyInApp(db, ops.map((u) => ({ workspaceId: ws.id, userId: u.id, leadId: null, kind: "review_overdue_monthly", title: `The routing review of ${reviewTitle(r.period_start, r.period_end)} is overdue`, body: `Not signed off ${OVERDUE_DAYS} days after its period ended.`, link: `/monthly-review/${r.id}` })), now);
  }
  return told;
}

export const ReviewSettingsInput = z.object({ cadence: z.enum(REVIEW_CADENCES, { error: "Pick every month or every quarter." }) });

/** How often reviews are created (settings.review.cadence), and the next one: of the period running now, created when it ends. */
export async function reviewSettings(db: Db, workspaceId: string, now: Date): Promise<{ cadence: ReviewCadence; next: { start: string; end: string; createdAt: Date } }> {
  const ws = await db.selectFrom("workspaces").select(["settings", "time_zone"]).where("id", "=", workspaceId).executeTakeFirstOrThrow();
  const cadence = reviewCadence(ws.settings);
  const next = periodContaining(now, ws.time_zone, cadence);
  return { cadence, next: { start: next.start, end: next.end, createdAt: next.to } };
}

export async function saveReviewSettings(db: Db, actor: ReviewActor, raw: unknown): Promise<{ cadence: ReviewCadence }> {
  const { cadence } = ReviewSettingsInput.parse(raw);
  await db.transaction().execute(async (trx) => {
    const ws = await trx.selectFrom("workspaces").select("settings").where("id", "=", actor.workspaceId).forUpdate().executeTakeFirstOrThrow();
    const settings = ws.settings as Record<string, unknown>;
    await trx.updateTable("workspaces").set({ settings: json({ ...settings, review: { ...(settings.review as object | undefined), cadence, since: actor.now.toISOString() } }) }).where("id", "=", actor.workspaceId).execute();
    await recordAudit(trx, actor, { action: "review.cadence_saved", entityType: "workspace", entityId: actor.workspaceId, summary: `Routing reviews: ${cadence === "quarterly" ? "every quarter" : "every month"}` });
  });
  return { cadence };
}

async function openReview(db: Db, actor: ReviewActor, id: string) {
  const r = await db.selectFrom("monthly_reviews").selectAll().where("id", "=", id).where("workspace_id", "=", actor.workspaceId).executeTakeFirst();
  if (!r) throw new NotFoundError("Review");
  if (r.status === "signed_off") throw new ConflictError("A signed-off review is read-only.");
  return r;
}

/** The first change of a draft puts it in review. */
async function touch(db: Db, id: string, now: Date) {
  await db.updateTable("monthly_reviews").set({ status: "in_review", updated_at: now }).where("id", "=", id).where("status", "=", "draft").execute();
}

export const ChecklistUpdate = z.object({ reviewId: z.uuid(), key: z.string().min(1).max(64), done: z.boolean(), note: z.string().trim().max(2000).nullable().optional() });

export async function updateChecklist(db: Db, actor: ReviewActor, raw: unknown) {
  const u = ChecklistUpdate.parse(raw);
  const r = await openReview(db, actor, u.reviewId);
  const items = r.checklist as ChecklistItem[];
  if (!items.some((i) => i.key === u.key)) throw new ValidationError("No such checklist item.", { key: [`“${u.key}” is not on this review's checklist.`] });
  const next = items.map((i) => (i.key === u.key ? { ...i, done: u.done, doneBy: u.done ? actor.userId : null, doneAt: u.done ? actor.now.toISOString() : null, note: u.note === undefined ? i.note : u.note } : i));
  await db.updateTable("monthly_reviews").set({ checklist: json(next), updated_at: actor.now }).where("id", "=", r.id).execute();
  await touch(db, r.id, actor.now);
}

export const CommentInput = z.object({ reviewId: z.uuid(), body: z.string().trim().min(1, { error: "Write something." }).max(5000, { error: "At most 5,000 characters." }) });

export async function addComment(db: Db, actor: ReviewActor, raw: unknown) {
  const c = CommentInput.parse(raw);
  const r = await openReview(db, actor, c.reviewId);
  await db.insertInto("review_comments").values({ review_id: r.id, author_user_id: actor.userId, body: c.body }).execute();
  await touch(db, r.id, actor.now);
}

export const ActionItemInput = z.object({
  reviewId: z.uuid(),
  title: z.string().trim().min(3, { error: "Say what is to be done." }).max(300, { error: "At most 300 characters." }),
  ownerUserId: z.uuid({ error: "Pick an owner." }).nullable(),
  dueDate: z.iso.date({ error: "Pick a due date." }).nullable(),
  draftVersionId: z.uuid().nullable().optional(),
  simulationId: z.uuid().nullable().optional(),
});

export async function addActionItem(db: Db, actor: ReviewActor, raw: unknown): Promise<{ id: string }> {
  const a = ActionItemInput.parse(raw);
  const r = await openReview(db, actor, a.reviewId);
  const fields: Record<string, string[]> = {};
  if (a.ownerUserId && !(await db.selectFrom("users").select("id").where("id", "=", a.ownerUserId).where("workspace_id", "=", actor.workspaceId).executeTakeFirst())) fields.ownerUserId = ["Not a user of this workspace."];
  if (a.draftVersionId && !(await db.selectFrom("decision_table_versions").select("id").where("id", "=", a.draftVersionId).where("workspace_id", "=", actor.workspaceId).executeTakeFirst())) fields.draftVersionId = ["Not a table version of this workspace."];
  if (a.simulationId) {
    const sim = await db.selectFrom("simulations").select(["draft_version_id", "status"]).where("id", "=", a.simulationId).where("workspace_id", "=", actor.workspaceId).executeTakeFirst();
    if (!sim) fields.simulationId = ["Not a simulation of this workspace."];
    else if (a.draftVersionId && sim.draft_version_id !== a.draftVersionId) fields.simulationId = ["That simulation is of another version."];
  }
  if (Object.keys(fields).length) throw new ValidationError("Some fields need attention; nothing was saved.", fields);
  const row = await db.insertInto("review_action_items").values({
    review_id: r.id, title: a.title, owner_user_id: a.ownerUserId, due_date: a.dueDate, draft_version_id: a.draftVersionId ?? null, simulation_id: a.simulationId ?? null,
  }).returning("id").executeTakeFirstOrThrow();
  await touch(db, r.id, actor.now);
  return row;
}

export const ActionItemStatusInput = z.object({ reviewId: z.uuid(), itemId: z.uuid(), status: z.enum(["open", "done", "dropped"]) });

export async function setActionItemStatus(db: Db, actor: ReviewActor, raw: unknown) {
  const u = ActionItemStatusInput.parse(raw);
  const r = await openReview(db, actor, u.reviewId);
  const done = await db.updateTable("review_action_items").set({ status: u.status }).where("id", "=", u.itemId).where("review_id", "=", r.id).executeTakeFirst();
  if (!done.numUpdatedRows) throw new NotFoundError("Action item");
}

/** Who signs for ops and for sales among the signatures (an admin may stand for either side, not both). */
export function signatureSides<S extends { user_id: string; role: string }>(signs: readonly S[]): { ops: S | null; sales: S | null; missing: Array<"ops" | "sales"> } {
  const ops = signs.find((s) => s.role === "ops") ?? signs.find((s) => s.role === "admin") ?? null;
  const sales = signs.find((s) => s.role === "sales" && s.user_id !== ops?.user_id) ?? signs.find((s) => s.role === "admin" && s.user_id !== ops?.user_id) ?? null;
  return { ops, sales, missing: [...(ops ? [] : ["ops" as const]), ...(sales ? [] : ["sales" as const])] };
}

/**
 * When an unsigned review becomes overdue — OVERDUE_DAYS after its period ends, or after it was created if later —
 * and whether it is at `now`.
 */
export function overdueState(r: { status: string; period_end: string; created_at: Date | string }, timeZone: string, now: Date): { overdueAt: Date; overdue: boolean } {
  const overdueAt = new Date(Math.max(localMidnight(r.period_end, timeZone).getTime(), new Date(r.created_at).getTime()) + OVERDUE_DAYS * 86_400_000);
  return { overdueAt, overdue: r.status !== "signed_off" && now >= overdueAt };
}

/**
 * Signs the review. It is signed off — and read-only from then on — once an ops user and a sales user (an admin
 * may sign for either side) have signed; growth users cannot sign.
 */
export async function signReview(db: Db, actor: ReviewActor, reviewId: string): Promise<{ status: "in_review" | "signed_off"; missing: string[] }> {
  if (actor.role === "growth") throw new ForbiddenError("Growth users can read reviews, not sign them.");
  const r = await openReview(db, actor, reviewId);
  await db.insertInto("review_signoffs").values({ review_id: r.id, user_id: actor.userId, role: actor.role, signed_at: actor.now })
    .onConflict((oc) => oc.columns(["review_id", "user_id"]).doNothing()).execute();
  const signs = await db.selectFrom("review_signoffs").select(["user_id", "role"]).where("review_id", "=", r.id).execute();
  const { missing } = signatureSides(signs);
  if (missing.length) {
    await touch(db, r.id, actor.now);
    return { status: "in_review", missing };
  }
  await db.updateTable("monthly_reviews").set({ status: "signed_off", signed_off_at: actor.now, updated_at: actor.now }).where("id", "=", r.id).execute();
  await recordAudit(db, actor, { action: "review.signed_off", entityType: "monthly_review", entityId: r.id, summary: `Signed off the routing review of ${r.period_start} – ${r.period_end}` });
  return { status: "signed_off", missing: [] };
}

export async function getReview(db: Db, workspaceId: string, id: string, now: Date) {
  const review = await db.selectFrom("monthly_reviews").selectAll().where("id", "=", id).where("workspace_id", "=", workspaceId).executeTakeFirst();
  if (!review) throw new NotFoundError("Review");
  const [ws, comments, items, signoffs] = await Promise.all([
    db.selectFrom("workspaces").select(["time_zone", "currency", "settings"]).where("id", "=", workspaceId).executeTakeFirstOrThrow(),
    db.selectFrom("review_comments as c").innerJoin("users as u", "u.id", "c.author_user_id").select(["c.id", "c.body", "c.created_at", "u.name as author"]).where("c.review_id", "=", id).orderBy("c.created_at").execute(),
    db.selectFrom("review_action_items as a").leftJoin("users as u", "u.id", "a.owner_user_id")
      .leftJoin("decision_table_versions as v", "v.id", "a.draft_version_id").leftJoin("decision_tables as t", "t.id", "v.table_id")
      .leftJoin("simulations as sim", "sim.id", "a.simulation_id")
      .select([
        "a.id", "a.title", "a.status", "a.due_date", "a.owner_user_id", "u.name as owner", "a.draft_version_id", "v.version as draft_version", "v.status as draft_status",
        "v.table_id", "t.name as table_name", "a.simulation_id", "sim.status as simulation_status", "sim.period_start as simulation_from", "sim.period_end as simulation_to",
        "sim.lead_count as simulation_leads", sql<number | null>`(sim.result->>'changed')::int`.as("simulation_changed"), "a.created_at",
      ])
      .where("a.review_id", "=", id).orderBy("a.created_at").execute(),
    db.selectFrom("review_signoffs as s").innerJoin("users as u", "u.id", "s.user_id").select(["s.user_id", "s.role", "s.signed_at", "u.name"]).where("s.review_id", "=", id).orderBy("s.signed_at").execute(),
  ]);
  const sides = signatureSides(signoffs);
  const checklist = review.checklist as ChecklistItem[];
  const tickers = [...new Set(checklist.map((c) => c.doneBy).filter((id): id is string => Boolean(id)))];
  const today = localDate(ws.time_zone, now);
  const names = new Map((tickers.length ? await db.selectFrom("users").select(["id", "name"]).where("id", "in", tickers).execute() : []).map((u) => [u.id, u.name]));
  return {
    ...review, packet: review.packet as unknown as ReviewPacket, checklist: checklist.map((c) => ({ ...c, doneByName: c.doneBy ? names.get(c.doneBy) ?? null : null })), comments, signoffs,
    // An open item past its due date (the workspace's calendar day) is overdue.
    items: items.map((i) => ({ ...i, overdue: i.status === "open" && i.due_date !== null && i.due_date < today })),
    timeZone: ws.time_zone, currency: ws.currency, llmConfigured: llmConfigFromSettings(ws.settings as Record<string, unknown>) !== null, ...overdueState(review, ws.time_zone, now), signedFor: { ops: sides.ops?.name ?? null, sales: sides.sales?.name ?? null }, missing: sides.missing,
  };
}

/** Past and current reviews, newest period first, with what each is waiting for. */
export async function listReviews(db: Db, workspaceId: string, now: Date) {
  const [tz, rows] = await Promise.all([
    workspaceZone(db, workspaceId),
    db.selectFrom("monthly_reviews as r")
      .select([
        "r.id", "r.period_start", "r.period_end", "r.status", "r.created_at", "r.signed_off_at", "r.narrative_source",
        sql<number>`jsonb_array_length(coalesce(r.packet->'anomalies', '[]'::jsonb))`.as("anomalies"),
        sql<number>`coalesce((r.packet->'overall'->'current'->>'volume')::int, 0)`.as("leads"),
        sql<number>`(select count(*) from review_action_items a where a.review_id = r.id)::int`.as("items"),
        sql<number>`(select count(*) from review_action_items a where a.review_id = r.id and a.status = 'open')::int`.as("open_items"),
        sql<number>`(select count(*) from jsonb_array_elements(r.checklist) c where (c->>'done')::boolean)::int`.as("checked"),
        sql<number>`jsonb_array_length(r.checklist)`.as("checklist_size"),
        sql<string[]>`coalesce((select array_agg(u.name order by s.signed_at) from review_signoffs s join users u on u.id = s.user_id where s.review_id = r.id), '{}')`.as("signers"),
      ])
      .where("r.workspace_id", "=", workspaceId).orderBy("r.period_start", "desc").limit(120).execute(),
  ]);
  return rows.map((r) => ({
    ...r, anomalies: Number(r.anomalies), leads: Number(r.leads), items: Number(r.items), open_items: Number(r.open_items), checked: Number(r.checked), checklist_size: Number(r.checklist_size),
    ...overdueState(r, tz, now),
  }));
}

/** What an action item may link to: the workspace's people, its draft and recent table versions, and their finished simulations. */
export async function actionItemOptions(db: Db, workspaceId: string) {
  const [users, versions, simulations] = await Promise.all([
    db.selectFrom("users").select(["id", "name", "role"]).where("workspace_id", "=", workspaceId).where("active", "=", true).orderBy("name").execute(),
    db.selectFrom("decision_table_versions as v").innerJoin("decision_tables as t", "t.id", "v.table_id")
      .select(["v.id", "v.version", "v.status", "v.table_id", "t.name as table_name", "v.change_reason", "v.updated_at"])
      .where("v.workspace_id", "=", workspaceId).where("v.status", "in", ["draft", "published"]).orderBy("t.name").orderBy("v.version", "desc").limit(200).execute(),
    db.selectFrom("simulations").select(["id", "draft_version_id", "period_start", "period_end", "lead_count", "finished_at", sql<number | null>`(result->>'changed')::int`.as("changed")])
      .where("workspace_id", "=", workspaceId).where("status", "=", "done").orderBy("finished_at", "desc").limit(300).execute(),
  ]);
  return { users, versions, simulations };
}
