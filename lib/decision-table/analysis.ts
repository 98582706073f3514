/**
 * Static analysis of rule coverage: shadowed rules (FIRST), overlaps (UNIQUE, ANY), gaps, unsatisfiable rules.
 *
 * Method. Each input column's value space is split into finitely many classes ("atoms") such that every cell of
 * that column is constant on each class: for numbers and dates the literal endpoints and the open intervals
 * between them; for text the literals, the allowed values and one "any other value"; for booleans true/false; and
 * always "missing" (null). Each atom carries a concrete representative value, and a rule's coverage in a column is
 * the set of atoms whose representative its cell matches — computed by the real cell predicate, so the analysis
 * cannot disagree with evaluation. A rule is then a box (one atom set per column) and coverage questions become
 * box algebra: overlap = non-empty intersection, gap = universe minus the union of boxes, shadowing = a box minus
 * the earlier boxes is empty.
 *
 * Soundness. Overlap and gap examples are concrete values that were evaluated, so they are always real. Atoms are
 * exact (each class uniform) for numbers, dates, booleans and for text columns whose cells only use equality,
 * lists, null and not(); text columns with contains()/starts with()/comparisons get extra witnesses but are
 * marked inexact, and there a rule only counts as covering another's column when its cell is "-" or the same test,
 * so "shadowed" is never claimed without proof. Gap analysis reads text domains from allowedValues (without them,
 * "any other value" is part of the domain); numbers have no declared domain. Gaps that only involve non-integer
 * numbers (e.g. between 999 and 1000) are reported as info.
 */

import { type Diagnostic } from "./diagnostics";
import { type PreparedColumn, type PreparedRule } from "./prepare";
import { type DecisionTable } from "./schema";
import { formatUnaryTest, isEqualityOnly, literalsOf, type UnaryTest } from "./unary-test";
import { type ColumnValue, displayValue, formatValue, quote } from "./values";

/** Stop a subtraction when it fragments into more pieces than this (reported as ANALYSIS_LIMIT). */
const MAX_PIECES = 20_000;
/** Total pieces one check() may create across all analyses (keeps check() interactive on pathological tables). */
const WORK_BUDGET = 500_000;
/** Shadowing culprits are pruned to a small covering set when there are at most this many candidates. */
const MAX_PRUNE = 40;
const MAX_EXAMPLES = 3;
const MAX_OVERLAPS = 25;
/** A string[] column enumerates all subsets of its element atoms up to this many elements. */
const MAX_SET_ELEMENTS = 6;

interface Atom {
  value: ColumnValue;
  /** The value as people read it: 'NA', another value, true, {'a', 'b'} (numbers use `interval`). */
  label: string;
  /** Numbers and dates: which part of the line this atom stands for (`order` = position along the line). */
  interval?: { kind: "below" | "point" | "between" | "above" | "all"; lo: number; hi: number; order: number };
  /** Part of the column's declared domain (and so of the gap universe). */
  inDomain: boolean;
  isNull: boolean;
  /** Stands for non-integer numbers only. */
  fractional: boolean;
}

interface ColumnSpace {
  column: PreparedColumn;
  atoms: Atom[];
  exact: boolean;
  offset: number;
  words: number;
}

type Box = Uint32Array;

class Space {
  readonly width: number;
  /** Pieces still allowed to be created (see WORK_BUDGET). */
  budget = WORK_BUDGET;
  constructor(readonly columns: ColumnSpace[]) {
    let offset = 0;
    for (const c of columns) {
      c.offset = offset;
      c.words = Math.max(1, Math.ceil(c.atoms.length / 32));
      offset += c.words;
    }
    this.width = offset;
  }

  empty(): Box {
    return new Uint32Array(this.width);
  }

  set(box: Box, c: ColumnSpace, atom: number): void {
    const w = c.offset + (atom >>> 5);
    box[w] = (box[w] as number) | (1 << (atom & 31));
  }

  has(box: Box, c: ColumnSpace, atom: number): boolean {
    return (((box[c.offset + (atom >>> 5)] as number) >>> (atom & 31)) & 1) === 1;
  }

  columnEmpty(box: Box, c: ColumnSpace): boolean {
    for (let w = c.offset; w < c.offset + c.words; w++) if (box[w] !== 0) return false;
    return true;
  }

  /** Atom indices of a column present in the box. */
  atomsIn(box: Box, c: ColumnSpace): number[] {
    const out: number[] = [];
    for (let a = 0; a < c.atoms.length; a++) if (this.has(box, c, a)) out.push(a);
    return out;
  }

  intersect(a: Box, b: Box): Box | null {
    const out = new Uint32Array(this.width);
    for (let i = 0; i < this.width; i++) out[i] = (a[i] as number) & (b[i] as number);
    for (const c of this.columns) if (this.columnEmpty(out, c)) return null;
    return out;
  }

  /** a minus b as disjoint boxes. */
  subtract(a: Box, b: Box): Box[] {
    if (this.intersect(a, b) === null) return [a];
    const out: Box[] = [];
    const cur = a.slice();
    for (const c of this.columns) {
      const piece = cur.slice();
      let nonEmpty = false;
      for (let w = c.offset; w < c.offset + c.words; w++) {
        const d = (cur[w] as number) & ~(b[w] as number);
        piece[w] = d;
        if (d !== 0) nonEmpty = true;
        cur[w] = (cur[w] as number) & (b[w] as number);
      }
      if (nonEmpty) out.push(piece);
    }
    return out;
  }

  /** Remaining pieces of `boxes` after removing every box in `cover`, or null when fragmentation exceeds the limits. */
  minus(boxes: Box[], cover: readonly Box[]): Box[] | null {
    let remaining = boxes;
    for (const b of cover) {
      const next: Box[] = [];
      for (const r of remaining) {
        for (const piece of this.subtract(r, b)) next.push(piece);
      }
      this.budget -= next.length;
      if (next.length > MAX_PIECES || this.budget < 0) return null;
      remaining = next;
      if (remaining.length === 0) break;
    }
    return remaining;
  }
}

function otherString(taken: ReadonlySet<string>): string {
  let s = "other";
  while (taken.has(s)) s += "_";
  return s;
}

function allTests(cells: readonly UnaryTest[]): { literals: ReturnType<typeof literalsOf>; needles: string[]; exact: boolean } {
  const literals: ReturnType<typeof literalsOf> = [];
  const needles: string[] = [];
  let exact = true;
  const walk = (t: UnaryTest): void => {
    if (t.kind === "text") needles.push(t.needle);
    else if (t.kind === "not") walk(t.test);
    else if (t.kind === "anyOf") t.tests.forEach(walk);
  };
  for (const t of cells) {
    literalsOf(t, literals);
    walk(t);
    if (!isEqualityOnly(t)) exact = false;
  }
  return { literals, needles, exact };
}

function textAtoms(domain: ColumnValue[] | null, cells: readonly UnaryTest[]): { values: Array<{ v: string; inDomain: boolean; other: boolean }>; exact: boolean } {
  const { literals, needles, exact } = allTests(cells);
  const values = new Set<string>();
  for (const d of domain ?? []) values.add(d as string);
  for (const l of literals) if (l.type === "string") values.add(l.value);
  if (!exact) {
    // Witnesses for text tests and comparisons; the column stays inexact (see module doc).
    for (const n of needles) for (const w of [n, `~${n}~`, `${n}~`, `~${n}`]) values.add(w);
    for (const l of literals) if (l.type === "string") values.add(`${l.value}\u0000`);
  }
  const domainSet = domain === null ? null : new Set(domain as string[]);
  const out = [...values].map((v) => ({ v, inDomain: domainSet === null || domainSet.has(v), other: false }));
  out.push({ v: otherString(values), inDomain: domainSet === null, other: true });
  return { values: out, exact };
}

function numericAtoms(type: "number" | "date", domain: ColumnValue[] | null, cells: readonly UnaryTest[]): Atom[] {
  const points = new Set<number>();
  for (const d of domain ?? []) points.add(d as number);
  for (const l of allTests(cells).literals) if (l.type === "number" || l.type === "date") points.add(l.value);
  const sorted = [...points].sort((a, b) => a - b);
  const domainSet = domain === null ? null : new Set(domain as number[]);
  const atoms: Atom[] = [];
  const atom = (value: number, kind: NonNullable<Atom["interval"]>["kind"], lo: number, hi: number, fractional = false): void => {
    atoms.push({
      value,
      label: formatValue(type, value),
      interval: { kind, lo, hi, order: atoms.length },
      inDomain: domainSet === null || domainSet.has(value),
      isNull: false,
      fractional,
    });
  };
  if (sorted.length === 0) {
    atom(0, "all", 0, 0);
    return atoms;
  }
  const first = sorted[0] as number;
  atom(Math.ceil(first) - 1, "below", first, first);
  sorted.forEach((p, i) => {
    atom(p, "point", p, p);
    const q = sorted[i + 1];
    if (q === undefined) return;
    const k = Math.floor(p) + 1;
    if (k < q) atom(k, "between", p, q);
    else if (type === "number") atom((p + q) / 2, "between", p, q, true);
  });
  const last = sorted[sorted.length - 1] as number;
  atom(Math.floor(last) + 1, "above", last, last);
  return atoms;
}

function columnSpace(col: PreparedColumn, cells: readonly UnaryTest[]): ColumnSpace {
  const type = col.input.type;
  const nullAtom: Atom = { value: null, label: "missing", inDomain: true, isNull: true, fractional: false };
  const plain = (value: ColumnValue, label: string, inDomain: boolean): Atom => ({ value, label, inDomain, isNull: false, fractional: false });
  let atoms: Atom[];
  let exact = true;
  switch (type) {
    case "boolean":
      atoms = [plain(true, "true", true), plain(false, "false", true)];
      break;
    case "number":
    case "date":
      atoms = numericAtoms(type, col.domain, cells);
      break;
    case "string": {
      const t = textAtoms(col.domain, cells);
      exact = t.exact;
      atoms = t.values.map(({ v, inDomain, other }) => plain(v, other ? "another value" : quote(v), inDomain));
      break;
    }
    case "string[]": {
      const t = textAtoms(col.domain, cells);
      const elements = t.values;
      let subsets: Array<typeof elements>;
      if (elements.length <= MAX_SET_ELEMENTS) {
        subsets = [];
        for (let mask = 1; mask < 1 << elements.length; mask++) subsets.push(elements.filter((_, i) => (mask >>> i) & 1));
        exact = t.exact;
      } else {
        subsets = [...elements.map((e) => [e]), elements];
        exact = false;
      }
      atoms = subsets.map((s) =>
        plain(
          s.map((e) => e.v),
          `{${s.map((e) => (e.other ? "another value" : quote(e.v))).join(", ")}}`,
          s.every((e) => e.inDomain),
        ),
      );
      break;
    }
  }
  // Witness preference: in-domain values first, then values outside the domain, then missing.
  atoms.sort((a, b) => Number(!a.inDomain) - Number(!b.inDomain));
  atoms.push(nullAtom);
  return { column: col, atoms, exact, offset: 0, words: 0 };
}

/** Numeric atoms as merged intervals: "< 200", ">= 1000", "in [50..200)", "= 5". */
function describeIntervals(type: "number" | "date", atoms: Atom[]): string[] {
  const show = (n: number): string => formatValue(type, n);
  const sorted = atoms.filter((a) => a.interval !== undefined).sort((a, b) => (a.interval?.order ?? 0) - (b.interval?.order ?? 0));
  const runs: Array<[Atom, Atom]> = [];
  for (const a of sorted) {
    const last = runs[runs.length - 1];
    if (last !== undefined && (last[1].interval?.order ?? 0) + 1 === a.interval?.order) last[1] = a;
    else runs.push([a, a]);
  }
  return runs.map(([a, b]) => {
    const ia = a.interval as NonNullable<Atom["interval"]>;
    const ib = b.interval as NonNullable<Atom["interval"]>;
    if (ia.kind === "all") return "any value";
    if (a === b && ia.kind === "point") return `= ${show(ia.lo)}`;
    if (ib.kind === "below") return `< ${show(ib.lo)}`;
    if (ia.kind === "above") return `> ${show(ia.lo)}`;
    // A run starts at a point (inclusive) or an open interval (exclusive) unless it starts at -∞; same for its end.
    const lower = ia.kind === "below" ? null : { v: ia.lo, inclusive: ia.kind === "point" };
    const upper = ib.kind === "above" ? null : { v: ib.hi, inclusive: ib.kind === "point" };
    if (lower === null && upper === null) return "any value";
    if (lower === null) return `${upper?.inclusive === true ? "<=" : "<"} ${show(upper?.v ?? 0)}`;
    if (upper === null) return `${lower.inclusive ? ">=" : ">"} ${show(lower.v)}`;
    return `in ${lower.inclusive ? "[" : "("}${show(lower.v)}..${show(upper.v)}${upper.inclusive ? "]" : ")"}`;
  });
}

/** "region = 'NA'", "region in {'NA', 'EMEA'}", "employees < 200 or missing", or null when the column is unconstrained. */
function describeColumn(c: ColumnSpace, inBox: number[], inUniverse: number[]): string | null {
  if (inBox.length === inUniverse.length) return null;
  const field = c.column.field;
  const atoms = inBox.map((a) => c.atoms[a] as Atom);
  const missing = atoms.some((a) => a.isNull);
  const present = atoms.filter((a) => !a.isNull);
  const type = c.column.input.type;
  const universePresent = inUniverse.filter((a) => !(c.atoms[a] as Atom).isNull).length;
  let parts: string[];
  if (present.length === universePresent && present.length > 1) {
    parts = [`${field} is present`];
  } else if (type === "number" || type === "date") {
    parts = describeIntervals(type, present).map((d) => `${field} ${d}`);
  } else if (present.length === 1) {
    parts = [present[0]?.label === "another value" ? `${field} is another value` : `${field} = ${present[0]?.label ?? ""}`];
  } else if (present.length > 1) {
    const universe = inUniverse.map((a) => c.atoms[a] as Atom).filter((a) => !a.isNull);
    const excluded = universe.filter((a) => !present.includes(a));
    parts =
      excluded.length > 0 && excluded.length < present.length && excluded.length <= 3
        ? [`${field} not in {${excluded.map((a) => a.label).join(", ")}}`]
        : [`${field} in {${present.slice(0, 5).map((a) => a.label).join(", ")}${present.length > 5 ? `, … ${present.length - 5} more` : ""}}`];
  } else {
    parts = [];
  }
  if (missing) parts.push(`${field} is missing`);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(" or ")})`;
}

interface RuleBox {
  rule: PreparedRule;
  box: Box;
}

function describePiece(space: Space, box: Box, universe: Box): string {
  const parts: string[] = [];
  for (const c of space.columns) {
    const d = describeColumn(c, space.atomsIn(box, c), space.atomsIn(universe, c));
    if (d !== null) parts.push(d);
  }
  return parts.length === 0 ? "any lead" : parts.join(", ");
}

function example(space: Space, box: Box): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of space.columns) {
    const a = space.atomsIn(box, c)[0];
    const atom = a === undefined ? undefined : c.atoms[a];
    out[c.column.field] = atom === undefined ? null : displayValue(c.column.input.type, atom.value);
  }
  return out;
}

/**
 * Runs the coverage analyses on the prepared (non-broken) rules and returns warnings/info diagnostics.
 * Never returns errors: a table with overlaps or gaps still compiles (UNIQUE/ANY conflicts surface at runtime too).
 */
export function analyzeCoverage(table: DecisionTable, columns: readonly PreparedColumn[], rules: readonly PreparedRule[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const spaceColumns = columns.map((col) => columnSpace(col, rules.map((r) => r.cells[col.index]?.test ?? { kind: "any" })));
  const space = new Space(spaceColumns);
  let limited = false;

  const boxes: RuleBox[] = rules.map((rule) => {
    const box = space.empty();
    for (const c of spaceColumns) {
      const cell = rule.cells[c.column.index];
      c.atoms.forEach((atom, a) => {
        if (cell === undefined || cell.predicate(atom.value)) space.set(box, c, a);
      });
    }
    return { rule, box };
  });

  // Unsatisfiable rules: some exact column where no value at all passes the cell.
  const satisfiable = boxes.filter(({ rule, box }) => {
    for (const c of spaceColumns) {
      if (c.exact && space.columnEmpty(box, c)) {
        const cell = rule.cells[c.column.index];
        diagnostics.push({
          ruleId: rule.id,
          column: c.column.field,
          side: "input",
          severity: "warning",
          code: "RULE_UNSATISFIABLE",
          message: `${rule.id} can never match: no value of ${c.column.field} passes ${JSON.stringify(cell?.text ?? "-")}`,
        });
        return false;
      }
    }
    return true;
  });

  if (table.hitPolicy === "FIRST") limited = shadowing(space, satisfiable, diagnostics) || limited;
  if (table.hitPolicy === "UNIQUE" || table.hitPolicy === "ANY") overlaps(space, table, satisfiable, diagnostics);
  limited = gaps(space, table, satisfiable, diagnostics) || limited;

  if (limited) {
    diagnostics.push({ severity: "info", code: "ANALYSIS_LIMIT", message: "the table is too fragmented for a complete coverage analysis; some shadowing or gap checks were skipped" });
  }
  return diagnostics;
}

/** Box used when proving that `earlier` covers `later`: inexact columns count only when provably covering. */
function provableCover(space: Space, earlier: RuleBox, later: RuleBox): Box {
  const box = earlier.box.slice();
  for (const c of space.columns) {
    if (c.exact) continue;
    const a = earlier.rule.cells[c.column.index];
    const b = later.rule.cells[c.column.index];
    const covers = a === undefined || a.test.kind === "any" || (b !== undefined && formatUnaryTest(a.test) === formatUnaryTest(b.test));
    for (let w = c.offset; w < c.offset + c.words; w++) box[w] = covers ? 0xffffffff : 0;
  }
  return box;
}

function shadowing(space: Space, rules: readonly RuleBox[], diagnostics: Diagnostic[]): boolean {
  let limited = false;
  for (let k = 0; k < rules.length; k++) {
    const later = rules[k] as RuleBox;
    const cover: Box[] = [];
    const by: string[] = [];
    for (let i = 0; i < k; i++) {
      const earlier = rules[i] as RuleBox;
      const box = provableCover(space, earlier, later);
      if (space.intersect(box, later.box) === null) continue;
      cover.push(box);
      by.push(earlier.rule.id);
    }
    if (cover.length === 0) continue;
    const remaining = space.minus([later.box], cover);
    if (remaining === null) {
      limited = true;
      if (space.budget < 0) break;
      continue;
    }
    if (remaining.length > 0) continue;
    // Name the earliest single rule that covers it, else a small covering set (drop rules that are not needed).
    const single = cover.findIndex((b) => space.subtract(later.box, b).length === 0);
    let keep = cover.map((_, i) => i);
    if (single >= 0) keep = [single];
    else if (cover.length <= MAX_PRUNE) {
      for (const i of [...keep]) {
        const without = keep.filter((j) => j !== i);
        const rest = space.minus([later.box], without.map((j) => cover[j] as Box));
        if (rest !== null && rest.length === 0) keep = without;
      }
    }
    const culprits = keep.map((i) => by[i] as string);
    diagnostics.push({
      ruleId: later.rule.id,
      severity: "warning",
      code: "RULE_SHADOWED",
      relatedRuleIds: culprits,
      message:
        culprits.length === 1
          ? `${later.rule.id} can never match: ${culprits[0]} comes first and matches every case it matches (FIRST hit policy)`
          : `${later.rule.id} can never match: earlier rules ${culprits.join(", ")} together match every case it matches (FIRST hit policy)`,
    });
  }
  return limited;
}

function overlaps(space: Space, table: DecisionTable, rules: readonly RuleBox[], diagnostics: Diagnostic[]): void {
  let reported = 0;
  let more = 0;
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i] as RuleBox;
      const b = rules[j] as RuleBox;
      if (table.hitPolicy === "ANY" && JSON.stringify(a.rule.outputs) === JSON.stringify(b.rule.outputs)) continue;
      const both = space.intersect(a.box, b.box);
      if (both === null) continue;
      if (reported >= MAX_OVERLAPS) {
        more++;
        continue;
      }
      reported++;
      const constrained = new Set<number>();
      for (const r of [a, b]) for (const cell of r.rule.cells) if (cell.test.kind !== "any") constrained.add(cell.column);
      const ex = example(space, both);
      const where = describeExample(space, ex, constrained);
      diagnostics.push({
        ruleId: b.rule.id,
        severity: "warning",
        code: "RULE_OVERLAP",
        relatedRuleIds: [a.rule.id],
        example: ex,
        message:
          table.hitPolicy === "UNIQUE"
            ? `${a.rule.id} and ${b.rule.id} both match${where} — UNIQUE allows one match (such leads get an error result)`
            : `${a.rule.id} and ${b.rule.id} both match${where} but give different outputs — ANY needs equal outputs (such leads get an error result)`,
      });
    }
  }
  if (more > 0) diagnostics.push({ severity: "info", code: "RULE_OVERLAP", message: `${more} more overlapping rule pairs not listed` });
}

function describeExample(space: Space, ex: Record<string, unknown>, only: ReadonlySet<number>): string {
  const parts: string[] = [];
  for (const c of space.columns) {
    if (!only.has(c.column.index)) continue;
    const v = ex[c.column.field];
    parts.push(v === null ? `${c.column.field} is missing` : `${c.column.field} = ${formatValue(c.column.input.type, c.column.normalize(v))}`);
  }
  return parts.length === 0 ? "" : ` when ${parts.join(", ")}`;
}

function gaps(space: Space, table: DecisionTable, rules: readonly RuleBox[], diagnostics: Diagnostic[]): boolean {
  // An empty table is reported as NO_RULES; every lead falling through says nothing more.
  if (table.rules.length === 0) return false;
  const present = space.empty();
  const withMissing = space.empty();
  for (const c of space.columns) {
    c.atoms.forEach((atom, a) => {
      if (!atom.inDomain) return;
      space.set(withMissing, c, a);
      if (!atom.isNull) space.set(present, c, a);
    });
  }
  // Bigger boxes first: a catch-all rule empties the universe in one step.
  const volume = (b: Box): number => space.columns.reduce((p, c) => p * space.atomsIn(b, c).length, 1);
  const cover = rules.map((r) => r.box).sort((x, y) => volume(y) - volume(x));
  const defaults = table.outputs.every((o) => o.default !== undefined);
  const noMatchNote = defaults ? "the outputs' defaults apply" : "such leads get no result";

  const uncovered = space.minus([present], cover);
  if (uncovered === null) return true;
  uncovered.slice(0, MAX_EXAMPLES).forEach((piece) => {
    const fractionalOnly = space.columns.some((c) => {
      const atoms = space.atomsIn(piece, c);
      return atoms.length > 0 && atoms.every((a) => (c.atoms[a] as Atom).fractional);
    });
    diagnostics.push({
      severity: defaults || fractionalOnly ? "info" : "warning",
      code: "TABLE_GAP",
      example: example(space, piece),
      message: `no rule matches ${describePiece(space, piece, present)}${fractionalOnly ? " (only non-whole numbers fall here)" : ""}: ${noMatchNote}`,
    });
  });
  if (uncovered.length > MAX_EXAMPLES) {
    diagnostics.push({ severity: "info", code: "TABLE_GAP", message: `${uncovered.length - MAX_EXAMPLES} more uncovered regions not listed` });
  }

  const missingOnly = space.minus([withMissing], [...cover, present]);
  if (missingOnly === null) return true;
  missingOnly.slice(0, MAX_EXAMPLES).forEach((piece) => {
    diagnostics.push({
      severity: "info",
      code: "TABLE_GAP_MISSING_FACT",
      example: example(space, piece),
      message: `no rule matches when ${describePiece(space, piece, withMissing)}: ${noMatchNote}`,
    });
  });
  if (missingOnly.length > MAX_EXAMPLES) {
    diagnostics.push({ severity: "info", code: "TABLE_GAP_MISSING_FACT", message: `${missingOnly.length - MAX_EXAMPLES} more uncovered combinations with missing facts not listed` });
  }
  return false;
}
