/**
 * Imported history as events: one mapped lead (and the owners, route and SLA the caller resolved) → the lead's
 * event log, in the shape the metric definitions (lib/metrics) read, plus the lead row's projection columns computed
 * from that log the same way the outcome service computes them (lib/routing/projection).
 *
 * Events written for a new lead, each dated from the file:
 *   received (received_at) · decided (route and rule, when there is a route) · assigned (first owner, at assigned_at,
 *   data {reason: "Imported", imported: true}) · reassigned (to the owner, reason "manual", when the first owner
 *   differs) · first_touch · sla_breached (when the route has an SLA and the first touch came late or never) ·
 *   accepted / rejected (+ reason code) · meeting_booked · opportunity_created (amount + currency, when the amount
 *   is above 0) · closed_won / closed_lost.
 * A milestone without its own date is dated at the latest earlier milestone the row does date (an assignment at
 * the received time, a decision at the first touch...) and marked `inferredTime: true`. Explicit times before the
 * lead was received are row errors.
 *
 * Every imported event carries `external_id = "import:<type>"`: the database keeps one per lead, so running the
 * same file or an outcomes update twice never duplicates an event.
 */
import { projectOutcomes, type OutcomeProjection, type ProjectedStatus } from "../routing/projection";
import { type MappedOutcomes } from "./map-row";

export interface ImportedEvent {
  type: string;
  occurredAt: Date;
  repId: string | null;
  reasonCode: string | null;
  amount: number | null;
  currency: string | null;
  externalId: string;
  data: Record<string, unknown>;
}

export interface ResolvedOwner {
  repId: string;
  teamId: string;
}

export interface HistoryRoute {
  key: string | null;
  kind: string | null;
  ruleId: string | null;
  tableVersionId: string | null;
  /** "file": mapped from a column; "table": decided by the published table; "none": no table and no column. */
  decidedBy: "file" | "table" | "none";
  slaMinutes: number | null;
}

export interface LeadHistoryInput {
  mode: "insert" | "update";
  receivedAt: Date;
  receivedAtSynthetic: boolean;
  channel: string;
  importJobId: string;
  row: number;
  externalId: string | null;
  /** Insert mode: the route decided or mapped. */
  route: HistoryRoute | null;
  firstOwner: ResolvedOwner | null;
  owner: ResolvedOwner | null;
  outcomes: MappedOutcomes;
  currency: string;
  now: Date;
  /** SLA due time for an assignment to `teamId` at `start` with `minutes` business minutes (the team calendar). */
  slaDueAt?: (teamId: string, start: Date, minutes: number) => Date | null;
  /** Update mode: the lead's current owners. */
  existing?: { ownerRepId: string | null; firstOwnerRepId: string | null };
}

export interface LeadHistory {
  events: ImportedEvent[];
  /** Field-level problems (chronology); when any, write nothing for the row. */
  errors: Array<{ field: string; message: string }>;
  slaDueAt: Date | null;
}

/** `import:<type>`: one imported event of each type per lead. */
export function importEventId(type: string): string {
  return `import:${type}`;
}

/** Builds a lead's imported events (see the module doc). Pure. */
export function buildLeadHistory(input: LeadHistoryInput): LeadHistory {
  const errors: LeadHistory["errors"] = [];
  const events: ImportedEvent[] = [];
  const received = input.receivedAt.getTime();
  const marks = { imported: true, importJobId: input.importJobId, row: input.row };
  const add = (type: string, at: Date, extra: Partial<ImportedEvent> = {}, data: Record<string, unknown> = {}): void => {
    events.push({
      type, occurredAt: at, repId: null, reasonCode: null, amount: null, currency: null, externalId: importEventId(type),
      ...extra, data: { ...marks, ...data },
    });
  };
  const o = input.outcomes;
  const explicit: Array<[string, Date | null]> = [
    ["assigned_at", o.assignedAt], ["first_touch_at", o.firstTouchAt], ["decision_at", o.decisionAt],
    ["meeting_booked_at", o.meetingBookedAt], ["opportunity_at", o.opportunityAt], ["closed_at", o.closedAt],
  ];
  for (const [field, at] of explicit) {
    if (at !== null && at.getTime() < received) {
      errors.push({ field, message: `${at.toISOString()} is before the lead was received (${input.receivedAt.toISOString()})` });
    }
  }
  if (errors.length) return { events: [], errors, slaDueAt: null };

  // The latest dated milestone so far: where an undated one is placed.
  let latest = input.receivedAt;
  const at = (given: Date | null): { at: Date; inferred: boolean } => {
    if (given !== null) {
      if (given > latest) latest = given;
      return { at: given, inferred: false };
    }
    return { at: latest, inferred: true };
  };
  const inferredMark = (inferred: boolean): Record<string, unknown> => (inferred ? { inferredTime: true } : {});

  if (input.mode === "insert") {
    add("received", input.receivedAt, {}, {
      channel: input.channel, externalId: input.externalId, receivedAtSynthetic: input.receivedAtSynthetic,
    });
    if (input.route && input.route.decidedBy !== "none") {
      add("decided", input.receivedAt, {}, {
        route: input.route.key, ruleId: input.route.ruleId, tableVersionId: input.route.tableVersionId, decidedBy: input.route.decidedBy,
      });
    }
  }

  // Owners: the first owner is assigned; a different owner takes over (an SDR → AE handoff, or a later owner).
  let slaDueAt: Date | null = null;
  const currentOwner = input.existing?.ownerRepId ?? null;
  const firstRep = input.firstOwner ?? input.owner;
  let ownerRepId = currentOwner;
  if (firstRep && currentOwner === null) {
    const t = at(o.assignedAt);
    const minutes = input.mode === "insert" ? input.route?.slaMinutes ?? null : null;
    if (minutes !== null && input.slaDueAt) slaDueAt = input.slaDueAt(firstRep.teamId, t.at, minutes);
    add("assigned", t.at, { repId: firstRep.repId }, {
      reason: "Imported", strategy: "import", ...inferredMark(t.inferred),
      ...(slaDueAt ? { slaDueAt: slaDueAt.toISOString(), slaMinutes: minutes } : {}),
    });
    ownerRepId = firstRep.repId;
  }
  if (input.owner && ownerRepId !== null && input.owner.repId !== ownerRepId) {
    const t = at(o.assignedAt);
    add("reassigned", t.at, { repId: input.owner.repId, reasonCode: "manual" }, {
      from: ownerRepId, reason: "Imported: handed to the owner", inferredTime: true,
    });
    ownerRepId = input.owner.repId;
  }

  if (o.firstTouchAt !== null) add("first_touch", at(o.firstTouchAt).at, { repId: ownerRepId });
  if (slaDueAt !== null) {
    const due = slaDueAt.getTime();
    const touched = o.firstTouchAt?.getTime() ?? null;
    if ((touched !== null && touched > due) || (touched === null && due <= input.now.getTime())) {
      add("sla_breached", slaDueAt, { repId: firstRep?.repId ?? null }, { dueAt: slaDueAt.toISOString() });
    }
  }
  if (o.decision !== null) {
    const t = at(o.decisionAt);
    add(o.decision, t.at, { repId: ownerRepId, reasonCode: o.decision === "rejected" ? o.rejectReason : null }, inferredMark(t.inferred));
  }
  if (o.meetingBookedAt !== null) add("meeting_booked", at(o.meetingBookedAt).at, { repId: ownerRepId });
  const amount = o.opportunityAmount !== null && o.opportunityAmount > 0 ? o.opportunityAmount : null;
  if (amount !== null) {
    const t = at(o.opportunityAt);
    add("opportunity_created", t.at, { repId: ownerRepId, amount, currency: input.currency }, inferredMark(t.inferred));
  }
  if (o.closedOutcome !== null) {
    const t = at(o.closedAt);
    const won = o.closedOutcome === "won";
    add(won ? "closed_won" : "closed_lost", t.at, {
      repId: ownerRepId, amount: won ? amount : null, currency: won && amount !== null ? input.currency : null,
    }, inferredMark(t.inferred));
  }
  for (const e of events) {
    if (e.occurredAt.getTime() > input.now.getTime() && e.type !== "sla_breached") {
      errors.push({ field: "", message: `${e.type} at ${e.occurredAt.toISOString()} is in the future` });
    }
  }
  // sla_breached at a due time in the future never happens (only written when due ≤ now or touched late).
  return errors.length ? { events: [], errors, slaDueAt: null } : { events, errors, slaDueAt };
}

export interface ProjectionEventInput {
  type: string;
  occurredAt: Date;
  repId: string | null;
  reasonCode: string | null;
  amount: number | null;
}

/** The outcome projection of lib/routing/projection, plus owners and the first assignment; never a null status. */
export interface ImportedLeadProjection extends Omit<OutcomeProjection, "status"> {
  ownerRepId: string | null;
  firstOwnerRepId: string | null;
  assignedAt: Date | null;
  status: ProjectedStatus | "queued" | "junk";
}

/**
 * The lead row's outcome columns from its whole event log (any order): owners and the first assignment from
 * assigned/reassigned events, the rest from lib/routing/projection. Status: the outcome status when the events
 * imply one, else "assigned" with an owner, "junk" on a junk route, else "queued" (never "new": that status means
 * "captured, not yet routed" to the live pipeline's crash recovery).
 */
export function projectImportedLead(events: readonly ProjectionEventInput[], routeKind: string | null): ImportedLeadProjection {
  const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  let ownerRepId: string | null = null;
  let firstOwnerRepId: string | null = null;
  let assignedAt: Date | null = null;
  for (const e of ordered) {
    if ((e.type === "assigned" || e.type === "reassigned") && e.repId) {
      if (firstOwnerRepId === null) {
        firstOwnerRepId = e.repId;
        assignedAt = e.occurredAt;
      }
      ownerRepId = e.repId;
    }
  }
  const p = projectOutcomes(ordered);
  return {
    ownerRepId,
    firstOwnerRepId,
    assignedAt,
    firstTouchAt: p.firstTouchAt,
    decision: p.decision,
    decisionAt: p.decisionAt,
    meetingBookedAt: p.meetingBookedAt,
    opportunityCreatedAt: p.opportunityCreatedAt,
    opportunityAmount: p.opportunityAmount,
    closedAt: p.closedAt,
    everWrongAssigned: p.everWrongAssigned,
    status: p.status ?? (ownerRepId !== null ? "assigned" : routeKind === "junk" ? "junk" : "queued"),
  };
}
