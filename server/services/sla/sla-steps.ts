/**
 * The SLA step job (sla-chain.ts enqueues it): when a step of an owner's escalation chain comes due, and the task
 * it belongs to is still open with its rep owning the lead untouched, it fires —
 *
 * - remind: `sla_warning` event; the owner is notified ("due at …");
 * - breach: `sla_breached` event (the dashboard's breach count for the lead agrees with it: untouched at the due
 *   time); the owner, and when the step says so the team's manager, are notified;
 * - reassign: the lead goes to the next eligible rep by the route's strategy (never the one who let it pass; with
 *   a chain of their own) or to the review queue, as a `reassigned` event with reason `sla_reassigned`; old and new
 *   owner are notified. A lead is reassigned for its SLA once: when the second owner lets it pass too, it goes to
 *   the review queue (reason sla_escalated).
 *
 * Transactional (server/jobs/worker.ts): a batch's events, notifications, reassignments and the jobs' completion
 * commit together, so each step takes effect exactly once.
 */
import "server-only";
import type { Transaction } from "kysely";
import { json } from "@/db";
import type { Database, LeadStatus } from "@/db/types";
import { chainStopped } from "@/lib/sla/escalation";
import type { ClaimedJob } from "../../repositories/jobs.repository";
import type { JobHandler, JobOutcome } from "../../jobs/worker";
import { routingContext } from "../ingest/routing-context";
import { metricContextOf, refreshLeadMetrics } from "../metrics/lead-metrics";
import { fanOut, type Alert } from "../notifications/channels";
import { alertLeadName, formatDue, notifyInApp, usersOfReps, type NotificationInput } from "../notifications/notify.service";
import { CLOSED, releaseAssignment, reroute } from "../outcomes.service";
import type { SlaStepPayload } from "./sla-chain";

/** Statuses in which no owner has an SLA to keep: closed (outcomes.service CLOSED), junk, duplicate. */
const ENDED: readonly LeadStatus[] = [...CLOSED, "junk", "duplicate"];


export const slaStepHandler: JobHandler = {
  transactional: true,
  run: async (trx, jobs, { now }) => {
    const payloads = new Map(jobs.map((j) => [j.id, j.payload as SlaStepPayload]));
    const taskIds = [...new Set([...payloads.values()].map((p) => p.taskId))];
    const rows = taskIds.length
      ? await trx.selectFrom("lead_tasks as t").innerJoin("leads as l", "l.id", "t.lead_id")
        .leftJoin("teams as tm", "tm.id", "l.team_id")
        .select([
          "t.id as task_id", "t.status as task_status", "t.rep_id as task_rep_id", "t.created_at as task_created_at",
          "l.id as lead_id", "l.workspace_id", "l.status", "l.owner_rep_id", "l.first_touch_at", "l.decision", "l.decision_at", "l.closed_at", "l.route_path_key", "l.facts",
          "l.first_name", "l.last_name", "l.email", "l.company", "l.priority_tier", "l.team_id", "tm.manager_user_id", "tm.time_zone",
        ])
        .where("t.id", "in", taskIds).forUpdate("l").execute()
      : [];
    const byTask = new Map(rows.map((r) => [r.task_id, r]));
    const events: Array<Parameters<typeof insertEvents>[1][number]> = [];
    const notes: NotificationInput[] = [];
    const reassign: Array<{ job: ClaimedJob; row: (typeof rows)[number]; p: SlaStepPayload }> = [];
    const outcomes: JobOutcome[] = [];
    const repIds = new Set<string>();
    for (const job of jobs) {
      const p = payloads.get(job.id)!;
      const row = byTask.get(p.taskId);
      outcomes.push({ id: job.id, ok: true });
      if (!row) continue; // the lead is gone
      // Only what happened during this assignment counts: a lead re-routed after a wrong-owner rejection carries
      // that rejection (and perhaps a touch by its first owner), and its new owner's clock must still run.
      // (The rejection that re-routed it is stamped with the very instant of the new assignment: strictly after.)
      const since = new Date(row.task_created_at).getTime();
      const touchedSince = row.first_touch_at !== null && new Date(row.first_touch_at).getTime() >= since;
      const decidedSince = row.decision_at !== null && new Date(row.decision_at).getTime() > since;
      const stopped = row.task_status !== "open" || touchedSince ? "touched"
        : chainStopped({ ownerRepId: row.owner_rep_id, assignedAt: new Date(row.task_created_at), firstTouchAt: null, decision: decidedSince ? row.decision : null, closed: row.closed_at !== null || ENDED.includes(row.status) },
          { repId: p.repId, assignedAt: new Date(row.task_created_at) });
      if (stopped) continue;
      repIds.add(p.repId);
      if (p.step.kind === "reassign") reassign.push({ job, row, p });
      else events.push({ workspaceId: row.workspace_id, leadId: row.lead_id, type: p.step.kind === "remind" ? "sla_warning" : "sla_breached", at: now, repId: p.repId, data: { dueAt: p.dueAt, step: p.step, jobId: job.id } });
    }
    const users = await usersOfReps(trx, [...repIds]);
    const reps = repIds.size ? await trx.selectFrom("reps").select(["id", "name"]).where("id", "in", [...repIds]).execute() : [];
    const ownerName = (id: string) => reps.find((r) => r.id === id)?.name ?? "its owner";
    const firing = new Set(events.map((e) => e.data.jobId));
    const alerts: Alert[] = [];
    for (const job of jobs) {
      const p = payloads.get(job.id)!;
      const row = byTask.get(p.taskId);
      if (!row || !firing.has(job.id)) continue;
      const lead = alertLeadName(row);
      const due = formatDue(new Date(p.dueAt), row.time_zone ?? "UTC");
      const link = `/leads/${row.lead_id}`;
      const owners = users.get(p.repId) ?? [];
      const data = { leadId: row.lead_id, ownerRepId: p.repId, dueAt: p.dueAt, routePath: p.routeKey, step: p.step };
      if (p.step.kind === "remind") {
        const title = `Reminder: ${lead} is due ${due}`;
        const text = `${row.priority_tier ?? ""} lead on ${row.route_path_key ?? "its route"}: make the first touch before the SLA passes.`.trim();
        for (const userId of owners) notes.push({ workspaceId: row.workspace_id, userId, leadId: row.lead_id, kind: "sla_reminder", title, body: text, link });
        alerts.push({ workspaceId: row.workspace_id, leadId: row.lead_id, event: "sla.reminder", title, text, link, data });
      } else if (p.step.kind === "breach") {
        const title = `SLA passed: ${lead}`;
        const text = `${row.priority_tier ? `${row.priority_tier} lead` : "Lead"} on ${row.route_path_key ?? "its route"}, owned by ${ownerName(p.repId)}: it was due ${due} and has no first touch yet.`;
        for (const userId of owners) notes.push({ workspaceId: row.workspace_id, userId, leadId: row.lead_id, kind: "sla_breached", title, body: text, link });
        if (p.step.notifyManager && row.manager_user_id && !owners.includes(row.manager_user_id)) {
          notes.push({ workspaceId: row.workspace_id, userId: row.manager_user_id, leadId: row.lead_id, kind: "sla_breached", title: `SLA passed on your team: ${lead}`, body: `Due ${due}, untouched by its owner.`, link });
        }
        alerts.push({ workspaceId: row.workspace_id, leadId: row.lead_id, event: "sla.breached", title, text, link, data, teamChannel: p.step.notifyChannel ? row.team_id : null });
      }
    }
    await insertEvents(trx, events);
    await notifyInApp(trx, notes, now);
    await fanOut(trx, alerts, now);
    for (const r of reassign) await reassignLead(trx, r.row, r.p, now);
    return outcomes;
  },
};

async function insertEvents(trx: Transaction<Database>, events: Array<{ workspaceId: string; leadId: string; type: "sla_warning" | "sla_breached"; at: Date; repId: string; data: Record<string, unknown> }>) {
  if (!events.length) return;
  await trx.insertInto("lead_events").values(events.map((e) => ({
    workspace_id: e.workspaceId, lead_id: e.leadId, type: e.type, occurred_at: e.at, rep_id: e.repId, data: json(e.data),
  }))).execute();
}

async function reassignLead(
  trx: Transaction<Database>,
  row: { workspace_id: string; lead_id: string; route_path_key: string | null; facts: Record<string, unknown>; first_name: string | null; last_name: string | null; email: string | null; company: string | null },
  p: SlaStepPayload,
  now: Date,
) {
  if (p.step.kind !== "reassign") return;
  const ctx = await routingContext(trx, row.workspace_id);
  // The current owner's task is over, and with it their chain and their share of the open leads.
  await trx.updateTable("lead_tasks").set({ status: "cancelled", completed_at: now }).where("id", "=", p.taskId).execute();
  await trx.updateTable("jobs").set({ status: "cancelled", finished_at: now }).where("lead_id", "=", row.lead_id).where("kind", "=", "sla.step").where("status", "=", "queued").execute();
  await releaseAssignment(trx, row.workspace_id, row.lead_id, p.repId, "reassigned", now);
  const from = ctx.repsById.get(p.repId);
  // One SLA reassignment per lead: when a second owner lets it pass too, a human looks at it (review queue).
  const earlier = await trx.selectFrom("lead_events").select("id").where("lead_id", "=", row.lead_id).where("type", "=", "reassigned")
    .where("reason_code", "=", "sla_reassigned").limit(1).executeTakeFirst();
  const moved = await reroute(trx, ctx, row.workspace_id, row.lead_id, row, now, {
    reasonCode: "sla_reassigned", exclude: [p.repId], toReview: p.step.to === "review" || earlier !== undefined,
    why: `${from?.name ?? "The owner"} let the SLA pass (due ${p.dueAt}).`,
  });
  await trx.updateTable("leads").set({ ...moved.update, status: moved.status, updated_at: now }).where("id", "=", row.lead_id).execute();
  // The new owner was told by the reassignment itself (onOwnerAssigned); the one it was taken from is told here.
  const users = await usersOfReps(trx, [p.repId]);
  const lead = alertLeadName(row);
  const link = `/leads/${row.lead_id}`;
  const notes: NotificationInput[] = [];
  for (const userId of users.get(p.repId) ?? []) {
    notes.push({ workspaceId: row.workspace_id, userId, leadId: row.lead_id, kind: "sla_reassigned", title: `Taken from you: ${lead}`, body: moved.ownerRepId ? `The SLA passed; it now belongs to ${ctx.repsById.get(moved.ownerRepId)?.name ?? "another rep"}.` : "The SLA passed; it went to the review queue.", link });
  }
  await notifyInApp(trx, notes, now);
  await refreshLeadMetrics(trx, metricContextOf(ctx), [row.lead_id]);
}
