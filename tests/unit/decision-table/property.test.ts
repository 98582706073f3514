/**
 * Property-based tests (fast-check): on random tables and facts, the generated code and the interpreter agree,
 * traced and untraced evaluation agree, and every claim of the static analysis holds when evaluated.
 */

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AGGREGATIONS,
  cellPredicate,
  check,
  compile,
  type DecisionTable,
  evaluate,
  evaluateTraced,
  type Facts,
  formatUnaryTest,
  HIT_POLICIES,
  type InputType,
  normalizerFor,
  parseDecisionTable,
  parseUnaryTest,
} from "@/lib/decision-table";

const TEXT = ["a", "b", "c", "Ab", "bca"];
const NUMS = [-1, 0, 1, 2.5, 5, 10];
const DATES = ["2026-01-01", "2026-01-15", "2026-02-01"];

const q = (s: string): string => (s.length % 2 === 0 ? `"${s}"` : `'${s}'`);
const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);

function simpleCell(type: InputType, exact: boolean): fc.Arbitrary<string> {
  switch (type) {
    case "boolean":
      return fc.constantFrom("true", "false", "!= true", "= false", "null", "not(null)");
    case "number":
      return fc.oneof(
        pick(NUMS).map(String),
        fc.tuple(pick(["<", "<=", ">", ">=", "!=", "="]), pick(NUMS)).map(([op, n]) => `${op} ${n}`),
        fc.tuple(pick(NUMS), pick(NUMS), pick(["[", "(", "]"]), pick(["]", ")", "["])).map(([a, b, o, c]) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          return lo === hi ? `[${lo}..${hi}]` : `${o}${lo}..${hi}${c}`;
        }),
        fc.constant("null"),
      );
    case "date":
      return fc.oneof(
        pick(DATES).map((d) => `date("${d}")`),
        fc.tuple(pick(["<", "<=", ">", ">="]), pick(DATES)).map(([op, d]) => `${op} date("${d}")`),
        fc.constant(`[date("${DATES[0]}")..date("${DATES[1]}")]`),
        fc.constant("null"),
      );
    case "string":
    case "string[]":
      return exact
        ? fc.oneof(pick(TEXT).map(q), pick(TEXT).map((s) => `!= ${q(s)}`), fc.constant("null"))
        : fc.oneof(
            pick(TEXT).map(q),
            pick(TEXT).map((s) => `!= ${q(s)}`),
            fc.constant("null"),
            fc.tuple(pick(["contains", "starts with", "startsWith", "ends with"]), pick(["a", "b", "C"])).map(([f, s]) => `${f}('${s}')`),
            fc.tuple(pick(["<", ">="]), pick(TEXT)).map(([op, s]) => `${op} ${q(s)}`),
            fc.constant("['a'..'b']"),
          );
  }
}

function cell(type: InputType, exact: boolean): fc.Arbitrary<string> {
  const list = fc.array(simpleCell(type, exact), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(", "));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant("-") },
    { weight: 4, arbitrary: list },
    { weight: 1, arbitrary: list.map((l) => `not(${l})`) },
  );
}

interface Generated {
  table: DecisionTable;
  facts: Facts[];
}

function generated(opts: { exact?: boolean; policies?: readonly DecisionTable["hitPolicy"][] } = {}): fc.Arbitrary<Generated> {
  const exact = opts.exact ?? false;
  return fc
    .record({
      types: fc.array(pick(["string", "number", "boolean", "string[]", "date"] as const), { minLength: 1, maxLength: 4 }),
      policy: pick(opts.policies ?? HIT_POLICIES),
      aggregation: fc.option(pick(AGGREGATIONS), { nil: undefined }),
      ruleCount: fc.integer({ min: 0, max: 8 }),
      domains: fc.boolean(),
    })
    .chain(({ types, policy, aggregation, ruleCount, domains }) => {
      const inputs = types.map((type, i) => ({
        field: `f${i}`,
        type,
        ...(domains && type === "string" ? { allowedValues: TEXT } : {}),
        ...(domains && type === "string[]" ? { allowedValues: TEXT.slice(0, 3) } : {}),
      }));
      const rule = fc.record({
        cells: fc.tuple(...types.map((t) => fc.option(cell(t, exact), { nil: undefined }))),
        n: pick([1, 2, 3, null]),
        s: pick(["x", "y", "z"]),
      });
      const rawValue = (type: InputType): fc.Arbitrary<unknown> => {
        const good: Record<InputType, fc.Arbitrary<unknown>> = {
          string: pick([...TEXT, "zzz"]),
          number: fc.oneof(pick(NUMS), fc.double({ min: -2, max: 12, noNaN: true })),
          boolean: fc.boolean(),
          date: pick([...DATES, "2025-12-31", "2026-01-20"]),
          "string[]": fc.subarray([...TEXT, "zzz"]),
        };
        return fc.oneof({ weight: 6, arbitrary: good[type] }, { weight: 1, arbitrary: pick([undefined, null, "", "junk", Number.NaN]) });
      };
      const fact = fc.tuple(...types.map(rawValue)).map((vs) => {
        const f: Facts = {};
        vs.forEach((v, i) => {
          if (v !== undefined) f[`f${i}`] = v;
        });
        return f;
      });
      // SUM/MIN/MAX need number outputs only.
      const numericOnly = policy === "COLLECT" && aggregation !== undefined && aggregation !== "COUNT";
      return fc.record({ rules: fc.array(rule, { minLength: ruleCount, maxLength: ruleCount }), facts: fc.array(fact, { minLength: 1, maxLength: 25 }) }).map(({ rules, facts }) => ({
        table: parseDecisionTable({
          name: "random",
          hitPolicy: policy,
          ...(policy === "COLLECT" && aggregation !== undefined ? { aggregation } : {}),
          inputs,
          outputs: [{ name: "n", type: "number" }, ...(numericOnly ? [] : [{ name: "s", type: "string", allowedValues: ["x", "y", "z"] }])],
          rules: rules.map((r, k) => ({
            id: `R${k}`,
            when: Object.fromEntries(r.cells.flatMap((c, i) => (c === undefined ? [] : [[`f${i}`, c]]))),
            then: numericOnly ? { n: r.n } : { n: r.n, s: r.s },
          })),
        }),
        facts,
      }));
    });
}

describe("property: the two evaluators agree", () => {
  it("generated code ≡ interpreter, traced ≡ untraced, generated tracer ≡ generic tracer", () => {
    fc.assert(
      fc.property(generated(), ({ table, facts }) => {
        const gen = compile(table, { mode: "codegen" });
        const int = compile(table, { mode: "interpreter" });
        for (const f of facts) {
          const a = evaluate(gen, f);
          expect(evaluate(int, f)).toEqual(a);
          const ta = evaluateTraced(gen, f);
          const tb = evaluateTraced(int, f);
          expect(tb).toEqual(ta);
          expect({ matched: ta.matched, ruleIds: ta.ruleIds, outputs: ta.outputs, error: ta.error }).toEqual({ matched: a.matched, ruleIds: a.ruleIds, outputs: a.outputs, error: a.error });
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe("property: static analysis claims hold when evaluated", () => {
  it("shadowed rules never match first; gap examples match nothing; overlap examples match both rules", () => {
    fc.assert(
      fc.property(generated(), ({ table, facts }) => {
        const diagnostics = check(table);
        const c = compile(table, { skipBrokenRules: true });
        const index = new Map(table.rules.map((r, i) => [r.id, i]));
        for (const d of diagnostics) {
          if (d.code === "RULE_SHADOWED" && d.ruleId !== undefined) {
            const k = index.get(d.ruleId) as number;
            for (const f of facts) {
              const t = evaluateTraced(c, f);
              if (t.rules[k]?.matched) expect(t.rules.slice(0, k).some((r) => r.matched && (d.relatedRuleIds ?? []).includes(r.ruleId))).toBe(true);
            }
          }
          if ((d.code === "TABLE_GAP" || d.code === "TABLE_GAP_MISSING_FACT") && d.example !== undefined) {
            expect(evaluateTraced(c, d.example).rules.some((r) => r.matched)).toBe(false);
          }
          if (d.code === "RULE_OVERLAP" && d.example !== undefined) {
            const matched = new Set(evaluateTraced(c, d.example).rules.filter((r) => r.matched).map((r) => r.ruleId));
            expect(matched.has(d.ruleId as string) && matched.has(d.relatedRuleIds?.[0] as string)).toBe(true);
          }
          if (d.code === "RULE_UNSATISFIABLE" && d.ruleId !== undefined) {
            const k = index.get(d.ruleId) as number;
            for (const f of facts) expect(evaluateTraced(c, f).rules[k]?.matched).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("with exact columns, no reported gap means every lead matches some rule", () => {
    fc.assert(
      fc.property(generated({ exact: true, policies: ["FIRST", "RULE ORDER"] }), ({ table, facts }) => {
        const diagnostics = check(table);
        if (diagnostics.some((d) => d.severity === "error" || d.code.startsWith("TABLE_GAP") || d.code === "ANALYSIS_LIMIT" || d.code === "NO_RULES")) return;
        const c = compile(table);
        for (const f of facts) {
          // Facts outside a declared text domain are outside the analysis' universe.
          const inDomain = table.inputs.every((i) => {
            const v = f[i.field];
            if (i.allowedValues === undefined || v === undefined || v === null || v === "") return true;
            return Array.isArray(v) ? v.every((x) => i.allowedValues?.includes(x)) : i.allowedValues.includes(v as string);
          });
          if (inDomain) expect(evaluateTraced(c, f).rules.some((r) => r.matched), JSON.stringify(f)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("with exact columns under FIRST, a rule that can still match first is never reported as shadowed", () => {
    fc.assert(
      fc.property(generated({ exact: true, policies: ["FIRST"] }), ({ table, facts }) => {
        const shadowed = new Set(check(table).filter((d) => d.code === "RULE_SHADOWED").map((d) => d.ruleId));
        const c = compile(table, { skipBrokenRules: true });
        for (const f of facts) {
          const winner = evaluate(c, f).ruleIds[0];
          if (winner !== undefined) expect(shadowed.has(winner)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("property: canonical cell text means the same as the original", () => {
  it("formatUnaryTest(parse(cell)) parses to a test with the same verdicts", () => {
    const typed = pick(["string", "number", "boolean", "string[]", "date"] as const).chain((type) => cell(type, false).map((c) => [type, c] as const));
    const samples: Record<InputType, unknown[]> = {
      string: [...TEXT, "zzz", null],
      number: [...NUMS, 3, 7.5, null],
      boolean: [true, false, null],
      date: [...DATES, "2025-12-31", null],
      "string[]": [["a"], ["b", "Ab"], ["zzz"], null],
    };
    fc.assert(
      fc.property(typed, ([type, text]) => {
        const a = parseUnaryTest(text, type);
        expect(a.ok).toBe(true);
        if (!a.ok) return;
        for (const options of [{}, { quote: '"', functions: "feel" }] as const) {
          const b = parseUnaryTest(formatUnaryTest(a.test, options), type);
          expect(b.ok).toBe(true);
          if (!b.ok) return;
          const pa = cellPredicate(a.test, type);
          const pb = cellPredicate(b.test, type);
          const read = normalizerFor(type);
          for (const v of samples[type]) expect(pb(read(v))).toBe(pa(read(v)));
        }
      }),
      { numRuns: 500 },
    );
  });
});
