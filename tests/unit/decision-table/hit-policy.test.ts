import { describe, expect, it } from "vitest";
import {
  type DecisionTable,
  type EvalResult,
  evaluate,
  evaluateTraced,
  type Facts,
  firstOutputs,
  outputsList,
} from "@/lib/decision-table";
import { bothModes, table } from "./support";

const region = { field: "region", type: "string" as const };
const score = { field: "score", type: "number" as const };

interface Case {
  facts: Facts;
  want: Partial<EvalResult> & { errorCode?: string };
}

function run(name: string, t: DecisionTable, cases: Case[]): void {
  describe(name, () => {
    for (const [mode, compiled] of bothModes(t)) {
      it.each(cases.map((c) => [JSON.stringify(c.facts), c] as const))(`${mode}: %s`, (_label, { facts, want }) => {
        const got = evaluate(compiled, facts);
        const { errorCode, ...rest } = want;
        expect(got).toMatchObject(rest);
        if (errorCode === undefined) expect(got.error).toBeUndefined();
        else expect(got.error?.code).toBe(errorCode);
        // The traced evaluation gives the same result.
        const traced = evaluateTraced(compiled, facts);
        expect({ matched: traced.matched, ruleIds: traced.ruleIds, outputs: traced.outputs, error: traced.error }).toEqual({
          matched: got.matched,
          ruleIds: got.ruleIds,
          outputs: got.outputs,
          error: got.error,
        });
      });
    }
  });
}

run(
  "UNIQUE",
  table("UNIQUE", [region, score], [{ name: "queue", type: "string" }], [
    ["R1", { region: "'NA'" }, { queue: "na" }],
    ["R2", { region: "'EMEA'" }, { queue: "emea" }],
    ["R3", { score: ">= 90" }, { queue: "vip" }],
    ["R4", { region: "'NA'", score: "> 95" }, { queue: "na-vip" }],
  ]),
  [
    { facts: { region: "NA", score: 50 }, want: { matched: true, ruleIds: ["R1"], outputs: { queue: "na" } } },
    { facts: { region: "EMEA", score: 10 }, want: { matched: true, ruleIds: ["R2"], outputs: { queue: "emea" } } },
    { facts: { region: "APAC", score: 10 }, want: { matched: false, ruleIds: [], outputs: {} } },
    { facts: { region: "NA", score: 92 }, want: { matched: false, ruleIds: ["R1", "R3"], outputs: {}, errorCode: "UNIQUE_VIOLATION" } },
    { facts: { region: "NA", score: 99 }, want: { matched: false, ruleIds: ["R1", "R3", "R4"], outputs: {}, errorCode: "UNIQUE_VIOLATION" } },
  ],
);

run(
  "ANY",
  table("ANY", [region, score], [{ name: "queue", type: "string" }, { name: "sla", type: "number" }], [
    ["R1", { region: "'NA'" }, { queue: "sales", sla: 60 }],
    ["R2", { score: ">= 90" }, { queue: "sales", sla: 60 }],
    ["R3", { region: "'EMEA'" }, { queue: "emea", sla: 60 }],
    ["R4", { score: "[80..90)" }, { queue: "sales", sla: 30 }],
  ]),
  [
    { facts: { region: "NA", score: 95 }, want: { matched: true, ruleIds: ["R1", "R2"], outputs: { queue: "sales", sla: 60 } } },
    { facts: { region: "APAC", score: 95 }, want: { matched: true, ruleIds: ["R2"], outputs: { queue: "sales", sla: 60 } } },
    { facts: { region: "EMEA", score: 95 }, want: { matched: false, ruleIds: ["R2", "R3"], errorCode: "ANY_CONFLICT" } },
    { facts: { region: "NA", score: 85 }, want: { matched: false, ruleIds: ["R1", "R4"], errorCode: "ANY_CONFLICT" } },
    { facts: { region: "APAC", score: 10 }, want: { matched: false, ruleIds: [], outputs: {} } },
  ],
);

run(
  "FIRST",
  table("FIRST", [region, score], [{ name: "queue", type: "string" }], [
    ["R1", { region: "'NA'", score: ">= 90" }, { queue: "na-vip" }],
    ["R2", { region: "'NA'" }, { queue: "na" }],
    ["R3", {}, { queue: "rest" }],
  ]),
  [
    { facts: { region: "NA", score: 95 }, want: { matched: true, ruleIds: ["R1"], outputs: { queue: "na-vip" } } },
    { facts: { region: "NA", score: 5 }, want: { matched: true, ruleIds: ["R2"], outputs: { queue: "na" } } },
    { facts: {}, want: { matched: true, ruleIds: ["R3"], outputs: { queue: "rest" } } },
  ],
);

run(
  "PRIORITY (compound outputs rank lexicographically, ties go to the earlier rule)",
  table(
    "PRIORITY",
    [region, score],
    [
      { name: "tier", type: "string", allowedValues: ["P1", "P2", "P3"] },
      { name: "queue", type: "string", allowedValues: ["ae", "sdr"] },
      { name: "note", type: "string" },
    ],
    [
      ["R1", {}, { tier: "P3", queue: "sdr", note: "base" }],
      ["R2", { score: ">= 50" }, { tier: "P2", queue: "sdr", note: "warm" }],
      ["R3", { score: ">= 50", region: "'NA'" }, { tier: "P2", queue: "ae", note: "na warm" }],
      ["R4", { score: ">= 90" }, { tier: "P1", queue: "sdr", note: "hot" }],
      ["R5", { score: ">= 95" }, { tier: "P1", queue: "sdr", note: "hotter" }],
      ["R6", { region: "'X'" }, { tier: null, queue: "ae", note: "unranked" }],
    ],
  ),
  [
    { facts: { score: 10 }, want: { matched: true, ruleIds: ["R1"], outputs: { tier: "P3", queue: "sdr", note: "base" } } },
    { facts: { score: 60, region: "EMEA" }, want: { matched: true, ruleIds: ["R2"] } },
    { facts: { score: 60, region: "NA" }, want: { matched: true, ruleIds: ["R3"] } },
    { facts: { score: 99, region: "NA" }, want: { matched: true, ruleIds: ["R4"], outputs: { tier: "P1", queue: "sdr", note: "hot" } } },
    { facts: { score: 10, region: "X" }, want: { matched: true, ruleIds: ["R1"] } },
  ],
);

const points = table(
  "COLLECT",
  [region, score],
  [{ name: "points", type: "number" }, { name: "reason", type: "string" }],
  [
    ["R1", { region: "'NA'" }, { points: 10, reason: "region" }],
    ["R2", { score: ">= 50" }, { points: 5, reason: "score" }],
    ["R3", { score: ">= 90" }, { points: 20, reason: "hot" }],
    ["R4", { region: "'NA'", score: ">= 90" }, { points: null, reason: "no points" }],
  ],
);

run("COLLECT (list in rule order)", points, [
  {
    facts: { region: "NA", score: 95 },
    want: {
      matched: true,
      ruleIds: ["R1", "R2", "R3", "R4"],
      outputs: [
        { points: 10, reason: "region" },
        { points: 5, reason: "score" },
        { points: 20, reason: "hot" },
        { points: null, reason: "no points" },
      ],
    },
  },
  { facts: { region: "EMEA", score: 60 }, want: { matched: true, ruleIds: ["R2"], outputs: [{ points: 5, reason: "score" }] } },
  { facts: { region: "EMEA", score: 10 }, want: { matched: false, ruleIds: [], outputs: [] } },
]);

const numeric = (aggregation: "SUM" | "MIN" | "MAX" | "COUNT"): DecisionTable =>
  table(
    "COLLECT",
    [region, score],
    [{ name: "points", type: "number" }, { name: "bonus", type: "number" }],
    [
      ["R1", { region: "'NA'" }, { points: 10, bonus: 1 }],
      ["R2", { score: ">= 50" }, { points: 5, bonus: null }],
      ["R3", { score: ">= 90" }, { points: 20, bonus: null }],
      ["R4", { score: ">= 99" }, { points: -3, bonus: null }],
    ],
    { aggregation },
  );

run("COLLECT SUM (nulls ignored; SUM of nothing is null)", numeric("SUM"), [
  { facts: { region: "NA", score: 95 }, want: { matched: true, ruleIds: ["R1", "R2", "R3"], outputs: { points: 35, bonus: 1 } } },
  { facts: { region: "EMEA", score: 99 }, want: { matched: true, ruleIds: ["R2", "R3", "R4"], outputs: { points: 22, bonus: null } } },
  { facts: { region: "EMEA", score: 0 }, want: { matched: false, ruleIds: [], outputs: {} } },
]);
run("COLLECT MIN", numeric("MIN"), [
  { facts: { region: "NA", score: 95 }, want: { matched: true, outputs: { points: 5, bonus: 1 } } },
  { facts: { region: "EMEA", score: 99 }, want: { matched: true, outputs: { points: -3, bonus: null } } },
]);
run("COLLECT MAX", numeric("MAX"), [
  { facts: { region: "NA", score: 95 }, want: { matched: true, outputs: { points: 20, bonus: 1 } } },
  { facts: { region: "NA", score: 0 }, want: { matched: true, ruleIds: ["R1"], outputs: { points: 10, bonus: 1 } } },
]);
run("COLLECT COUNT (counts non-null outputs; 0 on no match)", numeric("COUNT"), [
  { facts: { region: "NA", score: 95 }, want: { matched: true, outputs: { points: 3, bonus: 1 } } },
  { facts: { region: "EMEA", score: 0 }, want: { matched: false, ruleIds: [], outputs: { points: 0, bonus: 0 } } },
]);

run("RULE ORDER", { ...points, hitPolicy: "RULE ORDER" }, [
  { facts: { region: "EMEA", score: 95 }, want: { matched: true, ruleIds: ["R2", "R3"], outputs: [{ points: 5, reason: "score" }, { points: 20, reason: "hot" }] } },
  { facts: {}, want: { matched: false, ruleIds: [], outputs: [] } },
]);

run(
  "OUTPUT ORDER (by output priority, stable)",
  table(
    "OUTPUT ORDER",
    [score],
    [{ name: "offer", type: "string", allowedValues: ["demo", "trial", "ebook"] }],
    [
      ["R1", {}, { offer: "ebook" }],
      ["R2", { score: ">= 50" }, { offer: "trial" }],
      ["R3", { score: ">= 90" }, { offer: "demo" }],
      ["R4", { score: ">= 60" }, { offer: "trial" }],
    ],
  ),
  [
    { facts: { score: 95 }, want: { matched: true, ruleIds: ["R3", "R2", "R4", "R1"], outputs: [{ offer: "demo" }, { offer: "trial" }, { offer: "trial" }, { offer: "ebook" }] } },
    { facts: { score: 10 }, want: { matched: true, ruleIds: ["R1"], outputs: [{ offer: "ebook" }] } },
  ],
);

describe("no match uses the outputs' defaults", () => {
  const rules: Array<[string, Record<string, string>, Record<string, string | number>]> = [["R1", { region: "'NA'" }, { route: "ae", sla_minutes: 30 }]];
  const outputs = [
    { name: "route", type: "string" as const, default: "nurture" },
    { name: "sla_minutes", type: "number" as const },
  ];
  it.each(["UNIQUE", "ANY", "FIRST"] as const)("%s: one object with defaults (null where none)", (policy) => {
    for (const [, c] of bothModes(table(policy, [region], outputs, rules))) {
      const r = evaluate(c, { region: "EMEA" });
      expect(r).toEqual({ matched: false, ruleIds: [], outputs: { route: "nurture", sla_minutes: null } });
      expect(firstOutputs(r)).toEqual({ route: "nurture", sla_minutes: null });
    }
  });
  it.each(["COLLECT", "RULE ORDER"] as const)("%s: a one-element list", (policy) => {
    const c = bothModes(table(policy, [region], outputs, rules))[0]?.[1];
    if (c === undefined) throw new Error("no compiled table");
    expect(evaluate(c, { region: "EMEA" })).toEqual({ matched: false, ruleIds: [], outputs: [{ route: "nurture", sla_minutes: null }] });
    expect(evaluate(c, { region: "NA" }).outputs).toEqual([{ route: "ae", sla_minutes: 30 }]);
  });
  it("COLLECT COUNT: defaults win over zero", () => {
    const t = table("COLLECT", [region], [{ name: "n", type: "number", default: -1 }], [["R1", { region: "'NA'" }, { n: 1 }]], { aggregation: "COUNT" });
    for (const [, c] of bothModes(t)) expect(evaluate(c, {}).outputs).toEqual({ n: -1 });
  });
});

describe("results", () => {
  const t = table("FIRST", [region], [{ name: "queue", type: "string" }], [["R1", { region: "'NA'" }, { queue: "na" }]]);
  it("are frozen and shared for single-hit tables (no allocation per lead)", () => {
    for (const [, c] of bothModes(t)) {
      const a = evaluate(c, { region: "NA" });
      const b = evaluate(c, { region: "NA" });
      expect(a).toBe(b);
      expect(Object.isFrozen(a) && Object.isFrozen(a.outputs) && Object.isFrozen(a.ruleIds)).toBe(true);
      expect(() => {
        (a.outputs as Record<string, unknown>).queue = "hacked";
      }).toThrow(TypeError);
      expect(evaluate(c, {})).toBe(evaluate(c, { region: "EMEA" }));
    }
  });
  it("outputsList / firstOutputs normalise both shapes", () => {
    expect(outputsList({ matched: false, ruleIds: [], outputs: {} })).toEqual([]);
    expect(outputsList({ matched: true, ruleIds: ["a"], outputs: { x: 1 } })).toEqual([{ x: 1 }]);
    expect(outputsList({ matched: true, ruleIds: ["a", "b"], outputs: [{ x: 1 }, { x: 2 }] })).toEqual([{ x: 1 }, { x: 2 }]);
    expect(firstOutputs({ matched: false, ruleIds: [], outputs: [] })).toBeUndefined();
  });
  it("error results explain the conflict", () => {
    const any = table("ANY", [region], [{ name: "q", type: "string" }], [
      ["A", { region: "'NA'" }, { q: "x" }],
      ["B", {}, { q: "y" }],
    ]);
    const r = evaluate(bothModes(any)[0]?.[1] as never, { region: "NA" });
    expect(r.error).toEqual({ code: "ANY_CONFLICT", message: "ANY hit policy violated: matching rules A, B give different outputs (A vs B: q: 'x' vs 'y')", ruleIds: ["A", "B"] });
    const unique = table("UNIQUE", [region], [{ name: "q", type: "string" }], [
      ["A", { region: "'NA'" }, { q: "x" }],
      ["B", {}, { q: "x" }],
    ]);
    expect(evaluate(bothModes(unique)[1]?.[1] as never, { region: "NA" }).error?.message).toBe("UNIQUE hit policy violated: 2 rules match (A, B); exactly one may match");
  });
});
