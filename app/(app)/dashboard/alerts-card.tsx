"use client";

import Link from "next/link";
import type { DashboardFilters } from "@/lib/metrics/dashboard-filters";
import type { RouterOutputs } from "../../_trpc/types";
import { drillHref } from "./drill";

type Alerts = RouterOutputs["dashboard"]["alerts"];

/** What looks unusual in the period against the weeks before it, each with the leads behind it. */
export function AlertsCard({ alerts, filters }: { alerts: Alerts; filters: DashboardFilters }) {
  if (!alerts.findings.length) return null;
  const none: DashboardFilters = { ...filters, routePaths: undefined, sources: undefined, teams: undefined, reps: undefined, versions: undefined };
  const href = (f: Alerts["findings"][number]) => {
    const s = f.subject;
    if (s.type === "source") return drillHref(none, alerts.period, { dimension: "source", key: s.key || "none" });
    if (s.type === "route_path" && s.key !== "*") return drillHref(none, alerts.period, { dimension: "route_path", key: s.key });
    if (s.type === "rep") return drillHref(none, alerts.baseline, { dimension: "rep", key: s.key });
    return null;
  };
  return (
    <section className="card" style={{ marginBottom: 16 }} aria-labelledby="alerts-title" data-testid="dashboard-alerts">
      <div className="card-head">
        <div>
          <h2 id="alerts-title">Alerts</h2>
          <p>Unusual against the same weekdays of the weeks before ({new Date(alerts.baseline.from).toLocaleDateString("en-US", { dateStyle: "medium" })} – {new Date(alerts.baseline.to).toLocaleDateString("en-US", { dateStyle: "medium" })}); workspace-wide.</p>
        </div>
      </div>
      <ul className="alert-list">
        {alerts.findings.map((f, i) => {
          const link = href(f);
          return (
            <li key={`${f.kind}-${f.subject.key}-${f.metric}-${i}`}>
              <span className={f.severity === "critical" ? "badge badge-bad" : "badge badge-warn"}>{f.severity === "critical" ? "Critical" : "Warning"}</span>
              <span>{f.explanation}</span>
              {link ? <Link href={link} className="small">{f.subject.type === "rep" ? "Their leads before →" : "The leads →"}</Link> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
