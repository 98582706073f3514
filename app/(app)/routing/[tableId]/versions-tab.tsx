"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../_trpc/client";
import type { RouterOutputs } from "../../../_trpc/types";
import { DialogActions, fieldErrors, ModalDialog } from "../../../_components/dialog";
import { formatFullDateTime } from "../../../_components/dates";
import { EmptyState, ErrorState, TableSkeleton } from "../../../_components/states";
import type { EditorData } from "./editor-view";

type Version = EditorData["versions"][number];
type Diff = RouterOutputs["routing"]["diff"]["diff"];

export function VersionsTab({ data, canEdit }: { data: EditorData; canEdit: boolean }) {
  const versions = data.versions;
  const [from, setFrom] = useState<string>(versions[1]?.id ?? versions[0]?.id ?? "");
  const [to, setTo] = useState<string>(versions[0]?.id ?? "");
  const [rollback, setRollback] = useState<Version | null>(null);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="versions-h">
        <div className="card-head"><div><h2 id="versions-h">Versions</h2><p>Published versions are immutable; a rollback publishes a copy of an earlier version as a new one.</p></div></div>
        <div className="table-wrap">
          <table className="data" data-testid="versions">
            <thead><tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Change reason</th><th scope="col">Author</th><th scope="col">Published</th><th scope="col">Approved</th>{canEdit ? <th scope="col"><span className="sr-only">Actions</span></th> : null}</tr></thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id}>
                  <th scope="row">v{v.version}</th>
                  <td>
                    {v.live ? <span className="badge badge-good">live</span> : v.scheduled ? <span className="badge badge-brand">scheduled {formatFullDateTime(v.effective_at)}</span> : <span className="badge">{v.status}</span>}
                  </td>
                  <td style={{ maxWidth: 420 }}>{v.change_reason || <span className="muted">—</span>}</td>
                  <td className="small">{v.created_by_name ?? "—"}<div className="muted">{formatFullDateTime(v.created_at)}</div></td>
                  <td className="small">{v.published_at ? <>{formatFullDateTime(v.published_at)}<div className="muted">{v.published_by_name ?? ""}</div></> : "—"}</td>
                  <td className="small">{v.approved_at ? <>{v.approved_by_name}<div className="muted">{formatFullDateTime(v.approved_at)}</div></> : "—"}</td>
                  {canEdit ? (
                    <td>
                      {v.status !== "draft" && !v.live ? (
                        <button type="button" className="btn btn-sm" onClick={() => setRollback(v)} data-testid={`rollback-v${v.version}`}>Roll back to v{v.version}</button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="diff-h">
        <div className="card-head">
          <div><h2 id="diff-h">Compare versions</h2><p>Every changed cell, rule by rule.</p></div>
          <div className="row" style={{ gap: 8 }}>
            <label className="field" style={{ margin: 0 }}><span>From</span>
              <select value={from} onChange={(e) => setFrom(e.target.value)}>{versions.map((v) => <option key={v.id} value={v.id}>v{v.version} ({v.live ? "live" : v.status})</option>)}</select>
            </label>
            <label className="field" style={{ margin: 0 }}><span>To</span>
              <select value={to} onChange={(e) => setTo(e.target.value)}>{versions.map((v) => <option key={v.id} value={v.id}>v{v.version} ({v.live ? "live" : v.status})</option>)}</select>
            </label>
          </div>
        </div>
        {from && to ? <DiffView from={from} to={to} /> : <EmptyState title="Nothing to compare yet" />}
      </section>

      <AuditTrail tableId={data.table.id} />
      {rollback ? <RollbackDialog version={rollback} onClose={() => setRollback(null)} /> : null}
    </div>
  );
}

function DiffView({ from, to }: { from: string; to: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.routing.diff.queryOptions({ from, to }));
  if (q.isPending) return <TableSkeleton rows={3} />;
  if (q.isError) return <ErrorState title="The difference could not be computed" error={q.error} onRetry={() => q.refetch()} />;
  const d: Diff = q.data.diff;
  if (d.unchanged) return <div className="card-body muted" data-testid="diff">v{q.data.from.version} and v{q.data.to.version} are identical.</div>;
  return (
    <div className="card-body stack" data-testid="diff">
      {d.settings.length ? <ul>{d.settings.map((s) => <li key={s.field}><strong>{s.field}</strong>: <del>{s.before ?? "—"}</del> → <ins>{s.after ?? "—"}</ins></li>)}</ul> : null}
      {d.columns.length ? <ul>{d.columns.map((c) => <li key={`${c.side}:${c.column}`}>{c.side} column <code>{c.column}</code> {c.kind} <span className="muted small">{c.detail}</span></li>)}</ul> : null}
      {d.rules.length ? (
        <div className="table-wrap">
          <table className="data compact">
            <thead><tr><th scope="col">Rule</th><th scope="col">Change</th><th scope="col">Cells</th></tr></thead>
            <tbody>
              {d.rules.map((r) => (
                <tr key={r.ruleId}>
                  <th scope="row" className="mono">{r.ruleId}</th>
                  <td><span className={`badge ${r.kind === "added" ? "badge-good" : r.kind === "removed" ? "badge-bad" : "badge-brand"}`}>{r.kind}</span>{r.kind === "moved" || (r.fromIndex && r.toIndex && r.fromIndex !== r.toIndex) ? <span className="muted small"> #{r.fromIndex} → #{r.toIndex}</span> : null}</td>
                  <td>
                    {r.cells.length ? r.cells.map((c) => (
                      <div key={`${c.side}:${c.column}`} className="small"><code>{c.column}</code>: <del className="mono">{c.before ?? "-"}</del> → <ins className="mono">{c.after ?? "-"}</ins></div>
                    )) : <span className="muted small">order only</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p className="muted small">{d.changedCells} changed cell{d.changedCells === 1 ? "" : "s"}.</p>
    </div>
  );
}

function AuditTrail({ tableId }: { tableId: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.routing.audit.queryOptions({ id: tableId }));
  return (
    <section className="card" aria-labelledby="audit-h">
      <div className="card-head"><div><h2 id="audit-h">Audit log</h2><p>Every draft, save, test, simulation, approval, publish and rollback.</p></div></div>
      {q.isPending ? <TableSkeleton rows={4} /> : q.isError ? <ErrorState title="The audit log could not be loaded" error={q.error} onRetry={() => q.refetch()} /> : q.data.length === 0 ? <EmptyState title="No changes recorded yet" /> : (
        <div className="table-wrap" style={{ maxHeight: 420 }}>
          <table className="data compact" data-testid="audit">
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th></tr></thead>
            <tbody>{q.data.map((a) => <tr key={a.id}><td className="small nowrap">{formatFullDateTime(a.created_at)}</td><td className="small">{a.actor_name ?? "system"}</td><td>{a.summary}</td></tr>)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RollbackDialog({ version, onClose }: { version: Version; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const m = useMutation(trpc.routing.rollback.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() });
      onClose();
    },
  }));
  const errors = fieldErrors(m.error);
  return (
    <ModalDialog label={`Roll back to v${version.version}`} onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); m.mutate({ versionId: version.id, changeReason: reason }); }}>
        <div className="card-head"><h2>Roll back to v{version.version}</h2></div>
        <div className="card-body stack">
          <p>Publishes a copy of v{version.version} as a new version, live at once. Leads already routed keep the version that routed them.</p>
          <label className="field">
            <span>Why</span>
            <input autoFocus value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={errors.changeReason ? true : undefined} />
            {errors.changeReason ? <span className="field-error">{errors.changeReason.join("; ")}</span> : null}
          </label>
          {m.error && !errors.changeReason ? <div className="error-box" role="alert">{m.error.message}</div> : null}
        </div>
        <DialogActions onCancel={onClose}><button type="submit" className="btn btn-primary" disabled={m.isPending}>{m.isPending ? "Rolling back…" : "Roll back"}</button></DialogActions>
      </form>
    </ModalDialog>
  );
}
