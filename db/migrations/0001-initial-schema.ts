/**
 * 0001 — the whole domain of DESIGN.md, up front. FROZEN: never edit a migration that has shipped; add a new one.
 *
 * Conventions: every tenant table carries workspace_id; enumerations are text + CHECK (extendable by a later
 * migration without enum gymnastics); instants are timestamptz; money is numeric(14,2) in the workspace currency;
 * the lead event log and the audit log are append-only (enforced by triggers); published decision-table versions
 * are immutable (enforced by a trigger) and at most one version per table is published (partial unique index).
 */
import { sql, type Kysely } from "kysely";

const statements: string[] = [
  // ---------------------------------------------------------------- guards
  `create function switchyard_forbid_change() returns trigger language plpgsql as $$
   begin
     raise exception '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP using errcode = 'check_violation';
   end $$`,

  // ---------------------------------------------------------------- tenancy, people, calendars
  `create table workspaces (
     id uuid primary key default gen_random_uuid(),
     slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
     name text not null check (length(name) between 1 and 200),
     currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
     time_zone text not null default 'UTC',
     settings jsonb not null default '{}'::jsonb,
     created_at timestamptz not null default now()
   )`,
  `create table teams (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     key text not null check (key ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
     name text not null,
     time_zone text not null,
     weekly_hours jsonb not null,
     holidays jsonb not null default '[]'::jsonb,
     manager_user_id uuid,
     settings jsonb not null default '{}'::jsonb,
     created_at timestamptz not null default now(),
     unique (workspace_id, key)
   )`,
  `create table reps (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     team_id uuid not null references teams(id),
     name text not null,
     email text not null,
     title text not null default '',
     role text not null check (role in ('ae', 'sdr', 'am', 'csm', 'partner_manager', 'support')),
     territories text[] not null default '{}',
     products text[] not null default '{}',
     segments text[] not null default '{}',
     weight double precision not null default 1 check (weight >= 0),
     max_open_leads integer check (max_open_leads is null or max_open_leads >= 0),
     max_leads_per_day integer check (max_leads_per_day is null or max_leads_per_day >= 0),
     time_zone text not null,
     working_hours jsonb,
     active boolean not null default true,
     settings jsonb not null default '{}'::jsonb,
     created_at timestamptz not null default now(),
     unique (workspace_id, email)
   )`,
  `create index reps_team_idx on reps (team_id)`,
  `create table rep_out_of_office (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     rep_id uuid not null references reps(id) on delete cascade,
     starts_at timestamptz not null,
     ends_at timestamptz not null,
     reason text not null default '',
     created_at timestamptz not null default now(),
     check (ends_at > starts_at)
   )`,
  `create index rep_ooo_rep_idx on rep_out_of_office (rep_id, starts_at)`,
  `create table users (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     email text not null unique check (email = lower(email)),
     name text not null,
     password_hash text not null,
     role text not null check (role in ('admin', 'ops', 'growth', 'sales')),
     rep_id uuid references reps(id),
     active boolean not null default true,
     preferences jsonb not null default '{}'::jsonb,
     created_at timestamptz not null default now(),
     last_sign_in_at timestamptz,
     check (role <> 'sales' or rep_id is not null)
   )`,
  `alter table teams add constraint teams_manager_fk foreign key (manager_user_id) references users(id) on delete set null`,

  // ---------------------------------------------------------------- CRM accounts
  `create table accounts (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     external_id text,
     name text not null,
     name_key text not null,
     domain text,
     owner_rep_id uuid references reps(id) on delete set null,
     customer_status text not null default 'prospect'
       check (customer_status in ('prospect', 'customer', 'former_customer', 'partner')),
     employees integer check (employees is null or employees >= 0),
     industry text,
     region text,
     country text,
     time_zone text,
     annual_revenue numeric(16, 2),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,
  `create unique index accounts_domain_uq on accounts (workspace_id, domain) where domain is not null`,
  `create unique index accounts_external_uq on accounts (workspace_id, external_id) where external_id is not null`,
  `create index accounts_name_key_idx on accounts (workspace_id, name_key)`,
  `create index accounts_owner_idx on accounts (owner_rep_id)`,

  // ---------------------------------------------------------------- routing configuration
  `create table route_paths (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     key text not null check (key ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
     name text not null,
     kind text not null check (kind in ('sales', 'support', 'partner', 'nurture', 'review', 'junk')),
     trigger_summary text not null default '',
     data_required text[] not null default '{}',
     confidence_threshold double precision check (confidence_threshold is null or confidence_threshold between 0 and 1),
     destination jsonb not null,
     sla_minutes integer check (sla_minutes is null or sla_minutes > 0),
     fallback_route_key text,
     escalation jsonb not null default '{}'::jsonb,
     color text not null default '#64748b',
     sort_order integer not null default 0,
     active boolean not null default true,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     unique (workspace_id, key)
   )`,
  `create table decision_tables (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     key text not null,
     name text not null,
     description text not null default '',
     created_at timestamptz not null default now(),
     unique (workspace_id, key)
   )`,
  `create table decision_table_versions (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     table_id uuid not null references decision_tables(id) on delete cascade,
     version integer not null check (version > 0),
     status text not null check (status in ('draft', 'published', 'superseded', 'archived')),
     definition jsonb not null,
     change_reason text not null default '',
     based_on_version_id uuid references decision_table_versions(id),
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     approved_by uuid references users(id),
     approved_at timestamptz,
     published_by uuid references users(id),
     published_at timestamptz,
     effective_at timestamptz,
     unique (table_id, version)
   )`,
  `create unique index decision_table_one_published on decision_table_versions (table_id) where status = 'published'`,
  `create function switchyard_guard_table_version() returns trigger language plpgsql as $$
   begin
     if TG_OP = 'DELETE' then
       if OLD.status <> 'draft' then
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
  `create trigger decision_table_versions_guard before update or delete on decision_table_versions
     for each row execute function switchyard_guard_table_version()`,
  `create table decision_table_tests (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     table_id uuid not null references decision_tables(id) on delete cascade,
     name text not null,
     facts jsonb not null,
     expected jsonb not null,
     created_by uuid references users(id),
     created_at timestamptz not null default now()
   )`,
  `create table assignment_state (
     workspace_id uuid not null references workspaces(id) on delete cascade,
     pool_key text not null,
     state jsonb not null,
     revision integer not null default 0,
     updated_at timestamptz not null default now(),
     primary key (workspace_id, pool_key)
   )`,

  // ---------------------------------------------------------------- inbound: sources and keys
  `create table sources (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     name text not null,
     kind text not null check (kind in ('json', 'form', 'hubspot', 'typeform', 'standard_webhooks')),
     secret_ciphertext text,
     secret_hint text,
     field_mapping jsonb not null default '{}'::jsonb,
     settings jsonb not null default '{}'::jsonb,
     active boolean not null default true,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     last_received_at timestamptz
   )`,
  `create table api_keys (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     name text not null,
     prefix text not null,
     key_hash text not null unique,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     last_used_at timestamptz,
     revoked_at timestamptz
   )`,

  // ---------------------------------------------------------------- leads and their event log
  `create table leads (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     source_id uuid references sources(id) on delete set null,
     idempotency_key text,
     channel text not null default 'web',
     raw_payload jsonb not null,
     email text,
     email_domain text,
     first_name text,
     last_name text,
     company text,
     company_domain text,
     phone text,
     title text,
     country text,
     region text,
     message text,
     facts jsonb not null default '{}'::jsonb,
     person_key text,
     inquiry_key text,
     duplicate_of_lead_id uuid references leads(id),
     account_id uuid references accounts(id) on delete set null,
     status text not null default 'new' check (status in
       ('new', 'assigned', 'queued', 'in_review', 'accepted', 'working', 'rejected', 'junk', 'duplicate', 'won', 'lost', 'disqualified', 'closed')),
     is_junk boolean not null default false,
     score integer,
     priority_tier text,
     category text,
     category_confidence double precision,
     classifier text,
     route_path_key text,
     table_version_id uuid references decision_table_versions(id),
     rule_id text,
     first_owner_rep_id uuid references reps(id),
     owner_rep_id uuid references reps(id),
     owner_queue text,
     team_id uuid references teams(id),
     received_at timestamptz not null,
     assigned_at timestamptz,
     sla_due_at timestamptz,
     first_touch_at timestamptz,
     decision text check (decision in ('accepted', 'rejected')),
     decision_at timestamptz,
     meeting_booked_at timestamptz,
     opportunity_created_at timestamptz,
     opportunity_amount numeric(14, 2),
     closed_at timestamptz,
     ever_wrong_assigned boolean not null default false,
     ever_in_review boolean not null default false,
     review_reason text,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   )`,
  `create unique index leads_idempotency_uq on leads (workspace_id, idempotency_key) where idempotency_key is not null`,
  `create index leads_received_idx on leads (workspace_id, received_at desc)`,
  `create index leads_owner_idx on leads (workspace_id, owner_rep_id, received_at desc)`,
  `create index leads_route_idx on leads (workspace_id, route_path_key, received_at)`,
  `create index leads_status_idx on leads (workspace_id, status)`,
  `create index leads_person_idx on leads (workspace_id, person_key, received_at desc)`,
  `create index leads_account_idx on leads (account_id)`,
  `create index leads_sla_due_idx on leads (sla_due_at) where first_touch_at is null and sla_due_at is not null`,
  `create table lead_events (
     id bigint generated always as identity primary key,
     workspace_id uuid not null references workspaces(id) on delete cascade,
     lead_id uuid not null references leads(id) on delete cascade,
     type text not null check (type in (
       'received', 'validated', 'junk_flagged', 'duplicate_linked', 'enriched', 'classified', 'scored', 'decided',
       'assigned', 'queued_for_review', 'review_resolved', 'rerouted', 'accepted', 'rejected', 'reassigned',
       'first_touch', 'meeting_booked', 'opportunity_created', 'closed_won', 'closed_lost', 'task_created',
       'sla_started', 'sla_warning', 'sla_breached', 'escalated', 'notified', 'fact_corrected', 'step_failed', 'note')),
     occurred_at timestamptz not null,
     recorded_at timestamptz not null default now(),
     actor_user_id uuid references users(id),
     rep_id uuid references reps(id),
     reason_code text,
     amount numeric(14, 2),
     currency text,
     external_id text,
     duration_ms double precision,
     data jsonb not null default '{}'::jsonb
   )`,
  `create index lead_events_lead_idx on lead_events (lead_id, occurred_at, id)`,
  `create index lead_events_type_idx on lead_events (workspace_id, type, occurred_at)`,
  `create unique index lead_events_external_uq on lead_events (lead_id, external_id) where external_id is not null`,
  `create trigger lead_events_append_only before update or delete on lead_events
     for each row execute function switchyard_forbid_change()`,
  `create table lead_tasks (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     lead_id uuid not null references leads(id) on delete cascade,
     rep_id uuid references reps(id),
     kind text not null,
     title text not null,
     due_at timestamptz,
     status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
     created_at timestamptz not null default now(),
     completed_at timestamptz
   )`,
  `create index lead_tasks_rep_idx on lead_tasks (rep_id, status, due_at)`,
  `create table review_items (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     lead_id uuid not null references leads(id) on delete cascade,
     reason_code text not null,
     reason_text text not null,
     status text not null default 'open' check (status in ('open', 'resolved')),
     entered_at timestamptz not null,
     due_at timestamptz,
     assigned_user_id uuid references users(id),
     resolved_at timestamptz,
     resolved_by uuid references users(id),
     resolution jsonb
   )`,
  `create index review_items_open_idx on review_items (workspace_id, status, entered_at)`,
  `create unique index review_items_one_open on review_items (lead_id) where status = 'open'`,

  // ---------------------------------------------------------------- jobs, notifications, deliveries
  `create table jobs (
     id bigint generated always as identity primary key,
     workspace_id uuid references workspaces(id) on delete cascade,
     queue text not null default 'default',
     kind text not null,
     payload jsonb not null default '{}'::jsonb,
     run_at timestamptz not null,
     status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed', 'dead', 'cancelled')),
     attempts integer not null default 0,
     max_attempts integer not null default 8,
     locked_by text,
     locked_until timestamptz,
     last_error text,
     dedupe_key text,
     created_at timestamptz not null default now(),
     finished_at timestamptz
   )`,
  `create index jobs_due_idx on jobs (queue, run_at) where status = 'queued'`,
  `create unique index jobs_dedupe_uq on jobs (dedupe_key) where dedupe_key is not null`,
  `create table notifications (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     user_id uuid not null references users(id) on delete cascade,
     lead_id uuid references leads(id) on delete cascade,
     kind text not null,
     title text not null,
     body text not null default '',
     link text,
     created_at timestamptz not null default now(),
     read_at timestamptz
   )`,
  `create index notifications_user_idx on notifications (user_id, created_at desc)`,
  `create table outbound_webhooks (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     name text not null,
     url text not null,
     secret_ciphertext text not null,
     event_types text[] not null default '{}',
     active boolean not null default true,
     created_at timestamptz not null default now()
   )`,
  `create table deliveries (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     job_id bigint references jobs(id) on delete set null,
     lead_id uuid references leads(id) on delete cascade,
     channel text not null check (channel in ('in_app', 'slack', 'email', 'webhook')),
     target text not null,
     status text not null check (status in ('pending', 'delivered', 'retrying', 'dead')),
     attempts integer not null default 0,
     response_code integer,
     last_error text,
     created_at timestamptz not null default now(),
     delivered_at timestamptz
   )`,
  `create index deliveries_lead_idx on deliveries (lead_id, created_at)`,

  // ---------------------------------------------------------------- simulation, review, classifier, import
  `create table simulations (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     table_id uuid not null references decision_tables(id) on delete cascade,
     draft_version_id uuid not null references decision_table_versions(id),
     baseline_version_id uuid references decision_table_versions(id),
     period_start timestamptz not null,
     period_end timestamptz not null,
     filters jsonb not null default '{}'::jsonb,
     status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed', 'cancelled')),
     progress double precision not null default 0,
     lead_count integer,
     result jsonb,
     error text,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     started_at timestamptz,
     finished_at timestamptz
   )`,
  `create index simulations_draft_idx on simulations (draft_version_id, created_at desc)`,
  `create table monthly_reviews (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     period_start date not null,
     period_end date not null,
     status text not null default 'draft' check (status in ('draft', 'in_review', 'signed_off')),
     packet jsonb not null default '{}'::jsonb,
     checklist jsonb not null default '[]'::jsonb,
     narrative text,
     narrative_source text,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     signed_off_at timestamptz,
     unique (workspace_id, period_start)
   )`,
  `create table review_comments (
     id uuid primary key default gen_random_uuid(),
     review_id uuid not null references monthly_reviews(id) on delete cascade,
     author_user_id uuid not null references users(id),
     body text not null,
     created_at timestamptz not null default now()
   )`,
  `create table review_action_items (
     id uuid primary key default gen_random_uuid(),
     review_id uuid not null references monthly_reviews(id) on delete cascade,
     title text not null,
     owner_user_id uuid references users(id),
     due_date date,
     status text not null default 'open' check (status in ('open', 'done', 'dropped')),
     draft_version_id uuid references decision_table_versions(id),
     simulation_id uuid references simulations(id),
     created_at timestamptz not null default now()
   )`,
  `create table review_signoffs (
     review_id uuid not null references monthly_reviews(id) on delete cascade,
     user_id uuid not null references users(id),
     role text not null,
     signed_at timestamptz not null default now(),
     primary key (review_id, user_id)
   )`,
  `create table classifier_models (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     kind text not null,
     trained_at timestamptz not null,
     training_size integer not null,
     model jsonb not null,
     metrics jsonb not null default '{}'::jsonb,
     active boolean not null default false
   )`,
  `create unique index classifier_models_one_active on classifier_models (workspace_id, kind) where active`,
  `create table classification_labels (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     lead_id uuid references leads(id) on delete set null,
     text text not null,
     label text not null,
     source text not null check (source in ('review', 'rejection', 'import', 'seed', 'manual')),
     created_by uuid references users(id),
     created_at timestamptz not null default now()
   )`,
  `create table import_jobs (
     id uuid primary key default gen_random_uuid(),
     workspace_id uuid not null references workspaces(id) on delete cascade,
     kind text not null check (kind in ('leads', 'accounts', 'reps')),
     filename text not null,
     status text not null default 'pending' check (status in ('pending', 'running', 'paused', 'done', 'failed')),
     mapping jsonb not null default '{}'::jsonb,
     total_rows integer,
     processed_rows integer not null default 0,
     error_count integer not null default 0,
     errors jsonb not null default '[]'::jsonb,
     cursor jsonb,
     created_by uuid references users(id),
     created_at timestamptz not null default now(),
     finished_at timestamptz
   )`,

  // ---------------------------------------------------------------- audit
  `create table audit_log (
     id bigint generated always as identity primary key,
     workspace_id uuid not null references workspaces(id) on delete cascade,
     actor_user_id uuid references users(id),
     action text not null,
     entity_type text not null,
     entity_id text,
     summary text not null default '',
     before jsonb,
     after jsonb,
     created_at timestamptz not null default now()
   )`,
  `create index audit_log_ws_idx on audit_log (workspace_id, created_at desc)`,
  `create trigger audit_log_append_only before update or delete on audit_log
     for each row execute function switchyard_forbid_change()`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  const tables = [
    "audit_log", "import_jobs", "classification_labels", "classifier_models", "review_signoffs", "review_action_items",
    "review_comments", "monthly_reviews", "simulations", "deliveries", "outbound_webhooks", "notifications", "jobs",
    "review_items", "lead_tasks", "lead_events", "leads", "api_keys", "sources", "assignment_state",
    "decision_table_tests", "decision_table_versions", "decision_tables", "route_paths", "accounts",
  ];
  for (const t of tables) await sql.raw(`drop table if exists ${t} cascade`).execute(db);
  await sql.raw(`alter table teams drop constraint if exists teams_manager_fk`).execute(db);
  for (const t of ["users", "rep_out_of_office", "reps", "teams", "workspaces"]) {
    await sql.raw(`drop table if exists ${t} cascade`).execute(db);
  }
  await sql.raw(`drop function if exists switchyard_guard_table_version() cascade`).execute(db);
  await sql.raw(`drop function if exists switchyard_forbid_change() cascade`).execute(db);
}
