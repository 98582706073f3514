/**
 * SQL for lead_metrics_daily (migration 0005): the daily rollups long dashboard periods read. The counters restate
 * kpiSelections (metrics.repository.ts) without the part that depends on "now" (SLA of leads not yet touched, counted
 * live); the sketches use lib/metrics/sketch.ts's γ and zero threshold.
 */
import "server-only";
import { sql, type Kysely, type RawBuilder, type Selectable } from "kysely";
import type { Database, LeadMetricsDailyTable } from "@/db/types";
import { SKETCH_GAMMA, SKETCH_ZERO, type Sketch } from "@/lib/metrics/sketch";

export const SKETCHED = { stl: "stl_minutes", stl_b: "stl_business_minutes", sys: "system_minutes", hum_b: "human_business_minutes" } as const;
export type SketchedKey = keyof typeof SKETCHED;

/** A rollup row as read (or the same aggregates computed live): the table's counters, the day as text, parsed sketches. */
export type DailyAggregate = Omit<Selectable<LeadMetricsDailyTable>, "workspace_id" | "time_zone" | "updated_at" | "sketches"> & {
  sketches: Record<SketchedKey, Sketch>;
};

export const DAILY_COUNTERS = [
  "volume", "stl_n", "sla_touched", "sla_touched_breached", "assigned", "wrong", "accepted", "rejected", "sales_routed", "meetings", "pipeline",
  "opportunities", "triaged",
] as const;
export type DailyCounter = (typeof DAILY_COUNTERS)[number];

const sketchSql = (column: string) =>
  `(select coalesce(jsonb_object_agg(s.k, s.n), '{}'::jsonb) from (select case when v <= ${SKETCH_ZERO} then 'z' else ceil(ln(v) / ln(${SKETCH_GAMMA}::float8))::int::text end as k, count(*) as n from unnest(array_agg(m.${column})) as v where v is not null group by 1) s)`;

/** The rollup's columns as aggregates over lead_metrics m (in DAILY_COUNTERS order, then sketches). */
const AGGREGATES = `
  count(*)::int as volume,
  count(m.stl_minutes)::int as stl_n,
  count(*) filter (where m.sla_due_at is not null and m.first_touch_at is not null)::int as sla_touched,
  count(*) filter (where m.sla_due_at is not null and m.first_touch_at > m.sla_due_at)::int as sla_touched_breached,
  count(*) filter (where m.assigned_to_owner)::int as assigned,
  count(*) filter (where m.assigned_to_owner and m.wrong_assigned)::int as wrong,
  count(*) filter (where m.routed_to_sales and m.decision = 'accepted')::int as accepted,
  count(*) filter (where m.routed_to_sales and m.decision = 'rejected')::int as rejected,
  count(*) filter (where m.routed_to_sales)::int as sales_routed,
  count(*) filter (where m.routed_to_sales and m.meeting_booked)::int as meetings,
  coalesce(sum(m.pipeline_amount), 0)::float8 as pipeline,
  coalesce(sum(m.opportunities), 0)::int as opportunities,
  count(*) filter (where m.entered_review)::int as triaged,
  jsonb_build_object(${Object.entries(SKETCHED).map(([k, c]) => `'${k}', ${sketchSql(c)}`).join(", ")}) as sketches`;

const COLUMNS = `${DAILY_COUNTERS.join(", ")}, sketches`;
const ON_CONFLICT = `on conflict (workspace_id, day, route_path_key) do update set time_zone = excluded.time_zone, ${[...DAILY_COUNTERS, "sketches"].map((c) => `${c} = excluded.${c}`).join(", ")}, updated_at = excluded.updated_at`;

/** Recomputes the rollup rows of the (workspace, local day, route path) groups these leads belong to. */
export async function refreshDailyRollups(db: Kysely<Database>, leadIds: readonly string[]): Promise<void> {
  if (leadIds.length === 0) return;
  await sql`
    with g as (
      select distinct m2.workspace_id as ws, w.time_zone as tz, (m2.received_at at time zone w.time_zone)::date as d, coalesce(m2.route_path_key, '') as r
      from lead_metrics m2 join workspaces w on w.id = m2.workspace_id
      where m2.lead_id = any(${leadIds as string[]}::uuid[]))
    insert into lead_metrics_daily (workspace_id, day, route_path_key, time_zone, ${sql.raw(COLUMNS)}, updated_at)
    select g.ws, g.d, g.r, g.tz, a.*, now() from g cross join lateral (
      select ${sql.raw(AGGREGATES)} from lead_metrics m
      where m.workspace_id = g.ws and m.received_at >= (g.d::timestamp at time zone g.tz) and m.received_at < ((g.d + 1)::timestamp at time zone g.tz)
        and coalesce(m.route_path_key, '') = g.r
    ) a
    ${sql.raw(ON_CONFLICT)}`.execute(db);
}

/** Rebuilds every rollup row of a workspace in its current time zone and records that it is complete. */
export async function rebuildDailyRollups(db: Kysely<Database>, workspaceId: string): Promise<void> {
  const run = (fn: (trx: Kysely<Database>) => Promise<void>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn));
  await run(async (trx) => {
    const ws = await trx.selectFrom("workspaces").select("time_zone").where("id", "=", workspaceId).forUpdate().executeTakeFirstOrThrow();
    await trx.deleteFrom("lead_metrics_daily").where("workspace_id", "=", workspaceId).execute();
    await sql`
      insert into lead_metrics_daily (workspace_id, day, route_path_key, time_zone, ${sql.raw(COLUMNS)}, updated_at)
      select ${workspaceId}::uuid, (m.received_at at time zone ${ws.time_zone})::date, coalesce(m.route_path_key, ''), ${ws.time_zone}, ${sql.raw(AGGREGATES)}, now()
      from lead_metrics m where m.workspace_id = ${workspaceId}
      group by 2, 3`.execute(trx);
    await trx.insertInto("lead_metrics_rollup_state").values({ workspace_id: workspaceId, time_zone: ws.time_zone })
      .onConflict((oc) => oc.column("workspace_id").doUpdateSet({ time_zone: ws.time_zone, built_at: new Date() })).execute();
  });
}

/** Workspaces whose rollups are missing or were built in another time zone. */
export async function workspacesNeedingRollups(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom("workspaces as w")
    .leftJoin("lead_metrics_rollup_state as s", "s.workspace_id", "w.id")
    .select("w.id")
    .where((eb) => eb.or([eb("s.workspace_id", "is", null), eb("s.time_zone", "!=", eb.ref("w.time_zone"))]))
    .execute();
  return rows.map((r) => r.id);
}

/** The time zone the workspace's rollups are complete in, or null (not built, or the workspace moved zone). */
export async function rollupTimeZone(db: Kysely<Database>, workspaceId: string): Promise<string | null> {
  const row = await db
    .selectFrom("lead_metrics_rollup_state as s")
    .innerJoin("workspaces as w", "w.id", "s.workspace_id")
    .select(["s.time_zone", "w.time_zone as current"])
    .where("s.workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return row && row.time_zone === row.current ? row.time_zone : null;
}

const routeCondition = (routePaths: readonly string[] | undefined, ref: RawBuilder<unknown>) =>
  routePaths?.length ? sql`and ${ref} = any(${routePaths.map((r) => (r === "none" ? "" : r))}::text[])` : sql``;

/** Rollup rows of whole local days [fromDay, toDay). */
export async function readDailyRollups(db: Kysely<Database>, workspaceId: string, fromDay: string, toDay: string, routePaths?: readonly string[]): Promise<DailyAggregate[]> {
  const r = await sql<DailyAggregate>`
    select to_char(day, 'YYYY-MM-DD') as day, route_path_key, ${sql.raw(COLUMNS)} from lead_metrics_daily
    where workspace_id = ${workspaceId} and day >= ${fromDay}::date and day < ${toDay}::date ${routeCondition(routePaths, sql.ref("route_path_key"))}`.execute(db);
  return r.rows;
}

/** The same aggregates computed live from lead_metrics for a part of a period, by local day and route path. */
export async function liveDailyAggregates(db: Kysely<Database>, workspaceId: string, timeZone: string, from: Date, to: Date, routePaths?: readonly string[]): Promise<DailyAggregate[]> {
  if (to <= from) return [];
  const r = await sql<DailyAggregate>`
    select to_char((m.received_at at time zone ${timeZone})::date, 'YYYY-MM-DD') as day, coalesce(m.route_path_key, '') as route_path_key, ${sql.raw(AGGREGATES)}
    from lead_metrics m
    where m.workspace_id = ${workspaceId} and m.received_at >= ${from} and m.received_at < ${to} ${routeCondition(routePaths, sql`coalesce(m.route_path_key, '')`)}
    group by 1, 2`.execute(db);
  return r.rows;
}

/** Untouched leads whose SLA is already due at `now` (breached by definition), by local day and route path. */
export async function untouchedSlaDue(db: Kysely<Database>, workspaceId: string, timeZone: string, from: Date, to: Date, now: Date, routePaths?: readonly string[]) {
  const r = await sql<{ day: string; route_path_key: string; n: number }>`
    select to_char((m.received_at at time zone ${timeZone})::date, 'YYYY-MM-DD') as day, coalesce(m.route_path_key, '') as route_path_key, count(*)::int as n
    from lead_metrics m
    where m.workspace_id = ${workspaceId} and m.received_at >= ${from} and m.received_at < ${to}
      and m.first_touch_at is null and m.sla_due_at is not null and m.sla_due_at < ${now} ${routeCondition(routePaths, sql`coalesce(m.route_path_key, '')`)}
    group by 1, 2`.execute(db);
  return r.rows;
}
