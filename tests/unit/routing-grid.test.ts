/**
 * The rules grid's pure helpers (app/(app)/routing/[tableId]/grid): table edits, rule ids, cell suggestions and
 * parsing, diagnostics indexing, and the undo history reducer.
 */
import { describe, expect, it } from "vitest";
import { check, parseDecisionTable, type DecisionTable, type Diagnostic } from "@/lib/decision-table";
import reference from "@/tests/fixtures/reference/reference-routing-table.json";
import {
  addInputColumn,
  addOutputColumn,
  addRule,
  deleteRule,
  duplicateRule,
  moveRule,
  nextRuleId,
  removeColumn,
  setAggregation,
  setAnnotation,
  setColumnLabel,
  setHitPolicy,
  setInputCell,
  setOutputCell,
} from "@/app/(app)/routing/[tableId]/grid/grid-ops";
import {
  applySuggestion,
  cellKey,
  columnKey,
  filterSuggestions,
  indexDiagnostics,
  inputSuggestions,
  lastItemStart,
  outputSuggestions,
  parseOutputText,
  quoteString,
  severitySummary,
  countBySeverity,
  usedColumnValues,
  worstSeverity,
} from "@/app/(app)/routing/[tableId]/grid/cells";
import { createHistory, UNDO_LIMIT, undoReducer, type UndoState } from "@/app/(app)/routing/[tableId]/grid/undo-history";

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The reference table, frozen: any mutation by a helper throws. */
const ref = (): DecisionTable => deepFreeze(parseDecisionTable(structuredClone(reference)));

const small = (): DecisionTable =>
  deepFreeze(parseDecisionTable({
    name: "t",
    hitPolicy: "FIRST",
    inputs: [{ field: "region", type: "string" }, { field: "employees", type: "number" }],
    outputs: [{ name: "route", type: "string" }, { name: "sla_minutes", type: "number" }],
    rules: [
      { id: "R1", when: { region: "'NA'", employees: ">= 100" }, then: { route: "sales_na", sla_minutes: 60 } },
      { id: "R2", when: { region: "'EMEA','APAC'", employees: "-" }, then: { route: "sales_intl", sla_minutes: 120 }, annotation: "intl" },
      { id: "R3", when: { region: "-", employees: "-" }, then: { route: "nurture" } },
    ],
  }));

describe("nextRuleId", () => {
  it("continues after the highest numbered id, keeping the zero padding", () => {
    expect(nextRuleId(ref().rules)).toBe("R27");
    expect(nextRuleId([{ id: "R09" }])).toBe("R10");
    expect(nextRuleId([{ id: "R1" }, { id: "R12" }, { id: "R3" }])).toBe("R13");
    expect(nextRuleId([{ id: "R099" }])).toBe("R100");
    expect(nextRuleId([{ id: "R3" }, { id: "R4" }])).toBe("R5");
  });

  it("starts at R01 and ignores ids that are not R<n>", () => {
    expect(nextRuleId([])).toBe("R01");
    expect(nextRuleId([{ id: "vip" }, { id: "rule-7" }])).toBe("R01");
  });
});

describe("rule edits", () => {
  it("adds a rule with every input '-' and a fresh id, at the end or at an index", () => {
    const t = ref();
    const next = addRule(t);
    expect(next).not.toBe(t);
    expect(next.rules).toHaveLength(27);
    expect(next.rules[26]).toEqual({ id: "R27", when: Object.fromEntries(t.inputs.map((i) => [i.field, "-"])), then: {} });
    const atTop = addRule(small(), 0);
    expect(atTop.rules.map((r) => r.id)).toEqual(["R4", "R1", "R2", "R3"]);
    expect(parseDecisionTable(next)).toEqual(next);
  });

  it("duplicates a rule below itself with a new id and independent cells", () => {
    const t = small();
    const next = duplicateRule(t, 1);
    expect(next.rules.map((r) => r.id)).toEqual(["R1", "R2", "R4", "R3"]);
    expect(next.rules[2]).toEqual({ ...t.rules[1], id: "R4" });
    expect(next.rules[2]?.when).not.toBe(t.rules[1]?.when);
    expect(duplicateRule(t, 9)).toBe(t);
  });

  it("deletes and moves rules without touching the original", () => {
    const t = small();
    expect(deleteRule(t, 0).rules.map((r) => r.id)).toEqual(["R2", "R3"]);
    expect(moveRule(t, 0, 2).rules.map((r) => r.id)).toEqual(["R2", "R3", "R1"]);
    expect(moveRule(t, 2, 0).rules.map((r) => r.id)).toEqual(["R3", "R1", "R2"]);
    expect(moveRule(t, 1, 0).rules.map((r) => r.id)).toEqual(["R2", "R1", "R3"]);
    expect(moveRule(t, 0, 99).rules.map((r) => r.id)).toEqual(["R2", "R3", "R1"]);
    expect(moveRule(t, 1, 1)).toBe(t);
    expect(deleteRule(t, 5)).toBe(t);
    expect(t.rules.map((r) => r.id)).toEqual(["R1", "R2", "R3"]);
  });

  it("sets cells, outputs and annotations, returning the same table when nothing changes", () => {
    const t = small();
    const a = setInputCell(t, 0, "region", "  'LATAM' ");
    expect(a.rules[0]?.when.region).toBe("'LATAM'");
    expect(a.rules[1]).toBe(t.rules[1]);
    expect(setInputCell(t, 0, "region", "")).toMatchObject({ rules: [{ when: { region: "-" } }, {}, {}] });
    expect(setInputCell(t, 0, "region", "'NA'")).toBe(t);

    const b = setOutputCell(t, 2, "sla_minutes", 30);
    expect(b.rules[2]?.then).toEqual({ route: "nurture", sla_minutes: 30 });
    expect(setOutputCell(t, 0, "sla_minutes", undefined).rules[0]?.then).toEqual({ route: "sales_na" });
    expect(setOutputCell(t, 0, "sla_minutes", 60)).toBe(t);
    expect(setOutputCell(t, 2, "sla_minutes", undefined)).toBe(t);

    expect(setAnnotation(t, 0, "big NA").rules[0]?.annotation).toBe("big NA");
    expect(setAnnotation(t, 1, " ").rules[1]).not.toHaveProperty("annotation");
    expect(setAnnotation(t, 1, "intl")).toBe(t);
  });
});

describe("columns and table settings", () => {
  it("adds an input column with '-' in every rule, once", () => {
    const t = small();
    const next = addInputColumn(t, { field: "country", type: "string", label: "Country" });
    expect(next.inputs.at(-1)).toEqual({ field: "country", type: "string", label: "Country" });
    expect(next.rules.every((r) => r.when.country === "-")).toBe(true);
    expect(addInputColumn(next, { field: "country", type: "string" })).toBe(next);
  });

  it("adds an output column once", () => {
    const t = small();
    const next = addOutputColumn(t, { name: "queue", type: "string" });
    expect(next.outputs.map((o) => o.name)).toEqual(["route", "sla_minutes", "queue"]);
    expect(addOutputColumn(next, { name: "queue", type: "number" })).toBe(next);
  });

  it("removes a column and its cells from every rule, but never the last output", () => {
    const t = ref();
    const next = removeColumn(t, "input", "country");
    expect(next.inputs.map((i) => i.field)).not.toContain("country");
    expect(next.rules.some((r) => "country" in r.when)).toBe(false);
    expect(check(next).filter((d) => d.severity === "error")).toEqual([]);

    const noSla = removeColumn(t, "output", "sla_minutes");
    expect(noSla.outputs.map((o) => o.name)).toEqual(["route"]);
    expect(noSla.rules.some((r) => "sla_minutes" in r.then)).toBe(false);
    expect(removeColumn(noSla, "output", "route")).toBe(noSla);
    expect(removeColumn(t, "input", "nope")).toBe(t);
  });

  it("edits column labels", () => {
    const t = small();
    const labelled = setColumnLabel(t, "input", "region", " Region ");
    expect(labelled.inputs[0]).toEqual({ field: "region", type: "string", label: "Region" });
    expect(setColumnLabel(labelled, "input", "region", "Region")).toBe(labelled);
    expect(setColumnLabel(labelled, "input", "region", "").inputs[0]).toEqual({ field: "region", type: "string" });
    expect(setColumnLabel(t, "output", "route", "Route").outputs[0]?.label).toBe("Route");
  });

  it("keeps an aggregation only under COLLECT", () => {
    const t = setAggregation(setHitPolicy(small(), "COLLECT"), "MAX");
    expect(t).toMatchObject({ hitPolicy: "COLLECT", aggregation: "MAX" });
    const first = setHitPolicy(t, "FIRST");
    expect(first.hitPolicy).toBe("FIRST");
    expect(first).not.toHaveProperty("aggregation");
    expect(setAggregation(t, undefined)).not.toHaveProperty("aggregation");
    expect(setHitPolicy(first, "FIRST")).toBe(first);
  });
});

describe("cells", () => {
  it("parses output text by column type", () => {
    expect(parseOutputText("string", " sales_na ")).toEqual({ ok: true, value: "sales_na" });
    expect(parseOutputText("string", "")).toEqual({ ok: true, value: undefined });
    expect(parseOutputText("number", "240")).toEqual({ ok: true, value: 240 });
    expect(parseOutputText("number", "-2.5")).toEqual({ ok: true, value: -2.5 });
    expect(parseOutputText("number", "4 hours")).toMatchObject({ ok: false });
    expect(parseOutputText("number", "0x10")).toMatchObject({ ok: false });
    expect(parseOutputText("boolean", "True")).toEqual({ ok: true, value: true });
    expect(parseOutputText("boolean", "yes")).toMatchObject({ ok: false });
  });

  it("suggests quoted values, '-', null and not(…) for text columns", () => {
    const t = small();
    const region = t.inputs[0]!;
    const known = [...usedColumnValues(t, region), "LATAM", "NA"];
    expect(usedColumnValues(t, region)).toEqual(["NA", "EMEA", "APAC"]);
    const labels = inputSuggestions(region, known).map((s) => s.label);
    expect(labels).toEqual(["'NA'", "'EMEA'", "'APAC'", "'LATAM'", "-", "null", "not(…)", "contains('…')"]);
    expect(quoteString("O'Brien")).toBe("'O\\'Brien'");
  });

  it("suggests true/false for booleans and comparison templates for numbers", () => {
    expect(inputSuggestions({ field: "x", type: "boolean" }, []).map((s) => s.label)).toEqual(["true", "false", "-", "null"]);
    const num = inputSuggestions({ field: "employees", type: "number" }, ["100", "abc"]);
    expect(num.map((s) => s.insert)).toEqual(expect.arrayContaining(["100", ">= ", "[..]", "-", "null"]));
    expect(num.map((s) => s.insert)).not.toContain("abc");
  });

  it("filters by what was typed and completes the last list item", () => {
    const options = inputSuggestions({ field: "region", type: "string" }, ["NA", "EMEA", "APAC"]);
    expect(filterSuggestions(options, "'EMEA'", false, true)).toHaveLength(options.length);
    expect(filterSuggestions(options, "em", true, true).map((s) => s.label)).toEqual(["'EMEA'"]);
    expect(filterSuggestions(options, "'NA', 'ap", true, true).map((s) => s.label)).toEqual(["'APAC'"]);
    expect(lastItemStart("'a,b', not('c', 'd'), 'e")).toBe(21);
    const apac = options.find((s) => s.label === "'APAC'")!;
    expect(applySuggestion("'NA', 'ap", apac, true)).toEqual({ text: "'NA', 'APAC'", caret: 12 });
    expect(applySuggestion("ap", apac, true).text).toBe("'APAC'");
    const not = options.find((s) => s.label === "not(…)")!;
    expect(applySuggestion("'NA'", not, true)).toEqual({ text: "not('NA')", caret: 9 });
    expect(applySuggestion("-", not, true)).toEqual({ text: "not()", caret: 4 });
  });

  it("suggests output values plainly, from the catalog, the domain and the rules", () => {
    const s = outputSuggestions({ name: "route", type: "string", allowedValues: ["sales_na"] }, ["sales_na", "support"], ["nurture", null]);
    expect(s.map((o) => o.insert)).toEqual(["sales_na", "support", "nurture"]);
    expect(outputSuggestions({ name: "vip", type: "boolean" }, [], []).map((o) => o.insert)).toEqual(["true", "false"]);
  });
});

describe("diagnostics index", () => {
  it("files diagnostics under cells, rules, columns and the table", () => {
    const t = small();
    const diags: Diagnostic[] = [
      { ruleId: "R1", column: "region", side: "input", severity: "error", code: "CELL_SYNTAX", message: "bad" },
      { ruleId: "R1", column: "route", severity: "warning", code: "OUTPUT_NOT_ALLOWED", message: "route?" },
      { ruleId: "R3", severity: "warning", code: "RULE_SHADOWED", message: "shadowed" },
      { ruleId: "R2", column: "ghost", side: "input", severity: "error", code: "UNKNOWN_INPUT_COLUMN", message: "ghost" },
      { column: "employees", side: "input", severity: "error", code: "INPUT_DOMAIN_TYPE", message: "domain" },
      { severity: "info", code: "TABLE_GAP", message: "gap" },
    ];
    const index = indexDiagnostics(t, diags);
    expect(index.cells.get(cellKey("R1", "input", "region"))?.[0]?.code).toBe("CELL_SYNTAX");
    expect(index.cells.get(cellKey("R1", "output", "route"))?.[0]?.code).toBe("OUTPUT_NOT_ALLOWED");
    expect(index.rules.get("R3")?.[0]?.code).toBe("RULE_SHADOWED");
    expect(index.rules.get("R2")?.[0]?.code).toBe("UNKNOWN_INPUT_COLUMN");
    expect(index.columns.get(columnKey("input", "employees"))?.[0]?.code).toBe("INPUT_DOMAIN_TYPE");
    expect(index.table.map((d) => d.code)).toEqual(["TABLE_GAP"]);
    expect(worstSeverity(diags)).toBe("error");
    expect(worstSeverity([])).toBeUndefined();
    expect(severitySummary(countBySeverity(diags))).toBe("3 errors · 2 warnings · 1 info");
    expect(severitySummary(countBySeverity([]))).toBe("No problems");
  });

  it("lines up with check() on an edited reference table", () => {
    const t = setOutputCell(setInputCell(ref(), 2, "region", "EMEA"), 2, "sla_minutes", "x");
    const index = indexDiagnostics(t, check(t));
    expect(index.cells.get(cellKey("R03", "input", "region"))?.[0]?.severity).toBe("error");
    expect(index.cells.get(cellKey("R03", "output", "sla_minutes"))?.[0]?.code).toBe("OUTPUT_TYPE");
  });
});

describe("undo history", () => {
  const apply = <T>(state: UndoState<T>, ...actions: Parameters<typeof undoReducer<T>>[1][]) => actions.reduce(undoReducer<T>, state);

  it("undoes and redoes, and a new value clears the redo stack", () => {
    let s = apply(createHistory(1), { type: "set", value: 2 }, { type: "set", value: 3 });
    expect(s).toEqual({ past: [1, 2], present: 3, future: [] });
    s = apply(s, { type: "undo" }, { type: "undo" });
    expect(s).toEqual({ past: [], present: 1, future: [2, 3] });
    expect(apply(s, { type: "undo" })).toBe(s);
    s = apply(s, { type: "redo" });
    expect(s).toEqual({ past: [1], present: 2, future: [3] });
    s = apply(s, { type: "set", value: 9 });
    expect(s).toEqual({ past: [1, 2], present: 9, future: [] });
    expect(apply(s, { type: "redo" })).toBe(s);
  });

  it("ignores setting the same value and clears everything on reset", () => {
    const s = apply(createHistory("a"), { type: "set", value: "b" });
    expect(apply(s, { type: "set", value: "b" })).toBe(s);
    expect(apply(s, { type: "reset", value: "z" })).toEqual({ past: [], present: "z", future: [] });
  });

  it(`keeps at most ${UNDO_LIMIT} steps`, () => {
    let s = createHistory(0);
    for (let i = 1; i <= UNDO_LIMIT + 50; i++) s = undoReducer(s, { type: "set", value: i });
    expect(s.past).toHaveLength(UNDO_LIMIT);
    expect(s.past[0]).toBe(50);
    for (let i = 0; i < UNDO_LIMIT + 10; i++) s = undoReducer(s, { type: "undo" });
    expect(s.present).toBe(50);
    expect(s.future).toHaveLength(UNDO_LIMIT);
  });
});
