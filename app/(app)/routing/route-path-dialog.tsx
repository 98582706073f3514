"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Destination } from "@/lib/assignment";
import { FACT_FIELDS } from "@/lib/routing/facts";
import { escalationChain, type EscalationChain } from "@/lib/sla/escalation";
import { useTRPC } from "../../_trpc/client";
import type { RouterOutputs } from "../../_trpc/types";
import { DialogActions, fieldErrors, ModalDialog } from "../../_components/dialog";

type Overview = RouterOutputs["routing"]["overview"];
type RoutePath = Overview["routePaths"][number];
type Strategy = Destination["strategies"][number];

const KINDS: Array<{ kind: Strategy["kind"]; label: string }> = [
  { kind: "account_owner", label: "Account owner" },
  { kind: "round_robin", label: "Weighted round robin" },
  { kind: "rep", label: "A named rep" },
  { kind: "queue", label: "A queue (no rep)" },
];

function blank(kind: Strategy["kind"], reps: Overview["reps"]): Strategy {
  switch (kind) {
    case "account_owner": return { kind, fallThrough: true };
    case "round_robin": return { kind, repIds: [], matchTerritory: false, respectCapacity: true };
    case "rep": return { kind, repId: reps[0]?.id ?? "", fallThrough: true };
    case "queue": return { kind, queue: "review" };
  }
}

/** Edits one route path: what triggers it, what it needs, where it sends leads, how fast, and its fallback. */
export function RoutePathDialog({ routePath, routePaths, reps, onClose }: { routePath: RoutePath; routePaths: RoutePath[]; reps: Overview["reps"]; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dest = routePath.destination as unknown as Destination;
  const [name, setName] = useState(routePath.name);
  const [trigger, setTrigger] = useState(routePath.trigger_summary);
  const [dataRequired, setDataRequired] = useState<string[]>(routePath.data_required);
  const [sla, setSla] = useState(routePath.sla_minutes?.toString() ?? "");
  const [threshold, setThreshold] = useState(routePath.confidence_threshold != null ? String(Math.round(routePath.confidence_threshold * 100)) : "");
  const [fallbackRoute, setFallbackRoute] = useState(routePath.fallback_route_key ?? "");
  const [color, setColor] = useState(routePath.color);
  const [strategies, setStrategies] = useState<Strategy[]>(dest.strategies ?? []);
  const [fallbackQueue, setFallbackQueue] = useState(dest.fallback?.kind === "queue" ? dest.fallback.queue : "review");
  const [local, setLocal] = useState<Record<string, string>>({});
  // The escalation chain, as the three steps it may have (lib/sla/escalation: the default when none is stored).
  const chain = escalationChain(routePath.escalation);
  const remindStep = chain.steps.find((x) => x.kind === "remind");
  const breachStep = chain.steps.find((x) => x.kind === "breach");
  const reassignStep = chain.steps.find((x) => x.kind === "reassign");
  const [remindOn, setRemindOn] = useState(remindStep !== undefined);
  const [remindAt, setRemindAt] = useState(String(remindStep?.kind === "remind" ? remindStep.atPercent : 50));
  const [breachManager, setBreachManager] = useState(breachStep?.kind === "breach" ? breachStep.notifyManager : false);
  const [breachChannel, setBreachChannel] = useState(breachStep?.kind === "breach" ? breachStep.notifyChannel : false);
  const [reassignOn, setReassignOn] = useState(reassignStep !== undefined);
  const [grace, setGrace] = useState(String(reassignStep?.kind === "reassign" ? reassignStep.graceMinutes : 60));
  const [reassignTo, setReassignTo] = useState<"next_rep" | "review">(reassignStep?.kind === "reassign" ? reassignStep.to : "next_rep");
  const save = useMutation(trpc.routing.updateRoutePath.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.routing.pathKey() });
      onClose();
    },
  }));
  const errors = { ...fieldErrors(save.error), ...Object.fromEntries(Object.entries(local).map(([k, v]) => [k, [v]])) };
  const err = (k: string) => errors[k] ? <span className="field-error">{errors[k]!.join("; ")}</span> : null;
  const setStrategy = (i: number, s: Strategy) => setStrategies(strategies.map((x, j) => (j === i ? s : x)));
  const move = (i: number, by: number) => {
    const next = [...strategies];
    const [s] = next.splice(i, 1);
    next.splice(i + by, 0, s!);
    setStrategies(next);
  };

  const submit = () => {
    const problems: Record<string, string> = {};
    const slaN = sla.trim() === "" ? null : Number(sla);
    if (slaN !== null && !Number.isInteger(slaN)) problems.slaMinutes = "Enter whole minutes, or leave empty for no SLA.";
    const thr = threshold.trim() === "" ? null : Number(threshold) / 100;
    if (thr !== null && !Number.isFinite(thr)) problems.confidenceThreshold = "Enter a percentage between 0 and 100, or leave empty.";
    const steps: EscalationChain["steps"] = [];
    if (remindOn) steps.push({ kind: "remind", atPercent: Number(remindAt) });
    steps.push({ kind: "breach", notifyManager: breachManager, notifyChannel: breachChannel });
    if (reassignOn) steps.push({ kind: "reassign", graceMinutes: Number(grace), to: reassignTo });
    setLocal(problems);
    if (Object.keys(problems).length) return;
    save.mutate({
      id: routePath.id, name, triggerSummary: trigger, dataRequired, slaMinutes: slaN, confidenceThreshold: thr,
      fallbackRouteKey: fallbackRoute || null, color,
      destination: { strategies, fallback: { kind: "queue", queue: fallbackQueue.trim() || "review" } },
      escalation: { steps },
    });
  };

  return (
    <ModalDialog label={`Edit route path ${routePath.name}`} onClose={onClose} width="min(860px, 96vw)">
      <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="card-head"><div><h2>{routePath.name}</h2><p className="mono small">{routePath.key} · {routePath.kind} · changes apply to live routing at once and are audited</p></div></div>
        <div className="card-body stack" style={{ maxHeight: "70vh", overflow: "auto" }}>
          <div className="grid-2" style={{ gap: 12 }}>
            <label className="field"><span>Name</span><input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={errors.name ? true : undefined} />{err("name")}</label>
            <label className="field"><span>Colour</span><input type="color" value={color} onChange={(e) => setColor(e.target.value)} />{err("color")}</label>
          </div>
          <label className="field"><span>Triggered by (what sends a lead here)</span><textarea rows={2} value={trigger} onChange={(e) => setTrigger(e.target.value)} style={{ minHeight: 0, fontFamily: "inherit", fontSize: "inherit", fontWeight: 400 }} />{err("triggerSummary")}</label>
          <fieldset className="field" style={{ border: "none", padding: 0 }}>
            <legend>Data required</legend>
            <div className="row" style={{ flexWrap: "wrap", gap: 10 }}>
              {FACT_FIELDS.map((f) => (
                <label key={f.field} className="row small" style={{ gap: 4 }}>
                  <input type="checkbox" checked={dataRequired.includes(f.field)} onChange={(e) => setDataRequired(e.target.checked ? [...dataRequired, f.field] : dataRequired.filter((x) => x !== f.field))} />
                  {f.label}
                </label>
              ))}
            </div>
            {err("dataRequired")}
          </fieldset>
          <div className="grid-3" style={{ gap: 12 }}>
            <label className="field"><span>SLA (business minutes)</span><input inputMode="numeric" value={sla} onChange={(e) => setSla(e.target.value)} placeholder="none" aria-invalid={errors.slaMinutes ? true : undefined} />{err("slaMinutes")}</label>
            <label className="field"><span>Min. AI confidence (%)</span><input inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} placeholder="no guard" aria-invalid={errors.confidenceThreshold ? true : undefined} />{err("confidenceThreshold")}</label>
            <label className="field"><span>Fallback route path</span>
              <select value={fallbackRoute} onChange={(e) => setFallbackRoute(e.target.value)} aria-invalid={errors.fallbackRouteKey ? true : undefined}>
                <option value="">none</option>
                {routePaths.filter((r) => r.key !== routePath.key).map((r) => <option key={r.key} value={r.key}>{r.name}</option>)}
              </select>
              {err("fallbackRouteKey")}
            </label>
          </div>
          <fieldset className="field" style={{ border: "1px solid var(--border)", borderRadius: 8, padding: 12 }} data-testid="escalation">
            <legend>When the owner lets the SLA pass</legend>
            <div className="stack" style={{ gap: 8 }}>
              <div className="row" style={{ gap: 8, alignItems: "center", flexWrap: "wrap" }}>
                <label className="row small" style={{ gap: 4 }}><input type="checkbox" checked={remindOn} onChange={(e) => setRemindOn(e.target.checked)} /> Remind the owner at</label>
                <input aria-label="Reminder at percent of the SLA" inputMode="numeric" value={remindAt} onChange={(e) => setRemindAt(e.target.value)} disabled={!remindOn} style={{ width: 64 }} aria-invalid={errors["escalation.steps.0.atPercent"] ? true : undefined} />
                <span className="small">% of the SLA</span>
                {err("escalation.steps.0.atPercent")}
              </div>
              <div className="row small" style={{ gap: 12, flexWrap: "wrap" }}>
                <span>At the due time (breach), besides the owner, tell:</span>
                <label className="row" style={{ gap: 4 }}><input type="checkbox" checked={breachManager} onChange={(e) => setBreachManager(e.target.checked)} /> the team&apos;s manager</label>
                <label className="row" style={{ gap: 4 }}><input type="checkbox" checked={breachChannel} onChange={(e) => setBreachChannel(e.target.checked)} /> the team&apos;s Slack channel</label>
              </div>
              <div className="row" style={{ gap: 8, alignItems: "center", flexWrap: "wrap" }}>
                <label className="row small" style={{ gap: 4 }}><input type="checkbox" checked={reassignOn} onChange={(e) => setReassignOn(e.target.checked)} /> Then, after</label>
                <input aria-label="Grace period in business minutes" inputMode="numeric" value={grace} onChange={(e) => setGrace(e.target.value)} disabled={!reassignOn} style={{ width: 72 }} aria-invalid={errors[`escalation.steps.${remindOn ? 2 : 1}.graceMinutes`] ? true : undefined} />
                <span className="small">more business minutes, move it to</span>
                <select aria-label="Reassign to" value={reassignTo} onChange={(e) => setReassignTo(e.target.value as "next_rep" | "review")} disabled={!reassignOn}>
                  <option value="next_rep">the next eligible rep (then review)</option>
                  <option value="review">the review queue</option>
                </select>
                {err(`escalation.steps.${remindOn ? 2 : 1}.graceMinutes`)}
              </div>
              {sla.trim() === "" ? <p className="small muted" style={{ margin: 0 }}>No SLA on this route path: nothing of this runs until it has one.</p> : null}
            </div>
          </fieldset>
          <fieldset className="field" style={{ border: "1px solid var(--border)", borderRadius: 8, padding: 12 }}>
            <legend>Destination: strategies tried in order</legend>
            <ol className="stack" style={{ margin: 0, paddingLeft: 20 }}>
              {strategies.map((s, i) => (
                <li key={i} className="stack" style={{ gap: 6 }}>
                  <div className="row" style={{ gap: 8, alignItems: "center", flexWrap: "wrap" }}>
                    <select aria-label={`Strategy ${i + 1}`} value={s.kind} onChange={(e) => setStrategy(i, blank(e.target.value as Strategy["kind"], reps))}>
                      {KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
                    </select>
                    {s.kind === "queue" ? <input aria-label="Queue name" value={s.queue} onChange={(e) => setStrategy(i, { ...s, queue: e.target.value })} /> : null}
                    {s.kind === "rep" ? (
                      <select aria-label="Rep" value={s.repId} onChange={(e) => setStrategy(i, { ...s, repId: e.target.value })}>{reps.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}</select>
                    ) : null}
                    {s.kind === "account_owner" || s.kind === "rep" ? (
                      <label className="row small" style={{ gap: 4 }}><input type="checkbox" checked={s.fallThrough !== false} onChange={(e) => setStrategy(i, { ...s, fallThrough: e.target.checked })} /> next strategy when away or inactive</label>
                    ) : null}
                    <span className="spacer" />
                    <button type="button" className="btn btn-sm btn-ghost" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move strategy ${i + 1} up`}>↑</button>
                    <button type="button" className="btn btn-sm btn-ghost" onClick={() => move(i, 1)} disabled={i === strategies.length - 1} aria-label={`Move strategy ${i + 1} down`}>↓</button>
                    <button type="button" className="btn btn-sm btn-ghost" onClick={() => setStrategies(strategies.filter((_, j) => j !== i))} aria-label={`Remove strategy ${i + 1}`}>Remove</button>
                  </div>
                  {s.kind === "round_robin" ? (
                    <div className="stack" style={{ gap: 6 }}>
                      <div className="row" style={{ flexWrap: "wrap", gap: 10 }}>
                        {reps.map((r) => (
                          <label key={r.id} className="row small" style={{ gap: 4 }}>
                            <input type="checkbox" checked={s.repIds?.includes(r.id) ?? false} onChange={(e) => setStrategy(i, { ...s, repIds: e.target.checked ? [...(s.repIds ?? []), r.id] : (s.repIds ?? []).filter((x) => x !== r.id) })} />
                            {r.name} <span className="muted">({r.team_name})</span>
                          </label>
                        ))}
                      </div>
                      <div className="row small" style={{ gap: 14, flexWrap: "wrap" }}>
                        {([["matchTerritory", "match territory"], ["matchProduct", "match product"], ["respectCapacity", "respect capacity"], ["respectWorkingHours", "only during working hours"], ["valueWeighted", "weight by lead value"]] as const).map(([k, label]) => (
                          <label key={k} className="row" style={{ gap: 4 }}>
                            <input type="checkbox" checked={k === "respectCapacity" ? s[k] !== false : s[k] === true} onChange={(e) => setStrategy(i, { ...s, [k]: e.target.checked })} /> {label}
                          </label>
                        ))}
                      </div>
                      {err(`destination.strategies.${i}.repIds`)}
                    </div>
                  ) : null}
                  {err(`destination.strategies.${i}.repId`)}{err(`destination.strategies.${i}.queue`)}
                </li>
              ))}
            </ol>
            <div className="row" style={{ gap: 8, marginTop: 8, alignItems: "center", flexWrap: "wrap" }}>
              <button type="button" className="btn btn-sm" onClick={() => setStrategies([...strategies, blank("round_robin", reps)])}>+ Add strategy</button>
              <label className="row small" style={{ gap: 6 }}>When none finds an owner, send to queue <input aria-label="Fallback queue" value={fallbackQueue} onChange={(e) => setFallbackQueue(e.target.value)} style={{ width: 120 }} /></label>
            </div>
            {err("destination.fallback")}{err("destination")}
          </fieldset>
          {save.error && !Object.keys(fieldErrors(save.error)).length ? <div className="error-box" role="alert">{save.error.message}</div> : null}
          {Object.keys(fieldErrors(save.error)).length ? <div className="error-box" role="alert">{save.error!.message}</div> : null}
        </div>
        <DialogActions onCancel={onClose}><button type="submit" className="btn btn-primary" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save route path"}</button></DialogActions>
      </form>
    </ModalDialog>
  );
}
