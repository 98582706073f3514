"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatCount, humanize, leadDisplayName } from "@/lib/format";
import { useTRPC } from "../../_trpc/client";
import { formatDateTime } from "../../_components/dates";
import { EmptyState, ErrorState, TableSkeleton } from "../../_components/states";

export function ReviewView() {
  const trpc = useTRPC();
  const q = useQuery(trpc.review.queue.queryOptions());
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Review queue</h1>
          <p>Leads that need a human: low classifier confidence, no eligible owner, failed enrichment or doubtful junk.</p>
        </div>
        {q.data ? (
          <div className="row">
            {q.data.byReason.map((r) => <span key={r.reason_code} className="badge badge-warn">{humanize(r.reason_code)} · {formatCount(r.n)}</span>)}
          </div>
        ) : null}
      </div>
      <div className="card">
        {q.isPending ? <TableSkeleton cols={6} /> : q.isError ? (
          <div className="card-body"><ErrorState title="The review queue could not be loaded" error={q.error} onRetry={() => q.refetch()} /></div>
        ) : q.data.items.length === 0 ? (
          <EmptyState title="Nothing to review">
            <p>Every lead found an owner. Leads that need a human will appear here with the reason.</p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Entered</th>
                  <th scope="col">Lead</th>
                  <th scope="col">Company</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Category</th>
                  <th scope="col">Due</th>
                </tr>
              </thead>
              <tbody>
                {q.data.items.map((i) => (
                  <tr key={i.id}>
                    <td className="muted">{formatDateTime(i.entered_at)}</td>
                    <td>
                      <Link className="row-link" href={`/leads/${i.lead_id}`}>{leadDisplayName(i)}</Link>
                      <div className="muted small">{i.email}</div>
                    </td>
                    <td>{i.company ?? "—"}</td>
                    <td><span className="badge badge-warn">{humanize(i.reason_code)}</span><div className="muted small" style={{ marginTop: 4 }}>{i.reason_text}</div></td>
                    <td>{i.category ? `${humanize(i.category)}${i.category_confidence != null ? ` (${Math.round(i.category_confidence * 100)}%)` : ""}` : "—"}</td>
                    <td className="muted">{formatDateTime(i.due_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
