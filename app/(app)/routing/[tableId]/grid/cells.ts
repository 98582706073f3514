/**
 * Pure helpers behind the rules grid cells: output text ⇄ literal, autocomplete suggestions for the cell editors,
 * and diagnostics indexed by cell, rule and table.
 */

import {
  type DecisionTable,
  type Diagnostic,
  type InputColumn,
  type OutputColumn,
  type OutputValue,
  type Severity,
  type UnaryTest,
  parseUnaryTest,
} from "@/lib/decision-table";

// ---------------------------------------------------------------- output cells

/** The text an output cell shows and edits: strings as-is (not quoted), numbers/booleans as written, null → "". */
export function outputText(value: OutputValue | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/u;

/**
 * Reads an edited output cell for a column type: `{ ok, value }` (`undefined` = blank, the output is left out) or
 * `{ ok: false, message }` when the text is not a value of that type.
 */
export function parseOutputText(type: OutputColumn["type"], text: string): { ok: true; value: OutputValue | undefined } | { ok: false; message: string } {
  const t = text.trim();
  if (t === "") return { ok: true, value: undefined };
  if (type === "string") return { ok: true, value: t };
  if (type === "number") {
    const n = Number(t);
    return NUMBER_TEXT.test(t) && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `'${t}' is not a number` };
  }
  const b = t.toLowerCase();
  if (b === "true" || b === "false") return { ok: true, value: b === "true" };
  return { ok: false, message: `'${t}' is not true or false` };
}

// ---------------------------------------------------------------- suggestions

export interface Suggestion {
  /** What the list shows. */
  label: string;
  /** The text it puts in the cell (replacing the last comma-separated item for `value` suggestions). */
  insert: string;
  /** Caret offset inside `insert` after applying (default: the end). */
  caret?: number;
  /** `value`: a complete entry (Enter commits it); `snippet`: a template to keep typing in. */
  kind: "value" | "snippet";
  hint?: string;
}

/** A FEEL string literal: single quotes, backslash escapes. */
export function quoteString(s: string): string {
  return `'${s.replace(/\\/gu, "\\\\").replace(/'/gu, "\\'").replace(/\n/gu, "\\n")}'`;
}

function collectStrings(test: UnaryTest, out: Set<string>): void {
  switch (test.kind) {
    case "compare":
      if (test.value.type === "string") out.add(test.value.value);
      else if (test.value.type === "number") out.add(String(test.value.value));
      else if (test.value.type === "date") out.add(test.value.iso);
      return;
    case "not":
      collectStrings(test.test, out);
      return;
    case "anyOf":
      for (const t of test.tests) collectStrings(t, out);
      return;
    default:
      return;
  }
}

/** Literal values already written in a column's cells (strings unquoted, numbers as text, dates as YYYY-MM-DD). */
export function usedColumnValues(table: DecisionTable, input: InputColumn): string[] {
  const out = new Set<string>();
  for (const rule of table.rules) {
    const cell = rule.when[input.field];
    if (cell === undefined) continue;
    const parsed = parseUnaryTest(cell, input.type);
    if (parsed.ok) collectStrings(parsed.test, out);
  }
  return [...out];
}

function unique(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    if (v === "" || seen.has(v)) continue;
    seen.add(v);
    out.push(v);
  }
  return out;
}

const ANY: Suggestion = { label: "-", insert: "-", kind: "value", hint: "any value" };
const NULL: Suggestion = { label: "null", insert: "null", kind: "value", hint: "fact missing" };

/**
 * Suggestions for an input cell: for text and text-set columns the quoted known values (`allowedValues`, observed
 * fact values, values already used in the column), `-`, `null` and `not(…)`; for booleans `true`/`false`; for numbers
 * and dates comparison and range templates.
 */
export function inputSuggestions(input: InputColumn, known: readonly string[]): Suggestion[] {
  const domain = (input.allowedValues ?? []).map(String);
  const values = unique([...domain, ...known]);
  const not: Suggestion = { label: "not(…)", insert: "not()", caret: 4, kind: "snippet", hint: "none of" };
  switch (input.type) {
    case "boolean":
      return [
        { label: "true", insert: "true", kind: "value" },
        { label: "false", insert: "false", kind: "value" },
        ANY,
        NULL,
      ];
    case "number":
      return [
        ...values.filter((v) => NUMBER_TEXT.test(v)).map((v): Suggestion => ({ label: v, insert: v, kind: "value" })),
        { label: ">= …", insert: ">= ", kind: "snippet", hint: "at least" },
        { label: "<= …", insert: "<= ", kind: "snippet", hint: "at most" },
        { label: "> …", insert: "> ", kind: "snippet", hint: "more than" },
        { label: "< …", insert: "< ", kind: "snippet", hint: "less than" },
        { label: "[a..b]", insert: "[..]", caret: 1, kind: "snippet", hint: "between, inclusive" },
        ANY,
        NULL,
        not,
      ];
    case "date":
      return [
        ...values.filter((v) => /^\d{4}-\d{2}-\d{2}$/u.test(v)).map((v): Suggestion => ({ label: `date("${v}")`, insert: `date("${v}")`, kind: "value" })),
        { label: 'date("…")', insert: 'date("")', caret: 6, kind: "snippet", hint: "on the day" },
        { label: '>= date("…")', insert: '>= date("")', caret: 9, kind: "snippet", hint: "on or after" },
        { label: '< date("…")', insert: '< date("")', caret: 8, kind: "snippet", hint: "before" },
        { label: '[date("…")..date("…")]', insert: '[date("")..date("")]', caret: 7, kind: "snippet", hint: "between" },
        ANY,
        NULL,
        not,
      ];
    default:
      return [
        ...values.map((v): Suggestion => ({ label: quoteString(v), insert: quoteString(v), kind: "value" })),
        ANY,
        NULL,
        not,
        { label: "contains('…')", insert: "contains('')", caret: 10, kind: "snippet", hint: "text contains, any case" },
      ];
  }
}

/** Suggestions for an output cell: string outputs their known values (plain, unquoted), booleans true/false. */
export function outputSuggestions(output: OutputColumn, known: readonly string[], used: readonly OutputValue[]): Suggestion[] {
  if (output.type === "boolean") return [{ label: "true", insert: "true", kind: "value" }, { label: "false", insert: "false", kind: "value" }];
  const domain = (output.allowedValues ?? []).map(String);
  const values = unique([...domain, ...known, ...used.filter((v) => v !== null).map(String)]);
  const fit = output.type === "number" ? values.filter((v) => NUMBER_TEXT.test(v)) : values;
  return fit.map((v) => ({ label: v, insert: v, kind: "value" }));
}

/** Index where the last top-level comma-separated item of a cell starts (commas inside quotes/brackets don't count). */
export function lastItemStart(text: string): number {
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(" || ch === "[") depth++;
    else if ((ch === ")" || ch === "]") && depth > 0) depth--;
    else if (ch === "," && depth === 0) start = i + 1;
  }
  return start;
}

/** What the user is completing: the last list item, without quotes, lower-cased. */
function completionQuery(draft: string, listAware: boolean): string {
  const item = listAware ? draft.slice(lastItemStart(draft)) : draft;
  return item.trim().replace(/^['"]|['"]$/gu, "").toLowerCase();
}

/** Suggestions matching what was typed (all of them before the first keystroke), at most `limit`. */
export function filterSuggestions(options: readonly Suggestion[], draft: string, typed: boolean, listAware: boolean, limit = 50): Suggestion[] {
  if (!typed) return options.slice(0, limit);
  const q = completionQuery(draft, listAware);
  if (q === "") return options.slice(0, limit);
  const starts = options.filter((o) => o.label.replace(/^['"]/u, "").toLowerCase().startsWith(q));
  const contains = options.filter((o) => !starts.includes(o) && o.label.toLowerCase().includes(q));
  return [...starts, ...contains].slice(0, limit);
}

/**
 * The draft after picking a suggestion: a `value` replaces the last list item when the cell is a list (`'A', 'B|'`),
 * otherwise the whole text; `not(…)` wraps what was typed; other snippets replace the text. Returns text and caret.
 */
export function applySuggestion(draft: string, option: Suggestion, listAware: boolean): { text: string; caret: number } {
  if (option.kind === "value" && listAware && option.insert !== "-" && option.insert !== "null") {
    const start = lastItemStart(draft);
    if (start > 0) {
      const text = `${draft.slice(0, start)} ${option.insert}`;
      return { text, caret: text.length };
    }
  }
  if (option.insert === "not()") {
    const inner = draft.trim();
    if (inner !== "" && inner !== "-" && !inner.startsWith("not(")) {
      const text = `not(${inner})`;
      return { text, caret: text.length };
    }
  }
  return { text: option.insert, caret: option.caret ?? option.insert.length };
}

// ---------------------------------------------------------------- diagnostics

export interface DiagnosticsIndex {
  /** Cell diagnostics by `cellKey(ruleId, side, column)`. */
  cells: Map<string, Diagnostic[]>;
  /** Rule diagnostics without a (known) column, by rule id. */
  rules: Map<string, Diagnostic[]>;
  /** Column diagnostics without a rule, by `columnKey(side, column)`. */
  columns: Map<string, Diagnostic[]>;
  /** Everything without a rule or a known column. */
  table: Diagnostic[];
}

export function cellKey(ruleId: string, side: "input" | "output", column: string): string {
  return `${ruleId}\u0000${side}\u0000${column}`;
}

export function columnKey(side: "input" | "output", column: string): string {
  return `${side}\u0000${column}`;
}

function push<K>(map: Map<K, Diagnostic[]>, key: K, d: Diagnostic): void {
  const list = map.get(key);
  if (list) list.push(d);
  else map.set(key, [d]);
}

/** The side a diagnostic's column is on: its `side`, else wherever a column of that name exists. */
export function diagnosticSide(table: DecisionTable, d: Diagnostic): "input" | "output" | undefined {
  if (d.column === undefined) return undefined;
  const isInput = table.inputs.some((i) => i.field === d.column);
  const isOutput = table.outputs.some((o) => o.name === d.column);
  if (d.side === "input") return isInput ? "input" : undefined;
  if (d.side === "output") return isOutput ? "output" : undefined;
  return isInput ? "input" : isOutput ? "output" : undefined;
}

export function indexDiagnostics(table: DecisionTable, diagnostics: readonly Diagnostic[]): DiagnosticsIndex {
  const index: DiagnosticsIndex = { cells: new Map(), rules: new Map(), columns: new Map(), table: [] };
  for (const d of diagnostics) {
    const side = diagnosticSide(table, d);
    if (d.ruleId !== undefined) {
      if (d.column !== undefined && side) push(index.cells, cellKey(d.ruleId, side, d.column), d);
      else push(index.rules, d.ruleId, d);
    } else if (d.column !== undefined && side) push(index.columns, columnKey(side, d.column), d);
    else index.table.push(d);
  }
  return index;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** The most severe of a list (undefined for none). */
export function worstSeverity(list: readonly Diagnostic[] | undefined): Severity | undefined {
  let worst: Severity | undefined;
  for (const d of list ?? []) if (!worst || RANK[d.severity] > RANK[worst]) worst = d.severity;
  return worst;
}

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

/** "2 errors · 3 warnings · 1 info" (zero counts left out; "No problems" when empty). */
export function severitySummary(counts: Record<Severity, number>): string {
  const parts: string[] = [];
  if (counts.error) parts.push(`${counts.error} error${counts.error === 1 ? "" : "s"}`);
  if (counts.warning) parts.push(`${counts.warning} warning${counts.warning === 1 ? "" : "s"}`);
  if (counts.info) parts.push(`${counts.info} info`);
  return parts.length ? parts.join(" · ") : "No problems";
}
