"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { formatCount, formatMinutes, formatMoney, formatPercent, relativeChange } from "@/lib/format";
import type { Kpis, MetricTargets } from "@/lib/metrics/definitions";
import { useTRPC } from "../../_trpc/client";
import { ErrorState } from "../../_components/states";

const PERIODS = [7, 30, 90] as const;

export function DashboardView() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const daysParam = Number(params.get("days"));
  const days = (PERIODS as readonly number[]).includes(daysParam) ? daysParam : 30;
  const trpc = useTRPC();
  const summary = useQuery(trpc.dashboard.summary.queryOptions({ days }));

  const setDays = (d: number) => {
    const next = new URLSearchParams(params);
    next.set("days", String(d));
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p>How routing performs, computed from the lead event log. Previous period of equal length shown beside each figure.</p>
        </div>
        <div className="segmented" role="group" aria-label="Period">
          {PERIODS.map((d) => (
            <button key={d} type="button" aria-pressed={d === days} onClick={() => setDays(d)}>
              Last {d} days
            </button>
          ))}
        </div>
      </div>
      {summary.isPending ? <KpiSkeleton /> : summary.isError ? (
        <ErrorState title="The dashboard could not be computed" error={summary.error} onRetry={() => summary.refetch()} />
      ) : summary.data.current.volume === 0 ? (
        <div className="card empty">
          <h2>No leads in the last {days} days</h2>
          <p>Leads appear here as soon as they are received over the API or imported from CSV. Try a longer period.</p>
        </div>
      ) : (
        <>
          <KpiTiles current={summary.data.current} previous={summary.data.previous} targets={summary.data.targets} />
          <RouteTable rows={summary.data.byRoute} days={days} />
        </>
      )}
    </div>
  );
}

type Direction = "up" | "down";

function Delta({ current, previous, better }: { current: number | null; previous: number | null; better: Direction }) {
  const change = relativeChange(current, previous);
  if (change == null) return <span className="delta-flat">no prior data</span>;
  if (Math.abs(change) < 0.005) return <span className="delta-flat">± 0% vs prior</span>;
  const good = better === "up" ? change > 0 : change < 0;
  return (
    <span className={good ? "delta-good" : "delta-bad"}>
      {change > 0 ? "▲" : "▼"} {formatPercent(Math.abs(change), 0)} vs prior
    </span>
  );
}

function Target({ value, target, better, format }: { value: number | null; target: number; better: Direction; format: (n: number) => string }) {
  if (value == null) return <span className="target target-none">target {format(target)}</span>;
  const met = better === "up" ? value >= target : value <= target;
  return (
    <span className={`target ${met ? "target-met" : "target-missed"}`} title={met ? "Meets the workspace target" : "Misses the workspace target"}>
      target {better === "up" ? "≥" : "≤"} {format(target)}
    </span>
  );
}

function Tile(props: {
  label: string;
  value: string;
  sub?: React.ReactNode;
  current: number | null;
  previous: number | null;
  better: Direction;
  target?: React.ReactNode;
}) {
  return (
    <section className="card kpi" aria-label={props.label}>
      <div className="kpi-label"><span>{props.label}</span>{props.target}</div>
      <div className="kpi-value">{props.value}</div>
      <div className="kpi-sub">
        <Delta current={props.current} previous={props.previous} better={props.better} />
        {props.sub ? <span>{props.sub}</span> : null}
      </div>
    </section>
  );
}

function KpiTiles({ current: c, previous: p, targets }: { current: Kpis; previous: Kpis; targets: MetricTargets }) {
  const pct = (n: number) => formatPercent(n, 0);
  return (
    <div className="kpis">
      <Tile
        label="Speed to lead (median)" value={formatMinutes(c.speedToLead.medianMinutes)}
        current={c.speedToLead.medianMinutes} previous={p.speedToLead.medianMinutes} better="down"
        target={<Target value={c.speedToLead.medianMinutes} target={targets.speedToLeadMinutes} better="down" format={(n) => formatMinutes(n)} />}
        sub={<>p90 {formatMinutes(c.speedToLead.p90Minutes)} · system {formatMinutes(c.speedToLead.systemDelay.median)} · human {formatMinutes(c.speedToLead.humanDelay.median)}</>}
      />
      <Tile
        label="SLA breach rate" value={formatPercent(c.slaBreach.rate)} current={c.slaBreach.rate} previous={p.slaBreach.rate} better="down"
        target={<Target value={c.slaBreach.rate} target={targets.slaBreachRate} better="down" format={pct} />}
        sub={<>{formatCount(c.slaBreach.numerator)} of {formatCount(c.slaBreach.denominator)}</>}
      />
      <Tile
        label="Wrong assignment" value={formatPercent(c.wrongAssignment.rate)} current={c.wrongAssignment.rate} previous={p.wrongAssignment.rate} better="down"
        target={<Target value={c.wrongAssignment.rate} target={targets.wrongAssignmentRate} better="down" format={pct} />}
        sub={<>{formatCount(c.wrongAssignment.numerator)} of {formatCount(c.wrongAssignment.denominator)}</>}
      />
      <Tile
        label="Acceptance" value={formatPercent(c.acceptance.rate)} current={c.acceptance.rate} previous={p.acceptance.rate} better="up"
        target={<Target value={c.acceptance.rate} target={targets.acceptanceRate} better="up" format={pct} />}
        sub={<>{formatCount(c.acceptance.numerator)} of {formatCount(c.acceptance.denominator)} decided</>}
      />
      <Tile
        label="Meeting rate" value={formatPercent(c.meetingRate.rate)} current={c.meetingRate.rate} previous={p.meetingRate.rate} better="up"
        sub={<>{formatCount(c.meetingRate.numerator)} meetings</>}
      />
      <Tile
        label="Pipeline created" value={formatMoney(c.pipeline.amount)} current={c.pipeline.amount} previous={p.pipeline.amount} better="up"
        sub={<>{formatCount(c.pipeline.opportunities)} opportunities</>}
      />
      <Tile
        label="Manual triage" value={formatPercent(c.manualTriage.rate)} current={c.manualTriage.rate} previous={p.manualTriage.rate} better="down"
        target={<Target value={c.manualTriage.rate} target={targets.manualTriageRate} better="down" format={pct} />}
        sub={<>{formatCount(c.manualTriage.numerator)} to review</>}
      />
      <Tile label="Leads received" value={formatCount(c.volume)} current={c.volume} previous={p.volume} better="up" />
    </div>
  );
}

interface RouteRow {
  key: string;
  name: string;
  kind: string;
  color: string;
  kpis: Kpis;
}

function RouteTable({ rows, days }: { rows: RouteRow[]; days: number }) {
  const total = rows.reduce((s, r) => s + r.kpis.volume, 0);
  return (
    <section className="card">
      <div className="card-head">
        <div>
          <h2>By route path</h2>
          <p>Each lead counts under the route path decided when it arrived.</p>
        </div>
      </div>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Route path</th>
              <th scope="col" className="num">Leads</th>
              <th scope="col" className="num">Share</th>
              <th scope="col" className="num">Speed to lead (median)</th>
              <th scope="col" className="num">SLA breach</th>
              <th scope="col" className="num">Wrong assignment</th>
              <th scope="col" className="num">Acceptance</th>
              <th scope="col" className="num">Meeting rate</th>
              <th scope="col" className="num">Pipeline</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <td>
                  <Link className="row-link" href={`/leads?route=${encodeURIComponent(r.key)}&days=${days}`}>
                    <span className="badge"><span className="dot" style={{ background: r.color }} />{r.name}</span>
                  </Link>
                </td>
                <td className="num">{formatCount(r.kpis.volume)}</td>
                <td className="num">{formatPercent(total ? r.kpis.volume / total : null)}</td>
                <td className="num">{formatMinutes(r.kpis.speedToLead.medianMinutes)}</td>
                <td className="num">{formatPercent(r.kpis.slaBreach.rate)}</td>
                <td className="num">{formatPercent(r.kpis.wrongAssignment.rate)}</td>
                <td className="num">{formatPercent(r.kpis.acceptance.rate)}</td>
                <td className="num">{formatPercent(r.kpis.meetingRate.rate)}</td>
                <td className="num">{formatMoney(r.kpis.pipeline.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function KpiSkeleton() {
  return (
    <div className="kpis" aria-busy="true" aria-label="Loading figures">
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="card kpi">
          <div className="skeleton" style={{ height: 12, width: "60%" }} />
          <div className="skeleton" style={{ height: 26, width: "40%", margin: "10px 0" }} />
          <div className="skeleton" style={{ height: 10, width: "80%" }} />
        </div>
      ))}
    </div>
  );
}
