/**
 * Owner placement for a decided route: the destination's strategies, then up to two fallback route paths (three
 * destinations in all), then the review queue. Pure over an assignment state it mutates in place, so live routing (against the locked
 * state) and simulation (against a replayed state) place leads the same way.
 */
import {
  applyAssignment,
  decideAssignment,
  describeNoEligibleOwner,
  type AssignmentLead,
  type AssignmentResult,
  type AssignmentState,
  type RepProfile,
  type SkippedRep,
} from "../assignment";
import type { BusinessCalendar } from "../calendar";
import type { RouteConfig } from "./decide";

export type Placement =
  | { kind: "rep"; repId: string; teamId: string; strategy: string; reason: string; result: (AssignmentResult & { kind: "rep" }) | null }
  | { kind: "queue"; queue: string; status: "in_review" | "queued" | "junk"; reviewReason: { code: string; text: string } | null };

export interface PlaceContext {
  routes: ReadonlyMap<string, RouteConfig>;
  reps: readonly RepProfile[];
  repsById: ReadonlyMap<string, RepProfile>;
  teamCalendars: ReadonlyMap<string, BusinessCalendar>;
}

/** True when placing on this route reads or writes the assignment state. */
export function routeNeedsState(route: RouteConfig): boolean {
  return route.kind !== "junk" && route.destination.strategies.some((s) => s.kind !== "queue");
}

function queueOf(route: RouteConfig): string | null {
  const q = route.destination.strategies.find((s) => s.kind === "queue");
  return q?.kind === "queue" ? q.queue : null;
}

/**
 * Places a lead whose route is decided and not sent to review. `fallbackReview` is set when the lead lands in the
 * review queue for want of an eligible owner; `explain: false` leaves its text empty (simulation does not show it).
 */
export function placeOnRoute(
  ctx: PlaceContext,
  route: RouteConfig,
  lead: AssignmentLead,
  state: AssignmentState,
  now: Date,
  options: { explain?: boolean } = {},
): { placement: Placement; fallbackReview: { code: string; text: string } | null; skipped: readonly SkippedRep[] } {
  if (route.kind === "junk") return { placement: { kind: "queue", queue: queueOf(route) ?? "junk", status: "junk", reviewReason: null }, fallbackReview: null, skipped: [] };
  let destination = route.destination;
  // Reps passed over on the way, over every destination tried (simulation counts capacity skips from them).
  const skipped: SkippedRep[] = [];
  const assignContext = { teamCalendars: ctx.teamCalendars, explain: options.explain !== false };
  for (let hop = 0; hop < 3; hop++) {
    const decision = decideAssignment(destination, lead, ctx.reps, state, now, assignContext);
    const result = decision.result;
    skipped.push(...result.reason.skipped);
    if (result.kind === "rep") {
      applyAssignment(state, decision);
      const rep = ctx.repsById.get(result.repId)!;
      return { placement: { kind: "rep", repId: rep.id, result, reason: result.reason.text, strategy: result.strategy, teamId: rep.teamId }, fallbackReview: null, skipped };
    }
    if (result.kind === "queue") {
      if (result.queue === "review" || result.reason.kind === "fallback") {
        // Simulation places millions of leads and never shows this text: it asks for none.
        const review = { code: "no_eligible_owner", text: options.explain === false ? "" : describeNoEligibleOwner(route.name, result.reason.skipped) };
        return { placement: { kind: "queue", queue: result.queue, status: "in_review", reviewReason: review }, fallbackReview: review, skipped };
      }
      return { placement: { kind: "queue", queue: result.queue, status: "queued", reviewReason: null }, fallbackReview: null, skipped };
    }
    const next = ctx.routes.get(result.routePathKey);
    if (!next) break;
    destination = next.destination;
  }
  const review = { code: "no_eligible_owner", text: `No eligible owner for ${route.name} and its fallbacks` };
  return { placement: { kind: "queue", queue: "review", status: "in_review", reviewReason: review }, fallbackReview: review, skipped };
}
