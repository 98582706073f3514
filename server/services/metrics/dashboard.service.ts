/**
 * The dashboard: KPI tiles against the previous period, breakdowns by route path, source, team, rep and table
 * version, trends, the speed-to-lead distribution and fairness per rep. Every figure is an aggregate of lead_metrics
 * under the lib/metrics definitions (see metrics.service.ts).
 */
import "server-only";
import type { Kysely } from "kysely";
import { json } from "@/db";
import type { Database } from "@/db/types";
import { resolvePeriod, type DashboardFilters, type DimensionKey, type GranularityKey } from "@/lib/metrics/dashboard-filters";
import { DEFAULT_TARGETS, isWrongOwnerReason, type Kpis, type MetricTargets } from "@/lib/metrics/definitions";
import {
  dimensionCatalog, firstAssignmentsByRep, NONE, skipsAndRejectionsByRep, speedDistributionByRoute, volumeByRouteOverTime,
  type MetricFilter,
} from "../../repositories/metrics.repository";
import { bucketOfDay, dailyRows, groupDaily, kpisFromDaily, rollupEligible } from "./long-period";
import { periodFindings } from "../review/anomalies.service";
import { DASHBOARD_PERCENTILES, kpis, kpisBy, kpisOverTime, workspaceTargets } from "./metrics.service";
import type { PercentileKey } from "../../repositories/metrics.repository";

export interface DashboardScope {
  workspaceId: string;
  now: Date;
}

type Catalog = Awaited<ReturnType<typeof dimensionCatalog>>;

function metricFilter(scope: DashboardScope, f: DashboardFilters, period: { from: Date; to: Date }): MetricFilter {
  return {
    workspaceId: scope.workspaceId, from: period.from, to: period.to,
    routePaths: f.routePaths, sources: f.sources, teams: f.teams, reps: f.reps, versions: f.versions,
  };
}

async function periodOf(db: Kysely<Database>, scope: DashboardScope, f: DashboardFilters) {
  const ws = await db.selectFrom("workspaces").select("time_zone").where("id", "=", scope.workspaceId).executeTakeFirstOrThrow();
  return { period: resolvePeriod(f, scope.now, ws.time_zone), timeZone: ws.time_zone };
}

/** Filter options and labels: route paths, sources, teams, reps, table versions; the workspace's targets. */
export async function dashboardOptions(db: Kysely<Database>, workspaceId: string) {
  const c = await dimensionCatalog(db, workspaceId);
  const saved = (c.ws.settings as { targets?: Partial<MetricTargets> }).targets ?? {};
  return {
    timeZone: c.ws.time_zone,
    currency: c.ws.currency,
    targets: { ...DEFAULT_TARGETS, ...saved } as MetricTargets,
    routePaths: c.routes.map((r) => ({ key: r.key, name: r.name, kind: r.kind, color: r.color, slaMinutes: r.sla_minutes })),
    sources: c.sources.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
    teams: c.teams.map((t) => ({ id: t.id, name: t.name })),
    reps: c.reps.map((r) => ({ id: r.id, name: r.name, teamId: r.team_id, role: r.role, active: r.active })),
    versions: c.versions.map((v) => ({ id: v.id, label: `${v.table_name} v${v.version}`, status: v.status, publishedAt: v.published_at })),
  };
}

/**
 * The KPI set of a period: sorted exactly from lead_metrics, or — for long periods filtered at most by route path —
 * from the daily rollups (exact counts, percentiles within ~1%). Says which (`approximate`).
 */
async function periodKpis(db: Kysely<Database>, scope: DashboardScope, f: DashboardFilters, range: { from: Date; to: Date; days: number }) {
  if (rollupEligible(f, range)) {
    const daily = await dailyRows(db, scope.workspaceId, range.from, range.to, scope.now, f.routePaths);
    if (daily) return { kpis: kpisFromDaily(daily.rows, daily.untouchedDue.reduce((n, u) => n + u.n, 0)), approximate: true };
  }
  return { kpis: await kpis(db, metricFilter(scope, f, range), scope.now, DASHBOARD_PERCENTILES), approximate: false };
}

/** The KPI set for the period and for the previous period of equal length, with the targets. */
export async function dashboardSummary(db: Kysely<Database>, scope: DashboardScope, f: DashboardFilters) {
  const { period } = await periodOf(db, scope, f);
  const [current, previous, targets] = await Promise.all([
    periodKpis(db, scope, f, period),
    periodKpis(db, scope, f, { from: period.previousFrom, to: period.from, days: period.days }),
    workspaceTargets(db, scope.workspaceId),
  ]);
  return { period, current: current.kpis, previous: previous.kpis, approximate: current.approximate || previous.approximate, targets };
}

function labeller(c: Catalog, dimension: DimensionKey): (key: string | null) => { label: string; color: string | null } {
  const none = { route_path: "No route path", source: "API (no source)", team: "No team (queues)", rep: "Unassigned", table_version: "No table version" }[dimension];
  const names = new Map<string, { label: string; color: string | null }>();
  if (dimension === "route_path") for (const r of c.routes) names.set(r.key, { label: r.name, color: r.color });
  if (dimension === "source") for (const s of c.sources) names.set(s.id, { label: s.name, color: null });
  if (dimension === "team") for (const t of c.teams) names.set(t.id, { label: t.name, color: null });
  if (dimension === "rep") for (const r of c.reps) names.set(r.id, { label: r.name, color: null });
  if (dimension === "table_version") for (const v of c.versions) names.set(v.id, { label: `${v.table_name} v${v.version}`, color: null });
  return (key) => (key === null ? { label: none, color: null } : names.get(key) ?? { label: key, color: null });
}

export interface BreakdownRow {
  /** The dimension value ("none" for leads without one), usable as a filter value. */
  key: string;
  label: string;
  color: string | null;
  kpis: Kpis;
}

/** One row per value of a dimension (route paths with no leads still listed, so a silent path shows). */
export async function dashboardBreakdown(db: Kysely<Database>, scope: DashboardScope, f: DashboardFilters, dimension: DimensionKey): Promise<BreakdownRow[]> {
  const { period } = await periodOf(db, scope, f);
  const [rows, catalog] = await Promise.all([breakdownKpis(db, scope, f, period, dimension), dimensionCatalog(db, scope.workspaceId)]);
  const label = labeller(catalog, dimension);
  const out: BreakdownRow[] = rows.map((r) => ({ key: r.key ?? NONE, ...label(r.key), kpis: r.kpis }));
  if (dimension === "route_path" && !f.routePaths?.length) {
    const seen = new Set(out.map((r) => r.key));
    for (const r of catalog.routes) if (!seen.has(r.key)) out.push({ key: r.key, label: r.name, color: r.color, kpis: emptyKpis() });
  }
  const order = new Map(catalog.routes.map((r, i) => [r.key, i]));
  return out.sort((a, b) => dimension === "route_path" ? (order.get(a.key) ?? 99) - (order.get(b.key) ?? 99) : b.kpis.volume - a.kpis.volume || a.label.localeCompare(b.label));
}

/** Per value of a dimension; by route path over a long period from the rollups (see periodKpis). */
async function breakdownKpis(db: Kysely<Database>, scope: DashboardScope, f: DashboardFilters, period: { from: Date; to: Date; days: number }, dimension: DimensionKey) {
  if (dimension === "route_path" && rollupEligible(f, period)) {
    const daily = await dailyRows(db, scope.workspaceId, period.from, period.to, scope.now, f.routePaths);
    if (daily) return [...groupDaily(daily, (_day, route) => route)].map(([key, k]) => ({ key: key === "" ? null : key, kpis: k }));
  }
  return kpisBy(db, metricFilter(scope, f, period), scope.now, dimension, DASHBOARD_PERCENTILES);
}

function emptyKpis(): Kpis {
  const none = { numerator: 0, denominator: 0, rate: null };
  const d = { median: null, p90: null, medianBusiness: null, p90Business: null };
  return {
    volume: 0,
    speedToLead: { n: 0, medianMinutes: null, p90Minutes: null, medianBusinessMinutes: null, p90BusinessMinutes: null, systemDelay: d, humanDelay: d },
    slaBreach: none, wrongAssignment: none, acceptance: none, meetingRate: none, pipeline: { amount: 0, opportunities: 0 }, manualTriage: none,
  };
}

/**
 * KPIs per day/week/month and the volume per route path in each bucket (buckets in the workspace's time zone). Only
 * the percentiles the chart plots are computed (`percentiles`; none for the rate, pipeline and volume charts).
 */
export async function dashboardTrend(db: Kysely<Database>, scope: DashboardScope, f: DashboardFilters, granularity: GranularityKey, percentiles: readonly PercentileKey[] = ["stl_b"]) {
  const { period, timeZone } = await periodOf(db, scope, f);
  if (rollupEligible(f, period)) {
    const daily = await dailyRows(db, scope.workspaceId, period.from, period.to, scope.now, f.routePaths);
    if (daily) {
      const series = [...groupDaily(daily, (day) => bucketOfDay(day, granularity))].map(([bucket, kpis]) => ({ bucket, kpis })).sort((a, b) => a.bucket.localeCompare(b.bucket));
      const volume = new Map<string, { bucket: string; key: string; n: number }>();
      for (const r of daily.rows) {
        const bucket = bucketOfDay(r.day, granularity);
        const key = r.route_path_key === "" ? NONE : r.route_path_key;
        const cell = volume.get(`${bucket}|${key}`) ?? { bucket, key, n: 0 };
        cell.n += r.volume;
        volume.set(`${bucket}|${key}`, cell);
      }
      return { granularity, timeZone, approximate: true, series, volume: [...volume.values()].filter((v) => v.n > 0).sort((a, b) => a.bucket.localeCompare(b.bucket)) };
    }
  }
  const filter = metricFilter(scope, f, period);
  const [series, volume] = await Promise.all([
    kpisOverTime(db, filter, scope.now, granularity, timeZone, percentiles),
    volumeByRouteOverTime(db, filter, granularity, timeZone),
  ]);
  return { granularity, timeZone, approximate: false, series, volume: volume.map((v) => ({ bucket: v.bucket, key: v.key ?? NONE, n: v.n })) };
}

/** Speed-to-lead percentiles per route path. */
export async function dashboardDistribution(db: Kysely<Database>, scope: DashboardScope, f: DashboardFilters) {
  const { period } = await periodOf(db, scope, f);
  const [rows, catalog] = await Promise.all([speedDistributionByRoute(db, metricFilter(scope, f, period)), dimensionCatalog(db, scope.workspaceId)]);
  const label = labeller(catalog, "route_path");
  return rows.map((r) => ({ key: r.key ?? NONE, ...label(r.key), n: r.n, wall: r.wall, business: r.business })).sort((a, b) => b.n - a.n);
}

export interface FairnessRow {
  repId: string;
  name: string;
  teamId: string;
  teamName: string;
  active: boolean;
  weight: number;
  assigned: number;
  /** Share of the team's first assignments in the period. */
  share: number | null;
  /** weight / the sum of the active weights in the team. */
  targetShare: number | null;
  skips: Record<string, number>;
  rejections: number;
  wrongOwnerRejections: number;
}

/** Per rep: first assignments against the weighted target share in the team, skips by reason, rejections made. */
export async function dashboardFairness(db: Kysely<Database>, scope: DashboardScope, f: DashboardFilters): Promise<FairnessRow[]> {
  const { period } = await periodOf(db, scope, f);
  const filter = metricFilter(scope, f, period);
  const [assigned, { skips, rejections }, catalog] = await Promise.all([
    firstAssignmentsByRep(db, filter), skipsAndRejectionsByRep(db, filter), dimensionCatalog(db, scope.workspaceId),
  ]);
  const teamName = new Map(catalog.teams.map((t) => [t.id, t.name]));
  const count = new Map(assigned.map((a) => [a.rep_id!, a.n]));
  const teamTotal = new Map<string, number>();
  const teamWeight = new Map<string, number>();
  for (const r of catalog.reps) {
    teamTotal.set(r.team_id, (teamTotal.get(r.team_id) ?? 0) + (count.get(r.id) ?? 0));
    if (r.active) teamWeight.set(r.team_id, (teamWeight.get(r.team_id) ?? 0) + r.weight);
  }
  return catalog.reps
    .map((r): FairnessRow => {
      const mySkips: Record<string, number> = {};
      for (const s of skips) if (s.rep_id === r.id && s.reason) mySkips[s.reason] = (mySkips[s.reason] ?? 0) + s.n;
      const mine = rejections.filter((x) => x.rep_id === r.id);
      const total = teamTotal.get(r.team_id) ?? 0;
      const weight = teamWeight.get(r.team_id) ?? 0;
      return {
        repId: r.id, name: r.name, teamId: r.team_id, teamName: teamName.get(r.team_id) ?? "", active: r.active, weight: r.weight,
        assigned: count.get(r.id) ?? 0,
        share: total ? (count.get(r.id) ?? 0) / total : null,
        targetShare: r.active && weight ? r.weight / weight : r.active ? null : 0,
        skips: mySkips,
        rejections: mine.reduce((n, x) => n + x.n, 0),
        wrongOwnerRejections: mine.filter((x) => isWrongOwnerReason(x.reason_code)).reduce((n, x) => n + x.n, 0),
      };
    })
    .filter((r) => r.active || r.assigned > 0 || r.rejections > 0)
    .filter((r) => !f.teams?.length || f.teams.includes(r.teamId))
    .filter((r) => !f.reps?.length || f.reps.includes(r.repId))
    .sort((a, b) => a.teamName.localeCompare(b.teamName) || b.assigned - a.assigned);
}

/** Saves the workspace's targets (admin/ops), with an audit entry. */
export async function saveTargets(db: Kysely<Database>, actor: { workspaceId: string; userId: string }, targets: MetricTargets): Promise<MetricTargets> {
  await db.transaction().execute(async (trx) => {
    const ws = await trx.selectFrom("workspaces").select("settings").where("id", "=", actor.workspaceId).forUpdate().executeTakeFirstOrThrow();
    await trx.updateTable("workspaces").set({ settings: json({ ...(ws.settings as Record<string, unknown>), targets }) }).where("id", "=", actor.workspaceId).execute();
    await trx.insertInto("audit_log").values({
      workspace_id: actor.workspaceId, actor_user_id: actor.userId, action: "targets.updated", entity_type: "workspace", entity_id: actor.workspaceId,
      summary: `Targets: speed to lead ≤ ${targets.speedToLeadMinutes} min, wrong assignment ≤ ${pct(targets.wrongAssignmentRate)}, triage ≤ ${pct(targets.manualTriageRate)}, acceptance ≥ ${pct(targets.acceptanceRate)}, SLA breach ≤ ${pct(targets.slaBreachRate)}, meetings ≥ ${pct(targets.meetingRate)}`,
    }).execute();
  });
  return targets;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/**
 * Anomalies of the dashboard's period against the weeks before it (lib/review/anomalies via the review's
 * anomaly service): workspace-wide — the dashboard's dimension filters narrow the figures, not the alerts.
 */
export async function dashboardAlerts(db: Kysely<Database>, scope: DashboardScope, f: DashboardFilters) {
  const { period } = await periodOf(db, scope, f);
  const { findings, baseline } = await periodFindings(db, scope.workspaceId, { from: period.from, to: period.to }, scope.now);
  return { period: { from: period.from, to: period.to }, baseline, findings };
}
