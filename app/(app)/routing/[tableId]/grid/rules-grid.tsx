"use client";

import { type DragEvent, type JSX, type KeyboardEvent, type ReactNode, useEffect, useId, useMemo, useRef, useState } from "react";
import {
  AGGREGATIONS,
  HIT_POLICIES,
  type Aggregation,
  type DecisionTable,
  type Diagnostic,
  type HitPolicy,
  type InputColumn,
  type OutputColumn,
  type Rule,
  parseUnaryTest,
} from "@/lib/decision-table";
import { CellEditor, type EditorMove } from "./cell-editor";
import {
  cellKey,
  columnKey,
  diagnosticSide,
  indexDiagnostics,
  inputSuggestions,
  outputSuggestions,
  outputText,
  parseOutputText,
  usedColumnValues,
  worstSeverity,
} from "./cells";
import { AddInputDialog, AddOutputDialog, LabelDialog } from "./column-dialogs";
import { DiagnosticsPanel } from "./diagnostics-panel";
import { GridMenu, type MenuAnchor, type MenuItem } from "./grid-menu";
import {
  addInputColumn,
  addOutputColumn,
  addRule,
  deleteRule,
  duplicateRule,
  moveRule,
  removeColumn,
  setAggregation,
  setAnnotation,
  setColumnLabel,
  setHitPolicy,
  setInputCell,
  setOutputCell,
} from "./grid-ops";

export interface FactFieldOption {
  field: string;
  label: string;
  type: "string" | "number" | "boolean" | "string[]" | "date";
  /** Observed values, for autocomplete. */
  values: string[];
}

export interface RulesGridProps {
  /** The draft being edited (already parsed). Never mutated. */
  definition: DecisionTable;
  /** Called with a new immutable table on every edit. */
  onChange(next: DecisionTable): void;
  /** View only: no editors, no toolbar actions, no row or column menus. */
  readOnly: boolean;
  /** What input columns can be bound to. */
  factFields: FactFieldOption[];
  /** Autocomplete for output columns, e.g. `{ route: ["sales_na", …] }`. */
  outputValues: Record<string, string[]>;
  /** From check(definition); shown inline and in the panel under the grid. */
  diagnostics: Diagnostic[];
  /** Rules to mark with a subtle accent (e.g. changed vs the published version). */
  highlightRuleIds?: string[];
  /** Ctrl/Cmd+Z and the Undo button. */
  onUndo?(): void;
  /** Ctrl/Cmd+Shift+Z, Ctrl+Y and the Redo button. */
  onRedo?(): void;
  canUndo?: boolean;
  canRedo?: boolean;
}

type GridColumn =
  | { kind: "rule"; key: "#rule" }
  | { kind: "input"; key: string; input: InputColumn; first: boolean }
  | { kind: "output"; key: string; output: OutputColumn; first: boolean }
  | { kind: "annotation"; key: "#annotation" };

/** Row 0 is the header row; row r ≥ 1 is rule r − 1. Column 0 is the rule column. */
interface Pos {
  r: number;
  c: number;
}

interface Editing extends Pos {
  text: string;
  typed: boolean;
}

/** `cell`: the data-pos of the cell the menu belongs to (it follows that cell when the grid scrolls). */
type MenuState = ({ kind: "row"; rule: number } | { kind: "column"; c: number }) & { anchor: MenuAnchor; cell: string };

type DialogState = { kind: "addInput" } | { kind: "addOutput" } | { kind: "label"; side: "input" | "output"; key: string; current: string };

interface DragState {
  from: number;
  over: number | null;
  after: boolean;
}

const PAGE_ROWS = 10;

function buildColumns(table: DecisionTable): GridColumn[] {
  return [
    { kind: "rule", key: "#rule" },
    ...table.inputs.map((input, i): GridColumn => ({ kind: "input", key: input.field, input, first: i === 0 })),
    ...table.outputs.map((output, i): GridColumn => ({ kind: "output", key: output.name, output, first: i === 0 })),
    { kind: "annotation", key: "#annotation" },
  ];
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, n));
}

function columnTitle(col: GridColumn): string {
  switch (col.kind) {
    case "rule": return "Rule";
    case "input": return col.input.label || col.input.field;
    case "output": return col.output.label || col.output.name;
    case "annotation": return "Annotation";
  }
}

/** The column name used in test ids and editor labels. */
function columnName(col: GridColumn): string {
  return col.kind === "input" ? col.input.field : col.kind === "output" ? col.output.name : col.kind === "annotation" ? "annotation" : "rule";
}

function anchorOf(el: Element | null | undefined): MenuAnchor {
  const r = el?.getBoundingClientRect();
  return r ? { top: r.top, bottom: r.bottom, left: r.left } : { top: 0, bottom: 0, left: 0 };
}

function messages(list: readonly Diagnostic[] | undefined): string {
  return (list ?? []).map((d) => `${d.severity === "info" ? "Info" : d.severity === "warning" ? "Warning" : "Error"}: ${d.message}`).join("\n");
}

/** Cell text with the span an error points at marked. */
function markedText(text: string, diags: readonly Diagnostic[] | undefined): ReactNode {
  const at = diags?.find((d) => d.position && d.position.end > d.position.start && d.position.end <= text.length)?.position;
  if (!at) return text;
  return (
    <>
      {text.slice(0, at.start)}
      <mark className="dt-mark">{text.slice(at.start, at.end)}</mark>
      {text.slice(at.end)}
    </>
  );
}

/**
 * The spreadsheet-like decision-table editor: one row per rule, one column per input (condition) and output
 * (conclusion), then the annotation. A pure client component: it edits `definition` through `onChange` only.
 *
 * Keyboard: arrows/Home/End/PageUp/PageDown (Ctrl+Home/End) move between cells; Enter, F2 or typing edits a cell;
 * Enter commits and moves down, Tab right, Escape cancels; Delete/Backspace clears a cell (`-` for inputs);
 * Alt+↑/↓ moves the rule; Enter on the rule number or a column header, Shift+F10 or the context-menu key opens
 * the rule or column actions; Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z or Ctrl+Y redoes.
 */
export function RulesGrid(props: RulesGridProps): JSX.Element {
  const { definition: table, onChange, readOnly, factFields, outputValues, diagnostics, highlightRuleIds, onUndo, onRedo, canUndo = false, canRedo = false } = props;
  const gridId = useId();
  const tableRef = useRef<HTMLTableElement>(null);
  const pendingFocus = useRef(false);
  const columns = useMemo(() => buildColumns(table), [table]);
  const index = useMemo(() => indexDiagnostics(table, diagnostics), [table, diagnostics]);
  const highlighted = useMemo(() => new Set(highlightRuleIds ?? []), [highlightRuleIds]);
  const rowKeys = useMemo(() => {
    const seen = new Map<string, number>();
    return table.rules.map((r) => {
      const n = seen.get(r.id) ?? 0;
      seen.set(r.id, n + 1);
      return n === 0 ? r.id : `${r.id}#${n}`;
    });
  }, [table.rules]);

  const rowCount = table.rules.length + 1;
  const [rawActive, setActive] = useState<Pos>({ r: table.rules.length > 0 ? 1 : 0, c: 1 });
  const active: Pos = { r: clamp(rawActive.r, 0, rowCount - 1), c: clamp(rawActive.c, 0, columns.length - 1) };
  const [editing, setEditing] = useState<Editing | null>(null);
  const [menu, setMenu] = useState<MenuState | null>(null);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [drag, setDrag] = useState<DragState | null>(null);
  const [announcement, setAnnouncement] = useState("");

  // Keyboard moves focus after the render that made the target cell active (it may be a new row).
  useEffect(() => {
    if (!pendingFocus.current) return;
    pendingFocus.current = false;
    const el = tableRef.current?.querySelector<HTMLElement>(`[data-pos="${active.r}:${active.c}"]`);
    if (!el) return;
    if (document.activeElement !== el) el.focus();
    el.scrollIntoView?.({ block: "nearest", inline: "nearest" });
  });

  /** Makes a cell active and focuses it after the next render (indices are clamped to the grid at render time). */
  const focusCell = (r: number, c: number) => {
    setActive({ r: Math.max(0, r), c: Math.max(0, c) });
    pendingFocus.current = true;
  };
  const refocus = () => {
    pendingFocus.current = true;
    setActive((p) => ({ ...p }));
  };

  const change = (next: DecisionTable) => {
    if (next !== table) onChange(next);
  };

  const editable = (pos: Pos) => !readOnly && pos.r > 0 && pos.c > 0;

  // ------------------------------------------------------------------ diagnostics lookups
  const cellDiags = (rule: Rule, col: GridColumn): Diagnostic[] | undefined =>
    col.kind === "input" || col.kind === "output" ? index.cells.get(cellKey(rule.id, col.kind, col.key)) : undefined;
  const headerDiags = (col: GridColumn): Diagnostic[] | undefined =>
    col.kind === "input" || col.kind === "output" ? index.columns.get(columnKey(col.kind, col.key)) : undefined;

  /** Where a diagnostic points in the grid, or null (table-level). */
  const positionOf = (d: Diagnostic): Pos | null => {
    const side = diagnosticSide(table, d);
    const c = d.column !== undefined && side ? columns.findIndex((col) => col.kind === side && col.key === d.column) : 0;
    if (d.ruleId !== undefined) {
      const r = table.rules.findIndex((rule) => rule.id === d.ruleId);
      return r < 0 ? null : { r: r + 1, c: Math.max(0, c) };
    }
    return c > 0 ? { r: 0, c } : null;
  };

  // ------------------------------------------------------------------ edits
  const announce = (text: string) => setAnnouncement(text);

  const moveRuleTo = (from: number, to: number, c: number) => {
    const rule = table.rules[from];
    const target = clamp(to, 0, table.rules.length - 1);
    if (!rule || target === from) return;
    change(moveRule(table, from, target));
    focusCell(target + 1, c);
    announce(`Rule ${rule.id} moved to position ${target + 1}`);
  };

  const insertRule = (at: number) => {
    change(addRule(table, at));
    focusCell(at + 1, 1);
    announce(`Rule added at position ${at + 1}`);
  };

  const duplicate = (i: number, c: number) => {
    const next = duplicateRule(table, i);
    change(next);
    focusCell(i + 2, c);
    announce(`Rule ${table.rules[i]?.id ?? ""} duplicated as ${next.rules[i + 1]?.id ?? ""}`);
  };

  const remove = (i: number, c: number) => {
    const rule = table.rules[i];
    if (!rule) return;
    change(deleteRule(table, i));
    focusCell(Math.min(i + 1, table.rules.length - 1), c);
    announce(`Rule ${rule.id} deleted`);
  };

  const clearCell = (pos: Pos) => {
    const col = columns[pos.c];
    const i = pos.r - 1;
    if (!col || !table.rules[i]) return;
    if (col.kind === "input") change(setInputCell(table, i, col.key, "-"));
    else if (col.kind === "output") change(setOutputCell(table, i, col.key, undefined));
    else if (col.kind === "annotation") change(setAnnotation(table, i, ""));
  };

  const commitEdit = (edit: Editing, text: string, move: EditorMove, refocusCell: boolean) => {
    const col = columns[edit.c];
    const i = edit.r - 1;
    setEditing(null);
    if (col?.kind === "input") change(setInputCell(table, i, col.key, text));
    else if (col?.kind === "output") {
      const parsed = parseOutputText(col.output.type, text);
      if (parsed.ok) change(setOutputCell(table, i, col.key, parsed.value));
    } else if (col?.kind === "annotation") change(setAnnotation(table, i, text));
    const last = columns.length - 1;
    if (move === "down") focusCell(Math.min(edit.r + 1, rowCount - 1), edit.c);
    else if (move === "up") focusCell(Math.max(edit.r - 1, 1), edit.c);
    else if (move === "right") {
      if (edit.c < last) focusCell(edit.r, edit.c + 1);
      else focusCell(edit.r < rowCount - 1 ? edit.r + 1 : edit.r, edit.r < rowCount - 1 ? 1 : edit.c);
    } else if (move === "left") {
      if (edit.c > 1) focusCell(edit.r, edit.c - 1);
      else focusCell(edit.r > 1 ? edit.r - 1 : edit.r, edit.r > 1 ? last : edit.c);
    } else if (refocusCell) focusCell(edit.r, edit.c);
  };

  const startEdit = (pos: Pos, text: string | null) => {
    if (!editable(pos)) return;
    const col = columns[pos.c];
    const rule = table.rules[pos.r - 1];
    if (!col || !rule) return;
    const current = col.kind === "input" ? (rule.when[col.key] ?? "-") : col.kind === "output" ? outputText(rule.then[col.key]) : (rule.annotation ?? "");
    setMenu(null);
    setActive(pos);
    setEditing({ ...pos, text: text ?? current, typed: text !== null });
  };

  // ------------------------------------------------------------------ menus
  const openRowMenu = (i: number, el: Element | null | undefined) => {
    if (readOnly || !table.rules[i]) return;
    setMenu({ kind: "row", rule: i, anchor: anchorOf(el), cell: `${i + 1}:0` });
  };
  const openColumnMenu = (c: number, el: Element | null | undefined) => {
    const col = columns[c];
    if (readOnly || !col || (col.kind !== "input" && col.kind !== "output")) return;
    setMenu({ kind: "column", c, anchor: anchorOf(el), cell: `0:${c}` });
  };
  /** Keeps an open menu next to its cell while the grid scrolls. */
  const followMenu = () => {
    if (!menu) return;
    const anchor = anchorOf(tableRef.current?.querySelector(`[data-pos="${menu.cell}"]`));
    if (anchor.top !== menu.anchor.top || anchor.left !== menu.anchor.left) setMenu({ ...menu, anchor });
  };
  const closeMenu = (refocusCell: boolean) => {
    setMenu(null);
    if (refocusCell) refocus();
  };
  const run = (fn: () => void) => () => {
    setMenu(null);
    fn();
  };

  const menuItems = (m: MenuState): MenuItem[] => {
    if (m.kind === "row") {
      const i = m.rule;
      const c = active.c;
      return [
        { label: "Insert rule below", onSelect: run(() => insertRule(i + 1)) },
        { label: "Duplicate", onSelect: run(() => duplicate(i, c)) },
        { label: "Move up", shortcut: "Alt+↑", disabled: i === 0, reason: "Already the first rule", onSelect: run(() => moveRuleTo(i, i - 1, c)) },
        { label: "Move down", shortcut: "Alt+↓", disabled: i >= table.rules.length - 1, reason: "Already the last rule", onSelect: run(() => moveRuleTo(i, i + 1, c)) },
        { label: "Delete rule", danger: true, onSelect: run(() => remove(i, c)) },
      ];
    }
    const col = columns[m.c];
    if (!col || (col.kind !== "input" && col.kind !== "output")) return [];
    const side = col.kind;
    const current = col.kind === "input" ? (col.input.label ?? "") : (col.output.label ?? "");
    const lastOutput = side === "output" && table.outputs.length <= 1;
    return [
      { label: "Edit label…", onSelect: run(() => setDialog({ kind: "label", side, key: col.key, current })) },
      {
        label: "Remove column",
        danger: true,
        disabled: lastOutput,
        reason: "A decision table needs at least one output",
        onSelect: run(() => {
          change(removeColumn(table, side, col.key));
          focusCell(active.r, Math.min(m.c, columns.length - 2));
          announce(`Column ${col.key} removed`);
        }),
      },
    ];
  };

  // ------------------------------------------------------------------ keyboard
  const onRootKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (readOnly || target.closest("input, textarea, select, dialog")) return;
    const mod = e.ctrlKey || e.metaKey;
    if (!mod || e.altKey) return;
    const key = e.key.toLowerCase();
    if (key === "z" && !e.shiftKey && onUndo) {
      e.preventDefault();
      if (canUndo) onUndo();
    } else if (((key === "z" && e.shiftKey) || (key === "y" && e.ctrlKey && !e.shiftKey)) && onRedo) {
      e.preventDefault();
      if (canRedo) onRedo();
    }
  };

  const onCellKeyDown = (e: KeyboardEvent<HTMLElement>, pos: Pos) => {
    if (e.target !== e.currentTarget) return;
    const { r, c } = pos;
    const mod = e.ctrlKey || e.metaKey;
    const lastRow = rowCount - 1;
    const lastCol = columns.length - 1;
    const ruleIndex = r - 1;
    const go = (row: number, col: number) => focusCell(clamp(row, 0, lastRow), clamp(col, 0, lastCol));
    const openMenu = () => (r === 0 ? openColumnMenu(c, e.currentTarget) : openRowMenu(ruleIndex, e.currentTarget));
    let handled = true;
    switch (e.key) {
      case "ArrowUp":
        if (e.altKey) {
          if (!readOnly && r > 0) moveRuleTo(ruleIndex, ruleIndex - 1, c);
        } else go(r - 1, c);
        break;
      case "ArrowDown":
        if (e.altKey) {
          if (!readOnly && r > 0) moveRuleTo(ruleIndex, ruleIndex + 1, c);
        } else go(r + 1, c);
        break;
      case "ArrowLeft": go(r, c - 1); break;
      case "ArrowRight": go(r, c + 1); break;
      case "Home": go(mod ? 0 : r, 0); break;
      case "End": go(mod ? lastRow : r, lastCol); break;
      case "PageUp": go(r - PAGE_ROWS, c); break;
      case "PageDown": go(r + PAGE_ROWS, c); break;
      case "Enter":
      case "F2":
        if (r === 0 || c === 0) openMenu();
        else startEdit(pos, null);
        break;
      case " ":
        if (r === 0 || c === 0) openMenu();
        break;
      case "ContextMenu":
        if (r === 0) openMenu();
        else openRowMenu(ruleIndex, e.currentTarget);
        break;
      case "F10":
        if (!e.shiftKey) handled = false;
        else if (r === 0) openMenu();
        else openRowMenu(ruleIndex, e.currentTarget);
        break;
      case "Delete":
      case "Backspace":
        if (editable(pos)) clearCell(pos);
        break;
      default:
        if (e.key.length === 1 && !mod && !e.altKey && editable(pos)) startEdit(pos, e.key);
        else handled = false;
    }
    if (handled) e.preventDefault();
  };

  // ------------------------------------------------------------------ drag and drop
  const dropIndex = (d: DragState): number | null => {
    if (d.over === null) return null;
    const insertAt = d.over + (d.after ? 1 : 0);
    const to = insertAt > d.from ? insertAt - 1 : insertAt;
    return to === d.from ? null : to;
  };

  const onRowDragOver = (e: DragEvent<HTMLTableRowElement>, i: number) => {
    if (!drag) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    const box = e.currentTarget.getBoundingClientRect();
    const after = e.clientY > box.top + box.height / 2;
    if (drag.over !== i || drag.after !== after) setDrag({ ...drag, over: i, after });
  };

  const onRowDrop = (e: DragEvent<HTMLTableRowElement>) => {
    if (!drag) return;
    e.preventDefault();
    const to = dropIndex(drag);
    setDrag(null);
    if (to !== null) moveRuleTo(drag.from, to, 0);
  };

  // ------------------------------------------------------------------ render
  const unusedFields = factFields.filter((f) => !table.inputs.some((i) => i.field === f.field));
  const target = drag ? dropIndex(drag) : null;
  const activeCol = columns[active.c];
  const activeRule = active.r > 0 ? table.rules[active.r - 1] : undefined;
  const statusDiags: Diagnostic[] = activeCol
    ? active.r === 0
      ? (headerDiags(activeCol) ?? [])
      : activeRule
        ? [...(cellDiags(activeRule, activeCol) ?? []), ...(index.rules.get(activeRule.id) ?? [])]
        : []
    : [];

  const describeId = (r: number, c: number) => `${gridId}-d-${r}-${c}`;

  const editorFor = (edit: Editing, rule: Rule, col: GridColumn, describedBy: string | undefined) => {
    const name = columnName(col);
    const common = {
      label: `${rule.id} ${name}`,
      initialText: edit.text,
      typed: edit.typed,
      describedBy,
      onCommit: (text: string, move: EditorMove, refocusCell: boolean) => commitEdit(edit, text, move, refocusCell),
      onCancel: (refocusCell: boolean) => {
        setEditing(null);
        if (refocusCell) focusCell(edit.r, edit.c);
      },
    };
    if (col.kind === "input") {
      const known = [...(factFields.find((f) => f.field === col.key)?.values ?? []), ...usedColumnValues(table, col.input)];
      const type = col.input.type;
      return (
        <CellEditor
          {...common}
          suggestions={inputSuggestions(col.input, known)}
          listAware={type === "string" || type === "string[]"}
          hint={(text) => {
            const parsed = parseUnaryTest(text, type);
            return parsed.ok ? null : parsed.error.message;
          }}
        />
      );
    }
    if (col.kind === "output") {
      const used = table.rules.map((r) => r.then[col.key]).filter((v) => v !== undefined);
      const outputType = col.output.type;
      return (
        <CellEditor
          {...common}
          suggestions={outputSuggestions(col.output, outputValues[col.key] ?? [], used)}
          listAware={false}
          validate={(text) => {
            const parsed = parseOutputText(outputType, text);
            return parsed.ok ? null : parsed.message;
          }}
        />
      );
    }
    return <CellEditor {...common} suggestions={[]} listAware={false} />;
  };

  const headerCell = (col: GridColumn, c: number) => {
    const isActive = active.r === 0 && active.c === c;
    const diags = headerDiags(col);
    const severity = worstSeverity(diags);
    const classes = ["dt-th", `dt-th-${col.kind}`];
    if (c === 0) classes.push("dt-sticky-col");
    if ((col.kind === "input" || col.kind === "output") && col.first) classes.push(col.kind === "output" ? "dt-sep" : "dt-first-input");
    if (severity) classes.push(`dt-has-${severity}`);
    const menuButton = !readOnly && (col.kind === "input" || col.kind === "output") ? (
      <button
        type="button"
        tabIndex={-1}
        className="dt-menu-btn"
        aria-label={`Column ${col.key} actions`}
        aria-haspopup="menu"
        onClick={(e) => {
          setActive({ r: 0, c });
          openColumnMenu(c, e.currentTarget.closest("th"));
        }}
      >
        ⋯
      </button>
    ) : null;
    return (
      <th
        key={`${col.kind}:${col.key}`}
        role="columnheader"
        scope="col"
        aria-colindex={c + 1}
        tabIndex={isActive ? 0 : -1}
        data-pos={`0:${c}`}
        data-testid={col.kind === "input" || col.kind === "output" ? `col-${col.key}` : undefined}
        className={classes.join(" ")}
        title={diags ? messages(diags) : undefined}
        aria-describedby={diags ? describeId(0, c) : undefined}
        aria-haspopup={menuButton ? "menu" : undefined}
        onFocus={() => setActive({ r: 0, c })}
        onKeyDown={(e) => onCellKeyDown(e, { r: 0, c })}
      >
        {col.kind === "rule" ? (
          <span className="dt-colhead"><span className="dt-colname">Rule</span></span>
        ) : col.kind === "annotation" ? (
          <span className="dt-colhead"><span className="dt-colname">Annotation</span></span>
        ) : (
          <span className="dt-colhead">
            <span className="dt-colname-line">
              <span className="dt-kind" aria-hidden>{col.kind === "input" ? "if" : "then"}</span>
              <span className="dt-colname">{columnTitle(col)}</span>
              {severity ? <span className={`dt-sev-icon dt-sev-${severity}`} aria-hidden>{severity === "info" ? "i" : "!"}</span> : null}
              {menuButton}
            </span>
            <span className="dt-colmeta">
              {(col.kind === "input" ? col.input.label : col.output.label) ? <span className="mono">{col.key}</span> : null}
              <span className="dt-type">{col.kind === "input" ? col.input.type : col.output.type}</span>
            </span>
          </span>
        )}
        {diags ? <span id={describeId(0, c)} className="sr-only">{messages(diags)}</span> : null}
      </th>
    );
  };

  const ruleHeaderCell = (rule: Rule, i: number) => {
    const r = i + 1;
    const isActive = active.r === r && active.c === 0;
    const diags = index.rules.get(rule.id);
    const severity = worstSeverity(diags);
    const marked = highlighted.has(rule.id);
    const classes = ["dt-rowhead", "dt-sticky-col"];
    if (severity) classes.push(`dt-has-${severity}`);
    const described = [diags ? describeId(r, 0) : null, marked ? `${gridId}-marked` : null].filter(Boolean).join(" ");
    return (
      <th
        key="#rule"
        role="rowheader"
        scope="row"
        aria-colindex={1}
        tabIndex={isActive ? 0 : -1}
        data-pos={`${r}:0`}
        data-testid={`rule-${rule.id}`}
        className={classes.join(" ")}
        title={diags ? messages(diags) : undefined}
        aria-describedby={described || undefined}
        aria-haspopup={readOnly ? undefined : "menu"}
        onFocus={() => setActive({ r, c: 0 })}
        onKeyDown={(e) => onCellKeyDown(e, { r, c: 0 })}
      >
        <span className="dt-rowhead-inner">
          {!readOnly ? (
            <span
              className="dt-handle"
              draggable
              aria-hidden
              title="Drag to reorder (or Alt+↑ / Alt+↓)"
              onDragStart={(e) => {
                e.dataTransfer.effectAllowed = "move";
                e.dataTransfer.setData("text/plain", rule.id);
                const tr = e.currentTarget.closest("tr");
                if (tr) e.dataTransfer.setDragImage(tr, 12, 12);
                setMenu(null);
                setDrag({ from: i, over: null, after: false });
              }}
              onDragEnd={() => setDrag(null)}
            >
              ⠿
            </span>
          ) : null}
          <span className="dt-num" aria-hidden>{r}</span>
          <span className="dt-id mono">{rule.id}</span>
          {severity ? (
            <span className={`dt-rule-badge dt-sev-${severity}`} aria-hidden data-testid={`rule-badge-${rule.id}`}>
              {severity === "info" ? "i" : "!"}
            </span>
          ) : null}
          {!readOnly ? (
            <button
              type="button"
              tabIndex={-1}
              className="dt-menu-btn"
              aria-label={`Rule ${rule.id} actions`}
              aria-haspopup="menu"
              onClick={(e) => {
                setActive({ r, c: 0 });
                openRowMenu(i, e.currentTarget.closest("th"));
              }}
            >
              ⋯
            </button>
          ) : null}
        </span>
        {diags ? <span id={describeId(r, 0)} className="sr-only">{messages(diags)}</span> : null}
        {diags ? <span className={`dt-tip dt-tip-${severity ?? "info"}`} aria-hidden>{messages(diags)}</span> : null}
      </th>
    );
  };

  const dataCell = (rule: Rule, i: number, col: GridColumn, c: number) => {
    const r = i + 1;
    const isActive = active.r === r && active.c === c;
    const isEditing = editing !== null && editing.r === r && editing.c === c;
    const diags = cellDiags(rule, col);
    const severity = worstSeverity(diags);
    const classes = ["dt-cell", `dt-cell-${col.kind}`];
    if ((col.kind === "input" || col.kind === "output") && col.first) classes.push(col.kind === "output" ? "dt-sep" : "dt-first-input");
    if (severity) classes.push(`dt-has-${severity}`);
    if (isEditing) classes.push("dt-editing");
    const name = columnName(col);
    const describedBy = diags ? describeId(r, c) : undefined;

    let content: ReactNode;
    let fullText = "";
    if (col.kind === "input") {
      const text = rule.when[col.key] ?? "-";
      fullText = text;
      content = text.trim() === "-" || text.trim() === "" ? <span className="dt-any">-</span> : markedText(text, diags?.filter((d) => d.severity === "error"));
    } else if (col.kind === "output") {
      const value = rule.then[col.key];
      fullText = outputText(value);
      content = value === undefined || value === null ? <span className="dt-empty" aria-label="no value">—</span> : typeof value === "string" && col.output.type !== "string" ? <span className="mono">{JSON.stringify(value)}</span> : String(value);
    } else {
      fullText = rule.annotation ?? "";
      content = fullText;
    }
    const title = diags ? messages(diags) : fullText.length > 24 ? fullText : undefined;

    return (
      <td
        key={`${col.kind}:${col.key}`}
        role="gridcell"
        aria-colindex={c + 1}
        tabIndex={isActive && !isEditing ? 0 : -1}
        data-pos={`${r}:${c}`}
        data-testid={col.kind === "annotation" ? `annotation-${rule.id}` : `cell-${rule.id}-${name}`}
        data-severity={severity}
        aria-invalid={severity === "error" ? true : undefined}
        aria-readonly={readOnly ? true : undefined}
        aria-describedby={describedBy}
        className={classes.join(" ")}
        title={isEditing ? undefined : title}
        onFocus={(e) => {
          if (e.target === e.currentTarget) setActive({ r, c });
        }}
        onDoubleClick={() => startEdit({ r, c }, null)}
        onKeyDown={(e) => onCellKeyDown(e, { r, c })}
      >
        <span className={`dt-value${isEditing ? " dt-hidden" : ""}`}>{content}</span>
        {isEditing && editing ? editorFor(editing, rule, col, describedBy) : null}
        {diags ? <span id={describedBy} className="sr-only">{messages(diags)}</span> : null}
      </td>
    );
  };

  const menuLabel = menu?.kind === "row" ? `Rule ${table.rules[menu.rule]?.id ?? ""} actions` : menu ? `Column ${columns[menu.c]?.key ?? ""} actions` : "";

  return (
    <div className="dt-root" onKeyDown={onRootKeyDown}>
      <div className="dt-toolbar">
        <div className="dt-toolbar-group">
          <label htmlFor={`${gridId}-policy`}>Hit policy</label>
          {readOnly ? (
            <span className="badge" id={`${gridId}-policy`}>{table.hitPolicy}{table.aggregation ? ` · ${table.aggregation}` : ""}</span>
          ) : (
            <>
              <select id={`${gridId}-policy`} value={table.hitPolicy} onChange={(e) => change(setHitPolicy(table, e.target.value as HitPolicy))}>
                {HIT_POLICIES.map((p) => <option key={p} value={p}>{p}</option>)}
              </select>
              {table.hitPolicy === "COLLECT" ? (
                <>
                  <label htmlFor={`${gridId}-aggregation`} className="sr-only">Aggregation</label>
                  <select
                    id={`${gridId}-aggregation`}
                    value={table.aggregation ?? ""}
                    onChange={(e) => change(setAggregation(table, e.target.value === "" ? undefined : (e.target.value as Aggregation)))}
                  >
                    <option value="">List (no aggregation)</option>
                    {AGGREGATIONS.map((a) => <option key={a} value={a}>{a}</option>)}
                  </select>
                </>
              ) : null}
            </>
          )}
        </div>
        {!readOnly ? (
          <div className="dt-toolbar-group">
            <button type="button" className="btn btn-sm" onClick={() => insertRule(table.rules.length)}>+ Add rule</button>
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => setDialog({ kind: "addInput" })}
              disabled={unusedFields.length === 0}
              title={unusedFields.length === 0 ? "Every fact field is already a column" : undefined}
            >
              + Add input column
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setDialog({ kind: "addOutput" })}>+ Add output column</button>
          </div>
        ) : null}
        {!readOnly && (onUndo || onRedo) ? (
          <div className="dt-toolbar-group">
            {onUndo ? (
              <button type="button" className="btn btn-sm" onClick={onUndo} disabled={!canUndo} aria-keyshortcuts="Control+Z Meta+Z" title="Undo (Ctrl/⌘+Z)">↶ Undo</button>
            ) : null}
            {onRedo ? (
              <button type="button" className="btn btn-sm" onClick={onRedo} disabled={!canRedo} aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y" title="Redo (Ctrl/⌘+Shift+Z, Ctrl+Y)">↷ Redo</button>
            ) : null}
          </div>
        ) : null}
      </div>

      <div className="dt-status" id={`${gridId}-status`}>
        {statusDiags.length > 0 ? (
          statusDiags.map((d, k) => (
            <span key={k} className={`dt-status-item dt-text-${d.severity}`}>
              <span className={`dt-sev-icon dt-sev-${d.severity}`} aria-hidden>{d.severity === "info" ? "i" : "!"}</span>
              {d.message}
            </span>
          ))
        ) : (
          <span className="muted">
            {readOnly
              ? "Read only. Arrow keys move between cells."
              : <>Type or <kbd>Enter</kbd> to edit · <kbd>Delete</kbd> clears · <kbd>Alt</kbd>+<kbd>↑</kbd>/<kbd>↓</kbd> moves a rule · <kbd>Enter</kbd> on a rule number or header for actions</>}
          </span>
        )}
      </div>

      <div className="dt-scroll" onScroll={followMenu}>
        <table
          ref={tableRef}
          role="grid"
          className="dt-grid"
          aria-label={`Rules of ${table.name}`}
          aria-rowcount={rowCount}
          aria-colcount={columns.length}
          aria-readonly={readOnly ? true : undefined}
          data-testid="rules-grid"
        >
          <thead>
            <tr role="row" aria-rowindex={1}>{columns.map((col, c) => headerCell(col, c))}</tr>
          </thead>
          <tbody>
            {table.rules.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="dt-empty-row">No rules yet.{readOnly ? "" : " Use “Add rule” to start."}</td>
              </tr>
            ) : (
              table.rules.map((rule, i) => {
                const classes = ["dt-row"];
                if (highlighted.has(rule.id)) classes.push("dt-row-marked");
                if (drag?.from === i) classes.push("dt-row-dragging");
                if (drag && drag.over === i && target !== null) classes.push(drag.after ? "dt-drop-after" : "dt-drop-before");
                if (active.r === i + 1) classes.push("dt-row-active");
                return (
                  <tr
                    key={rowKeys[i]}
                    role="row"
                    aria-rowindex={i + 2}
                    data-testid={`row-${rule.id}`}
                    data-highlighted={highlighted.has(rule.id) ? "true" : undefined}
                    className={classes.join(" ")}
                    onDragOver={(e) => onRowDragOver(e, i)}
                    onDrop={onRowDrop}
                  >
                    {columns.map((col, c) => (c === 0 ? ruleHeaderCell(rule, i) : dataCell(rule, i, col, c)))}
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      <span id={`${gridId}-marked`} className="sr-only">Highlighted rule</span>
      <div className="sr-only" aria-live="polite">{announcement}</div>

      <DiagnosticsPanel
        diagnostics={diagnostics}
        locate={(d) => {
          const pos = positionOf(d);
          if (!pos) return null;
          const col = columns[pos.c];
          if (pos.r === 0) return col ? `Column ${columnTitle(col)}` : null;
          const rule = table.rules[pos.r - 1];
          return rule ? (pos.c > 0 && col ? `${rule.id} · ${columnName(col)}` : rule.id) : null;
        }}
        onJump={(d) => {
          const pos = positionOf(d);
          if (pos) focusCell(pos.r, pos.c);
        }}
      />

      {menu ? <GridMenu label={menuLabel} anchor={menu.anchor} items={menuItems(menu)} onClose={closeMenu} /> : null}

      {dialog?.kind === "addInput" ? (
        <AddInputDialog
          options={unusedFields}
          onClose={() => {
            setDialog(null);
            refocus();
          }}
          onAdd={(f) => {
            setDialog(null);
            change(addInputColumn(table, { field: f.field, type: f.type, ...(f.label && f.label !== f.field ? { label: f.label } : {}) }));
            focusCell(0, table.inputs.length + 1);
            announce(`Input column ${f.field} added`);
          }}
        />
      ) : dialog?.kind === "addOutput" ? (
        <AddOutputDialog
          taken={table.outputs.map((o) => o.name)}
          onClose={() => {
            setDialog(null);
            refocus();
          }}
          onAdd={(column) => {
            setDialog(null);
            change(addOutputColumn(table, column));
            focusCell(0, table.inputs.length + table.outputs.length + 1);
            announce(`Output column ${column.name} added`);
          }}
        />
      ) : dialog?.kind === "label" ? (
        <LabelDialog
          column={dialog.key}
          current={dialog.current}
          onClose={() => {
            setDialog(null);
            refocus();
          }}
          onSave={(label) => {
            setDialog(null);
            change(setColumnLabel(table, dialog.side, dialog.key, label));
            refocus();
          }}
        />
      ) : null}
    </div>
  );
}
