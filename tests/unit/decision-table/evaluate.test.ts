import { describe, expect, it } from "vitest";
import { compile, describeRuleTrace, evaluate, evaluateTraced, type Facts } from "@/lib/decision-table";
import { bothModes, referenceTable, table } from "./support";

const leadTable = table(
  "FIRST",
  [
    { field: "region", type: "string", label: "Region" },
    { field: "employees", type: "number" },
    { field: "existing", type: "boolean" },
    { field: "products", type: "string[]" },
    { field: "signed_up", type: "date" },
    { field: "title", type: "string" },
  ],
  [{ name: "route", type: "string" }],
  [
    ["R01", { region: "null" }, { route: "review" }],
    ["R02", { region: "'NA'", employees: ">= 1000" }, { route: "ae" }],
    ["R03", { existing: "true", products: "'api'" }, { route: "am-api" }],
    ["R04", { signed_up: '>= date("2026-01-01")', title: "contains('founder')" }, { route: "founders" }],
    ["R05", { employees: "not(null)", products: "not('api')" }, { route: "sized" }],
    ["R06", {}, { route: "nurture" }],
  ],
);

describe("null handling (a missing fact is null; the cell decides)", () => {
  const cases: Array<[string, Facts, string]> = [
    ["region missing → only the null rule", { employees: 5000 }, "R01"],
    ["region empty string counts as missing", { region: "", employees: 5000 }, "R01"],
    ["region null", { region: null }, "R01"],
    ["employees missing fails >= 1000 (does not read as 0)", { region: "NA" }, "R06"],
    ["employees as numeric text is read", { region: "NA", employees: "1200" }, "R02"],
    ["employees unreadable → missing", { region: "NA", employees: "lots" }, "R06"],
    ["boolean as text", { region: "EMEA", existing: "TRUE", products: ["web", "api"] }, "R03"],
    ["string set from one string", { region: "EMEA", existing: true, products: "api" }, "R03"],
    ["empty set is missing → not('api') does not match it", { region: "EMEA", employees: 5, products: [] }, "R06"],
    ["not('api') needs a present set without api", { region: "EMEA", employees: 5, products: ["crm"] }, "R05"],
    ["date and case-insensitive contains", { region: "EMEA", signed_up: "2026-03-01T10:00:00Z", title: "Co-Founder & CEO" }, "R04"],
    ["date before", { region: "EMEA", signed_up: "2025-12-31", title: "Founder" }, "R06"],
    ["date as Date", { region: "EMEA", signed_up: new Date(Date.UTC(2026, 5, 1)), title: "founder" }, "R04"],
  ];
  for (const [mode, compiled] of bothModes(leadTable)) {
    it.each(cases)(`${mode}: %s`, (_name, facts, rule) => {
      expect(evaluate(compiled, facts).ruleIds).toEqual([rule]);
      expect(evaluateTraced(compiled, facts).ruleIds).toEqual([rule]);
    });
  }
});

describe("evaluateTraced", () => {
  for (const [mode, compiled] of bothModes(leadTable)) {
    it(`${mode}: explains every rule with the value each failing cell saw`, () => {
      const facts = { region: "EMEA", employees: "abc", existing: false, products: ["crm"], signed_up: "2026-02-01", title: "VP Sales", extra: "ignored" };
      const t = evaluateTraced(compiled, facts);
      expect(t.ruleIds).toEqual(["R06"]);
      expect(t.outputs).toEqual({ route: "nurture" });
      expect(t.facts).toEqual({ region: "EMEA", employees: null, existing: false, products: ["crm"], signed_up: "2026-02-01", title: "VP Sales" });
      expect(t.invalidFacts).toEqual([{ field: "employees", type: "number", raw: "abc" }]);
      expect(t.rules).toEqual([
        { ruleId: "R01", matched: false, failed: { column: 0, field: "region", cell: "null", value: "EMEA" } },
        { ruleId: "R02", matched: false, failed: { column: 0, field: "region", cell: "'NA'", value: "EMEA" } },
        { ruleId: "R03", matched: false, failed: { column: 2, field: "existing", cell: "true", value: false } },
        { ruleId: "R04", matched: false, failed: { column: 5, field: "title", cell: "contains('founder')", value: "VP Sales" } },
        { ruleId: "R05", matched: false, failed: { column: 1, field: "employees", cell: "not(null)", value: null } },
        { ruleId: "R06", matched: true },
      ]);
      expect(t.rules.map((r) => describeRuleTrace(compiled, r))).toEqual([
        "R01 did not match: Region was 'EMEA', needed null",
        "R02 did not match: Region was 'EMEA', needed 'NA'",
        "R03 did not match: existing was false, needed true",
        "R04 did not match: title was 'VP Sales', needed contains('founder')",
        "R05 did not match: employees was missing, needed not(null)",
        "R06 matched",
      ]);
      expect(t.error).toBeUndefined();
    });

    it(`${mode}: shows dates as YYYY-MM-DD and evaluates rules after the first match`, () => {
      const t = evaluateTraced(compiled, { region: "EMEA", signed_up: "2025-06-30", title: "founder", products: "web" });
      expect(t.rules[3]).toEqual({ ruleId: "R04", matched: false, failed: { column: 4, field: "signed_up", cell: '>= date("2026-01-01")', value: "2025-06-30" } });
      expect(describeRuleTrace(compiled, t.rules[3] as never)).toBe('R04 did not match: signed_up was date("2025-06-30"), needed >= date("2026-01-01")');
      expect(t.invalidFacts).toEqual([]);
      const both = evaluateTraced(compiled, { region: "NA", employees: 5000, products: ["crm"] });
      expect(both.ruleIds).toEqual(["R02"]);
      expect(both.rules.filter((r) => r.matched).map((r) => r.ruleId)).toEqual(["R02", "R05", "R06"]);
    });
  }

  it("reproduces the issue's example on the reference table", () => {
    const c = compile(referenceTable());
    const t = evaluateTraced(c, { region: "NA", country: "US", employees: 50, product_interest: "api", is_existing_customer: false, lead_source: "web", intent: "pricing", priority_score: 65 });
    expect(t.ruleIds).toEqual(["R17"]);
    const r03 = t.rules.find((r) => r.ruleId === "R03");
    expect(describeRuleTrace(c, r03 as never)).toBe("R03 did not match: intent was 'pricing', needed 'partnership'");
    expect(t.rules).toHaveLength(26);
  });

  it("lists rules skipped at compile time", () => {
    const broken = table("FIRST", [{ field: "a", type: "string" }], [{ name: "o", type: "string" }], [
      ["R1", { a: "typo" }, { o: "x" }],
      ["R2", { a: "'b'" }, { o: "y" }],
      ["R3", { a: ">= 5" }, { o: "z" }],
      ["R4", {}, { o: "w" }],
      ["R5", { a: "'q" }, { o: "v" }],
    ]);
    for (const mode of ["codegen", "interpreter"] as const) {
      const c = compile(broken, { skipBrokenRules: true, mode });
      expect(c.skippedRuleIds).toEqual(["R1", "R3", "R5"]);
      const t = evaluateTraced(c, { a: "b" });
      expect(t.rules.map((r) => [r.ruleId, r.matched, r.skipped ?? false])).toEqual([
        ["R1", false, true],
        ["R2", true, false],
        ["R3", false, true],
        ["R4", true, false],
        ["R5", false, true],
      ]);
      expect(describeRuleTrace(c, t.rules[0] as never)).toBe("R1 was skipped: it has errors");
      expect(t.ruleIds).toEqual(["R2"]);
      expect(evaluate(c, { a: "c" }).ruleIds).toEqual(["R4"]);
    }
  });

  it("rejects facts that are not an object, in every path", () => {
    for (const [, c] of bothModes(leadTable)) {
      expect(() => evaluate(c, null as never)).toThrow(TypeError);
      expect(() => evaluateTraced(c, "lead" as never)).toThrow(TypeError);
    }
    const collect = compile({ ...leadTable, hitPolicy: "COLLECT" }, { mode: "interpreter" });
    expect(() => evaluate(collect, 5 as never)).toThrow(TypeError);
  });

  it("reads facts once even when a getter re-enters the evaluator", () => {
    for (const [, c] of bothModes(leadTable)) {
      let inner: string[] = [];
      const facts = {
        region: "NA",
        get employees() {
          inner = [...evaluate(c, { region: "EMEA", employees: 1, products: ["crm"] }).ruleIds];
          return 2000;
        },
      };
      expect(evaluate(c, facts).ruleIds).toEqual(["R02"]);
      expect(inner).toEqual(["R05"]);
    }
  });
});
