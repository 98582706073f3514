"use client";

import Link from "next/link";
import type { RouterOutputs } from "../../_trpc/types";
import type { Finding } from "@/lib/review/anomalies";
import { findingHref, type DrillPeriod } from "./drill";

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
      <FindingList findings={alerts.findings} period={alerts.period} before={alerts.baseline} />
    </section>
  );
}

/** Anomalies as a list: severity, the sentence, and a link to the leads behind each (the dashboard's alerts, the review's packet). */
export function FindingList({ findings, period, before }: { findings: readonly Finding[]; period: DrillPeriod; before: DrillPeriod }) {
  return (
    <ul className="alert-list">
      {findings.map((f, i) => (
        <li key={`${f.kind}-${f.subject.key}-${f.metric}-${i}`}>
          <span className={f.severity === "critical" ? "badge badge-bad" : "badge badge-warn"}>{f.severity === "critical" ? "Critical" : "Warning"}</span>
          <span>{f.explanation}</span>
          <Link href={findingHref(f, period, before)} className="small">{f.subject.type === "rep" ? "Their leads before →" : "The leads →"}</Link>
        </li>
      ))}
    </ul>
  );
}
