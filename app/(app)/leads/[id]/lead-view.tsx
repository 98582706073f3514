"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatMoney, humanize, leadDisplayName } from "@/lib/format";
import { REASON_LABELS } from "@/lib/metrics/definitions";
import { useTRPC } from "../../../_trpc/client";
import type { RouterOutputs } from "../../../_trpc/types";
import { RouteBadge, StatusBadge, TierBadge } from "../../../_components/lead-badges";
import { formatFullDateTime } from "../../../_components/dates";
import { ErrorState, TableSkeleton } from "../../../_components/states";
import { DecisionTrace } from "./trace";

/** Steps of the routing pipeline: shown in the decision trace, not repeated on the timeline. */
const PIPELINE_STEPS = new Set(["received", "validated", "junk_flagged", "duplicate_linked", "enriched", "classified", "scored", "decided", "step_failed"]);

type Detail = RouterOutputs["leads"]["byId"];
type LeadEvent = Detail["events"][number];

const EVENT_LABELS: Record<string, string> = {
  received: "Received",
  validated: "Validated and normalised",
  junk_flagged: "Flagged as junk",
  duplicate_linked: "Linked as duplicate",
  enriched: "Matched to account",
  classified: "Classified",
  scored: "Scored",
  decided: "Route decided",
  assigned: "Assigned",
  queued_for_review: "Sent to review queue",
  review_resolved: "Review resolved",
  rerouted: "Re-routed",
  accepted: "Accepted",
  rejected: "Rejected",
  reassigned: "Reassigned",
  first_touch: "First touch",
  meeting_booked: "Meeting booked",
  opportunity_created: "Opportunity created",
  closed_won: "Closed won",
  closed_lost: "Closed lost",
  task_created: "Task created",
  sla_started: "SLA clock started",
  sla_warning: "SLA reminder",
  sla_breached: "SLA breached",
  escalated: "Escalated",
  notified: "Notified",
  fact_corrected: "Facts corrected",
  step_failed: "Step failed",
  note: "Note",
};

/** One line of detail for a timeline event (who, why, how much). */
function describe(e: LeadEvent, currency: string): string | null {
  const d = e.data as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === "string" && d[k] !== "" ? (d[k] as string) : null);
  const parts: string[] = [];
  if (e.rep_name) parts.push(e.type === "assigned" || e.type === "reassigned" ? `to ${e.rep_name}` : `by ${e.rep_name}`);
  if (e.reason_code) parts.push(REASON_LABELS[e.reason_code] ?? humanize(e.reason_code));
  if (e.amount != null) parts.push(formatMoney(e.amount, e.currency ?? currency, false));
  const reason = str("reason") ?? str("text") ?? str("comment");
  if (reason) parts.push(reason.split(" — ")[0]!);
  if (str("slaDueAt")) parts.push(`SLA due ${formatFullDateTime(str("slaDueAt"))}`);
  if (e.actor_name) parts.push(`(${e.actor_name})`);
  return parts.length ? parts.join(" · ") : null;
}

export function LeadView({ id }: { id: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.leads.byId.queryOptions({ id }));
  if (q.isPending) return <div className="page"><TableSkeleton rows={6} cols={2} /></div>;
  if (q.isError) return <div className="page"><ErrorState title="This lead could not be loaded" error={q.error} onRetry={() => q.refetch()} /></div>;
  const { lead, events, currency, deliveries, slaSteps } = q.data;
  const timeline = events.filter((e) => !PIPELINE_STEPS.has(e.type));
  const name = leadDisplayName(lead);
  const facts: Array<[string, React.ReactNode]> = [
    ["Email", lead.email ?? "—"],
    ["Company", lead.company ?? "—"],
    ["Company domain", lead.company_domain ?? "—"],
    ["Title", lead.title ?? "—"],
    ["Country / region", [lead.country, lead.region].filter(Boolean).join(" · ") || "—"],
    ["Phone", lead.phone ?? "—"],
    ["Channel", humanize(lead.channel)],
    ["Account", lead.account_name ? `${lead.account_name}${lead.account_status ? ` (${humanize(lead.account_status)})` : ""}` : "No account matched"],
    ["Category", lead.category ? `${humanize(lead.category)}${lead.category_confidence != null ? ` · ${(lead.category_confidence * 100).toFixed(0)}% confidence` : ""}` : "—"],
  ];
  return (
    <div className="page">
      <div className="breadcrumb"><Link href="/leads">Leads</Link> / {name}</div>
      <div className="page-head">
        <div>
          <h1>{name}</h1>
          <p>{lead.company ?? "No company"} · received {formatFullDateTime(lead.received_at)}</p>
        </div>
        <div className="row">
          <StatusBadge status={lead.status} />
          <RouteBadge name={lead.route_path_name} color={lead.route_path_color} />
          <TierBadge tier={lead.priority_tier} />
        </div>
      </div>
      <div className="grid-2">
        <div className="stack">
          <section className="card">
            <div className="card-head"><h2>Routing</h2></div>
            <div className="card-body">
              <dl className="facts">
                <dt>Route path</dt><dd>{lead.route_path_name ?? "—"}{lead.rule_id ? <span className="muted"> · rule {lead.rule_id}{lead.table_version ? ` of table v${lead.table_version}` : ""}</span> : null}</dd>
                <dt>Owner</dt><dd>{lead.owner_name ?? (lead.owner_queue ? `Queue: ${humanize(lead.owner_queue)}` : "—")}{lead.team_name ? <span className="muted"> · {lead.team_name}</span> : null}</dd>
                <dt>Assigned</dt><dd>{formatFullDateTime(lead.assigned_at)}</dd>
                <dt>SLA due</dt><dd>{formatFullDateTime(lead.sla_due_at)}</dd>
                <dt>First touch</dt><dd>{formatFullDateTime(lead.first_touch_at)}</dd>
                <dt>Score</dt><dd>{lead.score ?? "—"}</dd>
                {lead.review_reason ? (<><dt>Review reason</dt><dd>{lead.review_reason}</dd></>) : null}
                {lead.opportunity_amount != null ? (<><dt>Pipeline</dt><dd>{formatMoney(lead.opportunity_amount, currency, false)}</dd></>) : null}
              </dl>
            </div>
          </section>
          <section className="card">
            <div className="card-head">
              <div>
                <h2>Why it was routed here</h2>
                <p>Each step of the pipeline: what it saw and what it decided.</p>
              </div>
              {lead.table_id ? <Link className="btn btn-sm" href={`/routing/${lead.table_id}?tab=tests&lead=${lead.id}`}>Route this one again</Link> : null}
            </div>
            <div className="card-body"><DecisionTrace events={events} /></div>
          </section>
        </div>
        <div className="stack">
          <section className="card">
            <div className="card-head"><h2>Facts</h2></div>
            <div className="card-body">
              <dl className="facts">
                {facts.map(([k, v]) => (<FactRow key={k} label={k} value={v} />))}
              </dl>
              {lead.message ? (
                <>
                  <h3 style={{ marginTop: 16 }}>Message</h3>
                  <p style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}>{lead.message}</p>
                </>
              ) : null}
            </div>
          </section>
          <SlaClock steps={slaSteps} deliveries={deliveries} />
          <section className="card">
            <div className="card-head">
              <div>
                <h2>Timeline</h2>
                <p>Assignment and everything after it, from the lead&apos;s event log.</p>
              </div>
            </div>
            <div className="card-body">
              {timeline.length === 0 ? <p className="muted">Nothing has happened since routing.</p> : (
                <ol className="timeline">
                  {timeline.map((e) => (
                    <li key={e.id}>
                      <span className="when">{formatFullDateTime(e.occurred_at)}</span>
                      <span className="rail"><span className="node" /></span>
                      <div className="what">
                        <strong>{EVENT_LABELS[e.type] ?? humanize(e.type)}</strong>
                        {describe(e, currency) ? <div className="detail">{describe(e, currency)}</div> : null}
                      </div>
                    </li>
                  ))}
                </ol>
              )}
            </div>
          </section>
        </div>
      </div>
    </div>
  );
}

const STEP_LABELS: Record<string, string> = { remind: "Reminder to the owner", breach: "Breach: owner and manager told", reassign: "Reassignment" };
const STEP_STATUS: Record<string, { text: string; className: string }> = {
  queued: { text: "Pending", className: "badge badge-brand" },
  running: { text: "Running", className: "badge badge-brand" },
  done: { text: "Ran", className: "badge badge-good" },
  cancelled: { text: "Stopped", className: "badge" },
  failed: { text: "Retrying", className: "badge badge-warn" },
  dead: { text: "Failed", className: "badge badge-bad" },
};
const CHANNELS: Record<string, string> = { in_app: "In-app", slack: "Slack", email: "Email", webhook: "Webhook" };

type LeadData = RouterOutputs["leads"]["byId"];

/** The SLA clock's steps (what happens next, and when) and every alert the lead caused, with its delivery state. */
function SlaClock({ steps, deliveries }: { steps: LeadData["slaSteps"]; deliveries: LeadData["deliveries"] }) {
  return (
    <section className="card" data-testid="sla-clock">
      <div className="card-head">
        <div>
          <h2>SLA clock and alerts</h2>
          <p>The escalation steps of each owner&apos;s clock, and every notification this lead caused.</p>
        </div>
      </div>
      <div className="card-body">
        {steps.length === 0 ? <p className="muted">No SLA clock: this lead has no owner with an SLA.</p> : (
          <div className="table-wrap"><table className="data">
            <thead><tr><th>When</th><th>Step</th><th>Owner</th><th>State</th></tr></thead>
            <tbody>
              {steps.map((st) => {
                const status = STEP_STATUS[st.status] ?? { text: st.status, className: "badge" };
                return (
                  <tr key={st.id}>
                    <td>{formatFullDateTime(st.run_at)}</td>
                    <td>{STEP_LABELS[st.step] ?? st.step}</td>
                    <td>{st.rep_name ?? "—"}</td>
                    <td><span className={status.className} title={st.last_error ?? undefined}>{status.text}</span></td>
                  </tr>
                );
              })}
            </tbody>
          </table></div>
        )}
        <h3 style={{ marginTop: 16 }}>Deliveries</h3>
        {deliveries.length === 0 ? <p className="muted" style={{ marginBottom: 0 }}>No alerts sent for this lead yet.</p> : (
          <div className="table-wrap"><table className="data" data-testid="delivery-log">
            <thead><tr><th>Sent</th><th>Channel</th><th>To</th><th>What</th><th>State</th></tr></thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td>{formatFullDateTime(d.delivered_at ?? d.created_at)}</td>
                  <td>{CHANNELS[d.channel] ?? d.channel}</td>
                  <td>{d.user_name ?? d.target}</td>
                  <td>{String((d.payload as { title?: unknown }).title ?? "")}</td>
                  <td>
                    <span className={d.status === "delivered" ? "badge badge-good" : d.status === "dead" ? "badge badge-bad" : "badge badge-warn"} title={d.last_error ?? undefined}>
                      {d.status === "delivered" ? "Delivered" : d.status === "dead" ? "Failed" : d.status === "retrying" ? `Retrying (${d.attempts})` : "Pending"}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
      </div>
    </section>
  );
}

function FactRow({ label, value }: { label: string; value: React.ReactNode }) {
  return (<><dt>{label}</dt><dd>{value}</dd></>);
}
