/**
 * The monthly review's packet as stored with the review (monthly_reviews.packet): the evidence a review starts
 * from. Computed by server/services/review/packet.service.ts; read by the review pages, the print view and the
 * narrative (lib/review/narrative.ts).
 */
import type { Kpis, MetricTargets } from "../metrics/definitions";
import type { Finding } from "./anomalies";

export type BreachCause = "unassigned" | "capacity" | "out_of_hours" | "slow_owner";

export interface ReviewPacket {
  period: { from: string; to: string };
  previous: { from: string; to: string };
  computedAt: string;
  overall: { current: Kpis; previous: Kpis };
  routePaths: Array<{ key: string | null; name: string; current: Kpis; previous: Kpis | null }>;
  targets: MetricTargets;
  rejections: { byRoutePath: Array<{ routePath: string | null; reason: string; n: number }>; byRep: Array<{ repId: string; rep: string; reason: string; n: number }> };
  slaBreaches: { total: number; byCause: Record<BreachCause, number> };
  wrongAssignments: { total: number; examples: Array<{ leadId: string; name: string; routePath: string | null; rep: string | null; reason: string | null }> };
  reviewQueue: { current: { n: number; share: number | null }; previous: { n: number; share: number | null } };
  reps: Array<{ repId: string; rep: string; active: boolean; assigned: number; rejected: number; previousAssigned: number }>;
  /**
   * Table versions published in the period, with their measured effect: the KPIs of the leads the version it
   * replaced routed (before) and of those it routed (after), over the period and the one before it. (Packets
   * stored before these were measured have no tableName/before/after.)
   */
  versions: Array<{ id: string; version: number; publishedAt: string; reason: string | null; tableName?: string; before?: { id: string; version: number | null; kpis: Kpis } | null; after?: Kpis | null }>;
  anomalies: Finding[];
}

export const BREACH_CAUSE_LABELS: Record<BreachCause, string> = {
  unassigned: "Unassigned",
  capacity: "At capacity",
  out_of_hours: "Out of hours",
  slow_owner: "Slow owner",
};
