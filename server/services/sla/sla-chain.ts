/**
 * Starting an SLA clock: every first-touch task with a due time gets its route path's escalation chain
 * (lib/sla/escalation.ts) as jobs, enqueued in the transaction that creates the task — an acknowledged lead never
 * lacks its clock, and a rolled-back assignment leaves none behind. The task is the chain's identity: a step fires
 * only while its task is open and its rep still owns the lead (sla-steps.ts).
 */
import "server-only";
import type { Transaction } from "kysely";
import type { Database } from "@/db/types";
import { DEFAULT_ESCALATION, scheduleChain, type EscalationStep } from "@/lib/sla/escalation";
import { cancelLeadJobs, enqueueJobs } from "../../repositories/jobs.repository";
import type { RoutingContext } from "../ingest/routing-context";
import { activeHooks, fanOut } from "../notifications/channels";
import { alertLeadName, formatDue, notifyInApp, usersOfReps } from "../notifications/notify.service";

export const SLA_STEP_JOB = "sla.step";

export interface SlaStepPayload {
  taskId: string;
  repId: string;
  stepIndex: number;
  step: EscalationStep;
  /** The SLA due time of the assignment (ISO). */
  dueAt: string;
  routeKey: string;
  [key: string]: unknown;
}

export interface ChainStart {
  workspaceId: string;
  leadId: string;
  taskId: string;
  repId: string;
  routeKey: string | null;
  assignedAt: Date;
  dueAt: Date | null;
}

/** Enqueues the chain of a new first-touch task; returns the steps scheduled (none without an SLA). */
export async function startSlaChain(trx: Transaction<Database>, ctx: RoutingContext, a: ChainStart): Promise<number> {
  if (!a.dueAt || !a.routeKey) return 0;
  const route = ctx.routes.get(a.routeKey);
  const rep = ctx.repsById.get(a.repId);
  if (!route?.slaMinutes || !rep) return 0;
  const calendar = ctx.teamCalendars.get(rep.teamId) ?? ctx.settings.reviewCalendar;
  let steps;
  try {
    steps = scheduleChain(route.escalation ?? DEFAULT_ESCALATION, { assignedAt: a.assignedAt, dueAt: a.dueAt, slaMinutes: route.slaMinutes, calendar });
  } catch {
    return 0; // a calendar with no open hours has no business-time instants (the SLA due time was not set either)
  }
  return enqueueJobs(trx, steps.map((s) => ({
    workspaceId: a.workspaceId, kind: SLA_STEP_JOB, leadId: a.leadId, runAt: s.at, dedupeKey: `sla:${a.taskId}:${s.index}`,
    payload: { taskId: a.taskId, repId: a.repId, stepIndex: s.index, step: s.step, dueAt: a.dueAt!.toISOString(), routeKey: a.routeKey! } satisfies SlaStepPayload,
  })));
}

/**
 * A lead has a new owner (at ingestion, from the review queue, by a reassignment or a re-route): the owner is told
 * (in-app, and the workspace's webhooks get lead.assigned / lead.reassigned with the owner and the first-touch task:
 * what a CRM needs to set the owner and create the task), and their SLA clock starts. In the assignment's
 * transaction.
 */
export async function onOwnerAssigned(trx: Transaction<Database>, ctx: RoutingContext, a: ChainStart & { reassigned?: boolean }, now: Date): Promise<void> {
  const rep = ctx.repsById.get(a.repId);
  const [users, hooks] = await Promise.all([
    usersOfReps(trx, [a.repId]),
    activeHooks(trx, a.workspaceId),
  ]);
  const recipients = users.get(a.repId) ?? [];
  if (recipients.length || hooks.length) {
    const lead = await trx.selectFrom("leads").select(["first_name", "last_name", "email", "company", "priority_tier"]).where("id", "=", a.leadId).executeTakeFirst();
    const name = lead ? alertLeadName(lead) : "a lead";
    const zone = rep ? ctx.teamCalendars.get(rep.teamId)?.timeZone ?? ctx.settings.timeZone : ctx.settings.timeZone;
    const route = a.routeKey ? ctx.routes.get(a.routeKey) : undefined;
    const title = `New lead for you: ${name}`;
    const text = `${lead?.priority_tier ? `${lead.priority_tier} · ` : ""}${route?.name ?? "no route path"}${a.dueAt ? ` · first touch due ${formatDue(a.dueAt, zone)}` : ""}`;
    const link = `/leads/${a.leadId}`;
    await notifyInApp(trx, recipients.map((userId) => ({ workspaceId: a.workspaceId, userId, leadId: a.leadId, kind: "lead_assigned", title, body: text, link })), now);
    if (hooks.length) {
      await fanOut(trx, [{
        workspaceId: a.workspaceId, leadId: a.leadId, event: a.reassigned ? "lead.reassigned" : "lead.assigned", title, text, link,
        data: {
          leadId: a.leadId, routePath: a.routeKey, priorityTier: lead?.priority_tier ?? null,
          owner: rep ? { id: rep.id, name: rep.name, email: rep.email } : { id: a.repId },
          task: { id: a.taskId, title: "First touch", dueAt: a.dueAt?.toISOString() ?? null },
          contact: lead ? { firstName: lead.first_name, lastName: lead.last_name, email: lead.email, company: lead.company } : null,
        },
      }], now, new Map([[a.workspaceId, hooks]]));
    }
  }
  await startSlaChain(trx, ctx, a);
}

/** A touch, a decision, a close or a reassignment: the lead's pending SLA steps are moot. */
export function stopSlaChains(trx: Transaction<Database>, leadId: string, now: Date): Promise<number> {
  return cancelLeadJobs(trx, leadId, [SLA_STEP_JOB], now);
}
