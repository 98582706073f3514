"use client";

import Link from "next/link";
import { formatCount, formatMinutes, formatMoney, formatPercent, relativeChange } from "@/lib/format";
import type { DashboardFilters, DrillMetric } from "@/lib/metrics/dashboard-filters";
import type { Kpis, MetricTargets } from "@/lib/metrics/definitions";
import { drillHref, type DrillPeriod } from "./drill";

type Direction = "up" | "down";

function Delta({ current, previous, better, absolute, thinPrior }: { current: number | null; previous: number | null; better: Direction; absolute?: boolean; thinPrior?: number | null }) {
  // A comparison with a handful of leads is noise, not a trend: say so instead of printing a huge change.
  if (thinPrior != null) return <span className="delta-flat">prior period: {thinPrior === 0 ? "no leads" : `only ${formatCount(thinPrior)} leads`}</span>;
  if (current == null || previous == null) return <span className="delta-flat">no prior data</span>;
  // Rates change in percentage points; counts, amounts and minutes in percent.
  const change = absolute ? current - previous : relativeChange(current, previous);
  if (change == null) return <span className="delta-flat">no prior data</span>;
  const text = absolute ? `${(Math.abs(change) * 100).toFixed(1)} pts` : formatPercent(Math.abs(change), 0);
  if (Math.abs(change) < 0.0005) return <span className="delta-flat">± 0 vs prior period</span>;
  const good = better === "up" ? change > 0 : change < 0;
  return (
    <span className={good ? "delta-good" : "delta-bad"} title={`Previous period: ${absolute ? formatPercent(previous) : previous.toLocaleString()}`}>
      {change > 0 ? "▲" : "▼"} {text} vs prior
    </span>
  );
}

function Target({ value, target, better, format }: { value: number | null; target: number; better: Direction; format: (n: number) => string }) {
  const label = `target ${better === "up" ? "≥" : "≤"} ${format(target)}`;
  if (value == null) return <span className="target target-none">{label}</span>;
  const met = better === "up" ? value >= target : value <= target;
  return <span className={`target ${met ? "target-met" : "target-missed"}`} title={met ? "Meets the workspace target" : "Misses the workspace target"}>{label}</span>;
}

interface TileProps {
  id: string;
  label: string;
  value: string;
  current: number | null;
  previous: number | null;
  better: Direction;
  absolute?: boolean;
  /** The prior period's volume when it is too small to compare with. */
  thinPrior?: number | null;
  target?: React.ReactNode;
  children?: React.ReactNode;
}

function Tile(p: TileProps) {
  return (
    <section className="card kpi" aria-labelledby={`kpi-${p.id}`} data-kpi={p.id}>
      <div className="kpi-label"><span id={`kpi-${p.id}`}>{p.label}</span>{p.target}</div>
      <div className="kpi-value" data-testid={`kpi-${p.id}-value`}>{p.value}</div>
      <div className="kpi-sub"><Delta current={p.current} previous={p.previous} better={p.better} absolute={p.absolute} thinPrior={p.thinPrior} /></div>
      {p.children ? <div className="kpi-sub kpi-detail">{p.children}</div> : null}
    </section>
  );
}

export function KpiTiles({ current: c, previous: p, targets, filters, period, currency }: {
  current: Kpis; previous: Kpis; targets: MetricTargets; filters: DashboardFilters; period: DrillPeriod; currency: string;
}) {
  const pct = (n: number) => formatPercent(n, 0);
  const drill = (metric: DrillMetric, text: string, label: string) => (
    <Link href={drillHref(filters, period, { metric })} aria-label={label}>{text}</Link>
  );
  const s = c.speedToLead;
  // Fewer than 30 prior leads, or under a tenth of this period's: deltas would be noise (e.g. history that starts
  // inside the prior period).
  const thin = p.volume < Math.max(30, c.volume * 0.1) ? p.volume : null;
  return (
    <div className="kpis">
      <Tile
        thinPrior={thin} id="speed" label="Speed to lead" value={formatMinutes(s.medianBusinessMinutes)}
        current={s.medianBusinessMinutes} previous={p.speedToLead.medianBusinessMinutes} better="down"
        target={<Target value={s.medianBusinessMinutes} target={targets.speedToLeadMinutes} better="down" format={(n) => formatMinutes(n)} />}
      >
        <span>median, business minutes</span>
        <span title="Wall-clock minutes from received to first touch">wall {formatMinutes(s.medianMinutes)} · p90 {formatMinutes(s.p90Minutes)}</span>
        <span title="Business minutes of the owner team's calendar">p90 business {formatMinutes(s.p90BusinessMinutes)}</span>
        <span title="Medians. System delay: received → assigned (wall-clock: machine time); human delay: assigned → first touch (business minutes)">
          system {formatMinutes(s.systemDelay.median)} · human {formatMinutes(s.humanDelay.medianBusiness)}
        </span>
        {drill("touched", `${formatCount(s.n)} touched`, "Leads with a first touch")}
      </Tile>
      <Tile
        thinPrior={thin} id="sla" label="SLA breach rate" value={formatPercent(c.slaBreach.rate)} current={c.slaBreach.rate} previous={p.slaBreach.rate} better="down" absolute
        target={<Target value={c.slaBreach.rate} target={targets.slaBreachRate} better="down" format={pct} />}
      >
        {drill("sla_breached", `${formatCount(c.slaBreach.numerator)} breached`, "Leads that breached their SLA")}
        <span>of {drill("sla_eligible", formatCount(c.slaBreach.denominator), "Leads whose SLA is due or touched")} due or touched</span>
      </Tile>
      <Tile
        thinPrior={thin} id="wrong" label="Wrong assignment" value={formatPercent(c.wrongAssignment.rate)} current={c.wrongAssignment.rate} previous={p.wrongAssignment.rate} better="down" absolute
        target={<Target value={c.wrongAssignment.rate} target={targets.wrongAssignmentRate} better="down" format={pct} />}
      >
        <span data-testid="kpi-wrong-numerator" data-value={c.wrongAssignment.numerator}>{drill("wrong_assigned", `${formatCount(c.wrongAssignment.numerator)} wrong`, "Wrongly assigned leads")}</span>
        <span data-testid="kpi-wrong-denominator" data-value={c.wrongAssignment.denominator}>of {drill("assigned", formatCount(c.wrongAssignment.denominator), "Leads assigned to an owner")} assigned</span>
      </Tile>
      <Tile
        thinPrior={thin} id="acceptance" label="Acceptance" value={formatPercent(c.acceptance.rate)} current={c.acceptance.rate} previous={p.acceptance.rate} better="up" absolute
        target={<Target value={c.acceptance.rate} target={targets.acceptanceRate} better="up" format={pct} />}
      >
        {drill("accepted", `${formatCount(c.acceptance.numerator)} accepted`, "Accepted leads")}
        {drill("rejected", `${formatCount(c.acceptance.denominator - c.acceptance.numerator)} rejected`, "Rejected leads")}
      </Tile>
      <Tile
        thinPrior={thin} id="meetings" label="Meeting rate" value={formatPercent(c.meetingRate.rate)} current={c.meetingRate.rate} previous={p.meetingRate.rate} better="up" absolute
        target={<Target value={c.meetingRate.rate} target={targets.meetingRate} better="up" format={pct} />}
      >
        {drill("meeting", `${formatCount(c.meetingRate.numerator)} meetings`, "Leads with a meeting booked")}
        <span>of {drill("sales_routed", formatCount(c.meetingRate.denominator), "Leads routed to a sales owner")} routed to sales</span>
      </Tile>
      <Tile thinPrior={thin} id="pipeline" label="Pipeline created" value={formatMoney(c.pipeline.amount, currency)} current={c.pipeline.amount} previous={p.pipeline.amount} better="up">
        {drill("opportunity", `${formatCount(c.pipeline.opportunities)} opportunities`, "Leads with an opportunity")}
      </Tile>
      <Tile
        thinPrior={thin} id="triage" label="Manual triage" value={formatPercent(c.manualTriage.rate)} current={c.manualTriage.rate} previous={p.manualTriage.rate} better="down" absolute
        target={<Target value={c.manualTriage.rate} target={targets.manualTriageRate} better="down" format={pct} />}
      >
        {drill("triaged", `${formatCount(c.manualTriage.numerator)} entered review`, "Leads that entered the review queue")}
      </Tile>
      <Tile thinPrior={thin} id="volume" label="Leads received" value={formatCount(c.volume)} current={c.volume} previous={p.volume} better="up">
        <Link href={drillHref(filters, period)}>list them</Link>
        {thin === null ? <span>{formatCount(p.volume)} in the prior period</span> : null}
      </Tile>
    </div>
  );
}

export function KpiSkeleton() {
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
