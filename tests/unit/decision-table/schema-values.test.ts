import { describe, expect, it } from "vitest";
import {
  DecisionTable,
  DecisionTableParseError,
  dayNumberFromIso,
  findOutputByRole,
  formatValue,
  isoFromDayNumber,
  normalizeBoolean,
  normalizeDate,
  normalizeNumber,
  normalizeString,
  normalizeStringSet,
  outputRole,
  parseDecisionTable,
  safeParseDecisionTable,
} from "@/lib/decision-table";
import { readFixture, referenceTable } from "./support";

describe("table model", () => {
  it("accepts the reference table as-is", () => {
    const json = JSON.parse(readFixture("reference/reference-routing-table.json"));
    const t = parseDecisionTable(json);
    expect(t).toEqual(json);
    expect(t.rules).toHaveLength(26);
    expect(t.inputs.map((i) => i.type)).toEqual(["string", "string", "number", "string", "boolean", "string", "string", "number"]);
  });

  it("accepts the optional extras", () => {
    const t = parseDecisionTable({
      name: "extras",
      description: "all the optional parts",
      hitPolicy: "COLLECT",
      aggregation: "SUM",
      inputs: [
        { id: "in-1", field: "region", label: "Region", type: "string", allowedValues: ["NA", "EMEA"] },
        { field: "products", type: "string[]", allowedValues: ["api", "crm"] },
        { field: "since", type: "date", allowedValues: ["2026-01-01"] },
      ],
      outputs: [{ id: "out-1", name: "points", label: "Points", type: "number", allowedValues: [10, 5], default: 0, role: "priorityTier" }],
      rules: [{ id: "R1", when: { region: "'NA'" }, then: { points: 10 }, annotation: "NA bonus", description: "why" }],
    });
    expect(t.inputs[0]?.allowedValues).toEqual(["NA", "EMEA"]);
    expect(t.outputs[0]?.default).toBe(0);
    expect(t.rules[0]?.annotation).toBe("NA bonus");
  });

  it.each([
    ["first", "FIRST"],
    ["Rule Order", "RULE ORDER"],
    ["RULE_ORDER", "RULE ORDER"],
    ["output-order", "OUTPUT ORDER"],
    [" unique ", "UNIQUE"],
  ])("reads hit policy %j as %j", (given, want) => {
    expect(parseDecisionTable({ name: "t", hitPolicy: given, inputs: [], outputs: [{ name: "o", type: "string" }], rules: [] }).hitPolicy).toBe(want);
  });

  it("reports every problem with its path", () => {
    const r = safeParseDecisionTable({
      name: "",
      hitPolicy: "SOMETIMES",
      inputs: [
        { field: "a", type: "text" },
        { field: "b", type: "string" },
        { field: "b", type: "number" },
        { field: "__proto__", type: "string" },
      ],
      outputs: [],
      rules: [{ id: "R1", when: { a: 5 }, then: { o: {} }, anotation: "typo" }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(["name", "hitPolicy", "inputs[0].type", "inputs[3].field", "outputs", "rules[0].when.a", "rules[0].then.o", "rules[0]"]),
    );
    const duplicate = safeParseDecisionTable({ name: "t", hitPolicy: "FIRST", inputs: [{ field: "b", type: "string" }, { field: "b", type: "number" }], outputs: [{ name: "o", type: "string" }, { name: "o", type: "number" }], rules: [] });
    expect(duplicate.ok ? [] : duplicate.issues).toEqual([
      { path: "inputs[1].field", message: "duplicate input field 'b'" },
      { path: "outputs[1].name", message: "duplicate output name 'o'" },
    ]);
  });

  it("throws DecisionTableParseError with a readable message", () => {
    expect(() => parseDecisionTable({ name: "t" })).toThrow(DecisionTableParseError);
    try {
      parseDecisionTable({ name: "t", hitPolicy: "FIRST", inputs: [], outputs: [{ name: "o", type: "date" }], rules: [] });
    } catch (e) {
      expect(e).toBeInstanceOf(DecisionTableParseError);
      expect((e as DecisionTableParseError).message).toMatch(/^Invalid decision table:\n- outputs\[0\]\.type: /u);
      expect((e as DecisionTableParseError).issues).toHaveLength(1);
    }
    expect(() => parseDecisionTable(null)).toThrow(/\(table\)/u);
  });

  it("is a zod schema usable directly", () => {
    expect(DecisionTable.safeParse(referenceTable()).success).toBe(true);
  });

  it("infers output roles from names unless given", () => {
    expect(outputRole({ name: "route" })).toBe("route");
    expect(outputRole({ name: "route_path" })).toBe("route");
    expect(outputRole({ name: "sla_minutes" })).toBe("slaMinutes");
    expect(outputRole({ name: "SLA" })).toBe("slaMinutes");
    expect(outputRole({ name: "priority_tier" })).toBe("priorityTier");
    expect(outputRole({ name: "tier" })).toBe("priorityTier");
    expect(outputRole({ name: "queue" })).toBeUndefined();
    expect(outputRole({ name: "queue", role: "route" })).toBe("route");
    expect(findOutputByRole(referenceTable(), "slaMinutes")?.name).toBe("sla_minutes");
    expect(findOutputByRole(referenceTable(), "priorityTier")).toBeUndefined();
  });
});

describe("reading facts", () => {
  it.each<[unknown, string | null]>([
    ["NA", "NA"],
    ["", null],
    [" ", " "],
    [42, "42"],
    [Number.NaN, null],
    [true, "true"],
    [12n, "12"],
    [null, null],
    [undefined, null],
    [{}, null],
    [["a"], null],
  ])("string column: %s → %s", (raw, want) => expect(normalizeString(raw)).toBe(want));

  it.each<[unknown, number | null]>([
    [5, 5],
    [-0.5, -0.5],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    ["1200", 1200],
    [" 3.5 ", 3.5],
    ["1e3", 1000],
    ["+7", 7],
    [".5", 0.5],
    ["1,200", null],
    ["abc", null],
    ["", null],
    ["1e999", null],
    [true, null],
    [10n, 10],
    [2n ** 64n, null],
    [null, null],
  ])("number column: %s → %s", (raw, want) => expect(normalizeNumber(raw)).toBe(want));

  it.each<[unknown, boolean | null]>([
    [true, true],
    [false, false],
    ["true", true],
    [" FALSE ", false],
    ["yes", null],
    [1, null],
    [null, null],
  ])("boolean column: %j → %j", (raw, want) => expect(normalizeBoolean(raw)).toBe(want));

  it("string-set column", () => {
    const clean = ["a", "b"];
    expect(normalizeStringSet(clean)).toBe(clean);
    expect(normalizeStringSet(["a", "", null, 3, {}])).toEqual(["a", "3"]);
    expect(normalizeStringSet([])).toBeNull();
    expect(normalizeStringSet(["", null])).toBeNull();
    expect(normalizeStringSet("api")).toEqual(["api"]);
    expect(normalizeStringSet("")).toBeNull();
    expect(normalizeStringSet(5)).toBeNull();
  });

  it("date column (day numbers)", () => {
    const day = dayNumberFromIso("2026-01-31") as number;
    expect(isoFromDayNumber(day)).toBe("2026-01-31");
    expect(normalizeDate("2026-01-31")).toBe(day);
    expect(normalizeDate(" 2026-01-31T23:30:00-05:00 ")).toBe(day);
    expect(normalizeDate(new Date(Date.UTC(2026, 0, 31, 23, 59)))).toBe(day);
    expect(normalizeDate(new Date(Number.NaN))).toBeNull();
    expect(normalizeDate("2026-02-30")).toBeNull();
    expect(normalizeDate("2026-13-01")).toBeNull();
    expect(normalizeDate("2026-00-10")).toBeNull();
    expect(normalizeDate("31/01/2026")).toBeNull();
    expect(normalizeDate(1769817600000)).toBeNull();
    expect(dayNumberFromIso("1969-12-31")).toBe(-1);
    expect(dayNumberFromIso("2024-02-29")).not.toBeNull();
    expect(dayNumberFromIso("2023-02-29")).toBeNull();
  });

  it("formats values as cells", () => {
    expect(formatValue("string", "it's")).toBe("'it\\'s'");
    expect(formatValue("number", 5)).toBe("5");
    expect(formatValue("boolean", false)).toBe("false");
    expect(formatValue("date", dayNumberFromIso("2026-01-31"))).toBe('date("2026-01-31")');
    expect(formatValue("string[]", ["a", "b"])).toBe("['a', 'b']");
    expect(formatValue("number", null)).toBe("null");
  });
});
