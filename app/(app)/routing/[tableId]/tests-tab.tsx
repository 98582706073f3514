"use client";

import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { useTRPC } from "../../../_trpc/client";
import type { RouterOutputs } from "../../../_trpc/types";
import { fieldErrors } from "../../../_components/dialog";
import { EmptyState, ErrorState, TableSkeleton } from "../../../_components/states";
import type { EditorData } from "./editor-view";

type Catalog = RouterOutputs["routing"]["facts"];
type Preview = RouterOutputs["routing"]["preview"];

/** Facts as typed in the form (text), converted by each field's type. */
function toFacts(values: Record<string, string>, catalog: Catalog): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of catalog.fields) {
    const v = values[f.field]?.trim();
    if (!v) continue;
    if (f.type === "number") out[f.field] = Number(v);
    else if (f.type === "boolean") out[f.field] = v === "true";
    else out[f.field] = v;
  }
  // Facts typed here are explicit: the AI guard applies to the fields the classifier would have derived.
  if (out.confidence !== undefined) out.ai_fields = ["category", "confidence", "urgency"];
  return out;
}

function FactsForm({ catalog, values, onChange, errors }: { catalog: Catalog; values: Record<string, string>; onChange: (v: Record<string, string>) => void; errors: Record<string, string[]> }) {
  return (
    <div className="grid-3" style={{ gap: 10 }}>
      {catalog.fields.map((f) => {
        const id = `fact-${f.field}`;
        const err = errors[`facts.${f.field}`];
        return (
          <label key={f.field} className="field" htmlFor={id} style={{ margin: 0 }}>
            <span>{f.label} <span className="muted small mono">{f.field}</span></span>
            {f.type === "boolean" ? (
              <select id={id} value={values[f.field] ?? ""} onChange={(e) => onChange({ ...values, [f.field]: e.target.value })}>
                <option value="">(missing)</option><option value="true">true</option><option value="false">false</option>
              </select>
            ) : (
              <>
                <input id={id} list={`${id}-values`} inputMode={f.type === "number" ? "decimal" : undefined} value={values[f.field] ?? ""}
                  onChange={(e) => onChange({ ...values, [f.field]: e.target.value })} aria-invalid={err ? true : undefined} placeholder="(missing)" />
                {f.values.length ? <datalist id={`${id}-values`}>{f.values.map((v) => <option key={v} value={v} />)}</datalist> : null}
              </>
            )}
            {err ? <span className="field-error">{err.join("; ")}</span> : null}
          </label>
        );
      })}
    </div>
  );
}

export function TestsTab({ data, canEdit }: { data: EditorData; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const params = useSearchParams();
  const versionId = data.draftVersionId ?? data.liveVersionId;
  const version = useQuery({ ...trpc.routing.version.queryOptions({ id: versionId ?? "" }), enabled: !!versionId });
  const catalog = useQuery(trpc.routing.facts.queryOptions());
  const [values, setValues] = useState<Record<string, string>>({});
  const [name, setName] = useState("");
  const [expected, setExpected] = useState("");
  const [leadId, setLeadId] = useState(params.get("lead") ?? "");
  const [preview, setPreview] = useState<Preview | null>(null);
  const previewMut = useMutation(trpc.routing.preview.mutationOptions({ onSuccess: (p) => {
    setPreview(p);
    if (p.lead) setValues(Object.fromEntries(Object.entries(p.facts).filter(([, v]) => v !== null && typeof v !== "object").map(([k, v]) => [k, String(v)])));
  } }));
  const saveTest = useMutation(trpc.routing.saveTest.mutationOptions({
    onSuccess: async () => {
      setName("");
      await queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() });
    },
  }));
  const deleteTest = useMutation(trpc.routing.deleteTest.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() }) }));

  // "Route this one again": a lead id in the URL previews that lead at once.
  const initialLead = params.get("lead");
  useEffect(() => {
    if (initialLead && versionId) previewMut.mutate({ versionId, leadId: initialLead });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialLead, versionId]);

  if (!versionId) return <div className="card"><EmptyState title="No version yet">Start a draft on the Rules tab first.</EmptyState></div>;
  if (version.isPending || catalog.isPending) return <div className="card"><TableSkeleton /></div>;
  if (version.isError) return <ErrorState title="The version could not be loaded" error={version.error} onRetry={() => version.refetch()} />;
  if (catalog.isError) return <ErrorState title="The fact catalog could not be loaded" error={catalog.error} onRetry={() => catalog.refetch()} />;
  const tests = version.data.tests;
  const testErrors = fieldErrors(saveTest.error);
  const previewErrors = fieldErrors(previewMut.error);

  return (
    <div className="stack">
      <section className="card" aria-labelledby="tests-h">
        <div className="card-head">
          <div>
            <h2 id="tests-h">Test cases</h2>
            <p>Each runs through the full decide step (guards included) against v{version.data.version} {version.data.status === "draft" ? "(the draft as saved)" : ""}; every save runs them all, and publishing needs them to pass.</p>
          </div>
          <button type="button" className="btn btn-sm" onClick={() => version.refetch()} disabled={version.isFetching}>{version.isFetching ? "Running…" : "Run all"}</button>
        </div>
        {tests.length === 0 ? <EmptyState title="No test cases yet">Add one below from a set of facts and the route path they must take.</EmptyState> : (
          <div className="table-wrap">
            <table className="data" data-testid="test-results">
              <thead><tr><th scope="col">Result</th><th scope="col">Test</th><th scope="col">Expected</th><th scope="col">Actual</th><th scope="col">Facts</th>{canEdit ? <th scope="col"><span className="sr-only">Actions</span></th> : null}</tr></thead>
              <tbody>
                {tests.map((t) => (
                  <tr key={t.id}>
                    <td><span className={`badge ${t.passed ? "badge-good" : "badge-bad"}`}>{t.passed ? "Pass" : "Fail"}</span></td>
                    <td>{t.name}{t.message ? <div className="small muted">{t.message}</div> : null}</td>
                    <td className="mono small">{t.expected.route}{t.expected.ruleId ? ` · ${t.expected.ruleId}` : ""}</td>
                    <td className="mono small">{t.actual.route ?? "—"}{t.actual.ruleId ? ` · ${t.actual.ruleId}` : ""}</td>
                    <td className="mono small" style={{ maxWidth: 360 }}>{describeFacts(data.tests.find((x) => x.id === t.id)?.facts ?? {})}</td>
                    {canEdit ? <td><button type="button" className="btn btn-sm btn-ghost" onClick={() => deleteTest.mutate({ id: t.id })} aria-label={`Delete test ${t.name}`}>Delete</button></td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="preview-h">
        <div className="card-head">
          <div>
            <h2 id="preview-h">Single-lead preview</h2>
            <p>Route a set of facts — or a real lead, with the facts it arrived with — through v{version.data.version} and see every rule it tried.</p>
          </div>
        </div>
        <div className="card-body stack">
          <form className="row" style={{ gap: 8, alignItems: "flex-end" }} onSubmit={(e) => { e.preventDefault(); if (leadId.trim()) previewMut.mutate({ versionId, leadId: leadId.trim() }); }}>
            <label className="field" style={{ margin: 0, flex: "0 1 420px" }}>
              <span>Route a real lead again (lead id)</span>
              <input value={leadId} onChange={(e) => setLeadId(e.target.value)} placeholder="e.g. from a lead's page" className="mono" aria-invalid={previewErrors.leadId ? true : undefined} />
            </label>
            <button type="submit" className="btn" disabled={!leadId.trim() || previewMut.isPending}>Load and route</button>
          </form>
          <FactsForm catalog={catalog.data} values={values} onChange={setValues} errors={previewErrors} />
          <div className="row" style={{ gap: 8, flexWrap: "wrap", alignItems: "flex-end" }}>
            <button type="button" className="btn btn-primary" onClick={() => previewMut.mutate({ versionId, facts: toFacts(values, catalog.data) })} disabled={previewMut.isPending}>
              {previewMut.isPending ? "Routing…" : "Route these facts"}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => { setValues({}); setPreview(null); }}>Clear</button>
            {canEdit ? (
              <>
                <span className="spacer" />
                <label className="field" style={{ margin: 0 }}>
                  <span>Save as test: name</span>
                  <input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={testErrors.name ? true : undefined} />
                  {testErrors.name ? <span className="field-error">{testErrors.name.join("; ")}</span> : null}
                </label>
                <label className="field" style={{ margin: 0 }}>
                  <span>Expected route path</span>
                  <select value={expected} onChange={(e) => setExpected(e.target.value)} aria-invalid={testErrors["expected.route"] ? true : undefined}>
                    <option value="">Choose…</option>
                    {catalog.data.routes.map((r) => <option key={r.key} value={r.key}>{r.name} ({r.key})</option>)}
                  </select>
                  {testErrors["expected.route"] ? <span className="field-error">{testErrors["expected.route"].join("; ")}</span> : null}
                </label>
                <button type="button" className="btn" disabled={saveTest.isPending}
                  onClick={() => saveTest.mutate({ tableId: data.table.id, name, facts: toFacts(values, catalog.data), expected: { route: expected } })}>
                  Add test case
                </button>
              </>
            ) : null}
          </div>
          {saveTest.error && !Object.keys(testErrors).length ? <div className="error-box" role="alert">{saveTest.error.message}</div> : null}
          {previewMut.error ? <div className="error-box" role="alert">{previewMut.error.message}</div> : null}
          {preview ? <PreviewResult preview={preview} /> : null}
        </div>
      </section>
    </div>
  );
}

function describeFacts(facts: Record<string, unknown>): string {
  return Object.entries(facts).filter(([k]) => k !== "ai_fields").map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ") || "(no facts)";
}

type Routed = Omit<Preview, "lead" | "facts" | "live">;

function PreviewResult({ preview }: { preview: Preview }) {
  return (
    <div className="stack" data-testid="preview-result" aria-live="polite">
      {preview.lead ? (
        <div className="notice" role="status">
          Lead <Link href={`/leads/${preview.lead.id}`}><strong>{preview.lead.name}</strong></Link> was routed to <span className="mono">{preview.lead.routePath ?? "—"}</span>
          {preview.lead.ruleId ? ` by ${preview.lead.ruleId}` : ""} when it arrived; below, the facts it arrived with through {preview.live ? "the live version and the draft" : `v${preview.version}`}.
        </div>
      ) : null}
      <div className={preview.live ? "grid-2" : undefined} style={{ gap: 12 }}>
        {preview.live ? <Trace title={`Live v${preview.live.version}`} routed={preview.live} /> : null}
        <Trace title={preview.live ? `Draft v${preview.version}` : `v${preview.version}`} routed={preview} testId="preview-draft" />
      </div>
    </div>
  );
}

function Trace({ title, routed, testId }: { title: string; routed: Routed; testId?: string }) {
  return (
    <div className="card" data-testid={testId}>
      <div className="card-head">
        <div>
          <h3 style={{ margin: 0 }}>{title}</h3>
          <p>
            → <strong className="mono" data-testid={testId ? `${testId}-route` : undefined}>{routed.route ?? "no route"}</strong>
            {routed.ruleId ? <> by rule <strong>{routed.ruleId}</strong></> : null}
            {routed.review ? <> — review: {routed.review.text}</> : null}
          </p>
        </div>
      </div>
      <ol className="trace card-body" style={{ margin: 0 }}>
        {routed.rules.map((r) => (
          <li key={r.ruleId} className={`trace-step ${r.matched ? "" : "trace-bad"}`}>
            <span className={`badge ${r.matched ? "badge-good" : r.skipped ? "badge-warn" : ""}`}>{r.matched ? "matched" : r.skipped ? "skipped" : "no match"}</span>{" "}
            <span className="small">{r.text}</span>
          </li>
        ))}
      </ol>
      {routed.invalidFacts.length ? <div className="notice notice-bad">Unreadable facts: {routed.invalidFacts.map((f) => f.field).join(", ")}</div> : null}
    </div>
  );
}
