import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ScoringConfigInput,
  ScoreResult,
  ScoringConfig,
  compileScoring,
  isMissingFact,
  score,
} from "@/lib/scoring";

const config = (input: Partial<ScoringConfigInput> & Pick<ScoringConfigInput, "rules">): ScoringConfig =>
  ScoringConfig.parse({ tiers: [{ tier: "A", min: 10 }, { tier: "B", min: 0 }], ...input });

const one = (test: unknown, extra: Record<string, unknown> = {}): ScoringConfig =>
  config({ rules: [{ id: "r", label: "Rule", field: "x", test, points: 10, ...extra }] as ScoringConfigInput["rules"] });

const fires = (cfg: ScoringConfig, x: unknown): boolean => score(cfg, { x }).contributions.some((c) => c.ruleId === "r");

describe("ScoringConfig schema", () => {
  it.each([
    [{ rules: [], tiers: [] }, "Too small"],
    [{ rules: [{ id: "a", label: "a", field: "x", test: { op: "range" }, points: 1 }], tiers: [{ tier: "P1", min: 0 }] }, "range needs"],
    [{ rules: [{ id: "a", label: "a", field: "x", test: { op: "range", min: 5, max: 1 }, points: 1 }], tiers: [{ tier: "P1", min: 0 }] }, "min is above"],
    [{ rules: [{ id: "a", label: "a", field: "x", test: { op: "present" }, not: true, points: 1 }], tiers: [{ tier: "P1", min: 0 }] }, "cannot negate"],
    [{ rules: [{ id: "a", label: "a", field: "x", test: { op: "present" }, points: 1 }, { id: "a", label: "b", field: "y", test: { op: "present" }, points: 1 }], tiers: [{ tier: "P1", min: 0 }] }, "Duplicate rule"],
    [{ rules: [{ id: "a", label: "a", field: "x", test: { op: "present" }, points: 1, group: "g" }], tiers: [{ tier: "P1", min: 0 }] }, "unknown group"],
    [{ rules: [], groups: [{ id: "g", label: "G" }, { id: "g", label: "G2" }], tiers: [{ tier: "P1", min: 0 }] }, "Duplicate group"],
    [{ rules: [], groups: [{ id: "g", label: "G", min: 5, max: 1 }], tiers: [{ tier: "P1", min: 0 }] }, "min above max"],
    [{ rules: [], tiers: [{ tier: "P1", min: 0 }, { tier: "P1", min: 5 }] }, "Duplicate tier"],
    [{ rules: [], bounds: { min: 10, max: 0 }, tiers: [{ tier: "P1", min: 0 }] }, "bounds.min"],
    [{ rules: [{ id: "a", label: "a", field: "x", test: { op: "matches" }, points: 1 }], tiers: [{ tier: "P1", min: 0 }] }, ""],
    [{ rules: [{ id: "a", label: "a", field: "x", test: { op: "in", values: [] }, points: 1 }], tiers: [{ tier: "P1", min: 0 }] }, ""],
    [{ rules: [{ id: "a", label: "a", field: "x", test: { op: "equals", value: 1 }, points: Number.POSITIVE_INFINITY }], tiers: [{ tier: "P1", min: 0 }] }, ""],
  ])("rejects %j (%s)", (input, message) => {
    const result = ScoringConfig.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join(" ")).toContain(message);
  });
});

describe("tests", () => {
  it.each([
    [{ op: "equals", value: "VP" }, "vp", true],
    [{ op: "equals", value: "VP" }, " Vp ", true],
    [{ op: "equals", value: "VP", caseSensitive: true }, "vp", false],
    [{ op: "equals", value: 5 }, 5, true],
    [{ op: "equals", value: 5 }, "5", true],
    [{ op: "equals", value: 5 }, "five", false],
    [{ op: "equals", value: true }, true, true],
    [{ op: "equals", value: true }, "TRUE", true],
    [{ op: "equals", value: true }, false, false],
    [{ op: "equals", value: false }, "false", true],
    [{ op: "equals", value: true }, 1, false],
    [{ op: "in", values: ["NA", "EMEA"] }, "emea", true],
    [{ op: "in", values: ["NA", "EMEA"] }, "APAC", false],
    [{ op: "in", values: [1, 2, "x", false] }, "2", true],
    [{ op: "in", values: [1, 2, "x", false] }, false, true],
    [{ op: "in", values: [1, 2] }, { a: 1 }, false],
    [{ op: "range", min: 10, max: 20 }, 10, true],
    [{ op: "range", min: 10, max: 20 }, 20, true],
    [{ op: "range", min: 10, max: 20, minExclusive: true }, 10, false],
    [{ op: "range", min: 10, max: 20, maxExclusive: true }, 20, false],
    [{ op: "range", min: 10 }, 1e9, true],
    [{ op: "range", max: 0 }, -3, true],
    [{ op: "range", min: 10 }, "250", true],
    [{ op: "range", min: 10 }, "1e3", true],
    [{ op: "range", min: 10 }, "lots", false],
    [{ op: "range", min: 10 }, true, false],
    [{ op: "present" }, "x", true],
    [{ op: "present" }, 0, true],
    [{ op: "present" }, false, true],
    [{ op: "contains", value: "chief" }, "Chief Revenue Officer", true],
    [{ op: "contains", value: ["ceo", "founder"] }, "Co-Founder", true],
    [{ op: "contains", value: "Chief", caseSensitive: true }, "chief", false],
    [{ op: "contains", value: "x" }, 5, false],
  ])("%j on %j → %s", (test, value, expected) => {
    expect(fires(one(test), value)).toBe(expected);
  });

  it("negates with not, but never for a missing fact", () => {
    const cfg = one({ op: "in", values: ["support"] }, { not: true });
    expect(fires(cfg, "sales")).toBe(true);
    expect(fires(cfg, "support")).toBe(false);
    expect(fires(cfg, undefined)).toBe(false);
    expect(score(cfg, {}).missing).toEqual([{ ruleId: "r", field: "x" }]);
  });

  it("matches an array fact when any element matches", () => {
    const cfg = one({ op: "in", values: ["api"] });
    expect(fires(cfg, ["Platform", "API"])).toBe(true);
    expect(fires(cfg, ["Platform"])).toBe(false);
    expect(fires(cfg, [null, "api"])).toBe(true);
    expect(fires(one({ op: "contains", value: "plat" }), ["Data Platform"])).toBe(true);
  });

  it("reads dotted paths", () => {
    const cfg = config({ rules: [{ id: "r", label: "Big", field: "company.size.employees", test: { op: "range", min: 100 }, points: 10 }] });
    expect(score(cfg, { company: { size: { employees: 500 } } }).points).toBe(10);
    expect(score(cfg, { company: null }).missing).toHaveLength(1);
    expect(score(cfg, { company: "Acme" }).missing).toHaveLength(1);
  });
});

describe("missing facts", () => {
  it.each([undefined, null, "", "   ", Number.NaN, [], [null, ""]])("%j is missing", (value) => {
    expect(isMissingFact(value)).toBe(true);
    const result = score(one({ op: "present" }), { x: value });
    expect(result.points).toBe(0);
    expect(result.contributions).toEqual([]);
    expect(result.missing).toEqual([{ ruleId: "r", field: "x" }]);
    expect(result.missingFields).toEqual(["x"]);
  });

  it.each([0, false, "0", [0], {}])("%j is present", (value) => {
    expect(isMissingFact(value)).toBe(false);
  });

  it("treats non-object facts as having no facts", () => {
    for (const facts of [null, undefined, 42, "x", true]) {
      const result = score(one({ op: "present" }), facts);
      expect(result.points).toBe(0);
      expect(result.missing).toHaveLength(1);
    }
  });

  it("lists each missing field once in missingFields", () => {
    const cfg = config({
      rules: [
        { id: "a", label: "a", field: "x", test: { op: "equals", value: 1 }, points: 1 },
        { id: "b", label: "b", field: "x", test: { op: "equals", value: 2 }, points: 1 },
        { id: "c", label: "c", field: "y", test: { op: "present" }, points: 1 },
      ],
    });
    expect(score(cfg, {}).missingFields).toEqual(["x", "y"]);
  });
});

describe("caps, bounds and tiers", () => {
  const capped = config({
    groups: [
      { id: "fit", label: "Fit", max: 15 },
      { id: "pen", label: "Penalties", min: -20 },
    ],
    bounds: { min: 0, max: 100 },
    tiers: [{ tier: "P3", min: 0 }, { tier: "P1", min: 20 }, { tier: "P2", min: 10 }],
    rules: [
      { id: "a", label: "A", field: "a", test: { op: "present" }, points: 10, group: "fit" },
      { id: "b", label: "B", field: "b", test: { op: "present" }, points: 10, group: "fit" },
      { id: "c", label: "C", field: "c", test: { op: "present" }, points: 7 },
      { id: "p", label: "P", field: "p", test: { op: "present" }, points: -15, group: "pen" },
      { id: "q", label: "Q", field: "q", test: { op: "present" }, points: -15, group: "pen" },
    ],
  });

  it("caps a group and explains the cap as a contribution", () => {
    const result = score(capped, { a: 1, b: 1, c: 1 });
    expect(result.points).toBe(22);
    expect(result.tier).toBe("P1");
    expect(result.contributions.map((c) => [c.ruleId, c.points, c.kind])).toEqual([
      ["a", 10, "rule"],
      ["b", 10, "rule"],
      ["c", 7, "rule"],
      ["cap:fit", -5, "cap"],
    ]);
    expect(result.contributions.at(-1)).toMatchObject({ label: "Fit capped at 15", field: "fit", value: 20, group: "fit" });
  });

  it("floors a group and the total", () => {
    const result = score(capped, { a: 1, p: 1, q: 1 });
    expect(result.contributions.map((c) => [c.ruleId, c.points])).toEqual([
      ["a", 10],
      ["p", -15],
      ["q", -15],
      ["cap:pen", 10],
      ["cap:total", 10],
    ]);
    expect(result.points).toBe(0);
    expect(result.tier).toBe("P3");
  });

  it("caps the total", () => {
    const cfg = config({ bounds: { max: 5 }, rules: [{ id: "a", label: "A", field: "a", test: { op: "present" }, points: 9 }] });
    const result = score(cfg, { a: 1 });
    expect(result.points).toBe(5);
    expect(result.contributions.at(-1)).toMatchObject({ ruleId: "cap:total", points: -4, label: "Total capped at 5" });
  });

  it("puts points below every tier minimum into the lowest tier", () => {
    const cfg = config({
      tiers: [{ tier: "hot", min: 50 }, { tier: "warm", min: 10 }],
      rules: [{ id: "neg", label: "N", field: "n", test: { op: "present" }, points: -5 }],
    });
    expect(score(cfg, { n: 1 }).tier).toBe("warm");
    expect(score(cfg, {}).tier).toBe("warm");
  });
});

describe("compile once, score many", () => {
  it("gives the same result compiled or not, and caches by config identity", () => {
    const cfg = one({ op: "range", min: 1 });
    const compiled = compileScoring(cfg);
    expect(compiled.config).toBe(cfg);
    expect(score(compiled, { x: 3 })).toEqual(score(cfg, { x: 3 }));
    expect(score(cfg, { x: 0 }).points).toBe(0);
    expect(score(cfg, { x: 2 }).points).toBe(10);
  });
});

describe("properties", () => {
  const ruleArb = fc.record({
    id: fc.uuid(),
    label: fc.string({ minLength: 1 }),
    field: fc.constantFrom("a", "b", "c", "d.e"),
    test: fc.oneof(
      fc.record({ op: fc.constant("equals" as const), value: fc.oneof(fc.string(), fc.integer(), fc.boolean()) }),
      fc.record({ op: fc.constant("in" as const), values: fc.array(fc.oneof(fc.string(), fc.integer()), { minLength: 1 }) }),
      fc.record({ op: fc.constant("range" as const), min: fc.integer({ min: -100, max: 0 }), max: fc.integer({ min: 0, max: 100 }) }),
      fc.record({ op: fc.constant("present" as const) }),
      fc.record({ op: fc.constant("contains" as const), value: fc.string({ minLength: 1 }) }),
    ),
    points: fc.integer({ min: -50, max: 50 }),
    group: fc.constantFrom(undefined, "g1", "g2"),
  });
  const configArb = fc
    .record({
      rules: fc.array(ruleArb, { maxLength: 12 }),
      groups: fc.constant([
        { id: "g1", label: "G1", max: 30 },
        { id: "g2", label: "G2", min: -20, max: 40 },
      ]),
      bounds: fc.constantFrom(undefined, { min: 0, max: 100 }, { max: 50 }),
      tiers: fc.constant([{ tier: "P1", min: 60 }, { tier: "P2", min: 30 }, { tier: "P3", min: 0 }]),
    })
    .map((c) => ScoringConfig.parse(c));
  const factsArb = fc.oneof(fc.anything(), fc.record({ a: fc.anything(), b: fc.anything(), c: fc.anything(), d: fc.record({ e: fc.anything() }) }));

  it("points are exactly the sum of the contributions, within bounds, and the result is well-formed", () => {
    fc.assert(
      fc.property(configArb, factsArb, (cfg, facts) => {
        const result = score(cfg, facts);
        ScoreResult.parse(result);
        expect(result.points).toBe(result.contributions.reduce((sum, c) => sum + c.points, 0));
        if (cfg.bounds?.max !== undefined) expect(result.points).toBeLessThanOrEqual(cfg.bounds.max);
        if (cfg.bounds?.min !== undefined) expect(result.points).toBeGreaterThanOrEqual(cfg.bounds.min);
        const ruleIds = new Set(cfg.rules.map((r) => r.id));
        for (const c of result.contributions) if (c.kind === "rule") expect(ruleIds.has(c.ruleId)).toBe(true);
        const evaluated = result.contributions.filter((c) => c.kind === "rule").length + result.missing.length;
        expect(evaluated).toBeLessThanOrEqual(cfg.rules.length);
      }),
    );
  });

  it("is deterministic and does not mutate the facts", () => {
    fc.assert(
      fc.property(configArb, fc.record({ a: fc.integer(), b: fc.string(), c: fc.boolean() }), (cfg, facts) => {
        const copy = structuredClone(facts);
        expect(score(cfg, facts)).toEqual(score(cfg, facts));
        expect(facts).toEqual(copy);
      }),
    );
  });
});
