/** evaluate() for the hot path and evaluateTraced() for explanations ("R03 did not match: intent was …"). */

import { type CompiledTable } from "./compile";
import { type EvalResult } from "./results";
import { type Facts } from "./schema";
import { type RuleTrace, type TracedResult } from "./trace";
import { formatValue, type ColumnValue } from "./values";

/**
 * Evaluates one lead. Allocates nothing for single-hit tables (the result is a shared frozen object); never
 * throws for hit-policy violations (see `error`). Throws TypeError only when `facts` is not an object.
 */
export function evaluate(compiled: CompiledTable, facts: Facts): EvalResult {
  return compiled.run(facts);
}

/**
 * Evaluates one lead and explains it: for every rule (skipped ones included), matched or the first failing cell
 * with the value it saw, plus the facts as read and any facts of the wrong type. The result part equals
 * evaluate()'s.
 */
export function evaluateTraced(compiled: CompiledTable, facts: Facts): TracedResult {
  return compiled.runTraced(facts);
}

/**
 * One line for people: "R03 matched", "R03 did not match: intent was 'pricing', needed 'partnership'",
 * "R05 did not match: employees was missing, needed >= 200".
 */
export function describeRuleTrace(compiled: CompiledTable, trace: RuleTrace): string {
  if (trace.skipped === true) return `${trace.ruleId} was skipped: it has errors`;
  if (trace.matched || trace.failed === undefined) return `${trace.ruleId} matched`;
  const f = trace.failed;
  const col = compiled.columns[f.column];
  const type = col?.input.type ?? "string";
  const label = col?.input.label ?? f.field;
  const value = type === "date" && typeof f.value === "string" ? (col?.normalize(f.value) ?? null) : (f.value as ColumnValue);
  const seen = value === null ? "missing" : formatValue(type, value);
  return `${trace.ruleId} did not match: ${label} was ${seen}, needed ${f.cell.trim()}`;
}
