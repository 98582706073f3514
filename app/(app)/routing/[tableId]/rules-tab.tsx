"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { check, diffTables, safeParseDecisionTable, type DecisionTable } from "@/lib/decision-table";
import { useTRPC } from "../../../_trpc/client";
import { fieldErrors } from "../../../_components/dialog";
import { ErrorState, TableSkeleton } from "../../../_components/states";
import type { EditorData } from "./editor-view";
import { RulesGrid, type FactFieldOption } from "./grid/rules-grid";
import { useUndoable } from "./grid/use-undoable";

export function RulesTab({ data, canEdit }: { data: EditorData; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const versionId = data.draftVersionId ?? data.liveVersionId;
  const version = useQuery({ ...trpc.routing.version.queryOptions({ id: versionId ?? "" }), enabled: !!versionId });
  const live = useQuery({ ...trpc.routing.version.queryOptions({ id: data.liveVersionId ?? "" }), enabled: !!data.liveVersionId && !!data.draftVersionId });
  const facts = useQuery(trpc.routing.facts.queryOptions());
  const open = useMutation(trpc.routing.openDraft.mutationOptions({
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() }),
  }));

  if (!versionId) {
    return (
      <div className="card card-body">
        <p>This table has no version yet.</p>
        {canEdit ? <button type="button" className="btn btn-primary" onClick={() => open.mutate({ tableId: data.table.id })}>Start a draft</button> : null}
      </div>
    );
  }
  if (version.isPending || facts.isPending) return <div className="card"><TableSkeleton /></div>;
  if (version.isError) return <ErrorState title="The version could not be loaded" error={version.error} onRetry={() => version.refetch()} />;
  if (facts.isError) return <ErrorState title="The fact catalog could not be loaded" error={facts.error} onRetry={() => facts.refetch()} />;
  const isDraft = version.data.status === "draft";

  return (
    <div className="stack">
      {!isDraft ? (
        <div className="notice" role="status">
          Viewing live version v{version.data.version} (read-only).{" "}
          {canEdit ? (
            <button type="button" className="btn btn-primary btn-sm" onClick={() => open.mutate({ tableId: data.table.id })} disabled={open.isPending}>
              {open.isPending ? "Opening…" : "Edit in a draft"}
            </button>
          ) : "Ask an ops user to change routing."}
          {open.error ? <span className="field-error"> {open.error.message}</span> : null}
        </div>
      ) : null}
      <DraftEditor
        key={version.data.id}
        versionId={version.data.id}
        initial={version.data.definition}
        initialReason={version.data.changeReason}
        readOnly={!isDraft || !canEdit}
        isDraft={isDraft}
        baseline={isDraft && live.data ? live.data.definition : null}
        factFields={facts.data.fields}
        routeKeys={facts.data.routes.map((r) => r.key)}
        testsSummary={version.data.tests}
      />
    </div>
  );
}

function DraftEditor({ versionId, initial, initialReason, readOnly, isDraft, baseline, factFields, routeKeys, testsSummary }: {
  versionId: string;
  initial: DecisionTable;
  initialReason: string;
  readOnly: boolean;
  isDraft: boolean;
  baseline: DecisionTable | null;
  factFields: Array<{ field: string; label: string; type: string; values: string[] }>;
  routeKeys: string[];
  testsSummary: Array<{ id: string; name: string; passed: boolean; message: string | null }>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const table = useUndoable<DecisionTable>(initial);
  const [saved, setSaved] = useState<DecisionTable>(initial);
  const [reason, setReason] = useState(initialReason);
  const [tests, setTests] = useState(testsSummary);
  const fileRef = useRef<HTMLInputElement>(null);
  const dirty = table.value !== saved;
  const diagnostics = useMemo(() => check(table.value), [table.value]);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const changedRules = useMemo(() => {
    if (!baseline) return [];
    return diffTables(baseline, table.value).rules.filter((r) => r.kind !== "removed").map((r) => r.ruleId);
  }, [baseline, table.value]);
  const save = useMutation(trpc.routing.saveDraft.mutationOptions({
    onSuccess: async (detail) => {
      setSaved(table.value);
      setTests(detail.tests);
      await queryClient.invalidateQueries({ queryKey: trpc.routing.readiness.pathKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.routing.table.pathKey() });
    },
  }));
  const importMut = useMutation(trpc.routing.import.mutationOptions({
    onSuccess: async (detail) => {
      table.reset(detail.definition);
      setSaved(detail.definition);
      setTests(detail.tests);
      await queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() });
    },
  }));
  const discard = useMutation(trpc.routing.discardDraft.mutationOptions({
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() }),
  }));

  // Ctrl/Cmd+S saves the draft.
  useEffect(() => {
    if (readOnly) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
        e.preventDefault();
        if (dirty && !save.isPending) save.mutate({ versionId, definition: table.value, changeReason: reason });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [readOnly, dirty, save, versionId, table.value, reason]);

  const outputValues = useMemo(() => {
    const out: Record<string, string[]> = {};
    for (const o of table.value.outputs) {
      if (o.role === "route" || o.name === "route" || o.name === "route_path") out[o.name] = routeKeys;
      else if (o.allowedValues) out[o.name] = o.allowedValues.map(String);
    }
    return out;
  }, [table.value.outputs, routeKeys]);
  const serverErrors = fieldErrors(save.error);
  const importErrors = fieldErrors(importMut.error);
  const failing = tests.filter((t) => !t.passed);

  const download = async (format: "json" | "dmn") => {
    const file = await queryClient.fetchQuery(trpc.routing.export.queryOptions({ id: versionId, format }));
    const url = URL.createObjectURL(new Blob([file.text], { type: file.mime }));
    const a = document.createElement("a");
    a.href = url;
    a.download = file.filename;
    a.click();
    URL.revokeObjectURL(url);
  };

  const exportButtons = (
    <>
      <button type="button" className="btn btn-sm" onClick={() => void download("json")}>Export JSON</button>
      <button type="button" className="btn btn-sm" onClick={() => void download("dmn")}>Export DMN</button>
    </>
  );

  return (
    <div className="stack">
      {isDraft && !readOnly ? (
        <section className="card card-body" aria-label="Save the draft">
          <div className="row" style={{ gap: 12, alignItems: "flex-end", flexWrap: "wrap" }}>
            <label className="field" style={{ flex: "1 1 320px", margin: 0 }}>
              <span>Change reason</span>
              <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="What changes and why (kept with the version)" maxLength={2000} />
            </label>
            <button type="button" className="btn btn-primary" disabled={!dirty && reason === initialReason || save.isPending}
              onClick={() => save.mutate({ versionId, definition: table.value, changeReason: reason })}>
              {save.isPending ? "Saving…" : "Save draft"}
            </button>
            <span className={`badge ${dirty ? "badge-warn" : "badge-good"}`} role="status">{dirty ? "Unsaved changes" : "Saved"}</span>
            <span className={`badge ${errors ? "badge-bad" : "badge-good"}`} data-testid="error-count">{errors ? `${errors} error${errors === 1 ? "" : "s"}` : "No errors"}</span>
            <span className={`badge ${failing.length ? "badge-bad" : "badge-good"}`} title={failing.map((t) => `${t.name}: ${t.message}`).join("\n")}>
              {tests.length ? `${tests.length - failing.length}/${tests.length} tests pass` : "No tests"}
            </span>
          </div>
          <div className="row" style={{ gap: 8, marginTop: 10, justifyContent: "flex-end", flexWrap: "wrap" }}>
            {exportButtons}
            <button type="button" className="btn btn-sm" onClick={() => fileRef.current?.click()} disabled={importMut.isPending}>Import…</button>
            <input ref={fileRef} type="file" accept=".json,.dmn,.xml,application/json,application/xml" className="sr-only" aria-label="Import a DMN or JSON file"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                e.target.value = "";
                if (!file) return;
                const text = await file.text();
                importMut.mutate({ versionId, format: /\.json$/i.test(file.name) ? "json" : "dmn", text });
              }} />
            <button type="button" className="btn btn-sm btn-ghost" onClick={() => { if (window.confirm("Discard this draft? Its simulations go with it.")) discard.mutate({ id: versionId }); }}>
              Discard draft
            </button>
          </div>
          {save.error ? (
            <div className="error-box" role="alert" style={{ marginTop: 10 }}>
              {save.error.message}
              {Object.entries(serverErrors).length ? <ul>{Object.entries(serverErrors).map(([k, v]) => <li key={k}><code>{k}</code>: {v.join("; ")}</li>)}</ul> : null}
            </div>
          ) : null}
          {importMut.error ? (
            <div className="error-box" role="alert" style={{ marginTop: 10 }}>
              {importMut.error.message}
              {Object.values(importErrors).flat().length ? <ul>{Object.values(importErrors).flat().slice(0, 10).map((m) => <li key={m}>{m}</li>)}</ul> : null}
            </div>
          ) : null}
          {failing.length && !dirty ? (
            <div className="notice notice-bad" style={{ marginTop: 10 }} role="status">
              Failing tests: {failing.map((t) => <span key={t.id}><strong>{t.name}</strong> — {t.message}. </span>)}
            </div>
          ) : null}
        </section>
      ) : (
        <div className="row" style={{ gap: 8 }}>
          <span className="spacer" />
          {exportButtons}
        </div>
      )}
      <section className="card" aria-label="Rules" style={{ padding: 12 }}>
        <RulesGrid
          definition={table.value}
          onChange={(next) => {
            // The grid only produces structurally valid tables; guard anyway so a bad edit never reaches save.
            if (safeParseDecisionTable(next).ok) table.set(next);
          }}
          readOnly={readOnly}
          factFields={factFields as FactFieldOption[]}
          outputValues={outputValues}
          diagnostics={diagnostics}
          highlightRuleIds={changedRules}
          onUndo={readOnly ? undefined : table.undo}
          onRedo={readOnly ? undefined : table.redo}
          canUndo={table.canUndo}
          canRedo={table.canRedo}
        />
      </section>
    </div>
  );
}
