/**
 * 0006 — a compact, incrementally refreshed copy of history for what-if simulation. FROZEN once merged.
 *
 * simulation_history_days: one row per workspace and UTC day of arrival, holding every replayable lead of that day
 * (not duplicate, not still being routed) in arrival order, encoded column by column (server/repositories/
 * history-codec.ts): the facts it was routed on, its route, review, release and outcome fields. A simulation
 * reads these instead of re-aggregating a million leads as JSON (the database spent ~8 s of CPU and Node ~4.5 s
 * decoding for a year of 1M leads).
 *
 * simulations.phase: what a running simulation is doing ('building' the stored history of its period, 'replaying').
 *
 * simulation_history_dirty: which days changed since their row was built. Statement-level triggers on leads and
 * lead_metrics add one mark per transaction and touched day (the transaction's own id, so a bulk statement adds
 * one row per day, and no two writers ever wait on each other's mark). The refresh rebuilds the marked days inside
 * one REPEATABLE READ transaction and deletes exactly the marks its snapshot sees — those of transactions whose
 * changes that snapshot already holds — so a change that commits while a day is being rebuilt keeps its mark.
 */
import { sql, type Kysely } from "kysely";

const statements: string[] = [
  `create table simulation_history_days (
     workspace_id uuid not null references workspaces(id) on delete cascade,
     day date not null,
     format integer not null,
     lead_count integer not null,
     data bytea not null,
     built_at timestamptz not null default now(),
     primary key (workspace_id, day)
   )`,
  // Already compact and read whole: no pglz compression to undo on every read.
  `alter table simulation_history_days alter column data set storage external`,
  `create table simulation_history_dirty (
     id bigint generated always as identity primary key,
     workspace_id uuid not null,
     day date not null,
     xid xid8 not null default pg_current_xact_id()
   )`,
  `create index simulation_history_dirty_day_idx on simulation_history_dirty (workspace_id, day, xid)`,
  `create function switchyard_history_dirty() returns trigger language plpgsql as $$
   begin
     if TG_OP <> 'DELETE' then
       insert into simulation_history_dirty (workspace_id, day)
       select distinct r.workspace_id, (r.received_at at time zone 'UTC')::date from new_rows r
       where not exists (select 1 from simulation_history_dirty d
                         where d.workspace_id = r.workspace_id and d.day = (r.received_at at time zone 'UTC')::date and d.xid = pg_current_xact_id());
     end if;
     if TG_OP <> 'INSERT' then
       insert into simulation_history_dirty (workspace_id, day)
       select distinct r.workspace_id, (r.received_at at time zone 'UTC')::date from old_rows r
       where not exists (select 1 from simulation_history_dirty d
                         where d.workspace_id = r.workspace_id and d.day = (r.received_at at time zone 'UTC')::date and d.xid = pg_current_xact_id());
     end if;
     return null;
   end $$`,
  // What a running simulation is doing: 'building' its period's stored history, or 'replaying' it.
  `alter table simulations add column phase text check (phase in ('building', 'replaying'))`,
  // PostgreSQL allows transition tables only on single-event triggers: three per table.
  ...["leads", "lead_metrics"].flatMap((table) => [
    `create trigger ${table}_history_ins after insert on ${table} referencing new table as new_rows for each statement execute function switchyard_history_dirty()`,
    `create trigger ${table}_history_upd after update on ${table} referencing old table as old_rows new table as new_rows for each statement execute function switchyard_history_dirty()`,
    `create trigger ${table}_history_del after delete on ${table} referencing old table as old_rows for each statement execute function switchyard_history_dirty()`,
  ]),
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["leads", "lead_metrics"]) {
    for (const op of ["ins", "upd", "del"]) await sql.raw(`drop trigger if exists ${table}_history_${op} on ${table}`).execute(db);
  }
  await sql.raw(`drop function if exists switchyard_history_dirty()`).execute(db);
  await sql.raw(`alter table simulations drop column if exists phase`).execute(db);
  await sql.raw(`drop table if exists simulation_history_dirty`).execute(db);
  await sql.raw(`drop table if exists simulation_history_days`).execute(db);
}
