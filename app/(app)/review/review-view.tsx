"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { formatCount, formatMinutes, humanize, leadDisplayName } from "@/lib/format";
import { useTRPC } from "../../_trpc/client";
import type { RouterOutputs } from "../../_trpc/types";
import { formatDateTime } from "../../_components/dates";
import { EmptyState, ErrorState, TableSkeleton } from "../../_components/states";
import { DialogActions, fieldErrors, ModalDialog } from "../../_components/dialog";

type Queue = RouterOutputs["review"]["queue"];
type Item = Queue["items"][number];

export function ReviewView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const reason = params.get("reason") ?? undefined;
  const q = useQuery(trpc.review.queue.queryOptions({ reason }));
  const [message, setMessage] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState<Item | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.review.pathKey() });

  const assign = useMutation(trpc.review.assign.mutationOptions({ onSuccess: () => { setMessage("Assigned."); void invalidate(); } }));
  const junk = useMutation(trpc.review.markJunk.mutationOptions({ onSuccess: () => { setMessage("Marked as junk."); void invalidate(); } }));
  const setReason = (r: string | null) => {
    const next = new URLSearchParams(params);
    if (r) next.set("reason", r);
    else next.delete("reason");
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };
  const now = q.data ? new Date(q.data.now).getTime() : Date.now();

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Review queue</h1>
          <p>Leads that need a human: low classifier confidence, no eligible owner, doubtful junk or a failed step. Each has its own SLA.</p>
        </div>
      </div>
      {q.data ? (
        <div className="row" role="group" aria-label="Filter by reason" style={{ marginBottom: 12 }}>
          <button type="button" className="btn" aria-pressed={!reason} onClick={() => setReason(null)}>All · {formatCount(q.data.byReason.reduce((s, r) => s + r.n, 0))}</button>
          {q.data.byReason.map((r) => (
            <button key={r.reason_code} type="button" className="btn" aria-pressed={reason === r.reason_code} onClick={() => setReason(r.reason_code)}>
              {humanize(r.reason_code)} · {formatCount(r.n)}
            </button>
          ))}
        </div>
      ) : null}
      {message ? <div className="notice" role="status">{message} <button type="button" className="btn btn-ghost" onClick={() => setMessage(null)} aria-label="Dismiss">×</button></div> : null}
      {assign.error || junk.error ? <ErrorState title="That did not work" error={assign.error ?? junk.error} /> : null}
      <div className="card">
        {q.isPending ? <TableSkeleton cols={6} /> : q.isError ? (
          <div className="card-body"><ErrorState title="The review queue could not be loaded" error={q.error} onRetry={() => q.refetch()} /></div>
        ) : q.data.items.length === 0 ? (
          <EmptyState title={reason ? `Nothing waiting for “${humanize(reason)}”` : "Nothing to review"}>
            <p>{reason ? "Clear the filter to see the rest of the queue." : "Every lead found an owner. Leads that need a human appear here with the reason."}</p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Waiting</th>
                  <th scope="col">Lead</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Proposed route</th>
                  <th scope="col">Category</th>
                  <th scope="col">Review SLA</th>
                  <th scope="col"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {q.data.items.map((i) => {
                  const due = i.due_at ? new Date(i.due_at).getTime() : null;
                  const overdue = due !== null && due < now;
                  return (
                    <tr key={i.id}>
                      <td className="muted">{formatDateTime(i.entered_at)}</td>
                      <td>
                        <Link className="row-link" href={`/leads/${i.lead_id}`}>{leadDisplayName(i)}</Link>
                        <div className="muted small">{[i.company, i.country].filter(Boolean).join(" · ")}</div>
                      </td>
                      <td style={{ maxWidth: 320 }}>
                        <span className="badge badge-warn">{humanize(i.reason_code)}</span>
                        <div className="muted small" style={{ marginTop: 4 }}>{i.reason_text}</div>
                      </td>
                      <td className="mono small">{i.proposedRoute ?? i.route_path_key ?? "—"}</td>
                      <td>{i.category ? `${humanize(i.category)}${i.category_confidence != null ? ` (${Math.round(i.category_confidence * 100)}%)` : ""}` : "—"}</td>
                      <td>{due === null ? <span className="muted">—</span> : overdue ? <span className="badge badge-bad">Overdue {formatMinutes((now - due) / 60_000)}</span> : <span className="badge">{formatMinutes((due - now) / 60_000)} left</span>}</td>
                      <td>
                        <RowActions
                          item={i}
                          reps={q.data.reps}
                          busy={assign.isPending || junk.isPending}
                          onAssign={(repId) => assign.mutate({ leadId: i.lead_id, repId })}
                          onJunk={() => junk.mutate({ leadId: i.lead_id })}
                          onCorrect={() => setCorrecting(i)}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {correcting ? (
        <CorrectDialog
          item={correcting}
          taxonomy={q.data?.taxonomy ?? []}
          onClose={() => setCorrecting(null)}
          onDone={(text) => { setCorrecting(null); setMessage(text); void invalidate(); }}
        />
      ) : null}
    </div>
  );
}

function RowActions({ item, reps, busy, onAssign, onJunk, onCorrect }: {
  item: Item;
  reps: Queue["reps"];
  busy: boolean;
  onAssign: (repId: string) => void;
  onJunk: () => void;
  onCorrect: () => void;
}) {
  const [repId, setRepId] = useState("");
  const id = `assign-${item.id}`;
  return (
    <div className="row" style={{ gap: 6, flexWrap: "nowrap" }}>
      <label className="sr-only" htmlFor={id}>Assign {leadDisplayName(item)} to</label>
      <select id={id} value={repId} onChange={(e) => setRepId(e.target.value)} style={{ maxWidth: 150 }}>
        <option value="">Assign to…</option>
        {reps.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
      </select>
      <button type="button" className="btn" disabled={!repId || busy} onClick={() => onAssign(repId)}>Assign</button>
      <button type="button" className="btn" disabled={busy} onClick={onCorrect}>Correct…</button>
      <button type="button" className="btn" disabled={busy} onClick={() => { if (window.confirm(`Mark ${leadDisplayName(item)} as junk? It will never reach a rep.`)) onJunk(); }}>Junk</button>
    </div>
  );
}

function CorrectDialog({ item, taxonomy, onClose, onDone }: { item: Item; taxonomy: ReadonlyArray<{ key: string; label: string }>; onClose: () => void; onDone: (message: string) => void }) {
  const trpc = useTRPC();
  const facts = (item.facts ?? {}) as { category?: string; employees?: number | null; country?: string; is_existing_customer?: boolean };
  const [category, setCategory] = useState(facts.category ?? "");
  const [employees, setEmployees] = useState(facts.employees != null ? String(facts.employees) : "");
  const [country, setCountry] = useState(facts.country ?? "");
  const [customer, setCustomer] = useState(Boolean(facts.is_existing_customer));
  const [note, setNote] = useState("");
  const correct = useMutation(trpc.review.correct.mutationOptions({
    onSuccess: (r) => onDone(r.outcome === "assigned" ? `Re-routed by the table to ${r.route} and assigned.` : r.outcome === "still_in_review" ? "The table still needs a human for this lead; it stays in the queue." : `Re-routed to ${r.route}.`),
  }));
  const errors = fieldErrors(correct.error);
  const err = (k: string) => errors[`correction.${k}`]?.[0];
  return (
    <ModalDialog labelledBy="correct-title" onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          correct.mutate({
            leadId: item.lead_id,
            correction: {
              category: category || undefined,
              employees: employees.trim() === "" ? null : Number(employees),
              country: country.trim() ? country.trim().toUpperCase() : undefined,
              is_existing_customer: customer,
              note: note.trim() || undefined,
            },
          });
        }}
      >
        <div className="card-head"><h2 id="correct-title">Correct facts and re-route</h2></div>
        <div className="card-body stack">
          <p className="muted small" style={{ margin: 0 }}>{leadDisplayName(item)} · {item.reason_text}</p>
          {item.message ? <blockquote className="small" style={{ margin: 0, padding: "8px 10px", background: "var(--surface-2)", borderRadius: 6 }}>{item.message.slice(0, 400)}</blockquote> : null}
          <div className="field">
            <label htmlFor="c-category">Category</label>
            <select id="c-category" value={category} onChange={(e) => setCategory(e.target.value)} aria-invalid={err("category") ? true : undefined}>
              <option value="">(keep)</option>
              {taxonomy.map((c) => <option key={c.key} value={c.key}>{c.label}</option>)}
            </select>
            {err("category") ? <span className="field-error">{err("category")}</span> : null}
          </div>
          <div className="row">
            <div className="field">
              <label htmlFor="c-employees">Employees</label>
              <input id="c-employees" type="text" inputMode="numeric" value={employees} onChange={(e) => setEmployees(e.target.value)} aria-invalid={err("employees") ? true : undefined} style={{ width: 140 }} />
              {err("employees") ? <span className="field-error">{err("employees")}</span> : null}
            </div>
            <div className="field">
              <label htmlFor="c-country">Country (ISO)</label>
              <input id="c-country" type="text" maxLength={2} value={country} onChange={(e) => setCountry(e.target.value)} aria-invalid={err("country") ? true : undefined} style={{ width: 90 }} />
              {err("country") ? <span className="field-error">{err("country")}</span> : null}
            </div>
            <label className="row" style={{ gap: 6, marginTop: 22 }}>
              <input type="checkbox" checked={customer} onChange={(e) => setCustomer(e.target.checked)} /> Existing customer
            </label>
          </div>
          <div className="field">
            <label htmlFor="c-note">Note (optional)</label>
            <input id="c-note" type="text" value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
          </div>
          {correct.error && Object.keys(errors).length === 0 ? <ErrorState title="Could not re-route" error={correct.error} /> : null}
        </div>
        <DialogActions onCancel={onClose}>
          <button type="submit" className="btn btn-primary" disabled={correct.isPending}>{correct.isPending ? "Re-routing…" : "Save and re-route"}</button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}
