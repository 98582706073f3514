/**
 * Live ingestion: capture → validate/normalise → junk check → dedupe → enrich → classify → score → decide → assign →
 * trigger, for one lead (DESIGN.md "The pipeline").
 *
 * Durability: the capture transaction commits the raw payload and the lead row (status "new") before anything else
 * can fail; a crash after that leaves a "new" lead that `recoverUnprocessedLeads` finishes. Idempotency: the
 * sender's event id is a unique key per workspace, so a retry — even ten at once — finds the one lead and returns its
 * result. The pipeline's results are written in one transaction guarded by `status = 'new'`, so a lead is routed at
 * most once even if two processes race on it. Every step appends an event with what it saw, what it decided, how
 * long it took and any error: that log is the lead's decision trace.
 */
import "server-only";
import { sql, type Insertable, type Kysely } from "kysely";
import { json } from "@/db";
import type { Database, LeadEventType, LeadStatus, LeadTasksTable, NewLeadEvent, ReviewItemsTable } from "@/db/types";
import { recordOutcome, serializeState, type AssignmentResult, type AssignmentState, type Destination } from "@/lib/assignment";
import { addBusinessMinutes, type BusinessCalendar } from "@/lib/calendar";
import { decideRoute } from "@/lib/routing/decide";
import { placeOnRoute, routeNeedsState } from "@/lib/routing/place";
import { rawLeadFields, type LeadInput } from "@/lib/ingest/lead-input";
import { normalizeLead } from "@/lib/lead";
import type { LeadFacts } from "@/lib/routing/facts";
import { compileScoring, DEFAULT_SCORING_CONFIG } from "@/lib/scoring";
import { classifierChain } from "../classify/classifier.service";
import { metricContextOf, writeLeadMetrics, type MetricContext } from "../metrics/lead-metrics";
import { classifyText, type LeadClassifier } from "./classify";
import { callEnrichmentProvider, matchAccount, type AccountMatch } from "./enrich";
import { parseAssignmentState, routingContext, type RouteConfig, type RoutingContext } from "./routing-context";
import { DEFAULT_REVIEW_MINUTES, startReviewClock } from "../sla/review-clock";
import { onOwnerAssigned } from "../sla/sla-chain";

export interface IngestDeps {
  db: Kysely<Database>;
  now: () => Date;
  classifier?: LeadClassifier;
  classifyTimeoutMs?: number;
  enrichmentUrl?: string;
  enrichmentTimeoutMs?: number;
}

export interface IngestRequest {
  workspaceId: string;
  sourceId: string | null;
  /** The sender's event id (Idempotency-Key, webhook-id, the source's own id); null = not idempotent. */
  idempotencyKey: string | null;
  input: LeadInput;
  /** The body exactly as received (stored verbatim for audit and reprocessing). */
  raw: unknown;
}

export interface IngestResult {
  leadId: string;
  /** True when this request was a retry of an earlier one (answer 200, not 201). */
  replayed: boolean;
  status: LeadStatus;
  routePath: string | null;
  owner: { id: string; name: string; email: string } | null;
  queue: string | null;
  slaDueAt: Date | null;
  duplicateOf: string | null;
  reviewReason: string | null;
}

const scoring = compileScoring(DEFAULT_SCORING_CONFIG);
const STATE_KEY = "workspace";


/** Captures, routes and returns the result; never throws once the lead is captured (failures go to review). */
export async function ingestLead(deps: IngestDeps, req: IngestRequest): Promise<IngestResult> {
  const captured = await capture(deps, req);
  if (!captured.fresh) {
    await waitUntilProcessed(deps, req, captured.leadId);
    return { ...(await readResult(deps.db, captured.leadId)), replayed: true };
  }
  const routed = await processLead(deps, req.workspaceId, captured.leadId, { input: req.input, receivedAt: captured.receivedAt });
  return { ...(routed ?? (await readResult(deps.db, captured.leadId))), replayed: false };
}

// ------------------------------------------------------------------------------------------------ capture

interface Captured {
  leadId: string;
  fresh: boolean;
  receivedAt: Date;
}

/**
 * One statement: insert the lead (or find it has been captured before) and its `received` event together, so the
 * capture is atomic and costs a single round trip.
 */
async function capture(deps: IngestDeps, req: IngestRequest): Promise<Captured> {
  const now = deps.now();
  const receivedAt = req.input.submittedAt && new Date(req.input.submittedAt) < now ? new Date(req.input.submittedAt) : now;
  const idempotencyKey = req.idempotencyKey ? `${req.sourceId ?? "api"}:${req.idempotencyKey}` : null;
  const channel = req.input.source ?? "web";
  const inserted = await deps.db
    .with("lead", (db) =>
      db
        .insertInto("leads")
        .values({
          workspace_id: req.workspaceId,
          source_id: req.sourceId,
          idempotency_key: idempotencyKey,
          channel,
          raw_payload: json(req.raw),
          email: req.input.contact.email ?? null,
          message: req.input.message ?? null,
          facts: json({}),
          received_at: receivedAt,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(["workspace_id", "idempotency_key"]).where("idempotency_key", "is not", null).doNothing())
        .returning("id"),
    )
    .insertInto("lead_events")
    .columns(["workspace_id", "lead_id", "type", "occurred_at", "data"])
    .expression((eb) =>
      eb.selectFrom("lead").select([
        eb.val(req.workspaceId).as("workspace_id"),
        "lead.id",
        eb.val("received").as("type"),
        eb.val(receivedAt).as("occurred_at"),
        eb.val(json({ channel, sourceId: req.sourceId, idempotencyKey: req.idempotencyKey, input: req.input })).as("data"),
      ]),
    )
    .returning("lead_id")
    .executeTakeFirst();
  if (inserted) return { leadId: inserted.lead_id, fresh: true, receivedAt };
  const existing = await deps.db.selectFrom("leads").select(["id", "received_at"]).where("workspace_id", "=", req.workspaceId).where("idempotency_key", "=", idempotencyKey!).executeTakeFirstOrThrow();
  return { leadId: existing.id, fresh: false, receivedAt: existing.received_at };
}

/** A retry waits for the first attempt to finish routing; if that attempt died, it finishes the job itself. */
async function waitUntilProcessed(deps: IngestDeps, req: IngestRequest, leadId: string): Promise<void> {
  for (let waited = 0; waited < 3000; waited += 25) {
    const row = await deps.db.selectFrom("leads").select("status").where("id", "=", leadId).executeTakeFirstOrThrow();
    if (row.status !== "new") return;
    await new Promise((r) => setTimeout(r, 25));
  }
  await processLead(deps, req.workspaceId, leadId);
}

/** Routes every lead captured but never processed (a crash between capture and routing). Returns how many. */
export async function recoverUnprocessedLeads(deps: IngestDeps, olderThanMs = 10_000, limit = 500): Promise<number> {
  // By capture time (created_at), not received_at: a sender may backdate submittedAt, and a lead whose own request
  // is still routing it must not be picked up.
  const cutoff = new Date(deps.now().getTime() - olderThanMs);
  const stuck = await deps.db.selectFrom("leads").select(["id", "workspace_id"]).where("status", "=", "new").where("created_at", "<", cutoff).orderBy("created_at").limit(limit).execute();
  let routed = 0;
  for (const lead of stuck) {
    try {
      await processLead(deps, lead.workspace_id, lead.id);
      routed++;
    } catch (error) {
      // One lead that keeps failing must not block the others behind it.
      console.error(`[switchyard] recovery of lead ${lead.id} failed: ${errorText(error)}`);
    }
  }
  return routed;
}

// ------------------------------------------------------------------------------------------------ pipeline

interface Step {
  type: LeadEventType;
  at: Date;
  ms?: number;
  data: Record<string, unknown>;
  reasonCode?: string | null;
  repId?: string | null;
}

export type Placement =
  | { kind: "rep"; repId: string; result: AssignmentResult | null; reason: string; strategy: string; teamId: string }
  | { kind: "queue"; queue: string; status: LeadStatus; reviewReason: { code: string; text: string } | null };

/**
 * Runs the pipeline for a captured lead and writes its outcome; returns the result, or null when another run had
 * already routed it. Safe to call twice: only one run wins. `preloaded` spares the reads when the caller just
 * captured the lead.
 */
export async function processLead(
  deps: IngestDeps,
  workspaceId: string,
  leadId: string,
  preloaded?: { input: LeadInput; receivedAt: Date },
): Promise<Omit<IngestResult, "replayed"> | null> {
  const { db } = deps;
  const steps: Step[] = [];
  const stepAt = () => deps.now();
  let input: LeadInput;
  let lead: { received_at: Date };
  if (preloaded) {
    input = preloaded.input;
    lead = { received_at: preloaded.receivedAt };
  } else {
    const row = await db
      .selectFrom("leads as l")
      .innerJoin("lead_events as e", (j) => j.onRef("e.lead_id", "=", "l.id").on("e.type", "=", "received"))
      .select(["l.received_at", "l.status", "e.data"])
      .where("l.id", "=", leadId)
      .executeTakeFirstOrThrow();
    if (row.status !== "new") return null;
    input = (row.data as { input: LeadInput }).input;
    lead = { received_at: row.received_at };
  }

  let ctx: RoutingContext;
  try {
    ctx = await routingContext(db, workspaceId);
  } catch (error) {
    return await writeOutcome(deps, workspaceId, leadId, null, [
      { type: "step_failed", at: stepAt(), data: { step: "context", error: errorText(error) } },
    ], { kind: "queue", queue: "review", status: "in_review", reviewReason: { code: "pipeline_error", text: `Routing configuration could not be loaded: ${errorText(error)}` } }, {}, null);
  }

  try {
    // validate + normalise + junk
    let t0 = performance.now();
    const normalized = normalizeLead(rawLeadFields(input));
    steps.push({
      type: "validated", at: stepAt(), ms: performance.now() - t0,
      data: {
        normalized: {
          email: normalized.email, emailType: normalized.emailType, fullName: normalized.fullName, company: normalized.company,
          companyDomain: normalized.companyDomain, phone: normalized.phone?.e164 ?? null, country: normalized.country,
          region: normalized.routingRegion, title: normalized.title, seniority: normalized.seniority, employees: normalized.employees,
          productInterest: normalized.productInterest,
        },
        issues: normalized.issues,
      },
    });
    if (normalized.junk.level !== "clean") {
      steps.push({ type: "junk_flagged", at: stepAt(), reasonCode: normalized.junk.level, data: { level: normalized.junk.level, score: normalized.junk.score, reasons: normalized.junk.reasons } });
    }

    const base = {
      email: normalized.email ?? input.contact.email ?? null,
      email_domain: normalized.emailDomain,
      first_name: normalized.firstName,
      last_name: normalized.lastName,
      company: normalized.company,
      company_domain: normalized.companyDomain,
      phone: normalized.phone?.e164 ?? normalized.phoneRaw,
      title: normalized.title,
      country: normalized.country,
      region: normalized.routingRegion,
      message: normalized.message,
      person_key: normalized.dedupe.personKey,
      inquiry_key: normalized.dedupe.inquiryKey,
    };

    // dedupe: same person within the window → merged into the open inquiry, not re-routed
    if (normalized.dedupe.personKey && !normalized.junk.isJunk) {
      const since = new Date(lead.received_at.getTime() - ctx.settings.dedupeWindowHours * 3_600_000);
      const original = await db
        .selectFrom("leads")
        .select(["id", "route_path_key"])
        .where("workspace_id", "=", workspaceId)
        .where("person_key", "=", normalized.dedupe.personKey)
        .where("id", "!=", leadId)
        .where("received_at", ">=", since)
        .where("status", "not in", ["junk", "duplicate", "new"])
        .orderBy("received_at", "desc")
        .limit(1)
        .executeTakeFirst();
      if (original) {
        steps.push({
          type: "duplicate_linked", at: stepAt(),
          data: { duplicateOf: original.id, personKey: normalized.dedupe.personKey, windowHours: ctx.settings.dedupeWindowHours, reason: `Same person (${normalized.dedupe.personKeyKind}) within ${ctx.settings.dedupeWindowHours} hours: merged into the open inquiry` },
        });
        return await writeOutcome(deps, workspaceId, leadId, ctx, steps, { kind: "queue", queue: "duplicate", status: "duplicate", reviewReason: null }, base, null, {
          duplicateOf: original.id,
          noteOnOriginal: { text: `The same person wrote again${normalized.message ? `: “${normalized.message.slice(0, 500)}”` : "."}`, duplicateLeadId: leadId },
        });
      }
    }

    // enrich
    t0 = performance.now();
    let account: AccountMatch;
    let provider: Awaited<ReturnType<typeof callEnrichmentProvider>> = null;
    try {
      account = await matchAccount(db, workspaceId, { companyDomain: normalized.companyDomain, company: normalized.company, hintDomain: input.hints?.accountDomain ?? null });
      provider = await callEnrichmentProvider(deps.enrichmentUrl, deps.enrichmentTimeoutMs ?? 800, { domain: normalized.companyDomain, company: normalized.company, email: normalized.email });
      steps.push({ type: "enriched", at: stepAt(), ms: performance.now() - t0, data: { ...account, provider } });
    } catch (error) {
      account = { match: "none", accountId: null, accountName: null, customer: false, ownerRepId: null, employees: null, industry: null, region: null, country: null, similarity: null, reason: "enrichment failed" };
      steps.push({ type: "step_failed", at: stepAt(), ms: performance.now() - t0, data: { step: "enrich", error: errorText(error), continued: true } });
    }

    // classify (free text only); an explicit answer wins
    const taxonomy = ctx.settings.classification.taxonomy.map((t) => t.key);
    const explicit = typeof input.answers?.category === "string" && taxonomy.includes(input.answers.category) ? input.answers.category : null;
    const text = [normalized.message, normalized.useCase].filter(Boolean).join("\n\n");
    const chain = deps.classifier ? [deps.classifier] : await classifierChain(db, workspaceId, ctx.settings);
    // The LLM bounds each attempt itself; this is the whole chain's backstop.
    const classified = await classifyText(chain, text, taxonomy, deps.classifyTimeoutMs ?? 12_000);
    const c = classified.classification;
    steps.push({
      type: "classified", at: stepAt(), ms: classified.ms,
      data: {
        ...c, explicitCategory: explicit, fellBack: classified.fellBack, error: classified.error,
        attempts: classified.attempts, usage: classified.usage,
        used: explicit ? "form answer (explicit; the classifier's category is kept for reference)" : c.classifier,
      },
    });

    // facts + score
    const aiFields = ["urgency", "timeline_days", ...(explicit ? [] : ["category", "confidence"])];
    const facts: LeadFacts = {
      category: explicit ?? c.category,
      confidence: explicit ? null : c.confidence,
      classifier: explicit ? "form" : c.classifier,
      urgency: c.urgency,
      timeline_days: c.timelineDays,
      is_existing_customer: account.customer,
      employees: normalized.employees ?? account.employees ?? provider?.data?.employees ?? null,
      industry: input.company?.industry ?? account.industry ?? provider?.data?.industry ?? null,
      region: normalized.routingRegion ?? account.region ?? null,
      country: normalized.country ?? account.country ?? provider?.data?.country ?? null,
      lead_source: input.source ?? "web",
      product_interest: normalized.productInterest?.toLowerCase() ?? c.productHints[0] ?? null,
      seniority: normalized.seniority,
      business_email: normalized.emailType === "business",
      ai_fields: aiFields,
      ...(normalized.junk.level === "suspect" ? { junk_suspect: true } : {}),
    };
    t0 = performance.now();
    const scored = scoring.score({
      employees: facts.employees, seniority: facts.seniority, productInterest: facts.product_interest, emailType: normalized.emailType,
      routingRegion: facts.region, country: facts.country, existingCustomer: facts.is_existing_customer, intentCategory: facts.category,
      urgency: facts.urgency, timeline: c.timelineDays != null ? String(c.timelineDays) : null, isJunk: normalized.junk.isJunk,
    });
    facts.score = scored.points;
    facts.priority_tier = scored.tier;
    steps.push({ type: "scored", at: stepAt(), ms: performance.now() - t0, data: { points: scored.points, tier: scored.tier, contributions: scored.contributions, missing: scored.missing } });

    const projection = {
      ...base, account_id: account.accountId, facts: json(facts), score: scored.points, priority_tier: scored.tier,
      category: facts.category ?? null, category_confidence: facts.confidence ?? null, classifier: facts.classifier ?? null,
      is_junk: normalized.junk.isJunk,
    };

    // decide
    t0 = performance.now();
    const decision = decideRoute(ctx, facts, { junk: normalized.junk.isJunk, doubt: normalized.junk.level === "suspect" }, true);
    steps.push({ type: "decided", at: stepAt(), ms: performance.now() - t0, data: decision.event });
    if (decision.review) {
      // The route the table proposed (the lead itself now counts under the review route).
      const proposed = typeof decision.event.route === "string" ? decision.event.route : null;
      steps.push({ type: "queued_for_review", at: stepAt(), reasonCode: decision.review.code, data: { reason: decision.review.text, proposedRoute: proposed } });
    }

    // assign (inside the writing transaction, against the locked assignment state) + trigger
    return await writeOutcome(deps, workspaceId, leadId, ctx, steps, null, projection, {
      route: decision.route,
      review: decision.review,
      facts,
      accountOwnerRepId: account.ownerRepId,
      explicitOwnerRepId: input.hints?.ownerEmail ? ctx.repsByEmail.get(input.hints.ownerEmail.toLowerCase()) ?? null : null,
      tableVersionId: ctx.table?.versionId ?? null,
      ruleId: decision.ruleId,
      name: normalized.fullName ?? normalized.email ?? "lead",
    });
  } catch (error) {
    if (error instanceof AlreadyProcessed) return null;
    steps.push({ type: "step_failed", at: stepAt(), data: { step: "pipeline", error: errorText(error) } });
    try {
      return await writeOutcome(deps, workspaceId, leadId, ctx, steps, { kind: "queue", queue: "review", status: "in_review", reviewReason: { code: "pipeline_error", text: `Routing failed: ${errorText(error)}` } }, {}, null);
    } catch (inner) {
      if (!(inner instanceof AlreadyProcessed)) throw inner;
      return null;
    }
  }
}

// ------------------------------------------------------------------------------------------------ write

class AlreadyProcessed extends Error {}

export interface AssignPlan {
  route: RouteConfig | null;
  review: { code: string; text: string } | null;
  facts: LeadFacts;
  accountOwnerRepId: string | null;
  explicitOwnerRepId: string | null;
  tableVersionId: string | null;
  ruleId: string | null;
  name: string;
  /** Reps who already turned this lead down (re-routing after a rejection). */
  excludeRepIds?: string[];
}

async function writeOutcome(
  deps: IngestDeps,
  workspaceId: string,
  leadId: string,
  ctx: RoutingContext | null,
  steps: Step[],
  fixed: Placement | null,
  projection: Record<string, unknown>,
  plan: AssignPlan | null,
  duplicate?: { duplicateOf: string; noteOnOriginal: Record<string, unknown> },
): Promise<Omit<IngestResult, "replayed">> {
  const now = deps.now();
  const route = plan?.route ?? null;
  let placement = fixed;
  if (!placement && plan && ctx) {
    const r = await placeAndCount(deps.db, ctx, workspaceId, plan, now);
    placement = r.placement;
    if (r.fallbackReview) steps.push({ type: "queued_for_review", at: now, reasonCode: r.fallbackReview.code, data: { reason: r.fallbackReview.text } });
  }
  placement ??= { kind: "queue", queue: "review", status: "in_review", reviewReason: { code: "pipeline_error", text: "No placement decided" } };
  const decided = placement;
  try {
    return await writeRouted(deps, workspaceId, leadId, ctx, steps, decided, projection, plan, route, now, duplicate);
  } catch (error) {
    // Another run routed this lead first: give back the round-robin turn this run counted.
    if (error instanceof AlreadyProcessed && decided.kind === "rep" && decided.result?.kind === "rep") {
      const ticket = decided.result.ticket;
      await deps.db.transaction().execute(async (trx) => {
        const state = await lockAssignmentState(trx, workspaceId);
        recordOutcome(state, ticket, "rejected");
        await saveAssignmentState(trx, workspaceId, state, now);
      }).catch(() => undefined);
    }
    throw error;
  }
}

/** The routed lead's row, events, task and review item, in one transaction guarded by status = 'new'. */
async function writeRouted(
  deps: IngestDeps,
  workspaceId: string,
  leadId: string,
  ctx: RoutingContext | null,
  steps: Step[],
  placement: Placement,
  projection: Record<string, unknown>,
  plan: AssignPlan | null,
  route: RouteConfig | null,
  now: Date,
  duplicate?: { duplicateOf: string; noteOnOriginal: Record<string, unknown> },
): Promise<Omit<IngestResult, "replayed">> {
  return deps.db.transaction().execute(async (trx) => {

    // SLA: the route's business minutes in the owner team's calendar (review queue: ops hours).
    let slaDueAt: Date | null = null;
    let calendar: BusinessCalendar | undefined;
    let slaMinutes: number | null = null;
    if (placement.kind === "rep") {
      calendar = ctx?.teamCalendars.get(placement.teamId) ?? ctx?.settings.reviewCalendar;
      slaMinutes = route?.slaMinutes ?? null;
    } else if (placement.status === "in_review" && ctx) {
      calendar = ctx.settings.reviewCalendar;
      slaMinutes = ctx.routes.get("review")?.slaMinutes ?? DEFAULT_REVIEW_MINUTES;
    }
    if (calendar && slaMinutes) {
      try {
        slaDueAt = addBusinessMinutes(calendar, now, slaMinutes);
      } catch (error) {
        steps.push({ type: "step_failed", at: now, data: { step: "sla", error: errorText(error), continued: true } });
      }
    }

    const reviewReason = placement.kind === "queue" ? placement.reviewReason : null;
    if (placement.kind === "rep") {
      steps.push({
        type: "assigned", at: now, repId: placement.repId,
        data: {
          reason: placement.reason, strategy: placement.strategy, slaDueAt: slaDueAt?.toISOString() ?? null, slaMinutes,
          ticket: placement.result?.kind === "rep" ? placement.result.ticket : null,
          candidates: placement.result?.reason.candidates ?? [], skipped: placement.result?.reason.skipped ?? [], steps: placement.result?.reason.steps ?? [],
        },
      });
      steps.push({ type: "task_created", at: now, repId: placement.repId, data: { title: "First touch", dueAt: slaDueAt?.toISOString() ?? null } });
    }

    const status: LeadStatus = placement.kind === "rep" ? "assigned" : placement.status;
    // The route path decided at ingestion (metrics count the lead under it): the table's route — or the review
    // route when a guard or a failure sent it there; a fallback for want of an owner keeps the decided route.
    const routePathKey = status === "duplicate" ? null : route?.key ?? (ctx?.routes.has("review") ? "review" : null);
    // Every entry into the review queue is an event (manual triage is measured from them), whatever sent it there.
    if (status === "in_review" && reviewReason && !steps.some((s) => s.type === "queued_for_review")) {
      steps.push({ type: "queued_for_review", at: now, reasonCode: reviewReason.code, data: { reason: reviewReason.text } });
    }
    const updated = await trx
      .updateTable("leads")
      .set({
        ...projection,
        status,
        route_path_key: routePathKey,
        table_version_id: plan?.tableVersionId ?? null,
        rule_id: plan?.ruleId ?? null,
        first_owner_rep_id: placement.kind === "rep" ? placement.repId : null,
        owner_rep_id: placement.kind === "rep" ? placement.repId : null,
        owner_queue: placement.kind === "queue" ? placement.queue : null,
        team_id: placement.kind === "rep" ? placement.teamId : null,
        assigned_at: placement.kind === "rep" ? now : null,
        sla_due_at: slaDueAt,
        ever_in_review: status === "in_review",
        review_reason: reviewReason?.text ?? null,
        duplicate_of_lead_id: duplicate?.duplicateOf ?? null,
        updated_at: now,
      })
      .where("id", "=", leadId)
      .where("status", "=", "new")
      .returning(["received_at", "source_id"])
      .executeTakeFirst();
    if (!updated) throw new AlreadyProcessed();

    const events: NewLeadEvent[] = steps.map((s) => ({
      workspace_id: workspaceId, lead_id: leadId, type: s.type, occurred_at: s.at, rep_id: s.repId ?? null,
      reason_code: s.reasonCode ?? null, duration_ms: s.ms != null ? Math.round(s.ms * 1000) / 1000 : null, data: json(s.data),
    }));
    if (duplicate) {
      events.push({ workspace_id: workspaceId, lead_id: duplicate.duplicateOf, type: "note", occurred_at: now, data: json(duplicate.noteOnOriginal) });
    }
    if (events.length) await trx.insertInto("lead_events").values(events).execute();
    // The lead's metric row, from the events just written (a first routing: no earlier metric events exist).
    await writeLeadMetrics(trx, ctx ? metricContextOf(ctx) : unconfiguredMetrics(workspaceId), [{
      subject: {
        id: leadId, receivedAt: updated.received_at, routePathKey, sourceId: updated.source_id,
        teamId: placement.kind === "rep" ? placement.teamId : null, ownerRepId: placement.kind === "rep" ? placement.repId : null,
        tableVersionId: plan?.tableVersionId ?? null,
      },
      events: steps.map((s) => ({
        type: s.type, occurredAt: s.at, repId: s.repId ?? null, reasonCode: s.reasonCode ?? null,
        slaDueAt: s.type === "assigned" && slaDueAt ? slaDueAt : null,
        skipped: s.type === "assigned" ? (s.data.skipped as Array<{ repId: string; reason: string }> | undefined) ?? null : null,
      })),
    }]);
    if (status === "in_review" && reviewReason) {
      const item: Insertable<ReviewItemsTable> = {
        workspace_id: workspaceId, lead_id: leadId, reason_code: reviewReason.code, reason_text: reviewReason.text, entered_at: now, due_at: slaDueAt,
      };
      await trx.insertInto("review_items").values(item).execute();
      if (ctx) await startReviewClock(trx, ctx, { workspaceId, leadId, now });
    }
    if (placement.kind === "rep") {
      const task: Insertable<LeadTasksTable> = {
        workspace_id: workspaceId, lead_id: leadId, rep_id: placement.repId, kind: "first_touch",
        title: `First touch: ${plan?.name ?? "new lead"}`, due_at: slaDueAt, created_at: now,
      };
      const created = await trx.insertInto("lead_tasks").values(task).returning("id").executeTakeFirstOrThrow();
      // The owner is told and the SLA clock starts (the route path's escalation chain as jobs), committed with the assignment.
      if (ctx) await onOwnerAssigned(trx, ctx, { workspaceId, leadId, taskId: created.id, repId: placement.repId, routeKey: routePathKey, assignedAt: now, dueAt: slaDueAt }, now);
    }
    const owner = placement.kind === "rep" ? ctx?.repsById.get(placement.repId) : undefined;
    return {
      leadId,
      status,
      routePath: routePathKey,
      owner: owner ? { id: owner.id, name: owner.name, email: owner.email } : null,
      queue: placement.kind === "queue" ? placement.queue : null,
      slaDueAt,
      duplicateOf: duplicate?.duplicateOf ?? null,
      reviewReason: reviewReason?.text ?? null,
    };
  });
}

/**
 * Decides the owner or queue for a decided route, against the assignment state locked in `trx`. The new state is
 * returned for the caller to save in the same transaction.
 */
export async function place(
  trx: Kysely<Database>,
  ctx: RoutingContext,
  workspaceId: string,
  plan: AssignPlan,
  now: Date,
): Promise<{ placement: Placement; state: AssignmentState | null; fallbackReview: { code: string; text: string } | null }> {
  const route = plan.route;
  if (plan.review || !route) {
    return { placement: { kind: "queue", queue: "review", status: "in_review", reviewReason: plan.review ?? { code: "no_route", text: "No route path decided" } }, state: null, fallbackReview: null };
  }
  if (route.kind === "junk") return { placement: { kind: "queue", queue: queueOf(route.destination) ?? "junk", status: "junk", reviewReason: null }, state: null, fallbackReview: null };

  // An explicit owner named by the sender wins over the route's strategy (AI never overrides it).
  if (plan.explicitOwnerRepId) {
    const rep = ctx.repsById.get(plan.explicitOwnerRepId);
    if (rep?.active) {
      return { placement: { kind: "rep", repId: rep.id, result: null, reason: `explicit owner: the sender named ${rep.name}`, strategy: "explicit", teamId: rep.teamId }, state: null, fallbackReview: null };
    }
  }

  const needsState = routeNeedsState(route);
  const state = needsState ? await lockAssignmentState(trx, workspaceId) : parseAssignmentState(null);
  const lead = {
    accountOwnerRepId: plan.accountOwnerRepId,
    region: plan.facts.region ?? null,
    country: plan.facts.country ?? null,
    product: plan.facts.product_interest ?? null,
    value: plan.facts.score ?? null,
    excludeRepIds: plan.excludeRepIds,
  };
  const { placement, fallbackReview } = placeOnRoute(ctx, route, lead, state, now);
  return { placement, state: needsState && placement.kind === "rep" ? state : null, fallbackReview };
}

/**
 * The assignment state each process last saved, by workspace, with the revision it saved: a lock that finds the
 * same revision in the database skips fetching and parsing the state again.
 */
const stateCache = new Map<string, { revision: number; state: AssignmentState }>();

/** Locks and returns the workspace's assignment state (creating it on first use). Call inside a transaction. */
export async function lockAssignmentState(trx: Kysely<Database>, workspaceId: string): Promise<AssignmentState> {
  const cached = stateCache.get(workspaceId);
  const select = () =>
    trx
      .selectFrom("assignment_state")
      .select((eb) => ["revision", eb.case().when("revision", "=", cached?.revision ?? -1).then(null).else(eb.ref("state")).end().as("state")])
      .where("workspace_id", "=", workspaceId)
      .where("pool_key", "=", STATE_KEY)
      .forUpdate()
      .executeTakeFirst();
  let row = await select();
  if (!row) {
    await trx.insertInto("assignment_state").values({ workspace_id: workspaceId, pool_key: STATE_KEY, state: json(serializeState(parseAssignmentState(null))) })
      .onConflict((oc) => oc.columns(["workspace_id", "pool_key"]).doNothing()).execute();
    row = (await select())!;
  }
  // The cached object is usable only if no other holder took it out meanwhile (a holder mutates it in place and
  // puts it back only once its save has committed; one that rolled back leaves it out, and the database is right).
  if (row.state === null && stateCache.get(workspaceId) !== cached) {
    row = (await trx.selectFrom("assignment_state").select(["revision", "state"]).where("workspace_id", "=", workspaceId).where("pool_key", "=", STATE_KEY).executeTakeFirstOrThrow());
  }
  stateCache.delete(workspaceId);
  return row.state === null && cached ? cached.state : parseAssignmentState(row.state);
}

export async function saveAssignmentState(trx: Kysely<Database>, workspaceId: string, state: AssignmentState, now: Date): Promise<number> {
  const saved = await trx.updateTable("assignment_state").set({ state: json(serializeState(state)), updated_at: now, revision: (eb) => eb("revision", "+", 1) })
    .where("workspace_id", "=", workspaceId).where("pool_key", "=", STATE_KEY).returning("revision").executeTakeFirstOrThrow();
  return saved.revision;
}

/**
 * Decides where a routed lead goes, in its own short transaction: the workspace's assignment state is locked only
 * for the read-decide-write of the state itself (not while the lead's events are written), and its commit does not
 * wait for the disk — the state is bookkeeping; the lead's own write, which follows, is the durable one (and its
 * synchronous commit flushes this one too). A crash between the two leaves one extra turn counted for that rep; the
 * recovery sweep then routes the lead again.
 */
async function placeAndCount(db: Kysely<Database>, ctx: RoutingContext, workspaceId: string, plan: AssignPlan, now: Date) {
  const needsState = !plan.review && plan.route !== null && plan.route.kind !== "junk" && !plan.explicitOwnerRepId
    && plan.route.destination.strategies.some((s) => s.kind !== "queue");
  if (!needsState) return place(db, ctx, workspaceId, plan, now);
  let saved: { revision: number; state: AssignmentState } | null = null;
  const result = await db.transaction().execute(async (trx) => {
    await sql`set local synchronous_commit = off`.execute(trx);
    const r = await place(trx, ctx, workspaceId, plan, now);
    if (r.state) saved = { revision: await saveAssignmentState(trx, workspaceId, r.state, now), state: r.state };
    return r;
  });
  if (saved) stateCache.set(workspaceId, saved);
  return result;
}

function queueOf(d: Destination): string | null {
  const q = d.strategies.find((s) => s.kind === "queue");
  return q?.kind === "queue" ? q.queue : null;
}

// ------------------------------------------------------------------------------------------------ result

export async function readResult(db: Kysely<Database>, leadId: string): Promise<Omit<IngestResult, "replayed">> {
  const row = await db
    .selectFrom("leads as l")
    .leftJoin("reps as r", "r.id", "l.owner_rep_id")
    .select(["l.id", "l.status", "l.route_path_key", "l.owner_queue", "l.sla_due_at", "l.duplicate_of_lead_id", "l.review_reason", "r.id as rep_id", "r.name as rep_name", "r.email as rep_email"])
    .where("l.id", "=", leadId)
    .executeTakeFirstOrThrow();
  return {
    leadId: row.id,
    status: row.status,
    routePath: row.route_path_key,
    owner: row.rep_id ? { id: row.rep_id, name: row.rep_name!, email: row.rep_email! } : null,
    queue: row.owner_queue,
    slaDueAt: row.sla_due_at,
    duplicateOf: row.duplicate_of_lead_id,
    reviewReason: row.review_reason,
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Metrics for a lead routed without a routing context (nothing configured): no owner, so no calendar is consulted. */
function unconfiguredMetrics(workspaceId: string): MetricContext {
  const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } as unknown as BusinessCalendar["weeklyHours"];
  return { workspaceId, isSalesRep: () => false, calendarFor: () => ({ timeZone: "UTC", weeklyHours: closed, holidays: [] }) };
}
