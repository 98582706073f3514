/**
 * Loads what the metric definitions (lib/metrics) need from the event log: the leads received in a period and their
 * outcome events. The definitions themselves live in lib/ and are applied by server/services/metrics.service.ts.
 */
import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/db/types";
import type { MetricEvent } from "@/lib/metrics/definitions";

export const METRIC_EVENT_TYPES = [
  "assigned", "reassigned", "accepted", "rejected", "first_touch", "meeting_booked", "opportunity_created", "queued_for_review",
] as const;

/** Roles that make a rep a "sales owner" for acceptance and meeting rates (partner managers and support are not). */
export const SALES_ROLES = ["ae", "sdr", "am"] as const;

export interface MetricFilter {
  workspaceId: string;
  from: Date;
  to: Date;
  routePaths?: string[];
  ownerRepId?: string;
}

export interface LeadWithEvents {
  id: string;
  receivedAt: Date;
  routePathKey: string | null;
  events: MetricEvent[];
}

const CHUNK = 5000;

export async function loadLeadsWithEvents(db: Kysely<Database>, f: MetricFilter): Promise<LeadWithEvents[]> {
  let q = db
    .selectFrom("leads")
    .select(["id", "received_at", "route_path_key"])
    .where("workspace_id", "=", f.workspaceId)
    .where("received_at", ">=", f.from)
    .where("received_at", "<", f.to);
  if (f.routePaths?.length) q = q.where("route_path_key", "in", f.routePaths);
  if (f.ownerRepId) q = q.where("owner_rep_id", "=", f.ownerRepId);
  const leads = await q.orderBy("received_at").execute();
  const byId = new Map<string, LeadWithEvents>();
  for (const l of leads) byId.set(l.id, { id: l.id, receivedAt: l.received_at, routePathKey: l.route_path_key, events: [] });

  const ids = [...byId.keys()];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const events = await db
      .selectFrom("lead_events")
      .select(["lead_id", "type", "occurred_at", "rep_id", "reason_code", "amount", "data"])
      .where("lead_id", "in", chunk)
      .where("type", "in", METRIC_EVENT_TYPES)
      .orderBy("lead_id")
      .orderBy("occurred_at")
      .orderBy("id")
      .execute();
    for (const e of events) {
      const due = e.type === "assigned" ? (e.data as { slaDueAt?: string }).slaDueAt : undefined;
      byId.get(e.lead_id)!.events.push({
        type: e.type,
        occurredAt: e.occurred_at,
        repId: e.rep_id,
        reasonCode: e.reason_code,
        amount: e.amount,
        slaDueAt: due ? new Date(due) : null,
      });
    }
  }
  return [...byId.values()];
}

/** Ids of reps in a sales-facing role (decides "routed to a sales owner"). */
export async function salesRepIds(db: Kysely<Database>, workspaceId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("reps")
    .select("id")
    .where("workspace_id", "=", workspaceId)
    .where("role", "in", SALES_ROLES)
    .execute();
  return new Set(rows.map((r) => r.id));
}
