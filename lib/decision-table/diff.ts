/**
 * Cell-level difference between two versions of a table: settings, columns, and rules matched by id (added,
 * removed, moved, and every changed cell). Pure; the version history and the publish review show it.
 */
import { canonicalJson } from "../canonical-json";
import type { DecisionTable } from "./schema";

export interface CellChange {
  side: "input" | "output" | "annotation";
  column: string;
  before: string | null;
  after: string | null;
}

export interface RuleDiff {
  ruleId: string;
  kind: "added" | "removed" | "changed" | "moved";
  /** Position (1-based) before and after; null when absent on that side. */
  fromIndex: number | null;
  toIndex: number | null;
  cells: CellChange[];
}

export interface TableDiff {
  settings: Array<{ field: string; before: string | null; after: string | null }>;
  columns: Array<{ side: "input" | "output"; column: string; kind: "added" | "removed" | "changed"; detail: string }>;
  rules: RuleDiff[];
  /** Number of changed cells over all rules (added/removed rules count each of their non-empty cells). */
  changedCells: number;
  unchanged: boolean;
}

const text = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === "string" ? v : JSON.stringify(v));
const cellText = (v: string | undefined): string | null => (v === undefined || v.trim() === "" || v.trim() === "-" ? null : v.trim());

export function diffTables(before: DecisionTable, after: DecisionTable): TableDiff {
  const settings: TableDiff["settings"] = [];
  for (const field of ["name", "description", "hitPolicy", "aggregation"] as const) {
    const a = text(before[field]);
    const b = text(after[field]);
    if (a !== b) settings.push({ field, before: a, after: b });
  }
  const columns: TableDiff["columns"] = [];
  const inA = new Map(before.inputs.map((c) => [c.field, c]));
  const inB = new Map(after.inputs.map((c) => [c.field, c]));
  for (const [f, c] of inA) {
    const d = inB.get(f);
    if (!d) columns.push({ side: "input", column: f, kind: "removed", detail: c.type });
    else if (JSON.stringify(c) !== JSON.stringify(d)) columns.push({ side: "input", column: f, kind: "changed", detail: describeColumnChange(c, d) });
  }
  for (const [f, c] of inB) if (!inA.has(f)) columns.push({ side: "input", column: f, kind: "added", detail: c.type });
  const outA = new Map(before.outputs.map((c) => [c.name, c]));
  const outB = new Map(after.outputs.map((c) => [c.name, c]));
  for (const [n, c] of outA) {
    const d = outB.get(n);
    if (!d) columns.push({ side: "output", column: n, kind: "removed", detail: c.type });
    else if (JSON.stringify(c) !== JSON.stringify(d)) columns.push({ side: "output", column: n, kind: "changed", detail: describeColumnChange(c, d) });
  }
  for (const [n, c] of outB) if (!outA.has(n)) columns.push({ side: "output", column: n, kind: "added", detail: c.type });

  const inputs = [...new Set([...before.inputs.map((c) => c.field), ...after.inputs.map((c) => c.field)])];
  const outputs = [...new Set([...before.outputs.map((c) => c.name), ...after.outputs.map((c) => c.name)])];
  const idxA = new Map(before.rules.map((r, i) => [r.id, i]));
  const idxB = new Map(after.rules.map((r, i) => [r.id, i]));
  const rules: RuleDiff[] = [];
  let changedCells = 0;
  // Relative order of the rules both versions share: a rule is "moved" when its rank among them changed.
  const common = after.rules.filter((r) => idxA.has(r.id)).map((r) => r.id);
  const commonBefore = before.rules.filter((r) => idxB.has(r.id)).map((r) => r.id);
  const rankBefore = new Map(commonBefore.map((id, i) => [id, i]));
  const rankAfter = new Map(common.map((id, i) => [id, i]));
  const ids = [...after.rules.map((r) => r.id), ...before.rules.filter((r) => !idxB.has(r.id)).map((r) => r.id)];
  for (const id of ids) {
    const a = idxA.has(id) ? before.rules[idxA.get(id)!]! : null;
    const b = idxB.has(id) ? after.rules[idxB.get(id)!]! : null;
    const cells: CellChange[] = [];
    for (const f of inputs) {
      const x = a ? cellText(a.when[f]) : null;
      const y = b ? cellText(b.when[f]) : null;
      if (x !== y) cells.push({ side: "input", column: f, before: x, after: y });
    }
    for (const o of outputs) {
      const x = a ? text(a.then[o]) : null;
      const y = b ? text(b.then[o]) : null;
      if (x !== y) cells.push({ side: "output", column: o, before: x, after: y });
    }
    for (const field of ["annotation", "description"] as const) {
      const x = a ? text(a[field] ?? null) : null;
      const y = b ? text(b[field] ?? null) : null;
      if (x !== y) cells.push({ side: "annotation", column: field, before: x, after: y });
    }
    const fromIndex = a ? idxA.get(id)! + 1 : null;
    const toIndex = b ? idxB.get(id)! + 1 : null;
    const moved = a && b && rankBefore.get(id) !== rankAfter.get(id);
    changedCells += cells.length;
    if (!a) rules.push({ ruleId: id, kind: "added", fromIndex, toIndex, cells });
    else if (!b) rules.push({ ruleId: id, kind: "removed", fromIndex, toIndex, cells });
    else if (cells.length) rules.push({ ruleId: id, kind: "changed", fromIndex, toIndex, cells });
    else if (moved) rules.push({ ruleId: id, kind: "moved", fromIndex, toIndex, cells });
  }
  return { settings, columns, rules, changedCells, unchanged: !settings.length && !columns.length && !rules.length };
}

/** True when two tables are the same in every respect (including what the diff does not show, e.g. key order aside). */
export function sameTable(a: DecisionTable, b: DecisionTable): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function describeColumnChange(a: object, b: object): string {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].filter((k) => JSON.stringify(ra[k]) !== JSON.stringify(rb[k]));
  return keys.map((k) => `${k}: ${text(ra[k]) ?? "—"} → ${text(rb[k]) ?? "—"}`).join("; ");
}
