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

/** A touch, a decision, a close or a reassignment: the lead's pending SLA steps are moot. */
export function stopSlaChains(trx: Transaction<Database>, leadId: string, now: Date): Promise<number> {
  return cancelLeadJobs(trx, leadId, [SLA_STEP_JOB], now);
}
