"use client";

/**
 * The review's packet: the evidence it was opened with (stored with the review, so a signed-off review shows the
 * figures it was signed on). Shared by the review page and its print view; every figure links to the leads behind it.
 */
import Link from "next/link";
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, XAxis, YAxis } from "recharts";
import { formatCount, formatMinutes, formatPercent, humanize } from "@/lib/format";
import type { DrillMetric } from "@/lib/metrics/dashboard-filters";
import type { Kpis, MetricTargets } from "@/lib/metrics/definitions";
import { BREACH_CAUSE_LABELS, type BreachCause, type ReviewPacket } from "@/lib/review/packet";
import { FindingList } from "../dashboard/alerts-card";
import { drillHref, UNFILTERED } from "../dashboard/drill";
import { KpiTiles } from "../dashboard/kpi-tiles";
import styles from "./review.module.css";

const day = (d: string | Date) => new Date(d).toLocaleDateString("en-US", { dateStyle: "medium" });

/** "▲ 2.1 pts" / "▼ 12%" against the previous value, coloured by whether that is better. */
function Change({ current, previous, better, points }: { current: number | null; previous: number | null | undefined; better: "up" | "down"; points?: boolean }) {
  if (current == null || previous == null) return <span className="delta-flat">—</span>;
  const change = points ? (current - previous) * 100 : previous === 0 ? null : (current - previous) / previous;
  if (change == null) return <span className="delta-flat">new</span>;
  if (Math.abs(change) < (points ? 0.05 : 0.0005)) return <span className="delta-flat">±0</span>;
  const good = better === "up" ? change > 0 : change < 0;
  return <span className={good ? "delta-good" : "delta-bad"} style={{ whiteSpace: "nowrap" }}>{change > 0 ? "▲" : "▼"} {points ? `${Math.abs(change).toFixed(1)} pts` : formatPercent(Math.abs(change), 0)}</span>;
}

function RateCell({ value, previous, target, better }: { value: number | null; previous: number | null | undefined; target?: number; better: "up" | "down" }) {
  const missed = value != null && target != null && (better === "up" ? value < target : value > target);
  return (
    <td className="num">
      <span className={missed ? styles.missed : undefined} title={target != null ? `Target ${better === "up" ? "≥" : "≤"} ${formatPercent(target, 0)}${missed ? " — missed" : ""}` : undefined}>{formatPercent(value)}</span>
      <div className="small"><Change current={value} previous={previous} better={better} points /></div>
    </td>
  );
}

export function PacketKpis({ packet, currency }: { packet: ReviewPacket; currency: string }) {
  return <div className={styles.kpis}><KpiTiles current={packet.overall.current} previous={packet.overall.previous} targets={packet.targets} filters={UNFILTERED} period={packet.period} currency={currency} /></div>;
}

export function Anomalies({ packet }: { packet: ReviewPacket }) {
  const wide = { from: packet.previous.from, to: packet.period.to };
  return (
    <section className="card" aria-labelledby="anomalies-h" data-testid="packet-anomalies">
      <div className="card-head"><div><h2 id="anomalies-h">Anomalies</h2><p>Against the same weekdays of the weeks before the period: volume, a source gone silent, a rep who stopped receiving leads, shares and the classifier&apos;s confidence.</p></div></div>
      {packet.anomalies.length === 0 ? <p className="card-body muted" style={{ margin: 0 }}>Nothing unusual: every source, route path and rep stayed within its normal range.</p> : (
        <FindingList findings={packet.anomalies} period={packet.period} before={wide} />
      )}
    </section>
  );
}

export function RoutePaths({ packet }: { packet: ReviewPacket }) {
  const t: MetricTargets = packet.targets;
  const rows = [...packet.routePaths].sort((a, b) => b.current.volume - a.current.volume);
  return (
    <section className="card" aria-labelledby="routes-h" data-testid="packet-routes">
      <div className="card-head"><div><h2 id="routes-h">Route paths</h2><p>Each route path against the workspace targets (red: missed) and the period before (▲▼).</p></div></div>
      <div className="table-wrap">
        <table className="data">
          <thead><tr><th scope="col">Route path</th><th scope="col" className="num">Leads</th><th scope="col" className="num"><abbr title="Median speed to lead, business minutes">Speed</abbr></th><th scope="col" className="num">SLA breach</th><th scope="col" className="num"><abbr title="Wrong assignment">Wrong owner</abbr></th><th scope="col" className="num">Acceptance</th><th scope="col" className="num"><abbr title="Meeting rate">Meetings</abbr></th></tr></thead>
          <tbody>
            {rows.length === 0 ? <tr><td colSpan={7} className="muted">No leads in the period.</td></tr> : rows.map((r) => {
              const p: Kpis | null = r.previous;
              const speed = r.current.speedToLead.medianBusinessMinutes;
              return (
                <tr key={r.key ?? "none"}>
                  <td><Link href={drillHref(UNFILTERED, packet.period, { dimension: "route_path", key: r.key ?? "none" })}>{r.name}</Link></td>
                  <td className="num">{formatCount(r.current.volume)}<div className="small"><Change current={r.current.volume} previous={p?.volume} better="up" /></div></td>
                  <td className="num"><span className={speed != null && speed > t.speedToLeadMinutes ? styles.missed : undefined}>{formatMinutes(speed)}</span><div className="small"><Change current={speed} previous={p?.speedToLead.medianBusinessMinutes} better="down" /></div></td>
                  <RateCell value={r.current.slaBreach.rate} previous={p?.slaBreach.rate} target={t.slaBreachRate} better="down" />
                  <RateCell value={r.current.wrongAssignment.rate} previous={p?.wrongAssignment.rate} target={t.wrongAssignmentRate} better="down" />
                  <RateCell value={r.current.acceptance.rate} previous={p?.acceptance.rate} target={t.acceptanceRate} better="up" />
                  <RateCell value={r.current.meetingRate.rate} previous={p?.meetingRate.rate} target={t.meetingRate} better="up" />
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const CAUSE_NOTES: Record<BreachCause, string> = {
  unassigned: "no owner was assigned (queue, review or no eligible rep)",
  capacity: "a rep was skipped for capacity on the way",
  out_of_hours: "an hour or more of the wait fell outside business hours",
  slow_owner: "assigned in hours, first touch came late",
};

export function SlaBreaches({ packet, print }: { packet: ReviewPacket; print?: boolean }) {
  const data = (Object.keys(BREACH_CAUSE_LABELS) as BreachCause[]).map((c) => ({ cause: BREACH_CAUSE_LABELS[c], n: packet.slaBreaches.byCause[c] }));
  const metric: DrillMetric = "sla_breached";
  return (
    <section className="card" aria-labelledby="sla-h" data-testid="packet-sla">
      <div className="card-head">
        <div><h2 id="sla-h">SLA breaches by cause</h2><p><Link href={drillHref(UNFILTERED, packet.period, { metric })}>{formatCount(packet.slaBreaches.total)} breaches</Link> in the period.</p></div>
      </div>
      <div className="card-body">
        {packet.slaBreaches.total === 0 ? <p className="muted" style={{ margin: 0 }}>No SLA was breached.</p> : (
          <>
            <div style={{ width: "100%", height: 150 }} role="img" aria-label={`SLA breaches by cause: ${data.map((d) => `${d.cause} ${d.n}`).join(", ")}`}>
              <ResponsiveContainer>
                <BarChart data={data} layout="vertical" margin={{ top: 4, right: 48, left: 8, bottom: 4 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#e3e6eb" horizontal={false} />
                  <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12, fill: "#5b6472" }} />
                  <YAxis type="category" dataKey="cause" width={96} tick={{ fontSize: 12, fill: "#2b3340" }} />
                  <Bar dataKey="n" fill="#d9534f" isAnimationActive={!print} radius={[0, 3, 3, 0]}>
                    <LabelList dataKey="n" position="right" style={{ fontSize: 12, fill: "#2b3340" }} />
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
            <ul className={`small muted ${styles.causes}`}>
              {(Object.keys(CAUSE_NOTES) as BreachCause[]).map((c) => <li key={c}><strong>{BREACH_CAUSE_LABELS[c]}</strong>: {CAUSE_NOTES[c]}</li>)}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}

export function Rejections({ packet }: { packet: ReviewPacket }) {
  const route = new Map(packet.routePaths.map((r) => [r.key, r.name]));
  const { byRoutePath, byRep } = packet.rejections;
  return (
    <section className="card" aria-labelledby="rej-h" data-testid="packet-rejections">
      <div className="card-head"><div><h2 id="rej-h">Top rejection reasons</h2><p>What reps said when they rejected a lead, by route path and by rep.</p></div></div>
      {byRoutePath.length === 0 ? <p className="card-body muted" style={{ margin: 0 }}>No lead was rejected in the period.</p> : (
        <div className={styles.pair}>
          <div className="table-wrap">
            <table className="data">
              <thead><tr><th scope="col">Route path</th><th scope="col">Reason</th><th scope="col" className="num">Rejections</th></tr></thead>
              <tbody>{byRoutePath.map((r, i) => <tr key={i}><td>{r.routePath ? route.get(r.routePath) ?? r.routePath : "No route path"}</td><td>{humanize(r.reason)}</td><td className="num">{formatCount(r.n)}</td></tr>)}</tbody>
            </table>
          </div>
          <div className="table-wrap">
            <table className="data">
              <thead><tr><th scope="col">Rep</th><th scope="col">Reason</th><th scope="col" className="num">Rejections</th></tr></thead>
              <tbody>{byRep.map((r, i) => <tr key={i}><td>{r.repId ? <Link href={drillHref(UNFILTERED, packet.period, { dimension: "rep", key: r.repId, metric: "rejected" })}>{r.rep}</Link> : r.rep}</td><td>{humanize(r.reason)}</td><td className="num">{formatCount(r.n)}</td></tr>)}</tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

export function WrongAssignments({ packet }: { packet: ReviewPacket }) {
  const w = packet.wrongAssignments;
  const route = new Map(packet.routePaths.map((r) => [r.key, r.name]));
  return (
    <section className="card" aria-labelledby="wrong-h" data-testid="packet-wrong">
      <div className="card-head">
        <div><h2 id="wrong-h">Wrong assignments</h2><p><Link href={drillHref(UNFILTERED, packet.period, { metric: "wrong_assigned" })}>{formatCount(w.total)} leads</Link> reassigned or rejected as the wrong owner{w.examples.length ? `; the latest ${w.examples.length}` : ""}.</p></div>
      </div>
      {w.examples.length === 0 ? <p className="card-body muted" style={{ margin: 0 }}>None in the period.</p> : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th scope="col">Lead</th><th scope="col">Route path</th><th scope="col">First owner</th><th scope="col">Reason</th></tr></thead>
            <tbody>{w.examples.map((e) => <tr key={e.leadId}><td><Link href={`/leads/${e.leadId}`}>{e.name}</Link></td><td>{e.routePath ? route.get(e.routePath) ?? e.routePath : "—"}</td><td>{e.rep ?? "—"}</td><td>{e.reason ? humanize(e.reason) : "Reassigned"}</td></tr>)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ReviewQueue({ packet }: { packet: ReviewPacket }) {
  const q = packet.reviewQueue;
  return (
    <section className="card kpi" aria-labelledby="queue-h" data-testid="packet-queue">
      <div className="kpi-label"><span id="queue-h">Review (fallback) queue</span>
        <span className={`target ${q.current.share != null && q.current.share > packet.targets.manualTriageRate ? "target-missed" : "target-met"}`}>target ≤ {formatPercent(packet.targets.manualTriageRate, 0)}</span></div>
      <div className="kpi-value">{formatPercent(q.current.share)}</div>
      <div className="kpi-sub">
        <Link href={drillHref(UNFILTERED, packet.period, { metric: "triaged" })}>{formatCount(q.current.n)} leads</Link>
        <Change current={q.current.share} previous={q.previous.share} better="down" points />
        <span>was {formatPercent(q.previous.share)} ({formatCount(q.previous.n)})</span>
      </div>
    </section>
  );
}

export function Reps({ packet }: { packet: ReviewPacket }) {
  const total = packet.reps.reduce((a, r) => a + r.assigned, 0);
  const wide = { from: packet.previous.from, to: packet.period.to };
  return (
    <section className="card" aria-labelledby="reps-h" data-testid="packet-reps">
      <div className="card-head"><div><h2 id="reps-h">Fairness per rep</h2><p>First assignments in the period and the one before, and rejections. A rep at zero after a normal period is flagged.</p></div></div>
      <div className="table-wrap">
        <table className="data">
          <thead><tr><th scope="col">Rep</th><th scope="col" className="num">Assigned</th><th scope="col" className="num">Share</th><th scope="col" className="num">Period before</th><th scope="col" className="num">Change</th><th scope="col" className="num">Rejected</th></tr></thead>
          <tbody>
            {packet.reps.length === 0 ? <tr><td colSpan={6} className="muted">No reps.</td></tr> : packet.reps.map((r) => (
              <tr key={r.repId}>
                <td>
                  <Link href={drillHref(UNFILTERED, r.assigned ? packet.period : wide, { dimension: "rep", key: r.repId })}>{r.rep}</Link>{" "}
                  {!r.active ? <span className="badge">inactive</span> : r.assigned === 0 && r.previousAssigned >= 8 ? <span className="badge badge-bad">none this period</span> : null}
                </td>
                <td className="num">{formatCount(r.assigned)}</td>
                <td className="num">{total ? formatPercent(r.assigned / total) : "—"}</td>
                <td className="num">{formatCount(r.previousAssigned)}</td>
                <td className="num"><Change current={r.assigned} previous={r.previousAssigned} better="up" /></td>
                <td className="num">{formatCount(r.rejected)}{r.assigned ? <span className="small muted"> ({formatPercent(r.rejected / r.assigned, 0)})</span> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function RuleChanges({ packet }: { packet: ReviewPacket }) {
  return (
    <section className="card" aria-labelledby="versions-h" data-testid="packet-versions">
      <div className="card-head"><div><h2 id="versions-h">Rules changed in the period</h2><p>Each published table version with its measured effect: its leads against those of the version it replaced (this period and the one before).</p></div></div>
      {packet.versions.length === 0 ? <p className="card-body muted" style={{ margin: 0 }}>No table version was published in the period.</p> : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th scope="col">Version</th><th scope="col">Published</th><th scope="col">Why</th><th scope="col" className="num">Leads (before → after)</th><th scope="col" className="num">SLA breach</th><th scope="col" className="num">Wrong assignment</th><th scope="col" className="num">Acceptance</th></tr></thead>
            <tbody>
              {packet.versions.map((v) => {
                const b = v.before?.kpis ?? null;
                const a = v.after ?? null;
                const pair = (get: (k: Kpis) => number | null, better: "up" | "down") => (
                  <td className="num">{b ? formatPercent(get(b)) : "—"} → {a ? formatPercent(get(a)) : "—"}<div className="small"><Change current={a ? get(a) : null} previous={b ? get(b) : null} better={better} points /></div></td>
                );
                return (
                  <tr key={v.id}>
                    <td>{v.tableName ? `${v.tableName} ` : ""}v{v.version}{v.before?.version ? <span className="small muted"> (replaced v{v.before.version})</span> : null}</td>
                    <td>{day(v.publishedAt)}</td>
                    <td>{v.reason || <span className="muted">—</span>}</td>
                    <td className="num">{b ? formatCount(b.volume) : "—"} → {a ? formatCount(a.volume) : "—"}</td>
                    {pair((k) => k.slaBreach.rate, "down")}
                    {pair((k) => k.wrongAssignment.rate, "down")}
                    {pair((k) => k.acceptance.rate, "up")}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The whole packet, in reading order. */
export function Packet({ packet, currency, print }: { packet: ReviewPacket; currency: string; print?: boolean }) {
  return (
    <div className="stack" data-testid="packet">
      <PacketKpis packet={packet} currency={currency} />
      <Anomalies packet={packet} />
      <RoutePaths packet={packet} />
      <div className={styles.pair}>
        <SlaBreaches packet={packet} print={print} />
        <ReviewQueue packet={packet} />
      </div>
      <Rejections packet={packet} />
      <WrongAssignments packet={packet} />
      <Reps packet={packet} />
      <RuleChanges packet={packet} />
    </div>
  );
}
