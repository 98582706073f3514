/**
 * Links from a dashboard figure to the leads behind it: the lead list with the same filters, the exact instants of
 * the period and the subset the figure counts (lib/metrics/dashboard-filters DRILL_METRICS).
 */
import type { DashboardFilters, DimensionKey, DrillMetric } from "@/lib/metrics/dashboard-filters";
import type { Finding } from "@/lib/review/anomalies";

export interface DrillPeriod {
  from: Date | string;
  to: Date | string;
}

const PARAM: Record<DimensionKey, "route" | "source" | "team" | "rep" | "version"> = {
  route_path: "route", source: "source", team: "team", rep: "rep", table_version: "version",
};

export function drillHref(filters: DashboardFilters, period: DrillPeriod, extra: { metric?: DrillMetric; dimension?: DimensionKey; key?: string } = {}): string {
  const p = new URLSearchParams();
  p.set("since", new Date(period.from).toISOString());
  p.set("until", new Date(period.to).toISOString());
  const lists: Record<string, string[] | undefined> = {
    route: filters.routePaths, source: filters.sources, team: filters.teams, rep: filters.reps, version: filters.versions,
  };
  if (extra.dimension && extra.key) lists[PARAM[extra.dimension]] = [extra.key];
  for (const [param, values] of Object.entries(lists)) if (values?.length) p.set(param, values.join(","));
  if (extra.metric) p.set("metric", extra.metric);
  p.set("from_dashboard", "1");
  return `/leads?${p.toString()}`;
}

/** No dimension filter: links to every lead of a period. */
export const UNFILTERED: DashboardFilters = { range: "custom" };

/**
 * The leads behind an anomaly (lib/review/anomalies), workspace-wide: its source's or route path's leads in the
 * period; for a rep who stopped receiving leads, theirs in `before` (the baseline) — the period has none; for a
 * workspace-wide finding (the classifier, all route paths), every lead of the period.
 */
export function findingHref(f: Finding, period: DrillPeriod, before: DrillPeriod): string {
  const s = f.subject;
  if (s.type === "source") return drillHref(UNFILTERED, period, { dimension: "source", key: s.key || "none" });
  if (s.type === "route_path" && s.key !== "*") return drillHref(UNFILTERED, period, { dimension: "route_path", key: s.key });
  if (s.type === "rep") return drillHref(UNFILTERED, before, { dimension: "rep", key: s.key });
  return drillHref(UNFILTERED, period);
}
