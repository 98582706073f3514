"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { humanize } from "@/lib/format";
import { DEFAULT_MAPPINGS } from "@/lib/ingest/mapping";
import { useTRPC } from "../../../_trpc/client";
import type { RouterOutputs } from "../../../_trpc/types";
import { formatDateTime } from "../../../_components/dates";
import { EmptyState, ErrorState, TableSkeleton } from "../../../_components/states";
import { SettingsNav } from "../settings-nav";
import { DialogActions, fieldErrors, ModalDialog } from "../../../_components/dialog";

type Inbound = RouterOutputs["settings"]["inbound"];
type Source = Inbound["sources"][number];

const KINDS = [
  { value: "standard_webhooks", label: "Standard Webhooks", hint: "Signed with webhook-id, webhook-timestamp and webhook-signature (standardwebhooks.com). We generate the secret." },
  { value: "json", label: "Generic JSON", hint: "Signed with Switchyard-Signature: t=…,v1=… (HMAC-SHA256), or sent with a workspace API key. Map fields below." },
  { value: "form", label: "HTML form (form-encoded)", hint: "application/x-www-form-urlencoded, signed like generic JSON. Default mapping: email, first_name, last_name, company, message…" },
  { value: "hubspot", label: "HubSpot (signature v3)", hint: "Paste your HubSpot app's client secret; HubSpot signs method, URL, body and timestamp." },
  { value: "typeform", label: "Typeform", hint: "Paste the secret you set on the Typeform webhook; answers are mapped by field ref." },
] as const;

function webhookUrl(id: string): string {
  return `${typeof window === "undefined" ? "" : window.location.origin}/api/v1/sources/${id}/webhook`;
}

export function InboundView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.settings.inbound.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.settings.inbound.queryKey() });
  const [shown, setShown] = useState<{ title: string; secret: string; detail?: string } | null>(null);
  const [editing, setEditing] = useState<Source | null>(null);

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>Where leads come from: webhook sources with their signing secrets, and API keys for the generic endpoint. <a href="/api-docs">API reference →</a></p>
        </div>
      </div>
      <SettingsNav />
      {shown ? (
        <div className="card" role="status" style={{ marginBottom: 16, borderColor: "#b7e4cf" }}>
          <div className="card-head"><div><h2>{shown.title}</h2><p>Copy it now: it is shown once and stored only {shown.secret.startsWith("sy_") ? "as a hash" : "encrypted"}.</p></div>
            <button type="button" className="btn" onClick={() => setShown(null)}>Done</button></div>
          <div className="card-body stack">
            <div className="row"><code className="secret" data-testid="shown-secret">{shown.secret}</code>
              <button type="button" className="btn" onClick={() => void navigator.clipboard?.writeText(shown.secret)}>Copy</button></div>
            {shown.detail ? <p className="small muted" style={{ margin: 0 }}>{shown.detail}</p> : null}
          </div>
        </div>
      ) : null}
      {q.isPending ? <div className="card"><TableSkeleton /></div> : q.isError ? (
        <ErrorState title="Sources and keys could not be loaded" error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <div className="stack">
          <SourcesCard sources={q.data.sources} onChanged={invalidate} onSecret={setShown} onEdit={setEditing} />
          <KeysCard keys={q.data.keys} onChanged={invalidate} onSecret={setShown} />
        </div>
      )}
      {editing ? <MappingDialog source={editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); void invalidate(); }} /> : null}
    </div>
  );
}

function SourcesCard({ sources, onChanged, onSecret, onEdit }: {
  sources: Source[];
  onChanged: () => void;
  onSecret: (s: { title: string; secret: string; detail?: string }) => void;
  onEdit: (s: Source) => void;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<(typeof KINDS)[number]["value"]>("standard_webhooks");
  const [theirSecret, setTheirSecret] = useState("");
  const create = useMutation(trpc.settings.createSource.mutationOptions({
    onSuccess: (r) => {
      onSecret({ title: `Signing secret for “${r.source.name}”`, secret: r.secret, detail: `Webhook URL: ${webhookUrl(r.source.id)}` });
      setName("");
      setTheirSecret("");
      onChanged();
    },
  }));
  const rotate = useMutation(trpc.settings.rotateSourceSecret.mutationOptions({ onSuccess: (r) => { onSecret({ title: "New signing secret", secret: r.secret, detail: "The old secret stops working now." }); onChanged(); } }));
  const update = useMutation(trpc.settings.updateSource.mutationOptions({ onSuccess: onChanged }));
  const errors = fieldErrors(create.error);
  const needsTheirs = kind === "hubspot" || kind === "typeform";
  return (
    <section className="card">
      <div className="card-head"><div><h2>Webhook sources</h2><p>Each source has its own URL, signature scheme, field mapping and rate limit.</p></div></div>
      {sources.length === 0 ? (
        <EmptyState title="No sources yet"><p>Add one below for each form tool, CRM or automation that sends leads.</p></EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th scope="col">Source</th><th scope="col">Webhook URL</th><th scope="col">Secret</th><th scope="col">Last lead</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {sources.map((s) => (
                <tr key={s.id}>
                  <td><strong>{s.name}</strong><div className="muted small">{KINDS.find((k) => k.value === s.kind)?.label ?? s.kind} · {(s.settings as { rateLimitPerMinute?: number }).rateLimitPerMinute ?? 600}/min</div></td>
                  <td className="mono small" style={{ maxWidth: 300, wordBreak: "break-all" }}>/api/v1/sources/{s.id}/webhook</td>
                  <td className="mono small">····{s.secret_hint}</td>
                  <td className="muted">{formatDateTime(s.last_received_at)}</td>
                  <td>{s.active ? <span className="badge badge-good">Active</span> : <span className="badge">Disabled</span>}</td>
                  <td>
                    <div className="row" style={{ gap: 6, flexWrap: "nowrap" }}>
                      <button type="button" className="btn" onClick={() => onEdit(s)}>Mapping…</button>
                      <button type="button" className="btn" disabled={rotate.isPending} onClick={() => { if (window.confirm(`Rotate the secret of “${s.name}”? The sender must switch to the new one.`)) rotate.mutate({ sourceId: s.id }); }}>Rotate secret</button>
                      <button type="button" className="btn" disabled={update.isPending} onClick={() => update.mutate({ sourceId: s.id, active: !s.active })}>{s.active ? "Disable" : "Enable"}</button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="card-body" style={{ borderTop: "1px solid var(--border)" }} onSubmit={(e) => { e.preventDefault(); create.mutate({ name, kind, secret: needsTheirs && theirSecret ? theirSecret : undefined }); }}>
        <h3 style={{ marginBottom: 10 }}>Add a source</h3>
        <div className="row" style={{ alignItems: "flex-start" }}>
          <div className="field">
            <label htmlFor="src-name">Name</label>
            <input id="src-name" type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="Pricing page form" aria-invalid={errors.name ? true : undefined} />
            {errors.name ? <span className="field-error">{errors.name[0]}</span> : null}
          </div>
          <div className="field">
            <label htmlFor="src-kind">Kind</label>
            <select id="src-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
              {KINDS.map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}
            </select>
          </div>
          {needsTheirs ? (
            <div className="field">
              <label htmlFor="src-secret">Their secret (optional)</label>
              <input id="src-secret" type="password" value={theirSecret} onChange={(e) => setTheirSecret(e.target.value)} aria-invalid={errors.secret ? true : undefined} />
              {errors.secret ? <span className="field-error">{errors.secret[0]}</span> : null}
            </div>
          ) : null}
          <button className="btn btn-primary" type="submit" disabled={create.isPending} style={{ marginTop: 22 }}>Add source</button>
        </div>
        <p className="small muted" style={{ marginBottom: 0 }}>{KINDS.find((k) => k.value === kind)?.hint}</p>
        {create.error && Object.keys(errors).length === 0 ? <ErrorState title="Could not add the source" error={create.error} /> : null}
      </form>
    </section>
  );
}

function KeysCard({ keys, onChanged, onSecret }: { keys: Inbound["keys"]; onChanged: () => void; onSecret: (s: { title: string; secret: string; detail?: string }) => void }) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const create = useMutation(trpc.settings.createApiKey.mutationOptions({
    onSuccess: (r) => { onSecret({ title: `API key “${r.apiKey.name}”`, secret: r.key, detail: "Send it as Authorization: Bearer <key> to POST /api/v1/leads and /api/v1/leads/{id}/events." }); setName(""); onChanged(); },
  }));
  const revoke = useMutation(trpc.settings.revokeApiKey.mutationOptions({ onSuccess: onChanged }));
  const errors = fieldErrors(create.error);
  return (
    <section className="card">
      <div className="card-head"><div><h2>API keys</h2><p>For POST /api/v1/leads and outcome events. Stored as a hash; revoke any time.</p></div></div>
      {keys.length === 0 ? <EmptyState title="No API keys"><p>Create one for your website backend or CRM sync.</p></EmptyState> : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col" className="num">Limit / min</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td><strong>{k.name}</strong></td>
                  <td className="mono small">{k.prefix}_…</td>
                  <td className="muted">{formatDateTime(k.created_at)}</td>
                  <td className="muted">{formatDateTime(k.last_used_at)}</td>
                  <td className="num">{k.rate_limit_per_minute.toLocaleString("en-US")}</td>
                  <td>{k.revoked_at ? <span className="badge">Revoked</span> : <span className="badge badge-good">Active</span>}</td>
                  <td>{k.revoked_at ? null : <button type="button" className="btn" disabled={revoke.isPending} onClick={() => { if (window.confirm(`Revoke “${k.name}”? Requests with it will get 401 at once.`)) revoke.mutate({ keyId: k.id }); }}>Revoke</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="card-body row" style={{ borderTop: "1px solid var(--border)", alignItems: "flex-start" }} onSubmit={(e) => { e.preventDefault(); create.mutate({ name }); }}>
        <div className="field">
          <label htmlFor="key-name">New key name</label>
          <input id="key-name" type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="Website backend" aria-invalid={errors.name ? true : undefined} />
          {errors.name ? <span className="field-error">{errors.name[0]}</span> : null}
        </div>
        <button className="btn btn-primary" type="submit" disabled={create.isPending} style={{ marginTop: 22 }}>Create key</button>
      </form>
    </section>
  );
}

function MappingDialog({ source, onClose, onSaved }: { source: Source; onClose: () => void; onSaved: () => void }) {
  const trpc = useTRPC();
  const current = source.field_mapping as Record<string, unknown>;
  const initial = Object.keys(current).length ? current : DEFAULT_MAPPINGS[source.kind] ?? {};
  const [text, setText] = useState(JSON.stringify(initial, null, 2));
  const [parseError, setParseError] = useState<string | null>(null);
  const save = useMutation(trpc.settings.updateSource.mutationOptions({ onSuccess: onSaved }));
  const errors = fieldErrors(save.error);
  return (
    <ModalDialog width="min(720px, 96vw)" labelledBy="map-title" onClose={onClose}>
      <form method="dialog" onSubmit={(e) => {
        e.preventDefault();
        let mapping: Record<string, string | string[]>;
        try {
          mapping = JSON.parse(text);
        } catch (err) {
          setParseError(`Not valid JSON: ${(err as Error).message}`);
          return;
        }
        setParseError(null);
        save.mutate({ sourceId: source.id, fieldMapping: mapping });
      }}>
        <div className="card-head"><div><h2 id="map-title">Field mapping — {source.name}</h2><p>Target field in the lead → where to find it in the payload. Empty means the payload already is a Switchyard lead.</p></div></div>
        <div className="card-body stack">
          <label htmlFor="mapping-json" className="sr-only">Mapping JSON</label>
          <textarea id="mapping-json" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} aria-invalid={parseError || Object.keys(errors).length ? true : undefined} />
          {parseError ? <span className="field-error">{parseError}</span> : null}
          {Object.entries(errors).map(([k, v]) => <span key={k} className="field-error">{humanize(k.replace(/^fieldMapping\.?/, "")) || "Mapping"}: {v[0]}</span>)}
          <p className="small muted" style={{ margin: 0 }}>
            Paths: <code>a.b</code>, <code>items[0].x</code>, <code>answers[field.ref=email].email</code>, <code>$header.x-name</code>, constants <code>{"'web'"}</code>, or a list to join.
          </p>
        </div>
        <DialogActions onCancel={onClose}>
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>Save mapping</button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}
