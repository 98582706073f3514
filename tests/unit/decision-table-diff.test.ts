/**
 * Cell-level diff between two table versions (lib/decision-table/diff.ts): settings, columns, and rules matched by
 * id — added, removed, changed cell by cell (`-` and empty are "no test"), moved by relative order.
 */
import { describe, expect, it } from "vitest";
import { diffTables, parseDecisionTable, sameTable, type DecisionTable } from "@/lib/decision-table";
import { DEMO_TABLE } from "@/db/seed/workspace-config";

type Json = Record<string, unknown>;

const BASE: Json = {
  name: "Routing",
  hitPolicy: "FIRST",
  inputs: [
    { field: "category", type: "string" },
    { field: "employees", type: "number", label: "Employees" },
  ],
  outputs: [{ name: "route", type: "string" }],
  rules: [
    { id: "A", when: { category: "'spam'", employees: "-" }, then: { route: "junk" } },
    { id: "B", when: { category: "'sales'", employees: ">= 1000" }, then: { route: "ae" }, annotation: "Enterprise" },
    { id: "C", when: { category: "'sales'" }, then: { route: "sdr" } },
    { id: "D", when: {}, then: { route: "nurture" } },
  ],
};

const table = (over: Json = {}): DecisionTable => parseDecisionTable({ ...BASE, ...over });
const rules = () => structuredClone(BASE.rules) as Array<{ id: string; when: Record<string, string>; then: Record<string, unknown>; annotation?: string }>;
const byId = (list: ReturnType<typeof rules>, order: string[]) => order.map((id) => list.find((r) => r.id === id)!);

describe("diffTables", () => {
  it("finds nothing between two copies of the same table", () => {
    const d = diffTables(table(), table());
    expect(d).toEqual({ settings: [], columns: [], rules: [], changedCells: 0, unchanged: true });
    const demo = diffTables(parseDecisionTable(DEMO_TABLE), parseDecisionTable(structuredClone(DEMO_TABLE)));
    expect(demo.unchanged).toBe(true);
  });

  it("treats `-`, empty, whitespace and a missing cell as the same (no test), and trims cells", () => {
    const r = rules();
    r[0]!.when.employees = "";
    r[2]!.when = { category: "  'sales'  ", employees: "  - " };
    r[3]!.when = { category: "-", employees: "   " };
    const d = diffTables(table(), table({ rules: r }));
    expect(d.unchanged).toBe(true);
    expect(d.changedCells).toBe(0);
  });

  it("reports settings changes with null for absent values", () => {
    const d = diffTables(table(), table({ name: "Routing v2", description: "Now with more rules", hitPolicy: "collect", aggregation: "COUNT" }));
    expect(d.settings).toEqual([
      { field: "name", before: "Routing", after: "Routing v2" },
      { field: "description", before: null, after: "Now with more rules" },
      { field: "hitPolicy", before: "FIRST", after: "COLLECT" },
      { field: "aggregation", before: null, after: "COUNT" },
    ]);
    expect(d.unchanged).toBe(false);
    expect(d.rules).toEqual([]);
    expect(d.changedCells).toBe(0);
    // The other way round, the description is removed.
    expect(diffTables(table({ description: "x" }), table()).settings).toEqual([{ field: "description", before: "x", after: null }]);
  });

  it("reports columns removed, changed (with what changed) and added, inputs before outputs", () => {
    const after = table({
      inputs: [
        { field: "category", type: "string", allowedValues: ["sales", "spam"] },
        { field: "region", type: "string" },
      ],
      outputs: [
        { name: "route", type: "string", label: "Route path" },
        { name: "tier", type: "string" },
      ],
      rules: rules().map((r) => ({ ...r, when: { category: r.when.category ?? "-" } })),
    });
    const before = table({ outputs: [{ name: "route", type: "string" }, { name: "score", type: "number" }] });
    const d = diffTables(before, after);
    expect(d.columns).toEqual([
      { side: "input", column: "category", kind: "changed", detail: 'allowedValues: — → ["sales","spam"]' },
      { side: "input", column: "employees", kind: "removed", detail: "number" },
      { side: "input", column: "region", kind: "added", detail: "string" },
      { side: "output", column: "route", kind: "changed", detail: "label: — → Route path" },
      { side: "output", column: "score", kind: "removed", detail: "number" },
      { side: "output", column: "tier", kind: "added", detail: "string" },
    ]);
    // B's employees test disappears with the column: one changed cell.
    expect(d.rules).toEqual([{ ruleId: "B", kind: "changed", fromIndex: 2, toIndex: 2, cells: [{ side: "input", column: "employees", before: ">= 1000", after: null }] }]);
    expect(d.changedCells).toBe(1);
  });

  it("describes several column properties changing at once", () => {
    const d = diffTables(table(), table({ inputs: [{ field: "category", type: "string" }, { field: "employees", type: "string", label: "Headcount" }], rules: rules().map((r) => ({ ...r, when: { category: r.when.category ?? "-" } })) }));
    expect(d.columns).toEqual([{ side: "input", column: "employees", kind: "changed", detail: "label: Employees → Headcount; type: number → string" }]);
  });

  it("reports changed cells per rule: input, output and annotation", () => {
    const r = rules();
    r[1]!.when.employees = ">= 500";
    r[1]!.then.route = "sdr";
    r[1]!.annotation = "Enterprise (500+)";
    r[2]!.annotation = "Smaller";
    r[3]!.when.category = "not('spam')";
    const d = diffTables(table(), table({ rules: r }));
    expect(d.rules).toEqual([
      {
        ruleId: "B", kind: "changed", fromIndex: 2, toIndex: 2,
        cells: [
          { side: "input", column: "employees", before: ">= 1000", after: ">= 500" },
          { side: "output", column: "route", before: "ae", after: "sdr" },
          { side: "annotation", column: "annotation", before: "Enterprise", after: "Enterprise (500+)" },
        ],
      },
      { ruleId: "C", kind: "changed", fromIndex: 3, toIndex: 3, cells: [{ side: "annotation", column: "annotation", before: null, after: "Smaller" }] },
      { ruleId: "D", kind: "changed", fromIndex: 4, toIndex: 4, cells: [{ side: "input", column: "category", before: null, after: "not('spam')" }] },
    ]);
    expect(d.changedCells).toBe(5);
    expect(d.unchanged).toBe(false);
  });

  it("compares non-text outputs as JSON, and a missing output as null", () => {
    const withScore = (values: unknown[]) =>
      table({
        outputs: [{ name: "route", type: "string" }, { name: "score", type: "number" }],
        rules: rules().map((r, i) => (values[i] === undefined ? r : { ...r, then: { ...r.then, score: values[i] } })),
      });
    const d = diffTables(withScore([1, 2, null, undefined]), withScore([1, 3, undefined, 4]));
    expect(d.rules).toEqual([
      { ruleId: "B", kind: "changed", fromIndex: 2, toIndex: 2, cells: [{ side: "output", column: "score", before: "2", after: "3" }] },
      { ruleId: "D", kind: "changed", fromIndex: 4, toIndex: 4, cells: [{ side: "output", column: "score", before: null, after: "4" }] },
    ]);
  });

  it("reports added and removed rules with every non-empty cell, after-order first then removed rules", () => {
    const r = rules().filter((x) => x.id !== "A");
    r.splice(1, 0, { id: "N", when: { category: "'partner'", employees: "-" }, then: { route: "partner" }, annotation: "Partners" });
    const d = diffTables(table(), table({ rules: r }));
    expect(d.rules).toEqual([
      {
        ruleId: "N", kind: "added", fromIndex: null, toIndex: 2,
        cells: [
          { side: "input", column: "category", before: null, after: "'partner'" },
          { side: "output", column: "route", before: null, after: "partner" },
          { side: "annotation", column: "annotation", before: null, after: "Partners" },
        ],
      },
      {
        ruleId: "A", kind: "removed", fromIndex: 1, toIndex: null,
        cells: [
          { side: "input", column: "category", before: "'spam'", after: null },
          { side: "output", column: "route", before: "junk", after: null },
        ],
      },
    ]);
    // B, C and D shifted position but kept their order relative to each other: not "moved".
    expect(d.changedCells).toBe(5);
  });

  it("reports moves by relative order among the rules both versions share", () => {
    // Swap B and C.
    const swapped = diffTables(table(), table({ rules: byId(rules(), ["A", "C", "B", "D"]) }));
    expect(swapped.rules).toEqual([
      { ruleId: "C", kind: "moved", fromIndex: 3, toIndex: 2, cells: [] },
      { ruleId: "B", kind: "moved", fromIndex: 2, toIndex: 3, cells: [] },
    ]);
    expect(swapped.changedCells).toBe(0);
    expect(swapped.unchanged).toBe(false);
    // Move A to the end: every rule's rank among the shared ones changes.
    const rotated = diffTables(table(), table({ rules: byId(rules(), ["B", "C", "D", "A"]) }));
    expect(rotated.rules.map((x) => [x.ruleId, x.kind, x.fromIndex, x.toIndex])).toEqual([
      ["B", "moved", 2, 1], ["C", "moved", 3, 2], ["D", "moved", 4, 3], ["A", "moved", 1, 4],
    ]);
  });

  it("a removal or insertion alone moves nothing; a moved and edited rule is `changed`", () => {
    const removed = diffTables(table(), table({ rules: byId(rules(), ["A", "C", "D"]) }));
    expect(removed.rules.map((x) => [x.ruleId, x.kind])).toEqual([["B", "removed"]]);
    const r = byId(rules(), ["D", "A", "B", "C"]);
    r[0]!.then.route = "review";
    const edited = diffTables(table(), table({ rules: r }));
    expect(edited.rules).toEqual([
      { ruleId: "D", kind: "changed", fromIndex: 4, toIndex: 1, cells: [{ side: "output", column: "route", before: "nurture", after: "review" }] },
      { ruleId: "A", kind: "moved", fromIndex: 1, toIndex: 2, cells: [] },
      { ruleId: "B", kind: "moved", fromIndex: 2, toIndex: 3, cells: [] },
      { ruleId: "C", kind: "moved", fromIndex: 3, toIndex: 4, cells: [] },
    ]);
    expect(edited.changedCells).toBe(1);
  });

  it("is symmetric in what it counts", () => {
    const r = byId(rules(), ["B", "A", "D"]);
    r[0]!.when.employees = "> 5000";
    r.push({ id: "E", when: { category: "'vendor'" }, then: { route: "nurture" } });
    const a = table();
    const b = table({ name: "Other", rules: r });
    const ab = diffTables(a, b);
    const ba = diffTables(b, a);
    expect(ab.changedCells).toBe(ba.changedCells);
    expect(ab.changedCells).toBe(1 + 2 + 2); // B's employees; E's category + route; C's category + route
    expect(ab.rules.map((x) => x.kind).sort()).toEqual(["added", "changed", "moved", "removed"]);
    expect(ba.rules.map((x) => x.kind).sort()).toEqual(["added", "changed", "moved", "removed"]);
    expect(ab.settings).toEqual([{ field: "name", before: "Routing", after: "Other" }]);
    expect(ba.settings).toEqual([{ field: "name", before: "Other", after: "Routing" }]);
  });

  it("reports a rule description change next to the annotation", () => {
    const r = rules();
    (r[2] as Record<string, unknown>).description = "Smaller companies";
    const d = diffTables(table(), table({ rules: r }));
    expect(d.rules).toEqual([{ ruleId: "C", kind: "changed", fromIndex: 3, toIndex: 3, cells: [{ side: "annotation", column: "description", before: null, after: "Smaller companies" }] }]);
    expect(d.changedCells).toBe(1);
  });
});

describe("sameTable", () => {
  it("is true for copies, whatever the order of object keys (as jsonb returns them)", () => {
    const t = table();
    expect(sameTable(t, table())).toBe(true);
    const reordered = {
      rules: t.rules.map((r) => ({ then: r.then, ...(r.annotation ? { annotation: r.annotation } : {}), when: Object.fromEntries(Object.entries(r.when).reverse()), id: r.id })),
      outputs: t.outputs.map((o) => ({ type: o.type, name: o.name })),
      inputs: t.inputs.map((i) => Object.fromEntries(Object.entries(i).reverse())),
      hitPolicy: t.hitPolicy,
      name: t.name,
    } as unknown as DecisionTable;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(t));
    expect(sameTable(t, reordered)).toBe(true);
    // Parsing puts column keys back in schema order, so the diff of the parsed copy is empty too.
    expect(diffTables(t, parseDecisionTable(reordered)).unchanged).toBe(true);
  });

  it("is false for any difference, including ones the diff treats as no change", () => {
    const r = rules();
    r[3]!.when.category = "-"; // `-` vs a missing cell: the same test, but not the same table
    expect(diffTables(table(), table({ rules: r })).unchanged).toBe(true);
    expect(sameTable(table(), table({ rules: r }))).toBe(false);
    expect(sameTable(table(), table({ rules: byId(rules(), ["A", "C", "B", "D"]) }))).toBe(false);
    expect(sameTable(table(), table({ description: "x" }))).toBe(false);
    const a = rules();
    a[0]!.annotation = "Spam";
    expect(sameTable(table(), table({ rules: a }))).toBe(false);
    expect(sameTable(table({ inputs: [{ field: "category", type: "string", allowedValues: ["a", "b"] }, { field: "employees", type: "number" }] }), table({ inputs: [{ field: "category", type: "string", allowedValues: ["b", "a"] }, { field: "employees", type: "number" }] }))).toBe(false);
  });
});
