/**
 * History for what-if simulation: each lead with the facts it was routed on (leads.facts, stored by ingestion and
 * import) and what became of it (lead_metrics), read from simulation_history_days (migration 0006) — one encoded
 * row per UTC day (history-codec.ts), rebuilt for the days that changed since it was written and read whole.
 *
 * Measured on a year of 1M leads (docs/routing.md): building every day from leads + lead_metrics costs what every
 * simulation used to pay (PostgreSQL ~8 s of CPU on json_agg, Node ~4.5 s parsing); reading the built days is a few
 * hundred milliseconds. The owner of a lead's account and the team of its first rep are looked up as they are now,
 * not stored, so CRM ownership changes never leave a day stale.
 */
import "server-only";
import { sql, type Kysely } from "kysely";
import type { Database } from "@/db/types";
import { dayNumberToIsoDate, isoDateToDayNumber } from "@/lib/calendar";
import { encodeHistoryDay, HISTORY_FORMAT, type HistoryRecord } from "./history-codec";
import { HistoryDayLeads, type HistoryLookups, type HistoryView } from "./history-leads";

export { copyHistoryLead, HistoryDayLeads, type HistoryLookups, type HistoryView } from "./history-leads";

export interface HistoryFilters {
  sourceIds?: string[];
  /** Route paths the leads took in history. */
  routes?: string[];
}

/**
 * Fact keys the replay reads besides the tables' own input fields: the confidence guard (confidence, ai_fields),
 * placement (region, country, product_interest, score) and the outcome segment (priority_tier). Every other fact
 * stays in the stored day, unread.
 */
const BASE_FACTS = ["confidence", "ai_fields", "region", "country", "product_interest", "score", "priority_tier"];

export interface HistorySlice {
  since: Date;
  until: Date;
}

export function historyFactKeys(tableFields: Iterable<string>): string[] {
  return [...new Set([...BASE_FACTS, ...tableFields])];
}

function conditions(workspaceId: string, slice: HistorySlice, filters: HistoryFilters) {
  const parts = [
    sql`l.workspace_id = ${workspaceId}`,
    sql`l.received_at >= ${slice.since}`,
    sql`l.received_at < ${slice.until}`,
    sql`l.status <> 'duplicate'`,
    sql`l.status <> 'new'`,
  ];
  if (filters.sourceIds?.length) parts.push(sql`l.source_id in (${sql.join(filters.sourceIds)})`);
  if (filters.routes?.length) parts.push(sql`l.route_path_key in (${sql.join(filters.routes)})`);
  return sql.join(parts, sql` and `);
}

/** Number of leads a simulation over this period would replay. */
export async function countHistory(db: Kysely<Database>, workspaceId: string, slice: HistorySlice, filters: HistoryFilters): Promise<number> {
  const r = await sql<{ n: string | number }>`select count(*) as n from leads l where ${conditions(workspaceId, slice, filters)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}


const DAY = 86_400_000;
/** Days since 1970-01-01 of a stored "YYYY-MM-DD" (UTC) day; the days here come from the database or historyDays. */
const dayNumber = (day: string) => isoDateToDayNumber(day)!;

/** The UTC days a period touches, in order. */
export function historyDays(period: HistorySlice): string[] {
  const out: string[] = [];
  const last = period.until.getTime() - 1;
  if (last < period.since.getTime()) return out;
  for (let d = Math.floor(period.since.getTime() / DAY); d <= Math.floor(last / DAY); d++) out.push(dayNumberToIsoDate(d));
  return out;
}

/** Days of the period whose stored row is missing, of an older format, or changed since it was built. */
export async function staleHistoryDays(db: Kysely<Database>, workspaceId: string, days: readonly string[]): Promise<string[]> {
  if (!days.length) return [];
  const from = days[0]!;
  const to = days[days.length - 1]!;
  const [built, dirty] = await Promise.all([
    db.selectFrom("simulation_history_days").select("day").where("workspace_id", "=", workspaceId).where("day", ">=", from).where("day", "<=", to)
      .where("format", "=", HISTORY_FORMAT).execute(),
    db.selectFrom("simulation_history_dirty").select("day").distinct().where("workspace_id", "=", workspaceId).where("day", ">=", from).where("day", "<=", to).execute(),
  ]);
  const fresh = new Set(built.map((r) => r.day));
  for (const r of dirty) fresh.delete(r.day);
  return days.filter((d) => !fresh.has(d));
}

const SERIALIZATION_FAILURE = "40001";

/**
 * Rebuilds the given days (ascending) from leads and lead_metrics, `blockDays` consecutive days per REPEATABLE READ
 * transaction: the rows and the dirty marks the transaction deletes come from one snapshot, so a change committed
 * meanwhile keeps its mark and the day is rebuilt next time. `onBlock` reports days done; `stop` ends between blocks.
 */
export async function buildHistoryDays(
  db: Kysely<Database>,
  workspaceId: string,
  days: readonly string[],
  opts: { blockDays?: number; onBlock?: (daysDone: number, leads: number) => Promise<void> | void; stop?: () => boolean } = {},
): Promise<{ days: number; leads: number }> {
  const blockDays = opts.blockDays ?? 7;
  // Consecutive runs of days, at most blockDays each.
  const blocks: string[][] = [];
  for (const day of days) {
    const last = blocks[blocks.length - 1];
    if (last && last.length < blockDays && dayNumber(day) - dayNumber(last[last.length - 1]!) === 1) last.push(day);
    else blocks.push([day]);
  }
  let done = 0;
  let leads = 0;
  let next = 0;
  // Two blocks at a time (their days are disjoint): the database aggregates one while this process encodes and
  // writes the other. PGlite runs them one after the other on its single connection.
  const worker = async () => {
    while (next < blocks.length && !opts.stop?.()) {
      const block = blocks[next++]!;
      for (let attempt = 1; ; attempt++) {
        try {
          leads += await withHistoryLock(db, workspaceId, "shared", (conn) =>
            conn.transaction().setIsolationLevel("repeatable read").execute((trx) => buildBlock(trx, workspaceId, block)));
          break;
        } catch (error) {
          // Another refresh of the same days committed first: read again from a newer snapshot.
          if ((error as { code?: string }).code !== SERIALIZATION_FAILURE || attempt >= 3) throw error;
        }
      }
      done += block.length;
      await opts.onBlock?.(done, leads);
    }
  };
  await Promise.all([worker(), worker()]);
  return { days: done, leads };
}

async function buildBlock(trx: Kysely<Database>, workspaceId: string, block: readonly string[]): Promise<number> {
  const since = new Date(dayNumber(block[0]!) * DAY);
  const until = new Date((dayNumber(block[block.length - 1]!) + 1) * DAY);
  // lead_metrics bounded to the block through its own received_at (indexed): unbounded, the planner hashed the
  // whole table per block. No ORDER BY inside json_agg (it sorted the wide rows again); arrival order is restored
  // below, and the index scan mostly delivers it already.
  const r = await sql<{ rows: unknown }>`
    select coalesce(json_agg(json_build_array(
        l.id, (extract(epoch from l.received_at) * 1000)::float8, l.is_junk, coalesce((l.facts ->> 'junk_suspect')::boolean, false),
        l.account_id, l.route_path_key, l.ever_in_review,
        (extract(epoch from coalesce(l.closed_at, case when l.decision = 'rejected' then l.decision_at end)) * 1000)::float8,
        m.first_rep_id, m.human_business_minutes, m.first_touch_at is not null, (extract(epoch from m.sla_due_at) * 1000)::float8,
        coalesce(m.routed_to_sales, false), m.decision, coalesce(m.meeting_booked, false), coalesce(m.pipeline_amount, 0),
        l.source_id, l.facts, (l.received_at at time zone 'UTC')::date::text
      )), '[]'::json) as rows
    from leads l
    left join lead_metrics m on m.lead_id = l.id and m.workspace_id = ${workspaceId} and m.received_at >= ${since} and m.received_at < ${until}
    where l.workspace_id = ${workspaceId} and l.received_at >= ${since} and l.received_at < ${until}
      and l.status <> 'duplicate' and l.status <> 'new'`.execute(trx);
  const raw = r.rows[0]?.rows;
  const rows = (typeof raw === "string" ? JSON.parse(raw) : raw) as unknown[][];
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) sorted = compareArrival(rows[i - 1]!, rows[i]!) <= 0;
  if (!sorted) rows.sort(compareArrival);
  const byDay = new Map<string, HistoryRecord[]>(block.map((d) => [d, []]));
  for (const row of rows) {
    const stored = row[17];
    const record: HistoryRecord = {
      id: row[0] as string,
      receivedAt: row[1] as number,
      junk: row[2] as boolean,
      junkDoubt: row[3] as boolean,
      accountId: row[4] as string | null,
      route: row[5] as string | null,
      review: row[6] as boolean,
      releaseAt: row[7] as number | null,
      firstRepId: row[8] as string | null,
      humanBusinessMinutes: row[9] as number | null,
      touched: row[10] === true,
      slaDueAt: row[11] as number | null,
      routedToSales: row[12] as boolean,
      decision: row[13] as "accepted" | "rejected" | null,
      meeting: row[14] as boolean,
      pipeline: Number(row[15] ?? 0),
      sourceId: row[16] as string | null,
      facts: stored !== null && typeof stored === "object" && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {},
    };
    // The database's own UTC day (the epoch milliseconds are rounded from microseconds).
    byDay.get(row[18] as string)!.push(record);
  }
  for (const [day, records] of byDay) {
    const data = encodeHistoryDay(records);
    await trx.insertInto("simulation_history_days")
      .values({ workspace_id: workspaceId, day, format: HISTORY_FORMAT, lead_count: records.length, data })
      .onConflict((oc) => oc.columns(["workspace_id", "day"]).doUpdateSet({ format: HISTORY_FORMAT, lead_count: records.length, data, built_at: new Date() }))
      .execute();
  }
  // The marks this snapshot sees: their changes are in the rows just written.
  await trx.deleteFrom("simulation_history_dirty").where("workspace_id", "=", workspaceId)
    .where("day", ">=", block[0]!).where("day", "<=", block[block.length - 1]!).execute();
  return rows.length;
}

/**
 * Runs `fn` on one connection holding the workspace's history lock, taken before `fn` starts its transaction (so a
 * REPEATABLE READ snapshot is taken after the lock): builds share it, pruning takes it alone.
 */
async function withHistoryLock<T>(db: Kysely<Database>, workspaceId: string, mode: "shared" | "exclusive", fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
  const key = `simulation_history:${workspaceId}`;
  return db.connection().execute(async (conn) => {
    await (mode === "shared" ? sql`select pg_advisory_lock_shared(hashtext(${key}))` : sql`select pg_advisory_lock(hashtext(${key}))`).execute(conn);
    try {
      return await fn(conn);
    } finally {
      await (mode === "shared" ? sql`select pg_advisory_unlock_shared(hashtext(${key}))` : sql`select pg_advisory_unlock(hashtext(${key}))`).execute(conn);
    }
  });
}

/**
 * Marks of days that have no stored row are moot (such a day is built from the tables when first needed): deletes
 * them, so marks do not pile up where nobody simulates. Alone under the workspace's history lock and in READ
 * COMMITTED, so no build is between its snapshot and its commit meanwhile — a build that started earlier has
 * stored its day (whose marks stay), one that starts later reads the changes whose marks this deletes.
 * Without a workspace: every workspace (maintainStoredHistory, at startup and every 10 minutes).
 */
export async function pruneHistoryMarks(db: Kysely<Database>, workspaceId?: string): Promise<number> {
  const workspaces = workspaceId ? [workspaceId]
    : (await db.selectFrom("simulation_history_dirty").select("workspace_id").distinct().execute()).map((r) => r.workspace_id);
  let deleted = 0;
  for (const ws of workspaces) {
    deleted += await withHistoryLock(db, ws, "exclusive", async (conn) => {
      const r = await conn.deleteFrom("simulation_history_dirty").where("workspace_id", "=", ws)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom("simulation_history_days as s").select("s.day")
          .whereRef("s.workspace_id", "=", "simulation_history_dirty.workspace_id").whereRef("s.day", "=", "simulation_history_dirty.day"))))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }
  return deleted;
}

/**
 * Keeps stored history warm between simulations: rebuilds every stored day marked as changed (days nobody has
 * stored stay unbuilt), then prunes the marks of unstored days. Run in the background (server/startup.ts) so an
 * interactive run after outcomes arrived reads fresh days instead of rebuilding them first.
 */
export async function maintainStoredHistory(db: Kysely<Database>): Promise<{ workspaces: number; days: number; marksPruned: number }> {
  const marked = await sql<{ workspace_id: string; day: string }>`
    select distinct d.workspace_id, d.day::text as day from simulation_history_dirty d
    join simulation_history_days s on s.workspace_id = d.workspace_id and s.day = d.day
    order by 1, 2`.execute(db);
  const byWorkspace = new Map<string, string[]>();
  for (const r of marked.rows) {
    const days = byWorkspace.get(r.workspace_id) ?? [];
    days.push(r.day);
    byWorkspace.set(r.workspace_id, days);
  }
  let days = 0;
  for (const [ws, list] of byWorkspace) days += (await buildHistoryDays(db, ws, list)).days;
  const marksPruned = await pruneHistoryMarks(db);
  return { workspaces: byWorkspace.size, days, marksPruned };
}

/**
 * The stored days from..to (inclusive), in order. The bytes travel as base64 text: the driver's bytea text format
 * is hex, twice the size, and decoding it took Node ~1.6× as long (measured over a year's 75 MB: 340–415 ms as
 * bytea, 250–290 ms as base64 — the database encodes on its own core).
 */
export async function loadHistoryDays(db: Kysely<Database>, workspaceId: string, from: string, to: string): Promise<Array<{ day: string; data: Uint8Array }>> {
  const rows = await db.selectFrom("simulation_history_days").select(["day", sql<string>`encode(data, 'base64')`.as("data")]).where("workspace_id", "=", workspaceId)
    .where("day", ">=", from).where("day", "<=", to).orderBy("day").execute();
  return rows.map((r) => ({ day: r.day, data: Buffer.from(r.data, "base64") }));
}

export async function historyLookups(db: Kysely<Database>, workspaceId: string): Promise<HistoryLookups> {
  const [accounts, reps] = await Promise.all([
    db.selectFrom("accounts").select(["id", "owner_rep_id"]).where("workspace_id", "=", workspaceId).where("owner_rep_id", "is not", null).execute(),
    db.selectFrom("reps").select(["id", "team_id"]).where("workspace_id", "=", workspaceId).execute(),
  ]);
  return {
    accountOwners: new Map(accounts.map((a) => [a.id, a.owner_rep_id!])),
    repTeams: new Map(reps.filter((r) => r.team_id !== null).map((r) => [r.id, r.team_id!])),
  };
}

/**
 * A period of history in arrival order, a day at a time: first the stale days are rebuilt (`onBuild` reports
 * progress, `stop` ends early), then the stored days are read in chunks of `chunkDays`, two chunks ahead of the
 * caller.
 */
export async function* readHistory(
  db: Kysely<Database>,
  workspaceId: string,
  view: Omit<HistoryView, "lookups">,
  opts: { chunkDays?: number; onBuild?: (daysDone: number, daysTotal: number) => Promise<void> | void; stop?: () => boolean } = {},
): AsyncGenerator<HistoryDayLeads, void, undefined> {
  const days = historyDays({ since: new Date(view.since), until: new Date(view.until) });
  if (!days.length) return;
  const lookupsP = historyLookups(db, workspaceId);
  lookupsP.catch(() => undefined);
  const stale = await staleHistoryDays(db, workspaceId, days);
  if (stale.length) {
    await buildHistoryDays(db, workspaceId, stale, { stop: opts.stop, onBlock: (done) => opts.onBuild?.(done, stale.length) });
    if (opts.stop?.()) return;
  }
  const lookups = await lookupsP;
  const full: HistoryView = { ...view, lookups };
  const chunkDays = opts.chunkDays ?? 14;
  const chunks: Array<[string, string]> = [];
  for (let i = 0; i < days.length; i += chunkDays) chunks.push([days[i]!, days[Math.min(days.length, i + chunkDays) - 1]!]);
  const pending: Array<Promise<Array<{ day: string; data: Uint8Array }>>> = [];
  const load = (i: number) => {
    const p = loadHistoryDays(db, workspaceId, chunks[i]![0], chunks[i]![1]);
    p.catch(() => undefined);
    pending.push(p);
  };
  try {
    for (let i = 0; i < Math.min(2, chunks.length); i++) load(i);
    for (let i = 0; i < chunks.length; i++) {
      const rows = await pending.shift()!;
      if (i + 2 < chunks.length) load(i + 2);
      // A day at a time: its leads are garbage once replayed, before the young generation fills (a 14-day batch
      // of ~40k leads outlived the scavenges and went through the old generation's collections).
      for (const row of rows) yield new HistoryDayLeads(row.data, full);
    }
  } finally {
    await Promise.allSettled(pending);
  }
}

function compareArrival(a: unknown[], b: unknown[]): number {
  const ta = a[1] as number;
  const tb = b[1] as number;
  if (ta !== tb) return ta - tb;
  const ia = a[0] as string;
  const ib = b[0] as string;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}
