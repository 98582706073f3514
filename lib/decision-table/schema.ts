/**
 * The decision-table model. The zod schemas are the types (see README.md in this folder for the cell language and
 * the evaluation semantics). The model is plain JSON so a table can be stored, diffed and versioned as-is.
 */

import { z } from "zod";

/** Fact types an input column can bind to. `string[]` is a set of strings (cells test membership). */
export const INPUT_TYPES = ["string", "number", "boolean", "string[]", "date"] as const;
export const InputType = z.enum(INPUT_TYPES);
export type InputType = z.infer<typeof InputType>;

/** Value types an output column can produce. */
export const OUTPUT_TYPES = ["string", "number", "boolean"] as const;
export const OutputType = z.enum(OUTPUT_TYPES);
export type OutputType = z.infer<typeof OutputType>;

/** DMN 1.3 hit policies, spelled as in DMN XML. */
export const HIT_POLICIES = ["UNIQUE", "ANY", "FIRST", "PRIORITY", "COLLECT", "RULE ORDER", "OUTPUT ORDER"] as const;
/** Single-hit policies return one output object; the others return a list (or one aggregated object). */
export const SINGLE_HIT_POLICIES: ReadonlySet<HitPolicy> = new Set(["UNIQUE", "ANY", "FIRST", "PRIORITY"]);

/** Accepts "RULE_ORDER", "rule order", "Rule-Order" … as the DMN spelling. */
function normalizePolicyText(value: unknown): unknown {
  return typeof value === "string" ? value.trim().toUpperCase().replace(/[\s_-]+/gu, " ") : value;
}

export const HitPolicy = z.preprocess(normalizePolicyText, z.enum(HIT_POLICIES));
export type HitPolicy = (typeof HIT_POLICIES)[number];

/** COLLECT aggregations (DMN C+, C<, C>, C#). */
export const AGGREGATIONS = ["SUM", "MIN", "MAX", "COUNT"] as const;
export const Aggregation = z.preprocess(normalizePolicyText, z.enum(AGGREGATIONS));
export type Aggregation = (typeof AGGREGATIONS)[number];

/**
 * What an output means to the routing pipeline. Inferred from the output name when not given
 * (`route`/`route_path` → route, `priority`/`priority_tier`/`tier` → priorityTier, `sla_minutes`/`sla` → slaMinutes).
 */
export const OUTPUT_ROLES = ["route", "priorityTier", "slaMinutes"] as const;
export const OutputRole = z.enum(OUTPUT_ROLES);
export type OutputRole = z.infer<typeof OutputRole>;

/** A JSON literal an output cell (or an output default) can hold. */
export const OutputValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type OutputValue = z.infer<typeof OutputValue>;

/** A domain value of an input column (strings for string, string[] and date columns — dates as YYYY-MM-DD). */
export const DomainValue = z.union([z.string(), z.number(), z.boolean()]);
export type DomainValue = z.infer<typeof DomainValue>;

export const InputColumn = z.strictObject({
  /** Stable identity for editors and DMN; not used for matching. */
  id: z.string().min(1).optional(),
  /** The lead fact this column reads (key in the facts record). Rules address the column by this name. */
  field: z
    .string()
    .min(1, { error: "input field name is empty" })
    .refine((s) => s !== "__proto__", { error: "'__proto__' cannot be a field name" }),
  label: z.string().optional(),
  type: InputType,
  /** The column's domain: used by gap analysis and autocomplete; literals outside it are flagged. */
  allowedValues: z.array(DomainValue).optional(),
});
export type InputColumn = z.infer<typeof InputColumn>;

export const OutputColumn = z.strictObject({
  id: z.string().min(1).optional(),
  name: z
    .string()
    .min(1, { error: "output name is empty" })
    .refine((s) => s !== "__proto__", { error: "'__proto__' cannot be an output name" }),
  label: z.string().optional(),
  type: OutputType,
  role: OutputRole.optional(),
  /** The output's domain, in decreasing priority (PRIORITY and OUTPUT ORDER rank by it). */
  allowedValues: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** Used when no rule matches. */
  default: OutputValue.optional(),
});
export type OutputColumn = z.infer<typeof OutputColumn>;

export const Rule = z.strictObject({
  id: z.string().min(1, { error: "rule id is empty" }),
  /** Input field → unary-test cell. A missing column means "-" (any). */
  when: z.record(z.string(), z.string({ error: "cells are text, e.g. \">= 5\" or \"'NA'\"" })),
  /** Output name → literal. A missing output gives null. */
  then: z.record(z.string(), OutputValue),
  annotation: z.string().optional(),
  description: z.string().optional(),
});
export type Rule = z.infer<typeof Rule>;

export const DecisionTable = z
  .strictObject({
    name: z.string().min(1, { error: "table name is empty" }),
    description: z.string().optional(),
    hitPolicy: HitPolicy,
    aggregation: Aggregation.optional(),
    inputs: z.array(InputColumn),
    outputs: z.array(OutputColumn).min(1, { error: "a decision table needs at least one output" }),
    rules: z.array(Rule),
  })
  .superRefine((table, ctx) => {
    const fields = new Set<string>();
    table.inputs.forEach((input, i) => {
      if (fields.has(input.field)) {
        ctx.addIssue({ code: "custom", path: ["inputs", i, "field"], message: `duplicate input field '${input.field}'` });
      }
      fields.add(input.field);
    });
    const names = new Set<string>();
    table.outputs.forEach((output, i) => {
      if (names.has(output.name)) {
        ctx.addIssue({ code: "custom", path: ["outputs", i, "name"], message: `duplicate output name '${output.name}'` });
      }
      names.add(output.name);
    });
  });
export type DecisionTable = z.infer<typeof DecisionTable>;

/** Lead facts as given to evaluate(): field → raw value. Values are read according to the column types. */
export type Facts = Record<string, unknown>;

/** One problem found while parsing a table's JSON. */
export interface TableIssue {
  /** Dotted path into the JSON, e.g. `rules[3].then.sla_minutes`. */
  path: string;
  message: string;
}

/** Thrown by parseDecisionTable(); `issues` lists every problem with its path. */
export class DecisionTableParseError extends Error {
  readonly issues: readonly TableIssue[];
  constructor(issues: readonly TableIssue[]) {
    super(`Invalid decision table:\n${issues.map((i) => `- ${i.path || "(table)"}: ${i.message}`).join("\n")}`);
    this.name = "DecisionTableParseError";
    this.issues = issues;
  }
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Parses a table without throwing: `{ ok: true, table }` or `{ ok: false, issues }`. */
export function safeParseDecisionTable(
  json: unknown,
): { ok: true; table: DecisionTable } | { ok: false; issues: TableIssue[] } {
  const parsed = DecisionTable.safeParse(json);
  if (parsed.success) return { ok: true, table: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((i) => ({ path: pathText(i.path), message: i.message })) };
}

/** Validates JSON against the table model; throws DecisionTableParseError listing every issue with its path. */
export function parseDecisionTable(json: unknown): DecisionTable {
  const parsed = safeParseDecisionTable(json);
  if (!parsed.ok) throw new DecisionTableParseError(parsed.issues);
  return parsed.table;
}

const ROLE_BY_NAME: Readonly<Record<string, OutputRole>> = {
  route: "route",
  routepath: "route",
  priority: "priorityTier",
  prioritytier: "priorityTier",
  tier: "priorityTier",
  slaminutes: "slaMinutes",
  sla: "slaMinutes",
};

/** The routing role of an output: its explicit `role`, else inferred from its name, else undefined (free output). */
export function outputRole(output: Pick<OutputColumn, "name" | "role">): OutputRole | undefined {
  return output.role ?? ROLE_BY_NAME[output.name.toLowerCase().replace(/[^a-z]/gu, "")];
}

/** The output column playing `role` in a table (first one), or undefined. */
export function findOutputByRole(table: Pick<DecisionTable, "outputs">, role: OutputRole): OutputColumn | undefined {
  return table.outputs.find((o) => outputRole(o) === role);
}
