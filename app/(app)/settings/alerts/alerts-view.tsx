"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../../../_trpc/client";
import type { RouterOutputs } from "../../../_trpc/types";
import { formatDateTime } from "../../../_components/dates";
import { fieldErrors } from "../../../_components/dialog";
import { EmptyState, ErrorState, TableSkeleton } from "../../../_components/states";
import { SettingsNav } from "../settings-nav";

type Alerts = RouterOutputs["settings"]["alerts"];

const EVENTS = [
  { value: "lead.assigned", label: "Lead assigned (set owner, create task)" },
  { value: "lead.reassigned", label: "Lead reassigned" },
  { value: "sla.reminder", label: "SLA reminder" },
  { value: "sla.breached", label: "SLA breached" },
] as const;

const KIND_LABELS: Record<string, string> = { deliver: "Delivery", "sla.step": "SLA step" };

export function AlertsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.settings.alerts.queryOptions());
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.settings.alerts.queryKey() });
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>Where alerts go besides the bell: webhooks to your CRM or task tool, each team&apos;s Slack channel — and what could not be delivered.</p>
        </div>
      </div>
      <SettingsNav />
      {secret ? (
        <div className="card" role="status" style={{ marginBottom: 16, borderColor: "#b7e4cf" }}>
          <div className="card-head"><div><h2>Signing secret for “{secret.name}”</h2><p>Copy it now: it is shown once and stored encrypted. Verify each delivery with it (Standard Webhooks).</p></div>
            <button type="button" className="btn" onClick={() => setSecret(null)}>Done</button></div>
          <div className="card-body"><div className="row"><code className="secret" data-testid="webhook-secret">{secret.secret}</code>
            <button type="button" className="btn" onClick={() => void navigator.clipboard?.writeText(secret.secret)}>Copy</button></div></div>
        </div>
      ) : null}
      {q.isPending ? <div className="card"><TableSkeleton /></div> : q.isError ? (
        <ErrorState title="Alert settings could not be loaded" error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <div className="stack">
          <DeadLetters dead={q.data.dead} onChanged={invalidate} />
          <WebhooksCard hooks={q.data.webhooks} onChanged={invalidate} onSecret={setSecret} />
          <SlackCard teams={q.data.teams} onChanged={invalidate} />
        </div>
      )}
    </div>
  );
}

function DeadLetters({ dead, onChanged }: { dead: Alerts["dead"]; onChanged: () => void }) {
  const trpc = useTRPC();
  const [done, setDone] = useState<string | null>(null);
  const retry = useMutation(trpc.settings.retryDeadLetters.mutationOptions({ onSuccess: (r) => { setDone(`${r.retried} queued again.`); onChanged(); } }));
  return (
    <section className="card" data-testid="dead-letters">
      <div className="card-head">
        <div>
          <h2>Failed deliveries</h2>
          <p>Alerts and steps that failed on every attempt (retried with backoff for about an hour). Fix the cause, then retry.</p>
        </div>
        {dead.length ? <button type="button" className="btn btn-primary" disabled={retry.isPending} onClick={() => retry.mutate({ ids: "all" })}>Retry all ({dead.length})</button> : null}
      </div>
      {done ? <p className="card-body" role="status" style={{ margin: 0 }}>{done}</p> : null}
      {retry.error ? <div className="card-body"><ErrorState title="Could not retry" error={retry.error} /></div> : null}
      {dead.length === 0 ? <EmptyState title="Nothing failed"><p>Every alert reached its channel. Failures that outlast their retries show up here with a Retry button.</p></EmptyState> : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th scope="col">Failed</th><th scope="col">What</th><th scope="col">Lead</th><th scope="col">Last error</th><th scope="col" className="num">Attempts</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {dead.map((d) => (
                <tr key={d.id}>
                  <td className="muted">{formatDateTime(d.finishedAt)}</td>
                  <td>{KIND_LABELS[d.kind] ?? d.kind}{d.channel ? ` · ${d.channel === "webhook" ? "Webhook" : d.channel === "slack" ? "Slack" : d.channel}` : ""}{d.what ? <div className="muted small">{d.what}</div> : null}</td>
                  <td>{d.leadId ? <Link href={`/leads/${d.leadId}`}>{d.lead}</Link> : "—"}{d.company ? <div className="muted small">{d.company}</div> : null}</td>
                  <td className="small" style={{ maxWidth: 360 }}>{d.lastError ?? "—"}</td>
                  <td className="num">{d.attempts}</td>
                  <td><button type="button" className="btn" disabled={retry.isPending} onClick={() => retry.mutate({ ids: [d.id] })}>Retry</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function WebhooksCard({ hooks, onChanged, onSecret }: { hooks: Alerts["webhooks"]; onChanged: () => void; onSecret: (s: { name: string; secret: string }) => void }) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<string[]>(EVENTS.map((e) => e.value));
  const create = useMutation(trpc.settings.createOutboundWebhook.mutationOptions({
    onSuccess: (r) => { onSecret({ name: r.webhook.name, secret: r.secret }); setName(""); setUrl(""); onChanged(); },
  }));
  const toggle = useMutation(trpc.settings.setOutboundWebhookActive.mutationOptions({ onSuccess: onChanged }));
  const remove = useMutation(trpc.settings.deleteOutboundWebhook.mutationOptions({ onSuccess: onChanged }));
  const errors = fieldErrors(create.error);
  return (
    <section className="card">
      <div className="card-head"><div><h2>Outbound webhooks</h2><p>JSON POSTs signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature). <a href="/api-docs">Payloads →</a></p></div></div>
      {hooks.length === 0 ? <EmptyState title="No webhooks"><p>Add one to set the owner and create the first-touch task in your CRM, or to page a task tool on a breach.</p></EmptyState> : (
        <div className="table-wrap">
          <table className="data">
            <thead><tr><th scope="col">Endpoint</th><th scope="col">Events</th><th scope="col">Added</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {hooks.map((h) => (
                <tr key={h.id}>
                  <td><strong>{h.name}</strong><div className="mono small" style={{ wordBreak: "break-all" }}>{h.url}</div></td>
                  <td className="small">{h.event_types.length ? h.event_types.join(", ") : "all"}</td>
                  <td className="muted">{formatDateTime(h.created_at)}</td>
                  <td>{h.active ? <span className="badge badge-good">Active</span> : <span className="badge">Off</span>}</td>
                  <td><div className="row" style={{ gap: 6, flexWrap: "nowrap" }}>
                    <button type="button" className="btn" disabled={toggle.isPending} onClick={() => toggle.mutate({ id: h.id, active: !h.active })}>{h.active ? "Turn off" : "Turn on"}</button>
                    <button type="button" className="btn" disabled={remove.isPending} onClick={() => { if (window.confirm(`Remove “${h.name}”? Pending deliveries to it will fail.`)) remove.mutate({ id: h.id }); }}>Remove</button>
                  </div></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="card-body" style={{ borderTop: "1px solid var(--border)" }} onSubmit={(e) => { e.preventDefault(); create.mutate({ name, url, eventTypes: events as Array<(typeof EVENTS)[number]["value"]> }); }}>
        <h3 style={{ marginBottom: 10 }}>Add an endpoint</h3>
        <div className="row" style={{ alignItems: "flex-start" }}>
          <div className="field">
            <label htmlFor="wh-name">Name</label>
            <input id="wh-name" type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="Salesforce task sync" aria-invalid={errors.name ? true : undefined} />
            {errors.name ? <span className="field-error">{errors.name[0]}</span> : null}
          </div>
          <div className="field" style={{ minWidth: 320 }}>
            <label htmlFor="wh-url">URL</label>
            <input id="wh-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://crm.example.com/hooks/switchyard" aria-invalid={errors.url ? true : undefined} />
            {errors.url ? <span className="field-error">{errors.url[0]}</span> : null}
          </div>
          <button className="btn btn-primary" type="submit" disabled={create.isPending} style={{ marginTop: 22 }}>Add endpoint</button>
        </div>
        <fieldset className="row" style={{ border: 0, padding: 0, margin: "8px 0 0", gap: 16 }}>
          <legend className="small muted" style={{ marginBottom: 4 }}>Events</legend>
          {EVENTS.map((ev) => (
            <label key={ev.value} className="small" style={{ display: "inline-flex", gap: 6, alignItems: "center" }}>
              <input type="checkbox" checked={events.includes(ev.value)} onChange={(e) => setEvents(e.target.checked ? [...events, ev.value] : events.filter((x) => x !== ev.value))} />
              {ev.label}
            </label>
          ))}
        </fieldset>
        {errors.eventTypes ? <span className="field-error">{errors.eventTypes[0]}</span> : null}
        {create.error && Object.keys(errors).length === 0 ? <ErrorState title="Could not add the endpoint" error={create.error} /> : null}
      </form>
    </section>
  );
}

function SlackCard({ teams, onChanged }: { teams: Alerts["teams"]; onChanged: () => void }) {
  return (
    <section className="card">
      <div className="card-head"><div><h2>Team Slack channels</h2><p>An incoming webhook per team: SLA breaches on the team&apos;s leads are posted there with a link to the lead.</p></div></div>
      <div className="table-wrap">
        <table className="data">
          <thead><tr><th scope="col">Team</th><th scope="col">Slack incoming webhook</th></tr></thead>
          <tbody>{teams.map((t) => <SlackRow key={t.id} team={t} onChanged={onChanged} />)}</tbody>
        </table>
      </div>
    </section>
  );
}

function SlackRow({ team, onChanged }: { team: Alerts["teams"][number]; onChanged: () => void }) {
  const trpc = useTRPC();
  const [editing, setEditing] = useState(false);
  const [url, setUrl] = useState("");
  const save = useMutation(trpc.settings.setTeamSlack.mutationOptions({ onSuccess: () => { setEditing(false); setUrl(""); onChanged(); } }));
  const errors = fieldErrors(save.error);
  return (
    <tr>
      <td><strong>{team.name}</strong></td>
      <td>
        {editing ? (
          <form className="row" style={{ gap: 6 }} onSubmit={(e) => { e.preventDefault(); save.mutate({ teamId: team.id, url }); }}>
            <label className="sr-only" htmlFor={`slack-${team.id}`}>Slack incoming webhook URL for {team.name}</label>
            <input id={`slack-${team.id}`} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://hooks.slack.com/services/…" style={{ minWidth: 340 }} aria-invalid={errors.url ? true : undefined} autoFocus />
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>Save</button>
            <button type="button" className="btn" onClick={() => setEditing(false)}>Cancel</button>
            {errors.url ? <span className="field-error">{errors.url[0]}</span> : null}
          </form>
        ) : (
          <div className="row" style={{ gap: 8 }}>
            {team.slack ? <span className="mono small">{team.slack}</span> : team.slackUnreadable ? <span className="badge badge-bad">Cannot be read (AUTH_SECRET changed): set it again</span> : <span className="muted">Not set</span>}
            <button type="button" className="btn" onClick={() => setEditing(true)}>{team.slack ? "Change" : "Set"}</button>
            {team.slack ? <button type="button" className="btn" disabled={save.isPending} onClick={() => save.mutate({ teamId: team.id, url: null })}>Clear</button> : null}
          </div>
        )}
      </td>
    </tr>
  );
}
