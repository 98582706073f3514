import { describe, expect, it } from "vitest";
import {
  check,
  compile,
  type DecisionTable,
  DecisionTableCompileError,
  type Diagnostic,
  evaluate,
  type InputColumn,
  type OutputColumn,
  parseDecisionTable,
} from "@/lib/decision-table";
import { createRandom } from "@/lib/random";
import { referenceTable, table } from "./support";

const str = (field: string, allowedValues?: string[]): InputColumn => ({ field, type: "string", ...(allowedValues ? { allowedValues } : {}) });
const num = (field: string): InputColumn => ({ field, type: "number" });
const bool = (field: string): InputColumn => ({ field, type: "boolean" });
const out: OutputColumn[] = [{ name: "route", type: "string" }];

function codes(ds: Diagnostic[]): string[] {
  return ds.map((d) => `${d.severity} ${d.code}${d.ruleId !== undefined ? ` ${d.ruleId}` : ""}`);
}

describe("check: the reference table", () => {
  it("is clean (no errors, no shadowed rules, no gaps thanks to its catch-all)", () => {
    expect(check(referenceTable())).toEqual([]);
  });
  it("finds the gaps once the catch-all is removed, each with an example that really falls through", () => {
    const t = referenceTable();
    const noCatchAll = { ...t, rules: t.rules.filter((r) => r.id !== "R26") };
    const ds = check(noCatchAll);
    const gaps = ds.filter((d) => d.code === "TABLE_GAP" && d.example !== undefined);
    expect(gaps.length).toBeGreaterThan(0);
    const c = compile(noCatchAll);
    for (const g of gaps) expect(evaluate(c, g.example as never).matched).toBe(false);
    expect(ds.every((d) => d.severity !== "error")).toBe(true);
  });
});

describe("check: cells", () => {
  const t = table("FIRST", [str("region", ["NA", "EMEA"]), num("employees"), bool("existing")], out, [
    ["R1", { region: "support" }, { route: "a" }],
    ["R2", { employees: "'x'" }, { route: "a" }],
    ["R3", { region: ">= 5" }, { route: "a" }],
    ["R4", { employees: "abs(5)" }, { route: "a" }],
    ["R5", { employees: ">= 1,500" }, { route: "a" }],
    ["R6", { region: "'NA', 'LATAM'" }, { route: "a" }],
    ["R7", { existing: "> true" }, { route: "a" }],
  ]);
  const ds = check(t);
  it.each([
    ["R1", "CELL_SYNTAX", "error", "region", { start: 0, end: 7 }, "unquoted text 'support'"],
    ["R2", "CELL_TYPE", "error", "employees", { start: 0, end: 3 }, "found text 'x' in a number column"],
    ["R3", "CELL_TYPE", "error", "region", { start: 3, end: 4 }, "found the number 5 in a text column"],
    ["R4", "CELL_UNSUPPORTED", "error", "employees", { start: 0, end: 3 }, "unsupported function 'abs"],
    ["R5", "CELL_SUSPICIOUS", "warning", "employees", { start: 3, end: 8 }, "thousands separator"],
    ["R6", "CELL_VALUE_OUTSIDE_DOMAIN", "warning", "region", { start: 6, end: 13 }, '"LATAM" is not one of the column\'s allowed values'],
    ["R7", "CELL_TYPE", "error", "existing", { start: 0, end: 6 }, "'>' does not apply"],
  ])("%s: %s", (ruleId, code, severity, column, position, fragment) => {
    const d = ds.find((x) => x.ruleId === ruleId && x.code === code);
    expect(d).toMatchObject({ ruleId, code, severity, column, side: "input", position });
    expect(d?.message).toContain(fragment);
  });
  it("compile() refuses the table with a typed error carrying the diagnostics", () => {
    expect(() => compile(t)).toThrow(DecisionTableCompileError);
    try {
      compile(t);
    } catch (e) {
      const err = e as DecisionTableCompileError;
      expect(err.diagnostics.filter((d) => d.severity === "error")).toHaveLength(5);
      expect(err.message).toMatch(/^Decision table has 5 errors:\n- R1: region: unquoted text 'support'/u);
    }
  });
  it("compile() skips broken rules only when told to, and keeps the diagnostics", () => {
    const c = compile(t, { skipBrokenRules: true });
    expect(c.skippedRuleIds).toEqual(["R1", "R2", "R3", "R4", "R7"]);
    expect(c.rules.map((r) => r.id)).toEqual(["R5", "R6"]);
    expect(codes([...c.diagnostics]).filter((x) => x.startsWith("warning"))).toEqual(["warning CELL_SUSPICIOUS R5", "warning CELL_VALUE_OUTSIDE_DOMAIN R6"]);
    expect(evaluate(c, { region: "LATAM" }).ruleIds).toEqual(["R6"]);
  });
  it("the error message is capped for big tables", () => {
    const many = table("FIRST", [str("a")], out, Array.from({ length: 12 }, (_, i) => [`R${i}`, { a: "oops" }, { route: "x" }] as [string, Record<string, string>, Record<string, string>]));
    expect(() => compile(many)).toThrow(/and 2 more$/u);
    const one = table("FIRST", [str("a")], out, [["R1", { a: "oops" }, { route: "x" }]]);
    expect(() => compile(one)).toThrow(/^Decision table has 1 error:/u);
  });
});

describe("check: rules, outputs and columns", () => {
  it("reports unknown columns, duplicate ids and output problems", () => {
    const t = parseDecisionTable({
      name: "t",
      hitPolicy: "FIRST",
      inputs: [str("region")],
      outputs: [
        { name: "route", type: "string", allowedValues: ["ae", "sdr"] },
        { name: "sla_minutes", type: "number" },
        { name: "note", type: "string" },
      ],
      rules: [
        { id: "R1", when: { regoin: "'NA'" }, then: { route: "ae", sla_minutes: 30, note: "x" } },
        { id: "R1", when: {}, then: { route: "sdr", sla_minutes: 30, note: "x" } },
        { id: "R3", when: {}, then: { route: "partner", sla_minutes: 30, note: "x" } },
        { id: "R4", when: {}, then: { route: 5, sla_minutes: 30, note: "x" } },
        { id: "R5", when: {}, then: { route: "ae", sla_minutes: 1.5, note: "x" } },
        { id: "R6", when: {}, then: { route: "ae", sla_minutes: -5, notes: "x" } },
        { id: "R7", when: {}, then: { route: "ae", sla_minutes: null, note: null } },
      ],
    });
    expect(codes(check(t))).toEqual([
      "error UNKNOWN_INPUT_COLUMN R1",
      "error DUPLICATE_RULE_ID R1",
      "error OUTPUT_NOT_ALLOWED R3",
      "error OUTPUT_TYPE R4",
      "error OUTPUT_ROLE_VALUE R5",
      "error UNKNOWN_OUTPUT_COLUMN R6",
      "error OUTPUT_ROLE_VALUE R6",
      "warning OUTPUT_MISSING R6",
    ]);
    const route = parseDecisionTable({ name: "t", hitPolicy: "FIRST", inputs: [], outputs: [{ name: "route", type: "string" }], rules: [{ id: "R1", when: {}, then: { route: " " } }] });
    expect(check(route)[0]).toMatchObject({ code: "OUTPUT_ROLE_VALUE", message: "route: the route path is empty" });
    expect(check(t).find((d) => d.code === "UNKNOWN_INPUT_COLUMN")?.message).toBe("rule R1 has a cell for 'regoin', which is not an input column (inputs: region)");
  });

  it("reports column and hit-policy problems", () => {
    const t = parseDecisionTable({
      name: "t",
      hitPolicy: "FIRST",
      aggregation: "SUM",
      inputs: [
        { field: "region", type: "string", allowedValues: ["NA", 5, "NA"] },
        { field: "since", type: "date", allowedValues: ["2026-01-01", "01/02/2026"] },
        { field: "n", type: "number", allowedValues: [1, "2"] },
        { field: "b", type: "boolean", allowedValues: [true, "no"] },
        { field: "tags", type: "string[]", allowedValues: ["", "x"] },
      ],
      outputs: [
        { name: "route", type: "number" },
        { name: "sla", type: "string" },
        { name: "tier", type: "boolean" },
        { name: "x", type: "string", allowedValues: ["a", 1], default: "z" },
        { name: "y", type: "number", default: "1" },
      ],
      rules: [],
    });
    expect(codes(check(t))).toEqual([
      "error AGGREGATION_WITHOUT_COLLECT",
      "warning NO_RULES",
      "error INPUT_DOMAIN_TYPE",
      "warning INPUT_DOMAIN_DUPLICATE",
      "error INPUT_DOMAIN_TYPE",
      "error INPUT_DOMAIN_TYPE",
      "error INPUT_DOMAIN_TYPE",
      "error INPUT_DOMAIN_TYPE",
      "error OUTPUT_ROLE_TYPE",
      "error OUTPUT_ROLE_TYPE",
      "error OUTPUT_ROLE_TYPE",
      "error OUTPUT_DOMAIN_TYPE",
      "error OUTPUT_DEFAULT_NOT_ALLOWED",
      "error OUTPUT_DEFAULT_TYPE",
    ]);
    expect(() => compile(t, { skipBrokenRules: true })).toThrow(DecisionTableCompileError);
  });

  it("checks aggregation types and that PRIORITY / OUTPUT ORDER have an order", () => {
    const collect = table("COLLECT", [], [{ name: "n", type: "number" }, { name: "s", type: "string" }], [["R1", {}, { n: 1, s: "a" }]], { aggregation: "MAX" });
    expect(codes(check(collect))).toEqual(["error AGGREGATION_TYPE"]);
    expect(codes(check({ ...collect, aggregation: "COUNT" }))).toEqual([]);
    for (const policy of ["PRIORITY", "OUTPUT ORDER"] as const) {
      expect(codes(check({ ...collect, aggregation: undefined, hitPolicy: policy }))).toEqual(["error PRIORITY_WITHOUT_ORDER"]);
    }
  });
});

describe("check: shadowed rules under FIRST", () => {
  function shadowed(t: DecisionTable): Array<[string, string[]]> {
    return check(t)
      .filter((d) => d.code === "RULE_SHADOWED")
      .map((d) => [d.ruleId as string, d.relatedRuleIds ?? []]);
  }
  it("by one earlier rule", () => {
    const t = table("FIRST", [str("region"), num("score")], out, [
      ["R1", { region: "'NA'" }, { route: "a" }],
      ["R2", { region: "'NA'", score: ">= 50" }, { route: "b" }],
      ["R3", { region: "'EMEA'", score: ">= 50" }, { route: "c" }],
      ["R4", {}, { route: "d" }],
      ["R5", { score: "< 0" }, { route: "e" }],
    ]);
    expect(shadowed(t)).toEqual([
      ["R2", ["R1"]],
      ["R5", ["R4"]],
    ]);
    expect(check(t).find((d) => d.ruleId === "R2")?.message).toBe("R2 can never match: R1 comes first and matches every case it matches (FIRST hit policy)");
  });
  it("by the union of earlier rules (finite domains and numeric intervals)", () => {
    const t = table("FIRST", [str("region", ["NA", "EMEA", "APAC"]), num("score"), bool("existing")], out, [
      ["R1", { region: "'NA'" }, { route: "a" }],
      ["R2", { region: "'EMEA'" }, { route: "b" }],
      ["R3", { region: "'NA', 'EMEA'", score: "> 10" }, { route: "c" }],
      ["R4", { score: "[0..50]" }, { route: "d" }],
      ["R5", { score: "(50..100]" }, { route: "e" }],
      ["R6", { score: "[10..90]", existing: "true" }, { route: "f" }],
      ["R7", { existing: "true" }, { route: "g" }],
      ["R8", { existing: "false" }, { route: "h" }],
      ["R9", { existing: "not(null)" }, { route: "i" }],
      ["R10", { score: "[0..100]", region: "'APAC'" }, { route: "j" }],
    ]);
    expect(shadowed(t)).toEqual([
      ["R3", ["R1", "R2"]],
      ["R6", ["R4", "R5"]],
      ["R9", ["R7", "R8"]],
      ["R10", ["R4", "R5"]],
    ]);
  });
  it("does not claim shadowing that depends on values outside the declared domain", () => {
    const t = table("FIRST", [str("region", ["NA", "EMEA"])], out, [
      ["R1", { region: "'NA'" }, { route: "a" }],
      ["R2", { region: "'EMEA'" }, { route: "b" }],
      ["R3", { region: "not(null)" }, { route: "unexpected region" }],
    ]);
    expect(shadowed(t)).toEqual([]);
  });
  it("only claims what it can prove on text tests (contains/starts with/comparisons)", () => {
    const t = table("FIRST", [str("title"), num("n")], out, [
      ["R1", { title: "contains('vp')" }, { route: "a" }],
      ["R2", { title: "contains('vp')", n: "> 5" }, { route: "b" }],
      ["R3", { title: "contains('svp')" }, { route: "c" }],
      ["R4", { title: "< 'm'" }, { route: "d" }],
      ["R5", { title: "'a'" }, { route: "e" }],
    ]);
    // R2 repeats R1's test; R3 is also covered by R1 but proving it needs reasoning about substrings, which we
    // do not claim; R5 ('a' < 'm') likewise. R3/R5 are therefore not reported (never a false alarm).
    expect(shadowed(t)).toEqual([["R2", ["R1"]]]);
  });
  it("is only checked under FIRST", () => {
    const t = table("RULE ORDER", [str("region")], out, [
      ["R1", {}, { route: "a" }],
      ["R2", { region: "'NA'" }, { route: "b" }],
    ]);
    expect(shadowed(t)).toEqual([]);
  });
});

describe("check: overlaps under UNIQUE and ANY", () => {
  const rules: Array<[string, Record<string, string>, Record<string, string>]> = [
    ["R1", { region: "'NA'" }, { route: "a" }],
    ["R2", { score: ">= 90" }, { route: "a" }],
    ["R3", { region: "'EMEA'", score: "< 90" }, { route: "b" }],
    ["R4", { region: "'EMEA'", score: ">= 95" }, { route: "c" }],
  ];
  it("UNIQUE: every overlapping pair, with an example both rules match", () => {
    const t = table("UNIQUE", [str("region"), num("score")], out, rules);
    const overlaps = check(t).filter((d) => d.code === "RULE_OVERLAP");
    expect(overlaps.map((d) => [d.relatedRuleIds?.[0], d.ruleId])).toEqual([
      ["R1", "R2"],
      ["R2", "R4"],
    ]);
    expect(overlaps[0]?.message).toBe("R1 and R2 both match when region = 'NA', score = 90 — UNIQUE allows one match (such leads get an error result)");
    const c = compile(t);
    for (const d of overlaps) expect(evaluate(c, d.example as never).error?.code).toBe("UNIQUE_VIOLATION");
  });
  it("ANY: only pairs with different outputs", () => {
    const t = table("ANY", [str("region"), num("score")], out, rules);
    const overlaps = check(t).filter((d) => d.code === "RULE_OVERLAP");
    expect(overlaps.map((d) => [d.relatedRuleIds?.[0], d.ruleId])).toEqual([["R2", "R4"]]);
    expect(overlaps[0]?.message).toContain("give different outputs");
    expect(evaluate(compile(t), overlaps[0]?.example as never).error?.code).toBe("ANY_CONFLICT");
  });
  it("caps the list", () => {
    const t = table("UNIQUE", [str("a")], out, Array.from({ length: 9 }, (_, i) => [`R${i}`, {}, { route: "x" }] as [string, Record<string, string>, Record<string, string>]));
    const overlaps = check(t).filter((d) => d.code === "RULE_OVERLAP");
    expect(overlaps).toHaveLength(26);
    expect(overlaps[25]).toMatchObject({ severity: "info", message: "11 more overlapping rule pairs not listed" });
  });
});

describe("check: gaps", () => {
  it("on finite text domains, with an example", () => {
    const t = table("FIRST", [str("region", ["NA", "EMEA", "APAC"])], out, [
      ["R1", { region: "'NA'" }, { route: "a" }],
      ["R2", { region: "'EMEA'" }, { route: "b" }],
    ]);
    const gaps = check(t).filter((d) => d.code.startsWith("TABLE_GAP"));
    expect(gaps).toEqual([
      { severity: "warning", code: "TABLE_GAP", example: { region: "APAC" }, message: "no rule matches region = 'APAC': such leads get no result" },
      { severity: "info", code: "TABLE_GAP_MISSING_FACT", example: { region: null }, message: "no rule matches when region is missing: such leads get no result" },
    ]);
  });
  it("are info when every output has a default", () => {
    const t = table("FIRST", [bool("existing")], [{ name: "route", type: "string", default: "nurture" }], [["R1", { existing: "true" }, { route: "am" }]]);
    const gaps = check(t).filter((d) => d.code === "TABLE_GAP");
    expect(gaps).toEqual([{ severity: "info", code: "TABLE_GAP", example: { existing: false }, message: "no rule matches existing = false: the outputs' defaults apply" }]);
  });
  it("on numbers, by interval arithmetic", () => {
    const gapsOf = (cells: string[]): Array<[string, string, unknown]> =>
      check(table("FIRST", [num("n")], out, cells.map((c, i) => [`R${i}`, { n: c }, { route: "x" }])))
        .filter((d) => d.code === "TABLE_GAP")
        .map((d) => [d.severity, d.message, d.example?.n]);
    expect(gapsOf(["< 10", ">= 10"])).toEqual([]);
    expect(gapsOf(["< 10", "> 10"])).toEqual([["warning", "no rule matches n = 10: such leads get no result", 10]]);
    expect(gapsOf(["<= 9", ">= 10"])).toEqual([["info", "no rule matches n in (9..10) (only non-whole numbers fall here): such leads get no result", 9.5]]);
    expect(gapsOf(["[0..100]"])).toEqual([["warning", "no rule matches (n < 0 or n > 100): such leads get no result", -1]]);
    expect(gapsOf(["< 0", "[10..20)", "> 30"])).toEqual([["warning", "no rule matches (n in [0..10) or n in [20..30]): such leads get no result", 0]]);
  });
  it("on dates (whole days) and string sets", () => {
    const dates = table("FIRST", [{ field: "d", type: "date" }], out, [
      ["R1", { d: '<= date("2026-01-31")' }, { route: "a" }],
      ["R2", { d: '>= date("2026-02-01")' }, { route: "b" }],
    ]);
    expect(check(dates).filter((d) => d.code === "TABLE_GAP")).toEqual([]);
    const sets = table("FIRST", [{ field: "tags", type: "string[]", allowedValues: ["api", "crm"] }], out, [["R1", { tags: "'api'" }, { route: "a" }]]);
    expect(check(sets).filter((d) => d.code === "TABLE_GAP")).toEqual([{ severity: "warning", code: "TABLE_GAP", example: { tags: ["crm"] }, message: "no rule matches tags = {'crm'}: such leads get no result" }]);
  });
  it("across columns", () => {
    const t = table("FIRST", [str("region", ["NA", "EMEA"]), num("score"), bool("existing")], out, [
      ["R1", { region: "'NA'" }, { route: "a" }],
      ["R2", { score: ">= 50" }, { route: "b" }],
      ["R3", { existing: "true" }, { route: "c" }],
    ]);
    const gaps = check(t).filter((d) => d.code === "TABLE_GAP");
    expect(gaps.map((g) => g.message)).toEqual(["no rule matches region = 'EMEA', score < 50, existing = false: such leads get no result"]);
    expect(gaps[0]?.example).toEqual({ region: "EMEA", score: 49, existing: false });
    const missing = check(t).filter((d) => d.code === "TABLE_GAP_MISSING_FACT");
    expect(missing.length).toBeGreaterThan(0);
    const c = compile(t);
    for (const g of [...gaps, ...missing]) if (g.example !== undefined) expect(evaluate(c, g.example).matched).toBe(false);
  });
});

describe("check: other analyses", () => {
  it("flags rules that can never match", () => {
    const t = table("FIRST", [str("a")], out, [
      ["R1", { a: "not(not(null))" }, { route: "x" }],
      ["R2", { a: "not(null, not(null))" }, { route: "y" }],
      ["R3", {}, { route: "z" }],
    ]);
    expect(codes(check(t))).toEqual(["warning RULE_UNSATISFIABLE R1", "warning RULE_UNSATISFIABLE R2"]);
  });
  it("leaves broken rules out of the coverage analysis", () => {
    const t = table("FIRST", [str("a")], out, [
      ["R1", { a: "oops" }, { route: "x" }],
      ["R2", {}, { route: "y" }],
    ]);
    expect(codes(check(t))).toEqual(["error CELL_SYNTAX R1"]);
  });
  it("gives up politely on tables that fragment too much", () => {
    // 16 boolean columns; 60 rules fixing 8 random columns each: the uncovered space shatters.
    const inputs = Array.from({ length: 16 }, (_, i) => bool(`b${i}`));
    const rnd = createRandom(7);
    const rules = Array.from({ length: 60 }, (_, r): [string, Record<string, string>, Record<string, string>] => {
      const when: Record<string, string> = {};
      while (Object.keys(when).length < 8) when[`b${rnd.int(0, 15)}`] = rnd.chance(0.5) ? "true" : "false";
      return [`R${r}`, when, { route: "x" }];
    });
    const ds = check(table("FIRST", inputs, out, rules));
    expect(ds.at(-1)).toMatchObject({ severity: "info", code: "ANALYSIS_LIMIT" });
  });
});
