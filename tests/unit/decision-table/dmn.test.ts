import { describe, expect, it } from "vitest";
import {
  check,
  compile,
  type DecisionTable,
  DmnImportError,
  evaluate,
  exportDmn,
  type Facts,
  formatUnaryTest,
  importDmn,
  parseDecisionTable,
  parseUnaryTest,
} from "@/lib/decision-table";
import { readFixture, referenceTable } from "./support";

/** Every combination of the given values per field (undefined = fact absent). */
function combos(values: Record<string, unknown[]>): Facts[] {
  let out: Facts[] = [{}];
  for (const [field, vs] of Object.entries(values)) {
    out = out.flatMap((f) => vs.map((v) => (v === undefined ? f : { ...f, [field]: v })));
  }
  return out;
}

function sameResults(imported: DecisionTable, native: DecisionTable, facts: Facts[]): void {
  const a = compile(imported);
  const b = compile(native);
  for (const f of facts) expect(evaluate(a, f), JSON.stringify(f)).toEqual(evaluate(b, f));
}

const features: DecisionTable = parseDecisionTable({
  name: "Every feature",
  description: "A table using every part of the model",
  hitPolicy: "COLLECT",
  aggregation: "SUM",
  inputs: [
    { id: "in_region", field: "region", label: "Region", type: "string", allowedValues: ["NA", "EMEA", "it's \"quoted\""] },
    { field: "employees", type: "number", allowedValues: [1, 10.5, -3] },
    { field: "existing", type: "boolean", allowedValues: [true, false] },
    { field: "products", type: "string[]", allowedValues: ["api", "crm"] },
    { field: "since", type: "date", label: "Signed up", allowedValues: ["2026-01-31"] },
    { field: "title", type: "string" },
  ],
  outputs: [
    { id: "out_points", name: "points", label: "Points", type: "number", role: "priorityTier", allowedValues: [10, 5, 0.5, 0], default: 0 },
    { name: "bonus", type: "number", default: null },
  ],
  rules: [
    { id: "R1", when: { region: "'NA', \"EMEA\"", employees: "[1..10.5)", existing: "true" }, then: { points: 10, bonus: 1 }, annotation: "two\nlines & <xml>", description: "first rule" },
    { id: "R2", when: { products: "not('api')", since: '>= date("2026-01-31")', title: "contains('vp'), startsWith(\"Head\")" }, then: { points: 5 } },
    { id: "R3", when: { region: "  'it\\'s \"quoted\"'  ", title: "-" }, then: { points: 0.5, bonus: null } },
    { id: "R4", when: {}, then: {} },
  ],
});

describe("DMN export → import round trip", () => {
  it("gives back the reference table exactly", () => {
    const t = referenceTable();
    expect(importDmn(exportDmn(t))).toEqual(t);
  });

  it("gives back a table using every feature exactly", () => {
    const xml = exportDmn(features);
    expect(xml).toContain('xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"');
    expect(xml).toContain('<itemDefinition name="StringSet" isCollection="true">');
    expect(xml).toContain("<text>&gt;= date(\"2026-01-31\")</text>");
    expect(xml).toContain('sy:role="priorityTier"');
    const back = importDmn(xml);
    expect(back).toEqual(features);
    expect(JSON.stringify(back)).toBe(JSON.stringify(features));
  });

  it("in FEEL-standard form, gives an equivalent table (cells canonicalised)", () => {
    const xml = exportDmn(features, { feel: "standard" });
    expect(xml).not.toMatch(/<text>[^<]*'NA'/u);
    expect(xml).toContain("<text>contains(?, &quot;vp&quot;), starts with(?, &quot;Head&quot;)</text>".replace(/&quot;/gu, '"'));
    const back = importDmn(xml);
    const canonical = (t: DecisionTable): DecisionTable => ({
      ...t,
      rules: t.rules.map((r) => ({
        ...r,
        when: Object.fromEntries(
          t.inputs.map((i) => {
            const p = parseUnaryTest(r.when[i.field] ?? "-", i.type);
            return [i.field, p.ok ? formatUnaryTest(p.test) : (r.when[i.field] ?? "-")];
          }),
        ),
      })),
    });
    expect(canonical(back)).toEqual(canonical(features));
    const facts = combos({ region: ["NA", "EMEA", `it's "quoted"`, undefined], employees: [1, 10.5, 5], existing: [true, false], products: [["crm"], ["api"], undefined], since: ["2026-02-01", "2025-01-01"], title: ["VP Sales", "head of ops", "CEO"] });
    sameResults(back, features, facts);
  });

  it("exports numbers FEEL can read, and keeps cell text verbatim by default", () => {
    const t = parseDecisionTable({
      name: "1 weird/name!",
      hitPolicy: "FIRST",
      inputs: [{ field: "n", type: "number" }],
      outputs: [{ name: "big", type: "number" }, { name: "small", type: "number" }],
      rules: [{ id: "R1", when: { n: ">= 1e3" }, then: { big: 1e21, small: 1e-7 } }],
    });
    const xml = exportDmn(t);
    expect(xml).toContain("<text>1000000000000000000000</text>");
    expect(xml).toContain("<text>0.0000001</text>");
    expect(xml).toContain("<text>&gt;= 1e3</text>");
    expect(xml).toContain('<decision id="decision__weird_name_" name="1 weird/name!">');
    expect(importDmn(xml)).toEqual(t);
    expect(exportDmn(t, { feel: "standard" })).toContain("<text>&gt;= 1000</text>");
  });
});

describe("hand-written DMN files (one per hit policy) evaluate like the native tables", () => {
  it("UNIQUE (DMN 1.3, default namespace, DMNDI and vendor extensions ignored)", () => {
    const t = importDmn(readFixture("dmn/unique-account-tier.dmn"));
    expect(t.name).toBe("Account tier");
    expect(t.description).toBe("One tier per lead: size bands must not overlap.");
    expect(t.inputs).toEqual([
      { id: "in_employees", label: "Employees", field: "employees", type: "number" },
      { id: "in_customer", label: "Existing customer", field: "is_existing_customer", type: "boolean" },
    ]);
    expect(t.rules[0]).toMatchObject({ id: "T1", annotation: "expansion focus", description: "Large customers are strategic" });
    expect(t.rules[2]?.when).toEqual({ employees: "[200..1000)" });
    const native = parseDecisionTable({
      name: "native",
      hitPolicy: "UNIQUE",
      inputs: [{ field: "employees", type: "number" }, { field: "is_existing_customer", type: "boolean" }],
      outputs: [{ name: "tier", type: "string", allowedValues: ["strategic", "enterprise", "mid-market", "smb"] }],
      rules: [
        { id: "T1", when: { employees: ">= 1000", is_existing_customer: "true" }, then: { tier: "strategic" } },
        { id: "T2", when: { employees: ">= 1000", is_existing_customer: "false" }, then: { tier: "enterprise" } },
        { id: "T3", when: { employees: "[200..1000)", is_existing_customer: "-" }, then: { tier: "mid-market" } },
        { id: "T4", when: { employees: "< 200" }, then: { tier: "smb" } },
      ],
    });
    sameResults(t, native, combos({ employees: [5, 199, 200, 999, 999.5, 1000, 50000, undefined], is_existing_customer: [true, false, undefined] }));
    const c = compile(t);
    expect(evaluate(c, { employees: 1000 }).matched).toBe(false);
    expect(evaluate(c, { employees: 5000, is_existing_customer: false }).outputs).toEqual({ tier: "enterprise" });
    expect(check(t).filter((d) => d.code === "RULE_OVERLAP")).toEqual([]);
  });

  it("ANY (DMN 1.4, dmn: prefix)", () => {
    const t = importDmn(readFixture("dmn/any-region-queue.dmn"));
    expect(t.inputs[0]?.allowedValues).toEqual(["NA", "EMEA", "APAC", "LATAM"]);
    const native = parseDecisionTable({
      name: "native",
      hitPolicy: "ANY",
      inputs: [{ field: "region", type: "string" }, { field: "country", type: "string" }],
      outputs: [{ name: "queue", type: "string" }],
      rules: [
        { id: "Q1", when: { region: "'NA'" }, then: { queue: "americas" } },
        { id: "Q2", when: { country: "'US', 'CA', 'BR', 'MX'" }, then: { queue: "americas" } },
        { id: "Q3", when: { region: "'EMEA'", country: "not('US', 'CA', 'BR', 'MX')" }, then: { queue: "emea" } },
        { id: "Q4", when: { region: "'LATAM'" }, then: { queue: "americas" } },
        { id: "Q5", when: { region: "'APAC'" }, then: { queue: "apac" } },
        { id: "Q6", when: { region: "'EMEA'", country: "'GB', 'IE'" }, then: { queue: "uki" } },
      ],
    });
    sameResults(t, native, combos({ region: ["NA", "EMEA", "APAC", "LATAM", "MARS", undefined], country: ["US", "BR", "GB", "DE", undefined] }));
    const c = compile(t);
    expect(evaluate(c, { region: "NA", country: "US" })).toEqual({ matched: true, ruleIds: ["Q1", "Q2"], outputs: { queue: "americas" } });
    expect(evaluate(c, { region: "EMEA", country: "GB" }).error?.code).toBe("ANY_CONFLICT");
  });

  it("FIRST (DMN 1.5, semantic: prefix, typeRef feel:string, defaults)", () => {
    const t = importDmn(readFixture("dmn/first-lead-routing.dmn"));
    expect(t.outputs).toEqual([
      { id: "o_route", name: "route", type: "string", default: "nurture" },
      { id: "o_sla", name: "sla_minutes", type: "number", default: 4320 },
    ]);
    const ref = referenceTable();
    const keep = new Set(["R01", "R02", "R07", "R11", "R15", "R25"]);
    const fields = ["region", "employees", "is_existing_customer", "intent", "priority_score"];
    const native = parseDecisionTable({
      ...ref,
      inputs: ref.inputs.filter((i) => fields.includes(i.field)),
      outputs: [
        { name: "route", type: "string", default: "nurture" },
        { name: "sla_minutes", type: "number", default: 4320 },
      ],
      rules: ref.rules.filter((r) => keep.has(r.id)).map((r) => ({ ...r, when: Object.fromEntries(Object.entries(r.when).filter(([k]) => fields.includes(k))) })),
    });
    const facts = combos({ region: ["NA", "EMEA"], employees: [5, 500, 1500, undefined], is_existing_customer: [true, false], intent: ["support", "pricing", "other"], priority_score: [10, 75, 90, undefined] });
    sameResults(t, native, facts);
    expect(evaluate(compile(t), { region: "EMEA", employees: 50, intent: "other", priority_score: 10 })).toEqual({ matched: false, ruleIds: [], outputs: { route: "nurture", sla_minutes: 4320 } });
  });

  it("PRIORITY (outputValues rank the matches; text tests in FEEL form)", () => {
    const t = importDmn(readFixture("dmn/priority-escalation.dmn"));
    const native = parseDecisionTable({
      name: "native",
      hitPolicy: "PRIORITY",
      inputs: [{ field: "intent", type: "string" }, { field: "priority_score", type: "number" }, { field: "message", type: "string" }],
      outputs: [{ name: "priority", type: "string", allowedValues: ["P1", "P2", "P3"] }, { name: "reason", type: "string" }],
      rules: [
        { id: "E1", when: {}, then: { priority: "P3", reason: "default" } },
        { id: "E2", when: { intent: "'demo_request', 'pricing'" }, then: { priority: "P2", reason: "buying intent" } },
        { id: "E3", when: { intent: "not('spam')", priority_score: ">= 90" }, then: { priority: "P1", reason: "hot score" } },
        { id: "E4", when: { message: "contains('urgent'), startsWith('asap')" }, then: { priority: "P1", reason: "urgent wording" } },
      ],
    });
    sameResults(t, native, combos({ intent: ["pricing", "spam", "other", undefined], priority_score: [95, 50, undefined], message: ["URGENT please", "asap!", "hello", undefined] }));
    const c = compile(t);
    expect(evaluate(c, { intent: "pricing", priority_score: 95, message: "hi" }).ruleIds).toEqual(["E3"]);
    expect(evaluate(c, { intent: "pricing", message: "Urgent" }).ruleIds).toEqual(["E4"]);
    expect(evaluate(c, { intent: "pricing" }).ruleIds).toEqual(["E2"]);
    expect(evaluate(c, {}).ruleIds).toEqual(["E1"]);
  });

  it("COLLECT (string-set input via a collection itemDefinition)", () => {
    const t = importDmn(readFixture("dmn/collect-tags.dmn"));
    expect(t.inputs[0]).toEqual({ id: "i_products", label: "Products", field: "products", type: "string[]" });
    const native = parseDecisionTable({
      name: "native",
      hitPolicy: "COLLECT",
      inputs: [{ field: "products", type: "string[]" }, { field: "lead_source", type: "string" }],
      outputs: [{ name: "tag", type: "string" }],
      rules: [
        { id: "G1", when: { products: "'api', 'sdk'" }, then: { tag: "developer" } },
        { id: "G2", when: { products: "'payments'" }, then: { tag: "fintech" } },
        { id: "G3", when: { products: "null" }, then: { tag: "unknown-product" } },
        { id: "G4", when: { lead_source: "'event', 'partner'" }, then: { tag: "field" } },
      ],
    });
    sameResults(t, native, combos({ products: [["api"], ["payments", "sdk"], ["crm"], [], undefined], lead_source: ["event", "web", undefined] }));
    expect(evaluate(compile(t), { products: ["sdk", "payments"], lead_source: "partner" }).outputs).toEqual([{ tag: "developer" }, { tag: "fintech" }, { tag: "field" }]);
  });

  it("COLLECT with SUM, MIN, MAX and COUNT (one decision each, chosen by name or id)", () => {
    const xml = readFixture("dmn/collect-aggregations.dmn");
    const want: Record<string, unknown> = { SUM: 50.5, MIN: 10, MAX: 25.5, COUNT: 3 };
    for (const aggregation of ["SUM", "MIN", "MAX", "COUNT"] as const) {
      const t = importDmn(xml, { decision: `points ${aggregation.toLowerCase()}` });
      expect(t.aggregation).toBe(aggregation);
      expect(importDmn(xml, { decision: `points_${aggregation.toLowerCase()}` })).toEqual(t);
      const native = parseDecisionTable({
        name: "native",
        hitPolicy: "COLLECT",
        aggregation,
        inputs: [{ field: "region", type: "string" }, { field: "employees", type: "number" }],
        outputs: [{ name: "points", type: "number" }],
        rules: [
          { id: "P1", when: { region: "'NA'" }, then: { points: 10 } },
          { id: "P2", when: { employees: ">= 200" }, then: { points: 15 } },
          { id: "P3", when: { employees: ">= 1000" }, then: { points: 25.5 } },
          { id: "P4", when: { region: "'APAC'", employees: "< 10" }, then: { points: -5 } },
        ],
      });
      sameResults(t, native, combos({ region: ["NA", "APAC", undefined], employees: [5, 500, 5000, undefined] }));
      expect(evaluate(compile(t), { region: "NA", employees: 5000 }).outputs).toEqual({ points: want[aggregation] });
    }
  });

  it("RULE ORDER (date literals)", () => {
    const t = importDmn(readFixture("dmn/rule-order-notifications.dmn"));
    const native = parseDecisionTable({
      name: "native",
      hitPolicy: "RULE ORDER",
      inputs: [{ field: "received_on", type: "date" }, { field: "route", type: "string" }],
      outputs: [{ name: "channel", type: "string" }, { name: "delay_minutes", type: "number" }],
      rules: [
        { id: "N1", when: { route: "starts with('ae-')" }, then: { channel: "slack", delay_minutes: 0 } },
        { id: "N2", when: { received_on: "[date(\"2026-12-24\")..date(\"2026-12-31\")]" }, then: { channel: "email", delay_minutes: 60 } },
        { id: "N3", when: { received_on: '>= date("2026-01-01")', route: "not(null)" }, then: { channel: "crm-task", delay_minutes: 5 } },
        { id: "N4", when: { received_on: "null" }, then: { channel: "review", delay_minutes: null } },
      ],
    });
    sameResults(t, native, combos({ received_on: ["2026-12-25", "2025-06-01", "2026-03-01T09:00:00Z", undefined], route: ["AE-NA-Enterprise", "sdr", undefined] }));
    expect(evaluate(compile(t), { received_on: "2026-12-25", route: "AE-EMEA" }).ruleIds).toEqual(["N1", "N2", "N3"]);
  });

  it("OUTPUT ORDER", () => {
    const t = importDmn(readFixture("dmn/output-order-offers.dmn"));
    const native = parseDecisionTable({
      name: "native",
      hitPolicy: "OUTPUT ORDER",
      inputs: [{ field: "priority_score", type: "number" }, { field: "is_existing_customer", type: "boolean" }],
      outputs: [{ name: "offer", type: "string", allowedValues: ["demo", "trial", "webinar", "ebook"] }],
      rules: [
        { id: "O1", when: {}, then: { offer: "ebook" } },
        { id: "O2", when: { priority_score: ">= 40", is_existing_customer: "false" }, then: { offer: "webinar" } },
        { id: "O3", when: { priority_score: ">= 60" }, then: { offer: "trial" } },
        { id: "O4", when: { priority_score: ">= 80" }, then: { offer: "demo" } },
        { id: "O5", when: { is_existing_customer: "true" }, then: { offer: "webinar" } },
      ],
    });
    sameResults(t, native, combos({ priority_score: [10, 50, 70, 90, undefined], is_existing_customer: [true, false, undefined] }));
    expect(evaluate(compile(t), { priority_score: 90, is_existing_customer: false }).ruleIds).toEqual(["O4", "O3", "O2", "O1"]);
  });
});

describe("DMN import errors name the element and the text", () => {
  const wrap = (table: string, ns = "https://www.omg.org/spec/DMN/20191111/MODEL/"): string =>
    `<?xml version="1.0"?><definitions xmlns="${ns}" id="d" name="d" namespace="x"><decision id="dec" name="Dec">${table}</decision></definitions>`;
  const input = (field: string, typeRef = "string"): string => `<input><inputExpression typeRef="${typeRef}"><text>${field}</text></inputExpression></input>`;
  const output = (name = "o", typeRef = "string"): string => `<output name="${name}" typeRef="${typeRef}"/>`;
  const rule = (id: string, inputs: string[], outputs: string[]): string =>
    `<rule id="${id}">${inputs.map((t) => `<inputEntry><text>${t}</text></inputEntry>`).join("")}${outputs.map((t) => `<outputEntry><text>${t}</text></outputEntry>`).join("")}</rule>`;

  function problems(xml: string, options?: { decision?: string }): Array<{ element: string; text?: string; message: string }> {
    try {
      importDmn(xml, options);
    } catch (e) {
      expect(e).toBeInstanceOf(DmnImportError);
      return [...(e as DmnImportError).problems];
    }
    throw new Error("expected DmnImportError");
  }

  it("unsupported FEEL in cells: function calls, arithmetic, non-literal outputs", () => {
    const xml = wrap(
      `<decisionTable>${input("employees", "number")}${input("name")}${output("score", "number")}` +
        rule("R1", ["&gt; 5 * 2", "upper case(?)"], ["1"]) +
        rule("R2", ["abs(-5)", "-"], ["employees + 1"]) +
        rule("R3", ["-", "'a'"], ["substring(\"abc\", 1)"]) +
        `</decisionTable>`,
    );
    expect(problems(xml)).toEqual([
      { element: "rule R1 (rule 1) › inputEntry 1 (employees)", text: "> 5 * 2", message: "unsupported FEEL: arithmetic ('*') is not supported in cells: write the literal value (at 4)" },
      { element: "rule R1 (rule 1) › inputEntry 2 (name)", text: "upper case(?)", message: "cannot parse: unquoted text 'upper case': put text values in quotes, e.g. 'upper case' (at 0)" },
      { element: "rule R2 (rule 2) › inputEntry 1 (employees)", text: "abs(-5)", message: expect.stringContaining("unsupported FEEL: unsupported function 'abs(…)'") },
      { element: "rule R2 (rule 2) › outputEntry 1 (score)", text: "employees + 1", message: expect.stringContaining("unsupported output entry") },
      { element: "rule R3 (rule 3) › outputEntry 1 (score)", text: 'substring("abc", 1)', message: expect.stringContaining("unsupported function 'substring(…)'") },
    ]);
    expect(() => importDmn(xml)).toThrow(/^Cannot import DMN:\n- rule R1 \(rule 1\) › inputEntry 1 \(employees\): unsupported FEEL/u);
  });

  it("types, names, languages and shapes", () => {
    const xml = wrap(
      `<decisionTable hitPolicy="FIRST">` +
        `<input label="A"><inputExpression><text>a</text></inputExpression></input>` +
        input("b", "dateTime") +
        input("c + 1") +
        input("d", "tList") +
        `<input><inputExpression typeRef="string" expressionLanguage="juel"><text>e</text></inputExpression><inputValues><text>["a".."z"]</text></inputValues></input>` +
        `<output name="o" typeRef="date"><outputValues><text>"x" + "y"</text></outputValues><defaultOutputEntry><text>now()</text></defaultOutputEntry></output>` +
        `<output name="p" typeRef="string" xmlns:sy="https://switchyard.dev/schema/dmn/1.0" sy:role="boss"/>` +
        rule("R1", ["-", "-", "-", "-"], ["1", "2", "3"]) +
        `</decisionTable>`,
    ).replace("<definitions", '<definitions xmlns:x="y"');
    const withItem = xml.replace('<decision id="dec"', '<itemDefinition name="tList" isCollection="true"><typeRef>number</typeRef></itemDefinition><decision id="dec"');
    const ps = problems(withItem);
    const summary = ps.map((p) => `${p.element} | ${p.message}`);
    expect(summary).toEqual([
      "input 1 (A) › inputExpression | missing typeRef: set it to one of string, number, boolean, date, string[]",
      "input 2 › inputExpression | type 'dateTime' is not supported here; use one of string, number, boolean, date, string[]",
      "input 3 › inputExpression | only plain names (optionally dotted) are supported as input expressions",
      "input 4 › inputExpression | collection type 'tList' is not supported here (only collections of string on inputs)",
      "input 5 › inputExpression | expression language 'juel' is not supported; only FEEL unary tests are",
      "input 5 › inputValues | only a list of literal values is supported here (e.g. \"a\",\"b\")",
      "output 1 (o) | type 'date' is not supported here; use one of string, number, boolean",
      "output 1 (o) › outputValues | arithmetic ('+') is not supported in cells: write the literal value",
      "output 1 (o) › defaultOutputEntry | unsupported function 'now(…)': supported in cells: not(…), contains(…), starts with(…), startsWith(…), ends with(…), endsWith(…), date(…)",
      "output 2 (p) | unknown role (route, priorityTier or slaMinutes)",
      "rule R1 (rule 1) | has 4 input entries for 5 inputs",
      "rule R1 (rule 1) | has 3 output entries for 2 outputs",
    ]);
  });

  it("documents that are not DMN decision tables", () => {
    expect(problems("<definitions><decision")[0]?.element).toMatch(/^XML line 1, column/u);
    expect(problems('<definitions xmlns="http://example.com/not-dmn"/>')[0]?.message).toContain("not a DMN 1.3–1.5 document");
    expect(problems('<?xml version="1.0"?>')[0]?.message).toBe("Start tag expected.");
    expect(problems(`<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"><decision id="d"><literalExpression/></decision></definitions>`)[0]?.message).toBe(
      "the document has no decision with a decision table",
    );
    const two = readFixture("dmn/collect-aggregations.dmn");
    expect(problems(two)[0]?.message).toBe("the document has 4 decision tables (points sum, points min, points max, points count); choose one with { decision }");
    expect(problems(two, { decision: "nope" })[0]?.message).toBe("no decision with a decision table has id or name 'nope'");
  });

  it("schema problems after mapping", () => {
    const xml = wrap(`<decisionTable hitPolicy="SOMETIMES">${input("a")}${output()}${rule("R1", ["-"], ['"x"'])}</decisionTable>`);
    expect(problems(xml)[0]?.element).toBe("hitPolicy");
  });

  it("accepts DMN 1.1/1.2 namespaces, FEEL language URIs, missing ids and unnamed single outputs", () => {
    const xml = wrap(
      `<decisionTable expressionLanguage="http://www.omg.org/spec/FEEL/20140401">${input("a")}<output typeRef="string"/>` +
        `<rule><inputEntry><text>"x"</text></inputEntry><outputEntry><text>"hit"</text></outputEntry></rule>` +
        `<rule><inputEntry expressionLanguage="feel"><text></text></inputEntry><outputEntry><text></text></outputEntry></rule></decisionTable>`,
      "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
    );
    const t = importDmn(xml);
    expect(t.hitPolicy).toBe("UNIQUE");
    expect(t.outputs).toEqual([{ name: "Dec", type: "string" }]);
    expect(t.rules).toEqual([
      { id: "R01", when: { a: '"x"' }, then: { Dec: "hit" } },
      { id: "R02", when: {}, then: {} },
    ]);
    const v12 = wrap(`<decisionTable>${input("a")}${output()}</decisionTable>`, "http://www.omg.org/spec/DMN/20180521/MODEL/");
    expect(importDmn(v12).rules).toEqual([]);
  });

  it("keeps type mismatches for check() rather than failing the import", () => {
    const xml = wrap(`<decisionTable>${input("n", "number")}${output()}${rule("R1", ['"x"'], ['"y"'])}</decisionTable>`);
    const t = importDmn(xml);
    expect(check(t).map((d) => d.code)).toContain("CELL_TYPE");
  });
});
