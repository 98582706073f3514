import { afterEach, describe, expect, it, vi } from "vitest";
import { compile, evaluate, evaluateTraced, parseDecisionTable } from "@/lib/decision-table";
import { bothModes, referenceTable, table } from "./support";

const g = globalThis as { __pwned?: boolean };

describe("generated code is injection-safe", () => {
  const evil = [
    `"]; globalThis.__pwned = true; //`,
    `'); globalThis.__pwned = true; ('`,
    "`${globalThis.__pwned = true}`",
    "a\u2028b\u2029c",
    "back\\slash",
    "</script><script>globalThis.__pwned=true</script>",
    "constructor",
    "toString",
  ];
  afterEach(() => {
    delete g.__pwned;
  });

  it("in field names, rule ids, text literals and outputs", () => {
    const t = parseDecisionTable({
      name: "evil",
      hitPolicy: "FIRST",
      inputs: evil.map((field) => ({ field, type: "string" })),
      outputs: [{ name: `o"); globalThis.__pwned = true; ("`, type: "string" }],
      rules: evil.map((field, i) => ({
        id: `R${i}"); globalThis.__pwned = true; ("`,
        when: { [field]: JSON.stringify(field).replace(/\u2028/gu, "\\u2028").replace(/\u2029/gu, "\\u2029") },
        then: { [`o"); globalThis.__pwned = true; ("`]: `out ${field}` },
      })),
    });
    for (const [mode, c] of bothModes(t)) {
      for (const [i, field] of evil.entries()) {
        const r = evaluate(c, { [field]: field });
        expect(r.ruleIds, `${mode} ${field}`).toEqual([t.rules[i]?.id]);
        expect(evaluateTraced(c, { [field]: field }).ruleIds).toEqual([t.rules[i]?.id]);
      }
      expect(evaluate(c, {}).matched).toBe(false);
      // Inherited properties (constructor, toString) are not facts.
      expect(evaluateTraced(c, {}).facts.constructor).toBeNull();
    }
    expect(g.__pwned).toBeUndefined();
    const source = compile(t).source ?? "";
    expect(source).not.toContain("R0");
    expect(source).not.toContain("out ");
  });

  it("emits every number literal faithfully", () => {
    const t = table("COLLECT", [{ field: "n", type: "number" }], [{ name: "hit", type: "string" }], [
      ["a", { n: "-0" }, { hit: "a" }],
      ["b", { n: "1e21" }, { hit: "b" }],
      ["c", { n: "< 1e-7" }, { hit: "c" }],
      ["d", { n: "[-1.5..-0.5]" }, { hit: "d" }],
      ["e", { n: "!= 123456789.125" }, { hit: "e" }],
    ]);
    for (const [, c] of bothModes(t)) {
      expect(evaluate(c, { n: 0 }).ruleIds).toEqual(["a", "c", "e"]);
      expect(evaluate(c, { n: 1e21 }).ruleIds).toEqual(["b", "e"]);
      expect(evaluate(c, { n: -1 }).ruleIds).toEqual(["c", "d", "e"]);
      expect(evaluate(c, { n: 123456789.125 }).ruleIds).toEqual([]);
    }
  });
});

describe("code generation", () => {
  it("turns long text lists into a set lookup", () => {
    const countries = ["US", "CA", "MX", "GB", "IE", "DE", "FR", "NL", "BE", "LU"];
    const t = table("FIRST", [{ field: "country", type: "string" }], [{ name: "route", type: "string" }], [
      ["R1", { country: countries.map((c) => `'${c}'`).join(", ") }, { route: "covered" }],
      ["R2", {}, { route: "other" }],
    ]);
    expect(compile(t).source).toContain("S[0].has(v0)");
    for (const [, c] of bothModes(t)) {
      for (const country of countries) expect(evaluate(c, { country }).ruleIds).toEqual(["R1"]);
      expect(evaluate(c, { country: "JP" }).ruleIds).toEqual(["R2"]);
      expect(evaluate(c, {}).ruleIds).toEqual(["R2"]);
    }
  });

  it("reads only the columns some rule tests, and lower-cases text once per lead", () => {
    const t = table("FIRST", [{ field: "a", type: "string" }, { field: "unused", type: "number" }, { field: "title", type: "string" }], [{ name: "o", type: "string" }], [
      ["R1", { title: "contains('vp'), starts with('head')" }, { o: "x" }],
      ["R2", { a: "'x'" }, { o: "y" }],
    ]);
    const source = compile(t).source ?? "";
    expect(source).not.toContain('"unused"');
    expect(source.match(/toLowerCase/gu)).toHaveLength(1);
    for (const [, c] of bothModes(t)) {
      expect(evaluate(c, { title: "Head of Ops" }).ruleIds).toEqual(["R1"]);
      expect(evaluateTraced(c, { title: "SVP Sales", a: "x" }).ruleIds).toEqual(["R1"]);
    }
  });

  it("exposes the mode and source, and freezes the compiled table", () => {
    const c = compile(referenceTable());
    expect(c.mode).toBe("codegen");
    expect(c.source).toMatch(/^"use strict";\nreturn function evaluate\(f\) \{/u);
    expect(Object.isFrozen(c)).toBe(true);
    const i = compile(referenceTable(), { mode: "interpreter" });
    expect(i.mode).toBe("interpreter");
    expect(i.source).toBeNull();
  });
});

describe("environments without new Function (strict CSP)", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });
  it("fall back to the interpreter automatically", () => {
    vi.stubGlobal(
      "Function",
      function Blocked() {
        throw new EvalError("Code generation from strings disallowed for this context");
      } as unknown as FunctionConstructor,
    );
    const c = compile(referenceTable());
    expect(c.mode).toBe("interpreter");
    expect(evaluate(c, { intent: "support", is_existing_customer: true }).ruleIds).toEqual(["R01"]);
    expect(evaluateTraced(c, { intent: "partnership" }).ruleIds).toEqual(["R03"]);
    expect(() => compile(referenceTable(), { mode: "codegen" })).toThrow(EvalError);
  });
});
