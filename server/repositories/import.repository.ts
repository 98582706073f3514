/** SQL for CSV imports: jobs and their progress, and the rows an import reads and writes. */
import "server-only";
import { sql, type Insertable, type Kysely, type Updateable } from "kysely";
import { json } from "@/db";
import type { AccountsTable, Database, ImportJobsTable, LeadEventsTable, LeadsTable, RepsTable } from "@/db/types";

type Db = Kysely<Database>;

const JOB_COLUMNS = [
  "j.id", "j.workspace_id", "j.kind", "j.filename", "j.status", "j.mapping", "j.total_rows", "j.processed_rows",
  "j.error_count", "j.errors", "j.cursor", "j.created_by", "j.created_at", "j.finished_at",
] as const;

// ------------------------------------------------------------------------------------------------ jobs

export function insertJob(db: Db, row: Insertable<ImportJobsTable>) {
  return db.insertInto("import_jobs").values(row).returning("id").executeTakeFirstOrThrow();
}

export function getJob(db: Db, workspaceId: string, id: string) {
  return db
    .selectFrom("import_jobs as j")
    .leftJoin("users as u", "u.id", "j.created_by")
    .select([...JOB_COLUMNS, "u.name as created_by_name"])
    .where("j.workspace_id", "=", workspaceId)
    .where("j.id", "=", id)
    .executeTakeFirst();
}

export type JobRow = NonNullable<Awaited<ReturnType<typeof getJob>>>;

export function getJobAnyWorkspace(db: Db, id: string) {
  return db
    .selectFrom("import_jobs as j")
    .leftJoin("users as u", "u.id", "j.created_by")
    .select([...JOB_COLUMNS, "u.name as created_by_name"])
    .where("j.id", "=", id)
    .executeTakeFirst();
}

/** Past jobs, newest first, without their error lists. */
export function listJobs(db: Db, workspaceId: string, limit: number) {
  return db
    .selectFrom("import_jobs as j")
    .leftJoin("users as u", "u.id", "j.created_by")
    .select([
      "j.id", "j.kind", "j.filename", "j.status", "j.total_rows", "j.processed_rows", "j.error_count", "j.cursor",
      "j.created_at", "j.finished_at", "u.name as created_by_name",
    ])
    .where("j.workspace_id", "=", workspaceId)
    .orderBy("j.created_at", "desc")
    .limit(limit)
    .execute();
}

export async function setJobMapping(db: Db, id: string, mapping: unknown): Promise<void> {
  await db.updateTable("import_jobs").set({ mapping: json(mapping) }).where("id", "=", id).execute();
}

/**
 * Takes a job for running: pending, paused and failed jobs, and running jobs whose heartbeat is older than
 * `staleBefore` (their process died). Atomic: of two callers, one wins. The winner's `runId` goes on the cursor;
 * progress is only recorded for that run, so a superseded runner can never write. Returns the job, or undefined.
 */
export function claimJob(db: Db, id: string, runId: string, now: Date, staleBefore: Date) {
  return db
    .updateTable("import_jobs")
    .set({
      status: "running",
      finished_at: null,
      cursor: sql`coalesce(cursor, '{}'::jsonb) || jsonb_build_object('heartbeatAt', ${now.toISOString()}::text, 'runId', ${runId}::text) - 'failure'`,
    })
    .where("id", "=", id)
    .where((eb) => eb.or([
      eb("status", "in", ["pending", "paused", "failed"]),
      eb.and([eb("status", "=", "running"), sql<boolean>`coalesce((cursor->>'heartbeatAt')::timestamptz, 'epoch'::timestamptz) < ${staleBefore}`]),
    ]))
    .returning(["id", "processed_rows", "error_count", "errors", "cursor", "total_rows"])
    .executeTakeFirst();
}

export interface JobProgress {
  processedRows: number;
  errorCount: number;
  errors: unknown[];
  cursor: Record<string, unknown>;
}

/**
 * Records a committed batch, inside the batch's transaction. Guarded by status = 'running': when someone paused the
 * job meanwhile it returns false and the caller rolls the batch back.
 */
export async function recordProgress(db: Db, id: string, runId: string, p: JobProgress): Promise<boolean> {
  const r = await db
    .updateTable("import_jobs")
    .set({ processed_rows: p.processedRows, error_count: p.errorCount, errors: json(p.errors), cursor: json({ ...p.cursor, runId }) })
    .where("id", "=", id)
    .where("status", "=", "running")
    .where(sql<boolean>`cursor->>'runId' = ${runId}`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Ends a run (done, failed or paused) — only if `runId` still owns the job. */
export async function finishJob(
  db: Db,
  id: string,
  runId: string,
  status: "done" | "failed" | "paused",
  p: JobProgress & { totalRows?: number | null; finishedAt: Date | null },
): Promise<void> {
  await db
    .updateTable("import_jobs")
    .set({
      status, processed_rows: p.processedRows, error_count: p.errorCount, errors: json(p.errors), cursor: json({ ...p.cursor, runId }),
      finished_at: p.finishedAt, ...(p.totalRows !== undefined ? { total_rows: p.totalRows } : {}),
    })
    .where("id", "=", id)
    .where("status", "in", ["running", "paused"])
    .where(sql<boolean>`cursor->>'runId' = ${runId}`)
    .execute();
}

/** Running → paused. True when it was running. */
export async function pauseJob(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const r = await db
    .updateTable("import_jobs")
    .set({ status: "paused" })
    .where("id", "=", id)
    .where("workspace_id", "=", workspaceId)
    .where("status", "=", "running")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// ------------------------------------------------------------------------------------------------ workspace

export function getWorkspaceInfo(db: Db, workspaceId: string) {
  return db.selectFrom("workspaces").select(["id", "slug", "name", "time_zone", "currency"]).where("id", "=", workspaceId).executeTakeFirstOrThrow();
}

export function listWorkspaces(db: Db) {
  return db.selectFrom("workspaces").select(["id", "slug", "name", "time_zone", "currency"]).orderBy("created_at").execute();
}

export function loadTeams(db: Db, workspaceId: string) {
  return db.selectFrom("teams").select(["id", "key", "name", "time_zone", "weekly_hours", "holidays"]).where("workspace_id", "=", workspaceId).execute();
}

export function loadReps(db: Db, workspaceId: string) {
  return db.selectFrom("reps").select(["id", "team_id", "name", "email", "role"]).where("workspace_id", "=", workspaceId).execute();
}

export function loadRoutePaths(db: Db, workspaceId: string) {
  return db.selectFrom("route_paths").select(["key", "kind", "sla_minutes", "active"]).where("workspace_id", "=", workspaceId).execute();
}

/** The published version of the workspace's first decision table (the one live routing uses), or undefined. */
export function loadPublishedTable(db: Db, workspaceId: string) {
  return db
    .selectFrom("decision_table_versions as v")
    .innerJoin("decision_tables as t", "t.id", "v.table_id")
    .select(["v.id", "v.version", "v.definition"])
    .where("v.workspace_id", "=", workspaceId)
    .where("v.status", "=", "published")
    .orderBy("t.created_at")
    .limit(1)
    .executeTakeFirst();
}

export async function insertTeam(db: Db, row: Insertable<Database["teams"]>): Promise<void> {
  await db.insertInto("teams").values(row).onConflict((oc) => oc.columns(["workspace_id", "key"]).doNothing()).execute();
}

export function teamByKey(db: Db, workspaceId: string, key: string) {
  return db.selectFrom("teams").select(["id", "key", "name", "time_zone", "weekly_hours", "holidays"]).where("workspace_id", "=", workspaceId).where("key", "=", key).executeTakeFirst();
}

export async function insertReps(db: Db, rows: Array<Insertable<RepsTable>>): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto("reps").values(rows).onConflict((oc) => oc.columns(["workspace_id", "email"]).doNothing()).execute();
}

export function repsByEmail(db: Db, workspaceId: string, emails: string[]) {
  if (emails.length === 0) return Promise.resolve([]);
  return db.selectFrom("reps").select(["id", "email", "team_id", "name", "role"]).where("workspace_id", "=", workspaceId).where("email", "in", emails).execute();
}

export async function updateRep(db: Db, id: string, patch: Updateable<RepsTable>): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await db.updateTable("reps").set(patch).where("id", "=", id).execute();
}

// ------------------------------------------------------------------------------------------------ accounts

/** Accounts whose domain or normalised name is one of the given (for matching leads to accounts). */
export function accountsByDomainOrName(db: Db, workspaceId: string, domains: string[], nameKeys: string[]) {
  if (domains.length === 0 && nameKeys.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("accounts")
    .select(["id", "domain", "name_key", "customer_status", "employees", "industry", "region", "country"])
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([
      ...(domains.length ? [eb("domain", "in", domains)] : []),
      ...(nameKeys.length ? [eb("name_key", "in", nameKeys)] : []),
    ]))
    .execute();
}

/** Accounts whose external id or domain is one of the given (the account import's upsert keys). */
export function accountsByKeys(db: Db, workspaceId: string, externalIds: string[], domains: string[]) {
  if (externalIds.length === 0 && domains.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("accounts")
    .select(["id", "external_id", "domain"])
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb.or([
      ...(externalIds.length ? [eb("external_id", "in", externalIds)] : []),
      ...(domains.length ? [eb("domain", "in", domains)] : []),
    ]))
    .execute();
}

export async function insertAccounts(db: Db, rows: Array<Insertable<AccountsTable>>): Promise<void> {
  if (rows.length) await db.insertInto("accounts").values(rows).execute();
}

export async function updateAccount(db: Db, id: string, patch: Updateable<AccountsTable>): Promise<void> {
  await db.updateTable("accounts").set(patch).where("id", "=", id).execute();
}

// ------------------------------------------------------------------------------------------------ leads and events

/** Leads per INSERT: ~50 parameters a row stays well under PostgreSQL's 65,535 bind parameters. */
const LEAD_CHUNK = 1000;

/** Inserts leads, skipping idempotency keys that exist; returns the ids actually inserted. */
export async function insertLeads(db: Db, rows: Array<Insertable<LeadsTable>>): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let i = 0; i < rows.length; i += LEAD_CHUNK) {
    const inserted = await db
      .insertInto("leads")
      .values(rows.slice(i, i + LEAD_CHUNK))
      .onConflict((oc) => oc.columns(["workspace_id", "idempotency_key"]).where("idempotency_key", "is not", null).doNothing())
      .returning("id")
      .execute();
    for (const r of inserted) ids.add(r.id);
  }
  return ids;
}

/** Events per INSERT (10 parameters a row). */
const EVENT_CHUNK = 2000;

/** Inserts events, skipping (lead, external id) pairs that exist; returns how many were inserted per lead. */
export async function insertEvents(db: Db, rows: Array<Insertable<LeadEventsTable>>): Promise<Map<string, number>> {
  const perLead = new Map<string, number>();
  for (let i = 0; i < rows.length; i += EVENT_CHUNK) {
    const inserted = await db
      .insertInto("lead_events")
      .values(rows.slice(i, i + EVENT_CHUNK))
      .onConflict((oc) => oc.columns(["lead_id", "external_id"]).where("external_id", "is not", null).doNothing())
      .returning("lead_id")
      .execute();
    for (const r of inserted) perLead.set(r.lead_id, (perLead.get(r.lead_id) ?? 0) + 1);
  }
  return perLead;
}

/** Leads by idempotency key (the outcomes update finds imported leads by `import:<external id>`). */
export function leadsByIdempotencyKey(db: Db, workspaceId: string, keys: string[]) {
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("leads as l")
    .leftJoin("route_paths as r", (j) => j.onRef("r.workspace_id", "=", "l.workspace_id").onRef("r.key", "=", "l.route_path_key"))
    .select(["l.id", "l.idempotency_key", "l.received_at", "l.owner_rep_id", "l.first_owner_rep_id", "l.status", "l.route_path_key", "r.kind as route_kind"])
    .where("l.workspace_id", "=", workspaceId)
    .where("l.idempotency_key", "in", keys)
    .execute();
}

/** The events the lead projection reads, for a set of leads. */
export function eventsForLeads(db: Db, leadIds: string[]) {
  if (leadIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("lead_events")
    .select(["lead_id", "type", "occurred_at", "rep_id", "reason_code", "amount"])
    .where("lead_id", "in", leadIds)
    .where("type", "in", ["assigned", "reassigned", "first_touch", "accepted", "rejected", "meeting_booked", "opportunity_created", "closed_won", "closed_lost"])
    .orderBy("lead_id")
    .orderBy("occurred_at")
    .orderBy("id")
    .execute();
}

export async function updateLead(db: Db, id: string, patch: Updateable<LeadsTable>): Promise<void> {
  await db.updateTable("leads").set(patch).where("id", "=", id).execute();
}
