/**
 * The structural pass shared by check() and compile(): parses every cell, resolves columns, validates outputs and
 * column domains, and reports everything wrong as diagnostics. A rule with an error diagnostic is "broken".
 */

import { type Diagnostic } from "./diagnostics";
import { cellPredicate, type CellPredicate } from "./predicate";
import {
  type DecisionTable,
  type InputColumn,
  type OutputColumn,
  type OutputValue,
  outputRole,
} from "./schema";
import { literalsOf, parseUnaryTest, type UnaryTest } from "./unary-test";
import { dayNumberFromIso, normalizerFor, quote, type ColumnValue } from "./values";

export interface PreparedColumn {
  index: number;
  input: InputColumn;
  field: string;
  normalize: (v: unknown) => ColumnValue;
  /** Normalised allowed values, when the column declares a domain. */
  domain: ColumnValue[] | null;
}

export interface PreparedCell {
  column: number;
  /** The cell text as written ("-" when the rule omits the column). */
  text: string;
  test: UnaryTest;
  predicate: CellPredicate;
}

export interface PreparedRule {
  id: string;
  /** Position in table.rules. */
  index: number;
  /** One cell per input column, in column order (omitted columns are "-"). */
  cells: PreparedCell[];
  /** One value per output column, in column order (omitted outputs are null). */
  outputs: OutputValue[];
  broken: boolean;
}

export interface Prepared {
  table: DecisionTable;
  columns: PreparedColumn[];
  rules: PreparedRule[];
  diagnostics: Diagnostic[];
}

const ANY: UnaryTest = { kind: "any" };
const always: CellPredicate = () => true;

function domainValueMatches(input: InputColumn, v: unknown): boolean {
  switch (input.type) {
    case "string":
    case "string[]":
      return typeof v === "string" && v !== "";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "boolean":
      return typeof v === "boolean";
    case "date":
      return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/u.test(v) && dayNumberFromIso(v) !== null;
  }
}

function outputValueMatches(output: OutputColumn, v: OutputValue): boolean {
  if (v === null) return true;
  if (output.type === "number") return typeof v === "number" && Number.isFinite(v);
  return typeof v === output.type;
}

function show(v: OutputValue | undefined): string {
  return typeof v === "string" ? quote(v) : String(v);
}

function prepareColumns(table: DecisionTable, diagnostics: Diagnostic[]): PreparedColumn[] {
  return table.inputs.map((input, index) => {
    const normalize = normalizerFor(input.type);
    let domain: ColumnValue[] | null = null;
    if (input.allowedValues !== undefined) {
      const bad = input.allowedValues.filter((v) => !domainValueMatches(input, v));
      if (bad.length > 0) {
        diagnostics.push({
          column: input.field,
          side: "input",
          severity: "error",
          code: "INPUT_DOMAIN_TYPE",
          message: `allowed values of '${input.field}' must be ${input.type === "date" ? "dates written YYYY-MM-DD" : `${input.type === "string[]" ? "string" : input.type} values`}; found ${bad.map((b) => JSON.stringify(b)).join(", ")}`,
        });
      }
      const seen = new Set<unknown>();
      domain = [];
      for (const v of input.allowedValues) {
        if (!domainValueMatches(input, v)) continue;
        // string[] domains list element values; each element is read as a string.
        const nv = input.type === "string[]" ? (v as string) : input.type === "date" ? dayNumberFromIso(v as string) : normalize(v);
        if (seen.has(nv)) {
          diagnostics.push({
            column: input.field,
            side: "input",
            severity: "warning",
            code: "INPUT_DOMAIN_DUPLICATE",
            message: `allowed values of '${input.field}' list ${JSON.stringify(v)} twice`,
          });
          continue;
        }
        seen.add(nv);
        domain.push(nv);
      }
    }
    return { index, input, field: input.field, normalize, domain };
  });
}

function checkOutputs(table: DecisionTable, diagnostics: Diagnostic[]): void {
  for (const output of table.outputs) {
    const where = { column: output.name, side: "output" as const };
    const role = outputRole(output);
    if (role === "route" && output.type !== "string") {
      diagnostics.push({ ...where, severity: "error", code: "OUTPUT_ROLE_TYPE", message: `output '${output.name}' is a route path and must have type string` });
    }
    if (role === "slaMinutes" && output.type !== "number") {
      diagnostics.push({ ...where, severity: "error", code: "OUTPUT_ROLE_TYPE", message: `output '${output.name}' holds SLA minutes and must have type number` });
    }
    if (role === "priorityTier" && output.type === "boolean") {
      diagnostics.push({ ...where, severity: "error", code: "OUTPUT_ROLE_TYPE", message: `output '${output.name}' is a priority tier and must be a string or number` });
    }
    if (output.allowedValues !== undefined) {
      const bad = output.allowedValues.filter((v) => !outputValueMatches(output, v));
      if (bad.length > 0) {
        diagnostics.push({ ...where, severity: "error", code: "OUTPUT_DOMAIN_TYPE", message: `allowed values of output '${output.name}' must be ${output.type} values; found ${bad.map((b) => JSON.stringify(b)).join(", ")}` });
      }
    }
    if (output.default !== undefined) {
      if (!outputValueMatches(output, output.default)) {
        diagnostics.push({ ...where, severity: "error", code: "OUTPUT_DEFAULT_TYPE", message: `default of output '${output.name}' must be a ${output.type}; found ${JSON.stringify(output.default)}` });
      } else if (output.default !== null && output.allowedValues !== undefined && !output.allowedValues.includes(output.default)) {
        diagnostics.push({ ...where, severity: "error", code: "OUTPUT_DEFAULT_NOT_ALLOWED", message: `default ${show(output.default)} of output '${output.name}' is not one of its allowed values` });
      }
    }
  }
}

function checkHitPolicy(table: DecisionTable, diagnostics: Diagnostic[]): void {
  if (table.aggregation !== undefined) {
    if (table.hitPolicy !== "COLLECT") {
      diagnostics.push({ severity: "error", code: "AGGREGATION_WITHOUT_COLLECT", message: `aggregation ${table.aggregation} only applies to the COLLECT hit policy (this table is ${table.hitPolicy})` });
    } else if (table.aggregation !== "COUNT") {
      for (const output of table.outputs) {
        if (output.type !== "number") {
          diagnostics.push({ column: output.name, side: "output", severity: "error", code: "AGGREGATION_TYPE", message: `COLLECT ${table.aggregation} needs number outputs; '${output.name}' is ${output.type}` });
        }
      }
    }
  }
  if ((table.hitPolicy === "PRIORITY" || table.hitPolicy === "OUTPUT ORDER") && !table.outputs.some((o) => o.allowedValues !== undefined && o.allowedValues.length > 0)) {
    diagnostics.push({ severity: "error", code: "PRIORITY_WITHOUT_ORDER", message: `${table.hitPolicy} ranks matches by the outputs' allowed values; give at least one output allowedValues (highest priority first)` });
  }
  if (table.rules.length === 0) {
    diagnostics.push({ severity: "warning", code: "NO_RULES", message: "the table has no rules: nothing will match" });
  }
}

function prepareRule(
  table: DecisionTable,
  rule: DecisionTable["rules"][number],
  index: number,
  columns: PreparedColumn[],
  columnByField: Map<string, PreparedColumn>,
  seenIds: Set<string>,
  diagnostics: Diagnostic[],
): PreparedRule {
  const ruleId = rule.id;
  let broken = false;
  const error = (d: Omit<Diagnostic, "ruleId" | "severity">): void => {
    broken = true;
    diagnostics.push({ ruleId, severity: "error", ...d });
  };
  if (seenIds.has(ruleId)) error({ code: "DUPLICATE_RULE_ID", message: `rule id '${ruleId}' is used by an earlier rule too` });
  seenIds.add(ruleId);

  for (const key of Object.keys(rule.when)) {
    if (!columnByField.has(key)) {
      error({ column: key, side: "input", code: "UNKNOWN_INPUT_COLUMN", message: `rule ${ruleId} has a cell for '${key}', which is not an input column (inputs: ${columns.map((c) => c.field).join(", ") || "none"})` });
    }
  }
  const cells: PreparedCell[] = columns.map((col) => {
    const text = Object.hasOwn(rule.when, col.field) ? (rule.when[col.field] as string) : "-";
    const parsed = parseUnaryTest(text, col.input.type);
    if (!parsed.ok) {
      const code = parsed.error.code === "type" ? "CELL_TYPE" : parsed.error.code === "unsupported" ? "CELL_UNSUPPORTED" : "CELL_SYNTAX";
      error({ column: col.field, side: "input", code, position: parsed.error.position, message: `${col.field}: ${parsed.error.message} in "${text}"` });
      return { column: col.index, text, test: ANY, predicate: always };
    }
    for (const w of parsed.warnings) {
      diagnostics.push({ ruleId, column: col.field, side: "input", severity: "warning", code: "CELL_SUSPICIOUS", position: w.position, message: `${col.field}: ${w.message}` });
    }
    if (col.domain !== null) checkCellDomain(ruleId, col, parsed.test, diagnostics);
    return { column: col.index, text, test: parsed.test, predicate: parsed.test.kind === "any" ? always : cellPredicate(parsed.test, col.input.type) };
  });

  const outputNames = new Set(table.outputs.map((o) => o.name));
  for (const key of Object.keys(rule.then)) {
    if (!outputNames.has(key)) {
      error({ column: key, side: "output", code: "UNKNOWN_OUTPUT_COLUMN", message: `rule ${ruleId} sets '${key}', which is not an output (outputs: ${table.outputs.map((o) => o.name).join(", ")})` });
    }
  }
  const outputs = table.outputs.map((output): OutputValue => {
    if (!Object.hasOwn(rule.then, output.name)) {
      diagnostics.push({ ruleId, column: output.name, side: "output", severity: "warning", code: "OUTPUT_MISSING", message: `rule ${ruleId} gives no value for '${output.name}'; it will be null` });
      return null;
    }
    const v = rule.then[output.name] as OutputValue;
    const where = { column: output.name, side: "output" as const };
    if (!outputValueMatches(output, v)) {
      error({ ...where, code: "OUTPUT_TYPE", message: `${output.name}: ${JSON.stringify(v)} is not a ${output.type}` });
      return v;
    }
    if (v !== null && output.allowedValues !== undefined && !output.allowedValues.includes(v)) {
      error({ ...where, code: "OUTPUT_NOT_ALLOWED", message: `${output.name}: ${show(v)} is not one of the allowed values (${output.allowedValues.map((a) => show(a)).join(", ")})` });
    }
    const role = outputRole(output);
    if (role === "slaMinutes" && typeof v === "number" && !(Number.isInteger(v) && v >= 0)) {
      error({ ...where, code: "OUTPUT_ROLE_VALUE", message: `${output.name}: SLA minutes must be a whole number ≥ 0, found ${v}` });
    }
    if (role === "route" && typeof v === "string" && v.trim() === "") {
      error({ ...where, code: "OUTPUT_ROLE_VALUE", message: `${output.name}: the route path is empty` });
    }
    return v;
  });
  return { id: ruleId, index, cells, outputs, broken };
}

function checkCellDomain(ruleId: string, col: PreparedColumn, test: UnaryTest, diagnostics: Diagnostic[]): void {
  const domain = col.domain as ColumnValue[];
  for (const lit of literalsOf(test)) {
    if (lit.type === "boolean") continue;
    // Ranges and comparisons may legitimately use bounds outside a finite domain; only equality literals must be members.
    const isMember = domain.includes(lit.value);
    if (!isMember && isEqualityLiteral(test, lit)) {
      diagnostics.push({
        ruleId,
        column: col.field,
        side: "input",
        severity: "warning",
        code: "CELL_VALUE_OUTSIDE_DOMAIN",
        position: lit.span,
        message: `${col.field}: ${lit.type === "date" ? lit.iso : JSON.stringify(lit.value)} is not one of the column's allowed values`,
      });
    }
  }
}

function isEqualityLiteral(test: UnaryTest, lit: ReturnType<typeof literalsOf>[number]): boolean {
  switch (test.kind) {
    case "compare":
      return test.value === lit && (test.op === "=" || test.op === "!=");
    case "not":
      return isEqualityLiteral(test.test, lit);
    case "anyOf":
      return test.tests.some((t) => isEqualityLiteral(t, lit));
    default:
      return false;
  }
}

/** Runs the structural pass. Pure; cheap (linear in the number of cells). */
export function prepare(table: DecisionTable): Prepared {
  const diagnostics: Diagnostic[] = [];
  checkHitPolicy(table, diagnostics);
  const columns = prepareColumns(table, diagnostics);
  checkOutputs(table, diagnostics);
  const columnByField = new Map(columns.map((c) => [c.field, c]));
  const seenIds = new Set<string>();
  const rules = table.rules.map((rule, index) => prepareRule(table, rule, index, columns, columnByField, seenIds, diagnostics));
  return { table, columns, rules, diagnostics };
}
