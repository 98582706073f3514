/**
 * 0005 — daily rollups of lead_metrics for long dashboard periods. FROZEN once merged.
 *
 * One row per workspace, local day (in the workspace's time zone, recorded on the row) and route path decided at
 * ingestion ('' for none): the additive counters of the KPI set and a mergeable quantile sketch per delay the
 * dashboard shows (lib/metrics/sketch.ts). The writers of lead_metrics refresh the rows of the days they touched in
 * the same transaction. SLA breaches of leads not yet touched depend on "now", so they stay out of the rollup and
 * are counted live through the partial index below.
 * lead_metrics also gains the fairness facts of each lead (turns eligible reps missed, who rejected it), so fairness
 * reads the narrow table instead of the event log; its rows are cleared so startup rebuilds them all with the new
 * columns (server/services/metrics/lead-metrics.ts backfillLeadMetrics).
 */
import { sql, type Kysely } from "kysely";

const statements: string[] = [
  `alter table lead_metrics add column skips jsonb, add column rejections jsonb`,
  `delete from lead_metrics`,
  `create table lead_metrics_daily (
     workspace_id uuid not null references workspaces(id) on delete cascade,
     day date not null,
     route_path_key text not null default '',
     time_zone text not null,
     volume integer not null,
     stl_n integer not null,
     sla_touched integer not null,
     sla_touched_breached integer not null,
     assigned integer not null,
     wrong integer not null,
     accepted integer not null,
     rejected integer not null,
     sales_routed integer not null,
     meetings integer not null,
     pipeline double precision not null,
     opportunities integer not null,
     triaged integer not null,
     sketches jsonb not null,
     updated_at timestamptz not null default now(),
     primary key (workspace_id, day, route_path_key)
   )`,
  `create table lead_metrics_rollup_state (
     workspace_id uuid primary key references workspaces(id) on delete cascade,
     time_zone text not null,
     built_at timestamptz not null default now()
   )`,
  `create index lead_metrics_untouched_sla_idx on lead_metrics (workspace_id, received_at) include (sla_due_at, route_path_key)
     where first_touch_at is null and sla_due_at is not null`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop index if exists lead_metrics_untouched_sla_idx`).execute(db);
  await sql.raw(`drop table if exists lead_metrics_rollup_state`).execute(db);
  await sql.raw(`drop table if exists lead_metrics_daily`).execute(db);
}
