"use client";

import { useId, useState } from "react";
import { OUTPUT_TYPES, type OutputType } from "@/lib/decision-table";
import { DialogActions, ModalDialog } from "../../../../_components/dialog";
import type { FactFieldOption } from "./rules-grid";

/** Pick a fact field not yet used as an input column; the column's type is the field's type. */
export function AddInputDialog({ options, onAdd, onClose }: {
  options: FactFieldOption[];
  onAdd(option: FactFieldOption): void;
  onClose(): void;
}) {
  const id = useId();
  const [field, setField] = useState(options[0]?.field ?? "");
  const chosen = options.find((o) => o.field === field);
  return (
    <ModalDialog labelledBy={`${id}-title`} onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen) onAdd(chosen);
        }}
      >
        <div className="card-head"><h2 id={`${id}-title`}>Add input column</h2></div>
        <div className="card-body stack">
          <p className="muted small" style={{ margin: 0 }}>The column tests a lead fact. Every rule starts with <code>-</code> (any value) in it.</p>
          <div className="field">
            <label htmlFor={`${id}-field`}>Fact field</label>
            <select id={`${id}-field`} value={field} onChange={(e) => setField(e.target.value)} autoFocus>
              {options.map((o) => (
                <option key={o.field} value={o.field}>{o.label && o.label !== o.field ? `${o.label} (${o.field})` : o.field} · {o.type}</option>
              ))}
            </select>
          </div>
          {chosen && chosen.values.length > 0 ? (
            <p className="muted small" style={{ margin: 0 }}>Seen values: {chosen.values.slice(0, 8).join(", ")}{chosen.values.length > 8 ? ", …" : ""}</p>
          ) : null}
        </div>
        <DialogActions onCancel={onClose}>
          <button type="submit" className="btn btn-primary" disabled={!chosen}>Add column</button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}

/** Name and type of a new output column. */
export function AddOutputDialog({ taken, onAdd, onClose }: {
  taken: readonly string[];
  onAdd(column: { name: string; type: OutputType; label?: string }): void;
  onClose(): void;
}) {
  const id = useId();
  const [name, setName] = useState("");
  const [type, setType] = useState<OutputType>("string");
  const [label, setLabel] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const trimmed = name.trim();
  const problem = trimmed === "" ? "Enter a name." : trimmed === "__proto__" ? "That name is reserved." : taken.includes(trimmed) ? `There is already an output '${trimmed}'.` : null;
  return (
    <ModalDialog labelledBy={`${id}-title`} onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          if (!problem) onAdd({ name: trimmed, type, ...(label.trim() ? { label: label.trim() } : {}) });
        }}
      >
        <div className="card-head"><h2 id={`${id}-title`}>Add output column</h2></div>
        <div className="card-body stack">
          <div className="row" style={{ alignItems: "flex-start" }}>
            <div className="field" style={{ flex: 1 }}>
              <label htmlFor={`${id}-name`}>Name</label>
              <input
                id={`${id}-name`}
                type="text"
                className="mono"
                value={name}
                onChange={(e) => setName(e.target.value)}
                aria-invalid={submitted && problem ? true : undefined}
                aria-describedby={submitted && problem ? `${id}-error` : undefined}
                autoFocus
                autoComplete="off"
              />
              {submitted && problem ? <span id={`${id}-error`} className="field-error">{problem}</span> : null}
            </div>
            <div className="field">
              <label htmlFor={`${id}-type`}>Type</label>
              <select id={`${id}-type`} value={type} onChange={(e) => setType(e.target.value as OutputType)}>
                {OUTPUT_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
            </div>
          </div>
          <div className="field">
            <label htmlFor={`${id}-label`}>Label (optional)</label>
            <input id={`${id}-label`} type="text" value={label} onChange={(e) => setLabel(e.target.value)} autoComplete="off" />
          </div>
        </div>
        <DialogActions onCancel={onClose}>
          <button type="submit" className="btn btn-primary">Add column</button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}

/** Edit a column's display label (blank: show the field name). */
export function LabelDialog({ column, current, onSave, onClose }: {
  column: string;
  current: string;
  onSave(label: string): void;
  onClose(): void;
}) {
  const id = useId();
  const [label, setLabel] = useState(current);
  return (
    <ModalDialog labelledBy={`${id}-title`} onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onSave(label);
        }}
      >
        <div className="card-head"><h2 id={`${id}-title`}>Label of <code>{column}</code></h2></div>
        <div className="card-body stack">
          <div className="field">
            <label htmlFor={`${id}-label`}>Label</label>
            <input id={`${id}-label`} type="text" value={label} onChange={(e) => setLabel(e.target.value)} placeholder={column} autoFocus autoComplete="off" />
            <span className="muted small">Leave blank to show the field name.</span>
          </div>
        </div>
        <DialogActions onCancel={onClose}>
          <button type="submit" className="btn btn-primary">Save label</button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}
