/**
 * The anomaly findings of a review period (lib/review/anomalies.ts), from the lead_metrics projection and the
 * leads' classifier confidence: daily volume per source and per route path in the workspace's time zone, each
 * rep's first assignments, the review-queue share, SLA breach rate and acceptance per route path, and the
 * confidence histogram — the period against a trailing baseline (by default as long as the period, at least 28
 * days, ending where the period starts).
 */
import "server-only";
import { sql, type Kysely } from "kysely";
import type { Database } from "@/db/types";
import { dayNumberToIsoDate, isoDateToDayNumber, localDate, weekdayIndex } from "@/lib/calendar";
import { detectAnomalies, type AnomalyInput, type DayCount, type Finding, type ShareInput } from "@/lib/review/anomalies";

const DAY = 86_400_000;

export interface ReviewWindow {
  from: Date;
  to: Date;
}

export function baselineOf(period: ReviewWindow): ReviewWindow {
  const length = Math.max(28 * DAY, period.to.getTime() - period.from.getTime());
  return { from: new Date(period.from.getTime() - length), to: period.from };
}

/** Calendar days from..to (exclusive) as YYYY-MM-DD in `timeZone`. */
function localDays(w: ReviewWindow, timeZone: string): string[] {
  const first = isoDateToDayNumber(localDate(timeZone, w.from))!;
  const last = isoDateToDayNumber(localDate(timeZone, new Date(w.to.getTime() - 1)))!;
  const out: string[] = [];
  for (let d = first; d <= last; d++) out.push(dayNumberToIsoDate(d));
  return out;
}

/** 0 = Monday … 6 = Sunday, of a YYYY-MM-DD. */
const weekdayOf = (day: string) => weekdayIndex(isoDateToDayNumber(day)!);

export async function periodFindings(db: Kysely<Database>, workspaceId: string, period: ReviewWindow, now: Date): Promise<{ findings: Finding[]; baseline: ReviewWindow; input: AnomalyInput }> {
  const baseline = baselineOf(period);
  const ws = await db.selectFrom("workspaces").select("time_zone").where("id", "=", workspaceId).executeTakeFirstOrThrow();
  const tz = ws.time_zone;
  const [daily, reps, shares, confidence, sources, routes] = await Promise.all([
    sql<{ kind: "source" | "route"; key: string; day: string; n: number }>`
      select 'source' as kind, coalesce(source_id::text, '') as key, (received_at at time zone ${tz})::date::text as day, count(*)::int as n
        from lead_metrics where workspace_id = ${workspaceId} and received_at >= ${baseline.from} and received_at < ${period.to} group by 2, 3
      union all
      select 'route', coalesce(route_path_key, ''), (received_at at time zone ${tz})::date::text, count(*)::int
        from lead_metrics where workspace_id = ${workspaceId} and received_at >= ${baseline.from} and received_at < ${period.to} group by 2, 3`.execute(db),
    sql<{ rep_id: string; name: string; active: boolean; baseline: number; period: number }>`
      select r.id as rep_id, r.name, r.active,
        count(m.lead_id) filter (where m.received_at < ${period.from})::int as baseline,
        count(m.lead_id) filter (where m.received_at >= ${period.from})::int as period
      from reps r left join lead_metrics m on m.first_rep_id = r.id and m.workspace_id = ${workspaceId} and m.received_at >= ${baseline.from} and m.received_at < ${period.to}
      where r.workspace_id = ${workspaceId} group by r.id, r.name, r.active`.execute(db),
    sql<{ key: string; side: "baseline" | "period"; n: number; review: number; sla_n: number; sla_breached: number; decided: number; accepted: number }>`
      select coalesce(route_path_key, '') as key, case when received_at < ${period.from} then 'baseline' else 'period' end as side,
        count(*)::int as n, count(*) filter (where entered_review)::int as review,
        count(*) filter (where sla_due_at is not null and (first_touch_at is not null or sla_due_at < least(${now}::timestamptz, case when received_at < ${period.from} then ${period.from}::timestamptz else ${period.to}::timestamptz end)))::int as sla_n,
        count(*) filter (where sla_due_at is not null and (first_touch_at > sla_due_at or (first_touch_at is null and sla_due_at < least(${now}::timestamptz, case when received_at < ${period.from} then ${period.from}::timestamptz else ${period.to}::timestamptz end))))::int as sla_breached,
        count(*) filter (where decision is not null)::int as decided, count(*) filter (where decision = 'accepted')::int as accepted
      from lead_metrics where workspace_id = ${workspaceId} and received_at >= ${baseline.from} and received_at < ${period.to}
      group by 1, 2`.execute(db),
    sql<{ side: "baseline" | "period"; bin: number; n: number }>`
      select case when received_at < ${period.from} then 'baseline' else 'period' end as side, least(9, floor(category_confidence * 10))::int as bin, count(*)::int as n
      from leads where workspace_id = ${workspaceId} and received_at >= ${baseline.from} and received_at < ${period.to}
        and category_confidence is not null and classifier is distinct from 'human' and status <> 'duplicate'
      group by 1, 2`.execute(db),
    db.selectFrom("sources").select(["id", "name"]).where("workspace_id", "=", workspaceId).execute(),
    db.selectFrom("route_paths").select(["key", "name"]).where("workspace_id", "=", workspaceId).execute(),
  ]);

  const baseDays = localDays(baseline, tz);
  const periodDays = localDays(period, tz);
  const series = (kind: "source" | "route") => {
    const byKey = new Map<string, Map<string, number>>();
    for (const r of daily.rows) {
      if (r.kind !== kind) continue;
      let m = byKey.get(r.key);
      if (!m) byKey.set(r.key, (m = new Map()));
      m.set(r.day, Number(r.n));
    }
    const fill = (m: Map<string, number>, days: string[]): DayCount[] => days.map((d) => ({ weekday: weekdayOf(d), n: m.get(d) ?? 0 }));
    return [...byKey].map(([key, m]) => ({ key, baseline: fill(m, baseDays), period: fill(m, periodDays) }));
  };
  const sourceName = new Map(sources.map((s) => [s.id, s.name]));
  const routeName = new Map(routes.map((r) => [r.key, r.name]));

  const totals = new Map<string, { baseline: { n: number; review: number; sla_n: number; sla_breached: number; decided: number; accepted: number }; period: { n: number; review: number; sla_n: number; sla_breached: number; decided: number; accepted: number } }>();
  const zero = () => ({ n: 0, review: 0, sla_n: 0, sla_breached: 0, decided: 0, accepted: 0 });
  for (const r of shares.rows) {
    const t = totals.get(r.key) ?? { baseline: zero(), period: zero() };
    t[r.side] = { n: Number(r.n), review: Number(r.review), sla_n: Number(r.sla_n), sla_breached: Number(r.sla_breached), decided: Number(r.decided), accepted: Number(r.accepted) };
    totals.set(r.key, t);
  }
  const shareInputs: ShareInput[] = [];
  // The fallback queue's share of all leads (its silent growth is what the review looks for).
  const all = [...totals.values()].reduce((a, t) => ({ b: { k: a.b.k + t.baseline.review, n: a.b.n + t.baseline.n }, p: { k: a.p.k + t.period.review, n: a.p.n + t.period.n } }), { b: { k: 0, n: 0 }, p: { k: 0, n: 0 } });
  shareInputs.push({ key: "*", label: "All route paths", metric: "review-queue share", baseline: all.b, period: all.p });
  for (const [key, t] of totals) {
    if (!key || key === "review") continue;
    const label = routeName.get(key) ?? key;
    shareInputs.push({ key, label, metric: "SLA breach rate", baseline: { k: t.baseline.sla_breached, n: t.baseline.sla_n }, period: { k: t.period.sla_breached, n: t.period.sla_n } });
    shareInputs.push({ key, label, metric: "acceptance", baseline: { k: t.baseline.accepted, n: t.baseline.decided }, period: { k: t.period.accepted, n: t.period.decided } });
  }
  const hist = (side: "baseline" | "period") => {
    const h = Array<number>(10).fill(0);
    for (const r of confidence.rows) if (r.side === side) { const i = Math.max(0, Math.min(9, Number(r.bin))); h[i] = (h[i] ?? 0) + Number(r.n); }
    return h;
  };

  const input: AnomalyInput = {
    sources: series("source").map((s) => ({ ...s, label: s.key ? sourceName.get(s.key) ?? "A removed source" : "API (no source)" })),
    routePaths: series("route").filter((s) => s.key).map((s) => ({ ...s, label: routeName.get(s.key) ?? s.key })),
    reps: reps.rows.filter((r) => r.active).map((r) => ({ key: r.rep_id, label: r.name, baseline: Number(r.baseline), period: Number(r.period), baselineDays: baseDays.length, periodDays: periodDays.length })),
    shares: shareInputs,
    confidence: { baseline: hist("baseline"), period: hist("period") },
  };
  return { findings: detectAnomalies(input), baseline, input };
}
