"use client";

import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { formatCount, formatMoney, formatPercent } from "@/lib/format";
import { useTRPC } from "../../../_trpc/client";
import type { RouterOutputs } from "../../../_trpc/types";
import { fieldErrors } from "../../../_components/dialog";
import { formatFullDateTime } from "../../../_components/dates";
import { EmptyState, ErrorState, TableSkeleton } from "../../../_components/states";
import type { EditorData } from "./editor-view";

type Sim = RouterOutputs["routing"]["simulation"];
type Result = NonNullable<Sim["result"]>;
type Est = { value: number; low: number; high: number; sample: number } | null;

const PRESETS = [30, 90, 180, 365] as const;
const DAY = 86_400_000;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
/** A run's period as days: its end is exclusive. */
const periodText = (start: Date, end: Date) => `${isoDay(new Date(start))} – ${isoDay(new Date(new Date(end).getTime() - 1))}`;

export function SimulateTab({ data, canEdit }: { data: EditorData; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [days, setDays] = useState<number | "custom">(90);
  const [from, setFrom] = useState(isoDay(new Date(Date.now() - 90 * DAY)));
  const [to, setTo] = useState(isoDay(new Date()));
  const runs = useQuery(trpc.routing.simulations.queryOptions({ id: data.table.id }));
  // A link from elsewhere (a monthly review's action item) may name the run to show: ?sim=<id>.
  const linked = useSearchParams().get("sim");
  const [selected, setSelected] = useState<string | null>(linked);
  const [routes, setRoutes] = useState<string[]>([]);
  const overview = useQuery(trpc.routing.overview.queryOptions());
  const current = selected ?? runs.data?.[0]?.id ?? null;
  const start = useMutation(trpc.routing.simulate.mutationOptions({
    onSuccess: async (r) => {
      setSelected(r.id);
      await queryClient.invalidateQueries({ queryKey: trpc.routing.simulations.pathKey() });
    },
  }));
  const errors = fieldErrors(start.error);
  const draftId = data.draftVersionId;

  const run = () => {
    if (!draftId) return;
    const now = new Date();
    const since = days === "custom" ? new Date(`${from}T00:00:00`) : new Date(now.getTime() - days * DAY);
    const until = days === "custom" ? new Date(new Date(`${to}T00:00:00`).getTime() + DAY) : now;
    start.mutate({ versionId: draftId, since, until, routes: routes.length ? routes : undefined });
  };

  return (
    <div className="stack">
      <section className="card" aria-labelledby="sim-h">
        <div className="card-head">
          <div>
            <h2 id="sim-h">What-if simulation</h2>
            <p>Replays historical leads — each with the facts it had when it arrived — through the live version and the draft, with owner assignment replayed on both sides.</p>
          </div>
        </div>
        <div className="card-body">
          {!draftId ? (
            <p className="muted">Open a draft on the Rules tab to simulate a change.</p>
          ) : (
            <form className="row" style={{ gap: 12, alignItems: "flex-end", flexWrap: "wrap" }} onSubmit={(e) => { e.preventDefault(); run(); }}>
              <div className="field" style={{ margin: 0 }}>
                <span id="period-label">History</span>
                <div className="segmented" role="group" aria-labelledby="period-label">
                  {PRESETS.map((p) => <button key={p} type="button" aria-pressed={days === p} onClick={() => setDays(p)}>{p} days</button>)}
                  <button type="button" aria-pressed={days === "custom"} onClick={() => setDays("custom")}>Custom</button>
                </div>
              </div>
              {days === "custom" ? (
                <>
                  <label className="field" style={{ margin: 0 }}><span>From</span><input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={errors.since ? true : undefined} /></label>
                  <label className="field" style={{ margin: 0 }}><span>To (inclusive)</span><input type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={errors.until ? true : undefined} /></label>
                </>
              ) : null}
              <details className="field" style={{ margin: 0 }}>
                <summary>{routes.length ? `Only leads history sent to ${routes.length} route path${routes.length === 1 ? "" : "s"}` : "All route paths"}</summary>
                <div className="row" style={{ gap: 10, flexWrap: "wrap", marginTop: 6 }}>
                  {(overview.data?.routePaths ?? []).map((p) => (
                    <label key={p.key} className="row small" style={{ gap: 4 }}>
                      <input type="checkbox" checked={routes.includes(p.key)} onChange={(e) => setRoutes(e.target.checked ? [...routes, p.key] : routes.filter((x) => x !== p.key))} /> {p.name}
                    </label>
                  ))}
                </div>
              </details>
              <button type="submit" className="btn btn-primary" disabled={!canEdit || start.isPending}>{start.isPending ? "Starting…" : `Simulate draft v${data.versions.find((v) => v.id === draftId)?.version ?? ""}`}</button>
              {!canEdit ? <span className="muted small">Only admin and ops users run simulations.</span> : null}
            </form>
          )}
          {start.error ? (
            <div className="error-box" role="alert" style={{ marginTop: 10 }}>
              {start.error.message}
              {Object.entries(errors).map(([k, v]) => <div key={k}>{v.join("; ")}</div>)}
            </div>
          ) : null}
        </div>
      </section>

      {runs.isPending ? <div className="card"><TableSkeleton rows={3} /></div> : runs.isError ? (
        <ErrorState title="Simulations could not be loaded" error={runs.error} onRetry={() => runs.refetch()} />
      ) : runs.data.length === 0 ? (
        <div className="card"><EmptyState title="No simulations yet">Run one above: it takes seconds even over a year of leads.</EmptyState></div>
      ) : (
        <>
          {current ? <SimulationView id={current} /> : null}
          <RunList runs={runs.data} current={current} onSelect={setSelected} />
        </>
      )}
    </div>
  );
}

function RunList({ runs, current, onSelect }: { runs: RouterOutputs["routing"]["simulations"]; current: string | null; onSelect: (id: string) => void }) {
  return (
    <section className="card" aria-labelledby="runs-h">
      <div className="card-head"><div><h2 id="runs-h">Saved simulations</h2><p>Every run is kept with the draft version it simulated; a run older than the draft's last save is marked stale.</p></div></div>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Run</th><th scope="col">Draft</th><th scope="col">Period</th><th scope="col" className="num">Leads</th><th scope="col" className="num">Changed</th>
              <th scope="col" className="num" title="Leads to the review queue, live replay → draft">Triage</th>
              <th scope="col" className="num" title="Projected SLA breaches, live replay → draft">SLA breaches</th>
              <th scope="col" className="num" title="Projected accepted leads, live replay → draft">Accepted</th>
              <th scope="col" className="num" title="Projected pipeline, live replay → draft">Pipeline</th>
              <th scope="col">Status</th><th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} aria-selected={r.id === current}>
                <td><button type="button" className="btn btn-sm btn-ghost" onClick={() => onSelect(r.id)} aria-pressed={r.id === current}>{formatFullDateTime(r.created_at)}</button></td>
                <td>v{r.draft_version}{r.baseline_version ? <span className="muted"> vs v{r.baseline_version}</span> : null}{r.stale ? <span className="badge badge-warn" style={{ marginLeft: 6 }}>stale</span> : null}</td>
                <td className="small">{periodText(r.period_start, r.period_end)}</td>
                <td className="num">{formatCount(r.lead_count)}</td>
                <td className="num">{r.summary ? formatCount(r.summary.changed) : "—"}</td>
                <td className="num nowrap">{r.summary ? <Pair a={r.summary.triage.baseline} b={r.summary.triage.draft} fmt={(x) => formatCount(Math.round(x))} /> : "—"}</td>
                <td className="num nowrap">{r.summary ? <Pair a={r.summary.slaBreaches.baseline} b={r.summary.slaBreaches.draft} fmt={(x) => formatCount(Math.round(x))} /> : "—"}</td>
                <td className="num nowrap">{r.summary ? <Pair a={r.summary.accepted.baseline} b={r.summary.accepted.draft} fmt={(x) => formatCount(Math.round(x))} /> : "—"}</td>
                <td className="num nowrap">{r.summary ? <Pair a={r.summary.pipeline.baseline} b={r.summary.pipeline.draft} fmt={(x) => formatMoney(x)} /> : "—"}</td>
                <td><StatusBadge status={r.status} progress={r.progress} />{r.error ? <div className="small muted">{r.error}</div> : null}</td>
                <td className="small">{r.created_by_name ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Pair({ a, b, fmt }: { a: number; b: number; fmt: (x: number) => string }) {
  return <>{fmt(a)} → <strong>{fmt(b)}</strong></>;
}

function StatusBadge({ status, progress }: { status: string; progress: number }) {
  const cls = status === "done" ? "badge-good" : status === "failed" ? "badge-bad" : status === "cancelled" ? "" : "badge-brand";
  return <span className={`badge ${cls}`}>{status === "running" ? `running ${Math.round(progress * 100)}%` : status}</span>;
}

function SimulationView({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery({
    ...trpc.routing.simulation.queryOptions({ id }),
    refetchInterval: (query) => (query.state.data && ["queued", "running"].includes(query.state.data.status) ? 400 : false),
  });
  const overview = useQuery(trpc.routing.overview.queryOptions());
  const cancel = useMutation(trpc.routing.cancelSimulation.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() }) }));
  const [cell, setCell] = useState<{ from: string | null; to: string | null } | null>(null);
  const status = q.data?.status;
  // A run that just finished changes what publishing needs, and the saved-runs list.
  useEffect(() => {
    if (status && !["queued", "running"].includes(status)) {
      void queryClient.invalidateQueries({ queryKey: trpc.routing.readiness.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.routing.simulations.pathKey() });
    }
  }, [status, queryClient, trpc]);

  if (q.isPending) return <div className="card"><TableSkeleton rows={4} /></div>;
  if (q.isError) return <ErrorState title="The simulation could not be loaded" error={q.error} onRetry={() => q.refetch()} />;
  const sim = q.data;
  if (sim.status === "queued" || sim.status === "running") {
    return (
      <section className="card card-body" aria-live="polite" data-testid="simulation-progress">
        <p>
          {sim.phase === "building"
            ? <>Preparing the stored history of this period (its first run, or days whose leads changed since)… {Math.round(sim.progress * 100)}%</>
            : <>Replaying {formatCount(sim.lead_count)} leads… {Math.round(sim.progress * 100)}%</>}
        </p>
        <progress max={1} value={sim.progress} style={{ width: "100%" }} aria-label="Simulation progress" />
        <button type="button" className="btn btn-sm" onClick={() => cancel.mutate({ id })} disabled={cancel.isPending} style={{ marginTop: 8 }}>Cancel</button>
      </section>
    );
  }
  if (sim.status !== "done" || !sim.result) {
    return <section className="card card-body"><StatusBadge status={sim.status} progress={sim.progress} /> {sim.error ?? (sim.status === "cancelled" ? "Cancelled before it finished; nothing was saved." : "")}</section>;
  }
  const r = sim.result;
  const names = new Map((overview.data?.routePaths ?? []).map((p) => [p.key, p.name]));
  const routeName = (k: string | null) => (k === null ? "none" : names.get(k) ?? k);
  const reps = new Map((overview.data?.reps ?? []).map((p) => [p.id, p]));
  const teamNames = new Map((overview.data?.teams ?? []).map((t) => [t.id, t.name]));

  return (
    <div className="stack" data-testid="simulation-result">
      <section className="card">
        <div className="card-head">
          <div>
            <h2>Draft v{r.draftVersion.version} vs {r.baselineVersion ? `live v${r.baselineVersion.version}` : "no live version"}</h2>
            <p>
              {formatCount(r.leads)} leads, {periodText(sim.period_start, sim.period_end)} · replayed in <span data-testid="sim-timing" data-threads={r.timings.threads ?? 1}>{(r.timings.totalMs / 1000).toFixed(1)} s{r.timings.threads === 2 ? " on two threads" : ""}</span>
              {sim.stale ? <strong> · stale: the draft changed after this run</strong> : null}
            </p>
          </div>
        </div>
        <div className="kpis" style={{ padding: 16 }}>
          <Kpi label="Leads routed differently" value={formatCount(r.changed)} sub={`${formatPercent(r.leads ? r.changed / r.leads : 0)} of the period`} testId="sim-changed" />
          <Kpi label="Different rule, same route" value={formatCount(Math.max(0, r.ruleChanged - r.changed))} sub="rule changed, route kept" />
          <Kpi label="Manual triage" value={`${formatPercent(r.leads ? r.triage.draft / r.leads : 0)}`} sub={`live version ${formatPercent(r.leads ? r.triage.baseline / r.leads : 0)} · history ${formatPercent(r.leads ? r.triage.actual / r.leads : 0)}`} />
          <Kpi label="Unassigned (no eligible owner)" value={formatCount(r.load.unassigned.draft)} sub={`live version ${formatCount(r.load.unassigned.baseline)}`} />
        </div>
      </section>

      <section className="card" aria-labelledby="flow-h">
        <div className="card-head"><div><h2 id="flow-h">Route flow</h2><p>Rows: where the live version sends the leads. Columns: where the draft sends them. Select a count to list its leads.</p></div></div>
        <FlowMatrix result={r} routeName={routeName} onSelect={setCell} selected={cell} />
        {cell ? <CellLeads id={id} cell={cell} routeName={routeName} onClose={() => setCell(null)} /> : null}
      </section>

      <section className="card" aria-labelledby="vol-h">
        <div className="card-head"><div><h2 id="vol-h">Volume by route path</h2><p>History as it happened, the live version replayed, and the draft. An unchanged draft equals the live replay exactly.</p></div></div>
        <div className="table-wrap">
          <table className="data" data-testid="sim-volumes">
            <thead><tr><th scope="col">Route path</th><th scope="col" className="num">History</th><th scope="col" className="num">Live replay</th><th scope="col" className="num">Draft</th><th scope="col" className="num">Change</th></tr></thead>
            <tbody>
              {r.volumes.map((v) => (
                <tr key={String(v.route)}>
                  <th scope="row">{routeName(v.route)}</th>
                  <td className="num">{formatCount(v.actual)}</td>
                  <td className="num">{formatCount(v.baseline)}</td>
                  <td className="num">{formatCount(v.draft)}</td>
                  <td className={`num ${v.draft > v.baseline ? "delta-bad" : v.draft < v.baseline ? "delta-good" : "delta-flat"}`} style={{ color: v.draft === v.baseline ? undefined : "var(--text)" }}>{signed(v.draft - v.baseline)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="out-h">
        <div className="card-head"><div><h2 id="out-h">Projected outcomes by route path <span className="badge badge-warn">estimates</span></h2><p>From history&apos;s own rates by priority tier × route path (tiers with under 20 leads use the path&apos;s overall rate); 95% intervals; sample = historical leads behind the rates.</p></div></div>
        <div className="table-wrap">
          <table className="data" data-testid="sim-outcomes">
            <thead><tr><th scope="col">Route path</th><th scope="col" className="num">Leads live → draft</th><th scope="col">Accepted</th><th scope="col">Meetings</th><th scope="col">Pipeline</th><th scope="col" className="num">Sample</th></tr></thead>
            <tbody>
              {r.outcomes.map((o) => (
                <tr key={o.route}>
                  <th scope="row">{routeName(o.route)}</th>
                  <td className="num">{formatCount(o.baseline.leads)} → {formatCount(o.draft.leads)}</td>
                  <td><EstPair a={o.baseline.accepted} b={o.draft.accepted} fmt={(x) => formatCount(Math.round(x))} /></td>
                  <td><EstPair a={o.baseline.meetings} b={o.draft.meetings} fmt={(x) => formatCount(Math.round(x))} /></td>
                  <td><EstPair a={o.baseline.pipeline} b={o.draft.pipeline} fmt={(x) => formatMoney(x)} /></td>
                  <td className="num">{formatCount(o.draft.accepted?.sample ?? o.draft.meetings?.sample ?? o.baseline.meetings?.sample ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="sla-h">
        <div className="card-head"><div><h2 id="sla-h">Projected SLA breaches <span className="badge badge-warn">estimates</span></h2><p>Each assignment at the receiving owner&apos;s historical rate of first touches slower than the path&apos;s SLA (their team&apos;s rate when they have under 10).</p></div></div>
        <div className="table-wrap">
          <table className="data" data-testid="sim-sla">
            <thead><tr><th scope="col">Route path</th><th scope="col" className="num">SLA</th><th scope="col" className="num">Assigned live → draft</th><th scope="col">Breaches (live)</th><th scope="col">Breaches (draft)</th><th scope="col" className="num">Sample</th></tr></thead>
            <tbody>
              {r.sla.map((s) => (
                <tr key={s.route}>
                  <th scope="row">{routeName(s.route)}</th>
                  <td className="num">{s.slaMinutes} min</td>
                  <td className="num">{formatCount(s.baselineAssigned)} → {formatCount(s.draftAssigned)}</td>
                  <td><Range e={s.baseline} fmt={(x) => formatCount(Math.round(x))} /></td>
                  <td><Range e={s.draft} fmt={(x) => formatCount(Math.round(x))} /></td>
                  <td className="num">{formatCount(s.draft.sample)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="team-h">
        <div className="card-head"><div><h2 id="team-h">Load per team</h2><p>Leads assigned to each team&apos;s reps, live replay and draft.</p></div></div>
        <div className="table-wrap">
          <table className="data" data-testid="sim-teams">
            <thead><tr><th scope="col">Team</th><th scope="col" className="num">Live</th><th scope="col" className="num">Draft</th><th scope="col" className="num">Change</th></tr></thead>
            <tbody>
              {r.load.teams.map((t) => (
                <tr key={t.teamId}><th scope="row">{teamNames.get(t.teamId) ?? "a removed team"}</th><td className="num">{formatCount(t.baseline)}</td><td className="num">{formatCount(t.draft)}</td><td className="num">{signed(t.draft - t.baseline)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="load-h">
        <div className="card-head"><div><h2 id="load-h">Load per rep</h2><p>Assignments replayed with each side&apos;s round-robin state, capacity caps and absences; peak day against the rep&apos;s daily cap.</p></div></div>
        <div className="table-wrap">
          <table className="data" data-testid="sim-load">
            <thead><tr><th scope="col">Rep</th><th scope="col">Team</th><th scope="col" className="num">Live</th><th scope="col" className="num">Draft</th><th scope="col" className="num">Change</th><th scope="col" className="num">Peak day (draft)</th><th scope="col" className="num">Daily cap</th><th scope="col" className="num">Days at cap</th><th scope="col" className="num">Skipped at capacity</th></tr></thead>
            <tbody>
              {r.load.reps.map((l) => (
                <tr key={l.repId}>
                  <th scope="row">{reps.get(l.repId)?.name ?? "a removed rep"}</th>
                  <td className="small">{reps.get(l.repId)?.team_name ?? "—"}</td>
                  <td className="num">{formatCount(l.baseline.assigned)}</td>
                  <td className="num">{formatCount(l.draft.assigned)}</td>
                  <td className="num">{signed(l.draft.assigned - l.baseline.assigned)}</td>
                  <td className="num">{formatCount(l.draft.peakDay)}</td>
                  <td className="num">{l.maxLeadsPerDay ?? "—"}</td>
                  <td className={`num ${l.draft.daysAtCap > l.baseline.daysAtCap ? "delta-bad" : ""}`}>{l.draft.daysAtCap}{l.baseline.daysAtCap !== l.draft.daysAtCap ? <span className="muted small"> (live {l.baseline.daysAtCap})</span> : null}</td>
                  <td className="num">{formatCount(l.draft.capacitySkips)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

const signed = (n: number) => (n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : "0");

function Kpi({ label, value, sub, testId }: { label: string; value: string; sub: string; testId?: string }) {
  return (
    <div className="kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-testid={testId}>{value}</div>
      <div className="kpi-sub">{sub}</div>
    </div>
  );
}

function Range({ e, fmt }: { e: Est; fmt: (x: number) => string }) {
  if (!e) return <span className="muted">no history</span>;
  return <span className="nowrap">{fmt(e.value)} <span className="muted small">({fmt(e.low)}–{fmt(e.high)})</span></span>;
}

function EstPair({ a, b, fmt }: { a: Est; b: Est; fmt: (x: number) => string }) {
  return <span><Range e={a} fmt={fmt} /><br /><span aria-hidden="true">→ </span><span className="sr-only">draft: </span><strong><Range e={b} fmt={fmt} /></strong></span>;
}

function FlowMatrix({ result, routeName, onSelect, selected }: {
  result: Result;
  routeName: (k: string | null) => string;
  onSelect: (c: { from: string | null; to: string | null }) => void;
  selected: { from: string | null; to: string | null } | null;
}) {
  const keys = result.volumes.map((v) => v.route).filter((k) => result.flow.some((c) => c.from === k || c.to === k));
  const count = (from: string | null, to: string | null) => result.flow.find((c) => c.from === from && c.to === to)?.count ?? 0;
  const max = Math.max(1, ...result.flow.map((c) => c.count));
  return (
    <div className="table-wrap">
      <table className="data" data-testid="flow-matrix">
        <caption className="sr-only">Leads by live route (rows) and draft route (columns)</caption>
        <thead>
          <tr><th scope="col">Live → Draft</th>{keys.map((k) => <th key={String(k)} scope="col" className="num">{routeName(k)}</th>)}<th scope="col" className="num">Total</th></tr>
        </thead>
        <tbody>
          {keys.map((from) => (
            <tr key={String(from)}>
              <th scope="row">{routeName(from)}</th>
              {keys.map((to) => {
                const n = count(from, to);
                const moved = from !== to && n > 0;
                const isSel = selected?.from === from && selected?.to === to;
                const alpha = n ? 0.08 + 0.5 * (n / max) : 0;
                return (
                  <td key={String(to)} className="num" style={{ background: n ? (moved ? `rgba(234, 88, 12, ${alpha})` : `rgba(47, 91, 234, ${alpha * 0.6})`) : undefined, outline: isSel ? "2px solid var(--brand)" : undefined }}>
                    {n ? (
                      <button type="button" className="btn-ghost" style={{ border: "none", background: "none", font: "inherit", cursor: "pointer", fontWeight: moved ? 700 : 400, color: "var(--text)" }}
                        onClick={() => onSelect({ from, to })} aria-label={`${formatCount(n)} leads from ${routeName(from)} to ${routeName(to)}: list them`} data-testid={`flow-${from ?? "none"}-${to ?? "none"}`}>
                        {formatCount(n)}
                      </button>
                    ) : <span className="muted">·</span>}
                  </td>
                );
              })}
              <td className="num"><strong>{formatCount(keys.reduce((a, to) => a + count(from, to), 0))}</strong></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CellLeads({ id, cell, routeName, onClose }: { id: string; cell: { from: string | null; to: string | null }; routeName: (k: string | null) => string; onClose: () => void }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.routing.simulationLeads.queryOptions({ id, from: cell.from, to: cell.to }));
  return (
    <div className="card-body" style={{ borderTop: "1px solid var(--border)" }} data-testid="flow-leads">
      <div className="row" style={{ alignItems: "center", gap: 8 }}>
        <h3 style={{ margin: 0 }}>{routeName(cell.from)} → {routeName(cell.to)}</h3>
        {q.data ? <span className="muted small">{q.data.leads.length < q.data.count ? `the first ${formatCount(q.data.leads.length)} of ${formatCount(q.data.count)}` : `${formatCount(q.data.count)} leads`}</span> : null}
        <span className="spacer" />
        <button type="button" className="btn btn-sm btn-ghost" onClick={onClose}>Close</button>
      </div>
      {q.isPending ? <TableSkeleton rows={3} /> : q.isError ? <ErrorState title="Leads could not be loaded" error={q.error} /> : (
        <div className="table-wrap" style={{ maxHeight: 360 }}>
          <table className="data compact">
            <thead><tr><th scope="col">Lead</th><th scope="col">Company</th><th scope="col">Received</th><th scope="col">Intent</th><th scope="col">Tier</th><th scope="col">Rule then</th><th scope="col">Owner then</th><th scope="col"><span className="sr-only">Preview</span></th></tr></thead>
            <tbody>
              {q.data.leads.map((l) => (
                <tr key={l.id}>
                  <td><Link href={`/leads/${l.id}`}>{[l.first_name, l.last_name].filter(Boolean).join(" ") || l.email || "lead"}</Link></td>
                  <td>{l.company ?? "—"}</td>
                  <td className="small">{formatFullDateTime(l.received_at)}</td>
                  <td className="small mono">{l.category ?? "—"}</td>
                  <td>{l.priority_tier ?? "—"}</td>
                  <td className="mono small">{l.rule_id ?? "—"}</td>
                  <td className="small">{l.owner_name ?? "—"}</td>
                  <td><Link className="btn btn-sm btn-ghost" href={`?tab=tests&lead=${l.id}`}>Both traces</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
