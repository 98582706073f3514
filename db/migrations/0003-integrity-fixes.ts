/**
 * 0003 — integrity fixes from review. FROZEN once merged.
 * - Append-only and immutable-version guards let deletes through when they cascade from a parent (erasing a lead
 *   for a data-subject request, offboarding a workspace); direct UPDATE/DELETE stays refused, and TRUNCATE of the
 *   event and audit logs is refused too.
 * - jobs.dedupe_key is unique only among live jobs, so a key can be queued again once its job finished.
 * - Deleting a draft version no longer fails on simulations and action items that reference it.
 * - Changes to a workspace's settings, currency or time zone bump config_version (routing caches depend on them).
 * - Crash recovery finds unprocessed leads by capture time.
 */
import { sql, type Kysely } from "kysely";

const statements: string[] = [
  `create or replace function switchyard_forbid_change() returns trigger language plpgsql as $$
   begin
     if TG_OP = 'DELETE' and pg_trigger_depth() > 1 then
       return OLD; -- cascaded from a parent row's deletion
     end if;
     raise exception '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP using errcode = 'check_violation';
   end $$`,
  `create trigger lead_events_no_truncate before truncate on lead_events for each statement execute function switchyard_forbid_change()`,
  `create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function switchyard_forbid_change()`,
  `create or replace function switchyard_guard_table_version() returns trigger language plpgsql as $$
   begin
     if TG_OP = 'DELETE' then
       if OLD.status <> 'draft' and pg_trigger_depth() <= 1 then
         raise exception 'decision table version % is % and cannot be deleted', OLD.id, OLD.status using errcode = 'check_violation';
       end if;
       return OLD;
     end if;
     if OLD.status <> 'draft' and (NEW.definition is distinct from OLD.definition
         or NEW.version <> OLD.version or NEW.table_id <> OLD.table_id or NEW.status = 'draft') then
       raise exception 'decision table version % is % and immutable', OLD.id, OLD.status using errcode = 'check_violation';
     end if;
     return NEW;
   end $$`,
  `drop index jobs_dedupe_uq`,
  `create unique index jobs_dedupe_live_uq on jobs (dedupe_key) where dedupe_key is not null and status in ('queued', 'running')`,
  `alter table simulations drop constraint simulations_draft_version_id_fkey,
     add constraint simulations_draft_version_id_fkey foreign key (draft_version_id) references decision_table_versions(id) on delete cascade`,
  `alter table simulations drop constraint simulations_baseline_version_id_fkey,
     add constraint simulations_baseline_version_id_fkey foreign key (baseline_version_id) references decision_table_versions(id) on delete set null`,
  `alter table review_action_items drop constraint review_action_items_draft_version_id_fkey,
     add constraint review_action_items_draft_version_id_fkey foreign key (draft_version_id) references decision_table_versions(id) on delete set null`,
  `alter table review_action_items drop constraint review_action_items_simulation_id_fkey,
     add constraint review_action_items_simulation_id_fkey foreign key (simulation_id) references simulations(id) on delete set null`,
  `create function switchyard_bump_workspace_version() returns trigger language plpgsql as $$
   begin
     if NEW.settings is distinct from OLD.settings or NEW.currency <> OLD.currency or NEW.time_zone <> OLD.time_zone then
       NEW.config_version := OLD.config_version + 1;
     end if;
     return NEW;
   end $$`,
  `create trigger workspaces_bump_config before update on workspaces for each row execute function switchyard_bump_workspace_version()`,
  `drop index leads_unprocessed_idx`,
  `create index leads_unprocessed_idx on leads (created_at) where status = 'new'`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop trigger if exists workspaces_bump_config on workspaces`).execute(db);
  await sql.raw(`drop function if exists switchyard_bump_workspace_version()`).execute(db);
  await sql.raw(`drop trigger if exists lead_events_no_truncate on lead_events`).execute(db);
  await sql.raw(`drop trigger if exists audit_log_no_truncate on audit_log`).execute(db);
}
