/**
 * History for what-if simulation: each lead with the facts it was routed on (leads.facts, stored by ingestion and
 * import) and what became of it (lead_metrics). Read in time slices, each as one JSON array built by the database
 * (one value per slice instead of a million rows through the driver's row parser).
 */
import "server-only";
import { sql, type Kysely } from "kysely";
import type { Database } from "@/db/types";
import type { LeadFacts } from "@/lib/routing/facts";
import type { HistoryLead } from "@/lib/simulate";

export interface HistoryFilters {
  sourceIds?: string[];
  /** Route paths the leads took in history. */
  routes?: string[];
}

/** Fact keys read for every lead besides the tables' own input fields (guards, assignment, segments). */
const BASE_FACTS = ["category", "confidence", "ai_fields", "region", "country", "product_interest", "score", "priority_tier", "employees", "is_existing_customer", "urgency", "seniority", "lead_source", "business_email", "industry", "timeline_days", "classifier"];

/** Fields before the facts object in each row of a slice (see loadHistorySlice). */
const FIXED = 16;

export interface HistorySlice {
  since: Date;
  until: Date;
}

/** Splits a period into slices of about `days` days (the last one shorter). */
export function historySlices(since: Date, until: Date, days = 7): HistorySlice[] {
  const out: HistorySlice[] = [];
  const step = days * 86_400_000;
  for (let t = since.getTime(); t < until.getTime(); t += step) out.push({ since: new Date(t), until: new Date(Math.min(until.getTime(), t + step)) });
  return out;
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

/**
 * One slice of history in arrival order.
 *
 * Cost (measured on 1M leads, 7-day slices of ~20k): lead_metrics is joined on the lead and bounded to the slice
 * through its own received_at (the lead's, copied by leadMetricRow; indexed) — unbounded, the planner hashed the
 * whole table for every slice, which cost more than all the rest. The facts travel as the stored object (one value
 * instead of a jsonb extraction per key) and are used as parsed when they hold only wanted keys. The arrival order
 * is restored here: an ORDER BY inside json_agg sorted every slice's wide rows again (spilling past work_mem) while
 * the index scan already delivers them in order.
 */
export async function loadHistorySlice(
  db: Kysely<Database>,
  workspaceId: string,
  slice: HistorySlice,
  filters: HistoryFilters,
  factKeys: readonly string[],
  now: Date,
): Promise<HistoryLead[]> {
  const r = await sql<{ rows: unknown }>`
    select coalesce(json_agg(json_build_array(
        l.id, (extract(epoch from l.received_at) * 1000)::float8, l.is_junk, coalesce((l.facts ->> 'junk_suspect')::boolean, false),
        a.owner_rep_id, l.route_path_key, l.ever_in_review,
        (extract(epoch from coalesce(l.closed_at, case when l.decision = 'rejected' then l.decision_at end)) * 1000)::float8,
        m.first_rep_id, r.team_id, m.human_business_minutes,
        (m.first_touch_at is null and m.sla_due_at < ${now}), coalesce(m.routed_to_sales, false), m.decision,
        coalesce(m.meeting_booked, false), coalesce(m.pipeline_amount, 0),
        l.facts
      )), '[]'::json) as rows
    from leads l
    left join accounts a on a.id = l.account_id
    left join lead_metrics m on m.lead_id = l.id and m.workspace_id = ${workspaceId} and m.received_at >= ${slice.since} and m.received_at < ${slice.until}
    left join reps r on r.id = m.first_rep_id
    where ${conditions(workspaceId, slice, filters)}`.execute(db);
  const raw = r.rows[0]?.rows;
  const rows = (typeof raw === "string" ? JSON.parse(raw) : raw) as unknown[][];
  // Arrival order: received time, then id (uuid order is the order of its lower-case text).
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) sorted = compareArrival(rows[i - 1]!, rows[i]!) <= 0;
  if (!sorted) rows.sort(compareArrival);
  const wanted = new Set(factKeys);
  const aiFieldsCache = new Map<string, string[]>();
  const out: HistoryLead[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const stored = row[FIXED];
    const source = stored !== null && typeof stored === "object" && !Array.isArray(stored) ? (stored as Record<string, unknown>) : NO_FACTS;
    // The lead's facts: the wanted keys with a value. The parsed object itself when that is all it holds (most
    // leads), else a copy of those keys.
    let facts: Record<string, unknown> = source;
    for (const key in source) {
      if (source[key] === null || !wanted.has(key)) {
        facts = {};
        for (let k = 0; k < factKeys.length; k++) {
          const name = factKeys[k]!;
          const v = Object.prototype.hasOwnProperty.call(source, name) ? source[name] : undefined;
          if (v !== null && v !== undefined) facts[name] = v;
        }
        break;
      }
    }
    if (facts === NO_FACTS) facts = {};
    // Most leads share a handful of ai_fields lists: share the arrays.
    const ai = facts.ai_fields;
    if (Array.isArray(ai)) {
      const key = ai.join(",");
      let shared = aiFieldsCache.get(key);
      if (!shared) aiFieldsCache.set(key, (shared = ai as string[]));
      facts.ai_fields = shared;
    }
    const tier = facts.priority_tier;
    out[i] = {
      id: row[0] as string,
      receivedAt: row[1] as number,
      facts: facts as LeadFacts,
      junk: row[2] as boolean,
      junkDoubt: row[3] as boolean,
      accountOwnerRepId: row[4] as string | null,
      actualRoute: row[5] as string | null,
      actualReview: row[6] as boolean,
      releaseAt: row[7] as number | null,
      firstRepId: row[8] as string | null,
      firstTeamId: row[9] as string | null,
      humanBusinessMinutes: row[10] as number | null,
      untouchedPastDue: row[11] === true,
      routedToSales: row[12] as boolean,
      decision: row[13] as "accepted" | "rejected" | null,
      meeting: row[14] as boolean,
      pipeline: Number(row[15] ?? 0),
      segment: typeof tier === "string" ? tier : "none",
    };
  }
  return out;
}

const NO_FACTS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

function compareArrival(a: unknown[], b: unknown[]): number {
  const ta = a[1] as number;
  const tb = b[1] as number;
  if (ta !== tb) return ta - tb;
  const ia = a[0] as string;
  const ib = b[0] as string;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}
