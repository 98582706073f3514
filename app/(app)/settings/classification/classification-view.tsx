"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { EvaluationMetrics } from "@/lib/classify/metrics";
import type { TaxonomyCategory } from "@/lib/classify/taxonomy";
import { classifierLabel, formatCount, formatPercent, humanize } from "@/lib/format";
import { useTRPC } from "../../../_trpc/client";
import type { RouterOutputs } from "../../../_trpc/types";
import { formatDateTime } from "../../../_components/dates";
import { EmptyState, ErrorState, TableSkeleton } from "../../../_components/states";
import { SettingsNav } from "../settings-nav";
import { fieldErrors } from "../../../_components/dialog";

type Overview = RouterOutputs["settings"]["classification"];

/** server/services/classify/classifier.service.ts LLM_MAX_IN_FLIGHT (not imported: server-only). */
const LLM_LIMIT = 8;

const ms = (v: number | null | undefined) => (v == null ? "—" : v < 10 ? `${v.toFixed(1)} ms` : `${formatCount(Math.round(v))} ms`);

export function ClassificationView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.settings.classification.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.settings.classification.queryKey() });
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>How the classify step reads a lead&apos;s free text: the categories it may answer, the model that answers, how well it does and what it costs.</p>
        </div>
      </div>
      <SettingsNav />
      {q.isPending ? <div className="card"><TableSkeleton /></div> : q.isError ? (
        <ErrorState title="Classification settings could not be loaded" error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <div className="stack">
          <ChainCard data={q.data} />
          <ModelCard data={q.data} onChanged={invalidate} />
          <LlmCard data={q.data} onChanged={invalidate} />
          <TaxonomyCard data={q.data} onChanged={invalidate} />
          <TryCard />
        </div>
      )}
    </div>
  );
}

function ChainCard({ data }: { data: Overview }) {
  const llm = data.llm.effective;
  const state = data.llm.state;
  const usage = data.usage;
  return (
    <section className="card" aria-labelledby="chain-title">
      <div className="card-head"><div><h2 id="chain-title">How leads are classified</h2><p>Each lead goes down this chain until one answers; an explicit form answer always wins over all of them.</p></div></div>
      <div className="card-body stack">
        <ol className="chain" aria-label="Classifier chain">
          {llm ? (
            <li>
              <strong>LLM</strong> · {llm.model} via the {llm.api === "responses" ? "Responses" : "Chat Completions"} API{llm.baseURL ? ` at ${llm.baseURL}` : ""} · {llm.timeoutMs / 1000} s timeout, one retry
              {" "}{state ? <span className={`badge ${state.breaker === "closed" ? "badge-good" : "badge-bad"}`}>circuit {state.breaker.replace("_", "-")}</span> : null}
              <div className="muted small">configured in {llm.source === "settings" ? "Settings" : "the server environment"}{state ? ` · this server: ${formatCount(state.calls)} calls, ${formatCount(state.failures)} failed, ${formatCount(state.cacheHits)} from cache, ${formatCount(state.shortCircuited)} skipped by the open circuit, ${formatCount(state.skippedBusy)} skipped while ${LLM_LIMIT} calls were in flight` : ""}</div>
            </li>
          ) : (
            <li className="muted"><strong>LLM</strong> · not configured (optional: below)</li>
          )}
          <li><strong>Offline model</strong> · {data.model ? `trained ${formatDateTime(data.model.trainedAt)} on ${formatCount(data.model.trainingSize)} texts` : "trained on first use"}<div className="muted small">in-process, no network; answers whenever the LLM is off, failing or its circuit is open</div></li>
          <li><strong>Keyword rules</strong><div className="muted small">last resort if a model cannot answer</div></li>
        </ol>
        <h3 style={{ margin: 0, fontSize: 14 }}>Last {usage.days} days</h3>
        {usage.leads === 0 ? (
          <p className="muted small" style={{ margin: 0 }}>No lead was classified in the last {usage.days} days.</p>
        ) : (
          <>
            <div className="table-wrap">
              <table className="data">
                <thead><tr><th scope="col">Answered by</th><th scope="col" className="num">Leads</th><th scope="col" className="num">Share</th><th scope="col" className="num">Step p50</th><th scope="col" className="num">Step p95</th></tr></thead>
                <tbody>
                  {usage.classifiers.map((c) => (
                    <tr key={c.classifier}><td>{classifierLabel(c.classifier)}</td><td className="num">{formatCount(c.leads)}</td><td className="num">{formatPercent(c.leads / usage.leads, 1)}</td><td className="num">{ms(c.p50Ms)}</td><td className="num">{ms(c.p95Ms)}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="small" style={{ margin: 0 }}>
              {formatCount(usage.fellBack)} lead{usage.fellBack === 1 ? "" : "s"} ({formatPercent(usage.fellBack / usage.leads, 1)}) fell back to a later classifier.
              {usage.llm ? ` LLM: ${formatCount(usage.llm.calls)} calls (${formatCount(usage.llm.cached)} cached), ${formatCount(usage.llm.inputTokens)} input and ${formatCount(usage.llm.outputTokens)} output tokens, ${usage.llm.costUsd != null ? `$${usage.llm.costUsd.toFixed(4)} estimated` : "cost unknown for this model"}; latency p50 ${ms(usage.llm.p50Ms)}, p95 ${ms(usage.llm.p95Ms)}.` : ""}
            </p>
          </>
        )}
      </div>
    </section>
  );
}

function ModelCard({ data, onChanged }: { data: Overview; onChanged: () => void }) {
  const trpc = useTRPC();
  const retrain = useMutation(trpc.settings.retrainClassifier.mutationOptions({ onSuccess: onChanged }));
  const m = data.model;
  // The workspace's own examples in the current model (review corrections, imports, spam rejections).
  const own = m ? Object.entries(m.counts).filter(([k]) => k !== "shipped").reduce((a, [, n]) => a + n, 0) : 0;
  const ev = m?.evaluation ?? null;
  return (
    <section className="card" aria-labelledby="model-title">
      <div className="card-head">
        <div><h2 id="model-title">Offline model</h2><p>Logistic regression on word and character n-grams with calibrated confidence, trained on the shipped labelled set plus this workspace&apos;s own labels — review corrections, imported labels, spam rejections ({formatCount(own)} in the current model; retraining picks up new ones).</p></div>
        <button type="button" className="btn btn-primary" disabled={retrain.isPending} onClick={() => retrain.mutate()}>{retrain.isPending ? "Training and evaluating…" : "Retrain and evaluate"}</button>
      </div>
      <div className="card-body stack">
        {retrain.isError ? <p className="field-error" role="alert">{retrain.error.message}</p> : null}
        {retrain.isSuccess ? <p role="status" className="small" style={{ margin: 0 }}>Trained on {formatCount(retrain.data.trainingSize)} texts{retrain.data.accuracy != null ? `: 5-fold accuracy ${formatPercent(retrain.data.accuracy, 1)}, macro-F1 ${formatPercent(retrain.data.macroF1 ?? 0, 1)}` : ""}. New leads use it now.</p> : null}
        {!m ? <EmptyState title="No model yet"><p>It is trained automatically when the server starts or the first lead arrives.</p></EmptyState> : (
          <>
            <dl className="facts">
              <dt>Trained</dt><dd>{formatDateTime(m.trainedAt)}{m.trainMs != null ? ` in ${(m.trainMs / 1000).toFixed(1)} s` : ""}</dd>
              <dt>Examples</dt><dd>{formatCount(m.trainingSize)} ({Object.entries(m.counts).filter(([, n]) => n > 0).map(([k, n]) => `${formatCount(n)} ${k}`).join(", ")})</dd>
              <dt>Categories</dt><dd>{m.classes.map(humanize).join(", ")}</dd>
            </dl>
            {ev ? <Evaluation ev={ev} /> : <p className="muted small" style={{ margin: 0 }}>This model has not been evaluated: “Retrain and evaluate” runs a stratified 5-fold cross-validation.</p>}
          </>
        )}
      </div>
    </section>
  );
}

function Evaluation({ ev }: { ev: EvaluationMetrics }) {
  const curve = ev.triageCurve.filter((p) => p.accuracy != null).map((p) => ({ threshold: p.threshold, triage: p.triageRate * 100, accuracy: (p.accuracy ?? 0) * 100 }));
  return (
    <div className="stack">
      <div className="kpis" role="list" style={{ marginBottom: 0 }}>
        <div className="kpi card" role="listitem"><div className="kpi-label">Accuracy (5-fold)</div><div className="kpi-value">{formatPercent(ev.accuracy, 1)}</div></div>
        <div className="kpi card" role="listitem"><div className="kpi-label">Macro-F1</div><div className="kpi-value">{formatPercent(ev.macroF1, 1)}</div></div>
        <div className="kpi card" role="listitem"><div className="kpi-label">Calibration error (ECE)</div><div className="kpi-value">{ev.ece.toFixed(3)}</div></div>
        <div className="kpi card" role="listitem"><div className="kpi-label">Recommended threshold</div><div className="kpi-value">{ev.recommended ? formatPercent(ev.recommended.threshold, 0) : "—"}</div>
          <div className="muted small">{ev.recommended ? `triages ${formatPercent(ev.recommended.triageRate, 1)}, keeps ${formatPercent(ev.recommended.accuracy ?? 0, 1)} accurate` : `none triages ≤ ${formatPercent(ev.targetTriageRate, 0)}`}</div></div>
      </div>
      <figure style={{ margin: 0 }}>
        <figcaption className="small"><strong>Triage rate vs accuracy</strong> — leads under the confidence threshold go to the review queue; the rest keep this accuracy. Set a route path&apos;s threshold near the recommendation (target ≤ {formatPercent(ev.targetTriageRate, 0)} triaged).</figcaption>
        <div style={{ width: "100%", height: 240 }} role="img" aria-label={`Triage curve: at the recommended threshold ${ev.recommended ? formatPercent(ev.recommended.threshold, 0) : "none"}`}>
          <ResponsiveContainer>
            <LineChart data={curve} margin={{ top: 10, right: 24, bottom: 20, left: 0 }}>
              <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
              <XAxis dataKey="threshold" type="number" domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} label={{ value: "confidence threshold", position: "insideBottom", offset: -10, fontSize: 12 }} fontSize={12} />
              <YAxis domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} fontSize={12} />
              <Tooltip formatter={(v) => `${Number(v).toFixed(1)}%`} labelFormatter={(v) => `threshold ${Math.round(Number(v) * 100)}%`} />
              {ev.recommended ? <ReferenceLine x={ev.recommended.threshold} stroke="#64748b" strokeDasharray="4 4" label={{ value: "recommended", fontSize: 11, position: "insideTopLeft" }} /> : null}
              <Line type="monotone" dataKey="accuracy" name="accuracy of the rest" stroke="#2563eb" strokeWidth={2} dot={false} isAnimationActive={false} />
              <Line type="monotone" dataKey="triage" name="triaged to review" stroke="#d97706" strokeWidth={2} dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
        <p className="small muted" style={{ margin: 0 }}><span style={{ color: "#2563eb" }}>■</span> accuracy of the leads kept · <span style={{ color: "#d97706" }}>■</span> share triaged to review</p>
      </figure>
      <details>
        <summary>Per category and confusion matrix</summary>
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th scope="col">Category</th><th scope="col" className="num">Precision</th><th scope="col" className="num">Recall</th><th scope="col" className="num">F1</th><th scope="col" className="num">Examples</th></tr></thead>
            <tbody>{ev.perClass.map((c) => <tr key={c.label}><td>{humanize(c.label)}</td><td className="num">{formatPercent(c.precision, 1)}</td><td className="num">{formatPercent(c.recall, 1)}</td><td className="num">{formatPercent(c.f1, 1)}</td><td className="num">{formatCount(c.support)}</td></tr>)}</tbody>
          </table>
        </div>
        <div className="table-wrap">
          <table className="data confusion">
            <caption className="small muted" style={{ textAlign: "left" }}>Rows: true category; columns: predicted.</caption>
            <thead><tr><th scope="col">True \ predicted</th>{ev.classes.map((c) => <th key={c} scope="col" className="num" title={humanize(c)}>{humanize(c).slice(0, 10)}</th>)}</tr></thead>
            <tbody>{ev.confusion.map((row, i) => {
              const total = row.reduce((a, b) => a + b, 0) || 1;
              return (
                <tr key={ev.classes[i]}><th scope="row">{humanize(ev.classes[i])}</th>{row.map((n, j) => (
                  <td key={j} className="num" style={{ background: n ? (i === j ? `rgba(37,99,235,${0.12 + 0.5 * (n / total)})` : `rgba(220,38,38,${0.1 + 0.6 * (n / total)})`) : undefined }}>{n || ""}</td>
                ))}</tr>
              );
            })}</tbody>
          </table>
        </div>
      </details>
      <details>
        <summary>Reliability (is a 80% confidence right 80% of the time?)</summary>
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th scope="col">Confidence</th><th scope="col" className="num">Leads</th><th scope="col" className="num">Mean confidence</th><th scope="col" className="num">Accuracy</th></tr></thead>
            <tbody>{ev.reliability.filter((b) => b.count > 0).map((b) => <tr key={b.from}><td>{formatPercent(b.from, 0)}–{formatPercent(b.to, 0)}</td><td className="num">{formatCount(b.count)}</td><td className="num">{formatPercent(b.meanConfidence ?? 0, 1)}</td><td className="num">{formatPercent(b.accuracy ?? 0, 1)}</td></tr>)}</tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

function LlmCard({ data, onChanged }: { data: Overview; onChanged: () => void }) {
  const trpc = useTRPC();
  const s = data.llm.settings;
  const [enabled, setEnabled] = useState(s.enabled);
  const [provider, setProvider] = useState(s.provider);
  const [baseURL, setBaseURL] = useState(s.baseURL);
  const [model, setModel] = useState(s.model);
  const [api, setApi] = useState(s.api);
  const [timeout, setTimeoutS] = useState(String(s.timeoutMs / 1000));
  const [apiKey, setApiKey] = useState("");
  const save = useMutation(trpc.settings.saveLlm.mutationOptions({ onSuccess: () => { setApiKey(""); onChanged(); } }));
  const errors = fieldErrors(save.error);
  const err = (k: string) => errors[`settings.${k}`]?.[0] ?? errors[k]?.[0];
  return (
    <section className="card" aria-labelledby="llm-title">
      <div className="card-head"><div><h2 id="llm-title">LLM (optional)</h2><p>OpenAI, or any OpenAI-compatible server (Ollama, vLLM, a gateway). Lead text is sent as data, never as instructions; answers outside the taxonomy count as failures. {data.llm.environmentConfigured && !s.enabled ? "The server environment configures one; enabling it here overrides the environment." : ""}</p></div></div>
      <form
        className="card-body stack"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ settings: { enabled, provider, baseURL: baseURL.trim(), model: model.trim(), api, timeoutMs: Math.round(Number(timeout) * 1000) || 0 }, apiKey: apiKey.trim() || undefined });
        }}
      >
        <label className="row" style={{ gap: 8 }}><input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Classify with an LLM first</label>
        <div className="row">
          <div className="field">
            <label htmlFor="llm-provider">Provider</label>
            <select id="llm-provider" value={provider} onChange={(e) => setProvider(e.target.value as typeof provider)}>
              <option value="openai">OpenAI</option>
              <option value="openai_compatible">OpenAI-compatible server</option>
            </select>
          </div>
          {provider === "openai_compatible" ? (
            <div className="field" style={{ minWidth: 300 }}>
              <label htmlFor="llm-base">Base URL</label>
              <input id="llm-base" value={baseURL} placeholder="http://127.0.0.1:11434/v1" onChange={(e) => setBaseURL(e.target.value)} aria-invalid={err("baseURL") ? true : undefined} />
              {err("baseURL") ? <span className="field-error">{err("baseURL")}</span> : null}
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="llm-model">Model</label>
            <input id="llm-model" value={model} onChange={(e) => setModel(e.target.value)} aria-invalid={err("model") ? true : undefined} />
            {err("model") ? <span className="field-error">{err("model")}</span> : null}
          </div>
          <div className="field">
            <label htmlFor="llm-api">API</label>
            <select id="llm-api" value={api} onChange={(e) => setApi(e.target.value as typeof api)}>
              <option value="responses">Responses</option>
              <option value="chat">Chat Completions</option>
            </select>
          </div>
          <div className="field" style={{ width: 110 }}>
            <label htmlFor="llm-timeout">Timeout (s)</label>
            <input id="llm-timeout" inputMode="decimal" value={timeout} onChange={(e) => setTimeoutS(e.target.value)} aria-invalid={err("timeoutMs") ? true : undefined} />
            {err("timeoutMs") ? <span className="field-error">{err("timeoutMs")}</span> : null}
          </div>
        </div>
        <div className="field" style={{ maxWidth: 420 }}>
          <label htmlFor="llm-key">API key</label>
          <input id="llm-key" type="password" autoComplete="off" value={apiKey} placeholder={data.llm.keyStored ? "stored (encrypted) — type to replace" : data.llm.keyInEnvironment ? "from OPENAI_API_KEY on the server" : "sk-…"} onChange={(e) => setApiKey(e.target.value)} aria-invalid={err("apiKey") ? true : undefined} />
          {err("apiKey") ? <span className="field-error">{err("apiKey")}</span> : <span className="muted small">Stored encrypted and never shown again.</span>}
        </div>
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>Save</button>
          {data.llm.keyStored ? <button type="button" className="btn" disabled={save.isPending} onClick={() => save.mutate({ settings: { enabled, provider, baseURL: baseURL.trim(), model: model.trim(), api, timeoutMs: Math.round(Number(timeout) * 1000) || 0 }, apiKey: null })}>Remove stored key</button> : null}
          {save.isSuccess ? <span role="status" className="small">Saved.</span> : null}
          {save.isError && Object.keys(errors).length === 0 ? <span role="alert" className="field-error">{save.error.message}</span> : null}
        </div>
      </form>
    </section>
  );
}

function TaxonomyCard({ data, onChanged }: { data: Overview; onChanged: () => void }) {
  const trpc = useTRPC();
  const [rows, setRows] = useState<TaxonomyCategory[]>(data.taxonomy);
  const save = useMutation(trpc.settings.saveTaxonomy.mutationOptions({ onSuccess: onChanged }));
  const errors = fieldErrors(save.error);
  const err = (i: number, k: string) => errors[`taxonomy.${i}.${k}`]?.[0];
  const update = (i: number, patch: Partial<TaxonomyCategory>) => setRows((r) => r.map((row, k) => (k === i ? { ...row, ...patch } : row)));
  const known = new Set(data.model?.classes ?? []);
  return (
    <section className="card" aria-labelledby="tax-title">
      <div className="card-head"><div><h2 id="tax-title">Taxonomy</h2><p>The categories the classifiers may answer, as the decision table sees them (<code>category</code>). Descriptions go into the LLM&apos;s instructions. A new category needs labelled examples before the offline model can answer it: correct leads in the review queue, then retrain.</p></div></div>
      <form className="card-body stack" onSubmit={(e) => { e.preventDefault(); save.mutate({ taxonomy: rows }); }}>
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th scope="col">Key</th><th scope="col">Label</th><th scope="col">Description</th><th scope="col">Used by</th><th scope="col"><span className="sr-only">Remove</span></th></tr></thead>
            <tbody>
              {rows.map((c, i) => (
                <tr key={i}>
                  <td>
                    <input aria-label={`Key of category ${i + 1}`} className="mono" value={c.key} onChange={(e) => update(i, { key: e.target.value })} aria-invalid={err(i, "key") ? true : undefined} style={{ width: 170 }} />
                    {err(i, "key") ? <div className="field-error">{err(i, "key")}</div> : null}
                    {c.key && !known.has(c.key) ? <div className="muted small">no training examples yet</div> : null}
                  </td>
                  <td>
                    <input aria-label={`Label of category ${i + 1}`} value={c.label} onChange={(e) => update(i, { label: e.target.value })} aria-invalid={err(i, "label") ? true : undefined} />
                    {err(i, "label") ? <div className="field-error">{err(i, "label")}</div> : null}
                  </td>
                  <td style={{ width: "45%" }}><input aria-label={`Description of category ${i + 1}`} value={c.description} maxLength={300} onChange={(e) => update(i, { description: e.target.value })} style={{ width: "100%" }} /></td>
                  <td className="small muted" style={{ minWidth: 130 }}>{data.taxonomyInUse[c.key]?.join(", ") ?? "—"}</td>
                  <td><button type="button" className="btn" aria-label={`Remove ${c.label || c.key || `category ${i + 1}`}`} onClick={() => setRows((r) => r.filter((_, k) => k !== i))}>Remove</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {errors.taxonomy ? <div role="alert" className="field-error">{errors.taxonomy.map((m) => <div key={m}>{m}</div>)}</div> : null}
        <div className="row">
          <button type="button" className="btn" onClick={() => setRows((r) => [...r, { key: "", label: "", description: "" }])}>Add category</button>
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>Save taxonomy</button>
          <button type="button" className="btn" onClick={() => { setRows(data.taxonomy); save.reset(); }}>Discard changes</button>
          {save.isSuccess ? <span role="status" className="small">Saved: new leads use it now.</span> : null}
        </div>
      </form>
    </section>
  );
}

function TryCard() {
  const trpc = useTRPC();
  const [text, setText] = useState("");
  const run = useMutation(trpc.settings.testClassification.mutationOptions());
  const errors = fieldErrors(run.error);
  const r = run.data;
  return (
    <section className="card" aria-labelledby="try-title">
      <div className="card-head"><div><h2 id="try-title">Try it</h2><p>Classify a sample inquiry through the chain above, exactly as a lead would be (nothing is stored).</p></div></div>
      <form className="card-body stack" onSubmit={(e) => { e.preventDefault(); run.mutate({ text }); }}>
        <div className="field">
          <label htmlFor="try-text">Inquiry text</label>
          <textarea id="try-text" rows={3} style={{ minHeight: 72, fontFamily: "inherit", fontSize: 14 }} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={errors.text ? true : undefined} placeholder="We're 2,000 people and need SSO and a quote before the end of the quarter." />
          {errors.text ? <span className="field-error">{errors.text[0]}</span> : null}
        </div>
        <div><button type="submit" className="btn btn-primary" disabled={run.isPending}>{run.isPending ? "Classifying…" : "Classify"}</button></div>
        {run.isError && !errors.text ? <p role="alert" className="field-error">{run.error.message}</p> : null}
        {r ? (
          <div role="status" className="stack" style={{ gap: 6 }}>
            <div><strong>{humanize(r.classification.category)}</strong> · {formatPercent(r.classification.confidence, 0)} confidence · {humanize(r.classification.urgency)} urgency{r.classification.timelineDays != null ? ` · timeline ${r.classification.timelineDays} days` : ""} · by {classifierLabel(r.classification.classifier)} in {ms(r.ms)}</div>
            <p className="small" style={{ margin: 0, background: "var(--surface-2)", padding: "8px 10px", borderRadius: 6 }}>{r.classification.briefing}</p>
            {r.attempts.length > 1 ? <p className="small muted" style={{ margin: 0 }}>{r.attempts.map((a) => `${classifierLabel(a.classifier)} ${a.ok ? "answered" : `failed (${a.error})`}`).join(" → ")}</p> : null}
          </div>
        ) : null}
      </form>
    </section>
  );
}
