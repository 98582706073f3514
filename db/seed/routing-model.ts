/**
 * The routing decisions the demo history is made of, computed by the same lib/ code live routing uses: the
 * decision table (lib/decision-table), business calendars for SLA due times (lib/calendar), owner assignment
 * (lib/assignment) and the points model (lib/scoring).
 */
import { addBusinessMinutes, nextOpening, type BusinessCalendar } from "@/lib/calendar";
import { assign as assignOwner, createAssignmentState, isOutOfOffice, recordOutcome as recordAssignmentOutcome, serializeState, type AssignmentTicket, type Destination, type RepProfile } from "@/lib/assignment";
import { compile, parseDecisionTable, type CompiledTable } from "@/lib/decision-table";
import { decideRoute, type Decision, type DecideInput, type RouteConfig } from "@/lib/routing/decide";
import type { LeadFacts } from "@/lib/routing/facts";
import type { Random } from "@/lib/random";
import { compileScoring, DEFAULT_SCORING_CONFIG, type CompiledScoring } from "@/lib/scoring";
import type { RepSeed, RoutePathSeed, TeamSeed } from "./workspace-config";

export interface ModelInput {
  /** The table JSON; parsed and compiled here (compile refuses a table with error diagnostics). */
  table: unknown;
  routePaths: readonly RoutePathSeed[];
  teams: Array<TeamSeed & { id: string }>;
  reps: Array<RepSeed & { id: string; teamId: string; outOfOffice: Array<{ startsAt: Date; endsAt: Date }> }>;
}

export type AssignOutcome =
  | { kind: "rep"; repId: string; teamKey: string; strategy: string; reason: string; ticket: AssignmentTicket; skipped: Array<{ repId: string; reason: string; strategy: string }> }
  | { kind: "queue"; reason: string };

export interface RoutingModel {
  score(facts: Record<string, unknown>): { points: number; tier: string; contributions: unknown[] };
  /** The decide step live routing runs (lib/routing/decide), on the facts as stored on the lead. */
  decide(facts: LeadFacts): Decision;
  routePath(key: string): RoutePathSeed;
  dueAt(teamKey: string, start: Date, businessMinutes: number): Date;
  nextOpen(teamKey: string, at: Date): Date;
  /** When a human gets to something: `medianBusinessMinutes` of working time (log-normal) after `start`. */
  humanTime(r: Random, teamKey: string, start: Date, medianBusinessMinutes: number): Date;
  assign(routeKey: string, facts: Record<string, unknown>, accountOwnerRepId: string | null, at: Date): AssignOutcome;
  /** A plausible wrong owner for the "before good routing" history: someone on the route's teams, outside the lead's territory. */
  wrongRepFor(r: Random, routeKey: string, correctRepId: string): { repId: string; teamKey: string; reason: string };
  /** Updates the round-robin ledger and open counts with what became of an assignment. */
  recordOutcome(ticket: AssignmentTicket, status: string): void;
  /** Whom ops picks by hand from the review queue: any active rep of the route's pool who is not away. */
  manualRep(r: Random, routeKey: string, at: Date): { repId: string; teamKey: string; reason: string };
  teamId(teamKey: string): string;
  /** The assignment state after the whole history (persisted so live routing continues from it). */
  assignmentState(): unknown;
}

export function createRoutingModel(input: ModelInput): RoutingModel {
  const compiled: CompiledTable = compile(parseDecisionTable(input.table));
  const scoring: CompiledScoring = compileScoring(DEFAULT_SCORING_CONFIG);
  const routes = new Map(input.routePaths.map((r) => [r.key, r]));
  const calendars = new Map<string, BusinessCalendar>(
    input.teams.map((t) => [t.key, { timeZone: t.timeZone, weeklyHours: t.weeklyHours, holidays: t.holidays }]),
  );
  const teamIdByKey = new Map(input.teams.map((t) => [t.key, t.id]));
  const teamKeyById = new Map(input.teams.map((t) => [t.id, t.key]));
  const profiles: RepProfile[] = input.reps.map((r) => {
    const team = input.teams.find((t) => t.id === r.teamId)!;
    return {
      id: r.id, teamId: r.teamId, name: r.name, active: true, weight: r.weight, timeZone: team.timeZone,
      workingHours: null, holidays: team.holidays, territories: r.territories, products: r.products, segments: r.segments,
      maxOpenLeads: r.maxOpenLeads, maxLeadsPerDay: r.maxLeadsPerDay, outOfOffice: r.outOfOffice,
    };
  });
  // One state for the workspace: round-robin pools are keyed by their teams inside it, so routes over the same
  // reps share one ledger, and open/daily counts are per rep whatever the route.
  const state = createAssignmentState();
  const destinations = new Map(input.routePaths.map((rp) => [rp.key, destinationFor(rp, input.reps)]));
  const definition = parseDecisionTable(input.table);
  const decideInput: DecideInput = {
    table: { versionId: "seed", version: 1, definition, compiled },
    routes: new Map(input.routePaths.map((rp): [string, RouteConfig] => [rp.key, {
      key: rp.key, name: rp.name, kind: rp.kind, confidenceThreshold: rp.confidenceThreshold, slaMinutes: rp.slaMinutes,
      destination: destinations.get(rp.key)!, fallbackRouteKey: rp.fallbackRouteKey,
    }])),
  };

  const poolOf = (routeKey: string): RepProfile[] => {
    const rr = destinations.get(routeKey)?.strategies.find((st) => st.kind === "round_robin");
    const ids = new Set(rr?.kind === "round_robin" ? rr.repIds : []);
    return profiles.filter((p) => ids.has(p.id));
  };
  const calendar = (teamKey: string) => {
    const c = calendars.get(teamKey);
    if (!c) throw new Error(`no calendar for team ${teamKey}`);
    return c;
  };

  return {
    score: (facts) => compiledScore(scoring, facts),
    decide(facts) {
      return decideRoute(decideInput, facts, { junk: false, doubt: false });
    },
    routePath(key) {
      const rp = routes.get(key);
      if (!rp) throw new Error(`unknown route path ${key}`);
      return rp;
    },
    dueAt: (teamKey, start, minutes) => addBusinessMinutes(calendar(teamKey), start, minutes),
    nextOpen: (teamKey, at) => nextOpening(calendar(teamKey), at),
    humanTime(r, teamKey, start, median) {
      return addBusinessMinutes(calendar(teamKey), start, Math.max(0.5, r.logNormal(median, 1.05)));
    },
    assign(routeKey, facts, accountOwnerRepId, at) {
      const destination = destinations.get(routeKey)!;
      const lead = {
        accountOwnerRepId: accountOwnerRepId ?? undefined,
        region: typeof facts.region === "string" ? facts.region : undefined,
        country: typeof facts.country === "string" ? facts.country : undefined,
        product: typeof facts.product_interest === "string" ? facts.product_interest : undefined,
        value: typeof facts.score === "number" ? facts.score : undefined,
      };
      const { result } = assignOwner(destination, lead, profiles, state, at);
      if (result.kind === "rep") {
        const rep = profiles.find((p) => p.id === result.repId)!;
        return {
          kind: "rep", repId: result.repId, teamKey: teamKeyById.get(rep.teamId)!, strategy: result.strategy, reason: result.reason.text, ticket: result.ticket,
          // Reps passed over on the way (out of office, at capacity…), as live routing records them on the assignment.
          skipped: result.reason.skipped.map((s) => ({ repId: s.repId, reason: s.reason, strategy: s.strategy })),
        };
      }
      return { kind: "queue", reason: result.reason.text };
    },
    wrongRepFor(r, routeKey, correctRepId) {
      const pool = poolOf(routeKey).filter((p) => p.id !== correctRepId);
      const rep = r.pick(pool.length ? pool : profiles.filter((p) => p.id !== correctRepId));
      return { repId: rep.id, teamKey: teamKeyById.get(rep.teamId)!, reason: "Legacy round robin (no territory check)" };
    },
    manualRep(r, routeKey, at) {
      const pool = poolOf(routeKey);
      const present = pool.filter((p) => !isOutOfOffice(p, at.getTime()));
      const rep = r.pick(present.length ? present : pool.length ? pool : profiles);
      return { repId: rep.id, teamKey: teamKeyById.get(rep.teamId)!, reason: "Assigned by ops from the review queue" };
    },
    recordOutcome(ticket, status) {
      recordAssignmentOutcome(state, ticket, status);
    },
    teamId: (teamKey) => teamIdByKey.get(teamKey)!,
    assignmentState: () => serializeState(state),
  };
}

function compiledScore(scoring: CompiledScoring, facts: Record<string, unknown>) {
  const r = scoring.score({
    employees: facts.employees, seniority: facts.seniority, productInterest: facts.product_interest,
    emailType: facts.business_email ? "business" : "free", routingRegion: facts.region, country: facts.country,
    existingCustomer: facts.is_existing_customer, intentCategory: facts.category, urgency: facts.urgency, isJunk: false,
  });
  return { points: r.points, tier: r.tier, contributions: r.contributions };
}

/**
 * A route path's owner strategy as stored on the route path: the account owner first where configured, then
 * weighted round robin over the reps of the route's teams in the route's roles (territory-matched for sales),
 * then the route's queue; nobody eligible → the review queue.
 */
export function destinationFor(rp: RoutePathSeed, reps: ReadonlyArray<{ id: string; team: string; role: string }>): Destination {
  const strategies: Destination["strategies"] = [];
  if (rp.accountOwnerFirst) strategies.push({ kind: "account_owner", fallThrough: true });
  if (rp.teams.length) {
    strategies.push({
      kind: "round_robin",
      poolKey: rp.key,
      repIds: reps.filter((r) => rp.teams.includes(r.team) && (rp.roles as string[]).includes(r.role)).map((r) => r.id),
      matchTerritory: rp.kind === "sales",
      respectCapacity: true,
      respectWorkingHours: false,
      countAccountOwnerAssignments: false,
    });
  }
  if (rp.queue) strategies.push({ kind: "queue", queue: rp.queue });
  return { strategies, fallback: { kind: "queue", queue: "review" } };
}
