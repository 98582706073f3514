/**
 * The decide step: facts → route path, with the guards live routing applies. One implementation for live
 * ingestion, the demo history, the single-lead preview and what-if simulation, so a replay of history through the
 * version that routed it reproduces what happened.
 */
import type { EscalationChain } from "../sla/escalation";
import type { Destination } from "../assignment";
import { evaluate, evaluateTraced, findOutputByRole, firstOutputs, type CompiledTable, type DecisionTable } from "../decision-table";
import type { LeadFacts } from "./facts";

export type RouteKind = "sales" | "support" | "partner" | "nurture" | "junk" | "review";

export interface RouteConfig {
  key: string;
  name: string;
  kind: RouteKind;
  confidenceThreshold: number | null;
  slaMinutes: number | null;
  destination: Destination;
  fallbackRouteKey: string | null;
  /** What happens when the owner lets the SLA pass (lib/sla); absent: the default chain. */
  escalation?: EscalationChain;
}

/** A compiled decision-table version, as live routing and simulation hold it. */
export interface TableVersionRef {
  versionId: string;
  version: number;
  definition: DecisionTable;
  compiled: CompiledTable;
}

export interface DecideInput {
  table: TableVersionRef | null;
  routes: ReadonlyMap<string, RouteConfig>;
  /** Why there is no table (shown on leads sent to review for want of one). */
  problems?: readonly string[];
}

/** What the junk heuristics said about the lead (stored on the lead so history can be replayed). */
export interface JunkFlags {
  junk: boolean;
  /** The heuristics were in doubt: a non-junk route goes to review. */
  doubt: boolean;
}

export type ReviewCode = "junk" | "no_published_table" | "table_error" | "no_rule_matched" | "unknown_route" | "junk_doubt" | "low_confidence" | "table_review";

export interface Decision {
  /** The route path the lead counts under (the review route when a guard or a failure sent it there; null when none exists). */
  routeKey: string | null;
  /** The route to place the lead on (null: the review queue). */
  route: RouteConfig | null;
  ruleId: string | null;
  /** The route the table proposed (before guards). */
  proposedRoute: string | null;
  review: { code: ReviewCode; text: string } | null;
}

export interface TracedDecision extends Decision {
  /** The `decided` event's data: version, rule, outputs, the trace up to the fired rule, guard details. */
  event: Record<string, unknown>;
}

const testedFieldsCache = new WeakMap<DecisionTable, Map<string, ReadonlySet<string>>>();

/** Input fields a rule actually tests (a `-`/empty cell tests nothing). */
function testedFields(definition: DecisionTable, ruleId: string): ReadonlySet<string> {
  let byRule = testedFieldsCache.get(definition);
  if (!byRule) {
    byRule = new Map();
    for (const rule of definition.rules) {
      const fields = new Set<string>();
      for (const [field, cell] of Object.entries(rule.when)) if (cell.trim() !== "-" && cell.trim() !== "") fields.add(field);
      byRule.set(rule.id, fields);
    }
    testedFieldsCache.set(definition, byRule);
  }
  return byRule.get(ruleId) ?? new Set();
}

const routeOutputCache = new WeakMap<DecisionTable, string>();

/** The output column that names the route path: the one with the route role (or named route/route_path). */
function routeOutput(definition: DecisionTable): string {
  let name = routeOutputCache.get(definition);
  if (name === undefined) {
    name = findOutputByRole(definition, "route")?.name ?? "route";
    routeOutputCache.set(definition, name);
  }
  return name;
}

function finish(traced: boolean, event: Record<string, unknown>, d: Decision): Decision | TracedDecision {
  return traced ? { ...d, event } : d;
}

function routeOfKind(routes: ReadonlyMap<string, RouteConfig>, kind: RouteKind): RouteConfig | null {
  for (const r of routes.values()) if (r.kind === kind) return r;
  return null;
}

function reviewKey(routes: ReadonlyMap<string, RouteConfig>): string | null {
  return routes.has("review") ? "review" : null;
}

/**
 * Decides the route path. `traced` also builds the `decided` event (the rules tried, why each failed); simulation
 * passes false and pays for evaluation only.
 */
export function decideRoute(input: DecideInput, facts: LeadFacts, flags: JunkFlags, traced: true): TracedDecision;
export function decideRoute(input: DecideInput, facts: LeadFacts, flags: JunkFlags, traced?: false): Decision;
export function decideRoute(input: DecideInput, facts: LeadFacts, flags: JunkFlags, traced = false): Decision | TracedDecision {
  const { table, routes } = input;
  const event: Record<string, unknown> = {};
  if (flags.junk) {
    const route = routeOfKind(routes, "junk");
    event.route = route?.key ?? null;
    event.reason = "Junk heuristics flagged the lead; junk never reaches a rep";
    return finish(traced, event, {
      routeKey: route?.key ?? reviewKey(routes), route, ruleId: null, proposedRoute: null,
      review: route ? null : { code: "junk", text: "Flagged as junk and no junk route path exists" },
    });
  }
  if (!table) {
    event.route = null;
    event.problems = input.problems ?? [];
    return finish(traced, event, { routeKey: reviewKey(routes), route: null, ruleId: null, proposedRoute: null, review: { code: "no_published_table", text: input.problems?.join("; ") || "No published decision table" } });
  }
  let ruleId: string | null;
  let outputs: Record<string, unknown> | undefined;
  let error: { message: string } | undefined;
  let matched: boolean;
  if (traced) {
    const t = evaluateTraced(table.compiled, facts as Record<string, unknown>);
    outputs = firstOutputs(t);
    ruleId = t.ruleIds[0] ?? null;
    error = t.error;
    matched = t.matched;
    Object.assign(event, {
      tableVersionId: table.versionId,
      tableVersion: table.version,
      ruleId,
      outputs: outputs ?? null,
      error: t.error ?? null,
      // Rules up to the one that fired say why it was chosen; the rest did not take part.
      trace: t.rules
        .slice(0, ruleId ? t.rules.findIndex((r) => r.ruleId === ruleId) + 1 : undefined)
        .map((r) => ({ ruleId: r.ruleId, matched: r.matched, failed: r.failed ? { field: r.failed.field, cell: r.failed.cell, value: r.failed.value } : undefined })),
      invalidFacts: t.invalidFacts,
    });
  } else {
    const r = evaluate(table.compiled, facts as Record<string, unknown>);
    outputs = firstOutputs(r);
    ruleId = r.ruleIds[0] ?? null;
    error = r.error;
    matched = r.matched;
  }
  if (error) return finish(traced, event, { routeKey: reviewKey(routes), route: null, ruleId, proposedRoute: null, review: { code: "table_error", text: error.message } });
  // No rule matched: the outputs' defaults when the table has them, else review.
  if (!outputs) return finish(traced, event, { routeKey: reviewKey(routes), route: null, ruleId: null, proposedRoute: null, review: { code: "no_rule_matched", text: "No rule of the published table matched these facts" } });
  if (!matched) ruleId = null;
  const value = outputs[routeOutput(table.definition)];
  const proposed = typeof value === "string" ? value : null;
  const route = proposed ? routes.get(proposed) ?? null : null;
  event.route = proposed;
  if (!route) {
    const by = ruleId ? `Rule ${ruleId}` : "The table's default";
    return finish(traced, event, { routeKey: reviewKey(routes), route: null, ruleId, proposedRoute: proposed, review: { code: "unknown_route", text: proposed ? `${by} names route path “${proposed}”, which does not exist or is inactive` : `${by} names no route path` } });
  }
  const review = routes.get("review") ?? null;
  if (flags.doubt && route.kind !== "junk") {
    return finish(traced, event, { routeKey: (review ?? route).key, route: review ?? route, ruleId, proposedRoute: proposed, review: { code: "junk_doubt", text: "Junk heuristics are in doubt about this lead" } });
  }
  // Guardrail: AI-derived inputs the fired rule actually tested must meet the route's confidence threshold.
  if (route.confidenceThreshold !== null && facts.confidence != null && facts.confidence < route.confidenceThreshold && ruleId) {
    const tested = testedFields(table.definition, ruleId);
    const aiTested = (facts.ai_fields ?? []).filter((f) => tested.has(f));
    if (aiTested.length) {
      event.guard = { threshold: route.confidenceThreshold, confidence: facts.confidence, aiTested };
      const text = `Classifier confidence ${Math.round(facts.confidence * 100)}% is below ${route.name}'s threshold of ${Math.round(route.confidenceThreshold * 100)}% (rule ${ruleId} tested ${aiTested.join(", ")})`;
      return finish(traced, event, { routeKey: (review ?? route).key, route: review ?? route, ruleId, proposedRoute: proposed, review: { code: "low_confidence", text } });
    }
  }
  if (route.kind === "review") return finish(traced, event, { routeKey: route.key, route, ruleId, proposedRoute: proposed, review: { code: "table_review", text: `${ruleId ? `Rule ${ruleId}` : "The table's default"} sends this lead to review` } });
  return finish(traced, event, { routeKey: route.key, route, ruleId, proposedRoute: proposed, review: null });
}
