"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../_trpc/client";
import { DialogActions, fieldErrors, ModalDialog } from "../../../_components/dialog";
import { formatFullDateTime } from "../../../_components/dates";

/** The draft's publishing gates, approval and the publish dialog. */
export function PublishPanel({ draftId, canEdit, userId, onSimulate }: { draftId: string; tableId: string; canEdit: boolean; userId: string; onSimulate: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.routing.readiness.queryOptions({ id: draftId }));
  const [open, setOpen] = useState(false);
  const approve = useMutation(trpc.routing.approve.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() }) }));
  if (!q.data) return null;
  const r = q.data;
  const approval = r.checks.find((c) => c.key === "approval");
  return (
    <div className="card" style={{ minWidth: 320, maxWidth: 460 }} aria-label="Publishing checks" data-testid="publish-panel">
      <ul style={{ listStyle: "none", margin: 0, padding: "10px 14px" }}>
        {r.checks.map((c) => (
          <li key={c.key} className="small" style={{ display: "flex", gap: 6, padding: "2px 0" }} data-testid={`check-${c.key}`} data-ok={c.ok}>
            <span aria-hidden="true" style={{ color: c.ok ? "var(--good, #15803d)" : "var(--bad, #b91c1c)", fontWeight: 700 }}>{c.ok ? "✓" : "✗"}</span>
            <span><span className="sr-only">{c.ok ? "Passed: " : "Not yet: "}</span>{c.message}{c.at ? `, ${formatFullDateTime(c.at)}` : ""}
              {c.key === "simulation" && !c.ok ? <> — <button type="button" className="btn-ghost" style={{ border: "none", background: "none", padding: 0, color: "var(--brand-600)", cursor: "pointer", font: "inherit" }} onClick={onSimulate}>simulate</button></> : null}
            </span>
          </li>
        ))}
      </ul>
      {canEdit ? (
        <div className="row" style={{ gap: 8, padding: "0 14px 12px" }}>
          {approval && !approval.ok ? (
            <button type="button" className="btn btn-sm" disabled={approve.isPending || r.createdBy === userId} title={r.createdBy === userId ? "The approver must be someone other than the author" : undefined}
              onClick={() => approve.mutate({ id: draftId })}>Approve</button>
          ) : null}
          <button type="button" className="btn btn-primary btn-sm" disabled={!r.ready} onClick={() => setOpen(true)} data-testid="publish-open">Publish v{r.version}…</button>
          {approve.error ? <span className="field-error">{approve.error.message}</span> : null}
        </div>
      ) : null}
      {open ? <PublishDialog draftId={draftId} version={r.version} onClose={() => setOpen(false)} /> : null}
    </div>
  );
}

function PublishDialog({ draftId, version, onClose }: { draftId: string; version: number; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const [when, setWhen] = useState<"now" | "later">("now");
  const [at, setAt] = useState("");
  const m = useMutation(trpc.routing.publish.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      onClose();
    },
  }));
  const errors = fieldErrors(m.error);
  const details = (m.error?.data as { details?: string[] } | undefined)?.details ?? [];
  return (
    <ModalDialog label={`Publish v${version}`} onClose={onClose}>
      <form onSubmit={(e) => {
        e.preventDefault();
        m.mutate({ versionId: draftId, changeReason: reason, effectiveAt: when === "later" && at ? new Date(at) : undefined });
      }}>
        <div className="card-head"><h2>Publish v{version}</h2></div>
        <div className="card-body stack">
          <label className="field">
            <span>Change reason (kept with the version and in the audit log)</span>
            <input autoFocus value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={errors.changeReason ? true : undefined} data-testid="publish-reason" />
            {errors.changeReason ? <span className="field-error">{errors.changeReason.join("; ")}</span> : null}
          </label>
          <fieldset className="field" style={{ border: "none", padding: 0, margin: 0 }}>
            <legend>Effective</legend>
            <label className="row" style={{ gap: 6 }}><input type="radio" name="when" checked={when === "now"} onChange={() => setWhen("now")} /> Now — live routing switches at once</label>
            <label className="row" style={{ gap: 6 }}><input type="radio" name="when" checked={when === "later"} onChange={() => setWhen("later")} /> At a later time</label>
            {when === "later" ? (
              <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} aria-label="Effective time" aria-invalid={errors.effectiveAt ? true : undefined} />
            ) : null}
            {errors.effectiveAt ? <span className="field-error">{errors.effectiveAt.join("; ")}</span> : null}
          </fieldset>
          {m.error && !errors.changeReason && !errors.effectiveAt ? (
            <div className="error-box" role="alert">{m.error.message}{details.length ? <ul>{details.map((d) => <li key={d}>{d}</li>)}</ul> : null}</div>
          ) : null}
        </div>
        <DialogActions onCancel={onClose}><button type="submit" className="btn btn-primary" disabled={m.isPending} data-testid="publish-confirm">{m.isPending ? "Publishing…" : "Publish"}</button></DialogActions>
      </form>
    </ModalDialog>
  );
}
