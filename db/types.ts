/**
 * Kysely types for the schema created by db/migrations. Keep in step with the migrations (a test compares the
 * columns declared here with the live database's information_schema).
 *
 * Driver normalisation (db/index.ts): bigint and numeric come back as JS numbers on both PGlite and pg, timestamptz
 * as Date, date as "YYYY-MM-DD" text, jsonb as parsed JSON, text[] as string[].
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Holiday, WeeklyHours } from "@/lib/calendar";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: written as JSON text or a value Kysely serialises; read as parsed JSON. */
export type Json<T> = ColumnType<T, T | string, T | string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export type Role = "admin" | "ops" | "growth" | "sales";
export type RepRole = "ae" | "sdr" | "am" | "csm" | "partner_manager" | "support";
export type RouteKind = "sales" | "support" | "partner" | "nurture" | "review" | "junk";
export type LeadStatus =
  | "new" | "assigned" | "queued" | "in_review" | "accepted" | "working" | "rejected"
  | "junk" | "duplicate" | "won" | "lost" | "disqualified" | "closed";

export const LEAD_EVENT_TYPES = [
  "received", "validated", "junk_flagged", "duplicate_linked", "enriched", "classified", "scored", "decided",
  "assigned", "queued_for_review", "review_resolved", "rerouted", "accepted", "rejected", "reassigned",
  "first_touch", "meeting_booked", "opportunity_created", "closed_won", "closed_lost", "task_created",
  "sla_started", "sla_warning", "sla_breached", "escalated", "notified", "fact_corrected", "step_failed", "note",
] as const;
export type LeadEventType = (typeof LEAD_EVENT_TYPES)[number];

export interface WorkspacesTable {
  id: Generated<string>;
  slug: string;
  name: string;
  currency: Generated<string>;
  time_zone: Generated<string>;
  settings: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  config_version: Generated<number>;
}

export interface TeamsTable {
  id: Generated<string>;
  workspace_id: string;
  key: string;
  name: string;
  time_zone: string;
  weekly_hours: Json<WeeklyHours>;
  holidays: Json<Holiday[]>;
  manager_user_id: string | null;
  settings: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface RepsTable {
  id: Generated<string>;
  workspace_id: string;
  team_id: string;
  name: string;
  email: string;
  title: Generated<string>;
  role: RepRole;
  territories: TextArray;
  products: TextArray;
  segments: TextArray;
  weight: Generated<number>;
  max_open_leads: number | null;
  max_leads_per_day: number | null;
  time_zone: string;
  working_hours: Json<WeeklyHours | null>;
  active: Generated<boolean>;
  settings: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface RepOutOfOfficeTable {
  id: Generated<string>;
  workspace_id: string;
  rep_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  reason: Generated<string>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  workspace_id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  rep_id: string | null;
  active: Generated<boolean>;
  preferences: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  last_sign_in_at: NullableTimestamp;
}

export interface AccountsTable {
  id: Generated<string>;
  workspace_id: string;
  external_id: string | null;
  name: string;
  /** normalizeCompanyName(name) from lib/lead: the key fuzzy account matching searches. */
  name_key: string;
  /** Registrable domain, lowercase (lib/lead registrableDomain). */
  domain: string | null;
  owner_rep_id: string | null;
  customer_status: Generated<"prospect" | "customer" | "former_customer" | "partner">;
  employees: number | null;
  industry: string | null;
  region: string | null;
  country: string | null;
  time_zone: string | null;
  annual_revenue: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RoutePathsTable {
  id: Generated<string>;
  workspace_id: string;
  key: string;
  name: string;
  kind: RouteKind;
  trigger_summary: Generated<string>;
  data_required: TextArray;
  confidence_threshold: number | null;
  destination: Json<Record<string, unknown>>;
  sla_minutes: number | null;
  fallback_route_key: string | null;
  escalation: Json<Record<string, unknown>>;
  color: Generated<string>;
  sort_order: Generated<number>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DecisionTablesTable {
  id: Generated<string>;
  workspace_id: string;
  key: string;
  name: string;
  description: Generated<string>;
  created_at: CreatedAt;
}

export interface DecisionTableVersionsTable {
  id: Generated<string>;
  workspace_id: string;
  table_id: string;
  version: number;
  status: "draft" | "published" | "superseded" | "archived";
  definition: Json<Record<string, unknown>>;
  change_reason: Generated<string>;
  based_on_version_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  approved_by: string | null;
  approved_at: NullableTimestamp;
  published_by: string | null;
  published_at: NullableTimestamp;
  effective_at: NullableTimestamp;
}

export interface DecisionTableTestsTable {
  id: Generated<string>;
  workspace_id: string;
  table_id: string;
  name: string;
  facts: Json<Record<string, unknown>>;
  expected: Json<Record<string, unknown>>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface AssignmentStateTable {
  workspace_id: string;
  pool_key: string;
  state: Json<Record<string, unknown>>;
  revision: Generated<number>;
  updated_at: UpdatedAt;
}

export interface SourcesTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  kind: "json" | "form" | "hubspot" | "typeform" | "standard_webhooks";
  secret_ciphertext: string | null;
  secret_hint: string | null;
  field_mapping: Json<Record<string, unknown>>;
  settings: Json<Record<string, unknown>>;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  last_received_at: NullableTimestamp;
}

export interface ApiKeysTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  rate_limit_per_minute: Generated<number>;
}

export interface LeadsTable {
  id: Generated<string>;
  workspace_id: string;
  source_id: string | null;
  idempotency_key: string | null;
  channel: Generated<string>;
  raw_payload: Json<unknown>;
  email: string | null;
  email_domain: string | null;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  company_domain: string | null;
  phone: string | null;
  title: string | null;
  country: string | null;
  region: string | null;
  message: string | null;
  facts: Json<Record<string, unknown>>;
  person_key: string | null;
  inquiry_key: string | null;
  duplicate_of_lead_id: string | null;
  account_id: string | null;
  status: Generated<LeadStatus>;
  is_junk: Generated<boolean>;
  score: number | null;
  priority_tier: string | null;
  category: string | null;
  category_confidence: number | null;
  classifier: string | null;
  route_path_key: string | null;
  table_version_id: string | null;
  rule_id: string | null;
  first_owner_rep_id: string | null;
  owner_rep_id: string | null;
  owner_queue: string | null;
  team_id: string | null;
  received_at: Timestamp;
  assigned_at: NullableTimestamp;
  sla_due_at: NullableTimestamp;
  first_touch_at: NullableTimestamp;
  decision: "accepted" | "rejected" | null;
  decision_at: NullableTimestamp;
  meeting_booked_at: NullableTimestamp;
  opportunity_created_at: NullableTimestamp;
  opportunity_amount: number | null;
  closed_at: NullableTimestamp;
  ever_wrong_assigned: Generated<boolean>;
  ever_in_review: Generated<boolean>;
  review_reason: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface LeadEventsTable {
  id: Generated<number>;
  workspace_id: string;
  lead_id: string;
  type: LeadEventType;
  occurred_at: Timestamp;
  recorded_at: CreatedAt;
  actor_user_id: string | null;
  rep_id: string | null;
  reason_code: string | null;
  amount: number | null;
  currency: string | null;
  external_id: string | null;
  duration_ms: number | null;
  data: Json<Record<string, unknown>>;
}

/** The per-lead metric projection (migration 0004), refreshed from the event log by every event writer. */
export interface LeadMetricsTable {
  lead_id: string;
  workspace_id: string;
  received_at: Timestamp;
  route_path_key: string | null;
  source_id: string | null;
  team_id: string | null;
  owner_rep_id: string | null;
  first_rep_id: string | null;
  table_version_id: string | null;
  assigned_at: NullableTimestamp;
  first_touch_at: NullableTimestamp;
  sla_due_at: NullableTimestamp;
  stl_minutes: number | null;
  system_minutes: number | null;
  human_minutes: number | null;
  stl_business_minutes: number | null;
  system_business_minutes: number | null;
  human_business_minutes: number | null;
  assigned_to_owner: boolean;
  routed_to_sales: boolean;
  wrong_assigned: boolean;
  decision: "accepted" | "rejected" | null;
  meeting_booked: boolean;
  pipeline_amount: number;
  opportunities: number;
  entered_review: boolean;
  /** Fairness facts (migration 0005): [{ repId, reason }] of skips that cost an eligible rep a turn; null when none. */
  skips: Json<Array<{ repId: string; reason: string }>> | null;
  /** [{ repId, reason }] of the lead's rejections; null when none. */
  rejections: Json<Array<{ repId: string; reason: string | null }>> | null;
  updated_at: UpdatedAt;
}

/** Daily rollups of lead_metrics (migration 0005) for long dashboard periods. */
export interface LeadMetricsDailyTable {
  workspace_id: string;
  day: string;
  route_path_key: string;
  time_zone: string;
  volume: number;
  stl_n: number;
  sla_touched: number;
  sla_touched_breached: number;
  assigned: number;
  wrong: number;
  accepted: number;
  rejected: number;
  sales_routed: number;
  meetings: number;
  pipeline: number;
  opportunities: number;
  triaged: number;
  sketches: Json<Record<string, Record<string, number>>>;
  updated_at: UpdatedAt;
}

/** What-if history, one encoded row per workspace and UTC day of arrival (migration 0006, history-codec.ts). */
export interface SimulationHistoryDaysTable {
  workspace_id: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  format: number;
  lead_count: number;
  /** Buffer from pg, Uint8Array from PGlite. */
  data: Uint8Array;
  built_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Days changed since their history row was built: one mark per writing transaction and day (trigger-written). */
export interface SimulationHistoryDirtyTable {
  id: Generated<string>;
  workspace_id: string;
  day: string;
  xid: Generated<string>;
}

export interface LeadMetricsRollupStateTable {
  workspace_id: string;
  time_zone: string;
  /** When the rollups were last rebuilt in full. */
  built_at: UpdatedAt;
}

export interface LeadTasksTable {
  id: Generated<string>;
  workspace_id: string;
  lead_id: string;
  rep_id: string | null;
  kind: string;
  title: string;
  due_at: NullableTimestamp;
  status: Generated<"open" | "done" | "cancelled">;
  created_at: CreatedAt;
  completed_at: NullableTimestamp;
}

export interface ReviewItemsTable {
  id: Generated<string>;
  workspace_id: string;
  lead_id: string;
  reason_code: string;
  reason_text: string;
  status: Generated<"open" | "resolved">;
  entered_at: Timestamp;
  due_at: NullableTimestamp;
  assigned_user_id: string | null;
  resolved_at: NullableTimestamp;
  resolved_by: string | null;
  resolution: Json<Record<string, unknown> | null>;
}

export interface JobsTable {
  id: Generated<number>;
  workspace_id: string | null;
  queue: Generated<string>;
  kind: string;
  payload: Json<Record<string, unknown>>;
  run_at: Timestamp;
  status: Generated<"queued" | "running" | "done" | "failed" | "dead" | "cancelled">;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_by: string | null;
  locked_until: NullableTimestamp;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: CreatedAt;
  finished_at: NullableTimestamp;
  /** 0007: the lead the job acts for. */
  lead_id: string | null;
  /** 0007: when a worker first claimed it. */
  first_claimed_at: NullableTimestamp;
}

export interface NotificationsTable {
  id: Generated<string>;
  workspace_id: string;
  user_id: string;
  lead_id: string | null;
  kind: string;
  title: string;
  body: Generated<string>;
  link: string | null;
  created_at: CreatedAt;
  read_at: NullableTimestamp;
}

export interface OutboundWebhooksTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  url: string;
  secret_ciphertext: string;
  event_types: TextArray;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface DeliveriesTable {
  id: Generated<string>;
  workspace_id: string;
  job_id: number | null;
  lead_id: string | null;
  channel: "in_app" | "slack" | "email" | "webhook";
  target: string;
  status: "pending" | "delivered" | "retrying" | "dead";
  attempts: Generated<number>;
  response_code: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  delivered_at: NullableTimestamp;
  // 0007
  notification_id: string | null;
  /** The id receivers deduplicate on (Standard Webhooks' webhook-id; also sent to Slack and in the email's headers). */
  event_id: string | null;
  /** What was sent (title, text, link, and the webhook body). */
  payload: ColumnType<Record<string, unknown>, Record<string, unknown> | string | undefined, Record<string, unknown> | string>;
  next_attempt_at: NullableTimestamp;
  last_attempt_at: NullableTimestamp;
}

export interface SimulationsTable {
  id: Generated<string>;
  workspace_id: string;
  table_id: string;
  draft_version_id: string;
  baseline_version_id: string | null;
  period_start: Timestamp;
  period_end: Timestamp;
  filters: Json<Record<string, unknown>>;
  status: Generated<"queued" | "running" | "done" | "failed" | "cancelled">;
  progress: Generated<number>;
  /** While running: "building" the period's stored history, then "replaying" it (migration 0006). */
  phase: "building" | "replaying" | null;
  lead_count: number | null;
  result: Json<Record<string, unknown> | null>;
  error: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface MonthlyReviewsTable {
  id: Generated<string>;
  workspace_id: string;
  period_start: ColumnType<string, string, string>;
  period_end: ColumnType<string, string, string>;
  status: Generated<"draft" | "in_review" | "signed_off">;
  packet: Json<Record<string, unknown>>;
  checklist: Json<unknown[]>;
  narrative: string | null;
  narrative_source: string | null;
  narrative_at: NullableTimestamp;
  narrative_error: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  signed_off_at: NullableTimestamp;
}

export interface ReviewCommentsTable {
  id: Generated<string>;
  review_id: string;
  author_user_id: string;
  body: string;
  created_at: CreatedAt;
}

export interface ReviewActionItemsTable {
  id: Generated<string>;
  review_id: string;
  title: string;
  owner_user_id: string | null;
  due_date: ColumnType<string | null, string | null | undefined, string | null>;
  status: Generated<"open" | "done" | "dropped">;
  draft_version_id: string | null;
  simulation_id: string | null;
  created_at: CreatedAt;
}

export interface ReviewSignoffsTable {
  review_id: string;
  user_id: string;
  role: string;
  signed_at: CreatedAt;
}

export interface ClassifierModelsTable {
  id: Generated<string>;
  workspace_id: string;
  kind: string;
  trained_at: Timestamp;
  training_size: number;
  model: Json<Record<string, unknown>>;
  metrics: Json<Record<string, unknown>>;
  active: Generated<boolean>;
}

export interface ClassificationLabelsTable {
  id: Generated<string>;
  workspace_id: string;
  lead_id: string | null;
  text: string;
  label: string;
  source: "review" | "rejection" | "import" | "seed" | "manual";
  created_by: string | null;
  created_at: CreatedAt;
}

export interface ImportJobsTable {
  id: Generated<string>;
  workspace_id: string;
  kind: "leads" | "accounts" | "reps";
  filename: string;
  status: Generated<"pending" | "running" | "paused" | "done" | "failed">;
  mapping: Json<Record<string, unknown>>;
  total_rows: number | null;
  processed_rows: Generated<number>;
  error_count: Generated<number>;
  errors: Json<unknown[]>;
  cursor: Json<Record<string, unknown> | null>;
  created_by: string | null;
  created_at: CreatedAt;
  finished_at: NullableTimestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  workspace_id: string;
  actor_user_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: Generated<string>;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  created_at: CreatedAt;
}

export interface Database {
  workspaces: WorkspacesTable;
  teams: TeamsTable;
  reps: RepsTable;
  rep_out_of_office: RepOutOfOfficeTable;
  users: UsersTable;
  accounts: AccountsTable;
  route_paths: RoutePathsTable;
  decision_tables: DecisionTablesTable;
  decision_table_versions: DecisionTableVersionsTable;
  decision_table_tests: DecisionTableTestsTable;
  assignment_state: AssignmentStateTable;
  sources: SourcesTable;
  api_keys: ApiKeysTable;
  leads: LeadsTable;
  lead_events: LeadEventsTable;
  lead_metrics: LeadMetricsTable;
  lead_metrics_daily: LeadMetricsDailyTable;
  lead_metrics_rollup_state: LeadMetricsRollupStateTable;
  simulation_history_days: SimulationHistoryDaysTable;
  simulation_history_dirty: SimulationHistoryDirtyTable;
  lead_tasks: LeadTasksTable;
  review_items: ReviewItemsTable;
  jobs: JobsTable;
  notifications: NotificationsTable;
  outbound_webhooks: OutboundWebhooksTable;
  deliveries: DeliveriesTable;
  simulations: SimulationsTable;
  monthly_reviews: MonthlyReviewsTable;
  review_comments: ReviewCommentsTable;
  review_action_items: ReviewActionItemsTable;
  review_signoffs: ReviewSignoffsTable;
  classifier_models: ClassifierModelsTable;
  classification_labels: ClassificationLabelsTable;
  import_jobs: ImportJobsTable;
  audit_log: AuditLogTable;
}

export type Workspace = Selectable<WorkspacesTable>;
export type Team = Selectable<TeamsTable>;
export type Rep = Selectable<RepsTable>;
export type User = Selectable<UsersTable>;
export type Account = Selectable<AccountsTable>;
export type RoutePath = Selectable<RoutePathsTable>;
export type Lead = Selectable<LeadsTable>;
export type NewLead = Insertable<LeadsTable>;
export type LeadUpdate = Updateable<LeadsTable>;
export type LeadEvent = Selectable<LeadEventsTable>;
export type NewLeadEvent = Insertable<LeadEventsTable>;
