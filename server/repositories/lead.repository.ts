/** SQL for leads and their event log. The only place lead queries are written. */
import "server-only";
import { sql, type Kysely } from "kysely";
import type { Database, LeadStatus } from "@/db/types";
import type { DrillMetric } from "@/lib/metrics/dashboard-filters";
import { drillCondition, leadDimensionConditions } from "./metrics.repository";

export interface LeadScope {
  workspaceId: string;
  /** When set, only leads currently owned by this rep are visible (sales users). */
  ownerRepId?: string;
}

export interface LeadListQuery {
  q?: string;
  status?: LeadStatus[];
  routePath?: string[];
  ownerRepId?: string;
  /** Dashboard drill-down: dimension values ("none" = without one) and the subset behind a figure. */
  sources?: string[];
  teams?: string[];
  reps?: string[];
  versions?: string[];
  metric?: DrillMetric;
  /** The instant SLA subsets are judged at (the dashboard's `now`). */
  now?: Date;
  from?: Date;
  to?: Date;
  sort: { field: "received_at" | "score" | "sla_due_at" | "company" | "status"; dir: "asc" | "desc" };
  page: number;
  pageSize: number;
}

export async function listLeads(db: Kysely<Database>, scope: LeadScope, query: LeadListQuery) {
  let base = db
    .selectFrom("leads as l")
    .where("l.workspace_id", "=", scope.workspaceId);
  if (scope.ownerRepId) base = base.where("l.owner_rep_id", "=", scope.ownerRepId);
  if (query.ownerRepId) base = base.where("l.owner_rep_id", "=", query.ownerRepId);
  if (query.status?.length) base = base.where("l.status", "in", query.status);
  if (query.routePath?.length) base = base.where((eb) => eb.and(leadDimensionConditions({ routePaths: query.routePath })));
  base = base.where((eb) => eb.and(leadDimensionConditions({ sources: query.sources, teams: query.teams, reps: query.reps, versions: query.versions })));
  if (query.metric) {
    const condition = drillCondition(query.metric, query.now ?? new Date());
    // Bounded like the outer query (workspace, received time) so the planner probes by lead instead of scanning
    // every metric row of every workspace.
    base = base.where(({ exists, selectFrom }) => {
      let sub = selectFrom("lead_metrics as m").select("m.lead_id").whereRef("m.lead_id", "=", "l.id").where("m.workspace_id", "=", scope.workspaceId);
      if (query.from) sub = sub.where("m.received_at", ">=", query.from);
      if (query.to) sub = sub.where("m.received_at", "<", query.to);
      return exists(sub.where(condition));
    });
  }
  if (query.from) base = base.where("l.received_at", ">=", query.from);
  if (query.to) base = base.where("l.received_at", "<", query.to);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
    base = base.where((eb) =>
      eb.or([
        eb("l.email", "ilike", like),
        eb("l.company", "ilike", like),
        eb(sql<string>`coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')`, "ilike", like),
      ]),
    );
  }

  const [rows, total] = await Promise.all([
    base
      .leftJoin("reps as r", "r.id", "l.owner_rep_id")
      .leftJoin("route_paths as rp", (j) => j.onRef("rp.key", "=", "l.route_path_key").onRef("rp.workspace_id", "=", "l.workspace_id"))
      .select([
        "l.id", "l.received_at", "l.first_name", "l.last_name", "l.email", "l.company", "l.country", "l.region",
        "l.status", "l.route_path_key", "l.priority_tier", "l.score", "l.category", "l.sla_due_at", "l.first_touch_at",
        "l.owner_queue", "l.channel", "r.name as owner_name", "rp.name as route_path_name", "rp.color as route_path_color",
      ])
      .orderBy(`l.${query.sort.field}`, (ob) => (query.sort.dir === "asc" ? ob.asc().nullsLast() : ob.desc().nullsLast()))
      .orderBy("l.id")
      .limit(query.pageSize)
      .offset(query.page * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: total.n };
}

export async function findLead(db: Kysely<Database>, scope: LeadScope, leadId: string) {
  let q = db
    .selectFrom("leads as l")
    .leftJoin("reps as r", "r.id", "l.owner_rep_id")
    .leftJoin("teams as t", "t.id", "l.team_id")
    .leftJoin("accounts as a", "a.id", "l.account_id")
    .leftJoin("route_paths as rp", (j) => j.onRef("rp.key", "=", "l.route_path_key").onRef("rp.workspace_id", "=", "l.workspace_id"))
    .leftJoin("decision_table_versions as v", "v.id", "l.table_version_id")
    .selectAll("l")
    .select([
      "r.name as owner_name", "r.email as owner_email", "t.name as team_name", "a.name as account_name",
      "a.domain as account_domain", "a.customer_status as account_status", "rp.name as route_path_name",
      "rp.color as route_path_color", "rp.kind as route_path_kind", "v.version as table_version", "v.table_id as table_id",
    ])
    .where("l.workspace_id", "=", scope.workspaceId)
    .where("l.id", "=", leadId);
  if (scope.ownerRepId) q = q.where("l.owner_rep_id", "=", scope.ownerRepId);
  return q.executeTakeFirst();
}

export async function listLeadEvents(db: Kysely<Database>, leadId: string) {
  return db
    .selectFrom("lead_events as e")
    .leftJoin("reps as r", "r.id", "e.rep_id")
    .leftJoin("users as u", "u.id", "e.actor_user_id")
    .select([
      "e.id", "e.type", "e.occurred_at", "e.recorded_at", "e.reason_code", "e.amount", "e.currency", "e.duration_ms",
      "e.data", "e.rep_id", "r.name as rep_name", "u.name as actor_name",
    ])
    .where("e.lead_id", "=", leadId)
    .orderBy("e.occurred_at")
    .orderBy("e.id")
    .execute();
}

/** Every alert a lead caused, per channel and recipient, with its delivery state (the trace's delivery log). */
export async function listLeadDeliveries(db: Kysely<Database>, leadId: string) {
  return db
    .selectFrom("deliveries as d")
    .leftJoin("users as u", (j) => j.on("d.channel", "=", "in_app").on(sql`u.id::text`, "=", sql.ref("d.target")))
    .select(["d.id", "d.channel", "d.target", "d.status", "d.attempts", "d.created_at", "d.delivered_at", "d.last_error", "d.response_code", "d.payload", "u.name as user_name"])
    .where("d.lead_id", "=", leadId)
    .orderBy("d.created_at")
    .orderBy("d.id")
    .execute();
}

/** The lead's SLA steps: pending ones (what happens next, and when) and those that ran or were cancelled. */
export async function listLeadSlaSteps(db: Kysely<Database>, leadId: string) {
  return db
    .selectFrom("jobs as j")
    .leftJoin("reps as r", (jn) => jn.on(sql`r.id::text`, "=", sql`j.payload->>'repId'`))
    .select(["j.id", "j.status", "j.run_at", "j.finished_at", "j.attempts", "j.last_error", sql<string>`j.payload->'step'->>'kind'`.as("step"), "r.name as rep_name"])
    .where("j.lead_id", "=", leadId)
    .where("j.kind", "=", "sla.step")
    .orderBy("j.run_at")
    .orderBy("j.id")
    .execute();
}
