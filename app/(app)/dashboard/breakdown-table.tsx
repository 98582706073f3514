"use client";

import {
  columnFilteringFeature, columnVisibilityFeature, createColumnHelper, createFilteredRowModel, createSortedRowModel, filterFn_includesString, globalFilteringFeature,
  rowSortingFeature, sortFn_alphanumeric, sortFn_basic, tableFeatures, useTable, type ColumnVisibilityState, type SortingState,
} from "@tanstack/react-table";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { formatCount, formatMinutes, formatMoney, formatPercent } from "@/lib/format";
import type { DashboardFilters, DimensionKey, DrillMetric } from "@/lib/metrics/dashboard-filters";
import type { Kpis } from "@/lib/metrics/definitions";
import { drillHref, type DrillPeriod } from "./drill";

export interface BreakdownRow {
  key: string;
  label: string;
  color: string | null;
  kpis: Kpis;
}

export const DIMENSION_LABELS: Record<DimensionKey, string> = {
  route_path: "Route path", source: "Source", team: "Team", rep: "Rep", table_version: "Table version",
};

const features = tableFeatures({
  columnMeta: {} as { title?: string },
  rowSortingFeature, columnFilteringFeature, globalFilteringFeature, columnVisibilityFeature,
  sortedRowModel: createSortedRowModel(),
  filteredRowModel: createFilteredRowModel(),
  sortFns: { basic: sortFn_basic, alphanumeric: sortFn_alphanumeric },
  filterFns: { includesString: filterFn_includesString },
});
const helper = createColumnHelper<typeof features, BreakdownRow>();

interface Ctx {
  filters: DashboardFilters;
  period: DrillPeriod;
  dimension: DimensionKey;
  total: number;
  currency: string;
}

/** A numeric column: its value (null sorts last), its display and the leads it drills into. */
function metricColumn(id: string, header: string, get: (k: Kpis) => number | null, show: (v: number | null) => string, ctx: Ctx, drill?: DrillMetric) {
  return helper.accessor((r) => get(r.kpis) ?? undefined, {
    id,
    header,
    meta: { title: COLUMN_TITLES[id] },
    sortFn: "basic",
    sortUndefined: "last",
    enableGlobalFilter: false,
    cell: ({ row, getValue }) => {
      const v = (getValue() as number | undefined) ?? null;
      const text = show(v);
      if (!drill || v === null || row.original.kpis.volume === 0) return text;
      return <Link href={drillHref(ctx.filters, ctx.period, { metric: drill, dimension: ctx.dimension, key: row.original.key })} title="List the leads behind this figure">{text}</Link>;
    },
  });
}

function buildColumns(ctx: Ctx) {
  const money = (v: number | null) => formatMoney(v, ctx.currency);
  return helper.columns([
    helper.accessor("label", {
      id: "label",
      header: DIMENSION_LABELS[ctx.dimension],
      sortFn: "alphanumeric",
      filterFn: "includesString",
      cell: ({ row }) => (
        <Link className="row-link" href={drillHref(ctx.filters, ctx.period, { dimension: ctx.dimension, key: row.original.key })}>
          {row.original.color ? <span className="dot" style={{ background: row.original.color, marginRight: 8 }} aria-hidden /> : null}
          {row.original.label}
        </Link>
      ),
    }),
    metricColumn("volume", "Leads", (k) => k.volume, formatCount, ctx),
    metricColumn("share", "Share", (k) => (ctx.total ? k.volume / ctx.total : null), (v) => formatPercent(v), ctx),
    metricColumn("stl_median_b", "Speed to lead", (k) => k.speedToLead.medianBusinessMinutes, formatMinutes, ctx, "touched"),
    metricColumn("stl_p90", "p90 (wall)", (k) => k.speedToLead.p90Minutes, formatMinutes, ctx, "touched"),
    metricColumn("stl_median", "Median (wall)", (k) => k.speedToLead.medianMinutes, formatMinutes, ctx, "touched"),
    metricColumn("system", "System delay", (k) => k.speedToLead.systemDelay.median, formatMinutes, ctx),
    metricColumn("human", "Human delay", (k) => k.speedToLead.humanDelay.medianBusiness, formatMinutes, ctx),
    metricColumn("sla", "SLA breach", (k) => k.slaBreach.rate, (v) => formatPercent(v), ctx, "sla_breached"),
    metricColumn("wrong", "Wrong owner", (k) => k.wrongAssignment.rate, (v) => formatPercent(v), ctx, "wrong_assigned"),
    metricColumn("acceptance", "Acceptance", (k) => k.acceptance.rate, (v) => formatPercent(v), ctx, "accepted"),
    metricColumn("rejected", "Rejected", (k) => k.acceptance.denominator - k.acceptance.numerator, formatCount, ctx, "rejected"),
    metricColumn("meetings", "Meetings", (k) => k.meetingRate.rate, (v) => formatPercent(v), ctx, "meeting"),
    metricColumn("pipeline", "Pipeline", (k) => k.pipeline.amount, money, ctx, "opportunity"),
    metricColumn("opportunities", "Opportunities", (k) => k.pipeline.opportunities, formatCount, ctx, "opportunity"),
    metricColumn("triage", "Triage", (k) => k.manualTriage.rate, (v) => formatPercent(v), ctx, "triaged"),
  ]);
}

const COLUMN_TITLES: Record<string, string> = {
  volume: "Leads received in the period",
  share: "Share of the period's leads",
  stl_median_b: "Speed to lead: median business minutes from received to first touch, in the owner team's calendar",
  stl_p90: "Speed to lead: 90th percentile, wall-clock minutes",
  stl_median: "Speed to lead: median, wall-clock minutes",
  system: "System delay: median minutes from received to assigned",
  human: "Human delay: median business minutes from assigned to first touch",
  sla: "SLA breaches among leads whose SLA is due or that were touched",
  wrong: "Wrong-assignment rate: leads reassigned or rejected with a wrong-owner reason / leads assigned to an owner",
  acceptance: "Accepted / (accepted + rejected), latest decision, leads routed to a sales owner",
  rejected: "Leads whose latest decision is a rejection",
  meetings: "Meeting rate: meetings booked / leads routed to a sales owner",
  pipeline: "Sum of opportunity amounts",
  opportunities: "Opportunities created",
  triage: "Manual triage rate: leads that entered the review queue / leads received",
};

const HIDDEN_BY_DEFAULT: ColumnVisibilityState = { stl_median: false, system: false, human: false, rejected: false, opportunities: false };

/** CSV of the visible columns with raw values (rates as fractions, minutes as numbers) for spreadsheets. */
function toCsv(rows: BreakdownRow[], ctx: Ctx): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const head = [DIMENSION_LABELS[ctx.dimension], "leads", "share", "speed_to_lead_median_business_min", "speed_to_lead_median_min", "speed_to_lead_p90_min",
    "system_delay_median_min", "human_delay_median_business_min", "sla_breach_rate", "sla_breached", "sla_due_or_touched", "wrong_assignment_rate",
    "wrong_assigned", "assigned", "acceptance_rate", "accepted", "rejected", "meeting_rate", "meetings", "pipeline", "opportunities", "triage_rate"];
  const n = (v: number | null) => (v === null ? "" : String(Math.round(v * 10_000) / 10_000));
  const lines = rows.map((r) => {
    const k = r.kpis;
    return [q(r.label), k.volume, n(ctx.total ? k.volume / ctx.total : null), n(k.speedToLead.medianBusinessMinutes), n(k.speedToLead.medianMinutes), n(k.speedToLead.p90Minutes),
      n(k.speedToLead.systemDelay.median), n(k.speedToLead.humanDelay.medianBusiness), n(k.slaBreach.rate), k.slaBreach.numerator, k.slaBreach.denominator,
      n(k.wrongAssignment.rate), k.wrongAssignment.numerator, k.wrongAssignment.denominator, n(k.acceptance.rate), k.acceptance.numerator,
      k.acceptance.denominator - k.acceptance.numerator, n(k.meetingRate.rate), k.meetingRate.numerator, n(k.pipeline.amount), k.pipeline.opportunities, n(k.manualTriage.rate)].join(",");
  });
  return [head.join(","), ...lines].join("\n") + "\n";
}

export function BreakdownTable({ rows, dimension, onDimension, filters, period, currency, loading }: {
  rows: BreakdownRow[];
  dimension: DimensionKey;
  onDimension: (d: DimensionKey) => void;
  filters: DashboardFilters;
  period: DrillPeriod;
  currency: string;
  loading: boolean;
}) {
  const total = rows.reduce((s, r) => s + r.kpis.volume, 0);
  const ctx: Ctx = { filters, period, dimension, total, currency };
  const columns = useMemo(() => buildColumns(ctx), [filters, period.from, period.to, dimension, total, currency]); // eslint-disable-line react-hooks/exhaustive-deps
  const [sorting, setSorting] = useState<SortingState>([{ id: "volume", desc: true }]);
  const [globalFilter, setGlobalFilter] = useState("");
  const [columnVisibility, setColumnVisibility] = useState<ColumnVisibilityState>(HIDDEN_BY_DEFAULT);
  const [chooser, setChooser] = useState(false);
  const chooserRoot = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!chooser) return;
    const onDoc = (e: MouseEvent) => { if (!chooserRoot.current?.contains(e.target as Node)) setChooser(false); };
    document.addEventListener("mousedown", onDoc);
    return () => document.removeEventListener("mousedown", onDoc);
  }, [chooser]);
  const table = useTable({
    features,
    columns,
    data: rows,
    state: { sorting, globalFilter, columnVisibility },
    onSortingChange: setSorting,
    onGlobalFilterChange: setGlobalFilter,
    onColumnVisibilityChange: setColumnVisibility,
    globalFilterFn: "includesString",
  });

  const download = () => {
    const visible = table.getRowModel().rows.map((r) => r.original);
    const blob = new Blob([toCsv(visible, ctx)], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `switchyard-by-${dimension}-${new Date(period.from).toISOString().slice(0, 10)}-${new Date(period.to).toISOString().slice(0, 10)}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <section className="card" aria-labelledby="breakdown-title">
      <div className="card-head">
        <div>
          <h2 id="breakdown-title">By {DIMENSION_LABELS[dimension].toLowerCase()}</h2>
          <p>{dimension === "route_path" ? "Each lead counts under the route path decided when it arrived." : dimension === "rep" || dimension === "team" ? "Leads count under their current owner." : "Each lead counts once."} Click a figure for the leads behind it.</p>
        </div>
        <div className="segmented" role="group" aria-label="Break down by">
          {(Object.keys(DIMENSION_LABELS) as DimensionKey[]).map((d) => (
            <button key={d} type="button" aria-pressed={d === dimension} onClick={() => onDimension(d)}>{DIMENSION_LABELS[d]}</button>
          ))}
        </div>
      </div>
      <div className="card-head table-tools">
        <div className="row">
          <label className="sr-only" htmlFor="breakdown-filter">Filter rows</label>
          <input id="breakdown-filter" type="search" placeholder={`Filter ${DIMENSION_LABELS[dimension].toLowerCase()}s`} value={globalFilter} onChange={(e) => setGlobalFilter(e.target.value)} style={{ width: 220 }} />
          <div className="multi" ref={chooserRoot}>
            <button type="button" className="btn" aria-expanded={chooser} aria-controls="column-chooser" onClick={() => setChooser((c) => !c)}>Columns ▾</button>
            {chooser ? (
              <div className="multi-pop card" id="column-chooser" role="group" aria-label="Columns" onKeyDown={(e) => { if (e.key === "Escape") setChooser(false); }}>
                {table.getAllLeafColumns().filter((c) => c.id !== "label").map((c) => (
                  <label key={c.id} className="multi-opt">
                    <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} />
                    {String(c.columnDef.header)}
                  </label>
                ))}
              </div>
            ) : null}
          </div>
        </div>
        <button type="button" className="btn" onClick={download} disabled={rows.length === 0}>Export CSV</button>
      </div>
      <div className="table-wrap" style={{ opacity: loading ? 0.6 : 1 }} aria-busy={loading}>
        <table className="data compact" data-testid="breakdown-table">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const dir = header.column.getIsSorted();
                  return (
                    <th key={header.id} scope="col" title={header.column.columnDef.meta?.title} className={header.column.id === "label" ? undefined : "num"} aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : "none"}>
                      <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                        <table.FlexRender header={header} />
                        <span aria-hidden>{dir === "asc" ? "▲" : dir === "desc" ? "▼" : "↕"}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.length === 0 ? (
              <tr><td colSpan={table.getVisibleLeafColumns().length} className="muted">{globalFilter ? "No rows match the filter." : "No leads in this period."}</td></tr>
            ) : table.getRowModel().rows.map((row) => (
              <tr key={row.original.key} data-row-key={row.original.key}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={cell.column.id === "label" ? "nowrap" : "num"}><table.FlexRender cell={cell} /></td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
