/**
 * Pure, immutable edits of a decision table for the rules grid. Every function returns a new table (sharing the
 * untouched parts) or the very same object when the edit changes nothing, so callers can skip no-op history
 * entries with `next !== table`. Rules are addressed by index (ids may be duplicated in a broken draft).
 */

import type { Aggregation, DecisionTable, HitPolicy, InputType, OutputType, OutputValue, Rule } from "@/lib/decision-table";

const RULE_ID = /^R(\d+)$/u;

/**
 * The next free rule id `R<n>`: one past the highest numbered `R…` id (deleted ids are not reused, so a rule id keeps
 * meaning one rule across versions), zero-padded like the existing ids (`R26` → `R27`, `R09` → `R10`, `R3` → `R4`,
 * none → `R01`).
 */
export function nextRuleId(rules: ReadonlyArray<Pick<Rule, "id">>): string {
  let max = 0;
  let numbered = false;
  let padded = 0;
  for (const r of rules) {
    const m = RULE_ID.exec(r.id);
    if (!m?.[1]) continue;
    numbered = true;
    max = Math.max(max, Number(m[1]));
    if (m[1].startsWith("0") && m[1].length > 1) padded = Math.max(padded, m[1].length);
  }
  const width = padded || (numbered ? 1 : 2);
  const taken = new Set(rules.map((r) => r.id));
  let n = max + 1;
  let id = `R${String(n).padStart(width, "0")}`;
  while (taken.has(id)) id = `R${String(++n).padStart(width, "0")}`;
  return id;
}

function clampIndex(i: number, length: number): number {
  return Math.max(0, Math.min(length, Math.trunc(i)));
}

function withRules(table: DecisionTable, rules: Rule[]): DecisionTable {
  return { ...table, rules };
}

/** A new rule (every input `-`, no outputs yet) inserted at `index` (default: the end). */
export function addRule(table: DecisionTable, index: number = table.rules.length): DecisionTable {
  const when: Record<string, string> = {};
  for (const input of table.inputs) when[input.field] = "-";
  const rule: Rule = { id: nextRuleId(table.rules), when, then: {} };
  const at = clampIndex(index, table.rules.length);
  return withRules(table, [...table.rules.slice(0, at), rule, ...table.rules.slice(at)]);
}

/** A copy of rule `index` with a fresh id, right below it. */
export function duplicateRule(table: DecisionTable, index: number): DecisionTable {
  const source = table.rules[index];
  if (!source) return table;
  const copy: Rule = { ...source, id: nextRuleId(table.rules), when: { ...source.when }, then: { ...source.then } };
  return withRules(table, [...table.rules.slice(0, index + 1), copy, ...table.rules.slice(index + 1)]);
}

export function deleteRule(table: DecisionTable, index: number): DecisionTable {
  if (!table.rules[index]) return table;
  return withRules(table, table.rules.filter((_, i) => i !== index));
}

/** Moves rule `from` so that it ends up at index `to` (clamped). */
export function moveRule(table: DecisionTable, from: number, to: number): DecisionTable {
  const rule = table.rules[from];
  const target = Math.max(0, Math.min(table.rules.length - 1, Math.trunc(to)));
  if (!rule || target === from) return table;
  const rest = table.rules.filter((_, i) => i !== from);
  return withRules(table, [...rest.slice(0, target), rule, ...rest.slice(target)]);
}

/** The hit policy; the aggregation is dropped unless the policy is COLLECT (it is an error elsewhere). */
export function setHitPolicy(table: DecisionTable, hitPolicy: HitPolicy): DecisionTable {
  if (table.hitPolicy === hitPolicy) return table;
  const { aggregation: _dropped, ...rest } = table;
  return hitPolicy === "COLLECT" ? { ...table, hitPolicy } : { ...rest, hitPolicy };
}

export function setAggregation(table: DecisionTable, aggregation: Aggregation | undefined): DecisionTable {
  if (table.aggregation === aggregation) return table;
  const { aggregation: _old, ...rest } = table;
  return aggregation === undefined ? rest : { ...rest, aggregation };
}

/** Appends an input column bound to `field`; every rule gets `-` for it. No-op when the field is already used. */
export function addInputColumn(table: DecisionTable, column: { field: string; type: InputType; label?: string }): DecisionTable {
  if (table.inputs.some((i) => i.field === column.field)) return table;
  const input = { field: column.field, type: column.type, ...(column.label ? { label: column.label } : {}) };
  return {
    ...table,
    inputs: [...table.inputs, input],
    rules: table.rules.map((r) => ({ ...r, when: { ...r.when, [column.field]: "-" } })),
  };
}

/** Appends an output column (rules leave it empty until edited). No-op when the name is taken. */
export function addOutputColumn(table: DecisionTable, column: { name: string; type: OutputType; label?: string }): DecisionTable {
  if (table.outputs.some((o) => o.name === column.name)) return table;
  const output = { name: column.name, type: column.type, ...(column.label ? { label: column.label } : {}) };
  return { ...table, outputs: [...table.outputs, output] };
}

function omit<V>(record: Record<string, V>, key: string): Record<string, V> {
  if (!Object.hasOwn(record, key)) return record;
  const out: Record<string, V> = {};
  for (const [k, v] of Object.entries(record)) if (k !== key) out[k] = v;
  return out;
}

/** Removes an input column (and its cell from every rule) or an output column (never the last output). */
export function removeColumn(table: DecisionTable, side: "input" | "output", key: string): DecisionTable {
  if (side === "input") {
    if (!table.inputs.some((i) => i.field === key)) return table;
    return {
      ...table,
      inputs: table.inputs.filter((i) => i.field !== key),
      rules: table.rules.map((r) => (Object.hasOwn(r.when, key) ? { ...r, when: omit(r.when, key) } : r)),
    };
  }
  if (!table.outputs.some((o) => o.name === key) || table.outputs.length <= 1) return table;
  return {
    ...table,
    outputs: table.outputs.filter((o) => o.name !== key),
    rules: table.rules.map((r) => (Object.hasOwn(r.then, key) ? { ...r, then: omit(r.then, key) } : r)),
  };
}

/** Sets (or, with an empty label, removes) a column's display label. */
export function setColumnLabel(table: DecisionTable, side: "input" | "output", key: string, label: string): DecisionTable {
  const text = label.trim();
  const relabel = <C extends { label?: string }>(c: C): C => {
    if ((c.label ?? "") === text) return c;
    const { label: _old, ...rest } = c;
    return (text ? { ...rest, label: text } : rest) as C;
  };
  if (side === "input") {
    const inputs = table.inputs.map((c) => (c.field === key ? relabel(c) : c));
    return inputs.every((c, i) => c === table.inputs[i]) ? table : { ...table, inputs };
  }
  const outputs = table.outputs.map((c) => (c.name === key ? relabel(c) : c));
  return outputs.every((c, i) => c === table.outputs[i]) ? table : { ...table, outputs };
}

function updateRule(table: DecisionTable, index: number, update: (rule: Rule) => Rule): DecisionTable {
  const rule = table.rules[index];
  if (!rule) return table;
  const next = update(rule);
  if (next === rule) return table;
  return withRules(table, table.rules.map((r, i) => (i === index ? next : r)));
}

/** Sets an input cell; blank text is stored as `-` (any value). */
export function setInputCell(table: DecisionTable, index: number, field: string, text: string): DecisionTable {
  const cell = text.trim() === "" ? "-" : text.trim();
  return updateRule(table, index, (r) => (r.when[field] === cell ? r : { ...r, when: { ...r.when, [field]: cell } }));
}

/** Sets an output cell; `undefined` removes it (the output is then null for this rule). */
export function setOutputCell(table: DecisionTable, index: number, name: string, value: OutputValue | undefined): DecisionTable {
  return updateRule(table, index, (r) => {
    if (value === undefined) return Object.hasOwn(r.then, name) ? { ...r, then: omit(r.then, name) } : r;
    return Object.hasOwn(r.then, name) && Object.is(r.then[name], value) ? r : { ...r, then: { ...r.then, [name]: value } };
  });
}

/** Sets the rule's annotation; blank text removes it. */
export function setAnnotation(table: DecisionTable, index: number, text: string): DecisionTable {
  const value = text.trim();
  return updateRule(table, index, (r) => {
    if ((r.annotation ?? "") === value) return r;
    const { annotation: _old, ...rest } = r;
    return value ? { ...rest, annotation: value } : rest;
  });
}
