/**
 * The dashboard's filters and how they live in the URL, so a view can be shared: one zod schema for the tRPC input
 * and one pair of functions for the query string. Pure: the period resolves against a `now` and a time zone passed in.
 */
import { DateTime } from "luxon";
import { z } from "zod";

export const PRESETS = ["7d", "30d", "90d", "180d", "365d"] as const;
export type Preset = (typeof PRESETS)[number];
export const DIMENSIONS = ["route_path", "source", "team", "rep", "table_version"] as const;
export type DimensionKey = (typeof DIMENSIONS)[number];
export const GRANULARITIES = ["day", "week", "month"] as const;
export type GranularityKey = (typeof GRANULARITIES)[number];

const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-01.");
/** Route path keys. */
export const RouteKeys = z.array(z.string().min(1).max(64)).max(100).optional();
/** Ids of sources, teams, reps or table versions; "none" selects leads without one. */
export const DimensionIds = z.array(z.union([z.uuid({ error: "Not an id." }), z.literal("none")])).max(100).optional();

export const DashboardFilters = z
  .object({
    /** A preset period ending now, or a custom range of local days (from and to inclusive). */
    range: z.enum([...PRESETS, "custom"]).default("30d"),
    from: IsoDay.optional(),
    to: IsoDay.optional(),
    routePaths: RouteKeys,
    sources: DimensionIds,
    teams: DimensionIds,
    reps: DimensionIds,
    versions: DimensionIds,
  })
  .superRefine((f, ctx) => {
    if (f.range !== "custom") return;
    if (!f.from) ctx.addIssue({ code: "custom", path: ["from"], message: "A custom range needs a start date." });
    if (!f.to) ctx.addIssue({ code: "custom", path: ["to"], message: "A custom range needs an end date." });
    if (f.from && f.to && f.from > f.to) ctx.addIssue({ code: "custom", path: ["to"], message: "The end date is before the start date." });
  });
export type DashboardFilters = z.infer<typeof DashboardFilters>;

export interface ResolvedPeriod {
  from: Date;
  to: Date;
  /** The period of equal length just before. */
  previousFrom: Date;
  days: number;
  label: string;
}

const PRESET_DAYS: Record<Preset, number> = { "7d": 7, "30d": 30, "90d": 90, "180d": 180, "365d": 365 };

/** The instants a filter's period covers: presets end at `now`; custom ranges are whole local days in `timeZone`. */
export function resolvePeriod(f: Pick<DashboardFilters, "range" | "from" | "to">, now: Date, timeZone: string): ResolvedPeriod {
  if (f.range === "custom" && f.from && f.to) {
    const from = DateTime.fromISO(f.from, { zone: timeZone }).startOf("day");
    const to = DateTime.fromISO(f.to, { zone: timeZone }).plus({ days: 1 }).startOf("day");
    const days = Math.max(1, Math.round(to.diff(from, "days").days));
    // The previous period is the same number of whole local days (not milliseconds: a DST change moves midnight).
    return { from: from.toJSDate(), to: to.toJSDate(), previousFrom: from.minus({ days }).toJSDate(), days, label: `${f.from} – ${f.to}` };
  }
  const preset = f.range === "custom" ? "30d" : f.range;
  const days = PRESET_DAYS[preset];
  const span = days * 86_400_000;
  return { from: new Date(now.getTime() - span), to: now, previousFrom: new Date(now.getTime() - 2 * span), days, label: `Last ${days} days` };
}

const LIST_KEYS = { routePaths: "route", sources: "source", teams: "team", reps: "rep", versions: "version" } as const;

/** The part of URLSearchParams this module reads (lib/ has no DOM types). */
export interface SearchParamsLike {
  get(name: string): string | null;
  getAll(name: string): string[];
}

/** Every query parameter the filters own (the app removes them before writing new ones). */
export const FILTER_PARAMS: readonly string[] = ["range", "from", "to", ...Object.values(LIST_KEYS)];

/** Reads filters from a query string; anything invalid falls back to the default rather than failing the page. */
export function filtersFromSearch(params: SearchParamsLike): DashboardFilters {
  const raw: Record<string, unknown> = { range: params.get("range") ?? undefined, from: params.get("from") ?? undefined, to: params.get("to") ?? undefined };
  for (const [key, param] of Object.entries(LIST_KEYS)) {
    const values = params.getAll(param).flatMap((v) => v.split(",")).filter(Boolean);
    if (values.length) raw[key] = values;
  }
  const parsed = DashboardFilters.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fallback = DashboardFilters.safeParse({ ...raw, range: "30d", from: undefined, to: undefined });
  return fallback.success ? fallback.data : DashboardFilters.parse({});
}

/** The query parameters of a filter set, defaults omitted (the app writes them over FILTER_PARAMS). */
export function filtersToParams(f: DashboardFilters): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (f.range !== "30d") out.push(["range", f.range]);
  if (f.range === "custom") {
    if (f.from) out.push(["from", f.from]);
    if (f.to) out.push(["to", f.to]);
  }
  for (const [key, param] of Object.entries(LIST_KEYS) as Array<[keyof typeof LIST_KEYS, string]>) {
    const values = f[key];
    if (values?.length) out.push([param, values.join(",")]);
  }
  return out;
}

/** Lead subsets a dashboard number can drill into (the leads behind a figure). */
export const DRILL_METRICS = [
  "touched", "sla_eligible", "sla_breached", "assigned", "wrong_assigned", "sales_routed", "accepted", "rejected", "meeting", "opportunity", "triaged",
] as const;
export type DrillMetric = (typeof DRILL_METRICS)[number];
