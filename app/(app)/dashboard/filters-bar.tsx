"use client";

import { useEffect, useRef, useState } from "react";
import { PRESETS, type DashboardFilters } from "@/lib/metrics/dashboard-filters";

export interface Option {
  value: string;
  label: string;
}

type ListKey = "routePaths" | "sources" | "teams" | "reps" | "versions";

/** A keyboard-usable multi-select: a disclosure button and a list of checkboxes (Escape or a click outside closes it). */
function MultiSelect({ label, options, selected: fromUrl, onChange }: { label: string; options: Option[]; selected: string[]; onChange: (next: string[]) => void }) {
  const [open, setOpen] = useState(false);
  // The URL is the source of truth; the local copy answers clicks at once (and keeps quick successive clicks).
  const [selected, setSelected] = useState(fromUrl);
  const urlKey = fromUrl.join(",");
  useEffect(() => setSelected(urlKey ? urlKey.split(",") : []), [urlKey]);
  const change = (next: string[]) => {
    setSelected(next);
    onChange(next);
  };
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => { if (!root.current?.contains(e.target as Node)) setOpen(false); };
    document.addEventListener("mousedown", onDoc);
    return () => document.removeEventListener("mousedown", onDoc);
  }, [open]);
  const names = options.filter((o) => selected.includes(o.value)).map((o) => o.label);
  const summary = names.length === 0 ? "All" : names.length === 1 ? names[0] : `${names.length} selected`;
  const id = `ms-${label.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <div className="multi" ref={root} onKeyDown={(e) => { if (e.key === "Escape" && open) { e.stopPropagation(); setOpen(false); root.current?.querySelector("button")?.focus(); } }}>
      <button type="button" className={`btn multi-btn${selected.length ? " multi-active" : ""}`} aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        <span className="muted">{label}:</span> {summary} <span aria-hidden>▾</span>
      </button>
      {open ? (
        <div className="multi-pop card" id={id} role="group" aria-label={label}>
          {options.length === 0 ? <p className="muted small" style={{ margin: 8 }}>Nothing to choose yet.</p> : null}
          {options.map((o) => (
            <label key={o.value} className="multi-opt">
              <input
                type="checkbox"
                checked={selected.includes(o.value)}
                onChange={(e) => change(e.target.checked ? [...selected, o.value] : selected.filter((v) => v !== o.value))}
              />
              {o.label}
            </label>
          ))}
          {selected.length ? <button type="button" className="btn btn-ghost small" onClick={() => change([])}>Clear {label.toLowerCase()}</button> : null}
        </div>
      ) : null}
    </div>
  );
}

export function FiltersBar({ filters, options, onChange, periodLabel }: {
  filters: DashboardFilters;
  options: Record<ListKey, Option[]>;
  onChange: (next: DashboardFilters) => void;
  periodLabel: string | null;
}) {
  const [from, setFrom] = useState(filters.from ?? "");
  const [to, setTo] = useState(filters.to ?? "");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { setFrom(filters.from ?? ""); setTo(filters.to ?? ""); }, [filters.from, filters.to]);
  const custom = filters.range === "custom";
  const any = Boolean(filters.routePaths?.length || filters.sources?.length || filters.teams?.length || filters.reps?.length || filters.versions?.length);
  const lists: Array<[ListKey, string]> = [["routePaths", "Route path"], ["sources", "Source"], ["teams", "Team"], ["reps", "Rep"], ["versions", "Table version"]];

  return (
    <div className="card filters" role="region" aria-label="Filters">
      <div className="row">
        <div className="segmented" role="group" aria-label="Period">
          {PRESETS.map((p) => (
            <button key={p} type="button" aria-pressed={filters.range === p} onClick={() => onChange({ ...filters, range: p, from: undefined, to: undefined })}>
              {p.replace("d", " days")}
            </button>
          ))}
          <button type="button" aria-pressed={custom} onClick={() => onChange({ ...filters, range: "custom", from: filters.from ?? from, to: filters.to ?? to })}>Custom</button>
        </div>
        {custom ? (
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              if (!from || !to) return setError("Choose a start and an end date.");
              if (from > to) return setError("The end date is before the start date.");
              setError(null);
              onChange({ ...filters, range: "custom", from, to });
            }}
          >
            <label className="small">From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={Boolean(error)} /></label>
            <label className="small">To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={Boolean(error)} /></label>
            <button className="btn" type="submit">Apply</button>
            {error ? <span className="field-error" role="alert">{error}</span> : null}
          </form>
        ) : null}
        <span className="spacer" />
        {periodLabel ? <span className="muted small">{periodLabel}</span> : null}
      </div>
      <div className="row">
        {lists.map(([key, label]) => (
          <MultiSelect key={key} label={label} options={options[key]} selected={filters[key] ?? []} onChange={(next) => onChange({ ...filters, [key]: next.length ? next : undefined })} />
        ))}
        {any ? (
          <button type="button" className="btn btn-ghost" style={{ color: "var(--brand)" }} onClick={() => onChange({ range: filters.range, from: filters.from, to: filters.to })}>
            Clear filters
          </button>
        ) : null}
      </div>
    </div>
  );
}
