/** Diagnostics: what check() and compile() report about a table, shaped for the editor. */

import { type Span } from "./unary-test";

export type Severity = "error" | "warning" | "info";

/** Stable codes (the editor keys help text and quick fixes on them). */
export const DIAGNOSTIC_CODES = [
  // cells
  "CELL_SYNTAX",
  "CELL_UNSUPPORTED",
  "CELL_TYPE",
  "CELL_SUSPICIOUS",
  "CELL_VALUE_OUTSIDE_DOMAIN",
  // rules
  "DUPLICATE_RULE_ID",
  "UNKNOWN_INPUT_COLUMN",
  "UNKNOWN_OUTPUT_COLUMN",
  "OUTPUT_TYPE",
  "OUTPUT_NOT_ALLOWED",
  "OUTPUT_MISSING",
  "OUTPUT_ROLE_VALUE",
  // table and columns
  "NO_RULES",
  "INPUT_DOMAIN_TYPE",
  "INPUT_DOMAIN_DUPLICATE",
  "OUTPUT_DOMAIN_TYPE",
  "OUTPUT_DEFAULT_TYPE",
  "OUTPUT_DEFAULT_NOT_ALLOWED",
  "OUTPUT_ROLE_TYPE",
  "AGGREGATION_WITHOUT_COLLECT",
  "AGGREGATION_TYPE",
  "PRIORITY_WITHOUT_ORDER",
  // analysis
  "RULE_UNSATISFIABLE",
  "RULE_SHADOWED",
  "RULE_OVERLAP",
  "TABLE_GAP",
  "TABLE_GAP_MISSING_FACT",
  "ANALYSIS_LIMIT",
] as const;
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export interface Diagnostic {
  /** The rule concerned, if any. */
  ruleId?: string;
  /** The column concerned: an input field or an output name (see `side`). */
  column?: string;
  side?: "input" | "output";
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  /** Offsets into the cell text (0-based, end exclusive) for cell diagnostics. */
  position?: Span;
  /** Other rules involved: the rules shadowing this one, the rule it overlaps. */
  relatedRuleIds?: string[];
  /** A concrete combination of facts illustrating a gap or an overlap (field → value; dates as YYYY-MM-DD). */
  example?: Record<string, unknown>;
}

/** Thrown by compile() when a table has error diagnostics (all diagnostics are attached). */
export class DecisionTableCompileError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    const lines = errors.slice(0, 10).map((d) => `- ${d.ruleId !== undefined ? `${d.ruleId}: ` : ""}${d.message}`);
    if (errors.length > 10) lines.push(`- … and ${errors.length - 10} more`);
    super(`Decision table has ${errors.length} error${errors.length === 1 ? "" : "s"}:\n${lines.join("\n")}`);
    this.name = "DecisionTableCompileError";
    this.diagnostics = diagnostics;
  }
}
