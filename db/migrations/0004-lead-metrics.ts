/**
 * 0004 — the per-lead metric projection the dashboard reads. FROZEN once merged.
 *
 * One narrow row per lead (about 150 bytes against the lead row's kilobytes of payload, facts and trace pointers):
 * the dimensions the dashboard filters and groups by, and the lead's outcome as lib/metrics folds it from the event
 * log (wall-clock and business-minute delays, SLA due time of the first assignment, decision, meeting, pipeline,
 * wrong assignment, review). Every writer of lead events refreshes the row in the same transaction
 * (server/services/metrics/lead-metrics.ts), so the dashboard aggregates one narrow table instead of folding
 * millions of events per request, and a test proves the aggregates equal lib's computeKpis over the raw events.
 */
import { sql, type Kysely } from "kysely";

const statements: string[] = [
  `create table lead_metrics (
     lead_id uuid primary key references leads(id) on delete cascade,
     workspace_id uuid not null references workspaces(id) on delete cascade,
     received_at timestamptz not null,
     route_path_key text,
     source_id uuid,
     team_id uuid,
     owner_rep_id uuid,
     first_rep_id uuid,
     table_version_id uuid,
     assigned_at timestamptz,
     first_touch_at timestamptz,
     sla_due_at timestamptz,
     stl_minutes double precision,
     system_minutes double precision,
     human_minutes double precision,
     stl_business_minutes double precision,
     system_business_minutes double precision,
     human_business_minutes double precision,
     assigned_to_owner boolean not null default false,
     routed_to_sales boolean not null default false,
     wrong_assigned boolean not null default false,
     decision text check (decision in ('accepted', 'rejected')),
     meeting_booked boolean not null default false,
     pipeline_amount double precision not null default 0,
     opportunities integer not null default 0,
     entered_review boolean not null default false,
     updated_at timestamptz not null default now()
   )`,
  `create index lead_metrics_received_idx on lead_metrics (workspace_id, received_at)`,
  `create index lead_metrics_route_idx on lead_metrics (workspace_id, route_path_key, received_at)`,
  `create index lead_metrics_owner_idx on lead_metrics (workspace_id, owner_rep_id, received_at)`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop table if exists lead_metrics`).execute(db);
}
