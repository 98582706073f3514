/**
 * SQL for the metrics: the raw event log that lib/metrics folds (the reference path), and lead_metrics, the per-lead
 * projection the dashboard aggregates. The aggregate expressions below restate lib/metrics' computeKpis in SQL; the
 * integration tests prove both give the same figures on the same event log.
 */
import "server-only";
import { sql, type Expression, type Insertable, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from "kysely";
import type { Database, LeadMetricsTable } from "@/db/types";
import type { DrillMetric } from "@/lib/metrics/dashboard-filters";
import type { MetricEvent } from "@/lib/metrics/definitions";

export const METRIC_EVENT_TYPES = [
  "assigned", "reassigned", "accepted", "rejected", "first_touch", "meeting_booked", "opportunity_created", "queued_for_review",
] as const;

/** Roles that make a rep a "sales owner" for acceptance and meeting rates (partner managers and support are not). */
export const SALES_ROLES = ["ae", "sdr", "am"] as const;

/** "none" in a dimension filter selects leads without that dimension (no source, no team, no owner, no version). */
export const NONE = "none";

export interface MetricFilter {
  workspaceId: string;
  from: Date;
  to: Date;
  routePaths?: string[];
  sources?: string[];
  teams?: string[];
  reps?: string[];
  versions?: string[];
}

export interface LeadWithEvents {
  id: string;
  receivedAt: Date;
  routePathKey: string | null;
  events: MetricEvent[];
}

const CHUNK = 5000;

function toMetricEvent(e: { type: string; occurred_at: Date; rep_id: string | null; reason_code: string | null; amount: number | null; data: unknown }): MetricEvent {
  // Assignments and reassignments carry the SLA due time they started (the fold keeps the first owner's).
  const data = e.data as { slaDueAt?: string | null; skipped?: unknown } | null;
  const due = e.type === "assigned" || e.type === "reassigned" ? data?.slaDueAt : undefined;
  const skipped = e.type === "assigned" && Array.isArray(data?.skipped) ? (data.skipped as Array<{ repId: string; reason: string }>) : null;
  return { type: e.type, occurredAt: e.occurred_at, repId: e.rep_id, reasonCode: e.reason_code, amount: e.amount, slaDueAt: due ? new Date(due) : null, skipped };
}

async function eventsByLead(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, MetricEvent[]>> {
  const out = new Map<string, MetricEvent[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const events = await db
      .selectFrom("lead_events")
      .select(["lead_id", "type", "occurred_at", "rep_id", "reason_code", "amount", "data"])
      .where("lead_id", "in", ids.slice(i, i + CHUNK))
      .where("type", "in", METRIC_EVENT_TYPES)
      .orderBy("lead_id")
      .orderBy("occurred_at")
      .orderBy("id")
      .execute();
    for (const e of events) {
      const list = out.get(e.lead_id);
      if (list) list.push(toMetricEvent(e));
      else out.set(e.lead_id, [toMetricEvent(e)]);
    }
  }
  return out;
}

/** The leads received in a period (with the filter's dimensions, read from the lead rows) and their events. */
export async function loadLeadsWithEvents(db: Kysely<Database>, f: MetricFilter): Promise<LeadWithEvents[]> {
  let q = db
    .selectFrom("leads as m")
    .select(["m.id", "m.received_at", "m.route_path_key"])
    .where("m.workspace_id", "=", f.workspaceId)
    .where("m.received_at", ">=", f.from)
    .where("m.received_at", "<", f.to);
  q = q.where((eb) => eb.and(dimensionConditions(f, { source: sql.ref("m.source_id"), route: sql.ref("m.route_path_key"), team: sql.ref("m.team_id"), rep: sql.ref("m.owner_rep_id"), version: sql.ref("m.table_version_id") })));
  const leads = await q.orderBy("m.received_at").execute();
  const events = await eventsByLead(db, leads.map((l) => l.id));
  return leads.map((l) => ({ id: l.id, receivedAt: l.received_at, routePathKey: l.route_path_key, events: events.get(l.id) ?? [] }));
}

/** Ids of reps in a sales-facing role (decides "routed to a sales owner"). */
export async function salesRepIds(db: Kysely<Database>, workspaceId: string): Promise<Set<string>> {
  const rows = await db.selectFrom("reps").select("id").where("workspace_id", "=", workspaceId).where("role", "in", SALES_ROLES).execute();
  return new Set(rows.map((r) => r.id));
}

// ---------------------------------------------------------------------------------------------------------------
// lead_metrics: writes

/** What folding needs from the workspace, read fresh (inside the caller's transaction when it passes one). */
export async function metricWorkspaceFacts(db: Kysely<Database>, workspaceId: string) {
  const [ws, reps, teams] = await Promise.all([
    db.selectFrom("workspaces").select(["time_zone", "settings"]).where("id", "=", workspaceId).executeTakeFirstOrThrow(),
    db.selectFrom("reps").select(["id", "role"]).where("workspace_id", "=", workspaceId).execute(),
    db.selectFrom("teams").select(["id", "time_zone", "weekly_hours", "holidays"]).where("workspace_id", "=", workspaceId).execute(),
  ]);
  return { ws, reps, teams };
}

export interface MetricSubject {
  id: string;
  receivedAt: Date;
  routePathKey: string | null;
  sourceId: string | null;
  teamId: string | null;
  ownerRepId: string | null;
  tableVersionId: string | null;
}

export type LeadMetricRow = Omit<Insertable<LeadMetricsTable>, "updated_at">;

/** Leads (their metric dimensions) and their metric events, for refreshing lead_metrics. */
export async function loadMetricSubjects(db: Kysely<Database>, workspaceId: string, ids: readonly string[]): Promise<Array<MetricSubject & { events: MetricEvent[] }>> {
  if (ids.length === 0) return [];
  const leads = await db
    .selectFrom("leads")
    .select(["id", "received_at", "route_path_key", "source_id", "team_id", "owner_rep_id", "table_version_id"])
    .where("workspace_id", "=", workspaceId)
    .where("id", "in", ids)
    .execute();
  const events = await eventsByLead(db, leads.map((l) => l.id));
  return leads.map((l) => ({
    id: l.id, receivedAt: l.received_at, routePathKey: l.route_path_key, sourceId: l.source_id, teamId: l.team_id,
    ownerRepId: l.owner_rep_id, tableVersionId: l.table_version_id, events: events.get(l.id) ?? [],
  }));
}

/** Processed leads (not still being routed) with no lead_metrics row: databases from before migration 0004. */
export function leadsMissingMetrics(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom("leads as l")
    .select(["l.id", "l.workspace_id"])
    .where("l.status", "!=", "new")
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("lead_metrics as m").select("m.lead_id").whereRef("m.lead_id", "=", "l.id"))))
    .limit(limit)
    .execute();
}

const ROW_CHUNK = 1000; // 27 parameters a row; PostgreSQL allows 65,535 per statement

export async function upsertLeadMetricRows(db: Kysely<Database>, rows: readonly LeadMetricRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROW_CHUNK) {
    const chunk = rows.slice(i, i + ROW_CHUNK);
    await db
      .insertInto("lead_metrics")
      .values(chunk.map((r) => ({ ...r, updated_at: new Date() })))
      .onConflict((oc) =>
        oc.column("lead_id").doUpdateSet((eb) => {
          const set: Record<string, unknown> = {};
          for (const key of Object.keys(chunk[0]!) as Array<keyof LeadMetricRow>) if (key !== "lead_id") set[key] = eb.ref(`excluded.${key}`);
          set.updated_at = eb.ref("excluded.updated_at");
          return set as never;
        }),
      )
      .execute();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// lead_metrics: the dashboard's aggregates

interface DimensionRefs {
  source: RawBuilder<unknown>;
  route: RawBuilder<unknown>;
  team: RawBuilder<unknown>;
  rep: RawBuilder<unknown>;
  version: RawBuilder<unknown>;
}

function inOrNone(ref: RawBuilder<unknown>, values: readonly string[] | undefined, uuid: boolean): RawBuilder<SqlBool> | null {
  if (!values?.length) return null;
  const some = values.filter((v) => v !== NONE);
  const parts: RawBuilder<SqlBool>[] = [];
  if (some.length) parts.push(uuid ? sql<SqlBool>`${ref} = any(${some}::uuid[])` : sql<SqlBool>`${ref} = any(${some}::text[])`);
  if (some.length < values.length) parts.push(sql<SqlBool>`${ref} is null`);
  return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${parts[0]!} or ${parts[1]!})`;
}

function dimensionConditions(f: MetricFilter, refs: DimensionRefs): Expression<SqlBool>[] {
  return [
    inOrNone(refs.route, f.routePaths, false),
    inOrNone(refs.source, f.sources, true),
    inOrNone(refs.team, f.teams, true),
    inOrNone(refs.rep, f.reps, true),
    inOrNone(refs.version, f.versions, true),
  ].filter((c): c is RawBuilder<SqlBool> => c !== null);
}

const M_REFS: DimensionRefs = {
  source: sql.ref("m.source_id"), route: sql.ref("m.route_path_key"), team: sql.ref("m.team_id"), rep: sql.ref("m.owner_rep_id"), version: sql.ref("m.table_version_id"),
};

/** lead_metrics rows of the filter (alias m). */
export function filteredMetrics(db: Kysely<Database>, f: MetricFilter) {
  return db
    .selectFrom("lead_metrics as m")
    .where("m.workspace_id", "=", f.workspaceId)
    .where("m.received_at", ">=", f.from)
    .where("m.received_at", "<", f.to)
    .where((eb) => eb.and(dimensionConditions(f, M_REFS)));
}

/** Everything computeKpis returns, as raw aggregates (counts, sums, percentile pairs). */
export interface KpiAggregate {
  volume: number;
  stl_n: number;
  stl: [number, number] | null;
  stl_b: [number, number] | null;
  sys: [number, number] | null;
  sys_b: [number, number] | null;
  hum: [number, number] | null;
  hum_b: [number, number] | null;
  sla_eligible: number;
  sla_breached: number;
  assigned: number;
  wrong: number;
  accepted: number;
  rejected: number;
  sales_routed: number;
  meetings: number;
  pipeline: number;
  opportunities: number;
  triaged: number;
}

/** The six delay percentile pairs of the KPI set, by their aggregate name → lead_metrics column. */
export const PERCENTILE_COLUMNS = {
  stl: "stl_minutes", stl_b: "stl_business_minutes", sys: "system_minutes", sys_b: "system_business_minutes", hum: "human_minutes", hum_b: "human_business_minutes",
} as const;
export type PercentileKey = keyof typeof PERCENTILE_COLUMNS;
export const ALL_PERCENTILES: readonly PercentileKey[] = Object.keys(PERCENTILE_COLUMNS) as PercentileKey[];

/**
 * The SQL twin of lib/metrics computeKpis, as select expressions over lead_metrics m. Each percentile pair is one
 * sort of the period's rows (the dominant cost on long periods), so callers ask only for the pairs they show; the
 * others come back null.
 */
export function kpiSelections(now: Date, percentiles: readonly PercentileKey[] = ALL_PERCENTILES) {
  const p = (key: PercentileKey) => percentiles.includes(key)
    ? sql<[number, number] | null>`percentile_cont(array[0.5, 0.9]) within group (order by ${sql.ref(`m.${PERCENTILE_COLUMNS[key]}`)})`
    : sql<[number, number] | null>`null::float8[]`;
  const count = (cond: RawBuilder<unknown>) => sql<number>`count(*) filter (where ${cond})`;
  return [
    sql<number>`count(*)`.as("volume"),
    sql<number>`count(m.stl_minutes)`.as("stl_n"),
    p("stl").as("stl"),
    p("stl_b").as("stl_b"),
    p("sys").as("sys"),
    p("sys_b").as("sys_b"),
    p("hum").as("hum"),
    p("hum_b").as("hum_b"),
    count(sql`m.sla_due_at is not null and (m.first_touch_at is not null or m.sla_due_at < ${now})`).as("sla_eligible"),
    count(sql`m.sla_due_at is not null and (m.first_touch_at > m.sla_due_at or (m.first_touch_at is null and m.sla_due_at < ${now}))`).as("sla_breached"),
    count(sql`m.assigned_to_owner`).as("assigned"),
    count(sql`m.assigned_to_owner and m.wrong_assigned`).as("wrong"),
    count(sql`m.routed_to_sales and m.decision = 'accepted'`).as("accepted"),
    count(sql`m.routed_to_sales and m.decision = 'rejected'`).as("rejected"),
    count(sql`m.routed_to_sales`).as("sales_routed"),
    count(sql`m.routed_to_sales and m.meeting_booked`).as("meetings"),
    sql<number>`coalesce(sum(m.pipeline_amount), 0)`.as("pipeline"),
    sql<number>`coalesce(sum(m.opportunities), 0)`.as("opportunities"),
    count(sql`m.entered_review`).as("triaged"),
  ] as const;
}

export async function kpiAggregate(db: Kysely<Database>, f: MetricFilter, now: Date, percentiles?: readonly PercentileKey[]): Promise<KpiAggregate> {
  return (await filteredMetrics(db, f).select(kpiSelections(now, percentiles)).executeTakeFirstOrThrow()) as KpiAggregate;
}

export type Dimension = "route_path" | "source" | "team" | "rep" | "table_version";

const DIMENSION_COLUMN: Record<Dimension, "route_path_key" | "source_id" | "team_id" | "owner_rep_id" | "table_version_id"> = {
  route_path: "route_path_key", source: "source_id", team: "team_id", rep: "owner_rep_id", table_version: "table_version_id",
};

/** The KPI aggregates per value of one dimension (null dimension values as their own group). */
export async function kpiAggregateBy(db: Kysely<Database>, f: MetricFilter, now: Date, dimension: Dimension, percentiles?: readonly PercentileKey[]): Promise<Array<KpiAggregate & { key: string | null }>> {
  const col = sql.ref(`m.${DIMENSION_COLUMN[dimension]}`);
  const rows = await filteredMetrics(db, f)
    .select([sql<string | null>`${col}::text`.as("key"), ...kpiSelections(now, percentiles)])
    .groupBy(col)
    .execute();
  return rows as Array<KpiAggregate & { key: string | null }>;
}

export type Granularity = "day" | "week" | "month";

/** The KPI aggregates per day/week/month (in the workspace's time zone), keyed by the bucket's local date. */
export async function kpiAggregateOverTime(db: Kysely<Database>, f: MetricFilter, now: Date, granularity: Granularity, timeZone: string, percentiles?: readonly PercentileKey[]): Promise<Array<KpiAggregate & { bucket: string }>> {
  const bucket = sql<string>`date_trunc(${granularity}, m.received_at at time zone ${timeZone})::date`;
  const rows = await filteredMetrics(db, f).select([bucket.as("bucket"), ...kpiSelections(now, percentiles)]).groupBy(sql`1`).orderBy(sql`1`).execute();
  return rows as Array<KpiAggregate & { bucket: string }>;
}

/** Lead counts per time bucket and route path (the stacked volume chart). */
export async function volumeByRouteOverTime(db: Kysely<Database>, f: MetricFilter, granularity: Granularity, timeZone: string) {
  const bucket = sql<string>`date_trunc(${granularity}, m.received_at at time zone ${timeZone})::date`;
  return filteredMetrics(db, f)
    .select([bucket.as("bucket"), "m.route_path_key as key", sql<number>`count(*)`.as("n")])
    .groupBy([sql`1`, "m.route_path_key"])
    .orderBy(sql`1`)
    .execute();
}

/** Speed-to-lead percentiles (p10, p25, p50, p75, p90; wall-clock and business minutes) per route path. */
export async function speedDistributionByRoute(db: Kysely<Database>, f: MetricFilter) {
  const ps = sql`array[0.1, 0.25, 0.5, 0.75, 0.9]`;
  return filteredMetrics(db, f)
    .where("m.stl_minutes", "is not", null)
    .select([
      "m.route_path_key as key",
      sql<number>`count(*)`.as("n"),
      sql<number[]>`percentile_cont(${ps}) within group (order by m.stl_minutes)`.as("wall"),
      sql<number[] | null>`percentile_cont(${ps}) within group (order by m.stl_business_minutes)`.as("business"),
    ])
    .groupBy("m.route_path_key")
    .execute();
}

/** First assignments per rep in the filter (fairness: share of initial routing). */
export async function firstAssignmentsByRep(db: Kysely<Database>, f: MetricFilter) {
  return filteredMetrics(db, f)
    .where("m.first_rep_id", "is not", null)
    .select(["m.first_rep_id as rep_id", sql<number>`count(*)`.as("n")])
    .groupBy("m.first_rep_id")
    .execute();
}

/**
 * Per rep, the turns they missed while eligible (skips recorded by routing on the assignments of the filter's leads)
 * and the rejections they made — read from lead_metrics' fairness facts, not the event log.
 */
export async function skipsAndRejectionsByRep(db: Kysely<Database>, f: MetricFilter) {
  const expand = (column: "skips" | "rejections") => filteredMetrics(db, f)
    .where(`m.${column}`, "is not", null)
    .innerJoin(sql<{ value: unknown }>`jsonb_array_elements(${sql.ref(`m.${column}`)})`.as("s"), (j) => j.onTrue())
    .select([sql<string>`s.value->>'repId'`.as("rep_id"), sql<string | null>`s.value->>'reason'`.as("reason"), sql<number>`count(*)`.as("n")])
    .groupBy([sql`1`, sql`2`])
    .execute();
  const [skips, rejections] = await Promise.all([expand("skips"), expand("rejections")]);
  return { skips, rejections: rejections.map((r) => ({ rep_id: r.rep_id, reason_code: r.reason, n: r.n })) };
}

export type FilteredMetrics = SelectQueryBuilder<Database & { m: LeadMetricsTable }, "m", object>;

/** Names for every dimension value the dashboard can show or filter by. */
export async function dimensionCatalog(db: Kysely<Database>, workspaceId: string) {
  const [ws, routes, sources, teams, reps, versions] = await Promise.all([
    db.selectFrom("workspaces").select(["time_zone", "currency", "settings"]).where("id", "=", workspaceId).executeTakeFirstOrThrow(),
    db.selectFrom("route_paths").select(["key", "name", "kind", "color", "sla_minutes"]).where("workspace_id", "=", workspaceId).orderBy("sort_order").orderBy("key").execute(),
    db.selectFrom("sources").select(["id", "name", "kind"]).where("workspace_id", "=", workspaceId).orderBy("name").execute(),
    db.selectFrom("teams").select(["id", "name", "key"]).where("workspace_id", "=", workspaceId).orderBy("name").execute(),
    db.selectFrom("reps").select(["id", "name", "team_id", "role", "weight", "active"]).where("workspace_id", "=", workspaceId).orderBy("name").execute(),
    db.selectFrom("decision_table_versions as v").innerJoin("decision_tables as t", "t.id", "v.table_id")
      .select(["v.id", "v.version", "v.status", "v.published_at", "t.name as table_name"])
      .where("v.workspace_id", "=", workspaceId).where("v.status", "!=", "draft").orderBy("t.name").orderBy("v.version", "desc").execute(),
  ]);
  return { ws, routes, sources, teams, reps, versions };
}

/** The leads behind a dashboard number: the same condition its count uses in kpiSelections (alias m). */
export function drillCondition(metric: DrillMetric, now: Date): RawBuilder<SqlBool> {
  switch (metric) {
    case "touched": return sql<SqlBool>`m.stl_minutes is not null`;
    case "sla_eligible": return sql<SqlBool>`m.sla_due_at is not null and (m.first_touch_at is not null or m.sla_due_at < ${now})`;
    case "sla_breached": return sql<SqlBool>`m.sla_due_at is not null and (m.first_touch_at > m.sla_due_at or (m.first_touch_at is null and m.sla_due_at < ${now}))`;
    case "assigned": return sql<SqlBool>`m.assigned_to_owner`;
    case "wrong_assigned": return sql<SqlBool>`m.assigned_to_owner and m.wrong_assigned`;
    case "sales_routed": return sql<SqlBool>`m.routed_to_sales`;
    case "accepted": return sql<SqlBool>`m.routed_to_sales and m.decision = 'accepted'`;
    case "rejected": return sql<SqlBool>`m.routed_to_sales and m.decision = 'rejected'`;
    case "meeting": return sql<SqlBool>`m.routed_to_sales and m.meeting_booked`;
    case "opportunity": return sql<SqlBool>`m.opportunities > 0`;
    case "triaged": return sql<SqlBool>`m.entered_review`;
  }
}

/** Dimension conditions for a query over leads aliased l (the lead row's own columns equal lead_metrics'). */
export function leadDimensionConditions(f: Pick<MetricFilter, "routePaths" | "sources" | "teams" | "reps" | "versions">): Expression<SqlBool>[] {
  return dimensionConditions(f as MetricFilter, {
    source: sql.ref("l.source_id"), route: sql.ref("l.route_path_key"), team: sql.ref("l.team_id"), rep: sql.ref("l.owner_rep_id"), version: sql.ref("l.table_version_id"),
  });
}
