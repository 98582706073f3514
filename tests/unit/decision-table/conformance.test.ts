import { describe, expect, it } from "vitest";
import { compile, evaluate, evaluateTraced, exportDmn, importDmn } from "@/lib/decision-table";
import { referenceLeads, referenceTable } from "./support";

describe("conformance: the reference routing table on the 10,000 reference leads", () => {
  const table = referenceTable();
  const leads = referenceLeads(table);

  it("has 10,000 leads covering all 26 rules", () => {
    expect(leads).toHaveLength(10_000);
    expect(new Set(leads.map((l) => l.rule)).size).toBe(26);
  });

  const engines = [
    ["generated code", compile(table)],
    ["interpreter", compile(table, { mode: "interpreter" })],
    ["imported from DMN (verbatim)", compile(importDmn(exportDmn(table)))],
    ["imported from DMN (FEEL-standard)", compile(importDmn(exportDmn(table, { feel: "standard" })))],
  ] as const;

  for (const [name, compiled] of engines) {
    it(`${name}: every lead gets its expected rule, route and SLA`, () => {
      const wrong: string[] = [];
      leads.forEach((lead, i) => {
        const r = evaluate(compiled, lead.facts);
        const o = r.outputs as Record<string, unknown>;
        if (r.ruleIds[0] !== lead.rule || o.route !== lead.route || o.sla_minutes !== lead.sla) {
          wrong.push(`lead ${i + 1}: ${r.ruleIds.join(",")} ${String(o.route)} ${String(o.sla_minutes)}`);
        }
      });
      expect(wrong).toEqual([]);
    });
  }

  it("traced evaluation agrees on every lead, and its trace is consistent", () => {
    const c = compile(table);
    const wrong: string[] = [];
    leads.forEach((lead, i) => {
      const t = evaluateTraced(c, lead.facts);
      const o = t.outputs as Record<string, unknown>;
      const firstMatched = t.rules.find((r) => r.matched)?.ruleId;
      if (t.ruleIds[0] !== lead.rule || o.route !== lead.route || o.sla_minutes !== lead.sla || firstMatched !== lead.rule || t.invalidFacts.length > 0) {
        wrong.push(`lead ${i + 1}`);
      }
    });
    expect(wrong).toEqual([]);
  });
});
