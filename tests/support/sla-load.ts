/**
 * Many SLA timers at once, for the worker kill test and bench:sla: a workspace with one team and one rep (with a
 * sign-in, so every breach also writes an in-app notification), `count` assigned, untouched leads with an open
 * first-touch task each, and one `sla.step` breach job per task — exactly what startSlaChain enqueues for a breach
 * step — due from `dueFrom` spread evenly over `spreadMs`. Written with set-based SQL: 100,000 timers in seconds.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "@/db/types";

export interface TimerLoad {
  workspaceId: string;
  repId: string;
  userId: string;
  count: number;
}

/** `jobs: false` leaves out the jobs (a peer queue enqueues its own for the same tasks). */
export async function fabricateDueTimers(db: Kysely<Database>, o: { count: number; dueFrom: Date; spreadMs: number; slug?: string; jobs?: boolean }): Promise<TimerLoad> {
  const slug = o.slug ?? `sla-load-${Date.now().toString(36)}`;
  const ws = await db.insertInto("workspaces").values({ slug, name: "SLA load", settings: "{}" }).returning("id").executeTakeFirstOrThrow();
  const week = { mon: [["00:00", "24:00"]], tue: [["00:00", "24:00"]], wed: [["00:00", "24:00"]], thu: [["00:00", "24:00"]], fri: [["00:00", "24:00"]], sat: [["00:00", "24:00"]], sun: [["00:00", "24:00"]] };
  const team = await db.insertInto("teams").values({ workspace_id: ws.id, key: "t", name: "Load team", time_zone: "UTC", weekly_hours: JSON.stringify(week), holidays: "[]", settings: "{}" })
    .returning("id").executeTakeFirstOrThrow();
  const rep = await db.insertInto("reps").values({ workspace_id: ws.id, team_id: team.id, name: "Load Rep", email: `rep@${slug}.example`, role: "ae", time_zone: "UTC", working_hours: null, settings: "{}", territories: [], products: [], segments: [] })
    .returning("id").executeTakeFirstOrThrow();
  const user = await db.insertInto("users").values({ workspace_id: ws.id, email: `rep@${slug}.example`, name: "Load Rep", password_hash: "x", role: "sales", rep_id: rep.id, preferences: "{}" })
    .returning("id").executeTakeFirstOrThrow();
  const step = JSON.stringify({ kind: "breach", notifyManager: false, notifyChannel: false });
  const from = o.dueFrom.toISOString();
  // Leads, their open tasks, and one breach step per task, due from dueFrom to dueFrom + spreadMs.
  await sql`
    with l as (
      insert into leads (workspace_id, raw_payload, received_at, status, owner_rep_id, first_owner_rep_id, team_id, assigned_at, sla_due_at, email, first_name, last_name, company, route_path_key)
      select ${ws.id}::uuid, '{}'::jsonb, due - interval '30 minutes', 'assigned', ${rep.id}::uuid, ${rep.id}::uuid, ${team.id}::uuid, due - interval '30 minutes', due,
        'lead' || i || '@load.example', 'Lead', i::text, 'Load Co', 'ae-direct'
      from (select i, ${from}::timestamptz + (((i - 1) * ${o.spreadMs}::float8 / greatest(${o.count}::int - 1, 1)) * interval '1 millisecond') as due
            from generate_series(1, ${o.count}::int) i) g
      returning id, sla_due_at, assigned_at
    ), t as (
      insert into lead_tasks (workspace_id, lead_id, rep_id, kind, title, due_at, created_at)
      select ${ws.id}::uuid, l.id, ${rep.id}::uuid, 'first_touch', 'First touch', l.sla_due_at, l.assigned_at from l
      returning id, lead_id, due_at
    )
    insert into jobs (workspace_id, kind, payload, run_at, lead_id, dedupe_key)
    select ${ws.id}::uuid, 'sla.step',
      jsonb_build_object('taskId', t.id, 'repId', ${rep.id}::text, 'stepIndex', 1, 'step', ${step}::jsonb, 'dueAt', to_char(t.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'routeKey', 'ae-direct'),
      t.due_at, t.lead_id, 'sla:' || t.id || ':1'
    from t where ${o.jobs !== false}`.execute(db);
  return { workspaceId: ws.id, repId: rep.id, userId: user.id, count: o.count };
}

/** What the timers' jobs and effects look like now. */
export async function timerCounts(db: Kysely<Database>, workspaceId: string) {
  const r = await sql<{ done: number; queued: number; running: number; dead: number; retried: number; breaches: number; leads_breached: number; notifications: number }>`
    select
      (select count(*) from jobs where workspace_id = ${workspaceId} and status = 'done')::int as done,
      (select count(*) from jobs where workspace_id = ${workspaceId} and status = 'queued')::int as queued,
      (select count(*) from jobs where workspace_id = ${workspaceId} and status = 'running')::int as running,
      (select count(*) from jobs where workspace_id = ${workspaceId} and status = 'dead')::int as dead,
      (select count(*) from jobs where workspace_id = ${workspaceId} and attempts > 1)::int as retried,
      (select count(*) from lead_events where workspace_id = ${workspaceId} and type = 'sla_breached')::int as breaches,
      (select count(distinct lead_id) from lead_events where workspace_id = ${workspaceId} and type = 'sla_breached')::int as leads_breached,
      (select count(*) from notifications where workspace_id = ${workspaceId})::int as notifications`.execute(db);
  return r.rows[0]!;
}
