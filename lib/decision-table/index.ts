/**
 * Decision tables: model, cell language, static checks, compile + evaluate (generated code with an interpreter
 * fallback), traces, and DMN XML import/export. Pure and isomorphic. Semantics: README.md in this folder.
 */

export {
  AGGREGATIONS,
  Aggregation,
  DecisionTable,
  DecisionTableParseError,
  DomainValue,
  type Facts,
  HIT_POLICIES,
  HitPolicy,
  INPUT_TYPES,
  InputColumn,
  InputType,
  OUTPUT_ROLES,
  OUTPUT_TYPES,
  OutputColumn,
  OutputRole,
  OutputType,
  OutputValue,
  Rule,
  SINGLE_HIT_POLICIES,
  type TableIssue,
  findOutputByRole,
  outputRole,
  parseDecisionTable,
  safeParseDecisionTable,
} from "./schema";
export {
  type CellError,
  type CellErrorCode,
  type CellWarning,
  type CompareOp,
  type FormatOptions,
  type Literal,
  type ParseUnaryTestResult,
  type Span,
  type TextFn,
  type UnaryTest,
  formatUnaryTest,
  parseLiteralText,
  parseUnaryTest,
} from "./unary-test";
export { type CellPredicate, cellPredicate } from "./predicate";
export { DIAGNOSTIC_CODES, DecisionTableCompileError, type Diagnostic, type DiagnosticCode, type Severity } from "./diagnostics";
export { check } from "./check";
export { type CompileOptions, type CompiledTable, compile } from "./compile";
export { type EvalError, type EvalResult, type Outputs, firstOutputs, outputsList } from "./results";
export { describeRuleTrace, evaluate, evaluateTraced } from "./evaluate";
export { type FailedCell, type InvalidFact, type RuleTrace, type TracedResult } from "./trace";
export { type DmnProblem, DmnImportError, type ExportDmnOptions, SWITCHYARD_DMN_NAMESPACE, exportDmn, importDmn } from "./dmn";
export {
  type ColumnValue,
  dayNumberFromIso,
  formatValue,
  isoFromDayNumber,
  normalizeBoolean,
  normalizeDate,
  normalizeNumber,
  normalizeString,
  normalizeStringSet,
  normalizerFor,
} from "./values";
export { type CellChange, type RuleDiff, type TableDiff, diffTables, sameTable } from "./diff";
