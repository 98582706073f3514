/**
 * Test cases attached to a decision table: a lead's facts → the expected route path (and optionally the rule).
 * Run through the full decide step (guards included), so a test states what live routing would do.
 */
import { z } from "zod";
import { decideRoute, type DecideInput } from "./decide";
import { LeadFacts } from "./facts";

export const TableTestExpectation = z.object({
  route: z.string().trim().min(1, "Name the route path this lead should take"),
  ruleId: z.string().trim().min(1).optional(),
});
export type TableTestExpectation = z.infer<typeof TableTestExpectation>;

export interface TableTestCase {
  id: string;
  name: string;
  facts: Record<string, unknown>;
  expected: TableTestExpectation;
}

export interface TableTestResult {
  id: string;
  name: string;
  passed: boolean;
  expected: TableTestExpectation;
  actual: { route: string | null; ruleId: string | null; review: string | null };
  /** Why it failed, in words. */
  message: string | null;
}

export function runTableTests(input: DecideInput, tests: readonly TableTestCase[]): TableTestResult[] {
  return tests.map((t) => {
    const parsed = LeadFacts.safeParse(t.facts);
    const facts = parsed.success ? parsed.data : (t.facts as LeadFacts);
    const d = decideRoute(input, facts, { junk: false, doubt: false });
    const actual = { route: d.routeKey, ruleId: d.ruleId, review: d.review?.text ?? null };
    const routeOk = d.routeKey === t.expected.route;
    const ruleOk = !t.expected.ruleId || t.expected.ruleId === d.ruleId;
    const passed = routeOk && ruleOk;
    const message = passed
      ? null
      : !routeOk
        ? `Expected route ${t.expected.route}, got ${d.routeKey ?? "none"}${d.ruleId ? ` (rule ${d.ruleId})` : ""}${d.review ? `: ${d.review.text}` : ""}`
        : `Expected rule ${t.expected.ruleId}, got ${d.ruleId ?? "none"}`;
    return { id: t.id, name: t.name, passed, expected: t.expected, actual, message };
  });
}
