"use client";

import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { RoutePathDialog } from "./route-path-dialog";
import { formatMinutes, formatPercent, humanize } from "@/lib/format";
import { useTRPC } from "../../_trpc/client";
import type { RouterOutputs } from "../../_trpc/types";
import { formatFullDateTime } from "../../_components/dates";
import { EmptyState, ErrorState, TableSkeleton } from "../../_components/states";

type Overview = RouterOutputs["routing"]["overview"];

interface TableDefinition {
  hitPolicy?: string;
  inputs?: Array<{ field: string; label?: string; type?: string }>;
  outputs?: Array<{ name: string; label?: string }>;
  rules?: Array<{ id: string; when: Record<string, string>; then: Record<string, unknown>; annotation?: string }>;
}

function describeDestination(d: Record<string, unknown>, reps: Overview["reps"]): string {
  const strategies = (d.strategies as Array<Record<string, unknown>> | undefined) ?? [];
  const names = new Map(reps.map((r) => [r.id, r.name]));
  const parts = strategies.map((s) => {
    switch (s.kind) {
      case "account_owner": return "account owner";
      case "round_robin": {
        const ids = (s.repIds as string[] | undefined) ?? [];
        const who = ids.length ? ` over ${ids.map((id) => names.get(id) ?? "a removed rep").join(", ")}` : "";
        return `weighted round robin${who}${s.matchTerritory ? ", by territory" : ""}`;
      }
      case "queue": return `queue “${String(s.queue)}”`;
      case "rep": return names.get(String(s.repId)) ?? "a named rep";
      default: return humanize(String(s.kind));
    }
  });
  return parts.length ? parts.join(" → ") : "—";
}

export function RoutingView({ canEdit, isAdmin }: { canEdit: boolean; isAdmin: boolean }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.routing.overview.queryOptions());
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Routing</h1>
          <p>The route path catalog and the published decision table that live routing uses.</p>
        </div>
      </div>
      {q.isPending ? <div className="card"><TableSkeleton /></div> : q.isError ? (
        <ErrorState title="Routing configuration could not be loaded" error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <div className="stack">
          <RoutePaths routePaths={q.data.routePaths} reps={q.data.reps} canEdit={canEdit} />
          {q.data.tables.length === 0 ? (
            <div className="card"><EmptyState title="No decision table yet"><p>A decision table maps lead facts to a route path. Create one to start routing.</p></EmptyState></div>
          ) : q.data.tables.map((t) => <TableCard key={t.id} table={t} />)}
          <PolicyCard isAdmin={isAdmin} />
        </div>
      )}
    </div>
  );
}

function RoutePaths({ routePaths, reps, canEdit }: { routePaths: Overview["routePaths"]; reps: Overview["reps"]; canEdit: boolean }) {
  const [editing, setEditing] = useState<Overview["routePaths"][number] | null>(null);
  return (
    <section className="card">
      <div className="card-head">
        <div>
          <h2>Route paths</h2>
          <p>Each outcome of the decision table: what triggers it, where it sends the lead, and how fast it must be touched.</p>
        </div>
      </div>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Route path</th>
              <th scope="col">Triggered by</th>
              <th scope="col">Destination</th>
              <th scope="col" className="num">SLA</th>
              <th scope="col" className="num">Min. AI confidence</th>
              <th scope="col">Fallback</th>
              {canEdit ? <th scope="col"><span className="sr-only">Actions</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {routePaths.map((rp) => (
              <tr key={rp.id}>
                <td>
                  <span className="badge"><span className="dot" style={{ background: rp.color }} />{rp.name}</span>
                  <div className="muted small mono" style={{ marginTop: 4 }}>{rp.key} · {humanize(rp.kind)}</div>
                </td>
                <td style={{ maxWidth: 360 }}>{rp.trigger_summary || "—"}</td>
                <td style={{ maxWidth: 380 }}>{describeDestination(rp.destination, reps)}</td>
                <td className="num">{rp.sla_minutes ? `${formatMinutes(rp.sla_minutes)} (business)` : "—"}</td>
                <td className="num">{rp.confidence_threshold != null ? formatPercent(rp.confidence_threshold, 0) : "—"}</td>
                <td className="mono small">{rp.fallback_route_key ?? "—"}</td>
                {canEdit ? <td><button type="button" className="btn btn-sm" onClick={() => setEditing(rp)} aria-label={`Edit ${rp.name}`}>Edit</button></td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing ? <RoutePathDialog routePath={editing} routePaths={routePaths} reps={reps} onClose={() => setEditing(null)} /> : null}
    </section>
  );
}

function PolicyCard({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.routing.policy.queryOptions());
  const save = useMutation(trpc.routing.savePolicy.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() }) }));
  return (
    <section className="card" aria-labelledby="policy-h">
      <div className="card-head">
        <div>
          <h2 id="policy-h">Publishing policy</h2>
          <p>Every publish needs: no errors in the table, all its test cases passing, and a simulation of the final draft from the last 24 hours.</p>
        </div>
      </div>
      <div className="card-body">
        <label className="row" style={{ gap: 8 }}>
          <input type="checkbox" checked={q.data?.requireApprover ?? false} disabled={!isAdmin || !q.data || save.isPending}
            onChange={(e) => save.mutate({ requireApprover: e.target.checked })} />
          Also require a second admin or ops user to approve a draft before it is published
        </label>
        {!isAdmin ? <p className="muted small">Only admins change the publishing policy.</p> : null}
        {save.error ? <div className="error-box" role="alert">{save.error.message}</div> : null}
      </div>
    </section>
  );
}

function TableCard({ table }: { table: Overview["tables"][number] }) {
  const def = (table.definition ?? {}) as TableDefinition;
  const inputs = def.inputs ?? [];
  const outputs = def.outputs ?? [];
  return (
    <section className="card">
      <div className="card-head">
        <div>
          <h2>{table.name}</h2>
          <p>
            {table.published_version
              ? <>Version {table.published_version} published {formatFullDateTime(table.published_at)}{table.published_by_name ? ` by ${table.published_by_name}` : ""} · {def.hitPolicy ?? "FIRST"} hit policy · {def.rules?.length ?? 0} rules</>
              : "No published version — leads go to the review queue until one is published."}
          </p>
        </div>
        <div className="row" style={{ gap: 8, alignItems: "center" }}>
          <span className="badge">{table.version_count} version{table.version_count === 1 ? "" : "s"}</span>
          <Link className="btn btn-primary btn-sm" href={`/routing/${table.id}`}>Edit, test &amp; simulate</Link>
        </div>
      </div>
      {def.rules?.length ? (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Rule</th>
                {inputs.map((i) => <th key={i.field} scope="col">{i.label ?? humanize(i.field)}</th>)}
                {outputs.map((o) => <th key={o.name} scope="col" style={{ background: "#eef2fe" }}>{o.label ?? humanize(o.name)}</th>)}
              </tr>
            </thead>
            <tbody>
              {def.rules.map((r) => (
                <tr key={r.id}>
                  <td className="mono small" title={r.annotation}>{r.id}</td>
                  {inputs.map((i) => <td key={i.field} className="mono small">{r.when[i.field] ?? "-"}</td>)}
                  {outputs.map((o) => <td key={o.name} className="mono small"><strong>{String(r.then[o.name] ?? "")}</strong></td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
