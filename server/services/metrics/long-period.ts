/**
 * Long dashboard periods from daily rollups (lead_metrics_daily): whole local days read from the rollup, the partial
 * days at either end aggregated live from lead_metrics, SLA breaches of untouched leads counted live (they depend on
 * now). Counts and sums are exact; the delay percentiles come from merged sketches (lib/metrics/sketch.ts, within
 * ~1% of percentile_cont) — the answer says so (`approximate`). Used when a period is long enough that sorting every
 * delay exactly would not answer in time, and only for filters the rollup is keyed by (period and route path).
 */
import "server-only";
import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import type { Database } from "@/db/types";
import type { DashboardFilters, GranularityKey } from "@/lib/metrics/dashboard-filters";
import { kpiRatios, speedToLeadOf, type Kpis } from "@/lib/metrics/definitions";
import { mergeSketch, sketchQuantiles, type Sketch } from "@/lib/metrics/sketch";
import {
  liveDailyAggregates, readDailyRollups, rollupTimeZone, untouchedSlaDue, type DailyAggregate, type DailyCounter, type SketchedKey,
} from "../../repositories/metrics-daily.repository";

/**
 * Periods of at least this many days use the rollups; shorter ones sort exactly (a 30-day period over a million-lead
 * year answers in about 100 ms; 90 days already takes 250–480 ms on two cores, so the line sits below it).
 */
export const ROLLUP_MIN_DAYS = 60;

export function rollupEligible(f: DashboardFilters, period: { days: number }, minDays = ROLLUP_MIN_DAYS): boolean {
  return period.days >= minDays && !f.sources?.length && !f.teams?.length && !f.reps?.length && !f.versions?.length;
}

export interface DailyRows {
  rows: DailyAggregate[];
  untouchedDue: Array<{ day: string; route_path_key: string; n: number }>;
}

/**
 * The daily aggregates covering [from, to): rollup rows for whole local days, live rows for the partial days at the
 * ends. Null when the workspace's rollups are not built in its current time zone (the caller sorts exactly).
 */
export async function dailyRows(db: Kysely<Database>, workspaceId: string, from: Date, to: Date, now: Date, routePaths?: readonly string[]): Promise<DailyRows | null> {
  const timeZone = await rollupTimeZone(db, workspaceId);
  if (!timeZone) return null;
  const start = DateTime.fromJSDate(from, { zone: timeZone });
  const end = DateTime.fromJSDate(to, { zone: timeZone });
  const firstFull = start.equals(start.startOf("day")) ? start : start.startOf("day").plus({ days: 1 });
  const lastFullEnd = end.startOf("day");
  const parts: Array<Promise<DailyAggregate[]>> = [];
  if (firstFull < lastFullEnd) {
    parts.push(readDailyRollups(db, workspaceId, firstFull.toISODate()!, lastFullEnd.toISODate()!, routePaths));
    parts.push(liveDailyAggregates(db, workspaceId, timeZone, from, firstFull.toJSDate(), routePaths));
    parts.push(liveDailyAggregates(db, workspaceId, timeZone, lastFullEnd.toJSDate(), to, routePaths));
  } else {
    parts.push(liveDailyAggregates(db, workspaceId, timeZone, from, to, routePaths));
  }
  const [untouchedDue, ...chunks] = await Promise.all([untouchedSlaDue(db, workspaceId, timeZone, from, to, now, routePaths), ...parts]);
  return { rows: chunks.flat(), untouchedDue };
}

/** The KPI set of a group of daily rows (percentiles from the merged sketches; the pairs the dashboard does not show stay null). */
export function kpisFromDaily(rows: readonly DailyAggregate[], untouchedDue: number): Kpis {
  const sum = (k: DailyCounter) => rows.reduce((s, r) => s + r[k], 0);
  const pair = (k: SketchedKey) => {
    const [p50, p90] = sketchQuantiles(rows.reduce<Sketch>((s, r) => mergeSketch(s, r.sketches[k]), {}), [0.5, 0.9]);
    return [p50 ?? null, p90 ?? null] as const;
  };
  return {
    ...kpiRatios({
      volume: sum("volume"), slaEligible: sum("sla_touched") + untouchedDue, slaBreached: sum("sla_touched_breached") + untouchedDue,
      assigned: sum("assigned"), wrong: sum("wrong"), accepted: sum("accepted"), rejected: sum("rejected"), salesRouted: sum("sales_routed"),
      meetings: sum("meetings"), pipeline: sum("pipeline"), opportunities: sum("opportunities"), triaged: sum("triaged"),
    }),
    speedToLead: speedToLeadOf(sum("stl_n"), { toTouch: pair("stl"), toTouchBusiness: pair("stl_b"), system: pair("sys"), systemBusiness: null, human: null, humanBusiness: pair("hum_b") }),
  };
}

/** Groups daily rows (and the untouched-SLA counts) by a key and computes each group's KPIs. */
export function groupDaily(d: DailyRows, keyOf: (day: string, route: string) => string): Map<string, Kpis> {
  const rows = new Map<string, DailyAggregate[]>();
  const due = new Map<string, number>();
  for (const r of d.rows) {
    const k = keyOf(r.day, r.route_path_key);
    const list = rows.get(k);
    if (list) list.push(r);
    else rows.set(k, [r]);
  }
  for (const u of d.untouchedDue) {
    const k = keyOf(u.day, u.route_path_key);
    due.set(k, (due.get(k) ?? 0) + u.n);
    if (!rows.has(k)) rows.set(k, []);
  }
  return new Map([...rows].map(([k, list]) => [k, kpisFromDaily(list, due.get(k) ?? 0)]));
}

/** The trend bucket (first local day of the day/ISO week/month) a local day belongs to, as YYYY-MM-DD. */
export function bucketOfDay(day: string, granularity: GranularityKey): string {
  if (granularity === "day") return day;
  if (granularity === "month") return `${day.slice(0, 8)}01`;
  const key = day;
  let bucket = weekStarts.get(key);
  if (!bucket) {
    bucket = DateTime.fromISO(day, { zone: "UTC" }).startOf("week").toISODate()!;
    if (weekStarts.size > 10_000) weekStarts.clear();
    weekStarts.set(key, bucket);
  }
  return bucket;
}
const weekStarts = new Map<string, string>();
