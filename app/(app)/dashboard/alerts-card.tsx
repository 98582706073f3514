"use client";

import Link from "next/link";
import type { RouterOutputs } from "../../_trpc/types";
import { findingHref } from "./drill";

type Alerts = RouterOutputs["dashboard"]["alerts"];

/** What looks unusual in the period against the weeks before it, each with the leads behind it. */
export function AlertsCard({ alerts }: { alerts: Alerts }) {
  if (!alerts.findings.length) return null;
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
          const link = findingHref(f, alerts.period, alerts.baseline);
          return (
            <li key={`${f.kind}-${f.subject.key}-${f.metric}-${i}`}>
              <span className={f.severity === "critical" ? "badge badge-bad" : "badge badge-warn"}>{f.severity === "critical" ? "Critical" : "Warning"}</span>
              <span>{f.explanation}</span>
              <Link href={link} className="small">{f.subject.type === "rep" ? "Their leads before →" : "The leads →"}</Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
