/**
 * Outcome events for a lead — first touch, accept, reject (with a reason), reassign, meeting, opportunity, close —
 * from the API (POST /api/v1/leads/{id}/events) and from the rep's inbox alike: one service, so both behave the same.
 *
 * Each event is idempotent by the sender's event id, validated against the lead's state, appended to the log, and
 * the lead's outcome columns are recomputed from all its events in occurred-at order (late arrivals land right).
 * A rejection with a wrong-owner reason re-routes the lead by the route's strategy, excluding everyone who turned it
 * down, or sends it to the review queue; it counts toward the wrong-assignment rate either way.
 */
import "server-only";
import type { Kysely, Transaction } from "kysely";
import { json } from "@/db";
import type { Database, LeadStatus } from "@/db/types";
import { recordOutcome, type AssignmentTicket } from "@/lib/assignment";
import { addBusinessMinutes } from "@/lib/calendar";
import type { OutcomeEventInput } from "@/lib/ingest/lead-input";
import { isWrongOwnerReason } from "@/lib/metrics/definitions";
import type { LeadFacts } from "@/lib/routing/facts";
import { projectOutcomes } from "@/lib/routing/projection";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { lockAssignmentState, place, saveAssignmentState } from "./ingest/ingest-lead.service";
import { routingContext, type RoutingContext } from "./ingest/routing-context";
import { metricContextOf, refreshLeadMetrics } from "./metrics/lead-metrics";
import { startReviewClock } from "./sla/review-clock";
import { onOwnerAssigned, stopSlaChains } from "./sla/sla-chain";

export interface OutcomeActor {
  userId?: string | null;
  /** For sales users: they may only act on leads they own. */
  repId?: string | null;
  restrictToOwnLeads?: boolean;
}

export interface OutcomeResult {
  leadId: string;
  eventId: number;
  replayed: boolean;
  status: LeadStatus;
  ownerRepId: string | null;
  /** Set when a wrong-owner rejection re-routed the lead. */
  reroutedTo: { repId: string; name: string } | { queue: string } | null;
}

export const CLOSED: readonly LeadStatus[] = ["won", "lost", "disqualified", "closed"];
/** Outcome events after which the current owner's SLA chain has nothing left to do. */
const STOPS_SLA = new Set<string>(["first_touch", "accepted", "rejected", "reassigned", "closed_won", "closed_lost"]);
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export async function recordLeadOutcome(
  deps: { db: Kysely<Database>; now: () => Date },
  workspaceId: string,
  leadId: string,
  input: OutcomeEventInput,
  actor: OutcomeActor = {},
): Promise<OutcomeResult> {
  const now = deps.now();
  const ctx = await routingContext(deps.db, workspaceId);
  return deps.db.transaction().execute(async (trx) => {
    const lead = await trx
      .selectFrom("leads")
      .select(["id", "status", "owner_rep_id", "route_path_key", "received_at", "facts", "account_id", "first_name", "last_name", "email"])
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", leadId)
      .forUpdate()
      .executeTakeFirst();
    if (!lead || (actor.restrictToOwnLeads && lead.owner_rep_id !== actor.repId)) throw new NotFoundError("Lead");

    if (input.eventId) {
      const existing = await trx.selectFrom("lead_events").select(["id", "type"]).where("lead_id", "=", leadId).where("external_id", "=", input.eventId).executeTakeFirst();
      if (existing) {
        if (existing.type !== input.type) throw new ConflictError(`Event id ${input.eventId} was already used for a ${existing.type} event on this lead.`);
        return { leadId, eventId: existing.id, replayed: true, status: lead.status, ownerRepId: lead.owner_rep_id, reroutedTo: null };
      }
    }

    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
    if (occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw new ValidationError("The event is in the future.", { occurredAt: ["is in the future"] });
    if (occurredAt < lead.received_at) throw new ValidationError("The event is before the lead was received.", { occurredAt: [`is before the lead was received (${lead.received_at.toISOString()})`] });
    if (lead.status === "new") throw new ConflictError("The lead is still being routed; retry in a moment.");
    if (lead.status === "junk" || lead.status === "duplicate") throw new ConflictError(`A ${lead.status} lead takes no outcome events.`);
    if (CLOSED.includes(lead.status) && input.type !== "closed_won" && input.type !== "closed_lost" && input.type !== "opportunity_created") {
      throw new ConflictError(`The lead is already ${lead.status}.`);
    }

    const repFromEmail = input.repEmail ? ctx.repsByEmail.get(input.repEmail.toLowerCase()) ?? null : null;
    if (input.repEmail && !repFromEmail) throw new ValidationError("Unknown rep.", { repEmail: [`no rep with the email ${input.repEmail}`] });
    const actingRep = repFromEmail ?? actor.repId ?? lead.owner_rep_id;

    if ((input.type === "accepted" || input.type === "rejected") && !lead.owner_rep_id) {
      throw new ConflictError("Only an assigned lead can be accepted or rejected; this one has no owner.");
    }
    if ((input.type === "accepted" || input.type === "rejected") && actingRep !== lead.owner_rep_id) {
      throw new ConflictError("Only the lead's current owner can accept or reject it.");
    }
    if ((input.type === "opportunity_created" || input.type === "closed_won") && input.amount !== undefined) {
      if (input.currency && input.currency !== ctx.settings.currency) {
        throw new ValidationError("Currency mismatch.", { currency: [`this workspace reports in ${ctx.settings.currency}`] });
      }
    }
    if (input.type === "reassigned") {
      const target = ctx.repsById.get(repFromEmail!);
      if (!target?.active) throw new ValidationError("The new owner is not an active rep.", { repEmail: ["is not an active rep"] });
      if (repFromEmail === lead.owner_rep_id) throw new ConflictError("The lead already belongs to that rep.");
    }

    // A reassignment starts the new owner's SLA clock; the event carries its due time like an assignment does.
    const reassignTo = input.type === "reassigned" ? ownerFields(ctx, ctx.repsById.get(repFromEmail!)!.id, lead.route_path_key, now) : null;

    const inserted = await trx
      .insertInto("lead_events")
      .values({
        workspace_id: workspaceId, lead_id: leadId, type: input.type, occurred_at: occurredAt, external_id: input.eventId ?? null,
        rep_id: input.type === "reassigned" ? repFromEmail : actingRep, actor_user_id: actor.userId ?? null,
        reason_code: input.reasonCode ?? null, amount: input.amount ?? null,
        currency: input.amount !== undefined ? input.currency ?? ctx.settings.currency : null,
        data: json({
          comment: input.comment ?? null,
          from: input.type === "reassigned" ? lead.owner_rep_id : undefined,
          slaDueAt: reassignTo ? (reassignTo.sla_due_at as Date | null)?.toISOString() ?? null : undefined,
        }),
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    // A touch, a decision, a close or a move to another owner stops the current owner's SLA chain (a new owner's
    // chain starts below).
    if (STOPS_SLA.has(input.type)) await stopSlaChains(trx, leadId, now);

    let ownerRepId = lead.owner_rep_id;
    let routingStatus: LeadStatus | null = null;
    let reroutedTo: OutcomeResult["reroutedTo"] = null;
    const leadUpdate: Record<string, unknown> = {};

    if (input.type === "reassigned") {
      const target = ctx.repsById.get(repFromEmail!)!;
      await releaseAssignment(trx, workspaceId, leadId, lead.owner_rep_id, isWrongOwnerReason(input.reasonCode) ? "reassigned_refund" : "reassigned", now);
      ownerRepId = target.id;
      routingStatus = "assigned";
      // A lead moved to a named rep no longer waits for a human in the review queue.
      const resolved = await trx.updateTable("review_items").set({ status: "resolved", resolved_at: now, resolved_by: actor.userId ?? null, resolution: json({ action: "reassigned", repId: target.id }) })
        .where("lead_id", "=", leadId).where("status", "=", "open").executeTakeFirst();
      if (resolved.numUpdatedRows > 0n) {
        await trx.insertInto("lead_events").values({ workspace_id: workspaceId, lead_id: leadId, type: "review_resolved", occurred_at: now, actor_user_id: actor.userId ?? null, data: json({ action: "reassigned", repId: target.id }) }).execute();
      }
      Object.assign(leadUpdate, reassignTo);
      const task = await trx.insertInto("lead_tasks").values({ workspace_id: workspaceId, lead_id: leadId, rep_id: target.id, kind: "first_touch", title: `Reassigned to you: ${displayName(lead)}`, due_at: (leadUpdate.sla_due_at as Date | null) ?? null, created_at: now })
        .returning("id").executeTakeFirstOrThrow();
      await onOwnerAssigned(trx, ctx, { workspaceId, leadId, taskId: task.id, repId: target.id, routeKey: lead.route_path_key, assignedAt: now, dueAt: (leadUpdate.sla_due_at as Date | null) ?? null, reassigned: true }, now);
    }

    if (input.type === "rejected") {
      await releaseAssignment(trx, workspaceId, leadId, lead.owner_rep_id, "rejected", now);
      if (isWrongOwnerReason(input.reasonCode)) {
        const rerouted = await reroute(trx, ctx, workspaceId, leadId, lead, now, { reasonCode: "rejected_reroute" });
        ownerRepId = rerouted.ownerRepId;
        routingStatus = rerouted.status;
        reroutedTo = rerouted.to;
        Object.assign(leadUpdate, rerouted.update);
      }
    }

    if (input.type === "first_touch" || input.type === "accepted" || input.type === "rejected" || input.type === "closed_won" || input.type === "closed_lost") {
      await trx.updateTable("lead_tasks").set({ status: input.type === "first_touch" || input.type === "accepted" ? "done" : "cancelled", completed_at: now })
        .where("lead_id", "=", leadId).where("status", "=", "open").where("rep_id", "=", lead.owner_rep_id ?? "00000000-0000-0000-0000-000000000000").execute();
    }

    // Recompute the outcome columns from every event, in occurred-at order.
    const events = await trx.selectFrom("lead_events").select(["type", "occurred_at", "rep_id", "reason_code", "amount"]).where("lead_id", "=", leadId).orderBy("occurred_at").orderBy("id").execute();
    const p = projectOutcomes(events.map((e) => ({ type: e.type, occurredAt: e.occurred_at, repId: e.rep_id, reasonCode: e.reason_code, amount: e.amount })));
    const status: LeadStatus = p.status === "rejected" && routingStatus ? routingStatus : p.status ?? routingStatus ?? lead.status;
    if (CLOSED.includes(status) && !CLOSED.includes(lead.status) && ownerRepId) {
      await releaseAssignment(trx, workspaceId, leadId, ownerRepId, "closed", now);
    }
    await trx.updateTable("leads").set({
      ...leadUpdate,
      status,
      first_touch_at: p.firstTouchAt,
      decision: p.decision,
      decision_at: p.decisionAt,
      meeting_booked_at: p.meetingBookedAt,
      opportunity_created_at: p.opportunityCreatedAt,
      opportunity_amount: p.opportunityAmount,
      closed_at: p.closedAt,
      ever_wrong_assigned: p.everWrongAssigned,
      updated_at: now,
    }).where("id", "=", leadId).execute();
    await refreshLeadMetrics(trx, metricContextOf(ctx), [leadId]);

    return { leadId, eventId: inserted.id, replayed: false, status, ownerRepId, reroutedTo };
  });
}

function displayName(lead: { first_name: string | null; last_name: string | null; email: string | null }): string {
  return [lead.first_name, lead.last_name].filter(Boolean).join(" ") || lead.email || "lead";
}

function ownerFields(ctx: RoutingContext, repId: string, routeKey: string | null, now: Date): Record<string, unknown> {
  const rep = ctx.repsById.get(repId)!;
  const route = routeKey ? ctx.routes.get(routeKey) : undefined;
  const calendar = ctx.teamCalendars.get(rep.teamId) ?? ctx.settings.reviewCalendar;
  let due: Date | null = null;
  if (route?.slaMinutes) {
    try {
      due = addBusinessMinutes(calendar, now, route.slaMinutes);
    } catch {
      due = null;
    }
  }
  return { owner_rep_id: repId, owner_queue: null, team_id: rep.teamId, sla_due_at: due };
}

/** The ticket of the rep's latest assignment of this lead, to undo its share exactly (or the rep id alone). */
export async function releaseAssignment(
  trx: Transaction<Database>,
  workspaceId: string,
  leadId: string,
  repId: string | null,
  how: "rejected" | "reassigned" | "reassigned_refund" | "closed",
  now: Date,
): Promise<void> {
  if (!repId) return;
  const assigned = await trx
    .selectFrom("lead_events")
    .select("data")
    .where("lead_id", "=", leadId)
    .where("type", "in", ["assigned", "reassigned"])
    .where("rep_id", "=", repId)
    .orderBy("occurred_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  const ticket = (assigned?.data as { ticket?: AssignmentTicket | null } | undefined)?.ticket ?? null;
  // Only assignments the ledger counted (they carry a ticket) are released: a hand assignment, an explicit owner or
  // a reassignment by name was never counted, and releasing it would push the rep's open count below the truth.
  if (!ticket || ticket.repId !== repId) return;
  const state = await lockAssignmentState(trx, workspaceId);
  recordOutcome(state, ticket, how === "reassigned_refund" ? "rejected" : how === "closed" ? "closed" : how);
  await saveAssignmentState(trx, workspaceId, state, now);
}

/**
 * Away from its owner — after a wrong-owner rejection (reasonCode rejected_reroute) or an SLA left to pass
 * (sla_reassigned): the next eligible owner by the route's strategy, never one who rejected it or is excluded, or
 * the review queue (also when `toReview`). The new owner's task gets its SLA chain. The caller writes `update`
 * and the status into the lead.
 */
export async function reroute(
  trx: Transaction<Database>,
  ctx: RoutingContext,
  workspaceId: string,
  leadId: string,
  lead: { route_path_key: string | null; facts: Record<string, unknown>; first_name: string | null; last_name: string | null; email: string | null },
  now: Date,
  opts: { reasonCode: "rejected_reroute" | "sla_reassigned"; exclude?: readonly string[]; toReview?: boolean; why?: string },
): Promise<{ ownerRepId: string | null; status: LeadStatus; to: OutcomeResult["reroutedTo"]; update: Record<string, unknown> }> {
  let placement: Awaited<ReturnType<typeof place>>["placement"] | null = null;
  if (!opts.toReview) {
    const rejectedBy = await trx.selectFrom("lead_events").select("rep_id").where("lead_id", "=", leadId).where("type", "=", "rejected").where("rep_id", "is not", null).execute();
    const account = await trx.selectFrom("leads as l").leftJoin("accounts as a", "a.id", "l.account_id").select("a.owner_rep_id").where("l.id", "=", leadId).executeTakeFirst();
    const route = lead.route_path_key ? ctx.routes.get(lead.route_path_key) ?? null : null;
    const placed = await place(trx, ctx, workspaceId, {
      route, review: null, facts: lead.facts as LeadFacts, accountOwnerRepId: account?.owner_rep_id ?? null, explicitOwnerRepId: null,
      tableVersionId: null, ruleId: null, name: displayName(lead), excludeRepIds: [...rejectedBy.map((r) => r.rep_id!), ...(opts.exclude ?? [])],
    }, now);
    if (placed.state) await saveAssignmentState(trx, workspaceId, placed.state, now);
    placement = placed.placement;
  }
  if (placement?.kind === "rep") {
    const update = ownerFields(ctx, placement.repId, lead.route_path_key, now);
    const dueAt = (update.sla_due_at as Date | null) ?? null;
    await trx.insertInto("lead_events").values({
      workspace_id: workspaceId, lead_id: leadId, type: "reassigned", occurred_at: now, rep_id: placement.repId, reason_code: opts.reasonCode,
      data: json({ reason: opts.why ? `${opts.why} ${placement.reason}` : placement.reason, strategy: placement.strategy, ticket: placement.result?.kind === "rep" ? placement.result.ticket : null, slaDueAt: dueAt?.toISOString() ?? null }),
    }).execute();
    const title = opts.reasonCode === "sla_reassigned" ? `Reassigned to you (SLA passed): ${displayName(lead)}` : `Re-routed to you: ${displayName(lead)}`;
    const task = await trx.insertInto("lead_tasks").values({ workspace_id: workspaceId, lead_id: leadId, rep_id: placement.repId, kind: "first_touch", title, due_at: dueAt, created_at: now })
      .returning("id").executeTakeFirstOrThrow();
    await onOwnerAssigned(trx, ctx, { workspaceId, leadId, taskId: task.id, repId: placement.repId, routeKey: lead.route_path_key, assignedAt: now, dueAt, reassigned: true }, now);
    return { ownerRepId: placement.repId, status: "assigned", to: { repId: placement.repId, name: ctx.repsById.get(placement.repId)?.name ?? "" }, update };
  }
  const fallback = opts.reasonCode === "sla_reassigned"
    ? { code: "sla_escalated", text: opts.toReview ? "The owner let the SLA pass: escalated to the review queue" : "The owner let the SLA pass and no other owner is eligible" }
    : { code: "no_eligible_owner", text: "No other eligible owner after the rejection" };
  const reason = placement?.kind === "queue" && placement.reviewReason ? placement.reviewReason : fallback;
  await trx.insertInto("lead_events").values({ workspace_id: workspaceId, lead_id: leadId, type: "queued_for_review", occurred_at: now, reason_code: reason.code, data: json({ reason: reason.text }) }).execute();
  await trx.insertInto("review_items").values({ workspace_id: workspaceId, lead_id: leadId, reason_code: reason.code, reason_text: reason.text, entered_at: now, due_at: null })
    .onConflict((oc) => oc.column("lead_id").where("status", "=", "open").doNothing()).execute();
  await startReviewClock(trx, ctx, { workspaceId, leadId, now });
  return { ownerRepId: null, status: "in_review", to: { queue: "review" }, update: { owner_rep_id: null, owner_queue: "review", team_id: null, sla_due_at: null, ever_in_review: true, review_reason: reason.text } };
}
