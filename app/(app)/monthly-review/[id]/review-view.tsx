"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { Role } from "@/lib/auth/permissions";
import { formatCount } from "@/lib/format";
import { useTRPC } from "../../../_trpc/client";
import type { RouterOutputs } from "../../../_trpc/types";
import { formatDateTime } from "../../../_components/dates";
import { fieldErrors } from "../../../_components/dialog";
import { ErrorState, TableSkeleton } from "../../../_components/states";
import { Packet } from "../packet";
import { dayLabel, periodLabel, reviewTitle } from "../period";
import styles from "../review.module.css";

type Review = RouterOutputs["monthlyReview"]["get"];
const WORKERS: readonly Role[] = ["admin", "ops", "sales"];
const STATUS: Record<Review["status"], { label: string; cls: string }> = {
  draft: { label: "Draft", cls: "badge" },
  in_review: { label: "In review", cls: "badge badge-brand" },
  signed_off: { label: "Signed off", cls: "badge badge-good" },
};

export function StatusBadge({ status, overdue }: { status: Review["status"]; overdue: boolean }) {
  return (
    <span className="row" style={{ gap: 6, display: "inline-flex" }}>
      <span className={STATUS[status].cls} data-testid="review-status">{STATUS[status].label}</span>
      {overdue ? <span className="badge badge-bad">Overdue</span> : null}
    </span>
  );
}

export function ReviewView({ id, role, userId }: { id: string; role: Role; userId: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.monthlyReview.get.queryOptions({ id }));
  if (q.isPending) return <div className="page"><div className="card"><TableSkeleton /></div></div>;
  if (q.isError) return <div className="page"><ErrorState title="The review could not be loaded" error={q.error} onRetry={() => q.refetch()} /></div>;
  const r = q.data;
  const readOnly = r.status === "signed_off" || !WORKERS.includes(role);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <div className="breadcrumb"><Link href="/monthly-review">Monthly review</Link> ›</div>
          <h1>Routing review — {reviewTitle(r.period_start, r.period_end)} <StatusBadge status={r.status} overdue={r.overdue} /></h1>
          <p>
            {periodLabel(r.period_start, r.period_end)} ({r.timeZone}), against the {Math.round((new Date(r.packet.period.to).getTime() - new Date(r.packet.period.from).getTime()) / 86_400_000)} days before.
            Figures computed {formatDateTime(r.packet.computedAt)} and kept with the review.
            {r.status === "signed_off" ? ` Signed off ${formatDateTime(r.signed_off_at)}; read-only.` : ` Due by ${formatDateTime(r.overdueAt)}.`}
          </p>
        </div>
        <div className="row">
          <a className={`btn ${styles.jump}`} href="#workflow">Checklist &amp; sign-off ↓</a>
          <Link className="btn" href={`/print/monthly-review/${r.id}`} target="_blank">Print / PDF</Link>
        </div>
      </div>
      <div className={styles.layout}>
        <div className="stack">
          <Narrative review={r} isOps={role === "ops" || role === "admin"} readOnly={readOnly} />
          <Packet packet={r.packet} currency={r.currency} />
        </div>
        <aside className={styles.aside} aria-label="Review workflow" id="workflow">
          <SignOff review={r} role={role} userId={userId} readOnly={readOnly} />
          <Checklist review={r} readOnly={readOnly} />
          <ActionItems review={r} readOnly={readOnly} />
          <Comments review={r} readOnly={readOnly} />
        </aside>
      </div>
    </div>
  );
}

function useInvalidate(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => Promise.all([
    queryClient.invalidateQueries({ queryKey: trpc.monthlyReview.get.queryKey({ id }) }),
    queryClient.invalidateQueries({ queryKey: trpc.monthlyReview.list.queryKey() }),
  ]);
}

function Narrative({ review: r, isOps, readOnly }: { review: Review; isOps: boolean; readOnly: boolean }) {
  const canAsk = isOps && !readOnly && r.llmConfigured;
  const trpc = useTRPC();
  const invalidate = useInvalidate(r.id);
  const [result, setResult] = useState<string | null>(null);
  const ask = useMutation(trpc.monthlyReview.writeNarrative.mutationOptions({
    onSuccess: (res) => { setResult(res.status === "written" ? "The summary was rewritten by the model." : res.reason); void invalidate(); },
  }));
  const llm = r.narrative_source?.startsWith("llm:");
  return (
    <section className="card" aria-labelledby="summary-h" data-testid="review-narrative">
      <div className="card-head">
        <div><h2 id="summary-h">Summary</h2><p>{llm ? `Written by ${r.narrative_source!.slice(4)} from the figures below; every figure it quotes was checked against them.` : "Written from a template from the figures below."}</p></div>
        {canAsk ? <button type="button" className="btn" disabled={ask.isPending} onClick={() => { setResult(null); ask.mutate({ id: r.id }); }}>{ask.isPending ? "Asking the model…" : llm ? "Ask the AI again" : "Write with AI"}</button> : null}
      </div>
      <div className="card-body">
        <p className={styles.narrative} data-testid="narrative-text">{r.narrative ?? "—"}</p>
        <div className={`${styles.source} small muted`}>
          <span className={llm ? "badge badge-brand" : "badge"} data-testid="narrative-source">{llm ? "AI summary" : "Template summary"}</span>
          {r.narrative_at ? <span>{formatDateTime(r.narrative_at)}</span> : null}
        </div>
        {r.narrative_error ? <div className="notice notice-bad small" role="status" style={{ marginTop: 10, marginBottom: 0 }} data-testid="narrative-error">{r.narrative_error}</div> : null}
        {isOps && !readOnly && !llm && !r.llmConfigured ? <p className="small muted" style={{ marginBottom: 0 }}>With an LLM configured (Settings → Classification), the model writes this summary from the same figures.</p> : null}
        {result ? <p className="small" role="status" style={{ marginBottom: 0 }}>{result}</p> : null}
        {ask.error ? <ErrorState title="Could not ask the model" error={ask.error} /> : null}
      </div>
    </section>
  );
}

function SignOff({ review: r, role, userId, readOnly }: { review: Review; role: Role; userId: string; readOnly: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate(r.id);
  const sign = useMutation(trpc.monthlyReview.sign.mutationOptions({ onSuccess: () => void invalidate() }));
  const side = role === "sales" ? "sales" : "ops";
  const mine = r.signoffs.some((s) => s.user_id === userId);
  return (
    <section className="card" aria-labelledby="signoff-h" data-testid="review-signoff">
      <div className="card-head"><div><h2 id="signoff-h">Sign-off</h2><p>{r.status === "signed_off" ? "Signed off by ops and sales: this review is read-only." : "An ops and a sales signature (an admin may sign for either) close the review."}</p></div></div>
      <div className="card-body stack" style={{ gap: 12 }}>
        <ul className={styles.signers}>
          <li><span>Revenue ops</span>{r.signedFor.ops ? <span className="badge badge-good">✓ {r.signedFor.ops}</span> : <span className="badge">waiting</span>}</li>
          <li><span>Sales</span>{r.signedFor.sales ? <span className="badge badge-good">✓ {r.signedFor.sales}</span> : <span className="badge">waiting</span>}</li>
        </ul>
        {r.signoffs.length ? <p className="small muted" style={{ margin: 0 }}>{r.signoffs.map((s) => `${s.name} (${s.role}) ${formatDateTime(s.signed_at)}`).join(" · ")}</p> : null}
        {!readOnly ? (
          <button type="button" className="btn btn-primary" disabled={sign.isPending || mine || (role !== "admin" && r.signedFor[side] !== null)} onClick={() => sign.mutate({ id: r.id })}>
            {mine ? "You signed" : role === "admin" ? "Sign off" : r.signedFor[side] ? `Signed for ${side}` : `Sign off for ${side}`}
          </button>
        ) : null}
        {sign.error ? <ErrorState title="Could not sign" error={sign.error} /> : null}
      </div>
    </section>
  );
}

function Checklist({ review: r, readOnly }: { review: Review; readOnly: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate(r.id);
  // A tick shows at once; the server's answer (or its refusal) replaces it.
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const settle = (key: string) => setTicked(({ [key]: _, ...rest }) => rest);
  const check = useMutation(trpc.monthlyReview.check.mutationOptions({
    onSuccess: async (_d, v) => { await invalidate(); settle(v.key); },
    onError: (_e, v) => settle(v.key),
  }));
  const [notes, setNotes] = useState<Record<string, string>>({});
  const isDone = (c: Review["checklist"][number]) => ticked[c.key] ?? c.done;
  const done = r.checklist.filter(isDone).length;
  return (
    <section className="card" aria-labelledby="checklist-h" data-testid="review-checklist">
      <div className="card-head"><div><h2 id="checklist-h">Checklist</h2><p>{done} of {r.checklist.length} done.</p></div></div>
      <ul className={styles.checklist}>
        {r.checklist.map((c) => {
          const note = notes[c.key] ?? c.note ?? "";
          return (
            <li key={c.key}>
              <label className={styles.check}>
                <input type="checkbox" checked={isDone(c)} disabled={readOnly || c.key in ticked} onChange={(e) => { setTicked({ ...ticked, [c.key]: e.target.checked }); check.mutate({ reviewId: r.id, key: c.key, done: e.target.checked }); }} />
                <span>{c.label}</span>
              </label>
              {c.done && c.doneAt ? <div className={`${styles.checkMeta} small muted`}>Done{c.doneByName ? ` by ${c.doneByName}` : ""} {formatDateTime(c.doneAt)}</div> : null}
              {readOnly || !(isDone(c) || c.note) ? (c.note ? <div className={`${styles.checkMeta} small`}>{c.note}</div> : null) : (
                <form className={styles.note} onSubmit={(e) => { e.preventDefault(); check.mutate({ reviewId: r.id, key: c.key, done: c.done, note: note.trim() || null }); }}>
                  <input type="text" aria-label={`Note on “${c.label}”`} placeholder="Note (what you found)" value={note} maxLength={2000} onChange={(e) => setNotes({ ...notes, [c.key]: e.target.value })} />
                  {note !== (c.note ?? "") ? <button type="submit" className="btn btn-sm">Save</button> : null}
                </form>
              )}
            </li>
          );
        })}
      </ul>
      {check.error ? <div className="card-body"><ErrorState title="Could not update the checklist" error={check.error} /></div> : null}
    </section>
  );
}

function ActionItems({ review: r, readOnly }: { review: Review; readOnly: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate(r.id);
  const setStatus = useMutation(trpc.monthlyReview.setActionItemStatus.mutationOptions({ onSuccess: () => void invalidate() }));
  return (
    <section className="card" aria-labelledby="items-h" data-testid="review-items">
      <div className="card-head"><div><h2 id="items-h">Action items</h2><p>Agreed changes with an owner and a due date; link a draft table version and the simulation that backs it.</p></div></div>
      {r.items.length === 0 ? <p className="card-body muted small" style={{ margin: 0 }}>None yet.</p> : (
        <ul className={styles.items}>
          {r.items.map((i) => (
            <li key={i.id} data-testid="action-item">
              <div className={styles.itemHead}>
                <span className={styles.itemTitle} data-status={i.status}>{i.title}</span>
                {readOnly ? <span className="badge">{i.status}</span> : (
                  <select aria-label={`Status of “${i.title}”`} value={i.status} disabled={setStatus.isPending} onChange={(e) => setStatus.mutate({ reviewId: r.id, itemId: i.id, status: e.target.value as "open" | "done" | "dropped" })}>
                    <option value="open">Open</option><option value="done">Done</option><option value="dropped">Dropped</option>
                  </select>
                )}
              </div>
              <span className="small muted">{i.owner ?? "No owner"} · {i.due_date ? `due ${dayLabel(i.due_date)}` : "no due date"}{i.overdue ? <> <span className="badge badge-bad">overdue</span></> : null}</span>
              {i.draft_version_id && i.table_id ? (
                <span className="small">
                  <Link href={`/routing/${i.table_id}?tab=rules`}>{i.table_name} v{i.draft_version}</Link> <span className="muted">({i.draft_status})</span>
                  {i.simulation_id ? <> · <Link href={`/routing/${i.table_id}?tab=simulate&sim=${i.simulation_id}`} data-testid="item-simulation">simulation: {i.simulation_changed != null ? `${formatCount(i.simulation_changed)} of ${formatCount(i.simulation_leads)} leads change route` : i.simulation_status}</Link></> : null}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {setStatus.error ? <div className="card-body"><ErrorState title="Could not update the item" error={setStatus.error} /></div> : null}
      {!readOnly ? <NewActionItem reviewId={r.id} onAdded={invalidate} /> : null}
    </section>
  );
}

function NewActionItem({ reviewId, onAdded }: { reviewId: string; onAdded: () => void }) {
  const trpc = useTRPC();
  const options = useQuery(trpc.monthlyReview.options.queryOptions());
  const empty = { title: "", ownerUserId: "", dueDate: "", draftVersionId: "", simulationId: "" };
  const [f, setF] = useState(empty);
  const add = useMutation(trpc.monthlyReview.addActionItem.mutationOptions({ onSuccess: () => { setF(empty); onAdded(); } }));
  const errors = fieldErrors(add.error);
  const err = (k: string) => (errors[k] ? <span className="field-error" id={`ai-${k}-err`}>{errors[k]!.join("; ")}</span> : null);
  const sims = (options.data?.simulations ?? []).filter((s) => s.draft_version_id === f.draftVersionId);
  const tables = new Map<string, NonNullable<typeof options.data>["versions"]>();
  for (const v of options.data?.versions ?? []) tables.set(v.table_name, [...(tables.get(v.table_name) ?? []), v]);
  return (
    <form className={styles.form} aria-label="New action item" onSubmit={(e) => {
      e.preventDefault();
      add.mutate({ reviewId, title: f.title, ownerUserId: f.ownerUserId || null, dueDate: f.dueDate || null, draftVersionId: f.draftVersionId || null, simulationId: f.simulationId || null });
    }}>
      <label className="field"><span>What is to be done</span>
        <input type="text" value={f.title} maxLength={300} onChange={(e) => setF({ ...f, title: e.target.value })} aria-invalid={errors.title ? true : undefined} aria-describedby={errors.title ? "ai-title-err" : undefined} />{err("title")}</label>
      <div className={styles.twoUp}>
        <label className="field"><span>Owner</span>
          <select value={f.ownerUserId} onChange={(e) => setF({ ...f, ownerUserId: e.target.value })} aria-invalid={errors.ownerUserId ? true : undefined}>
            <option value="">No owner</option>
            {options.data?.users.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.role})</option>)}
          </select>{err("ownerUserId")}</label>
        <label className="field"><span>Due</span>
          <input type="date" value={f.dueDate} onChange={(e) => setF({ ...f, dueDate: e.target.value })} aria-invalid={errors.dueDate ? true : undefined} />{err("dueDate")}</label>
      </div>
      <label className="field"><span>Table version (optional)</span>
        <select value={f.draftVersionId} onChange={(e) => setF({ ...f, draftVersionId: e.target.value, simulationId: "" })} aria-invalid={errors.draftVersionId ? true : undefined}>
          <option value="">None</option>
          {[...tables].map(([table, versions]) => (
            <optgroup key={table} label={table}>
              {versions.map((v) => <option key={v.id} value={v.id}>v{v.version} — {v.status}{v.change_reason ? `: ${v.change_reason.slice(0, 60)}` : ""}</option>)}
            </optgroup>
          ))}
        </select>{err("draftVersionId")}</label>
      <label className="field"><span>Its simulation (optional)</span>
        <select value={f.simulationId} disabled={!f.draftVersionId || sims.length === 0} onChange={(e) => setF({ ...f, simulationId: e.target.value })} aria-invalid={errors.simulationId ? true : undefined}>
          <option value="">{!f.draftVersionId ? "Pick a version first" : sims.length ? "None" : "No finished simulation of this version"}</option>
          {sims.map((s) => <option key={s.id} value={s.id}>{periodLabel(new Date(s.period_start).toISOString().slice(0, 10), new Date(s.period_end).toISOString().slice(0, 10))} · {formatCount(s.changed ?? 0)} of {formatCount(s.lead_count ?? 0)} change</option>)}
        </select>{err("simulationId")}</label>
      {add.error && !Object.keys(errors).length ? <ErrorState title="Could not add the item" error={add.error} /> : null}
      <div className="row"><button type="submit" className="btn btn-primary" disabled={add.isPending}>Add action item</button></div>
    </form>
  );
}

function Comments({ review: r, readOnly }: { review: Review; readOnly: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidate(r.id);
  const [body, setBody] = useState("");
  const post = useMutation(trpc.monthlyReview.comment.mutationOptions({ onSuccess: () => { setBody(""); void invalidate(); } }));
  const errors = fieldErrors(post.error);
  return (
    <section className="card" aria-labelledby="comments-h" data-testid="review-comments">
      <div className="card-head"><div><h2 id="comments-h">Comments</h2></div></div>
      {r.comments.length === 0 ? <p className="card-body muted small" style={{ margin: 0 }}>No comments yet.</p> : r.comments.map((c) => (
        <div key={c.id} className={styles.comment}><span className="small"><strong>{c.author}</strong> <span className="muted">{formatDateTime(c.created_at)}</span></span><p>{c.body}</p></div>
      ))}
      {!readOnly ? (
        <form className={styles.form} onSubmit={(e) => { e.preventDefault(); post.mutate({ reviewId: r.id, body }); }}>
          <label className="field"><span>Add a comment</span>
            <textarea className={styles.prose} value={body} maxLength={5000} onChange={(e) => setBody(e.target.value)} aria-invalid={errors.body ? true : undefined} /></label>
          {errors.body ? <span className="field-error">{errors.body.join("; ")}</span> : post.error ? <ErrorState title="Could not post" error={post.error} /> : null}
          <div className="row"><button type="submit" className="btn btn-primary" disabled={post.isPending}>Post comment</button></div>
        </form>
      ) : null}
    </section>
  );
}
