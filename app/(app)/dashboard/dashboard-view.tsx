"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import {
  DIMENSIONS, FILTER_PARAMS, filtersFromSearch, filtersToParams, GRANULARITIES, type DashboardFilters, type DimensionKey, type GranularityKey,
} from "@/lib/metrics/dashboard-filters";
import { useTRPC } from "../../_trpc/client";
import { ErrorState, TableSkeleton } from "../../_components/states";
import { BreakdownTable } from "./breakdown-table";
import { AlertsCard } from "./alerts-card";
import { FairnessTable } from "./fairness-table";
import { FiltersBar, type Option } from "./filters-bar";
import { KpiSkeleton, KpiTiles } from "./kpi-tiles";
import { TargetsDialog } from "./targets-dialog";
import { KpiTrend, SpeedDistribution, TREND_METRICS, VolumeByRoute, type TrendMetric } from "./trend-charts";

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(value ?? "") ? (value as T) : fallback;
}

function ChartSkeleton({ height = 260 }: { height?: number }) {
  return <div className="skeleton" style={{ height, margin: 16 }} aria-busy="true" aria-label="Loading chart" />;
}

export function DashboardView({ canEditTargets }: { canEditTargets: boolean }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(params.toString())), [params]);
  const dimension = pick<DimensionKey>(params.get("by"), DIMENSIONS, "route_path");
  const granularity = pick<GranularityKey>(params.get("g"), GRANULARITIES, "day");
  const trendMetric = pick<TrendMetric>(params.get("trend"), Object.keys(TREND_METRICS) as TrendMetric[], "speed");
  const businessDist = params.get("stl") !== "wall";
  const [editingTargets, setEditingTargets] = useState(false);

  const setParams = (next: URLSearchParams) => router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  const setFilters = (f: DashboardFilters) => {
    const next = new URLSearchParams(params.toString());
    for (const key of FILTER_PARAMS) next.delete(key);
    for (const [key, value] of filtersToParams(f)) next.set(key, value);
    setParams(next);
  };
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params.toString());
    if (value === null) next.delete(key);
    else next.set(key, value);
    setParams(next);
  };

  const input = { filters };
  const options = useQuery(trpc.dashboard.options.queryOptions());
  const summary = useQuery({ ...trpc.dashboard.summary.queryOptions(input), placeholderData: keepPreviousData });
  const breakdown = useQuery({ ...trpc.dashboard.breakdown.queryOptions({ ...input, dimension }), placeholderData: keepPreviousData });
  // The trend computes only the percentile its chart plots (a sort of the period per pair).
  const trendPercentiles: Array<"stl" | "stl_b"> = trendMetric === "speed" ? ["stl_b"] : trendMetric === "speed_wall" ? ["stl"] : [];
  const trend = useQuery({ ...trpc.dashboard.trend.queryOptions({ ...input, granularity, percentiles: trendPercentiles }), placeholderData: keepPreviousData });
  const distribution = useQuery({ ...trpc.dashboard.distribution.queryOptions(input), placeholderData: keepPreviousData });
  const fairness = useQuery({ ...trpc.dashboard.fairness.queryOptions(input), placeholderData: keepPreviousData });
  // Alerts depend on the period only (they are workspace-wide): other filters do not refetch them.
  const alerts = useQuery(trpc.dashboard.alerts.queryOptions({ filters: { range: filters.range, from: filters.from, to: filters.to } }));

  const o = options.data;
  const filterOptions: Record<"routePaths" | "sources" | "teams" | "reps" | "versions", Option[]> = {
    routePaths: o?.routePaths.map((r) => ({ value: r.key, label: r.name })) ?? [],
    sources: [...(o?.sources.map((s) => ({ value: s.id, label: s.name })) ?? []), { value: "none", label: "API (no source)" }],
    teams: [...(o?.teams.map((t) => ({ value: t.id, label: t.name })) ?? []), { value: "none", label: "No team (queues)" }],
    reps: [...(o?.reps.map((r) => ({ value: r.id, label: r.active ? r.name : `${r.name} (inactive)` })) ?? []), { value: "none", label: "Unassigned" }],
    versions: o?.versions.map((v) => ({ value: v.id, label: `${v.label}${v.status === "published" ? " (live)" : ""}` })) ?? [],
  };
  const period = summary.data?.period;
  const periodLabel = period
    ? `${new Date(period.from).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" })} – ${new Date(period.to).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" })}${o ? ` (${o.timeZone})` : ""}`
    : null;
  const currency = o?.currency ?? "USD";
  const empty = summary.data?.current.volume === 0;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p>How routing performs, from the lead event log. Each figure shows its target and the change against the previous period of equal length.</p>
        </div>
        {canEditTargets && o ? <button type="button" className="btn" onClick={() => setEditingTargets(true)}>Edit targets</button> : null}
      </div>
      <FiltersBar filters={filters} options={filterOptions} onChange={setFilters} periodLabel={periodLabel} />

      {summary.isPending ? <KpiSkeleton /> : summary.isError ? (
        <ErrorState title="The figures could not be computed" error={summary.error} onRetry={() => summary.refetch()} />
      ) : empty ? (
        <div className="card empty" style={{ marginBottom: 16 }}>
          <h2>No leads in this period{filters.routePaths || filters.sources || filters.teams || filters.reps || filters.versions ? " with these filters" : ""}</h2>
          <p>Leads appear as soon as they arrive over the API or a webhook source, or when history is imported from CSV (Settings → Import). Widen the period or clear a filter.</p>
        </div>
      ) : (
        <div style={{ opacity: summary.isPlaceholderData ? 0.6 : 1 }}>
          <KpiTiles current={summary.data.current} previous={summary.data.previous} targets={summary.data.targets} filters={filters} period={summary.data.period} currency={currency} />
          {summary.data.approximate ? (
            <p className="muted small" role="note" style={{ margin: "-6px 0 14px" }} data-testid="approximate-note">
              ≈ Over periods this long, medians and p90s come from daily rollups and are within 1% of the exact figures; every count, rate and amount is exact.
            </p>
          ) : null}
        </div>
      )}

      {alerts.data ? <AlertsCard alerts={alerts.data} /> : null}
      {!empty ? (
        <>
          <div className="grid-2" style={{ marginBottom: 16 }}>
            <section className="card" aria-labelledby="trend-title">
              <div className="card-head">
                <h2 id="trend-title">Trend</h2>
                <div className="row" style={{ gap: 8 }}>
                  <label className="sr-only" htmlFor="trend-metric">Metric</label>
                  <select id="trend-metric" value={trendMetric} onChange={(e) => setParam("trend", e.target.value === "speed" ? null : e.target.value)}>
                    {Object.entries(TREND_METRICS).map(([k, m]) => <option key={k} value={k}>{m.label}</option>)}
                  </select>
                  <div className="segmented" role="group" aria-label="Granularity">
                    {GRANULARITIES.map((g) => (
                      <button key={g} type="button" aria-pressed={g === granularity} onClick={() => setParam("g", g === "day" ? null : g)}>{g[0]!.toUpperCase() + g.slice(1)}</button>
                    ))}
                  </div>
                </div>
              </div>
              {trend.isPending || !summary.data ? <ChartSkeleton /> : trend.isError ? (
                <div className="card-body"><ErrorState title="The trend could not be computed" error={trend.error} onRetry={() => trend.refetch()} /></div>
              ) : (
                <KpiTrend series={trend.data.series} metric={trendMetric} granularity={granularity} targets={summary.data.targets} />
              )}
            </section>
            <section className="card" aria-labelledby="volume-title">
              <div className="card-head"><div><h2 id="volume-title">Volume by route path</h2><p>Leads received per {granularity}.</p></div></div>
              {trend.isPending ? <ChartSkeleton /> : trend.isError ? (
                <div className="card-body"><ErrorState title="The volume could not be computed" error={trend.error} onRetry={() => trend.refetch()} /></div>
              ) : (
                <VolumeByRoute volume={trend.data.volume} routes={o?.routePaths ?? []} granularity={granularity} />
              )}
            </section>
          </div>

          <div style={{ marginBottom: 16 }}>
            {breakdown.isPending || !summary.data ? <div className="card"><TableSkeleton cols={10} rows={6} /></div> : breakdown.isError ? (
              <ErrorState title="The breakdown could not be computed" error={breakdown.error} onRetry={() => breakdown.refetch()} />
            ) : (
              <BreakdownTable
                rows={breakdown.data} dimension={dimension} onDimension={(d) => setParam("by", d === "route_path" ? null : d)}
                filters={filters} period={summary.data.period} currency={currency} loading={breakdown.isPlaceholderData}
              />
            )}
          </div>

          <section className="card" style={{ marginBottom: 16 }} aria-labelledby="dist-title">
            <div className="card-head">
              <div><h2 id="dist-title">Speed to lead by route path</h2><p>p10–p90, p25–p75 and the median per route path, on a log scale. Leads with a first touch.</p></div>
              <div className="segmented" role="group" aria-label="Minutes">
                <button type="button" aria-pressed={businessDist} onClick={() => setParam("stl", null)}>Business minutes</button>
                <button type="button" aria-pressed={!businessDist} onClick={() => setParam("stl", "wall")}>Wall-clock</button>
              </div>
            </div>
            {distribution.isPending ? <ChartSkeleton height={200} /> : distribution.isError ? (
              <div className="card-body"><ErrorState title="The distribution could not be computed" error={distribution.error} onRetry={() => distribution.refetch()} /></div>
            ) : distribution.data.length === 0 ? <p className="card-body muted">No lead in this period has a first touch yet.</p> : (
              <SpeedDistribution rows={distribution.data} business={businessDist} />
            )}
          </section>

          <section className="card" aria-labelledby="fair-title">
            <div className="card-head">
              <div>
                <h2 id="fair-title">Fairness</h2>
                <p>Share of each team&apos;s first assignments against the rep&apos;s weighted share; skips recorded by live routing; rejections made.</p>
              </div>
            </div>
            {fairness.isPending ? <TableSkeleton cols={8} rows={6} /> : fairness.isError ? (
              <div className="card-body"><ErrorState title="Fairness could not be computed" error={fairness.error} onRetry={() => fairness.refetch()} /></div>
            ) : <FairnessTable rows={fairness.data} />}
          </section>
        </>
      ) : null}
      {editingTargets && o ? <TargetsDialog targets={summary.data?.targets ?? o.targets} onClose={() => setEditingTargets(false)} /> : null}
    </div>
  );
}
