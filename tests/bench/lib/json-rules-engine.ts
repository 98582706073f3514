/**
 * A FIRST-hit decision table as a json-rules-engine — the peer the rules and simulation benchmarks measure against,
 * translated from the parsed cells.
 */
import { Engine, type RuleProperties, type TopLevelCondition } from "json-rules-engine";
import { parseUnaryTest, type DecisionTable, type UnaryTest } from "@/lib/decision-table";

type JreCondition = { fact: string; operator: string; value: unknown };

function jreConditions(field: string, test: UnaryTest): JreCondition[] {
  switch (test.kind) {
    case "compare": {
      const ops = { "=": "equal", "!=": "notEqual", "<": "lessThan", "<=": "lessThanInclusive", ">": "greaterThan", ">=": "greaterThanInclusive" } as const;
      return [{ fact: field, operator: ops[test.op], value: test.value.value }];
    }
    case "range":
      return [
        { fact: field, operator: test.lowInclusive ? "greaterThanInclusive" : "greaterThan", value: test.low.value },
        { fact: field, operator: test.highInclusive ? "lessThanInclusive" : "lessThan", value: test.high.value },
      ];
    case "anyOf":
      if (test.tests.every((t) => t.kind === "compare" && t.op === "=")) {
        return [{ fact: field, operator: "in", value: test.tests.map((t) => (t as Extract<UnaryTest, { kind: "compare" }>).value.value) }];
      }
      break;
    default:
      break;
  }
  throw new Error(`no json-rules-engine translation for a ${test.kind} cell on ${field}`);
}

/**
 * A FIRST-hit decision table as a json-rules-engine: one rule per table rule, priority n…1 in table order (each its
 * own priority set, so they run one after another), every non-"-" cell a condition (`'a','b'` → in, `>= 1000` →
 * greaterThanInclusive, `[200..999]` → two bounds, `true` → equal), and stop() on the first success.
 */
export function jsonRulesEngine(table: DecisionTable): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  table.rules.forEach((rule, i) => {
    const all = table.inputs.flatMap((input) => {
      const parsed = parseUnaryTest(rule.when[input.field] ?? "-", input.type);
      if (!parsed.ok) throw new Error(`rule ${rule.id}: ${parsed.error.message}`);
      return parsed.test.kind === "any" ? [] : jreConditions(input.field, parsed.test);
    });
    const conditions: TopLevelCondition = { all };
    const props: RuleProperties = { name: rule.id, priority: table.rules.length - i, conditions, event: { type: rule.id, params: { ...rule.then } } };
    engine.addRule(props);
  });
  engine.on("success", () => {
    engine.stop();
  });
  return engine;
}
