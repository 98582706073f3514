/**
 * Cell semantics as closures: the reference the generated code must agree with (property-tested), the evaluator
 * used when `new Function` is unavailable, and the engine behind traces and static analysis.
 *
 * Null (a missing fact): `-` matches it, `null` matches only it, `not(…)` never matches it (so `not(null)` means
 * "present"), and every other test fails on it. For string[] columns a test matches when any element of the set
 * matches; `not(T)` matches a present set none of whose elements match T; `null` matches a missing (or empty) set.
 */

import { type InputType } from "./schema";
import { type UnaryTest } from "./unary-test";
import { type ColumnValue } from "./values";

export type CellPredicate = (v: ColumnValue) => boolean;
type ElementPredicate = (v: string | number | boolean) => boolean;

const always: CellPredicate = () => true;

/** Literal value as the evaluator compares it (dates as day numbers, text needles lower-cased). */
function scalarTest(test: Exclude<UnaryTest, { kind: "any" | "null" | "not" | "anyOf" }>): ElementPredicate {
  switch (test.kind) {
    case "compare": {
      const x = test.value.value;
      switch (test.op) {
        case "=":
          return (v) => v === x;
        case "!=":
          return (v) => v !== x;
        // Operands share the column's type (checked at parse time): numbers, day numbers or strings.
        case "<":
          return (v) => (v as number) < (x as number);
        case "<=":
          return (v) => (v as number) <= (x as number);
        case ">":
          return (v) => (v as number) > (x as number);
        case ">=":
          return (v) => (v as number) >= (x as number);
      }
      break;
    }
    case "range": {
      const lo = test.low.value as number;
      const hi = test.high.value as number;
      const li = test.lowInclusive;
      const hiIn = test.highInclusive;
      return (v) => (li ? (v as number) >= lo : (v as number) > lo) && (hiIn ? (v as number) <= hi : (v as number) < hi);
    }
    case "text": {
      const needle = test.needle.toLowerCase();
      if (test.fn === "contains") return (v) => (v as string).toLowerCase().includes(needle);
      if (test.fn === "startsWith") return (v) => (v as string).toLowerCase().startsWith(needle);
      return (v) => (v as string).toLowerCase().endsWith(needle);
    }
  }
}

function scalarPredicate(test: UnaryTest): CellPredicate {
  switch (test.kind) {
    case "any":
      return always;
    case "null":
      return (v) => v === null;
    case "not": {
      const inner = scalarPredicate(test.test);
      return (v) => v !== null && !inner(v);
    }
    case "anyOf": {
      const parts = test.tests.map(scalarPredicate);
      return (v) => {
        for (const p of parts) if (p(v)) return true;
        return false;
      };
    }
    default: {
      const p = scalarTest(test);
      return (v) => v !== null && p(v as string | number | boolean);
    }
  }
}

function setPredicate(test: UnaryTest): CellPredicate {
  switch (test.kind) {
    case "any":
      return always;
    case "null":
      return (v) => v === null;
    case "not": {
      const inner = setPredicate(test.test);
      return (v) => v !== null && !inner(v);
    }
    case "anyOf": {
      const parts = test.tests.map(setPredicate);
      return (v) => {
        for (const p of parts) if (p(v)) return true;
        return false;
      };
    }
    default: {
      const p = scalarTest(test);
      return (v) => {
        if (v === null) return false;
        for (const x of v as readonly string[]) if (p(x)) return true;
        return false;
      };
    }
  }
}

/** The predicate of a parsed cell for a column type (the value must already be read by the column's normalizer). */
export function cellPredicate(test: UnaryTest, type: InputType): CellPredicate {
  return type === "string[]" ? setPredicate(test) : scalarPredicate(test);
}
