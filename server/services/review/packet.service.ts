/**
 * The monthly routing review's packet: the evidence a review starts from, computed from the event log's projection
 * (lead_metrics) for the period and the period before it — route path performance against targets with the change,
 * the top rejection reasons by route path and by rep, SLA breaches by cause, wrong-assignment cases, the review
 * queue's volume and share, first assignments and rejections per rep, the decision-table versions published in
 * the period, and the anomalies (anomalies.service.ts). Stored with the review (monthly_reviews.packet), so a
 * signed-off review keeps the figures it was signed on.
 */
import "server-only";
import { sql, type Kysely } from "kysely";
import type { Database } from "@/db/types";
import type { ReviewPacket } from "@/lib/review/packet";
import { kpis, kpisBy, workspaceTargets } from "../metrics/metrics.service";
import { periodFindings, type ReviewWindow } from "./anomalies.service";

export type { ReviewPacket };

const iso = (d: Date) => d.toISOString();

export async function computePacket(db: Kysely<Database>, workspaceId: string, period: ReviewWindow, now: Date): Promise<ReviewPacket> {
  const length = period.to.getTime() - period.from.getTime();
  const previous: ReviewWindow = { from: new Date(period.from.getTime() - length), to: period.from };
  const f = { workspaceId, from: period.from, to: period.to };
  const pf = { workspaceId, from: previous.from, to: previous.to };
  const [overall, overallPrev, byRoute, byRoutePrev, targets, routes, rejections, breaches, wrong, review, reps, versions, byVersion, anomalies] = await Promise.all([
    kpis(db, f, now),
    kpis(db, pf, now),
    kpisBy(db, f, now, "route_path"),
    kpisBy(db, pf, now, "route_path"),
    workspaceTargets(db, workspaceId),
    db.selectFrom("route_paths").select(["key", "name"]).where("workspace_id", "=", workspaceId).orderBy("sort_order").execute(),
    // Rejections counted two ways in one pass: by route path and reason, and by rep and reason (grouping sets).
    sql<{ by_rep: boolean; route_path_key: string | null; rep_id: string | null; rep: string | null; reason: string; n: number }>`
      select grouping(m.route_path_key) = 1 as by_rep, m.route_path_key, r.value->>'repId' as rep_id, reps.name as rep,
        coalesce(r.value->>'reason', 'other') as reason, count(*)::int as n
      from lead_metrics m cross join lateral jsonb_array_elements(m.rejections) r
      left join reps on reps.id::text = r.value->>'repId'
      where m.workspace_id = ${workspaceId} and m.received_at >= ${period.from} and m.received_at < ${period.to} and m.rejections is not null
      group by grouping sets ((m.route_path_key, coalesce(r.value->>'reason', 'other')), (r.value->>'repId', reps.name, coalesce(r.value->>'reason', 'other')))
      order by n desc, reason`.execute(db),
    sql<{ cause: "unassigned" | "capacity" | "out_of_hours" | "slow_owner"; n: number }>`
      select case
          when not m.assigned_to_owner or m.first_rep_id is null then 'unassigned'
          when m.skips is not null and exists (select 1 from jsonb_array_elements(m.skips) s where s.value->>'reason' in ('capacity_open', 'capacity_daily')) then 'capacity'
          when m.human_minutes is not null and m.human_business_minutes is not null and m.human_minutes - m.human_business_minutes >= 60 then 'out_of_hours'
          else 'slow_owner' end as cause, count(*)::int as n
      from lead_metrics m
      where m.workspace_id = ${workspaceId} and m.received_at >= ${period.from} and m.received_at < ${period.to}
        and m.sla_due_at is not null and (m.first_touch_at > m.sla_due_at or (m.first_touch_at is null and m.sla_due_at < ${now}))
      group by 1`.execute(db),
    db.selectFrom("lead_metrics as m").innerJoin("leads as l", "l.id", "m.lead_id").leftJoin("reps as r", "r.id", "m.first_rep_id")
      .select(["m.lead_id", "l.first_name", "l.last_name", "l.email", "m.route_path_key", "r.name as rep", sql<string | null>`m.rejections->0->>'reason'`.as("reason")])
      .where("m.workspace_id", "=", workspaceId).where("m.received_at", ">=", period.from).where("m.received_at", "<", period.to).where("m.wrong_assigned", "=", true)
      .orderBy("m.received_at", "desc").limit(20).execute(),
    sql<{ side: "current" | "previous"; n: number; total: number }>`
      select case when received_at >= ${period.from} then 'current' else 'previous' end as side, count(*) filter (where entered_review)::int as n, count(*)::int as total
      from lead_metrics where workspace_id = ${workspaceId} and received_at >= ${previous.from} and received_at < ${period.to} group by 1`.execute(db),
    sql<{ rep_id: string; rep: string; active: boolean; assigned: number; previous_assigned: number }>`
      select r.id as rep_id, r.name as rep, r.active,
        count(m.lead_id) filter (where m.received_at >= ${period.from})::int as assigned,
        count(m.lead_id) filter (where m.received_at < ${period.from})::int as previous_assigned
      from reps r left join lead_metrics m on m.first_rep_id = r.id and m.workspace_id = ${workspaceId} and m.received_at >= ${previous.from} and m.received_at < ${period.to}
      where r.workspace_id = ${workspaceId} group by r.id, r.name, r.active order by assigned desc, r.name`.execute(db),
    // Versions published in the period, each with the version it replaced (the one published before it).
    db.selectFrom("decision_table_versions as v").innerJoin("decision_tables as t", "t.id", "v.table_id")
      .leftJoinLateral((eb) => eb.selectFrom("decision_table_versions as p").select(["p.id", "p.version"])
        .whereRef("p.table_id", "=", "v.table_id").whereRef("p.version", "<", "v.version").where("p.published_at", "is not", null)
        .orderBy("p.version", "desc").limit(1).as("replaced"), (join) => join.onTrue())
      .select(["v.id", "v.version", "v.published_at", "v.change_reason", "t.name as table_name", "replaced.id as replaced_id", "replaced.version as replaced_version"])
      .where("v.workspace_id", "=", workspaceId).where("v.published_at", ">=", period.from).where("v.published_at", "<", period.to).orderBy("v.published_at").execute(),
    // Every version's leads over both periods: a change's before (the replaced version's leads) and after.
    kpisBy(db, { workspaceId, from: previous.from, to: period.to }, now, "table_version"),
    periodFindings(db, workspaceId, period, now),
  ]);
  const name = new Map(routes.map((r) => [r.key, r.name]));
  const versionKpis = new Map(byVersion.filter((v) => v.key).map((v) => [v.key!, v.kpis]));
  const prevByRoute = new Map(byRoutePrev.map((r) => [r.key, r.kpis]));
  const byRoutePath = rejections.rows.filter((r) => !r.by_rep);
  const byRep = rejections.rows.filter((r) => r.by_rep);
  const rejectedBy = new Map<string, number>();
  for (const r of byRep) rejectedBy.set(r.rep_id ?? "", (rejectedBy.get(r.rep_id ?? "") ?? 0) + Number(r.n));
  const byCause = { unassigned: 0, capacity: 0, out_of_hours: 0, slow_owner: 0 };
  for (const b of breaches.rows) byCause[b.cause] = Number(b.n);
  const side = (s: "current" | "previous") => {
    const r = review.rows.find((x) => x.side === s);
    return { n: Number(r?.n ?? 0), share: r && Number(r.total) > 0 ? Number(r.n) / Number(r.total) : null };
  };
  return {
    period: { from: iso(period.from), to: iso(period.to) },
    previous: { from: iso(previous.from), to: iso(previous.to) },
    computedAt: iso(now),
    overall: { current: overall, previous: overallPrev },
    routePaths: byRoute.map((r) => ({ key: r.key, name: r.key ? name.get(r.key) ?? r.key : "No route path", current: r.kpis, previous: prevByRoute.get(r.key) ?? null })),
    targets,
    rejections: {
      byRoutePath: byRoutePath.slice(0, 15).map((r) => ({ routePath: r.route_path_key, reason: r.reason, n: Number(r.n) })),
      byRep: byRep.slice(0, 15).map((r) => ({ repId: r.rep_id ?? "", rep: r.rep ?? "A removed rep", reason: r.reason, n: Number(r.n) })),
    },
    slaBreaches: { total: Object.values(byCause).reduce((a, b) => a + b, 0), byCause },
    wrongAssignments: {
      total: overall.wrongAssignment.numerator,
      examples: wrong.map((w) => ({ leadId: w.lead_id, name: [w.first_name, w.last_name].filter(Boolean).join(" ") || w.email || "lead", routePath: w.route_path_key, rep: w.rep, reason: w.reason })),
    },
    reviewQueue: { current: side("current"), previous: side("previous") },
    reps: reps.rows.map((r) => ({ repId: r.rep_id, rep: r.rep, active: r.active, assigned: Number(r.assigned), rejected: rejectedBy.get(r.rep_id) ?? 0, previousAssigned: Number(r.previous_assigned) })),
    versions: versions.map((v) => {
      const before = v.replaced_id ? versionKpis.get(v.replaced_id) : undefined;
      return {
        id: v.id, version: v.version, publishedAt: iso(new Date(v.published_at!)), reason: v.change_reason, tableName: v.table_name,
        before: v.replaced_id && before ? { id: v.replaced_id, version: v.replaced_version, kpis: before } : null,
        after: versionKpis.get(v.id) ?? null,
      };
    }),
    anomalies: anomalies.findings,
  };
}
