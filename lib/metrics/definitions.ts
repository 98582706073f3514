/**
 * The metric definitions of DESIGN.md, implemented once. The dashboard, exports, the monthly review and the
 * simulator all go through these functions (or through SQL that a test proves equal to them).
 *
 * Two steps:
 *  1. `foldLeadOutcome` reduces one lead's event log to the facts the metrics need (its LeadOutcome).
 *  2. `computeKpis` aggregates outcomes into the KPI set.
 * Both are pure: `now` is an argument, nothing reads the clock.
 *
 * At scale the dashboard does not fold events per request: each lead's fold is stored as one narrow row
 * (`leadMetricFacts` below, written whenever the lead's events change) and SQL aggregates those rows with the same
 * rules as `computeKpis`; an integration test proves the two agree on the same event log.
 */
import { businessMinutesBetween } from "../calendar/business-time";
import type { BusinessCalendar } from "../calendar/calendar.schema";

const MINUTE = 60_000;

/** Reasons that mean "this lead went to the wrong owner" (count toward wrong-assignment). */
export const WRONG_OWNER_REASONS = ["wrong_territory", "wrong_product", "wrong_segment", "account_owned_by_other"] as const;
export type WrongOwnerReason = (typeof WRONG_OWNER_REASONS)[number];

/** Reject reason codes a rep can choose. */
export const REJECT_REASONS = [...WRONG_OWNER_REASONS, "not_a_fit", "duplicate", "spam", "other"] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Reassignment reason codes. */
export const REASSIGN_REASONS = [...WRONG_OWNER_REASONS, "sla_reassigned", "rejected_reroute", "out_of_office", "capacity", "manual"] as const;
export type ReassignReason = (typeof REASSIGN_REASONS)[number];

export const REASON_LABELS: Record<string, string> = {
  wrong_territory: "Wrong territory",
  wrong_product: "Wrong product",
  wrong_segment: "Wrong segment",
  account_owned_by_other: "Account owned by someone else",
  not_a_fit: "Not a fit",
  duplicate: "Duplicate",
  spam: "Spam",
  other: "Other",
  sla_reassigned: "SLA breached — reassigned",
  rejected_reroute: "Re-routed after rejection",
  out_of_office: "Owner out of office",
  capacity: "Owner at capacity",
  manual: "Manual reassignment",
};

const WRONG_OWNER = new Set<string>(WRONG_OWNER_REASONS);

/** True for a reason code that counts toward the wrong-assignment rate. */
export function isWrongOwnerReason(code: string | null | undefined): boolean {
  return code != null && WRONG_OWNER.has(code);
}

/**
 * Assignment skips that cost an eligible rep a turn (fairness): away, at capacity, outside hours, or excluded after
 * turning the lead down — not the reps the lead never fitted (territory, product, segment).
 */
export const FAIRNESS_SKIPS = ["inactive", "zero_weight", "out_of_office", "outside_hours", "capacity_open", "capacity_daily", "excluded"] as const;
const FAIRNESS_SKIP_SET = new Set<string>(FAIRNESS_SKIPS);

/** The subset of a lead event the metrics read. */
export interface MetricEvent {
  type: string;
  occurredAt: Date;
  repId?: string | null;
  reasonCode?: string | null;
  amount?: number | null;
  /** For `assigned` and `reassigned` events: the SLA due time that assignment started. */
  slaDueAt?: Date | null;
  /** For `assigned` events: the reps routing passed over, and why. */
  skipped?: ReadonlyArray<{ repId: string; reason: string }> | null;
}

/** Everything the KPI set needs to know about one lead. */
export interface LeadOutcome {
  leadId: string;
  receivedAt: Date;
  /** Route path decided at ingestion (reassignments do not change it). */
  routePathKey: string | null;
  /** First assignment to a rep. */
  assignedAt: Date | null;
  /** The rep of that first assignment. */
  firstRepId: string | null;
  /** Earliest first touch. */
  firstTouchAt: Date | null;
  /** SLA due time started by the first assignment. */
  slaDueAt: Date | null;
  /** Assigned to a rep at least once. */
  assignedToOwner: boolean;
  /** Assigned at least once to a rep in a sales role (AE, SDR, account manager). */
  routedToSalesOwner: boolean;
  /** Reassigned or rejected at least once with a wrong-owner reason. */
  wrongAssigned: boolean;
  /** The latest accept/reject decision. */
  latestDecision: "accepted" | "rejected" | null;
  meetingBooked: boolean;
  /** Sum of opportunity amounts created from this lead (workspace currency). */
  pipelineAmount: number;
  opportunities: number;
  /** Entered the review queue at least once. */
  enteredReview: boolean;
  /** Fairness: turns eligible reps missed on this lead's assignments (FAIRNESS_SKIPS only). */
  skips: Array<{ repId: string; reason: string }>;
  /** Fairness: who rejected this lead, with the reason code. */
  rejections: Array<{ repId: string; reason: string | null }>;
  /** Business-minute versions of the delays, in the owner team's calendar, when the caller computed them. */
  business?: { toTouch: number | null; system: number | null; human: number | null } | null;
}

export interface FoldInput {
  leadId: string;
  receivedAt: Date;
  routePathKey: string | null;
  /** Is this rep in a sales role? Decides "routed to a sales owner". */
  isSalesRep: (repId: string) => boolean;
}

/**
 * Reduces one lead's events (any order) to its LeadOutcome. Events are ordered by occurredAt, ties kept in input
 * order (pass them in id order), so "latest decision" is well defined.
 */
export function foldLeadOutcome(input: FoldInput, events: readonly MetricEvent[]): LeadOutcome {
  const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const out: LeadOutcome = {
    leadId: input.leadId,
    receivedAt: input.receivedAt,
    routePathKey: input.routePathKey,
    assignedAt: null,
    firstRepId: null,
    firstTouchAt: null,
    slaDueAt: null,
    assignedToOwner: false,
    routedToSalesOwner: false,
    wrongAssigned: false,
    latestDecision: null,
    meetingBooked: false,
    pipelineAmount: 0,
    opportunities: 0,
    enteredReview: false,
    skips: [],
    rejections: [],
  };
  for (const e of ordered) {
    switch (e.type) {
      case "assigned":
      case "reassigned":
        if (e.repId) {
          if (!out.assignedToOwner) {
            out.assignedToOwner = true;
            out.assignedAt = e.occurredAt;
            out.firstRepId = e.repId;
            out.slaDueAt = e.slaDueAt ?? null;
          }
          if (input.isSalesRep(e.repId)) out.routedToSalesOwner = true;
        }
        if (e.type === "reassigned" && isWrongOwnerReason(e.reasonCode)) out.wrongAssigned = true;
        if (e.type === "assigned" && e.skipped) {
          for (const skip of e.skipped) if (FAIRNESS_SKIP_SET.has(skip.reason)) out.skips.push({ repId: skip.repId, reason: skip.reason });
        }
        break;
      case "rejected":
        out.latestDecision = "rejected";
        if (e.repId) out.rejections.push({ repId: e.repId, reason: e.reasonCode ?? null });
        if (isWrongOwnerReason(e.reasonCode)) out.wrongAssigned = true;
        break;
      case "accepted":
        out.latestDecision = "accepted";
        break;
      case "first_touch":
        if (out.firstTouchAt === null || e.occurredAt < out.firstTouchAt) out.firstTouchAt = e.occurredAt;
        break;
      case "meeting_booked":
        out.meetingBooked = true;
        break;
      case "opportunity_created":
        out.opportunities += 1;
        out.pipelineAmount += e.amount ?? 0;
        break;
      case "queued_for_review":
        out.enteredReview = true;
        break;
    }
  }
  return out;
}

/** A lead's delays in minutes: speed to lead (received → first touch), system (received → assigned), human (assigned → first touch). */
export interface LeadDelays {
  toTouch: number | null;
  system: number | null;
  human: number | null;
}

/** Wall-clock delays of one lead, in minutes (null where the lead has not reached that point). */
export function wallDelays(o: Pick<LeadOutcome, "receivedAt" | "assignedAt" | "firstTouchAt">): LeadDelays {
  const received = o.receivedAt.getTime();
  return {
    toTouch: o.firstTouchAt ? (o.firstTouchAt.getTime() - received) / MINUTE : null,
    system: o.assignedAt ? (o.assignedAt.getTime() - received) / MINUTE : null,
    human: o.firstTouchAt && o.assignedAt ? (o.firstTouchAt.getTime() - o.assignedAt.getTime()) / MINUTE : null,
  };
}

/**
 * The same delays in business minutes of `calendar` (the owner team's; the workspace's review hours for a lead
 * with no team). A first touch recorded before the assignment gives a human delay of 0 business minutes and a
 * negative wall-clock one, as it happened.
 */
export function businessDelays(o: Pick<LeadOutcome, "receivedAt" | "assignedAt" | "firstTouchAt">, calendar: BusinessCalendar): LeadDelays {
  return {
    toTouch: o.firstTouchAt ? businessMinutesBetween(calendar, o.receivedAt, o.firstTouchAt) : null,
    system: o.assignedAt ? businessMinutesBetween(calendar, o.receivedAt, o.assignedAt) : null,
    human: o.firstTouchAt && o.assignedAt ? businessMinutesBetween(calendar, o.assignedAt, o.firstTouchAt) : null,
  };
}

/** Linear-interpolation percentile, identical to PostgreSQL `percentile_cont(p)`. Null for no values. */
export function percentileCont(sortedAscending: readonly number[], p: number): number | null {
  const n = sortedAscending.length;
  if (n === 0) return null;
  if (p <= 0) return sortedAscending[0]!;
  if (p >= 1) return sortedAscending[n - 1]!;
  const pos = p * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sortedAscending[lo]!;
  const b = sortedAscending[hi]!;
  return a + (b - a) * (pos - lo);
}

function median90(values: number[]): readonly [number | null, number | null] {
  values.sort((a, b) => a - b);
  return [percentileCont(values, 0.5), percentileCont(values, 0.9)];
}

export interface Ratio {
  numerator: number;
  denominator: number;
  /** numerator / denominator, or null when the denominator is 0 (no data is not 0%). */
  rate: number | null;
}

function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

export interface Kpis {
  volume: number;
  speedToLead: {
    /** Leads with a first touch. */
    n: number;
    medianMinutes: number | null;
    p90Minutes: number | null;
    medianBusinessMinutes: number | null;
    p90BusinessMinutes: number | null;
    systemDelay: { median: number | null; p90: number | null; medianBusiness: number | null; p90Business: number | null };
    humanDelay: { median: number | null; p90: number | null; medianBusiness: number | null; p90Business: number | null };
  };
  /** Among leads with an SLA that is due or touched: breached / all. */
  slaBreach: Ratio;
  /** Wrong-owner reassigned or rejected / assigned to an owner. */
  wrongAssignment: Ratio;
  /** Accepted / (accepted + rejected) by latest decision, among leads routed to a sales owner. */
  acceptance: Ratio;
  /** Meeting booked / routed to a sales owner. */
  meetingRate: Ratio;
  pipeline: { amount: number; opportunities: number };
  /** Entered the review queue / all received. */
  manualTriage: Ratio;
}

/** True when a lead's SLA counts toward the breach rate at `now`, and whether it was breached. */
export function slaStatus(o: Pick<LeadOutcome, "slaDueAt" | "firstTouchAt">, now: Date): { eligible: boolean; breached: boolean } {
  if (!o.slaDueAt) return { eligible: false, breached: false };
  const due = o.slaDueAt.getTime();
  if (o.firstTouchAt) return { eligible: true, breached: o.firstTouchAt.getTime() > due };
  if (now.getTime() > due) return { eligible: true, breached: true };
  return { eligible: false, breached: false };
}

/** Aggregates outcomes into the KPI set of DESIGN.md. */
export function computeKpis(outcomes: readonly LeadOutcome[], now: Date): Kpis {
  const toTouch: number[] = [];
  const system: number[] = [];
  const human: number[] = [];
  const toTouchB: number[] = [];
  const systemB: number[] = [];
  const humanB: number[] = [];
  let slaEligible = 0;
  let slaBreached = 0;
  let assigned = 0;
  let wrong = 0;
  let accepted = 0;
  let rejected = 0;
  let salesRouted = 0;
  let meetings = 0;
  let pipeline = 0;
  let opportunities = 0;
  let triaged = 0;

  for (const o of outcomes) {
    const wall = wallDelays(o);
    if (wall.toTouch !== null) toTouch.push(wall.toTouch);
    if (wall.system !== null) system.push(wall.system);
    if (wall.human !== null) human.push(wall.human);
    if (o.business?.toTouch != null) toTouchB.push(o.business.toTouch);
    if (o.business?.system != null) systemB.push(o.business.system);
    if (o.business?.human != null) humanB.push(o.business.human);
    const sla = slaStatus(o, now);
    if (sla.eligible) {
      slaEligible++;
      if (sla.breached) slaBreached++;
    }
    if (o.assignedToOwner) {
      assigned++;
      if (o.wrongAssigned) wrong++;
    }
    if (o.routedToSalesOwner) {
      salesRouted++;
      if (o.meetingBooked) meetings++;
      if (o.latestDecision === "accepted") accepted++;
      else if (o.latestDecision === "rejected") rejected++;
    }
    pipeline += o.pipelineAmount;
    opportunities += o.opportunities;
    if (o.enteredReview) triaged++;
  }

  return {
    ...kpiRatios({ volume: outcomes.length, slaEligible, slaBreached, assigned, wrong, accepted, rejected, salesRouted, meetings, pipeline, opportunities, triaged }),
    speedToLead: speedToLeadOf(toTouch.length, {
      toTouch: median90(toTouch), toTouchBusiness: median90(toTouchB), system: median90(system), systemBusiness: median90(systemB), human: median90(human), humanBusiness: median90(humanB),
    }),
  };
}

/** The counts behind the KPI set, however they were gathered (a fold in memory, SQL aggregates, daily rollups). */
export interface KpiCounts {
  volume: number;
  slaEligible: number;
  slaBreached: number;
  assigned: number;
  wrong: number;
  accepted: number;
  rejected: number;
  salesRouted: number;
  meetings: number;
  pipeline: number;
  opportunities: number;
  triaged: number;
}

/** Everything in the KPI set but speed to lead, from its counts (rates null where there is nothing to measure). */
export function kpiRatios(c: KpiCounts): Omit<Kpis, "speedToLead"> {
  return {
    volume: c.volume,
    slaBreach: ratio(c.slaBreached, c.slaEligible),
    wrongAssignment: ratio(c.wrong, c.assigned),
    acceptance: ratio(c.accepted, c.accepted + c.rejected),
    meetingRate: ratio(c.meetings, c.salesRouted),
    pipeline: { amount: Math.round(c.pipeline * 100) / 100, opportunities: c.opportunities },
    manualTriage: ratio(c.triaged, c.volume),
  };
}

/** A [median, p90] pair; null (or nulls) where it was not computed or there were no values. */
export type PercentilePair = readonly [number | null, number | null] | null;

/** Speed to lead of the KPI set from its n and the six [median, p90] pairs. */
export function speedToLeadOf(n: number, p: { toTouch: PercentilePair; toTouchBusiness: PercentilePair; system: PercentilePair; systemBusiness: PercentilePair; human: PercentilePair; humanBusiness: PercentilePair }): Kpis["speedToLead"] {
  const at = (pair: PercentilePair, i: 0 | 1) => pair?.[i] ?? null;
  return {
    n,
    medianMinutes: at(p.toTouch, 0),
    p90Minutes: at(p.toTouch, 1),
    medianBusinessMinutes: at(p.toTouchBusiness, 0),
    p90BusinessMinutes: at(p.toTouchBusiness, 1),
    systemDelay: { median: at(p.system, 0), p90: at(p.system, 1), medianBusiness: at(p.systemBusiness, 0), p90Business: at(p.systemBusiness, 1) },
    humanDelay: { median: at(p.human, 0), p90: at(p.human, 1), medianBusiness: at(p.humanBusiness, 0), p90Business: at(p.humanBusiness, 1) },
  };
}

/** Default targets (DESIGN.md "operating thresholds"); workspaces may override them. */
export interface MetricTargets {
  /** Median speed to lead, business minutes (DESIGN.md: high-intent under 5 minutes in business hours). */
  speedToLeadMinutes: number;
  wrongAssignmentRate: number;
  manualTriageRate: number;
  acceptanceRate: number;
  slaBreachRate: number;
  /** Meetings per lead routed to a sales owner (no field threshold in DESIGN.md; a common B2B benchmark). */
  meetingRate: number;
}

export const DEFAULT_TARGETS: MetricTargets = {
  speedToLeadMinutes: 5,
  wrongAssignmentRate: 0.05,
  manualTriageRate: 0.2,
  acceptanceRate: 0.6,
  slaBreachRate: 0.1,
  meetingRate: 0.15,
};

/** Bounds a workspace's targets must respect (zod schema in the settings router uses them). */
export const TARGET_LIMITS: Record<keyof MetricTargets, { min: number; max: number; unit: "minutes" | "rate" }> = {
  speedToLeadMinutes: { min: 0.5, max: 10_080, unit: "minutes" },
  wrongAssignmentRate: { min: 0, max: 1, unit: "rate" },
  manualTriageRate: { min: 0, max: 1, unit: "rate" },
  acceptanceRate: { min: 0, max: 1, unit: "rate" },
  slaBreachRate: { min: 0, max: 1, unit: "rate" },
  meetingRate: { min: 0, max: 1, unit: "rate" },
};
