/**
 * The review queue's own SLA: a lead waiting for a human is due within the review route path's minutes (default
 * 120) of the workspace's review hours. When an item is still open at its due time, the `review.sla` job records an
 * `escalated` event and tells whoever owns the queue — the ops user the item is assigned to, or else every ops user
 * and admin of the workspace (in-app, and by email for those who want it).
 */
import "server-only";
import type { Transaction } from "kysely";
import { json } from "@/db";
import type { Database } from "@/db/types";
import { addBusinessMinutes } from "@/lib/calendar";
import type { JobHandler, JobOutcome } from "../../jobs/worker";
import { enqueueJobs } from "../../repositories/jobs.repository";
import type { RoutingContext } from "../ingest/routing-context";
import { alertLeadName, formatDue, notifyInApp, type NotificationInput } from "../notifications/notify.service";

export const REVIEW_SLA_JOB = "review.sla";
/** The review queue's SLA when its route path sets none (ingestion uses it too). */
export const DEFAULT_REVIEW_MINUTES = 120;

/** The due time of a review item entering the queue at `now`, in the workspace's review hours; null if none. */
export function reviewDueAt(ctx: RoutingContext, now: Date): Date | null {
  const minutes = ctx.routes.get("review")?.slaMinutes ?? DEFAULT_REVIEW_MINUTES;
  try {
    return addBusinessMinutes(ctx.settings.reviewCalendar, now, minutes);
  } catch {
    return null;
  }
}

/** Gives the lead's open review item its due time (when it has none) and enqueues its escalation. */
export async function startReviewClock(trx: Transaction<Database>, ctx: RoutingContext, a: { workspaceId: string; leadId: string; now: Date }): Promise<Date | null> {
  const item = await trx.selectFrom("review_items").select(["id", "due_at"]).where("lead_id", "=", a.leadId).where("status", "=", "open").executeTakeFirst();
  if (!item) return null;
  let due = item.due_at ? new Date(item.due_at) : reviewDueAt(ctx, a.now);
  if (!due) return null;
  if (!item.due_at) await trx.updateTable("review_items").set({ due_at: due }).where("id", "=", item.id).execute();
  due = new Date(due);
  await enqueueJobs(trx, [{ workspaceId: a.workspaceId, kind: REVIEW_SLA_JOB, leadId: a.leadId, runAt: due, dedupeKey: `review:${item.id}`, payload: { itemId: item.id } }]);
  return due;
}

export const reviewSlaHandler: JobHandler = {
  transactional: true,
  run: async (trx, jobs, { now }) => {
    const outcomes: JobOutcome[] = jobs.map((j) => ({ id: j.id, ok: true }));
    const ids = [...new Set(jobs.map((j) => j.payload.itemId as string))];
    const items = await trx.selectFrom("review_items as ri").innerJoin("leads as l", "l.id", "ri.lead_id").innerJoin("workspaces as w", "w.id", "ri.workspace_id")
      .select(["ri.id", "ri.workspace_id", "ri.lead_id", "ri.due_at", "ri.reason_text", "ri.assigned_user_id", "l.first_name", "l.last_name", "l.email", "l.company", "w.time_zone"])
      .where("ri.id", "in", ids).where("ri.status", "=", "open").forUpdate("ri").execute();
    if (!items.length) return outcomes; // resolved in time
    const workspaces = [...new Set(items.map((i) => i.workspace_id))];
    const ops = await trx.selectFrom("users").select(["id", "workspace_id"]).where("workspace_id", "in", workspaces).where("role", "in", ["ops", "admin"]).where("active", "=", true).execute();
    const notes: NotificationInput[] = [];
    for (const item of items) {
      const lead = alertLeadName(item);
      const due = item.due_at ? formatDue(new Date(item.due_at), item.time_zone) : "now";
      const to = item.assigned_user_id ? [item.assigned_user_id] : ops.filter((u) => u.workspace_id === item.workspace_id).map((u) => u.id);
      for (const userId of to) {
        notes.push({ workspaceId: item.workspace_id, userId, leadId: item.lead_id, kind: "review_overdue", title: `Waiting too long in review: ${lead}`, body: `Due ${due}. Why it is there: ${item.reason_text}`, link: "/review" });
      }
    }
    await trx.insertInto("lead_events").values(items.map((i) => ({
      workspace_id: i.workspace_id, lead_id: i.lead_id, type: "escalated" as const, occurred_at: now, reason_code: "review_sla",
      data: json({ reason: "The review queue's SLA passed", dueAt: i.due_at ? new Date(i.due_at).toISOString() : null, reviewItemId: i.id }),
    }))).execute();
    await notifyInApp(trx, notes, now);
    return outcomes;
  },
};
