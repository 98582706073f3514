/**
 * KPIs for a period. Two paths over the same definitions:
 * - `kpis`, `kpisBy`, `kpisOverTime`: SQL aggregates over lead_metrics (what the dashboard serves, fast at 1M leads);
 * - `kpisFromEvents`: lib/metrics folding the raw event log (the reference the tests hold the SQL to).
 */
import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/db/types";
import { computeKpis, DEFAULT_TARGETS, foldLeadOutcome, kpiRatios, speedToLeadOf, type Kpis, type LeadOutcome, type MetricTargets } from "@/lib/metrics/definitions";
import {
  kpiAggregate, kpiAggregateBy, kpiAggregateOverTime, loadLeadsWithEvents, salesRepIds,
  type Dimension, type Granularity, type KpiAggregate, type MetricFilter, type PercentileKey,
} from "../../repositories/metrics.repository";

/**
 * The delay percentiles the dashboard shows: speed to lead (wall and business), system delay (wall: machine time)
 * and human delay (business: the rep's working time). The other two pairs of the KPI set come back null there.
 */
export const DASHBOARD_PERCENTILES: readonly PercentileKey[] = ["stl", "stl_b", "sys", "hum_b"];

export type { MetricFilter } from "../../repositories/metrics.repository";

/** Each lead's outcome folded from its raw events (the reference path). */
export async function leadOutcomes(db: Kysely<Database>, filter: MetricFilter): Promise<LeadOutcome[]> {
  const [leads, sales] = await Promise.all([loadLeadsWithEvents(db, filter), salesRepIds(db, filter.workspaceId)]);
  const isSalesRep = (id: string) => sales.has(id);
  return leads.map((l) => foldLeadOutcome({ leadId: l.id, receivedAt: l.receivedAt, routePathKey: l.routePathKey, isSalesRep }, l.events));
}

/** KPIs by folding the raw event log through lib/metrics (wall-clock figures; business minutes come from lead_metrics). */
export async function kpisFromEvents(db: Kysely<Database>, filter: MetricFilter, now: Date): Promise<Kpis> {
  return computeKpis(await leadOutcomes(db, filter), now);
}

/** The KPI set from SQL aggregates, shaped exactly like lib's computeKpis result. */
export function kpisFromAggregate(a: KpiAggregate): Kpis {
  return {
    ...kpiRatios({
      volume: a.volume, slaEligible: a.sla_eligible, slaBreached: a.sla_breached, assigned: a.assigned, wrong: a.wrong, accepted: a.accepted,
      rejected: a.rejected, salesRouted: a.sales_routed, meetings: a.meetings, pipeline: a.pipeline, opportunities: a.opportunities, triaged: a.triaged,
    }),
    speedToLead: speedToLeadOf(a.stl_n, { toTouch: a.stl, toTouchBusiness: a.stl_b, system: a.sys, systemBusiness: a.sys_b, human: a.hum, humanBusiness: a.hum_b }),
  };
}

/** The KPI set (all six delay percentile pairs unless `percentiles` narrows them). */
export async function kpis(db: Kysely<Database>, filter: MetricFilter, now: Date, percentiles?: readonly PercentileKey[]): Promise<Kpis> {
  return kpisFromAggregate(await kpiAggregate(db, filter, now, percentiles));
}

export async function kpisBy(db: Kysely<Database>, filter: MetricFilter, now: Date, dimension: Dimension, percentiles?: readonly PercentileKey[]): Promise<Array<{ key: string | null; kpis: Kpis }>> {
  const rows = await kpiAggregateBy(db, filter, now, dimension, percentiles);
  return rows.map((r) => ({ key: r.key, kpis: kpisFromAggregate(r) }));
}

export async function kpisOverTime(db: Kysely<Database>, filter: MetricFilter, now: Date, granularity: Granularity, timeZone: string, percentiles?: readonly PercentileKey[]): Promise<Array<{ bucket: string; kpis: Kpis }>> {
  const rows = await kpiAggregateOverTime(db, filter, now, granularity, timeZone, percentiles);
  return rows.map((r) => ({ bucket: r.bucket, kpis: kpisFromAggregate(r) }));
}

export async function workspaceTargets(db: Kysely<Database>, workspaceId: string): Promise<MetricTargets> {
  const ws = await db.selectFrom("workspaces").select("settings").where("id", "=", workspaceId).executeTakeFirst();
  const saved = (ws?.settings as { targets?: Partial<MetricTargets> } | undefined)?.targets ?? {};
  return { ...DEFAULT_TARGETS, ...saved };
}
