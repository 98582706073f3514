/**
 * A decision table's attached test cases (lib/routing/table-tests.ts): run through the full decide step, guards
 * included, with a message in words when a case fails.
 */
import { describe, expect, it } from "vitest";
import type { Destination } from "@/lib/assignment";
import { compile, parseDecisionTable } from "@/lib/decision-table";
import type { DecideInput, RouteConfig, RouteKind } from "@/lib/routing/decide";
import { runTableTests, TableTestExpectation, type TableTestCase } from "@/lib/routing/table-tests";
import { DEMO_TABLE, ROUTE_PATHS } from "@/db/seed/workspace-config";

const QUEUE: Destination = { strategies: [{ kind: "queue", queue: "q" }], fallback: { kind: "queue", queue: "review" } };

const ROUTES = new Map<string, RouteConfig>(
  ROUTE_PATHS.map((rp) => [rp.key, { key: rp.key, name: rp.name, kind: rp.kind as RouteKind, confidenceThreshold: rp.confidenceThreshold, slaMinutes: rp.slaMinutes, destination: QUEUE, fallbackRouteKey: rp.fallbackRouteKey }]),
);
const definition = parseDecisionTable(DEMO_TABLE);
const INPUT: DecideInput = { table: { versionId: "v", version: 1, definition, compiled: compile(definition) }, routes: ROUTES };

const tc = (id: string, facts: Record<string, unknown>, route: string, ruleId?: string): TableTestCase => ({ id, name: `case ${id}`, facts, expected: ruleId ? { route, ruleId } : { route } });

describe("runTableTests", () => {
  it("passes when route and (optional) rule match, keeping order, ids and names", () => {
    const results = runTableTests(INPUT, [
      tc("t1", { category: "sales_enterprise", employees: 5000 }, "ae-direct", "R06"),
      tc("t2", { category: "pricing_demo", employees: 50 }, "sdr-queue"),
      tc("t3", { category: "spam" }, "junk", "R01"),
    ]);
    expect(results).toEqual([
      { id: "t1", name: "case t1", passed: true, expected: { route: "ae-direct", ruleId: "R06" }, actual: { route: "ae-direct", ruleId: "R06", review: null }, message: null },
      { id: "t2", name: "case t2", passed: true, expected: { route: "sdr-queue" }, actual: { route: "sdr-queue", ruleId: "R09", review: null }, message: null },
      { id: "t3", name: "case t3", passed: true, expected: { route: "junk", ruleId: "R01" }, actual: { route: "junk", ruleId: "R01", review: null }, message: null },
    ]);
    expect(runTableTests(INPUT, [])).toEqual([]);
  });

  it("explains a wrong route, with the rule that fired", () => {
    const [r] = runTableTests(INPUT, [tc("t", { category: "sales_enterprise", employees: 5000 }, "sdr-queue")]);
    expect(r).toMatchObject({ passed: false, actual: { route: "ae-direct", ruleId: "R06", review: null }, message: "Expected route sdr-queue, got ae-direct (rule R06)" });
  });

  it("explains a wrong rule when the route is right", () => {
    const [r] = runTableTests(INPUT, [tc("t", { category: "sales_enterprise", employees: 5000, is_existing_customer: true }, "ae-direct", "R06")]);
    expect(r).toMatchObject({ passed: false, actual: { route: "ae-direct", ruleId: "R05" }, message: "Expected rule R06, got R05" });
  });

  it("runs the guards: a low-confidence AI category is sent to review", () => {
    const facts = { category: "sales_enterprise", employees: 5000, confidence: 0.4, ai_fields: ["category"] };
    const [r] = runTableTests(INPUT, [tc("t", facts, "ae-direct")]);
    const text = "Classifier confidence 40% is below AE direct's threshold of 60% (rule R06 tested category)";
    expect(r).toMatchObject({ passed: false, actual: { route: "review", ruleId: "R06", review: text }, message: `Expected route ae-direct, got review (rule R06): ${text}` });
    // The expectation can state the guard's outcome, including the rule that fired.
    expect(runTableTests(INPUT, [tc("t", facts, "review", "R06")])[0]?.passed).toBe(true);
  });

  it("never applies the junk heuristics (flags are off), only the table", () => {
    expect(runTableTests(INPUT, [tc("t", { category: "spam", junk_suspect: true }, "junk", "R01")])[0]?.passed).toBe(true);
  });

  it("says 'none' when there is no route at all", () => {
    const noTable: DecideInput = { table: null, routes: new Map([...ROUTES].filter(([k]) => k !== "review")), problems: ["nothing published"] };
    const [r] = runTableTests(noTable, [tc("t", { category: "spam" }, "junk")]);
    expect(r).toMatchObject({ passed: false, actual: { route: null, ruleId: null, review: "nothing published" }, message: "Expected route junk, got none: nothing published" });
    const [s] = runTableTests({ ...noTable, routes: ROUTES }, [tc("t", {}, "junk", "R01")]);
    expect(s?.message).toBe("Expected route junk, got review: nothing published");
    const [u] = runTableTests({ ...noTable, routes: ROUTES }, [tc("t", {}, "review", "R01")]);
    expect(u).toMatchObject({ passed: false, actual: { route: "review", ruleId: null }, message: "Expected rule R01, got none" });
  });

  it("evaluates facts that do not parse as LeadFacts as given", () => {
    // employees as text fails the LeadFacts schema; the table still reads "5000" as a number.
    const [r] = runTableTests(INPUT, [tc("t", { category: "sales_enterprise", employees: "5000" }, "ae-direct", "R06")]);
    expect(r).toMatchObject({ passed: true, actual: { route: "ae-direct", ruleId: "R06" } });
  });

  it("parses expectations: route required and trimmed, rule optional", () => {
    expect(TableTestExpectation.parse({ route: " ae-direct ", ruleId: " R06 " })).toEqual({ route: "ae-direct", ruleId: "R06" });
    const bad = TableTestExpectation.safeParse({ route: "   " });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe("Name the route path this lead should take");
    expect(TableTestExpectation.safeParse({ route: "x", ruleId: "" }).success).toBe(false);
  });
});
