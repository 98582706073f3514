"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatCount } from "@/lib/format";
import { CADENCE_LABELS, REVIEW_CADENCES, type ReviewCadence } from "@/lib/review/period";
import { useTRPC } from "../../_trpc/client";
import { formatDateTime } from "../../_components/dates";
import { fieldErrors } from "../../_components/dialog";
import { EmptyState, ErrorState, TableSkeleton } from "../../_components/states";
import { StatusBadge } from "./[id]/review-view";
// The service takes a period's end as the day after its last.
import { addDays, periodLabel, reviewTitle } from "./period";

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** Last calendar month, first and last day (the browser's calendar; the server reads them in the workspace's zone). */
function lastMonth(): { first: string; last: string } {
  const now = new Date();
  const first = new Date(Date.UTC(now.getFullYear(), now.getMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getFullYear(), now.getMonth(), 0));
  return { first: iso(first), last: iso(last) };
}

export function ReviewsListView({ canCreate }: { canCreate: boolean }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.monthlyReview.list.queryOptions());
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Monthly review</h1>
          <p>Once a month ops and sales leadership go through what routing did — route paths against targets, rejections, SLA breaches, anomalies — agree changes and sign off.</p>
        </div>
      </div>
      <div className="grid-2" style={{ marginBottom: 16, alignItems: "start" }}>
        <Cadence canEdit={canCreate} />
        {canCreate ? <StartReview /> : null}
      </div>
      <section className="card" aria-labelledby="history-h" data-testid="review-history">
        <div className="card-head"><div><h2 id="history-h">Reviews</h2><p>Newest period first. A review not signed off 14 days after its period is overdue.</p></div></div>
        {q.isPending ? <TableSkeleton cols={7} rows={4} /> : q.isError ? <div className="card-body"><ErrorState title="Reviews could not be loaded" error={q.error} onRetry={() => q.refetch()} /></div> : q.data.length === 0 ? (
          <EmptyState title="No reviews yet"><p>The first is created when this month ends{canCreate ? "; or start one for any period above" : ""}.</p></EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead><tr><th scope="col">Period</th><th scope="col">Status</th><th scope="col" className="num">Leads</th><th scope="col" className="num">Anomalies</th><th scope="col" className="num">Checklist</th><th scope="col" className="num">Action items</th><th scope="col">Signed by</th><th scope="col">Due / signed</th></tr></thead>
              <tbody>
                {q.data.map((r) => (
                  <tr key={r.id} data-testid="review-row">
                    <td><Link href={`/monthly-review/${r.id}`}><strong>{reviewTitle(r.period_start, r.period_end)}</strong></Link><div className="small muted">{periodLabel(r.period_start, r.period_end)}</div></td>
                    <td><StatusBadge status={r.status} overdue={r.overdue} /></td>
                    <td className="num">{formatCount(r.leads)}</td>
                    <td className="num">{r.anomalies ? <span className="badge badge-warn">{r.anomalies}</span> : <span className="muted">0</span>}</td>
                    <td className="num">{r.checked} / {r.checklist_size}</td>
                    <td className="num">{r.items ? `${r.open_items} open of ${r.items}` : <span className="muted">none</span>}</td>
                    <td>{r.signers.length ? r.signers.join(", ") : <span className="muted">—</span>}</td>
                    <td className="small">{r.status === "signed_off" ? `Signed ${formatDateTime(r.signed_off_at)}` : `Due ${formatDateTime(r.overdueAt)}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function StartReview() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const initial = lastMonth();
  const [first, setFirst] = useState(initial.first);
  const [last, setLast] = useState(initial.last);
  const create = useMutation(trpc.monthlyReview.create.mutationOptions({
    onSuccess: (r) => { void queryClient.invalidateQueries({ queryKey: trpc.monthlyReview.list.queryKey() }); router.push(`/monthly-review/${r.id}`); },
  }));
  const errors = fieldErrors(create.error);
  return (
    <section className="card" aria-labelledby="start-h">
      <div className="card-head"><div><h2 id="start-h">Start a review</h2><p>For a period the automatic monthly review does not cover (a quarter, a launch week). At most 100 days.</p></div></div>
      <form className="card-body row" style={{ alignItems: "flex-start" }} onSubmit={(e) => { e.preventDefault(); create.mutate({ periodStart: first, periodEnd: last ? addDays(last, 1) : "" }); }}>
        <label className="field"><span>First day</span>
          <input type="date" value={first} onChange={(e) => setFirst(e.target.value)} aria-invalid={errors.periodStart ? true : undefined} />
          {errors.periodStart ? <span className="field-error">{errors.periodStart.join("; ")}</span> : null}</label>
        <label className="field"><span>Last day</span>
          <input type="date" value={last} onChange={(e) => setLast(e.target.value)} aria-invalid={errors.periodEnd ? true : undefined} />
          {errors.periodEnd ? <span className="field-error">{errors.periodEnd.join("; ").replace("Pick the day after the last.", "Pick the last day.")}</span> : null}</label>
        <div className="field"><span aria-hidden>&nbsp;</span><button type="submit" className="btn btn-primary" disabled={create.isPending}>{create.isPending ? "Computing the packet…" : "Start review"}</button></div>
      </form>
      {create.error && !Object.keys(errors).length ? <div className="card-body" style={{ paddingTop: 0 }}><ErrorState title="Could not start the review" error={create.error} /></div> : null}
    </section>
  );
}

function Cadence({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.monthlyReview.settings.queryOptions());
  const [cadence, setCadence] = useState<ReviewCadence | null>(null);
  const save = useMutation(trpc.monthlyReview.saveSettings.mutationOptions({
    onSuccess: async () => { await queryClient.invalidateQueries({ queryKey: trpc.monthlyReview.settings.queryKey() }); setCadence(null); },
  }));
  const errors = fieldErrors(save.error);
  const current = cadence ?? q.data?.cadence ?? "monthly";
  return (
    <section className="card" aria-labelledby="cadence-h" data-testid="review-cadence">
      <div className="card-head"><div><h2 id="cadence-h">Cadence</h2><p>A review is created when each period ends, with its packet; ops are told, and told again if it is not signed off within 14 days.</p></div></div>
      <div className="card-body stack" style={{ gap: 10 }}>
        {q.isError ? <ErrorState title="The cadence could not be loaded" error={q.error} onRetry={() => q.refetch()} /> : null}
        {canEdit ? (
          <form className="row" style={{ alignItems: "flex-end" }} onSubmit={(e) => { e.preventDefault(); save.mutate({ cadence: current }); }}>
            <label className="field"><span>New review</span>
              <select value={current} onChange={(e) => setCadence(e.target.value as ReviewCadence)} aria-invalid={errors.cadence ? true : undefined}>
                {REVIEW_CADENCES.map((c) => <option key={c} value={c}>{CADENCE_LABELS[c]}</option>)}
              </select></label>
            <button type="submit" className="btn" disabled={save.isPending || !q.data || current === q.data.cadence}>Save</button>
            {errors.cadence ? <span className="field-error">{errors.cadence.join("; ")}</span> : null}
          </form>
        ) : <p style={{ margin: 0 }}><strong>{CADENCE_LABELS[current]}</strong></p>}
        {q.data ? <p className="small muted" style={{ margin: 0 }} data-testid="next-review">Next: {reviewTitle(q.data.next.start, q.data.next.end)}, created {formatDateTime(q.data.next.createdAt)}.</p> : null}
      </div>
    </section>
  );
}
