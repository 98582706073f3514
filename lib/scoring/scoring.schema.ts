/**
 * Scoring configuration: an explainable points model.
 *
 * A rule reads one fact (`field`, a key or dotted path into the facts object), applies one unary test, and adds
 * `points` (negative allowed) when the test passes. Rules may belong to a group whose total is capped
 * (`min`/`max`), and the overall total may be bounded. Tiers map the final points to a priority: the tier with
 * the highest `min` not above the points; below every `min`, the lowest tier.
 *
 * Tests (unary, like decision-table cells):
 * - `equals` { value } — string (case-insensitive unless `caseSensitive`), number or boolean;
 * - `in` { values } — any of the values;
 * - `range` { min?, max?, minExclusive?, maxExclusive? } — numeric, inclusive bounds by default;
 * - `present` — the fact has a value (not null/undefined/""/NaN/[]);
 * - `contains` { value } — substring of a string fact (or any of several substrings), element of an array fact.
 * `not: true` negates a test's result for a present fact (a missing fact still contributes nothing).
 * Facts given as numeric strings ("250") match numeric tests and "true"/"false" match boolean ones; an array
 * fact matches when any element does.
 */

import { z } from "zod";

const Primitive = z.union([z.string(), z.number(), z.boolean()]);

export const EqualsTest = z.object({ op: z.literal("equals"), value: Primitive, caseSensitive: z.boolean().optional() });
export const InTest = z.object({ op: z.literal("in"), values: z.array(Primitive).min(1), caseSensitive: z.boolean().optional() });
export const RangeTest = z
  .object({
    op: z.literal("range"),
    min: z.number().optional(),
    max: z.number().optional(),
    minExclusive: z.boolean().optional(),
    maxExclusive: z.boolean().optional(),
  })
  .check((ctx) => {
    const { min, max } = ctx.value;
    if (min === undefined && max === undefined) {
      ctx.issues.push({ code: "custom", message: "A range needs min, max or both.", input: ctx.value });
    } else if (min !== undefined && max !== undefined && min > max) {
      ctx.issues.push({ code: "custom", message: "A range's min is above its max.", input: ctx.value, path: ["min"] });
    }
  });
export const PresentTest = z.object({ op: z.literal("present") });
export const ContainsTest = z.object({
  op: z.literal("contains"),
  value: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  caseSensitive: z.boolean().optional(),
});

export const ScoringTest = z.discriminatedUnion("op", [EqualsTest, InTest, RangeTest, PresentTest, ContainsTest]);
export type ScoringTest = z.infer<typeof ScoringTest>;

export const ScoringRule = z
  .object({
    id: z.string().min(1),
    label: z.string().min(1),
    /** Fact name or dotted path ("company.employees"). */
    field: z.string().min(1),
    test: ScoringTest,
    not: z.boolean().optional(),
    points: z.number().finite(),
    group: z.string().min(1).optional(),
  })
  .check((ctx) => {
    if (ctx.value.not === true && ctx.value.test.op === "present") {
      ctx.issues.push({
        code: "custom",
        message: "`not` cannot negate `present`: a missing fact never contributes points.",
        input: ctx.value,
        path: ["not"],
      });
    }
  });
export type ScoringRule = z.infer<typeof ScoringRule>;

export const ScoringGroup = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  /** Cap on the group's total (e.g. fit points at most 50). */
  max: z.number().finite().optional(),
  /** Floor on the group's total (e.g. penalties at most -60). */
  min: z.number().finite().optional(),
});
export type ScoringGroup = z.infer<typeof ScoringGroup>;

export const ScoringTier = z.object({
  tier: z.string().min(1),
  min: z.number().finite(),
  label: z.string().optional(),
});
export type ScoringTier = z.infer<typeof ScoringTier>;

export const ScoringConfig = z
  .object({
    version: z.string().optional(),
    rules: z.array(ScoringRule),
    groups: z.array(ScoringGroup).default([]),
    /** Bounds on the final points (e.g. 0–100), applied after group caps. */
    bounds: z.object({ min: z.number().finite().optional(), max: z.number().finite().optional() }).optional(),
    tiers: z.array(ScoringTier).min(1),
  })
  .check((ctx) => {
    const { rules, groups, tiers, bounds } = ctx.value;
    const push = (message: string, path: PropertyKey[]): void => {
      ctx.issues.push({ code: "custom", message, input: ctx.value, path });
    };
    const ruleIds = new Set<string>();
    rules.forEach((rule, i) => {
      if (ruleIds.has(rule.id)) push(`Duplicate rule id "${rule.id}".`, ["rules", i, "id"]);
      ruleIds.add(rule.id);
    });
    const groupIds = new Set<string>();
    groups.forEach((group, i) => {
      if (groupIds.has(group.id)) push(`Duplicate group id "${group.id}".`, ["groups", i, "id"]);
      if (group.min !== undefined && group.max !== undefined && group.min > group.max) {
        push(`Group "${group.id}" has min above max.`, ["groups", i]);
      }
      groupIds.add(group.id);
    });
    rules.forEach((rule, i) => {
      if (rule.group !== undefined && !groupIds.has(rule.group)) {
        push(`Rule "${rule.id}" refers to unknown group "${rule.group}".`, ["rules", i, "group"]);
      }
    });
    const tierNames = new Set<string>();
    tiers.forEach((tier, i) => {
      if (tierNames.has(tier.tier)) push(`Duplicate tier "${tier.tier}".`, ["tiers", i, "tier"]);
      tierNames.add(tier.tier);
    });
    if (bounds?.min !== undefined && bounds.max !== undefined && bounds.min > bounds.max) {
      push("bounds.min is above bounds.max.", ["bounds"]);
    }
  });
export type ScoringConfig = z.infer<typeof ScoringConfig>;
/** Config as written (defaults not yet applied), e.g. JSON from the settings editor. */
export type ScoringConfigInput = z.input<typeof ScoringConfig>;

export const Contribution = z.object({
  /** Rule id, or "cap:<group id>" / "cap:total" for a cap adjustment. */
  ruleId: z.string(),
  label: z.string(),
  /** The fact's field; for a cap, the group id or "total". */
  field: z.string(),
  /** The fact value that matched; for a cap, the points before capping. */
  value: z.unknown(),
  points: z.number(),
  group: z.string().nullable(),
  kind: z.enum(["rule", "cap"]),
});
export type Contribution = z.infer<typeof Contribution>;

export const MissingFact = z.object({ ruleId: z.string(), field: z.string() });
export type MissingFact = z.infer<typeof MissingFact>;

export const ScoreResult = z.object({
  /** Final points: exactly the sum of `contributions`, in order. */
  points: z.number(),
  tier: z.string(),
  /** Matched rules (in config order) then cap adjustments. */
  contributions: z.array(Contribution),
  /** Rules that could not be evaluated because their fact was missing (contributed 0). */
  missing: z.array(MissingFact),
  /** The distinct fields behind `missing`, in rule order. */
  missingFields: z.array(z.string()),
});
export type ScoreResult = z.infer<typeof ScoreResult>;
