/**
 * 0007 — durable jobs for SLA timers, notifications and deliveries. FROZEN once merged.
 *
 * jobs (0001) is the queue: a worker claims due rows with FOR UPDATE SKIP LOCKED and a lease (locked_by,
 * locked_until); a worker that dies leaves its lease to expire and the row is claimed again. Added here:
 * - lead_id: the lead a job acts for (its SLA chain, its deliveries), so a touch cancels a lead's pending steps and
 *   the lead's trace lists its deliveries;
 * - first_claimed_at: when a worker first took the job (first claim − run_at is the timer delay bench:sla reports);
 * - indexes for the claim (due queued jobs across queues; expired leases), per lead, and the dead letters Settings
 *   lists.
 * deliveries (0001) gains what was sent (payload), its notification, the event id receivers deduplicate on
 * (Standard Webhooks' webhook-id), the next attempt's time and the last attempt's time.
 */
import { sql, type Kysely } from "kysely";

const statements: string[] = [
  `alter table jobs add column lead_id uuid references leads(id) on delete cascade`,
  `alter table jobs add column first_claimed_at timestamptz`,
  `create index jobs_claim_idx on jobs (run_at) where status = 'queued'`,
  `create index jobs_lease_idx on jobs (locked_until) where status = 'running'`,
  `create index jobs_lead_idx on jobs (lead_id, run_at) where lead_id is not null`,
  `create index jobs_dead_idx on jobs (workspace_id, finished_at desc) where status = 'dead'`,
  `alter table deliveries add column notification_id uuid references notifications(id) on delete set null`,
  `alter table deliveries add column event_id text`,
  `alter table deliveries add column payload jsonb not null default '{}'::jsonb`,
  `alter table deliveries add column next_attempt_at timestamptz`,
  `alter table deliveries add column last_attempt_at timestamptz`,
  `create index deliveries_workspace_idx on deliveries (workspace_id, created_at desc)`,
  `create index notifications_unread_idx on notifications (user_id) where read_at is null`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const s of [
    `drop index if exists notifications_unread_idx`,
    `drop index if exists deliveries_workspace_idx`,
    `alter table deliveries drop column if exists last_attempt_at`,
    `alter table deliveries drop column if exists next_attempt_at`,
    `alter table deliveries drop column if exists payload`,
    `alter table deliveries drop column if exists event_id`,
    `alter table deliveries drop column if exists notification_id`,
    `drop index if exists jobs_dead_idx`,
    `drop index if exists jobs_lead_idx`,
    `drop index if exists jobs_lease_idx`,
    `drop index if exists jobs_claim_idx`,
    `alter table jobs drop column if exists first_claimed_at`,
    `alter table jobs drop column if exists lead_id`,
  ]) await sql.raw(s).execute(db);
}
