"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { REJECT_REASONS, isWrongOwnerReason } from "@/lib/metrics/definitions";
import { classifierLabel, formatMinutes, formatPercent, humanize, leadDisplayName } from "@/lib/format";
import { useTRPC } from "../../_trpc/client";
import { RouteBadge, StatusBadge, TierBadge } from "../../_components/lead-badges";
import { formatDateTime } from "../../_components/dates";
import type { RouterOutputs } from "../../_trpc/types";
import { EmptyState, ErrorState, TableSkeleton } from "../../_components/states";
import { DialogActions, fieldErrors, ModalDialog } from "../../_components/dialog";

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
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [rejecting, setRejecting] = useState<Lead | null>(null);
  const [opportunity, setOpportunity] = useState<Lead | null>(null);
  const act = useMutation(trpc.inbox.act.mutationOptions({
    onSuccess: (r, v) => {
      const lead = q.data?.leads.find((l) => l.id === v.leadId);
      const who = lead ? leadDisplayName(lead) : "The lead";
      const moved = r.reroutedTo ? ("name" in r.reroutedTo ? ` and re-routed it to ${r.reroutedTo.name}` : ` and sent it to the ${r.reroutedTo.queue} queue`) : "";
      setMessage({ kind: "ok", text: `${ACTION_DONE[v.type] ?? "Recorded"}: ${who}${moved}.` });
      void queryClient.invalidateQueries({ queryKey: trpc.inbox.list.queryKey() });
    },
    onError: (e) => setMessage({ kind: "error", text: e.message }),
  }));
  const run = (lead: Lead, type: Action, extra: { reasonCode?: string; comment?: string; amount?: number } = {}) =>
    act.mutate({ leadId: lead.id, actionId: newActionId(), type, ...extra });
  const onRowKey = (lead: Lead) => (e: React.KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement) return;
    if (e.metaKey || e.ctrlKey || e.altKey || act.isPending) return;
    const open = lead.status === "assigned";
    const key = e.key.toLowerCase();
    if (key === "a" && open) run(lead, "accepted");
    else if (key === "r" && open) { act.reset(); setRejecting(lead); }
    else if (key === "t" && !open && !lead.first_touch_at) run(lead, "first_touch");
    else if (key === "m" && !open) run(lead, "meeting_booked");
    else if (key === "o" && !open) { act.reset(); setOpportunity(lead); }
    else return;
    e.preventDefault();
  };

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
      {message ? (
        <div className={`notice${message.kind === "error" ? " notice-bad" : ""}`} role={message.kind === "error" ? "alert" : "status"}>
          {message.text} <button type="button" className="btn btn-ghost" onClick={() => setMessage(null)} aria-label="Dismiss">×</button>
        </div>
      ) : null}
      <p className="muted small" style={{ margin: "0 0 8px" }}>Keyboard: focus a row (Tab), then <kbd>A</kbd> accept · <kbd>R</kbd> reject · <kbd>T</kbd> first touch · <kbd>M</kbd> meeting booked · <kbd>O</kbd> opportunity.</p>
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
                  <th scope="col"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {q.data.leads.map((l) => {
                  // The headline of the assignment reason; the full reasoning is on the lead's timeline.
                  const reason = (l.assignment as { reason?: string } | null)?.reason?.split(" — ")[0];
                  return (
                    <tr key={l.id} tabIndex={0} onKeyDown={onRowKey(l)} aria-label={`${leadDisplayName(l)}, ${l.status}`}>
                      <td><TierBadge tier={l.priority_tier} /></td>
                      <td>
                        <Link className="row-link" href={`/leads/${l.id}`}>{leadDisplayName(l)}</Link>
                        <div className="muted small">{[l.title, l.company, l.country].filter(Boolean).join(" · ")}</div>
                      </td>
                      <td className="small" style={{ minWidth: 240, maxWidth: 360 }}><Briefing lead={l} /></td>
                      <td><RouteBadge name={l.route_path_name} color={l.route_path_color} /></td>
                      <td className="small" style={{ minWidth: 200, maxWidth: 260 }}><div className="clamp-3" title={reason ?? undefined}>{reason ?? "—"}</div></td>
                      <td><StatusBadge status={l.status} /></td>
                      <td><SlaCountdown due={l.sla_due_at} touched={l.first_touch_at} now={now} /></td>
                      <td>
                        <div className="row inbox-actions">
                          {l.status === "assigned" ? (
                            <>
                              <button type="button" className="btn btn-sm btn-primary" disabled={act.isPending} onClick={() => run(l, "accepted")}>Accept</button>
                              <button type="button" className="btn btn-sm" disabled={act.isPending} onClick={() => { act.reset(); setRejecting(l); }}>Reject…</button>
                            </>
                          ) : (
                            <>
                              {!l.first_touch_at ? <button type="button" className="btn btn-sm" disabled={act.isPending} onClick={() => run(l, "first_touch")}>Touched</button> : null}
                              <button type="button" className="btn btn-sm" disabled={act.isPending} onClick={() => run(l, "meeting_booked")}>Meeting</button>
                              <button type="button" className="btn btn-sm" disabled={act.isPending} onClick={() => { act.reset(); setOpportunity(l); }}>Opportunity…</button>
                              <button type="button" className="btn btn-sm" disabled={act.isPending} onClick={() => run(l, "closed_won")}>Won</button>
                              <button type="button" className="btn btn-sm" disabled={act.isPending} onClick={() => run(l, "closed_lost")}>Lost</button>
                            </>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {rejecting ? (
        <RejectDialog
          lead={rejecting}
          busy={act.isPending}
          error={act.error}
          onClose={() => setRejecting(null)}
          onReject={(reasonCode, comment) => act.mutate({ leadId: rejecting.id, actionId: newActionId(), type: "rejected", reasonCode, comment }, { onSuccess: () => setRejecting(null) })}
        />
      ) : null}
      {opportunity ? (
        <OpportunityDialog
          lead={opportunity}
          busy={act.isPending}
          error={act.error}
          onClose={() => setOpportunity(null)}
          onSave={(amount) => act.mutate({ leadId: opportunity.id, actionId: newActionId(), type: "opportunity_created", amount }, { onSuccess: () => setOpportunity(null) })}
        />
      ) : null}
    </div>
  );
}

type Lead = RouterOutputs["inbox"]["list"]["leads"][number];

/** One id per click (the event's id: a double submit records it once). crypto.randomUUID needs a secure context. */
function newActionId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}
type Action = "accepted" | "rejected" | "first_touch" | "meeting_booked" | "opportunity_created" | "closed_won" | "closed_lost";

const ACTION_DONE: Record<string, string> = {
  accepted: "Accepted", rejected: "Rejected", first_touch: "First touch logged", meeting_booked: "Meeting booked",
  opportunity_created: "Opportunity created", closed_won: "Closed won", closed_lost: "Closed lost",
};

function RejectDialog({ lead, busy, error, onClose, onReject }: { lead: Lead; busy: boolean; error: unknown; onClose: () => void; onReject: (reasonCode: string, comment: string | undefined) => void }) {
  const [reason, setReason] = useState("");
  const [comment, setComment] = useState("");
  const errors = fieldErrors(error);
  return (
    <ModalDialog label="Reject lead" onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); onReject(reason, comment.trim() || undefined); }}>
        <div className="card-head"><h2>Reject {leadDisplayName(lead)}</h2></div>
        <div className="card-body stack">
          <div className="field">
            <label htmlFor="reject-reason">Reason</label>
            <select id="reject-reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={errors.reasonCode ? true : undefined} autoFocus>
              <option value="">Choose a reason…</option>
              {REJECT_REASONS.map((r) => <option key={r} value={r}>{humanize(r)}{isWrongOwnerReason(r) ? " (re-routes it)" : ""}</option>)}
            </select>
            {errors.reasonCode ? <span className="field-error">{errors.reasonCode[0]}</span> : null}
          </div>
          <div className="field">
            <label htmlFor="reject-comment">Comment{reason === "other" ? " (required)" : " (optional)"}</label>
            <input id="reject-comment" value={comment} onChange={(e) => setComment(e.target.value)} aria-invalid={errors.comment ? true : undefined} />
            {errors.comment ? <span className="field-error">{errors.comment[0]}</span> : null}
          </div>
          <p className="muted small" style={{ margin: 0 }}>Wrong territory, product, segment or owner sends the lead to the next eligible owner (or the review queue) and counts as a wrong assignment.</p>
          {error && !Object.keys(errors).length ? <p role="alert" className="field-error" style={{ margin: 0 }}>{(error as Error).message}</p> : null}
        </div>
        <DialogActions onCancel={onClose}>
          <button type="submit" className="btn btn-primary" disabled={busy}>Reject</button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}

function OpportunityDialog({ lead, busy, error, onClose, onSave }: { lead: Lead; busy: boolean; error: unknown; onClose: () => void; onSave: (amount: number) => void }) {
  const [amount, setAmount] = useState("");
  const errors = fieldErrors(error);
  return (
    <ModalDialog label="Create opportunity" onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); onSave(Number(amount.replace(/[,\s]/g, ""))); }}>
        <div className="card-head"><h2>Opportunity for {leadDisplayName(lead)}</h2></div>
        <div className="card-body stack">
          <div className="field">
            <label htmlFor="opp-amount">Amount</label>
            <input id="opp-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={errors.amount ? true : undefined} autoFocus />
            {errors.amount ? <span className="field-error">{errors.amount[0]}</span> : null}
          </div>
          {error && !Object.keys(errors).length ? <p role="alert" className="field-error" style={{ margin: 0 }}>{(error as Error).message}</p> : null}
        </div>
        <DialogActions onCancel={onClose}>
          <button type="submit" className="btn btn-primary" disabled={busy}>Create</button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}
