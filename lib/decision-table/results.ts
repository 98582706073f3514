/**
 * Hit policies (DMN 1.3 semantics): turning the list of matching rules into an EvalResult.
 *
 * Result shape (see README.md): single-hit policies (UNIQUE, ANY, FIRST, PRIORITY) give one `outputs` object;
 * COLLECT without aggregation, RULE ORDER and OUTPUT ORDER give a list; COLLECT with SUM/MIN/MAX/COUNT gives one
 * object holding the aggregate of each output (nulls ignored; SUM/MIN/MAX of nothing is null, COUNT of nothing 0).
 * No match gives `matched: false` with the outputs' defaults when any output has one (a one-element list for list
 * policies), else `{}` / `[]` (COUNT: zeros). A hit-policy violation (UNIQUE with several matches, ANY with
 * differing outputs) is returned as `error`, never thrown.
 *
 * Results are immutable. Single-hit results and no-match results are precomputed frozen objects shared across
 * evaluations, which is what lets the hot path allocate nothing per lead.
 */

import { type DecisionTable, type OutputValue, SINGLE_HIT_POLICIES } from "./schema";
import { quote } from "./values";

export type Outputs = Readonly<Record<string, unknown>>;

export interface EvalError {
  code: "UNIQUE_VIOLATION" | "ANY_CONFLICT";
  message: string;
  /** All rules involved (every matching rule). */
  ruleIds: readonly string[];
}

export interface EvalResult {
  /** True when rules matched and the hit policy produced a result (false on no match and on a policy error). */
  matched: boolean;
  /** The rules the result comes from, in result order (for errors: the conflicting rules). */
  ruleIds: readonly string[];
  /** One object for single-hit and aggregated COLLECT tables; a list for COLLECT, RULE ORDER and OUTPUT ORDER. */
  outputs: Outputs | readonly Outputs[];
  error?: EvalError;
}

/** The rule data the result builder needs, in compiled order. */
export interface PlanRule {
  id: string;
  outputs: readonly OutputValue[];
}

export interface ResultPlan {
  /** Result for rule i matching alone (frozen, shared). */
  readonly single: readonly EvalResult[];
  readonly noMatch: EvalResult;
  /** Builds the result from `matches[0..n)` (compiled rule indices in rule order). */
  readonly finish: (matches: Int32Array, n: number) => EvalResult;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

function show(v: unknown): string {
  return typeof v === "string" ? quote(v) : String(v);
}

/**
 * PRIORITY / OUTPUT ORDER rank: outputs with allowedValues, compared in column order, earlier allowed value =
 * higher priority; values outside the list (and null) rank last. Returns one integer per rule, lower = higher
 * priority; equal vectors share a rank.
 */
export function priorityRanks(table: DecisionTable, rules: readonly PlanRule[]): Int32Array {
  const ranked = table.outputs
    .map((o, i) => ({ i, order: o.allowedValues }))
    .filter((x): x is { i: number; order: NonNullable<typeof x.order> } => x.order !== undefined && x.order.length > 0);
  const vectors = rules.map((r) =>
    ranked.map(({ i, order }) => {
      const v = r.outputs[i];
      const k = v === null || v === undefined ? -1 : (order as readonly unknown[]).indexOf(v);
      return k < 0 ? order.length : k;
    }),
  );
  const cmp = (a: number[], b: number[]): number => {
    for (let k = 0; k < a.length; k++) {
      const d = (a[k] as number) - (b[k] as number);
      if (d !== 0) return d;
    }
    return 0;
  };
  const order = rules.map((_, i) => i).sort((a, b) => cmp(vectors[a] as number[], vectors[b] as number[]) || a - b);
  const ranks = new Int32Array(rules.length);
  let rank = 0;
  order.forEach((ruleIndex, k) => {
    if (k > 0 && cmp(vectors[order[k - 1] as number] as number[], vectors[ruleIndex] as number[]) !== 0) rank++;
    ranks[ruleIndex] = rank;
  });
  return ranks;
}

/** Builds the result plan for a table's hit policy over its compiled rules. */
export function buildResultPlan(table: DecisionTable, rules: readonly PlanRule[]): ResultPlan {
  const names = table.outputs.map((o) => o.name);
  const outputsOf: Outputs[] = rules.map((r) => {
    const o: Record<string, unknown> = {};
    names.forEach((name, k) => {
      o[name] = r.outputs[k] ?? null;
    });
    return deepFreeze(o);
  });
  const ids = rules.map((r) => r.id);
  const single: EvalResult[] = rules.map((r, i) => deepFreeze({ matched: true, ruleIds: [r.id], outputs: outputsOf[i] as Outputs }));

  const policy = table.hitPolicy;
  const aggregation = policy === "COLLECT" ? table.aggregation : undefined;
  const isList = !SINGLE_HIT_POLICIES.has(policy) && aggregation === undefined;

  let defaults: Record<string, unknown> | null = null;
  if (table.outputs.some((o) => o.default !== undefined)) {
    defaults = {};
    for (const o of table.outputs) defaults[o.name] = o.default ?? null;
  }
  let noMatchOutputs: Outputs | Outputs[];
  if (defaults !== null) noMatchOutputs = isList ? [defaults] : defaults;
  else if (isList) noMatchOutputs = [];
  else if (aggregation === "COUNT") noMatchOutputs = Object.fromEntries(names.map((n) => [n, 0]));
  else noMatchOutputs = {};
  const noMatch: EvalResult = deepFreeze({ matched: false, ruleIds: [], outputs: noMatchOutputs });

  const idsOf = (m: Int32Array, n: number): string[] => {
    const out = new Array<string>(n);
    for (let k = 0; k < n; k++) out[k] = ids[m[k] as number] as string;
    return out;
  };
  const list = (m: Int32Array, n: number, order: ArrayLike<number>): EvalResult => {
    const ruleIds = new Array<string>(n);
    const outs = new Array<Outputs>(n);
    for (let k = 0; k < n; k++) {
      const i = order[k] as number;
      ruleIds[k] = ids[i] as string;
      outs[k] = outputsOf[i] as Outputs;
    }
    return { matched: true, ruleIds, outputs: outs };
  };

  let finish: ResultPlan["finish"];
  switch (policy) {
    case "FIRST":
      finish = (m, n) => (n === 0 ? noMatch : (single[m[0] as number] as EvalResult));
      break;
    case "UNIQUE":
      finish = (m, n) => {
        if (n === 0) return noMatch;
        if (n === 1) return single[m[0] as number] as EvalResult;
        const ruleIds = idsOf(m, n);
        return {
          matched: false,
          ruleIds,
          outputs: {},
          error: { code: "UNIQUE_VIOLATION", message: `UNIQUE hit policy violated: ${n} rules match (${ruleIds.join(", ")}); exactly one may match`, ruleIds },
        };
      };
      break;
    case "ANY": {
      // Rules with identical outputs share a group; ANY needs every match in one group.
      const groupKey = rules.map((r) => JSON.stringify(r.outputs));
      const group = Int32Array.from(groupKey, (k) => groupKey.indexOf(k));
      finish = (m, n) => {
        if (n === 0) return noMatch;
        if (n === 1) return single[m[0] as number] as EvalResult;
        const first = m[0] as number;
        let differing = -1;
        for (let k = 1; k < n; k++) {
          if (group[m[k] as number] !== group[first]) {
            differing = m[k] as number;
            break;
          }
        }
        const ruleIds = idsOf(m, n);
        if (differing < 0) return { matched: true, ruleIds, outputs: outputsOf[first] as Outputs };
        const a = rules[first] as PlanRule;
        const b = rules[differing] as PlanRule;
        const diff = names
          .map((name, k) => ({ name, x: a.outputs[k] ?? null, y: b.outputs[k] ?? null }))
          .filter((d) => d.x !== d.y)
          .map((d) => `${d.name}: ${show(d.x)} vs ${show(d.y)}`)
          .join("; ");
        return {
          matched: false,
          ruleIds,
          outputs: {},
          error: { code: "ANY_CONFLICT", message: `ANY hit policy violated: matching rules ${ruleIds.join(", ")} give different outputs (${a.id} vs ${b.id}: ${diff})`, ruleIds },
        };
      };
      break;
    }
    case "PRIORITY": {
      const rank = priorityRanks(table, rules);
      finish = (m, n) => {
        if (n === 0) return noMatch;
        let best = m[0] as number;
        for (let k = 1; k < n; k++) {
          const i = m[k] as number;
          if ((rank[i] as number) < (rank[best] as number)) best = i;
        }
        return single[best] as EvalResult;
      };
      break;
    }
    case "RULE ORDER":
      finish = (m, n) => (n === 0 ? noMatch : list(m, n, m));
      break;
    case "OUTPUT ORDER": {
      const rank = priorityRanks(table, rules);
      finish = (m, n) => {
        if (n === 0) return noMatch;
        const order = Array.from(m.subarray(0, n)).sort((a, b) => (rank[a] as number) - (rank[b] as number) || a - b);
        return list(m, n, order);
      };
      break;
    }
    case "COLLECT":
      if (aggregation === undefined) {
        finish = (m, n) => (n === 0 ? noMatch : list(m, n, m));
      } else {
        finish = (m, n) => {
          if (n === 0) return noMatch;
          const out: Record<string, unknown> = {};
          names.forEach((name, k) => {
            let acc: number | null = null;
            let count = 0;
            for (let j = 0; j < n; j++) {
              const v = (rules[m[j] as number] as PlanRule).outputs[k];
              if (v === null || v === undefined) continue;
              count++;
              if (aggregation === "COUNT") continue;
              const x = v as number;
              if (acc === null) acc = x;
              else if (aggregation === "SUM") acc += x;
              else if (aggregation === "MIN") acc = x < acc ? x : acc;
              else acc = x > acc ? x : acc;
            }
            out[name] = aggregation === "COUNT" ? count : acc;
          });
          return { matched: true, ruleIds: idsOf(m, n), outputs: out };
        };
      }
      break;
  }
  return { single, noMatch, finish };
}

/** The result's outputs as a list (one element for single-hit and aggregated results; empty on no match without defaults). */
export function outputsList(result: EvalResult): readonly Outputs[] {
  if (Array.isArray(result.outputs)) return result.outputs as readonly Outputs[];
  const o = result.outputs as Outputs;
  return Object.keys(o).length === 0 ? [] : [o];
}

/** The result's single outputs object (the first one for list results), or undefined when there is none. */
export function firstOutputs(result: EvalResult): Outputs | undefined {
  return outputsList(result)[0];
}
