/**
 * The decide step (lib/routing/decide.ts): facts → route path with every guard live routing applies, in both the
 * untraced (simulation) and traced (live ingestion: the `decided` event) modes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Destination } from "@/lib/assignment";
import { compile, parseDecisionTable, type DecisionTable } from "@/lib/decision-table";
import { decideImportedRoute } from "@/lib/import/lead-facts";
import { decideRoute, type DecideInput, type RouteConfig, type RouteKind, type TableVersionRef } from "@/lib/routing/decide";
import type { LeadFacts } from "@/lib/routing/facts";

const QUEUE = (queue: string): Destination => ({ strategies: [{ kind: "queue", queue }], fallback: { kind: "queue", queue: "review" } });

function route(key: string, kind: RouteKind, name: string, confidenceThreshold: number | null = null): RouteConfig {
  return { key, name, kind, confidenceThreshold, slaMinutes: null, destination: QUEUE(key), fallbackRouteKey: null };
}

const ROUTES: RouteConfig[] = [
  route("ae", "sales", "AE direct", 0.6),
  route("sdr", "sales", "SDR queue", 0.6),
  route("partner", "partner", "Partnerships"),
  route("nurture", "nurture", "Nurture"),
  route("review", "review", "Review queue"),
  route("junk", "junk", "Junk"),
];

const routesOf = (list: readonly RouteConfig[]) => new Map(list.map((r) => [r.key, r]));
const ALL_ROUTES = routesOf(ROUTES);
const byKey = (key: string) => ALL_ROUTES.get(key)!;
const without = (...keys: string[]) => routesOf(ROUTES.filter((r) => !keys.includes(r.key)));

/** FIRST table. D3 leaves `category` as `-`, D4 leaves it empty: neither tests it. */
const DEFINITION: DecisionTable = parseDecisionTable({
  name: "Decide test",
  hitPolicy: "FIRST",
  inputs: [
    { field: "category", type: "string" },
    { field: "employees", type: "number" },
    { field: "region", type: "string" },
  ],
  outputs: [{ name: "route", type: "string" }],
  rules: [
    { id: "D1", when: { category: "'spam'" }, then: { route: "junk" } },
    { id: "D2", when: { category: "'sales'", employees: ">= 1000" }, then: { route: "ae" } },
    { id: "D3", when: { category: "-", employees: "-", region: "'EMEA'" }, then: { route: "sdr" } },
    { id: "D4", when: { category: "", employees: ">= 500" }, then: { route: "sdr" } },
    { id: "D5", when: { category: "'ops'" }, then: { route: "review" } },
    { id: "D6", when: { category: "'mystery'" }, then: { route: "ghost" } },
    { id: "D7", when: { category: "'partner'" }, then: { route: "partner" } },
    { id: "D8", when: { category: "'weird'" }, then: {} },
    { id: "D9", when: {}, then: { route: "nurture" } },
  ],
});

function versionOf(definition: DecisionTable, versionId = "v-1", version = 3): TableVersionRef {
  return { versionId, version, definition, compiled: compile(definition) };
}

const TABLE = versionOf(DEFINITION);
const input = (routes = ALL_ROUTES, table: TableVersionRef | null = TABLE, problems?: string[]): DecideInput => ({ table, routes, problems });
const CLEAN = { junk: false, doubt: false };

describe("decideRoute: junk and missing tables", () => {
  it("sends a lead flagged as junk to the junk route without evaluating the table", () => {
    const d = decideRoute(input(), { category: "sales", employees: 5000 }, { junk: true, doubt: false });
    expect(d).toEqual({ routeKey: "junk", route: byKey("junk"), ruleId: null, proposedRoute: null, review: null });
    // Junk wins even when there is no table at all.
    expect(decideRoute(input(ALL_ROUTES, null), {}, { junk: true, doubt: true }).routeKey).toBe("junk");
  });

  it("finds the junk route by kind, not by key", () => {
    const routes = routesOf([...ROUTES.filter((r) => r.kind !== "junk"), route("trash", "junk", "Trash")]);
    const d = decideRoute(input(routes), {}, { junk: true, doubt: false });
    expect(d.routeKey).toBe("trash");
    expect(d.route?.key).toBe("trash");
    expect(d.review).toBeNull();
  });

  it("sends junk to review when there is no junk route, and to no route when there is no review route either", () => {
    const d = decideRoute(input(without("junk")), {}, { junk: true, doubt: false });
    expect(d).toEqual({ routeKey: "review", route: null, ruleId: null, proposedRoute: null, review: { code: "junk", text: "Flagged as junk and no junk route path exists" } });
    expect(decideRoute(input(without("junk", "review")), {}, { junk: true, doubt: false }).routeKey).toBeNull();
  });

  it("sends every lead to review with the reasons when there is no published table", () => {
    const d = decideRoute(input(ALL_ROUTES, null, ["no published version", "draft has errors"]), { category: "sales" }, CLEAN);
    expect(d).toEqual({
      routeKey: "review", route: null, ruleId: null, proposedRoute: null,
      review: { code: "no_published_table", text: "no published version; draft has errors" },
    });
    expect(decideRoute(input(ALL_ROUTES, null), {}, CLEAN).review?.text).toBe("No published decision table");
    expect(decideRoute(input(ALL_ROUTES, null, []), {}, CLEAN).review?.text).toBe("No published decision table");
    expect(decideRoute(input(without("review"), null), {}, CLEAN).routeKey).toBeNull();
  });
});

describe("decideRoute: table outcomes", () => {
  it("routes a matching lead to the rule's route", () => {
    expect(decideRoute(input(), { category: "sales", employees: 1000, confidence: 0.9, ai_fields: ["category"] }, CLEAN)).toEqual({
      routeKey: "ae", route: byKey("ae"), ruleId: "D2", proposedRoute: "ae", review: null,
    });
    expect(decideRoute(input(), { category: "sales", employees: 999 }, CLEAN)).toMatchObject({ routeKey: "sdr", ruleId: "D4" });
    expect(decideRoute(input(), { category: "sales", employees: 20 }, CLEAN)).toMatchObject({ routeKey: "nurture", ruleId: "D9" });
  });

  it("a rule naming a route of kind review is a table_review", () => {
    expect(decideRoute(input(), { category: "ops" }, CLEAN)).toEqual({
      routeKey: "review", route: byKey("review"), ruleId: "D5", proposedRoute: "review",
      review: { code: "table_review", text: "Rule D5 sends this lead to review" },
    });
  });

  it("a rule naming a route path that does not exist goes to review as unknown_route", () => {
    expect(decideRoute(input(), { category: "mystery" }, CLEAN)).toEqual({
      routeKey: "review", route: null, ruleId: "D6", proposedRoute: "ghost",
      review: { code: "unknown_route", text: "Rule D6 names route path “ghost”, which does not exist or is inactive" },
    });
    // A route that exists in the table but was deactivated (not in the map) is the same case.
    expect(decideRoute(input(without("partner")), { category: "partner" }, CLEAN)).toMatchObject({ routeKey: "review", ruleId: "D7", proposedRoute: "partner", review: { code: "unknown_route" } });
    // A non-text route output proposes nothing.
    expect(decideRoute(input(), { category: "weird" }, CLEAN)).toMatchObject({ routeKey: "review", route: null, ruleId: "D8", proposedRoute: null, review: { code: "unknown_route" } });
    expect(decideRoute(input(without("review")), { category: "mystery" }, CLEAN).routeKey).toBeNull();
  });

  it("no matching rule goes to review as no_rule_matched", () => {
    const table = versionOf(parseDecisionTable({ ...DEFINITION, rules: DEFINITION.rules.filter((r) => r.id !== "D9") }));
    expect(decideRoute(input(ALL_ROUTES, table), { category: "sales", employees: 3 }, CLEAN)).toEqual({
      routeKey: "review", route: null, ruleId: null, proposedRoute: null,
      review: { code: "no_rule_matched", text: "No rule of the published table matched these facts" },
    });
  });

  it("a hit-policy violation goes to review as table_error, naming the first conflicting rule", () => {
    const unique = versionOf(parseDecisionTable({
      name: "Unique", hitPolicy: "UNIQUE",
      inputs: [{ field: "employees", type: "number" }],
      outputs: [{ name: "route", type: "string" }],
      rules: [
        { id: "U1", when: { employees: ">= 100" }, then: { route: "ae" } },
        { id: "U2", when: { employees: ">= 500" }, then: { route: "sdr" } },
      ],
    }));
    expect(decideRoute(input(ALL_ROUTES, unique), { employees: 700 }, CLEAN)).toEqual({
      routeKey: "review", route: null, ruleId: "U1", proposedRoute: null,
      review: { code: "table_error", text: "UNIQUE hit policy violated: 2 rules match (U1, U2); exactly one may match" },
    });
    expect(decideRoute(input(ALL_ROUTES, unique), { employees: 200 }, CLEAN)).toMatchObject({ routeKey: "ae", ruleId: "U1", review: null });
    const t = decideRoute(input(ALL_ROUTES, unique), { employees: 700 }, CLEAN, true);
    expect(t.event.error).toMatchObject({ code: "UNIQUE_VIOLATION", ruleIds: ["U1", "U2"] });
    expect(t.event.trace).toEqual([{ ruleId: "U1", matched: true, failed: undefined }]);
  });

  it("reads the route from the output with the route role (route_path), as the import does", () => {
    // lib/decision-table README: the output role (explicit, or inferred from the name `route_path`) says which output is
    // the route, and lib/import/lead-facts.ts decideImportedRoute honours it; decideRoute reads `outputs.route` only.
    const table = versionOf(parseDecisionTable({
      name: "Role", hitPolicy: "FIRST", inputs: [{ field: "category", type: "string" }],
      outputs: [{ name: "route_path", type: "string" }],
      rules: [{ id: "P1", when: { category: "'sales'" }, then: { route_path: "ae" } }],
    }));
    expect(decideImportedRoute({ versionId: "v", compiled: table.compiled }, { category: "sales" }).route).toBe("ae");
    expect(decideRoute(input(ALL_ROUTES, table), { category: "sales" }, CLEAN).routeKey).toBe("ae");
  });
});

describe("decideRoute: junk doubt", () => {
  it("sends a non-junk route to review when the junk heuristics are in doubt", () => {
    expect(decideRoute(input(), { category: "sales", employees: 5000 }, { junk: false, doubt: true })).toEqual({
      routeKey: "review", route: byKey("review"), ruleId: "D2", proposedRoute: "ae",
      review: { code: "junk_doubt", text: "Junk heuristics are in doubt about this lead" },
    });
  });

  it("lets a table-decided junk route stand, and keeps the route when no review route exists", () => {
    expect(decideRoute(input(), { category: "spam" }, { junk: false, doubt: true })).toEqual({ routeKey: "junk", route: byKey("junk"), ruleId: "D1", proposedRoute: "junk", review: null });
    expect(decideRoute(input(without("review")), { category: "sales", employees: 5000 }, { junk: false, doubt: true })).toEqual({
      routeKey: "ae", route: byKey("ae"), ruleId: "D2", proposedRoute: "ae", review: { code: "junk_doubt", text: "Junk heuristics are in doubt about this lead" },
    });
  });

  it("doubt is checked before the confidence guard", () => {
    const d = decideRoute(input(), { category: "sales", employees: 5000, confidence: 0.1, ai_fields: ["category"] }, { junk: false, doubt: true });
    expect(d.review?.code).toBe("junk_doubt");
  });
});

describe("decideRoute: low-confidence guard", () => {
  const enterprise = (confidence: number | null | undefined, ai_fields?: string[]): LeadFacts => ({ category: "sales", employees: 5000, confidence, ai_fields });

  it("sends the lead to review when the fired rule tested an AI field and confidence is below the route's threshold", () => {
    expect(decideRoute(input(), enterprise(0.42, ["category", "urgency"]), CLEAN)).toEqual({
      routeKey: "review", route: byKey("review"), ruleId: "D2", proposedRoute: "ae",
      review: { code: "low_confidence", text: "Classifier confidence 42% is below AE direct's threshold of 60% (rule D2 tested category)" },
    });
  });

  it("lists every AI field the rule tested, in ai_fields order", () => {
    expect(decideRoute(input(), enterprise(0.5, ["employees", "confidence", "category"]), CLEAN).review?.text).toBe(
      "Classifier confidence 50% is below AE direct's threshold of 60% (rule D2 tested employees, category)",
    );
  });

  it("is strict: confidence equal to the threshold passes", () => {
    expect(decideRoute(input(), enterprise(0.6, ["category"]), CLEAN)).toMatchObject({ routeKey: "ae", review: null });
    expect(decideRoute(input(), enterprise(0.5999, ["category"]), CLEAN)).toMatchObject({ routeKey: "review", review: { code: "low_confidence" } });
  });

  it("does not apply when the fired rule tests no AI field", () => {
    // ai_fields lists none of D2's columns.
    expect(decideRoute(input(), enterprise(0.1, ["urgency"]), CLEAN)).toMatchObject({ routeKey: "ae", review: null });
    // No ai_fields at all (e.g. the category was an explicit form answer).
    expect(decideRoute(input(), enterprise(0.1), CLEAN)).toMatchObject({ routeKey: "ae", review: null });
    // D4 leaves category empty and D3 leaves it `-`: neither tests it, so an AI category does not trigger the guard.
    expect(decideRoute(input(), { category: "sales", employees: 700, confidence: 0.1, ai_fields: ["category"] }, CLEAN)).toMatchObject({ routeKey: "sdr", ruleId: "D4", review: null });
    expect(decideRoute(input(), { category: "sales", region: "EMEA", confidence: 0.1, ai_fields: ["category", "employees"] }, CLEAN)).toMatchObject({ routeKey: "sdr", ruleId: "D3", review: null });
  });

  it("applies through a rule that tests only a non-category AI field", () => {
    const d = decideRoute(input(), { category: "sales", region: "EMEA", confidence: 0.3, ai_fields: ["category", "region"] }, CLEAN);
    expect(d).toMatchObject({ routeKey: "review", ruleId: "D3", proposedRoute: "sdr" });
    expect(d.review?.text).toBe("Classifier confidence 30% is below SDR queue's threshold of 60% (rule D3 tested region)");
  });

  it("does not apply without a confidence, or on a route without a threshold", () => {
    expect(decideRoute(input(), enterprise(null, ["category"]), CLEAN)).toMatchObject({ routeKey: "ae", review: null });
    expect(decideRoute(input(), enterprise(undefined, ["category"]), CLEAN)).toMatchObject({ routeKey: "ae", review: null });
    expect(decideRoute(input(), { category: "partner", confidence: 0.01, ai_fields: ["category"] }, CLEAN)).toMatchObject({ routeKey: "partner", review: null });
  });

  it("keeps the proposed route when there is no review route", () => {
    expect(decideRoute(input(without("review")), enterprise(0.2, ["category"]), CLEAN)).toMatchObject({
      routeKey: "ae", route: byKey("ae"), ruleId: "D2", review: { code: "low_confidence" },
    });
  });

  it("a fired rule the definition does not list tests nothing (no guard)", () => {
    // The compiled table has D2; the definition handed along does not (an inconsistent ref): the guard has no columns.
    const ref: TableVersionRef = { ...TABLE, definition: parseDecisionTable({ ...DEFINITION, rules: DEFINITION.rules.filter((r) => r.id !== "D2") }) };
    expect(decideRoute(input(ALL_ROUTES, ref), enterprise(0.1, ["category", "employees"]), CLEAN)).toMatchObject({ routeKey: "ae", ruleId: "D2", review: null });
  });

  it("reads the tested fields of the version being evaluated (two versions, same rule id)", () => {
    const loose = versionOf(parseDecisionTable({ ...DEFINITION, rules: DEFINITION.rules.map((r) => (r.id === "D2" ? { ...r, when: { employees: ">= 1000" } } : r)) }), "v-2", 4);
    const facts = enterprise(0.2, ["category"]);
    expect(decideRoute(input(), facts, CLEAN).review?.code).toBe("low_confidence");
    expect(decideRoute(input(ALL_ROUTES, loose), facts, CLEAN)).toMatchObject({ routeKey: "ae", ruleId: "D2", review: null });
    expect(decideRoute(input(), facts, CLEAN).review?.code).toBe("low_confidence");
  });
});

describe("decideRoute traced", () => {
  it("records the version, outputs and the trace up to the fired rule", () => {
    const d = decideRoute(input(), { category: "sales", employees: 700, region: "NA" }, CLEAN, true);
    expect(d).toMatchObject({ routeKey: "sdr", ruleId: "D4", review: null });
    expect(d.event).toEqual({
      tableVersionId: "v-1",
      tableVersion: 3,
      ruleId: "D4",
      outputs: { route: "sdr" },
      error: null,
      route: "sdr",
      invalidFacts: [],
      trace: [
        { ruleId: "D1", matched: false, failed: { field: "category", cell: "'spam'", value: "sales" } },
        { ruleId: "D2", matched: false, failed: { field: "employees", cell: ">= 1000", value: 700 } },
        { ruleId: "D3", matched: false, failed: { field: "region", cell: "'EMEA'", value: "NA" } },
        { ruleId: "D4", matched: true, failed: undefined },
      ],
    });
  });

  it("traces every rule when none matched, and lists unreadable facts", () => {
    const table = versionOf(parseDecisionTable({ ...DEFINITION, rules: DEFINITION.rules.filter((r) => r.id === "D1" || r.id === "D2") }));
    const d = decideRoute(input(ALL_ROUTES, table), { category: "sales", employees: "lots" as unknown as number }, CLEAN, true);
    expect(d.review?.code).toBe("no_rule_matched");
    expect(d.event.ruleId).toBeNull();
    expect(d.event.outputs).toBeNull();
    expect(d.event.invalidFacts).toEqual([{ field: "employees", type: "number", raw: "lots" }]);
    expect(d.event.trace).toEqual([
      { ruleId: "D1", matched: false, failed: { field: "category", cell: "'spam'", value: "sales" } },
      { ruleId: "D2", matched: false, failed: { field: "employees", cell: ">= 1000", value: null } },
    ]);
    expect(d.event.route).toBeUndefined();
  });

  it("records the guard that sent the lead to review", () => {
    const d = decideRoute(input(), { category: "sales", employees: 5000, confidence: 0.35, ai_fields: ["category"] }, CLEAN, true);
    expect(d.review?.code).toBe("low_confidence");
    expect(d.event.guard).toEqual({ threshold: 0.6, confidence: 0.35, aiTested: ["category"] });
    expect(d.event.route).toBe("ae");
    expect(d.event.trace).toHaveLength(2);
  });

  it("explains junk and missing tables", () => {
    expect(decideRoute(input(), {}, { junk: true, doubt: false }, true).event).toEqual({ route: "junk", reason: "Junk heuristics flagged the lead; junk never reaches a rep" });
    expect(decideRoute(input(without("junk")), {}, { junk: true, doubt: false }, true).event.route).toBeNull();
    expect(decideRoute(input(ALL_ROUTES, null, ["gone"]), {}, CLEAN, true).event).toEqual({ route: null, problems: ["gone"] });
    expect(decideRoute(input(ALL_ROUTES, null), {}, CLEAN, true).event).toEqual({ route: null, problems: [] });
  });

  it("untraced decisions carry no event", () => {
    expect("event" in decideRoute(input(), { category: "sales" }, CLEAN)).toBe(false);
  });

  it("gives the same decision traced and untraced on any facts", () => {
    const categories = ["spam", "sales", "ops", "mystery", "partner", "weird", "other", null];
    fc.assert(
      fc.property(
        fc.record({
          category: fc.constantFrom(...categories),
          employees: fc.option(fc.integer({ min: 0, max: 5000 })),
          region: fc.option(fc.constantFrom("NA", "EMEA", "APAC")),
          confidence: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
          ai_fields: fc.option(fc.subarray(["category", "employees", "region", "urgency"])),
        }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom("all", "no-review", "no-junk"),
        (raw, junk, doubt, which) => {
          const facts: LeadFacts = { ...raw, ai_fields: raw.ai_fields ?? undefined };
          const routes = which === "all" ? ALL_ROUTES : which === "no-review" ? without("review") : without("junk");
          const plain = decideRoute(input(routes), facts, { junk, doubt });
          const { event, ...traced } = decideRoute(input(routes), facts, { junk, doubt }, true);
          expect(traced).toEqual(plain);
          expect(typeof event).toBe("object");
          // Invariants: a review decision never places the lead on a non-review route, unless there is no review route.
          if (plain.review && routes.has("review")) expect(plain.routeKey).toBe("review");
          if (!plain.review) expect(plain.route?.key).toBe(plain.routeKey);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("decideRoute: output defaults", () => {
  it("routes a lead no rule matches by the route output's default, with no rule named", () => {
    const table = versionOf(parseDecisionTable({
      name: "Defaults", hitPolicy: "FIRST", inputs: [{ field: "category", type: "string" }],
      outputs: [{ name: "route", type: "string", default: "nurture" }],
      rules: [{ id: "S1", when: { category: "'sales'" }, then: { route: "ae" } }],
    }));
    expect(decideRoute(input(ALL_ROUTES, table), { category: "sales" }, CLEAN)).toMatchObject({ routeKey: "ae", ruleId: "S1", review: null });
    expect(decideRoute(input(ALL_ROUTES, table), { category: "other" }, CLEAN)).toEqual({ routeKey: "nurture", route: byKey("nurture"), ruleId: null, proposedRoute: "nurture", review: null });
    const unknown = versionOf(parseDecisionTable({
      name: "Defaults", hitPolicy: "FIRST", inputs: [{ field: "category", type: "string" }],
      outputs: [{ name: "route", type: "string", default: "nowhere" }],
      rules: [{ id: "S1", when: { category: "'sales'" }, then: { route: "ae" } }],
    }));
    expect(decideRoute(input(ALL_ROUTES, unknown), { category: "other" }, CLEAN).review).toEqual({ code: "unknown_route", text: "The table's default names route path “nowhere”, which does not exist or is inactive" });
  });
});
