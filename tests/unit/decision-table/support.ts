import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  compile,
  type CompiledTable,
  type DecisionTable,
  type Facts,
  type InputColumn,
  type OutputColumn,
  parseDecisionTable,
} from "@/lib/decision-table";

export const fixturesDir = fileURLToPath(new URL("../../fixtures/", import.meta.url));

export function readFixture(path: string): string {
  return readFileSync(`${fixturesDir}${path}`, "utf8");
}

export function referenceTable(): DecisionTable {
  return parseDecisionTable(JSON.parse(readFixture("reference/reference-routing-table.json")));
}

export interface ReferenceLead {
  facts: Facts;
  rule: string;
  route: string;
  sla: number;
}

/** The reference leads, each CSV value read by its column's type (numbers, booleans; "" is missing). */
export function referenceLeads(table: DecisionTable): ReferenceLead[] {
  const [header, ...lines] = readFixture("reference/reference-leads-10k.csv").trim().split(/\r?\n/u);
  const names = (header as string).split(",");
  return lines.map((line) => {
    const cells = line.split(",");
    const row = new Map(names.map((n, i) => [n, cells[i] ?? ""]));
    const facts: Facts = {};
    for (const input of table.inputs) {
      const raw = row.get(input.field) ?? "";
      facts[input.field] = raw === "" ? null : input.type === "number" ? Number(raw) : input.type === "boolean" ? raw === "true" : raw;
    }
    return { facts, rule: row.get("expected_rule") ?? "", route: row.get("expected_route") ?? "", sla: Number(row.get("expected_sla_minutes")) };
  });
}

/** A small table builder: rules as [id, when, then]. */
export function table(
  hitPolicy: DecisionTable["hitPolicy"],
  inputs: InputColumn[],
  outputs: OutputColumn[],
  rules: Array<[string, Record<string, string>, Record<string, string | number | boolean | null>]>,
  extra: Partial<DecisionTable> = {},
): DecisionTable {
  return parseDecisionTable({ name: "t", hitPolicy, inputs, outputs, rules: rules.map(([id, when, then]) => ({ id, when, then })), ...extra });
}

/** Both evaluators of a table. */
export function bothModes(t: DecisionTable): Array<[string, CompiledTable]> {
  return [
    ["codegen", compile(t, { mode: "codegen" })],
    ["interpreter", compile(t, { mode: "interpreter" })],
  ];
}
