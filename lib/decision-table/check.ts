/** check(): everything the editor shows about a table — cell errors with positions, type mismatches, coverage. */

import { analyzeCoverage } from "./analysis";
import { type Diagnostic } from "./diagnostics";
import { prepare } from "./prepare";
import { type DecisionTable } from "./schema";

/**
 * Static checks on a (schema-valid) table: the structural pass (cell syntax and types with positions, unknown
 * columns, duplicate ids, output types and domains, hit-policy requirements) followed by the coverage analysis
 * (unsatisfiable rules, rules shadowed under FIRST, overlaps under UNIQUE/ANY, gaps with example facts).
 * Rules with errors are left out of the coverage analysis. Pure; never throws for table content.
 */
export function check(table: DecisionTable): Diagnostic[] {
  const prepared = prepare(table);
  const healthy = prepared.rules.filter((r) => !r.broken);
  return [...prepared.diagnostics, ...analyzeCoverage(table, prepared.columns, healthy)];
}
