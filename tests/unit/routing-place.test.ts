/**
 * Owner placement for a decided route (lib/routing/place.ts): junk queue, the destination's strategies against a
 * mutated assignment state, fallback route hops, and the review queue when nobody is eligible.
 */
import { describe, expect, it } from "vitest";
import { createAssignmentState, onClosed, type AssignmentLead, type Destination, type RepProfile } from "@/lib/assignment";
import type { BusinessCalendar } from "@/lib/calendar";
import type { RouteConfig, RouteKind } from "@/lib/routing/decide";
import { placeOnRoute, routeNeedsState, type PlaceContext } from "@/lib/routing/place";

function rep(id: string, extra: Partial<RepProfile> = {}): RepProfile {
  return {
    id, teamId: "team-ae", name: id.toUpperCase(), active: true, weight: 1, timeZone: "UTC", workingHours: null,
    territories: [], products: [], segments: [], maxOpenLeads: null, maxLeadsPerDay: null, outOfOffice: [], ...extra,
  };
}

function route(key: string, kind: RouteKind, destination: Destination, name = key.toUpperCase()): RouteConfig {
  return { key, name, kind, confidenceThreshold: null, slaMinutes: 30, destination, fallbackRouteKey: null };
}

const rr = (repIds: string[], poolKey: string, extra: Record<string, unknown> = {}): Destination["strategies"][number] => ({ kind: "round_robin", poolKey, repIds, ...extra });
const toReview: Destination["fallback"] = { kind: "queue", queue: "review" };
const toRoute = (routePathKey: string): Destination["fallback"] => ({ kind: "route", routePathKey });

function ctxOf(routes: RouteConfig[], reps: RepProfile[], teamCalendars = new Map<string, BusinessCalendar>()): PlaceContext {
  return { routes: new Map(routes.map((r) => [r.key, r])), reps, repsById: new Map(reps.map((r) => [r.id, r])), teamCalendars };
}

const LEAD: AssignmentLead = { accountOwnerRepId: null, region: "NA", country: "US", product: null, value: null };
const NOW = new Date("2026-03-02T10:00:00Z"); // a Monday

describe("routeNeedsState", () => {
  it("is true only for non-junk routes with a strategy other than a queue", () => {
    expect(routeNeedsState(route("ae", "sales", { strategies: [rr(["a"], "p")], fallback: toReview }))).toBe(true);
    expect(routeNeedsState(route("ae", "sales", { strategies: [{ kind: "account_owner" }, { kind: "queue", queue: "q" }], fallback: toReview }))).toBe(true);
    expect(routeNeedsState(route("x", "support", { strategies: [{ kind: "rep", repId: "a" }], fallback: toReview }))).toBe(true);
    expect(routeNeedsState(route("n", "nurture", { strategies: [{ kind: "queue", queue: "nurture" }], fallback: toReview }))).toBe(false);
    expect(routeNeedsState(route("n", "nurture", { strategies: [], fallback: toReview }))).toBe(false);
    expect(routeNeedsState(route("j", "junk", { strategies: [rr(["a"], "p")], fallback: toReview }))).toBe(false);
  });
});

describe("placeOnRoute", () => {
  it("puts junk in the junk route's queue (or `junk`) without touching the state", () => {
    const state = createAssignmentState();
    const named = route("junk", "junk", { strategies: [{ kind: "queue", queue: "spam-bin" }], fallback: toReview });
    const bare = route("junk", "junk", { strategies: [rr(["a"], "p")], fallback: toReview });
    const ctx = ctxOf([named], [rep("a")]);
    expect(placeOnRoute(ctx, named, LEAD, state, NOW)).toEqual({ placement: { kind: "queue", queue: "spam-bin", status: "junk", reviewReason: null }, fallbackReview: null, skipped: [] });
    expect(placeOnRoute(ctx, bare, LEAD, state, NOW)).toEqual({ placement: { kind: "queue", queue: "junk", status: "junk", reviewReason: null }, fallbackReview: null, skipped: [] });
    expect(state.revision).toBe(0);
    expect(Object.keys(state.reps)).toEqual([]);
  });

  it("round robins over two reps, mutating the state in place", () => {
    const reps = [rep("b"), rep("a", { teamId: "team-x" })];
    const ae = route("ae", "sales", { strategies: [rr(["a", "b"], "ae")], fallback: toReview });
    const ctx = ctxOf([ae], reps);
    const state = createAssignmentState();
    const owners: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { placement, fallbackReview } = placeOnRoute(ctx, ae, LEAD, state, new Date(NOW.getTime() + i * 60_000));
      expect(fallbackReview).toBeNull();
      if (placement.kind !== "rep") throw new Error("expected a rep");
      owners.push(placement.repId);
      expect(placement.strategy).toBe("round_robin");
      expect(placement.teamId).toBe(placement.repId === "a" ? "team-x" : "team-ae");
      expect(placement.reason).toBe(placement.result?.reason.text);
      expect(placement.result?.ticket).toMatchObject({ repId: placement.repId, poolKey: "ae", seq: i + 1 });
    }
    // Equal weights: a tie goes to the lower id, then strict alternation.
    expect(owners).toEqual(["a", "b", "a", "b", "a"]);
    expect(state.revision).toBe(5);
    expect(state.reps.a).toMatchObject({ open: 3, today: 3, day: "2026-03-02" });
    expect(state.reps.b).toMatchObject({ open: 2, today: 2 });
    expect(state.pools.ae?.seq).toBe(5);
  });

  it("assigns the account owner first when the destination says so", () => {
    const reps = [rep("a"), rep("b"), rep("c", { teamId: "team-am" })];
    const ae = route("ae", "sales", { strategies: [{ kind: "account_owner" }, rr(["a", "b"], "ae")], fallback: toReview });
    const state = createAssignmentState();
    const { placement } = placeOnRoute(ctxOf([ae], reps), ae, { ...LEAD, accountOwnerRepId: "c" }, state, NOW);
    expect(placement).toMatchObject({ kind: "rep", repId: "c", teamId: "team-am", strategy: "account_owner" });
    expect(state.reps.c?.open).toBe(1);
    expect(state.pools.ae).toBeUndefined();
  });

  it("a queue strategy queues the lead; a `review` queue strategy puts it in review", () => {
    const nurture = route("nurture", "nurture", { strategies: [{ kind: "queue", queue: "nurture" }], fallback: toReview }, "Nurture");
    const review = route("review", "review", { strategies: [{ kind: "queue", queue: "review" }], fallback: toReview }, "Review queue");
    const ctx = ctxOf([nurture, review], []);
    const state = createAssignmentState();
    expect(placeOnRoute(ctx, nurture, LEAD, state, NOW)).toEqual({ placement: { kind: "queue", queue: "nurture", status: "queued", reviewReason: null }, fallbackReview: null, skipped: [] });
    const r = placeOnRoute(ctx, review, LEAD, state, NOW);
    const reason = { code: "no_eligible_owner", text: "No rep is configured for Review queue." };
    expect(r).toEqual({ placement: { kind: "queue", queue: "review", status: "in_review", reviewReason: reason }, fallbackReview: reason, skipped: [] });
    expect(state.revision).toBe(0);
  });

  it("sends the lead to review, saying why, when nobody is eligible", () => {
    const reps = [rep("a", { active: false }), rep("b", { active: false }), rep("c", { outOfOffice: [{ startsAt: new Date("2026-03-01T00:00:00Z"), endsAt: new Date("2026-03-09T00:00:00Z") }] })];
    const ae = route("ae", "sales", { strategies: [rr(["a", "b", "c"], "ae")], fallback: toReview }, "AE direct");
    const state = createAssignmentState();
    const r = placeOnRoute(ctxOf([ae], reps), ae, LEAD, state, NOW);
    const reason = { code: "no_eligible_owner", text: "No eligible rep for AE direct: 2 inactive, 1 out of office." };
    expect(r).toEqual({ placement: { kind: "queue", queue: "review", status: "in_review", reviewReason: reason }, fallbackReview: reason, skipped: [{ repId: "a", reason: "inactive", strategy: "round_robin" }, { repId: "b", reason: "inactive", strategy: "round_robin" }, { repId: "c", reason: "out_of_office", strategy: "round_robin" }] });
    expect(state.revision).toBe(0);
  });

  it("a fallback to another queue still counts as no eligible owner", () => {
    const ae = route("ae", "sales", { strategies: [rr(["a"], "ae")], fallback: { kind: "queue", queue: "nurture" } }, "AE direct");
    const r = placeOnRoute(ctxOf([ae], [rep("a", { active: false })]), ae, LEAD, createAssignmentState(), NOW);
    expect(r.placement).toEqual({ kind: "queue", queue: "nurture", status: "in_review", reviewReason: { code: "no_eligible_owner", text: "No eligible rep for AE direct: 1 inactive." } });
    expect(r.fallbackReview?.code).toBe("no_eligible_owner");
  });

  it("frees a capacity slot when the lead is closed", () => {
    const ae = route("ae", "sales", { strategies: [rr(["a"], "ae")], fallback: toReview }, "AE direct");
    const ctx = ctxOf([ae], [rep("a", { maxOpenLeads: 1 })]);
    const state = createAssignmentState();
    const first = placeOnRoute(ctx, ae, LEAD, state, NOW).placement;
    expect(first).toMatchObject({ kind: "rep", repId: "a" });
    const second = placeOnRoute(ctx, ae, LEAD, state, NOW);
    expect(second.placement).toMatchObject({ kind: "queue", queue: "review", status: "in_review" });
    expect(second.fallbackReview?.text).toBe("No eligible rep for AE direct: 1 at their open-lead cap.");
    if (first.kind !== "rep" || !first.result) throw new Error("expected a rep");
    onClosed(state, first.result.ticket);
    expect(placeOnRoute(ctx, ae, LEAD, state, NOW).placement).toMatchObject({ kind: "rep", repId: "a" });
  });

  it("follows fallback route paths and places with the fallback's strategies", () => {
    const reps = [rep("a", { active: false }), rep("o", { teamId: "team-over" })];
    const ae = route("ae", "sales", { strategies: [rr(["a"], "ae")], fallback: toRoute("overflow") });
    const overflow = route("overflow", "sales", { strategies: [rr(["o"], "overflow")], fallback: toReview });
    const state = createAssignmentState();
    const r = placeOnRoute(ctxOf([ae, overflow], reps), ae, LEAD, state, NOW);
    expect(r.fallbackReview).toBeNull();
    expect(r.placement).toMatchObject({ kind: "rep", repId: "o", teamId: "team-over", strategy: "round_robin" });
    expect(state.pools.overflow?.seq).toBe(1);
    expect(state.pools.ae).toBeUndefined();
  });

  it("follows two hops to a queue, and reports the original route when a hop ends in review", () => {
    const reps = [rep("a", { active: false }), rep("b", { active: false })];
    const a = route("a", "sales", { strategies: [rr(["a"], "a")], fallback: toRoute("b") }, "Route A");
    const b = route("b", "sales", { strategies: [rr(["b"], "b")], fallback: toRoute("c") }, "Route B");
    const cQueue = route("c", "nurture", { strategies: [{ kind: "queue", queue: "nurture" }], fallback: toReview });
    const cRr = route("c", "sales", { strategies: [rr(["a", "b"], "c")], fallback: toReview });
    expect(placeOnRoute(ctxOf([a, b, cQueue], reps), a, LEAD, createAssignmentState(), NOW).placement).toEqual({ kind: "queue", queue: "nurture", status: "queued", reviewReason: null });
    const r = placeOnRoute(ctxOf([a, b, cRr], reps), a, LEAD, createAssignmentState(), NOW);
    expect(r.placement).toMatchObject({ kind: "queue", queue: "review", status: "in_review" });
    expect(r.fallbackReview?.text).toBe("No eligible rep for Route A: 2 inactive.");
  });

  it("gives up with a review reason on a missing fallback route or a fallback cycle", () => {
    const reps = [rep("a", { active: false })];
    const ae = route("ae", "sales", { strategies: [rr(["a"], "ae")], fallback: toRoute("gone") }, "AE direct");
    const review = { code: "no_eligible_owner", text: "No eligible owner for AE direct and its fallbacks" };
    expect(placeOnRoute(ctxOf([ae], reps), ae, LEAD, createAssignmentState(), NOW)).toEqual({
      placement: { kind: "queue", queue: "review", status: "in_review", reviewReason: review }, fallbackReview: review,
      skipped: [{ repId: "a", reason: "inactive", strategy: "round_robin" }],
    });
    const x = route("x", "sales", { strategies: [rr(["a"], "x")], fallback: toRoute("y") }, "X");
    const y = route("y", "sales", { strategies: [rr(["a"], "y")], fallback: toRoute("x") }, "Y");
    const r = placeOnRoute(ctxOf([x, y], reps), x, LEAD, createAssignmentState(), NOW);
    expect(r.fallbackReview).toEqual({ code: "no_eligible_owner", text: "No eligible owner for X and its fallbacks" });
    // Three destinations tried (x, y, x again): the inactive rep was passed over at each.
    expect(r.skipped).toHaveLength(3);
  });

  it("passes the team calendars on, for pools that respect working hours", () => {
    const cal: BusinessCalendar = { timeZone: "UTC", weeklyHours: { mon: [["09:00", "17:00"]], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, holidays: [] };
    const ae = route("ae", "sales", { strategies: [rr(["a"], "ae", { respectWorkingHours: true })], fallback: toReview }, "AE direct");
    const ctx = ctxOf([ae], [rep("a")], new Map([["team-ae", cal]]));
    expect(placeOnRoute(ctx, ae, LEAD, createAssignmentState(), NOW).placement).toMatchObject({ kind: "rep", repId: "a" });
    const evening = placeOnRoute(ctx, ae, LEAD, createAssignmentState(), new Date("2026-03-02T18:00:00Z"));
    expect(evening.fallbackReview?.text).toBe("No eligible rep for AE direct: 1 outside working hours.");
  });
});
