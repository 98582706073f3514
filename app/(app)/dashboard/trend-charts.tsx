"use client";

import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatMinutes, formatMoney, formatPercent } from "@/lib/format";
import type { GranularityKey } from "@/lib/metrics/dashboard-filters";
import type { Kpis, MetricTargets } from "@/lib/metrics/definitions";

export const TREND_METRICS = {
  speed: { label: "Speed to lead (median, business)", get: (k: Kpis) => k.speedToLead.medianBusinessMinutes, fmt: (v: number) => formatMinutes(v), target: (t: MetricTargets) => t.speedToLeadMinutes },
  speed_wall: { label: "Speed to lead (median, wall-clock)", get: (k: Kpis) => k.speedToLead.medianMinutes, fmt: (v: number) => formatMinutes(v), target: () => null },
  sla: { label: "SLA breach rate", get: (k: Kpis) => k.slaBreach.rate, fmt: (v: number) => formatPercent(v), target: (t: MetricTargets) => t.slaBreachRate },
  wrong: { label: "Wrong assignment", get: (k: Kpis) => k.wrongAssignment.rate, fmt: (v: number) => formatPercent(v), target: (t: MetricTargets) => t.wrongAssignmentRate },
  acceptance: { label: "Acceptance", get: (k: Kpis) => k.acceptance.rate, fmt: (v: number) => formatPercent(v), target: (t: MetricTargets) => t.acceptanceRate },
  meetings: { label: "Meeting rate", get: (k: Kpis) => k.meetingRate.rate, fmt: (v: number) => formatPercent(v), target: (t: MetricTargets) => t.meetingRate },
  triage: { label: "Manual triage", get: (k: Kpis) => k.manualTriage.rate, fmt: (v: number) => formatPercent(v), target: (t: MetricTargets) => t.manualTriageRate },
  pipeline: { label: "Pipeline created", get: (k: Kpis) => k.pipeline.amount, fmt: (v: number) => formatMoney(v), target: () => null },
  volume: { label: "Leads received", get: (k: Kpis) => k.volume, fmt: (v: number) => formatCount(v), target: () => null },
} as const;
export type TrendMetric = keyof typeof TREND_METRICS;

const tick = { fontSize: 12, fill: "#6b7686" };

function bucketLabel(bucket: string, g: GranularityKey): string {
  const d = new Date(`${bucket}T12:00:00Z`);
  if (g === "month") return d.toLocaleDateString("en-US", { month: "short", year: "2-digit", timeZone: "UTC" });
  return d.toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

export function KpiTrend({ series, metric, granularity, targets }: {
  series: Array<{ bucket: string; kpis: Kpis }>;
  metric: TrendMetric;
  granularity: GranularityKey;
  targets: MetricTargets;
}) {
  const m = TREND_METRICS[metric];
  const data = series.map((s) => ({ bucket: bucketLabel(s.bucket, granularity), value: m.get(s.kpis), n: s.kpis.volume }));
  const target = m.target(targets);
  return (
    <div style={{ width: "100%", height: 260 }} role="img" aria-label={`${m.label} by ${granularity}`}>
      <ResponsiveContainer>
        <LineChart data={data} margin={{ top: 12, right: 24, left: 8, bottom: 4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6eb" />
          <XAxis dataKey="bucket" tick={tick} minTickGap={16} />
          <YAxis tick={tick} width={64} tickFormatter={(v: number) => m.fmt(v)} domain={[0, "auto"]} />
          <Tooltip formatter={(v) => [typeof v === "number" ? m.fmt(v) : "—", m.label]} labelFormatter={(l, p) => `${l} · ${formatCount((p?.[0]?.payload as { n?: number } | undefined)?.n ?? 0)} leads`} />
          {target !== null ? <ReferenceLine y={target} stroke="#c0362c" strokeDasharray="6 4" label={{ value: `target ${m.fmt(target)}`, position: "insideTopRight", fill: "#c0362c", fontSize: 12 }} /> : null}
          <Line type="monotone" dataKey="value" stroke="#2f5bea" strokeWidth={2} dot={data.length < 40} connectNulls isAnimationActive={false} name={m.label} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function VolumeByRoute({ volume, routes, granularity }: {
  volume: Array<{ bucket: string; key: string; n: number }>;
  routes: Array<{ key: string; name: string; color: string | null }>;
  granularity: GranularityKey;
}) {
  const buckets = new Map<string, Record<string, number | string>>();
  for (const v of volume) {
    const row = buckets.get(v.bucket) ?? { bucket: bucketLabel(v.bucket, granularity) };
    row[v.key] = v.n;
    buckets.set(v.bucket, row);
  }
  const keys = [...new Set(volume.map((v) => v.key))];
  const known = new Map(routes.map((r) => [r.key, r]));
  const palette = ["#2f5bea", "#0f8a5f", "#b45309", "#7c3aed", "#0891b2", "#c0362c", "#64748b"];
  return (
    <div style={{ width: "100%", height: 260 }} role="img" aria-label={`Leads received per ${granularity}, stacked by route path`}>
      <ResponsiveContainer>
        <BarChart data={[...buckets.values()]} margin={{ top: 12, right: 16, left: 0, bottom: 4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6eb" vertical={false} />
          <XAxis dataKey="bucket" tick={tick} minTickGap={16} />
          <YAxis tick={tick} width={48} allowDecimals={false} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {keys.map((k, i) => (
            <Bar key={k} dataKey={k} stackId="v" name={known.get(k)?.name ?? (k === "none" ? "No route path" : k)} fill={known.get(k)?.color ?? (k === "none" ? "#cbd5e1" : palette[i % palette.length])} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Speed to lead per route path: the p10–p90 range, the p25–p75 band and the median, on a log scale. */
export function SpeedDistribution({ rows, business }: {
  rows: Array<{ key: string; label: string; color: string | null; n: number; wall: number[]; business: number[] | null }>;
  business: boolean;
}) {
  const floor = 0.1; // minutes; a log axis cannot show 0
  const data = rows.map((r) => {
    const p = (business ? r.business : r.wall) ?? [];
    const at = (i: number) => Math.max(floor, p[i] ?? floor);
    return { label: `${r.label} (${formatCount(r.n)})`, outer: [at(0), at(4)], inner: [at(1), at(3)], median: at(2), raw: p, color: r.color ?? "#2f5bea" };
  });
  return (
    <div style={{ width: "100%", height: Math.max(160, 46 * data.length + 50) }} role="img" aria-label="Speed to lead distribution per route path">
      <ResponsiveContainer>
        <ComposedChart data={data} layout="vertical" margin={{ top: 8, right: 24, left: 8, bottom: 8 }} barGap={-14} barSize={14}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6eb" horizontal={false} />
          <XAxis type="number" scale="log" domain={[floor, "auto"]} allowDataOverflow tick={tick} tickFormatter={(v: number) => formatMinutes(v)} />
          <YAxis type="category" dataKey="label" tick={tick} width={170} />
          <Tooltip
            formatter={(_v, name, item) => {
              const raw = (item.payload as { raw: number[] }).raw;
              if (name === "p10–p90") return [`${formatMinutes(raw[0])} – ${formatMinutes(raw[4])}`, name];
              if (name === "p25–p75") return [`${formatMinutes(raw[1])} – ${formatMinutes(raw[3])}`, name];
              if (name === "median") return [formatMinutes(raw[2]), name];
              return [String(_v), String(name)];
            }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="outer" name="p10–p90" fill="#c7d4fb" isAnimationActive={false} />
          <Bar dataKey="inner" name="p25–p75" fill="#5b7ff0" isAnimationActive={false} />
          <Scatter dataKey="median" name="median" fill="#0b1f66" isAnimationActive={false}
            shape={(props: { cx?: number; cy?: number }) => <rect x={(props.cx ?? 0) - 1.5} y={(props.cy ?? 0) - 10} width={3} height={20} fill="#0b1f66" />} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
