/** KPIs for a period, computed from the event log through the one set of metric definitions in lib/metrics. */
import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/db/types";
import { computeKpis, DEFAULT_TARGETS, foldLeadOutcome, type Kpis, type LeadOutcome, type MetricTargets } from "@/lib/metrics/definitions";
import { loadLeadsWithEvents, salesRepIds, type MetricFilter } from "../repositories/metrics.repository";

export async function leadOutcomes(db: Kysely<Database>, filter: MetricFilter): Promise<LeadOutcome[]> {
  const [leads, sales] = await Promise.all([loadLeadsWithEvents(db, filter), salesRepIds(db, filter.workspaceId)]);
  const isSalesRep = (id: string) => sales.has(id);
  return leads.map((l) => foldLeadOutcome({ leadId: l.id, receivedAt: l.receivedAt, routePathKey: l.routePathKey, isSalesRep }, l.events));
}

export async function kpisFor(db: Kysely<Database>, filter: MetricFilter, now: Date): Promise<Kpis> {
  return computeKpis(await leadOutcomes(db, filter), now);
}

export async function workspaceTargets(db: Kysely<Database>, workspaceId: string): Promise<MetricTargets> {
  const ws = await db.selectFrom("workspaces").select("settings").where("id", "=", workspaceId).executeTakeFirst();
  const saved = (ws?.settings as { targets?: Partial<MetricTargets> } | undefined)?.targets ?? {};
  return { ...DEFAULT_TARGETS, ...saved };
}
