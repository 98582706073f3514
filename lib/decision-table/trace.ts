/** Traced evaluation: per rule, matched or the first failing cell (left to right) with the value it saw. */

import { type PreparedColumn, type PreparedRule } from "./prepare";
import { type EvalResult, type ResultPlan } from "./results";
import { type DecisionTable, type Facts, type InputType } from "./schema";
import { displayValue, isMissing, type ColumnValue } from "./values";

/** Why a rule did not match: its first failing cell, left to right. */
export interface FailedCell {
  /** Index of the input column in table.inputs. */
  column: number;
  field: string;
  /** The cell text. */
  cell: string;
  /** The value the cell saw (null = missing; dates as YYYY-MM-DD). */
  value: unknown;
}

export interface RuleTrace {
  ruleId: string;
  matched: boolean;
  failed?: FailedCell;
  /** The rule was left out at compile time (skipBrokenRules) because it has errors. */
  skipped?: boolean;
}

/** A fact present in the input that could not be read as its column's type (it was treated as missing). */
export interface InvalidFact {
  field: string;
  type: InputType;
  raw: unknown;
}

export interface TracedResult extends EvalResult {
  /** Every rule of the table in order (skipped rules included), with why it did or did not match. */
  rules: RuleTrace[];
  /** The inputs as the cells saw them, by field (null = missing; dates as YYYY-MM-DD). */
  facts: Record<string, unknown>;
  /** Facts given with a value their column could not read (e.g. "abc" for a number). */
  invalidFacts: InvalidFact[];
}

/** The frozen `{ ruleId, matched: true }` entry of each rule (shared by all traces). */
export function matchedEntries(rules: readonly PreparedRule[]): readonly RuleTrace[] {
  return rules.map((r) => Object.freeze({ ruleId: r.id, matched: true }));
}

function invalidFactsOf(columns: readonly PreparedColumn[], facts: Facts): InvalidFact[] {
  const out: InvalidFact[] = [];
  for (const col of columns) {
    const raw = facts[col.field];
    if (!isMissing(raw) && col.normalize(raw) === null) out.push({ field: col.field, type: col.input.type, raw });
  }
  return out;
}

function assemble(result: EvalResult, rules: RuleTrace[], facts: Record<string, unknown>, invalidFacts: InvalidFact[]): TracedResult {
  const out: TracedResult = { matched: result.matched, ruleIds: result.ruleIds, outputs: result.outputs, rules, facts, invalidFacts };
  if (result.error !== undefined) out.error = result.error;
  return out;
}

/** The final step of the generated tracer: result from the matches in M, plus the trace parts. */
export function traceBuilder(
  columns: readonly PreparedColumn[],
  plan: ResultPlan,
  matches: Int32Array,
): (f: unknown, traces: unknown[], n: number, seen: Record<string, unknown>, bad: boolean) => TracedResult {
  return (f, traces, n, seen, bad) =>
    assemble(plan.finish(matches, n), traces as RuleTrace[], seen, bad ? invalidFactsOf(columns, f as Facts) : []);
}

/** The closure-based tracer (interpreter mode, and tables compiled with skipped rules). */
export function genericTracer(
  table: DecisionTable,
  columns: readonly PreparedColumn[],
  rules: readonly PreparedRule[],
  plan: ResultPlan,
  skippedRuleIds: readonly string[],
): (facts: Facts) => TracedResult {
  const matchedOnes = matchedEntries(rules);
  const skipped = new Set(skippedRuleIds);
  return (facts) => {
    if (typeof facts !== "object" || facts === null) throw new TypeError("facts must be an object");
    const values = new Array<ColumnValue>(columns.length);
    const seen: Record<string, unknown> = {};
    for (const col of columns) {
      const v = col.normalize(facts[col.field]);
      values[col.index] = v;
      seen[col.field] = displayValue(col.input.type, v);
    }
    const matches = new Int32Array(rules.length);
    let n = 0;
    const traces: RuleTrace[] = [];
    let next = 0;
    const skipUntil = (index: number): void => {
      for (; next < index; next++) {
        const id = table.rules[next]?.id as string;
        if (skipped.has(id)) traces.push({ ruleId: id, matched: false, skipped: true });
      }
    };
    rules.forEach((rule, i) => {
      skipUntil(rule.index);
      next = rule.index + 1;
      for (const cell of rule.cells) {
        if (cell.test.kind === "any") continue;
        const v = values[cell.column] as ColumnValue;
        if (!cell.predicate(v)) {
          const col = columns[cell.column] as PreparedColumn;
          traces.push({ ruleId: rule.id, matched: false, failed: { column: cell.column, field: col.field, cell: cell.text, value: displayValue(col.input.type, v) } });
          return;
        }
      }
      matches[n++] = i;
      traces.push(matchedOnes[i] as RuleTrace);
    });
    skipUntil(table.rules.length);
    return assemble(plan.finish(matches, n), traces, seen, invalidFactsOf(columns, facts));
  };
}
