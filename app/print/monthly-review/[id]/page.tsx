/**
 * The monthly review, print-friendly: the packet and the record of the review (summary, checklist, action items,
 * comments, sign-offs) on one page without the app's chrome. "Print / Save as PDF" uses the browser's own print.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { NotFoundError } from "@/server/errors";
import { requirePage } from "@/server/auth/guard";
import { getDb } from "@/server/db";
import { getReview } from "@/server/services/review/reviews.service";
import { Packet } from "../../../(app)/monthly-review/packet";
import { periodLabel, reviewTitle } from "../../../(app)/monthly-review/period";
import styles from "../../../(app)/monthly-review/review.module.css";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Monthly routing review (print)" };
export const dynamic = "force-dynamic";

const at = (d: Date | string | null) => (d ? new Date(d).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" }) : "—");
const STATUS = { draft: "Draft", in_review: "In review", signed_off: "Signed off" } as const;

export default async function PrintReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePage("monthly_review", `/print/monthly-review/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const db = await getDb();
  const r = await getReview(db, user.workspaceId, id, new Date()).catch((e: unknown) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  return (
    <main className={styles.printPage}>
      <div className={styles.printBar}>
        <a className="btn" href={`/monthly-review/${r.id}`}>Back to the review</a>
        <PrintButton />
      </div>
      <header style={{ marginBottom: 16 }}>
        <div className="small muted">{user.workspaceName} · Switchyard</div>
        <h1 style={{ margin: "4px 0" }}>Routing review — {reviewTitle(r.period_start, r.period_end)}</h1>
        <p className="muted" style={{ margin: 0 }}>
          {periodLabel(r.period_start, r.period_end)} ({r.timeZone}) · {STATUS[r.status]}
          {r.status === "signed_off" ? ` ${at(r.signed_off_at)}` : ""} · figures computed {at(r.packet.computedAt)}
        </p>
      </header>
      <div className="stack">
        <section className="card" aria-labelledby="p-summary">
          <div className="card-head"><div><h2 id="p-summary">Summary</h2><p>{r.narrative_source?.startsWith("llm:") ? `Written by ${r.narrative_source.slice(4)}; its figures checked against the packet.` : "Written from a template."}</p></div></div>
          <div className="card-body"><p className={styles.narrative}>{r.narrative}</p></div>
        </section>
        <Packet packet={r.packet} currency={r.currency} print />
        <div className={styles.pair}>
          <section className="card" aria-labelledby="p-check">
            <div className="card-head"><div><h2 id="p-check">Checklist</h2><p>{r.checklist.filter((c) => c.done).length} of {r.checklist.length} done.</p></div></div>
            <ul className={styles.checklist}>
              {r.checklist.map((c) => <li key={c.key}>{c.done ? "☑" : "☐"} {c.label}{c.done && c.doneByName ? <span className="small muted"> — {c.doneByName}</span> : null}{c.note ? <div className={`${styles.checkMeta} small`}>{c.note}</div> : null}</li>)}
            </ul>
          </section>
          <section className="card" aria-labelledby="p-sign">
            <div className="card-head"><div><h2 id="p-sign">Sign-off</h2></div></div>
            <div className="card-body">
              <ul className={styles.signers}>
                <li><span>Revenue ops</span><span>{r.signedFor.ops ?? "not signed"}</span></li>
                <li><span>Sales</span><span>{r.signedFor.sales ?? "not signed"}</span></li>
              </ul>
              {r.signoffs.length ? <p className="small muted">{r.signoffs.map((s) => `${s.name} (${s.role}) ${at(s.signed_at)}`).join(" · ")}</p> : null}
            </div>
          </section>
        </div>
        <section className="card" aria-labelledby="p-items">
          <div className="card-head"><div><h2 id="p-items">Action items</h2></div></div>
          {r.items.length === 0 ? <p className="card-body muted" style={{ margin: 0 }}>None.</p> : (
            <div className="table-wrap">
              <table className="data">
                <thead><tr><th scope="col">Item</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Table version</th><th scope="col">Simulation</th></tr></thead>
                <tbody>{r.items.map((i) => (
                  <tr key={i.id}>
                    <td>{i.title}</td><td>{i.owner ?? "—"}</td><td>{i.due_date ?? "—"}</td><td>{i.overdue ? "open, overdue" : i.status}</td>
                    <td>{i.draft_version_id ? `${i.table_name} v${i.draft_version} (${i.draft_status})` : "—"}</td>
                    <td>{i.simulation_id ? (i.simulation_changed != null ? `${i.simulation_changed} of ${i.simulation_leads} leads change route` : i.simulation_status) : "—"}</td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
          )}
        </section>
        <section className="card" aria-labelledby="p-comments">
          <div className="card-head"><div><h2 id="p-comments">Comments</h2></div></div>
          {r.comments.length === 0 ? <p className="card-body muted" style={{ margin: 0 }}>None.</p> : r.comments.map((c) => (
            <div key={c.id} className={styles.comment}><span className="small"><strong>{c.author}</strong> <span className="muted">{at(c.created_at)}</span></span><p>{c.body}</p></div>
          ))}
        </section>
      </div>
    </main>
  );
}
