/**
 * What the simulation benchmark adds to the dashboard generator's history (tests/bench/dashboard/), as a
 * post-processing step on the loaded database rather than a change to that generator:
 *
 * - leads.facts gain `classifier` and `ai_fields` as live ingestion records them (the AI-derived facts are listed, so
 *   the confidence guard of the decide step sees them: a low-confidence lead whose fired rule tested `category` goes to
 *   the review queue, as the generator's history did);
 * - leads.account_id links leads to the workspace's 300 CRM accounts (most with an owner): every lead whose company
 *   domain is an account's domain, and existing customers whose company is an account by name — so the AE route's
 *   account-owner strategy has owners to find;
 * - one draft version of the routing table that changes two rules of the published version (R07 widens the
 *   mid-market band to 100–999 employees, R09 raises the SDR size floor from 10 to 50), so baseline and draft really
 *   are evaluated separately and leads really move.
 *
 * The UPDATE rewrites every lead once; the secondary indexes are dropped around it and VACUUM FULL compacts the heap
 * afterwards (it keeps the arrival order the loader wrote), so the database the benchmark reads is as compact as the
 * loader left it.
 */
import type { Kysely } from "kysely";
import { json } from "@/db";
import type { Database } from "@/db/types";
import { check, parseDecisionTable, type DecisionTable } from "@/lib/decision-table";
import { liveVersionId } from "@/server/services/routing/versions.service";
import type { Exec } from "../dashboard/load";

/** The AI-derived facts live ingestion lists for a classified (not form-answered) lead. */
export const AI_FIELDS = ["urgency", "timeline_days", "category", "confidence"] as const;
/** Marks the benchmark's draft (so a reused database finds it). */
export const DRAFT_REASON = "bench:simulate — R07 widened to 100–999 employees, R09 floor raised to 50";

export interface PrepareTimings {
  totalMs: number;
  updateMs: number;
  vacuumMs: number;
  indexMs: number;
  linkedLeads: number;
  accountsWithOwner: number;
}

/** Post-processes the generated history (see the header). `replica`: skip FK checks for the session (PostgreSQL). */
export async function enrichHistory(exec: Exec, workspaceId: string, o: { replica: boolean; progress: (line: string) => void }): Promise<PrepareTimings> {
  const started = performance.now();
  const indexes = await exec.query<{ name: string; def: string }>(
    `select c.relname as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
      where t.relname = 'leads' and not i.indisprimary and t.relnamespace = 'public'::regnamespace order by c.relname`,
  );
  for (const ix of indexes) await exec.query(`drop index ${ix.name}`);
  if (o.replica) await exec.query(`set session_replication_role = replica`);
  await exec.query(`set synchronous_commit = off`).catch(() => undefined);
  const u0 = performance.now();
  // Accounts by domain (any lead from that company's domain) and, for existing customers, by company name.
  await exec.query(`drop table if exists bench_account_map`);
  await exec.query(
    `create temp table bench_account_map as
       select l.id as lead_id, a.id as account_id
         from leads l join accounts a on a.workspace_id = l.workspace_id and a.domain = l.company_domain
        where l.workspace_id = $1`,
    [workspaceId],
  );
  await exec.query(
    `insert into bench_account_map (lead_id, account_id)
       select distinct on (l.id) l.id, a.id
         from leads l join accounts a on a.workspace_id = l.workspace_id and a.name = l.company
        where l.workspace_id = $1 and (l.facts ->> 'is_existing_customer')::boolean
          and not exists (select 1 from bench_account_map m where m.lead_id = l.id)
        order by l.id, a.id`,
    [workspaceId],
  );
  await exec.query(`create unique index on bench_account_map (lead_id)`);
  await exec.query(`analyze bench_account_map`);
  const extra = JSON.stringify({ classifier: "offline", ai_fields: AI_FIELDS });
  await exec.query(
    `update leads l set facts = l.facts || $2::jsonb, account_id = m.account_id
       from leads l2 left join bench_account_map m on m.lead_id = l2.id
      where l2.id = l.id and l.workspace_id = $1`,
    [workspaceId, extra],
  );
  const [linked] = await exec.query<{ n: number | string; owned: number | string }>(
    `select count(*) as n, count(*) filter (where a.owner_rep_id is not null) as owned from bench_account_map m join accounts a on a.id = m.account_id`,
  );
  await exec.query(`drop table bench_account_map`);
  const updateMs = performance.now() - u0;
  o.progress(`  facts (classifier, ai_fields) and account links on every lead: ${((updateMs) / 1000).toFixed(1)} s; ${Number(linked?.n ?? 0).toLocaleString("en-US")} leads linked to an account`);
  if (o.replica) await exec.query(`set session_replication_role = origin`);
  const v0 = performance.now();
  await exec.query(`vacuum full leads`);
  const vacuumMs = performance.now() - v0;
  o.progress(`  VACUUM FULL leads: ${(vacuumMs / 1000).toFixed(1)} s`);
  const i0 = performance.now();
  await exec.query(`set maintenance_work_mem = '512MB'`).catch(() => undefined);
  for (const ix of indexes) await exec.query(ix.def);
  await exec.query(`reset maintenance_work_mem`).catch(() => undefined);
  await exec.query(`vacuum (analyze) leads`);
  const indexMs = performance.now() - i0;
  o.progress(`  ${indexes.length} secondary indexes of leads rebuilt, VACUUM (ANALYZE): ${(indexMs / 1000).toFixed(1)} s`);
  await exec.query(`reset synchronous_commit`).catch(() => undefined);
  const [owners] = await exec.query<{ n: number | string }>(`select count(*) as n from accounts where workspace_id = $1 and owner_rep_id is not null`, [workspaceId]);
  return { totalMs: performance.now() - started, updateMs, vacuumMs, indexMs, linkedLeads: Number(linked?.n ?? 0), accountsWithOwner: Number(owners?.n ?? 0) };
}

/** JSON with object keys sorted (jsonb hands objects back with its own key order). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

/** The two rules the benchmark's draft changes. */
export function draftDefinition(published: DecisionTable): DecisionTable {
  const rules = published.rules.map((r) => {
    if (r.id === "R07") return { ...r, annotation: "Mid-market enterprise inquiry (100+ employees)", when: { ...r.when, employees: "[100..999]" } };
    if (r.id === "R09") return { ...r, annotation: "Qualified demand from companies of 50+", when: { ...r.when, employees: ">= 50" } };
    return r;
  });
  const changed = rules.filter((r, i) => r !== published.rules[i]).length;
  if (changed !== 2) throw new Error(`the published table has no R07/R09 to change (changed ${changed} rules)`);
  return parseDecisionTable({ ...published, rules });
}

export interface SimulationSetup {
  workspaceId: string;
  tableId: string;
  userId: string;
  /** The published version live at `now` (the simulation's baseline). */
  baseline: { id: string; version: number; definition: DecisionTable };
  draft: { id: string; version: number; definition: DecisionTable };
}

/** Finds (or creates) the benchmark's draft next to the version published at `now`. */
export async function simulationSetup(db: Kysely<Database>, workspaceId: string, now: Date): Promise<SimulationSetup> {
  const table = await db.selectFrom("decision_tables").select("id").where("workspace_id", "=", workspaceId).orderBy("created_at").executeTakeFirstOrThrow();
  const liveId = await liveVersionId(db, workspaceId, table.id, now);
  if (!liveId) throw new Error("no version of the routing table is live at the benchmark's now");
  const published = await db.selectFrom("decision_table_versions").select(["id", "table_id", "version", "definition"]).where("id", "=", liveId).executeTakeFirstOrThrow();
  const ops = await db.selectFrom("users").select("id").where("workspace_id", "=", workspaceId).where("role", "=", "ops").orderBy("email").executeTakeFirstOrThrow();
  const baseDef = parseDecisionTable(published.definition);
  const def = draftDefinition(baseDef);
  const errors = check(def).filter((d) => d.severity === "error");
  if (errors.length) throw new Error(`the benchmark draft has errors: ${errors.map((e) => e.message).join("; ")}`);
  let draft = await db.selectFrom("decision_table_versions").select(["id", "version", "definition"])
    .where("table_id", "=", published.table_id).where("status", "=", "draft").where("change_reason", "=", DRAFT_REASON).executeTakeFirst();
  if (draft && canonical(parseDecisionTable(draft.definition)) !== canonical(def)) {
    await db.deleteFrom("simulations").where("draft_version_id", "=", draft.id).execute();
    await db.deleteFrom("decision_table_versions").where("id", "=", draft.id).execute();
    draft = undefined;
  }
  if (!draft) {
    const max = await db.selectFrom("decision_table_versions").select((eb) => eb.fn.max("version").as("v")).where("table_id", "=", published.table_id).executeTakeFirstOrThrow();
    draft = await db.insertInto("decision_table_versions").values({
      workspace_id: workspaceId, table_id: published.table_id, version: Number(max.v) + 1, status: "draft", definition: json(def as unknown as Record<string, unknown>),
      change_reason: DRAFT_REASON, based_on_version_id: published.id, created_by: ops.id, created_at: now, updated_at: now,
    }).returning(["id", "version", "definition"]).executeTakeFirstOrThrow();
  }
  return {
    workspaceId, tableId: published.table_id, userId: ops.id,
    baseline: { id: published.id, version: published.version, definition: baseDef },
    draft: { id: draft.id, version: draft.version, definition: def },
  };
}
