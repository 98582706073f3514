/**
 * compile(): validate once, then build the per-lead evaluator — generated straight-line code where `new Function`
 * is allowed, else an interpreter over the same prepared cells (same semantics; the two are property-tested
 * against each other).
 */

import { canGenerateCode, generateEvaluator, generateTracer, instantiate, instantiateTracer } from "./codegen";
import { DecisionTableCompileError, type Diagnostic } from "./diagnostics";
import { prepare, type PreparedColumn, type PreparedRule } from "./prepare";
import { buildResultPlan, type EvalResult, type ResultPlan } from "./results";
import { type DecisionTable, type Facts } from "./schema";
import { genericTracer, matchedEntries, traceBuilder, type TracedResult } from "./trace";
import { type ColumnValue, isMissing, isoFromDayNumber } from "./values";

export interface CompileOptions {
  /**
   * Compile anyway when rules have errors, leaving those rules out (they are listed in `skippedRuleIds` and their
   * diagnostics kept). Table-level errors still throw. Default false: any error diagnostic throws.
   */
  skipBrokenRules?: boolean;
  /** "auto" (default) generates code when `new Function` works, else interprets. */
  mode?: "auto" | "codegen" | "interpreter";
}

/** A table ready to evaluate. Immutable; safe to share across requests. */
export interface CompiledTable {
  readonly table: DecisionTable;
  readonly mode: "codegen" | "interpreter";
  /** Warnings and info from the structural pass (plus the errors of skipped rules). */
  readonly diagnostics: readonly Diagnostic[];
  readonly skippedRuleIds: readonly string[];
  /** The generated source (codegen mode), for inspection. */
  readonly source: string | null;
  /** @internal used by evaluateTraced */
  readonly columns: readonly PreparedColumn[];
  /** @internal the rules that are evaluated, in table order */
  readonly rules: readonly PreparedRule[];
  /** @internal */
  readonly plan: ResultPlan;
  /** Evaluates one lead (what evaluate() calls). */
  readonly run: (facts: Facts) => EvalResult;
  /** Evaluates one lead with a trace (what evaluateTraced() calls). */
  readonly runTraced: (facts: Facts) => TracedResult;
}

function interpreter(columns: readonly PreparedColumn[], rules: readonly PreparedRule[], plan: ResultPlan, first: boolean): (facts: Facts) => EvalResult {
  const used = columns.filter((c) => rules.some((r) => r.cells[c.index]?.test.kind !== "any"));
  const tests = rules.map((r) => r.cells.filter((c) => c.test.kind !== "any"));
  const matches = new Int32Array(rules.length);
  const width = columns.length;
  const scratch = new Array<ColumnValue>(width).fill(null);
  let reading = false;
  return (facts) => {
    if (typeof facts !== "object" || facts === null) throw new TypeError("facts must be an object");
    // One shared buffer; a getter on `facts` that re-enters this evaluator gets its own.
    const values = reading ? new Array<ColumnValue>(width).fill(null) : scratch;
    reading = true;
    try {
      for (const col of used) values[col.index] = col.normalize(facts[col.field]);
    } finally {
      reading = values !== scratch;
    }
    let n = 0;
    rules: for (let i = 0; i < tests.length; i++) {
      for (const cell of tests[i] as PreparedRule["cells"]) {
        if (!cell.predicate(values[cell.column] as ColumnValue)) continue rules;
      }
      if (first) return plan.single[i] as EvalResult;
      matches[n++] = i;
    }
    return first ? plan.noMatch : plan.finish(matches, n);
  };
}

/**
 * Validates and compiles a table. Throws DecisionTableCompileError (carrying all diagnostics) when the table has
 * error diagnostics, unless `skipBrokenRules` is set and every error belongs to a rule.
 */
export function compile(table: DecisionTable, options: CompileOptions = {}): CompiledTable {
  const prepared = prepare(table);
  const errors = prepared.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 && (!options.skipBrokenRules || errors.some((d) => d.ruleId === undefined))) {
    throw new DecisionTableCompileError(prepared.diagnostics);
  }
  const rules = prepared.rules.filter((r) => !r.broken);
  const skippedRuleIds = prepared.rules.filter((r) => r.broken).map((r) => r.id);
  const plan = buildResultPlan(table, rules);
  const first = table.hitPolicy === "FIRST";
  const mode = options.mode === "interpreter" || (options.mode !== "codegen" && !canGenerateCode()) ? "interpreter" : "codegen";

  let run: (facts: Facts) => EvalResult;
  let runTraced: (facts: Facts) => TracedResult;
  let source: string | null = null;
  if (mode === "codegen") {
    const gen = generateEvaluator(table.hitPolicy, prepared.columns, rules);
    source = gen.source;
    run = instantiate(gen.source, {
      N: prepared.columns.map((c) => c.normalize),
      R: plan.single,
      Z: plan.noMatch,
      M: new Int32Array(rules.length),
      F: plan.finish,
      S: gen.sets,
      P: gen.predicates,
    }) as (facts: Facts) => EvalResult;
  } else {
    run = interpreter(prepared.columns, rules, plan, first);
  }
  if (mode === "codegen" && skippedRuleIds.length === 0) {
    const tracer = generateTracer(prepared.columns, rules);
    const matches = new Int32Array(rules.length);
    runTraced = instantiateTracer(tracer.source, {
      N: prepared.columns.map((c) => c.normalize),
      M: matches,
      P: tracer.predicates,
      S: tracer.sets,
      I: rules.map((r) => r.id),
      MT: matchedEntries(rules),
      FL: prepared.columns.map((c) => c.field),
      CT: tracer.cellTexts,
      DV: isoFromDayNumber,
      X: isMissing,
      B: traceBuilder(prepared.columns, plan, matches),
    }) as (facts: Facts) => TracedResult;
  } else {
    runTraced = genericTracer(table, prepared.columns, rules, plan, skippedRuleIds);
  }
  return Object.freeze({
    table,
    mode,
    diagnostics: Object.freeze(prepared.diagnostics),
    skippedRuleIds: Object.freeze(skippedRuleIds),
    source,
    columns: prepared.columns,
    rules,
    plan,
    run,
    runTraced,
  });
}
