"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createColumnHelper, rowSortingFeature, tableFeatures, useTable, type SortingState } from "@tanstack/react-table";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { formatCount, humanize, leadDisplayName } from "@/lib/format";
import { DRILL_METRICS, type DrillMetric } from "@/lib/metrics/dashboard-filters";
import { useTRPC } from "../../_trpc/client";
import type { RouterInputs, RouterOutputs } from "../../_trpc/types";
import { RouteBadge, StatusBadge, TierBadge } from "../../_components/lead-badges";
import { formatDateTime } from "../../_components/dates";
import { EmptyState, ErrorState, TableSkeleton } from "../../_components/states";

type LeadRow = RouterOutputs["leads"]["list"]["rows"][number];
type SortField = NonNullable<RouterInputs["leads"]["list"]["sort"]>["field"];

const STATUSES = ["assigned", "accepted", "working", "queued", "in_review", "rejected", "won", "lost", "disqualified", "closed", "junk", "duplicate"] as const;
const SORTABLE: readonly SortField[] = ["received_at", "score", "sla_due_at", "company", "status"];
const PAGE_SIZE = 50;
const DAY = 86_400_000;

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, LeadRow>();
const columns = helper.columns([
  helper.accessor("received_at", {
    id: "received_at",
    header: "Received",
    cell: (info) => <span className="muted">{formatDateTime(info.getValue())}</span>,
  }),
  helper.display({
    id: "lead",
    header: "Lead",
    enableSorting: false,
    cell: ({ row }) => {
      const l = row.original;
      const name = leadDisplayName(l);
      return (
        <div>
          <Link className="row-link" href={`/leads/${l.id}`}>{name}</Link>
          <div className="muted small">{l.email}</div>
        </div>
      );
    },
  }),
  helper.accessor("company", { id: "company", header: "Company", cell: (info) => info.getValue() ?? <span className="muted">—</span> }),
  helper.accessor("country", { id: "country", header: "Country", enableSorting: false, cell: (info) => info.getValue() ?? "—" }),
  helper.accessor("route_path_name", {
    id: "route",
    header: "Route path",
    enableSorting: false,
    cell: ({ row }) => <RouteBadge name={row.original.route_path_name} color={row.original.route_path_color} />,
  }),
  helper.accessor("owner_name", {
    id: "owner",
    header: "Owner",
    enableSorting: false,
    cell: ({ row }) => row.original.owner_name ?? <span className="muted">{row.original.owner_queue ? `Queue: ${humanize(row.original.owner_queue)}` : "—"}</span>,
  }),
  helper.accessor("score", {
    id: "score",
    header: "Priority",
    cell: ({ row }) => (
      <span className="row" style={{ gap: 6 }}>
        <TierBadge tier={row.original.priority_tier} />
        <span className="muted small">{row.original.score ?? ""}</span>
      </span>
    ),
  }),
  helper.accessor("status", { id: "status", header: "Status", cell: (info) => <StatusBadge status={info.getValue()} /> }),
  helper.accessor("sla_due_at", { id: "sla_due_at", header: "SLA due", cell: (info) => <span className="muted">{formatDateTime(info.getValue())}</span> }),
]);

const noRows: LeadRow[] = [];

export function LeadsView({ ownOnly }: { ownOnly: boolean }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const q = params.get("q") ?? "";
  const status = params.get("status") ?? "";
  const route = params.get("route") ?? "";
  const days = Number(params.get("days")) || null;
  const page = Math.max(0, Number(params.get("page")) || 0);
  const sortParam = params.get("sort") ?? "received_at:desc";
  const [sortField, sortDir] = sortParam.split(":") as [string, string];
  const sort = {
    field: (SORTABLE as readonly string[]).includes(sortField) ? (sortField as SortField) : "received_at",
    dir: sortDir === "asc" ? "asc" : "desc",
  } as const;

  const [search, setSearch] = useState(q);
  useEffect(() => setSearch(q), [q]);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    if (!("page" in changes)) next.delete("page");
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };

  // Drill-down from the dashboard: exact instants, dimension lists and the subset behind a figure.
  const drill = useMemo(() => readDrill(params), [params]);

  // A fixed "to" per mount keeps the query key stable while paging.
  const [loadedAt] = useState(() => Date.now());
  const input = useMemo(
    () => ({
      q: q || undefined,
      status: status ? [status as (typeof STATUSES)[number]] : undefined,
      routePath: drill.routePath ?? (route ? [route] : undefined),
      sources: drill.sources,
      teams: drill.teams,
      reps: drill.reps,
      versions: drill.versions,
      metric: drill.metric,
      from: drill.since ?? (days ? new Date(loadedAt - days * DAY) : undefined),
      to: drill.until,
      sort,
      page,
      pageSize: PAGE_SIZE,
    }),
    [q, status, route, days, loadedAt, sort.field, sort.dir, page, drill], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const list = useQuery({ ...trpc.leads.list.queryOptions(input), placeholderData: keepPreviousData });
  const overview = useQuery({ ...trpc.routing.overview.queryOptions(), enabled: !ownOnly });

  const sorting: SortingState = [{ id: sort.field, desc: sort.dir === "desc" }];
  const table = useTable({
    features,
    columns,
    data: list.data?.rows ?? noRows,
    state: { sorting },
    manualSorting: true,
    enableSortingRemoval: false,
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      if (first) update({ sort: `${first.id}:${first.desc ? "desc" : "asc"}` });
    },
  });

  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const filtered = Boolean(q || status || route || days || drill.active);

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{ownOnly ? "My leads" : "Leads"}</h1>
          <p>{ownOnly ? "Leads currently assigned to you." : "Every lead received, with the route path decided on arrival and its current owner."}</p>
        </div>
      </div>
      <div className="card">
        <form
          className="card-head"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            update({ q: search.trim() || null });
          }}
        >
          <div className="row">
            <label className="sr-only" htmlFor="lead-search">Search leads</label>
            <input id="lead-search" type="search" placeholder="Search name, email or company" value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 280 }} />
            <label className="sr-only" htmlFor="status-filter">Status</label>
            <select id="status-filter" value={status} onChange={(e) => update({ status: e.target.value || null })}>
              <option value="">All statuses</option>
              {STATUSES.map((s) => <option key={s} value={s}>{humanize(s)}</option>)}
            </select>
            {!ownOnly ? (
              <>
                <label className="sr-only" htmlFor="route-filter">Route path</label>
                <select id="route-filter" value={route} onChange={(e) => update({ route: e.target.value || null })}>
                  <option value="">All route paths</option>
                  {overview.data?.routePaths.map((rp) => <option key={rp.key} value={rp.key}>{rp.name}</option>)}
                </select>
              </>
            ) : null}
            <label className="sr-only" htmlFor="period-filter">Received</label>
            <select id="period-filter" value={days ?? ""} onChange={(e) => update({ days: e.target.value || null })}>
              <option value="">Any time</option>
              <option value="7">Last 7 days</option>
              <option value="30">Last 30 days</option>
              <option value="90">Last 90 days</option>
            </select>
            <button className="btn" type="submit">Search</button>
            {filtered ? <button className="btn btn-ghost" type="button" style={{ color: "var(--brand)" }} onClick={() => { setSearch(""); update({ q: null, status: null, route: null, days: null, since: null, until: null, source: null, team: null, rep: null, version: null, metric: null, from_dashboard: null }); }}>Clear filters</button> : null}
          </div>
          <div className="muted small" aria-live="polite">{list.data ? `${formatCount(total)} leads` : ""}</div>
        </form>
        {drill.active ? (
          <div className="drill-note" role="note" data-testid="drill-note">
            <strong>{drill.metric ? DRILL_LABELS[drill.metric] : "Leads"}</strong>
            <span>received {drill.since ? formatDateTime(drill.since) : "any time"} – {drill.until ? formatDateTime(drill.until) : "now"}</span>
            {drill.describe(overview.data?.routePaths ?? [])}
            <span className="spacer" />
            <Link href="/dashboard" onClick={(e) => { if (window.history.length > 1) { e.preventDefault(); router.back(); } }}>← Back to the dashboard</Link>
          </div>
        ) : null}
        {list.isPending ? <TableSkeleton cols={8} /> : list.isError ? (
          <div className="card-body"><ErrorState title="Leads could not be loaded" error={list.error} onRetry={() => list.refetch()} /></div>
        ) : total === 0 ? (
          <EmptyState title={filtered ? "No leads match these filters" : ownOnly ? "No leads assigned to you yet" : "No leads yet"}>
            <p>{filtered ? "Clear a filter or widen the period." : ownOnly ? "New leads routed to you will appear here and in your inbox." : "Send a lead to the API or import a CSV of history to get started."}</p>
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
              <table className="data">
                <thead>
                  {table.getHeaderGroups().map((group) => (
                    <tr key={group.id}>
                      {group.headers.map((header) => {
                        const canSort = header.column.getCanSort();
                        const dir = header.column.getIsSorted();
                        return (
                          <th key={header.id} scope="col" aria-sort={dir === "asc" ? "ascending" : dir === "desc" ? "descending" : undefined}>
                            {canSort ? (
                              <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                                <table.FlexRender header={header} />
                                <span aria-hidden>{dir === "asc" ? "▲" : dir === "desc" ? "▼" : "↕"}</span>
                              </button>
                            ) : (
                              <table.FlexRender header={header} />
                            )}
                          </th>
                        );
                      })}
                    </tr>
                  ))}
                </thead>
                <tbody>
                  {table.getRowModel().rows.map((row) => (
                    <tr key={row.original.id}>
                      {row.getAllCells().map((cell) => (
                        <td key={cell.id}><table.FlexRender cell={cell} /></td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav className="pager" aria-label="Pagination">
              <span>Page {formatCount(page + 1)} of {formatCount(pages)}</span>
              <div className="row">
                <button className="btn" type="button" disabled={page === 0} onClick={() => update({ page: String(page - 1) })}>← Previous</button>
                <button className="btn" type="button" disabled={page + 1 >= pages} onClick={() => update({ page: String(page + 1) })}>Next →</button>
              </div>
            </nav>
          </>
        )}
      </div>
    </div>
  );
}

const DRILL_LABELS: Record<DrillMetric, string> = {
  touched: "Leads with a first touch",
  sla_eligible: "Leads whose SLA is due or touched",
  sla_breached: "Leads that breached their SLA",
  assigned: "Leads assigned to an owner",
  wrong_assigned: "Wrongly assigned leads",
  sales_routed: "Leads routed to a sales owner",
  accepted: "Accepted leads",
  rejected: "Rejected leads",
  meeting: "Leads with a meeting booked",
  opportunity: "Leads with an opportunity",
  triaged: "Leads that entered the review queue",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the dashboard's drill-down parameters, dropping anything malformed rather than failing the page. */
function readDrill(params: URLSearchParams) {
  const list = (key: string, ids: boolean) => {
    const values = (params.get(key) ?? "").split(",").filter(Boolean).filter((v) => !ids || v === "none" || UUID.test(v));
    return values.length ? values : undefined;
  };
  const instant = (key: string) => {
    const v = params.get(key);
    const d = v ? new Date(v) : null;
    return d && !Number.isNaN(d.getTime()) ? d : undefined;
  };
  const metric = params.get("metric");
  const out = {
    since: instant("since"),
    until: instant("until"),
    routePath: params.get("since") || params.get("metric") ? list("route", false) : undefined,
    sources: list("source", true),
    teams: list("team", true),
    reps: list("rep", true),
    versions: list("version", true),
    metric: (DRILL_METRICS as readonly string[]).includes(metric ?? "") ? (metric as DrillMetric) : undefined,
  };
  const counts = [out.sources, out.teams, out.reps, out.versions].filter(Boolean).length;
  return {
    ...out,
    active: Boolean(out.since || out.until || out.metric || counts || params.get("from_dashboard")),
    describe(routes: Array<{ key: string; name: string }>) {
      const parts: string[] = [];
      if (out.routePath) parts.push(`route path ${out.routePath.map((k) => routes.find((r) => r.key === k)?.name ?? k).join(", ")}`);
      if (out.sources) parts.push(`${out.sources.length} source${out.sources.length > 1 ? "s" : ""}`);
      if (out.teams) parts.push(`${out.teams.length} team${out.teams.length > 1 ? "s" : ""}`);
      if (out.reps) parts.push(`${out.reps.length} rep${out.reps.length > 1 ? "s" : ""}`);
      if (out.versions) parts.push(`${out.versions.length} table version${out.versions.length > 1 ? "s" : ""}`);
      return parts.length ? <span className="muted">· {parts.join(" · ")}</span> : null;
    },
  };
}
