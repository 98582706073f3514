/**
 * The job queue's SQL (jobs table, migrations 0001 and 0007). Why a table claimed with FOR UPDATE SKIP LOCKED and
 * not pg-boss or graphile-worker: both need LISTEN/NOTIFY, advisory locks and background connections that embedded
 * PGlite (one connection in this process) does not give them, and the SLA timers want to be enqueued in the very
 * transaction that assigns the lead — so an acknowledged lead can never be left without its clock. A plain table
 * does all of that on both engines.
 *
 * The protocol: a worker claims due rows (status queued, run_at ≤ now) with a lease (locked_by, locked_until);
 * every completion and failure is fenced on `locked_by` — a worker whose lease expired and was re-claimed by
 * another cannot complete the job a second time. A worker that dies (SIGKILL) leaves its leases to expire; the
 * next claim puts them back in the queue.
 */
import "server-only";
import { sql, type Kysely, type Transaction } from "kysely";
import { json } from "@/db";
import type { Database } from "@/db/types";

type Db = Kysely<Database>;

export interface NewJob {
  workspaceId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  runAt: Date;
  leadId?: string | null;
  /** A job with the same key is not enqueued while the first is queued or running (migration 0003's index). */
  dedupeKey?: string | null;
  maxAttempts?: number;
  queue?: string;
}

export interface ClaimedJob {
  id: number;
  workspaceId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  runAt: Date;
  /** This claim included. */
  attempts: number;
  maxAttempts: number;
  leadId: string | null;
  firstClaimedAt: Date;
}

/** Inserts jobs (a live job's dedupe key skips the newcomer); returns how many were new. */
export async function enqueueJobs(db: Db | Transaction<Database>, jobs: readonly NewJob[]): Promise<number> {
  if (!jobs.length) return 0;
  let inserted = 0;
  // Chunks keep each statement's parameter count well under PostgreSQL's 65,535.
  for (let i = 0; i < jobs.length; i += 1000) {
    const rows = await db.insertInto("jobs").values(jobs.slice(i, i + 1000).map((j) => ({
      workspace_id: j.workspaceId, kind: j.kind, payload: json(j.payload), run_at: j.runAt, lead_id: j.leadId ?? null,
      dedupe_key: j.dedupeKey ?? null, max_attempts: j.maxAttempts ?? 8, queue: j.queue ?? "default",
    }))).onConflict((oc) => oc.column("dedupe_key").where(sql<boolean>`dedupe_key is not null and status in ('queued', 'running')`).doNothing()).returning("id").execute();
    inserted += rows.length;
  }
  return inserted;
}

/**
 * Expired leases (a worker died or hung past its lease): back to the queue at their original time, or dead when
 * their attempts are used up. Returns how many came back, and the jobs that died (their handlers may record it).
 */
export async function reclaimExpired(db: Db, now: Date): Promise<{ requeued: number; dead: Array<{ id: number; kind: string; payload: Record<string, unknown> }> }> {
  const r = await sql<{ id: number; kind: string; payload: Record<string, unknown>; status: "queued" | "dead" }>`
    update jobs set
      status = case when attempts >= max_attempts then 'dead' else 'queued' end,
      finished_at = case when attempts >= max_attempts then ${now}::timestamptz end,
      last_error = coalesce(last_error || chr(10), '') || 'lease expired: the worker ' || coalesce(locked_by, '?') || ' stopped before finishing',
      locked_by = null, locked_until = null
    where status = 'running' and locked_until < ${now}
    returning id, kind, payload, status`.execute(db);
  const dead = r.rows.filter((x) => x.status === "dead").map((x) => ({ id: Number(x.id), kind: x.kind, payload: x.payload }));
  return { requeued: r.rows.length - dead.length, dead };
}

/** Claims up to `limit` due jobs, earliest first, skipping rows other workers hold. */
export async function claimJobs(db: Db, o: { workerId: string; now: Date; limit: number; leaseMs: number }): Promise<ClaimedJob[]> {
  const until = new Date(o.now.getTime() + o.leaseMs);
  const r = await sql<{
    id: number; workspace_id: string | null; kind: string; payload: Record<string, unknown>; run_at: Date; attempts: number; max_attempts: number;
    lead_id: string | null; first_claimed_at: Date;
  }>`
    update jobs j set status = 'running', attempts = j.attempts + 1, locked_by = ${o.workerId}, locked_until = ${until},
      first_claimed_at = coalesce(j.first_claimed_at, ${o.now})
    from (select id from jobs where status = 'queued' and run_at <= ${o.now} order by run_at limit ${o.limit} for update skip locked) due
    where j.id = due.id
    returning j.id, j.workspace_id, j.kind, j.payload, j.run_at, j.attempts, j.max_attempts, j.lead_id, j.first_claimed_at`.execute(db);
  return r.rows
    .map((row) => ({
      id: Number(row.id), workspaceId: row.workspace_id, kind: row.kind, payload: row.payload, runAt: new Date(row.run_at), attempts: row.attempts,
      maxAttempts: row.max_attempts, leadId: row.lead_id, firstClaimedAt: new Date(row.first_claimed_at),
    }))
    .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

/**
 * Locks the jobs of `ids` this worker still holds (inside the transaction that carries out their effects): the
 * fence that keeps a job whose lease was taken over from taking effect twice. Returns the ids still held.
 */
export async function lockHeldJobs(trx: Transaction<Database>, workerId: string, ids: readonly number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await trx.selectFrom("jobs").select("id").where("id", "in", ids as number[]).where("locked_by", "=", workerId).where("status", "=", "running")
    .forUpdate().execute();
  return new Set(rows.map((r) => Number(r.id)));
}

/** Marks held jobs done. Returns the ids completed (a lost lease completes nothing). */
export async function completeJobs(db: Db | Transaction<Database>, workerId: string, ids: readonly number[], now: Date): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await db.updateTable("jobs").set({ status: "done", finished_at: now, locked_by: null, locked_until: null })
    .where("id", "in", ids as number[]).where("locked_by", "=", workerId).where("status", "=", "running").returning("id").execute();
  return rows.map((r) => Number(r.id));
}

/** A failed attempt: queued again at `retryAt`, or dead when its attempts are used up (or `dead` says so). */
export async function failJob(db: Db | Transaction<Database>, workerId: string, id: number, o: { error: string; retryAt: Date; now: Date; dead?: boolean }): Promise<"queued" | "dead" | null> {
  const dead = o.dead ? sql`true` : sql`attempts >= max_attempts`;
  const r = await sql<{ status: "queued" | "dead" }>`
    update jobs set
      status = case when ${dead} then 'dead' else 'queued' end,
      run_at = case when ${dead} then run_at else ${o.retryAt}::timestamptz end,
      finished_at = case when ${dead} then ${o.now}::timestamptz end,
      last_error = ${o.error.slice(0, 2000)},
      locked_by = null, locked_until = null
    where id = ${id} and locked_by = ${workerId} and status = 'running'
    returning status`.execute(db);
  return r.rows[0]?.status ?? null;
}

/** Cancels a lead's pending jobs of these kinds (a touch stops its SLA chain). */
export async function cancelLeadJobs(db: Db | Transaction<Database>, leadId: string, kinds: readonly string[], now: Date): Promise<number> {
  const r = await db.updateTable("jobs").set({ status: "cancelled", finished_at: now })
    .where("lead_id", "=", leadId).where("status", "=", "queued").where("kind", "in", kinds as string[]).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Dead jobs back in the queue, due now, with fresh attempts (the Settings "Retry" button). */
export async function retryDeadJobs(db: Db, workspaceId: string, ids: readonly number[], now: Date): Promise<number> {
  if (!ids.length) return 0;
  const r = await db.updateTable("jobs").set({ status: "queued", run_at: now, attempts: 0, finished_at: null, locked_by: null, locked_until: null })
    .where("workspace_id", "=", workspaceId).where("id", "in", ids as number[]).where("status", "=", "dead").executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The earliest run_at of a queued job (the worker sleeps until then), or null. */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const row = await db.selectFrom("jobs").select("run_at").where("status", "=", "queued").orderBy("run_at").limit(1).executeTakeFirst();
  return row ? new Date(row.run_at) : null;
}
