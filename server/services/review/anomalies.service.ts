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
  // One pass over the window's lead_metrics rows for four groupings: volume per source per local day and per route
  // path per local day, per route path and side (baseline / period) with its shares' numerators, and first
  // assignments per rep and side.
  const [grouped, repList, confidence, sources, routes] = await Promise.all([
    // Pre-aggregated per (source, route, day, side, rep) first (a few thousand groups), then the grouping sets over
    // those; with room to hash in memory (work_mem for this transaction only) instead of sorting on disk: on 1M leads
    // ~150 ms where a plain grouping-sets pass took ~450 (bench:dashboard, "Alerts 30d").
    db.transaction().execute(async (trx) => {
      await sql`set local work_mem = '32MB'`.execute(trx);
      return sql<{ g: number; source: string | null; route: string | null; day: string | null; base: boolean | null; rep: string | null; n: number; review: number; sla_n: number; sla_breached: number; decided: number; accepted: number }>`
        with m as (
          select source_id as source, route_path_key as route, (received_at at time zone ${tz})::date as day, received_at < ${period.from} as base, first_rep_id as rep,
            count(*) as n, count(*) filter (where entered_review) as review,
            count(*) filter (where sla_due_at is not null and (first_touch_at is not null or sla_due_at < least(${now}::timestamptz, case when received_at < ${period.from} then ${period.from}::timestamptz else ${period.to}::timestamptz end))) as sla_n,
            count(*) filter (where sla_due_at is not null and (first_touch_at > sla_due_at or (first_touch_at is null and sla_due_at < least(${now}::timestamptz, case when received_at < ${period.from} then ${period.from}::timestamptz else ${period.to}::timestamptz end)))) as sla_breached,
            count(*) filter (where decision is not null) as decided, count(*) filter (where decision = 'accepted') as accepted
          from lead_metrics where workspace_id = ${workspaceId} and received_at >= ${baseline.from} and received_at < ${period.to}
          group by 1, 2, 3, 4, 5
        )
        select grouping(source, route, day, base, rep)::int as g, source::text as source, route, day::text as day, base, rep::text as rep,
          sum(n)::int as n, sum(review)::int as review, sum(sla_n)::int as sla_n, sum(sla_breached)::int as sla_breached, sum(decided)::int as decided, sum(accepted)::int as accepted
        from m group by grouping sets ((source, day), (route, day), (route, base), (rep, base))`.execute(trx);
    }),
    db.selectFrom("reps").select(["id", "name", "active"]).where("workspace_id", "=", workspaceId).execute(),
    sql<{ side: "baseline" | "period"; bin: number; n: number }>`
      select case when received_at < ${period.from} then 'baseline' else 'period' end as side, least(9, floor(category_confidence * 10))::int as bin, count(*)::int as n
      from leads where workspace_id = ${workspaceId} and received_at >= ${baseline.from} and received_at < ${period.to}
        and category_confidence is not null and classifier is distinct from 'human' and status <> 'duplicate'
      group by 1, 2`.execute(db),
    db.selectFrom("sources").select(["id", "name"]).where("workspace_id", "=", workspaceId).execute(),
    db.selectFrom("route_paths").select(["key", "name"]).where("workspace_id", "=", workspaceId).execute(),
  ]);

  // grouping() has a bit per argument (source, route, day, base, rep — the first highest), set when the column is
  // not in the grouping set.
  const set = (g: number) => grouped.rows.filter((r) => Number(r.g) === g);
  const bySourceDay = set(0b01011);
  const byRouteDay = set(0b10011);
  const shares = set(0b10101).map((r) => ({ ...r, key: r.route ?? "", side: r.base ? "baseline" as const : "period" as const }));
  const firstAssignments = new Map<string, { baseline: number; period: number }>();
  for (const r of set(0b11100)) {
    if (!r.rep) continue;
    const a = firstAssignments.get(r.rep) ?? { baseline: 0, period: 0 };
    a[r.base ? "baseline" : "period"] = Number(r.n);
    firstAssignments.set(r.rep, a);
  }
  const baseDays = localDays(baseline, tz);
  const periodDays = localDays(period, tz);
  const series = (kind: "source" | "route") => {
    const byKey = new Map<string, Map<string, number>>();
    for (const r of kind === "source" ? bySourceDay : byRouteDay) {
      const key = (kind === "source" ? r.source : r.route) ?? "";
      let m = byKey.get(key);
      if (!m) byKey.set(key, (m = new Map()));
      m.set(r.day!, Number(r.n));
    }
    const fill = (m: Map<string, number>, days: string[]): DayCount[] => days.map((d) => ({ weekday: weekdayOf(d), n: m.get(d) ?? 0 }));
    return [...byKey].map(([key, m]) => ({ key, baseline: fill(m, baseDays), period: fill(m, periodDays) }));
  };
  const sourceName = new Map(sources.map((s) => [s.id, s.name]));
  const routeName = new Map(routes.map((r) => [r.key, r.name]));

  const totals = new Map<string, { baseline: { n: number; review: number; sla_n: number; sla_breached: number; decided: number; accepted: number }; period: { n: number; review: number; sla_n: number; sla_breached: number; decided: number; accepted: number } }>();
  const zero = () => ({ n: 0, review: 0, sla_n: 0, sla_breached: 0, decided: 0, accepted: 0 });
  for (const r of shares) {
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
    reps: repList.filter((r) => r.active).map((r) => ({ key: r.id, label: r.name, baseline: firstAssignments.get(r.id)?.baseline ?? 0, period: firstAssignments.get(r.id)?.period ?? 0, baselineDays: baseDays.length, periodDays: periodDays.length })),
    shares: shareInputs,
    confidence: { baseline: hist("baseline"), period: hist("period") },
  };
  return { findings: detectAnomalies(input), baseline, input };
}
