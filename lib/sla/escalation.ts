/**
 * SLA escalation chains: what happens to an assigned lead nobody touches, and when. Each route path may configure
 * its own chain (route_paths.escalation); an empty configuration means the default chain:
 *
 *   remind the owner at 50% of the SLA → at the due time, record the breach and notify the team's manager and
 *   channel → after a further 60 business minutes, reassign to the next eligible rep by the route's strategy.
 *
 * Instants are business time in the owner team's calendar (the SLA's own calendar): a reminder at 50% of a 60-minute
 * SLA assigned at 16:50 on a Friday of a 9–17 calendar fires at 09:20 on Monday. A first touch, accept or reject
 * stops the chain; so does any reassignment (the new owner gets a chain of their own).
 *
 * Pure: the caller passes the calendar and the instants.
 */
import { z } from "zod";
import { addBusinessMinutes } from "../calendar/business-time";
import type { BusinessCalendar } from "../calendar/calendar.schema";

export const EscalationStep = z.discriminatedUnion("kind", [
  /** A reminder to the owner once this share of the SLA's business minutes has passed. */
  z.object({ kind: z.literal("remind"), atPercent: z.number({ error: "Enter a percentage." }).int("Use a whole percentage.").min(1, "At least 1%.").max(99, "At most 99% (100% is the breach).") }),
  /** At the due time: write sla_breached; notify the owner, and the team's manager and channel when asked. */
  z.object({ kind: z.literal("breach"), notifyManager: z.boolean(), notifyChannel: z.boolean() }),
  /** After `graceMinutes` business minutes past the due time: to the next eligible rep, or to the review queue. */
  z.object({
    kind: z.literal("reassign"),
    graceMinutes: z.number({ error: "Enter minutes." }).int("Use whole minutes.").min(0, "Not negative.").max(10_080, "At most a week (10,080 minutes)."),
    to: z.enum(["next_rep", "review"], { error: "Reassign to the next rep or to the review queue." }),
  }),
]);
export type EscalationStep = z.infer<typeof EscalationStep>;

export const EscalationChain = z.object({
  steps: z.array(EscalationStep).max(6, "At most 6 steps.")
    .refine((steps) => steps.filter((s) => s.kind === "breach").length <= 1, "At most one breach step.")
    .refine((steps) => steps.filter((s) => s.kind === "reassign").length <= 1, "At most one reassign step."),
});
export type EscalationChain = z.infer<typeof EscalationChain>;

export const DEFAULT_ESCALATION: EscalationChain = {
  steps: [
    { kind: "remind", atPercent: 50 },
    { kind: "breach", notifyManager: true, notifyChannel: true },
    { kind: "reassign", graceMinutes: 60, to: "next_rep" },
  ],
};

/** The chain a route path's stored configuration means: its own when it has steps, else the default. */
export function escalationChain(stored: unknown): EscalationChain {
  if (stored && typeof stored === "object" && "steps" in stored) {
    const parsed = EscalationChain.safeParse(stored);
    if (parsed.success) return parsed.data;
  }
  return DEFAULT_ESCALATION;
}

export interface ScheduledStep {
  /** Position of the step in the chain (a job's identity together with the lead and the assignment). */
  index: number;
  step: EscalationStep;
  at: Date;
}

/**
 * When each step of `chain` fires for an assignment at `assignedAt` with `slaMinutes` business minutes, due at
 * `dueAt`, in `calendar`. Steps come back in firing order (ties keep the chain's order).
 */
export function scheduleChain(chain: EscalationChain, a: { assignedAt: Date; dueAt: Date; slaMinutes: number; calendar: BusinessCalendar }): ScheduledStep[] {
  const out = chain.steps.map((step, index): ScheduledStep => {
    switch (step.kind) {
      case "remind":
        return { index, step, at: addBusinessMinutes(a.calendar, a.assignedAt, Math.round((a.slaMinutes * step.atPercent) / 100)) };
      case "breach":
        return { index, step, at: a.dueAt };
      case "reassign":
        return { index, step, at: step.graceMinutes === 0 ? a.dueAt : addBusinessMinutes(a.calendar, a.dueAt, step.graceMinutes) };
    }
  });
  return out.sort((x, y) => x.at.getTime() - y.at.getTime() || x.index - y.index);
}

/** What a lead looks like when a step comes due: the step fires only while this is still the assignment it was for. */
export interface ChainSubject {
  ownerRepId: string | null;
  assignedAt: Date | null;
  firstTouchAt: Date | null;
  decision: "accepted" | "rejected" | null;
  closed: boolean;
}

/** Why a due step does not fire, or null when it does. */
export function chainStopped(lead: ChainSubject, forAssignment: { repId: string; assignedAt: Date }): "touched" | "decided" | "closed" | "reassigned" | null {
  if (lead.ownerRepId !== forAssignment.repId || lead.assignedAt?.getTime() !== forAssignment.assignedAt.getTime()) return "reassigned";
  if (lead.closed) return "closed";
  if (lead.decision !== null) return "decided";
  if (lead.firstTouchAt !== null) return "touched";
  return null;
}
