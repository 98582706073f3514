/**
 * Owner assignment: the shapes of reps, strategies, destinations, results and the persisted state.
 *
 * A route path's Destination lists strategies tried in order (account owner, a specific rep, a queue, weighted
 * round robin); the first that yields an owner or a queue wins; when none does, the destination's fallback (a queue
 * or another route path) is returned as a result — never thrown.
 */

import { z } from "zod";
import { type BusinessCalendar, Holiday, isValidTimeZone, WeeklyHours } from "../calendar";

/** Why a rep was passed over. Availability reasons come first (inactive … capacity_daily), then lead fit. */
export const SKIP_REASONS = [
  "inactive",
  "zero_weight",
  "out_of_office",
  "outside_hours",
  "capacity_open",
  "capacity_daily",
  "excluded",
  "territory",
  "product",
  "segment",
  "not_found",
] as const;
export const SkipReason = z.enum(SKIP_REASONS);
export type SkipReason = z.infer<typeof SkipReason>;

export const OutOfOffice = z.object({ startsAt: z.coerce.date(), endsAt: z.coerce.date() });
export type OutOfOffice = z.infer<typeof OutOfOffice>;

/** A rep as assignment sees them (built from the reps, rep_out_of_office and teams tables). */
export const RepProfile = z.object({
  id: z.string().min(1),
  teamId: z.string().min(1),
  name: z.string(),
  active: z.boolean(),
  /** Relative round-robin weight; 0 = never picked by round robin (named assignment still works). */
  weight: z.number().finite().min(0),
  /** IANA zone of the rep: working hours and the per-day cap are counted in it. */
  timeZone: z.string().refine(isValidTimeZone, { error: "Expected an IANA time zone." }),
  /** The rep's own weekly hours; null → the team calendar's weekly hours (in the rep's zone). */
  workingHours: WeeklyHours.nullable(),
  /** The rep's own holidays; absent → the team calendar's holidays. */
  holidays: z.array(Holiday).optional(),
  /** Region codes (NA, EMEA, APAC, LATAM…) or ISO country codes the rep covers; [] = any. */
  territories: z.array(z.string()),
  /** Products the rep sells; [] = any. */
  products: z.array(z.string()),
  /** Segments the rep covers (enterprise, mid-market, smb…); [] = any. */
  segments: z.array(z.string()),
  /** Cap on leads assigned and not yet closed/rejected/reassigned; null = no cap. */
  maxOpenLeads: z.number().int().min(0).nullable(),
  /** Cap on leads assigned per calendar day in the rep's zone; null = no cap. */
  maxLeadsPerDay: z.number().int().min(0).nullable(),
  /** Absences, half-open [startsAt, endsAt). */
  outOfOffice: z.array(OutOfOffice),
});
export type RepProfile = z.infer<typeof RepProfile>;

/**
 * The matched account's owner. When the owner is inactive or out of office: `fallThrough` true (default) tries the
 * next strategy; false keeps the owner anyway. An owner who is not a known rep, or who already rejected this lead
 * (`excludeRepIds`), always falls through.
 */
export const AccountOwnerStrategy = z.object({ kind: z.literal("account_owner"), fallThrough: z.boolean().optional() });
/** A specific rep; inactive/out-of-office handling as for the account owner. */
export const RepStrategy = z.object({ kind: z.literal("rep"), repId: z.string().min(1), fallThrough: z.boolean().optional() });
/** A named queue with no rep (e.g. "review", "nurture-queue"). Always succeeds. */
export const QueueStrategy = z.object({ kind: z.literal("queue"), queue: z.string().min(1) });
/**
 * Weighted round robin over a pool: reps of `teamIds` plus the reps of `repIds` (neither given → every rep passed
 * to `assign`). Each lead goes to the eligible rep furthest behind their weighted share (see round-robin.ts).
 */
export const RoundRobinStrategy = z.object({
  kind: z.literal("round_robin"),
  /** Names the share ledger; defaults to one derived from teamIds/repIds, so routes over the same pool share it. */
  poolKey: z.string().min(1).optional(),
  teamIds: z.array(z.string()).optional(),
  repIds: z.array(z.string()).optional(),
  /** Count each lead by its `value` (e.g. priority points) instead of 1. Default false. */
  valueWeighted: z.boolean().optional(),
  /** Skip reps outside their working hours. Default false. Needs team calendars when a rep has no own hours. */
  respectWorkingHours: z.boolean().optional(),
  /** Skip reps at their open-lead or per-day cap. Default true. */
  respectCapacity: z.boolean().optional(),
  /** Only reps whose territories include the lead's country or region. Default false. */
  matchTerritory: z.boolean().optional(),
  /** Only reps who sell the lead's product. Default false. */
  matchProduct: z.boolean().optional(),
  /** Only reps who cover the lead's segment. Default false. */
  matchSegment: z.boolean().optional(),
  /** Count leads given to the account owner (earlier in the same destination) toward this pool's shares. Default false. */
  countAccountOwnerAssignments: z.boolean().optional(),
});
export type RoundRobinStrategy = z.infer<typeof RoundRobinStrategy>;

export const AssignmentStrategy = z.discriminatedUnion("kind", [AccountOwnerStrategy, RepStrategy, QueueStrategy, RoundRobinStrategy]);
export type AssignmentStrategy = z.infer<typeof AssignmentStrategy>;
export type StrategyKind = AssignmentStrategy["kind"];

export const Fallback = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("queue"), queue: z.string().min(1) }),
  z.object({ kind: z.literal("route"), routePathKey: z.string().min(1) }),
]);
export type Fallback = z.infer<typeof Fallback>;

/** A route path's owner strategy: strategies tried in order, then the fallback. */
export const Destination = z.object({ strategies: z.array(AssignmentStrategy), fallback: Fallback });
export type Destination = z.infer<typeof Destination>;

/**
 * The lead facts assignment reads. Unknown facts (absent/null) never exclude a rep: a lead with no country matches
 * every territory. `value` counts only in value-weighted pools (absent or ≤ 0 → 1). `excludeRepIds`: reps who
 * already rejected this lead, skipped on re-routing.
 */
export const AssignmentLead = z.object({
  accountOwnerRepId: z.string().nullish(),
  region: z.string().nullish(),
  country: z.string().nullish(),
  product: z.string().nullish(),
  segment: z.string().nullish(),
  value: z.number().finite().nullish(),
  excludeRepIds: z.array(z.string()).optional(),
});
export type AssignmentLead = z.infer<typeof AssignmentLead>;

export const SkippedRep = z.object({ repId: z.string(), reason: SkipReason, strategy: z.enum(["account_owner", "rep", "round_robin"]) });
export type SkippedRep = z.infer<typeof SkippedRep>;

/** One eligible rep as round robin saw them. Shares are over the leads (or lead value) the rep was eligible for. */
export const RoundRobinCandidate = z.object({
  repId: z.string(),
  name: z.string(),
  weight: z.number(),
  /** weight / sum of eligible weights, for this lead. */
  targetShare: z.number(),
  /** Received / exposure: the rep's share of the pool leads they were eligible for (before this lead). */
  share: z.number(),
  /** Entitled / exposure: the share they were due over the same leads (targetShare when they have no history). */
  target: z.number(),
  /** Entitled minus received after this lead's entitlement: the largest wins. */
  deficit: z.number(),
});
export type RoundRobinCandidate = z.infer<typeof RoundRobinCandidate>;

export const StrategyStep = z.object({
  index: z.number().int(),
  strategy: z.enum(["account_owner", "rep", "queue", "round_robin"]),
  outcome: z.enum(["assigned", "queued", "fell_through"]),
  text: z.string(),
});
export type StrategyStep = z.infer<typeof StrategyStep>;

/** Why the lead went where it went: structured (for the trace and the fairness report) and as a sentence. */
export const AssignmentReason = z.object({
  kind: z.enum(["account_owner", "rep", "queue", "round_robin", "fallback"]),
  text: z.string(),
  /** Round robin only: every eligible rep with their standing ([] for other kinds). */
  candidates: z.array(RoundRobinCandidate),
  /** Every rep passed over, by any strategy tried, in order. */
  skipped: z.array(SkippedRep),
  /** One entry per strategy tried. */
  steps: z.array(StrategyStep),
});
export type AssignmentReason = z.infer<typeof AssignmentReason>;

/**
 * What an assignment to a rep changed, to undo it exactly on a rejection: keep it with the assignment (e.g. in the
 * `assigned` event's data) and pass it to onRejected / onReassigned / onClosed.
 */
export const AssignmentTicket = z.object({
  repId: z.string(),
  strategy: z.enum(["account_owner", "rep", "round_robin"]),
  /** The round-robin ledger the lead was counted in, or null (not counted). */
  poolKey: z.string().nullable(),
  /** The pool's assignment number for this lead (0 when not counted). */
  seq: z.number().int(),
  value: z.number(),
  /** Entitlement each eligible rep received for this lead. */
  shares: z.array(z.tuple([z.string(), z.number()])),
  /** The rep-local date (YYYY-MM-DD) the lead counted toward the per-day cap. */
  day: z.string(),
});
export type AssignmentTicket = z.infer<typeof AssignmentTicket>;

export const AssignmentResult = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("rep"), repId: z.string(), strategy: z.enum(["account_owner", "rep", "round_robin"]), reason: AssignmentReason, ticket: AssignmentTicket }),
  z.object({ kind: z.literal("queue"), queue: z.string(), reason: AssignmentReason }),
  z.object({ kind: z.literal("route"), routePathKey: z.string(), reason: AssignmentReason }),
]);
export type AssignmentResult = z.infer<typeof AssignmentResult>;

// ------------------------------------------------------------------------------------------------ state (jsonb)

/** A rep's standing in one round-robin pool. Amounts are in leads (or lead value in value-weighted pools). */
export const PoolRepState = z.object({
  /** Entitled − received, adjusted when the rep rejoins (see round-robin.ts). The rep with the largest is picked. */
  deficit: z.number(),
  /** Lead value received (net of refunds). */
  received: z.number(),
  /** Lead value the rep was due: Σ value × weight / eligible weight over leads they were eligible for. */
  entitled: z.number(),
  /** Lead value of the pool leads the rep was eligible for. */
  exposure: z.number(),
  /** Leads received (net of refunds). */
  assigned: z.number().int(),
  /** The pool's `seq` at the last assignment when the rep was available (not away, in hours, under caps). */
  lastAvailableSeq: z.number().int(),
});
export type PoolRepState = z.infer<typeof PoolRepState>;

/** The pool's most recent counted assignment, so a refund given only the rep id can still be exact. */
export const LastPoolAssignment = z.object({
  /** The pool's `seq` for that assignment. */
  seq: z.number().int(),
  repId: z.string(),
  value: z.number(),
  shares: z.array(z.tuple([z.string(), z.number()])),
});
export type LastPoolAssignment = z.infer<typeof LastPoolAssignment>;

export const PoolState = z.object({
  /** Assignments made in this pool. */
  seq: z.number().int().min(0),
  reps: z.record(z.string(), PoolRepState),
  /** The latest counted assignment (null once refunded or before any). */
  last: LastPoolAssignment.nullable().default(null),
});
export type PoolState = z.infer<typeof PoolState>;

/** A rep's load across all pools and strategies (capacity caps). */
export const RepLoadState = z.object({
  /** Leads assigned and not yet closed, rejected or reassigned away. */
  open: z.number().int().min(0),
  /** The rep-local date `today` counts, or null. */
  day: z.string().nullable(),
  /** Leads assigned on `day`. */
  today: z.number().int().min(0),
  /** Pool of the rep's latest counted assignment and its value, for refunds given only a rep id. */
  lastPool: z.string().nullable(),
  lastValue: z.number(),
});
export type RepLoadState = z.infer<typeof RepLoadState>;

/**
 * Assignment state, persisted as jsonb between live assignments (one row per pool key, or one per workspace).
 * Plain JSON — no Dates or Maps — so `JSON.stringify` round-trips it; `serializeState`/`deserializeState` copy
 * and validate it. `revision` increases with every change, so a stale decision cannot be applied. Example:
 *
 *     { "version": 1, "revision": 42,
 *       "pools": { "rr:teams=<team-id>;reps=": { "seq": 40,
 *           "last": { "seq": 40, "repId": "r2", "value": 1, "shares": [["r1", 0.6], ["r2", 0.4]] },
 *           "reps": { "r1": { "deficit": 0.35, "received": 24, "entitled": 24.35, "exposure": 40, "assigned": 24, "lastAvailableSeq": 40 },
 *                     "r2": { "deficit": -0.35, "received": 16, "entitled": 15.65, "exposure": 40, "assigned": 16, "lastAvailableSeq": 40 } } } },
 *       "reps": { "r1": { "open": 7, "day": "2026-03-10", "today": 3, "lastPool": null, "lastValue": 0 },
 *                 "r2": { "open": 5, "day": "2026-03-10", "today": 2, "lastPool": "rr:teams=<team-id>;reps=", "lastValue": 1 } } }
 *
 * Size is O(pools × reps), independent of history.
 */
export const AssignmentState = z.object({
  version: z.literal(1),
  revision: z.number().int().min(0),
  pools: z.record(z.string(), PoolState),
  reps: z.record(z.string(), RepLoadState),
});
export type AssignmentState = z.infer<typeof AssignmentState>;

/** Teams' calendars and live load figures that assignment may need beyond the reps and the state. */
export interface AssignContext {
  /** Team calendars by team id: a rep with `workingHours: null` works the team's weekly hours (and holidays). */
  teamCalendars?: ReadonlyMap<string, BusinessCalendar> | Readonly<Record<string, BusinessCalendar>>;
  /**
   * Live load per rep id from the database (open leads, leads today in the rep's zone). When given for a rep it
   * overrides the counts kept in the state for capacity checks.
   */
  loads?: ReadonlyMap<string, RepLoad> | Readonly<Record<string, RepLoad>>;
  /**
   * false: leave the reason's text empty and its steps out (what-if simulation places a million leads and shows
   * none of them). The decision itself, its candidates and its skipped reps are the same.
   */
  explain?: boolean;
}

export interface RepLoad {
  openLeads?: number;
  leadsToday?: number;
}

export type AssignmentErrorCode = "missing_team_calendar" | "stale_decision" | "invalid_state";

/** A configuration or usage error (not "no eligible rep", which is a fallback result). */
export class AssignmentError extends Error {
  override readonly name = "AssignmentError";
  constructor(
    readonly code: AssignmentErrorCode,
    message: string,
  ) {
    super(message);
  }
}
