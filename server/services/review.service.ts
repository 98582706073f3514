/**
 * The review queue: leads that need a human (low confidence, no eligible owner, junk doubt, a failed step, no rule).
 * Ops assign them by hand, mark them junk, or correct the facts and re-route them by the published table. Every
 * action resolves the item, appends events, and corrections become labelled examples for the classifier.
 */
import "server-only";
import type { Kysely, Transaction } from "kysely";
import { z } from "zod";
import { json } from "@/db";
import type { Database } from "@/db/types";
import { addBusinessMinutes } from "@/lib/calendar";
import { evaluateTraced, firstOutputs } from "@/lib/decision-table";
import { CategoryKey } from "@/lib/classify/taxonomy";
import type { LeadFacts } from "@/lib/routing/facts";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import { place, saveAssignmentState, type Placement } from "./ingest/ingest-lead.service";
import { routingContext, type RoutingContext } from "./ingest/routing-context";
import { metricContextOf, refreshLeadMetrics } from "./metrics/lead-metrics";
import { startReviewClock } from "./sla/review-clock";
import { onOwnerAssigned } from "./sla/sla-chain";

export const ReviewCorrection = z.object({
  category: CategoryKey.optional(),
  employees: z.number().int().min(1, { error: "at least 1" }).max(10_000_000).nullable().optional(),
  country: z.string().regex(/^[A-Z]{2}$/, { error: "a 2-letter ISO country code" }).optional(),
  region: z.enum(["NA", "EMEA", "APAC", "LATAM"]).optional(),
  is_existing_customer: z.boolean().optional(),
  note: z.string().trim().max(1000).optional(),
});
export type ReviewCorrection = z.infer<typeof ReviewCorrection>;

interface Actor {
  userId: string;
  workspaceId: string;
}

async function openItem(trx: Transaction<Database>, workspaceId: string, leadId: string) {
  const lead = await trx.selectFrom("leads").selectAll().where("workspace_id", "=", workspaceId).where("id", "=", leadId).forUpdate().executeTakeFirst();
  if (!lead) throw new NotFoundError("Lead");
  const item = await trx.selectFrom("review_items").selectAll().where("lead_id", "=", leadId).where("status", "=", "open").executeTakeFirst();
  if (!item) throw new ConflictError("This lead is not waiting in the review queue (someone may have handled it already).");
  return { lead, item };
}

async function resolve(trx: Transaction<Database>, actor: Actor, itemId: string, leadId: string, now: Date, resolution: Record<string, unknown>) {
  await trx.updateTable("review_items").set({ status: "resolved", resolved_at: now, resolved_by: actor.userId, resolution: json(resolution) }).where("id", "=", itemId).execute();
  await trx.insertInto("lead_events").values({ workspace_id: actor.workspaceId, lead_id: leadId, type: "review_resolved", occurred_at: now, actor_user_id: actor.userId, data: json(resolution) }).execute();
}

function slaFor(ctx: RoutingContext, teamId: string, routeKey: string | null, now: Date): Date | null {
  const minutes = routeKey ? ctx.routes.get(routeKey)?.slaMinutes : null;
  if (!minutes) return null;
  try {
    return addBusinessMinutes(ctx.teamCalendars.get(teamId) ?? ctx.settings.reviewCalendar, now, minutes);
  } catch {
    return null;
  }
}

async function giveTo(trx: Transaction<Database>, ctx: RoutingContext, actor: Actor, leadId: string, name: string, repId: string, routeKey: string | null, reason: string, strategy: string, ticket: unknown, now: Date) {
  const rep = ctx.repsById.get(repId);
  if (!rep) throw new ValidationError("Unknown rep.", { repId: ["not a rep of this workspace"] });
  const due = slaFor(ctx, rep.teamId, routeKey, now);
  await trx.insertInto("lead_events").values([
    { workspace_id: actor.workspaceId, lead_id: leadId, type: "assigned", occurred_at: now, rep_id: repId, actor_user_id: actor.userId, data: json({ reason, strategy, ticket, slaDueAt: due?.toISOString() ?? null }) },
    { workspace_id: actor.workspaceId, lead_id: leadId, type: "task_created", occurred_at: now, rep_id: repId, data: json({ title: "First touch", dueAt: due?.toISOString() ?? null }) },
  ]).execute();
  const task = await trx.insertInto("lead_tasks").values({ workspace_id: actor.workspaceId, lead_id: leadId, rep_id: repId, kind: "first_touch", title: `First touch: ${name}`, due_at: due, created_at: now })
    .returning("id").executeTakeFirstOrThrow();
  await onOwnerAssigned(trx, ctx, { workspaceId: actor.workspaceId, leadId, taskId: task.id, repId, routeKey, assignedAt: now, dueAt: due }, now);
  await trx.updateTable("leads").set({
    status: "assigned", owner_rep_id: repId, first_owner_rep_id: (eb) => eb.fn.coalesce("first_owner_rep_id", eb.val(repId)),
    owner_queue: null, team_id: rep.teamId, assigned_at: (eb) => eb.fn.coalesce("assigned_at", eb.val(now)), sla_due_at: due, updated_at: now,
  }).where("id", "=", leadId).execute();
}

const nameOf = (l: { first_name: string | null; last_name: string | null; email: string | null }) => [l.first_name, l.last_name].filter(Boolean).join(" ") || l.email || "lead";

/** Ops hands the lead to a named rep. */
export async function assignFromReview(db: Kysely<Database>, actor: Actor, leadId: string, repId: string, now: Date) {
  const ctx = await routingContext(db, actor.workspaceId);
  const rep = ctx.repsById.get(repId);
  if (!rep) throw new ValidationError("Unknown rep.", { repId: ["not a rep of this workspace"] });
  if (!rep.active) throw new ValidationError("That rep is inactive.", { repId: ["is inactive"] });
  await db.transaction().execute(async (trx) => {
    const { lead, item } = await openItem(trx, actor.workspaceId, leadId);
    await resolve(trx, actor, item.id, leadId, now, { action: "assigned", repId });
    // The SLA of the route the table proposed (a lead held back by a guard counts under "review").
    const queued = await trx.selectFrom("lead_events").select("data").where("lead_id", "=", leadId).where("type", "=", "queued_for_review").orderBy("id", "desc").limit(1).executeTakeFirst();
    const proposed = (queued?.data as { proposedRoute?: string | null } | undefined)?.proposedRoute ?? null;
    const route = lead.route_path_key === "review" ? proposed : lead.route_path_key;
    await giveTo(trx, ctx, actor, leadId, nameOf(lead), repId, route, `Assigned by hand from the review queue (${humanReason(item.reason_code)})`, "manual", null, now);
    await refreshLeadMetrics(trx, metricContextOf(ctx), [leadId]);
  });
}

/** Ops confirms it is junk: it leaves the queue and never reaches a rep; the label trains the classifier. */
export async function markJunkFromReview(db: Kysely<Database>, actor: Actor, leadId: string, now: Date) {
  const ctx = await routingContext(db, actor.workspaceId);
  await db.transaction().execute(async (trx) => {
    const { lead, item } = await openItem(trx, actor.workspaceId, leadId);
    await resolve(trx, actor, item.id, leadId, now, { action: "junk" });
    await trx.insertInto("lead_events").values({ workspace_id: actor.workspaceId, lead_id: leadId, type: "junk_flagged", occurred_at: now, actor_user_id: actor.userId, reason_code: "manual", data: json({ reason: "Marked as junk in the review queue" }) }).execute();
    await trx.updateTable("leads").set({ status: "junk", is_junk: true, owner_queue: "junk", owner_rep_id: null, sla_due_at: null, updated_at: now }).where("id", "=", leadId).execute();
    if (lead.message) {
      await trx.insertInto("classification_labels").values({ workspace_id: actor.workspaceId, lead_id: leadId, text: lead.message, label: "spam", source: "review", created_by: actor.userId }).execute();
    }
    await refreshLeadMetrics(trx, metricContextOf(ctx), [leadId]);
  });
}

/**
 * Ops corrects facts (category, size, country, customer status) and re-routes by the published table. The route
 * path the lead counts under stays the one decided at ingestion; the new decision is a `rerouted` event.
 */
export async function correctAndReroute(db: Kysely<Database>, actor: Actor, leadId: string, raw: ReviewCorrection, now: Date) {
  const correction = ReviewCorrection.parse(raw);
  const ctx = await routingContext(db, actor.workspaceId);
  if (!ctx.table) throw new ConflictError("There is no published decision table to route by.");
  if (correction.category && !ctx.settings.classification.taxonomy.some((c) => c.key === correction.category)) {
    throw new ValidationError("The category is not in the workspace's taxonomy.", { category: ["choose a category from the taxonomy"] });
  }
  return db.transaction().execute(async (trx) => {
    const result = await correctAndRerouteIn(trx, ctx, actor, leadId, correction, now);
    await refreshLeadMetrics(trx, metricContextOf(ctx), [leadId]);
    return result;
  });
}

async function correctAndRerouteIn(trx: Transaction<Database>, ctx: RoutingContext, actor: Actor, leadId: string, correction: ReviewCorrection, now: Date) {
    const { lead, item } = await openItem(trx, actor.workspaceId, leadId);
    const before = lead.facts as LeadFacts;
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const facts: LeadFacts = { ...before };
    for (const key of ["category", "employees", "country", "region", "is_existing_customer"] as const) {
      if (correction[key] !== undefined && correction[key] !== before[key]) {
        changes[key] = { from: before[key] ?? null, to: correction[key] };
        (facts as Record<string, unknown>)[key] = correction[key];
      }
    }
    if (correction.category) {
      // A human decided the category: it is no longer AI-derived, so the confidence guard does not apply.
      facts.confidence = null;
      facts.classifier = "human";
      facts.ai_fields = (facts.ai_fields ?? []).filter((f) => f !== "category" && f !== "confidence");
    }
    if (Object.keys(changes).length) {
      await trx.insertInto("lead_events").values({ workspace_id: actor.workspaceId, lead_id: leadId, type: "fact_corrected", occurred_at: now, actor_user_id: actor.userId, data: json({ changes, note: correction.note ?? null }) }).execute();
    }
    if (correction.category && lead.message) {
      await trx.insertInto("classification_labels").values({ workspace_id: actor.workspaceId, lead_id: leadId, text: lead.message, label: correction.category, source: "review", created_by: actor.userId }).execute();
    }

    const traced = evaluateTraced(ctx.table!.compiled, facts as Record<string, unknown>);
    const outputs = firstOutputs(traced);
    const routeKey = typeof outputs?.route === "string" ? outputs.route : null;
    const route = routeKey ? ctx.routes.get(routeKey) ?? null : null;
    await trx.insertInto("lead_events").values({
      workspace_id: actor.workspaceId, lead_id: leadId, type: "rerouted", occurred_at: now, actor_user_id: actor.userId,
      data: json({ ruleId: traced.ruleIds[0] ?? null, route: routeKey, tableVersion: ctx.table!.version, trace: traced.rules.map((r) => ({ ruleId: r.ruleId, matched: r.matched, failed: r.failed ? { field: r.failed.field, cell: r.failed.cell, value: r.failed.value } : undefined })) }),
    }).execute();
    await trx.updateTable("leads").set({ facts: json(facts), category: facts.category ?? null, category_confidence: facts.confidence ?? null, classifier: facts.classifier ?? null, updated_at: now }).where("id", "=", leadId).execute();

    if (!route || route.kind === "review") {
      // Still needs a human: keep the item open with the new reason.
      const text = !route ? `Re-routing found no route (${routeKey ?? "no rule matched"})` : `Rule ${traced.ruleIds[0]} sends it to review`;
      await trx.updateTable("review_items").set({ reason_text: text }).where("id", "=", item.id).execute();
      return { outcome: "still_in_review" as const, route: routeKey };
    }
    await resolve(trx, actor, item.id, leadId, now, { action: "rerouted", route: route.key, changes });
    if (route.kind === "junk" || route.kind === "nurture") {
      await trx.updateTable("leads").set({ status: route.kind === "junk" ? "junk" : "queued", owner_queue: route.kind, owner_rep_id: null, sla_due_at: null, updated_at: now }).where("id", "=", leadId).execute();
      return { outcome: route.kind, route: route.key };
    }
    const account = lead.account_id ? await trx.selectFrom("accounts").select("owner_rep_id").where("id", "=", lead.account_id).executeTakeFirst() : undefined;
    const { placement, state } = await place(trx, ctx, actor.workspaceId, {
      route, review: null, facts, accountOwnerRepId: account?.owner_rep_id ?? null, explicitOwnerRepId: null, tableVersionId: ctx.table!.versionId,
      ruleId: traced.ruleIds[0] ?? null, name: nameOf(lead),
    }, now);
    if (state) await saveAssignmentState(trx, actor.workspaceId, state, now);
    return placeOrQueue(trx, ctx, actor, leadId, nameOf(lead), route.key, placement, now);
}

async function placeOrQueue(trx: Transaction<Database>, ctx: RoutingContext, actor: Actor, leadId: string, name: string, routeKey: string, placement: Placement, now: Date) {
  if (placement.kind === "rep") {
    const ticket = placement.result?.kind === "rep" ? placement.result.ticket : null;
    await giveTo(trx, ctx, actor, leadId, name, placement.repId, routeKey, placement.reason, placement.strategy, ticket, now);
    return { outcome: "assigned" as const, route: routeKey, repId: placement.repId };
  }
  // No eligible owner: back into the queue with that reason.
  const text = placement.reviewReason?.text ?? "No eligible owner";
  await trx.insertInto("review_items").values({ workspace_id: actor.workspaceId, lead_id: leadId, reason_code: "no_eligible_owner", reason_text: text, entered_at: now, due_at: null }).execute();
  await startReviewClock(trx, ctx, { workspaceId: actor.workspaceId, leadId, now });
  await trx.insertInto("lead_events").values({ workspace_id: actor.workspaceId, lead_id: leadId, type: "queued_for_review", occurred_at: now, reason_code: "no_eligible_owner", data: json({ reason: text }) }).execute();
  return { outcome: "still_in_review" as const, route: routeKey };
}

const REASONS: Record<string, string> = {
  low_confidence: "low classifier confidence",
  no_eligible_owner: "no eligible owner",
  junk_doubt: "junk doubt",
  pipeline_error: "a failed step",
  no_rule_matched: "no rule matched",
  table_error: "a table error",
  unknown_route: "an unknown route path",
  no_published_table: "no published table",
  table_review: "the table sent it to review",
};

export function humanReason(code: string): string {
  return REASONS[code] ?? code.replace(/_/g, " ");
}
