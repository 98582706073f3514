/**
 * 0002 — what live ingestion needs. FROZEN once merged.
 * - workspaces.config_version: bumped by triggers whenever routing configuration changes (teams, reps, absences,
 *   route paths, table versions), so each process can cache compiled routing context and know when it is stale
 *   with one cheap read.
 * - api_keys.rate_limit_per_minute: per-key rate limit (sources keep theirs in settings).
 * - a partial index to find leads captured but not yet through the pipeline (crash recovery).
 */
import { sql, type Kysely } from "kysely";

const CONFIG_TABLES = ["teams", "reps", "rep_out_of_office", "route_paths", "decision_table_versions", "decision_tables"];

const statements: string[] = [
  `alter table workspaces add column config_version bigint not null default 0`,
  `create function switchyard_bump_config_version() returns trigger language plpgsql as $$
   declare ws uuid;
   begin
     if TG_OP = 'DELETE' then ws := OLD.workspace_id; else ws := NEW.workspace_id; end if;
     update workspaces set config_version = config_version + 1 where id = ws;
     return null;
   end $$`,
  ...CONFIG_TABLES.map(
    (t) => `create trigger ${t}_bump_config after insert or update or delete on ${t}
              for each row execute function switchyard_bump_config_version()`,
  ),
  `alter table api_keys add column rate_limit_per_minute integer not null default 1200 check (rate_limit_per_minute > 0)`,
  `create index leads_unprocessed_idx on leads (received_at) where status = 'new'`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop index if exists leads_unprocessed_idx`).execute(db);
  await sql.raw(`alter table api_keys drop column if exists rate_limit_per_minute`).execute(db);
  for (const t of CONFIG_TABLES) await sql.raw(`drop trigger if exists ${t}_bump_config on ${t}`).execute(db);
  await sql.raw(`drop function if exists switchyard_bump_config_version()`).execute(db);
  await sql.raw(`alter table workspaces drop column if exists config_version`).execute(db);
}
