/**
 * Bulk loading of the generated history into PostgreSQL or PGlite: secondary indexes dropped and rebuilt around
 * the load (their definitions read back from the catalog, so they are exactly the migrations' indexes), foreign-key
 * and append-only triggers off for the loading session only (session_replication_role = replica, as a data-only
 * restore does; the rows are consistent by construction and `checkConsistency` proves the references), one
 * multi-row unnest INSERT per table per batch, the next batch generated while the previous one is in flight, then
 * VACUUM (ANALYZE) so the planner has statistics and index-only scans see an all-visible map.
 */
import { CompiledQuery, type Kysely } from "kysely";
import type pg from "pg";
import type { Database } from "@/db/types";
import type { Batch, HistoryGenerator } from "./generator";

/** The few things the loader needs from a connection; the same text runs on pg and PGlite. */
export interface Exec {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

export function pgExec(client: pg.Client): Exec {
  return { query: async <R>(text: string, params?: readonly unknown[]) => (await client.query(text, params as unknown[] | undefined)).rows as R[] };
}

export function kyselyExec(db: Kysely<Database>): Exec {
  return { query: async <R>(text: string, params?: readonly unknown[]) => (await db.executeQuery(CompiledQuery.raw(text, params ? [...params] : []))).rows as R[] };
}

export const BULK_TABLES = ["leads", "lead_events", "lead_metrics"] as const;

interface IndexDef {
  name: string;
  def: string;
}

async function secondaryIndexes(exec: Exec): Promise<IndexDef[]> {
  return exec.query<IndexDef>(
    `select c.relname as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
      where t.relname = any($1::text[]) and not i.indisprimary and t.relnamespace = 'public'::regnamespace
      order by t.relname, c.relname`,
    [`{${BULK_TABLES.join(",")}}`],
  );
}

export interface LoadTimings {
  /** Wall time of the whole load (generation, inserts, index builds, vacuum). */
  totalMs: number;
  /** Node time generating and encoding rows. */
  generateMs: number;
  /** Wall time spent waiting for inserts beyond generation (the loop's idle time). */
  insertWaitMs: number;
  indexMs: number;
  vacuumMs: number;
  indexes: number;
}

/**
 * Streams the generator's batches into the database. `progress` is called after each batch.
 */
export async function bulkLoad(exec: Exec, gen: HistoryGenerator, o: { workspaceId: string; leads: number; batchSize: number; progress: (line: string) => void; replica: boolean }): Promise<LoadTimings> {
  const started = performance.now();
  const indexes = await secondaryIndexes(exec);
  for (const ix of indexes) await exec.query(`drop index ${ix.name}`);
  if (o.replica) await exec.query(`set session_replication_role = replica`);
  await exec.query(`set synchronous_commit = off`).catch(() => undefined);

  const ws = [{ name: "workspace_id", type: "uuid", value: o.workspaceId }];
  const insert = async (b: Batch) => {
    for (const buffer of [b.leads, b.events, b.metrics]) {
      const s = buffer.statement(ws);
      await exec.query(s.text, s.params);
    }
  };
  let inflight: Promise<void> | null = null;
  let waitMs = 0;
  let lastReport = performance.now();
  for (const batch of gen.batches(o.leads, o.batchSize)) {
    if (batch === null) {
      // Let the event loop flush the previous batch's socket writes and read its reply while we generate.
      await new Promise((r) => setImmediate(r));
      continue;
    }
    const w0 = performance.now();
    if (inflight) await inflight;
    waitMs += performance.now() - w0;
    inflight = insert(batch);
    inflight.catch(() => undefined);
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      const s = (performance.now() - started) / 1000;
      o.progress(`  ${gen.stats.leads.toLocaleString("en-US")} leads, ${gen.stats.events.toLocaleString("en-US")} events (${batch.until.toISOString().slice(0, 10)}) — ${s.toFixed(0)} s, ${Math.round(gen.stats.leads / s).toLocaleString("en-US")} leads/s`);
    }
  }
  const w0 = performance.now();
  if (inflight) await inflight;
  waitMs += performance.now() - w0;
  if (o.replica) await exec.query(`set session_replication_role = origin`);

  const i0 = performance.now();
  await exec.query(`set maintenance_work_mem = '512MB'`).catch(() => undefined);
  for (const ix of indexes) {
    const t = performance.now();
    await exec.query(ix.def);
    o.progress(`  index ${ix.name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const indexMs = performance.now() - i0;
  const v0 = performance.now();
  for (const t of BULK_TABLES) await exec.query(`vacuum (analyze) ${t}`);
  await exec.query(`analyze`);
  const vacuumMs = performance.now() - v0;
  await exec.query(`reset maintenance_work_mem`).catch(() => undefined);
  await exec.query(`reset synchronous_commit`).catch(() => undefined);
  return { totalMs: performance.now() - started, generateMs: gen.stats.generateMs, insertWaitMs: waitMs, indexMs, vacuumMs, indexes: indexes.length };
}

export interface TableSize {
  table: string;
  rows: number;
  totalBytes: number;
  heapBytes: number;
  indexBytes: number;
}

export async function tableSizes(exec: Exec): Promise<TableSize[]> {
  const rows = await exec.query<{ table: string; rows: number | string; total: number | string; heap: number | string; idx: number | string }>(
    `select c.relname as table, c.reltuples::bigint as rows, pg_total_relation_size(c.oid) as total, pg_relation_size(c.oid) as heap, pg_indexes_size(c.oid) as idx
       from pg_class c where c.relname = any($1::text[]) and c.relkind = 'r' and c.relnamespace = 'public'::regnamespace order by c.relname`,
    [`{${BULK_TABLES.join(",")}}`],
  );
  return rows.map((r) => ({ table: r.table, rows: Number(r.rows), totalBytes: Number(r.total), heapBytes: Number(r.heap), indexBytes: Number(r.idx) }));
}

/** Counts and reference checks the bypassed foreign keys would have made (events → leads, metrics ↔ leads). */
export async function checkConsistency(exec: Exec): Promise<{ leads: number; events: number; metrics: number; orphanEvents: number; leadsWithoutMetrics: number; ms: number }> {
  const t0 = performance.now();
  const [r] = await exec.query<Record<string, number | string>>(
    `select (select count(*) from leads) as leads, (select count(*) from lead_events) as events, (select count(*) from lead_metrics) as metrics,
            (select count(*) from lead_events e where not exists (select 1 from leads l where l.id = e.lead_id)) as orphan_events,
            (select count(*) from leads l where not exists (select 1 from lead_metrics m where m.lead_id = l.id)) as leads_without_metrics`,
  );
  return {
    leads: Number(r!.leads), events: Number(r!.events), metrics: Number(r!.metrics), orphanEvents: Number(r!.orphan_events),
    leadsWithoutMetrics: Number(r!.leads_without_metrics), ms: performance.now() - t0,
  };
}
