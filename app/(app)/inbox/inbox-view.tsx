"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { classifierLabel, formatMinutes, formatPercent, humanize, leadDisplayName } from "@/lib/format";
import { useTRPC } from "../../_trpc/client";
import { RouteBadge, StatusBadge, TierBadge } from "../../_components/lead-badges";
import { formatDateTime } from "../../_components/dates";
import { EmptyState, ErrorState, TableSkeleton } from "../../_components/states";

/** Re-renders every 30 s so SLA countdowns stay current. */
function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

function SlaCountdown({ due, touched, now }: { due: Date | null; touched: Date | null; now: number }) {
  if (touched) return <span className="badge badge-good">Touched</span>;
  if (!due) return <span className="muted">No SLA</span>;
  const minutes = (due.getTime() - now) / 60_000;
  if (minutes < 0) return <span className="badge badge-bad" title={`Due ${formatDateTime(due)}`}>Overdue {formatMinutes(-minutes)}</span>;
  return <span className={`badge ${minutes < 15 ? "badge-warn" : ""}`} title={`Due ${formatDateTime(due)}`}>{formatMinutes(minutes)} left</span>;
}

type Classified = { briefing?: string; urgency?: string; urgencyPhrase?: string | null; category?: string } | null;

/** The classify step's reading of the lead: category, confidence, urgency, the briefing, and who produced them. */
function Briefing({ lead }: { lead: { category: string | null; category_confidence: number | null; classifier: string | null; classified: unknown } }) {
  const c = lead.classified as Classified;
  if (!lead.category && !c) return <span className="muted">—</span>;
  const urgency = c?.urgency;
  return (
    <>
      <div>
        <strong>{humanize(lead.category)}</strong>
        {lead.category_confidence != null ? <span className="muted"> · {formatPercent(lead.category_confidence, 0)}</span> : null}
        {urgency && urgency !== "normal" ? <span className={`badge ${urgency === "high" ? "badge-warn" : ""}`} style={{ marginLeft: 6 }} title={c?.urgencyPhrase ? `“${c.urgencyPhrase}”` : undefined}>{humanize(urgency)} urgency</span> : null}
      </div>
      {c?.briefing ? <div className="clamp-2" title={c.briefing}>{c.briefing}</div> : null}
      <div className="muted">by {classifierLabel(lead.classifier)}</div>
    </>
  );
}

export function InboxView({ isRep }: { isRep: boolean }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const repParam = params.get("rep") ?? undefined;
  const q = useQuery(trpc.inbox.list.queryOptions(isRep ? {} : { repId: repParam }));
  const now = useNow();

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{isRep ? "My inbox" : "Rep inbox"}</h1>
          <p>Open leads by priority and SLA, with the reason each was routed {isRep ? "to you" : "to this rep"}.</p>
        </div>
        {!isRep && q.data?.reps.length ? (
          <div className="row">
            <label htmlFor="rep-picker">Rep</label>
            <select id="rep-picker" value={q.data.repId ?? ""} onChange={(e) => router.replace(`${pathname}?rep=${e.target.value}`, { scroll: false })}>
              {q.data.reps.map((r) => <option key={r.id} value={r.id}>{r.name} — {r.team_name}</option>)}
            </select>
          </div>
        ) : null}
      </div>
      <div className="card">
        {q.isPending ? <TableSkeleton cols={6} /> : q.isError ? (
          <div className="card-body"><ErrorState title="The inbox could not be loaded" error={q.error} onRetry={() => q.refetch()} /></div>
        ) : q.data.leads.length === 0 ? (
          <EmptyState title="Inbox zero">
            <p>{isRep ? "No open leads are assigned to you. New ones appear here the moment they are routed." : "This rep has no open leads."}</p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Priority</th>
                  <th scope="col">Lead</th>
                  <th scope="col">What they want</th>
                  <th scope="col">Route path</th>
                  <th scope="col">Why you</th>
                  <th scope="col">Status</th>
                  <th scope="col">SLA</th>
                </tr>
              </thead>
              <tbody>
                {q.data.leads.map((l) => {
                  // The headline of the assignment reason; the full reasoning is on the lead's timeline.
                  const reason = (l.assignment as { reason?: string } | null)?.reason?.split(" — ")[0];
                  return (
                    <tr key={l.id}>
                      <td><TierBadge tier={l.priority_tier} /></td>
                      <td>
                        <Link className="row-link" href={`/leads/${l.id}`}>{leadDisplayName(l)}</Link>
                        <div className="muted small">{[l.title, l.company, l.country].filter(Boolean).join(" · ")}</div>
                      </td>
                      <td className="small" style={{ maxWidth: 360 }}><Briefing lead={l} /></td>
                      <td><RouteBadge name={l.route_path_name} color={l.route_path_color} /></td>
                      <td className="small" style={{ maxWidth: 280 }}>{reason ?? "—"}</td>
                      <td><StatusBadge status={l.status} /></td>
                      <td><SlaCountdown due={l.sla_due_at} touched={l.first_touch_at} now={now} /></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
