/**
 * The decision step alone, ours and json-rules-engine's, over the facts the simulation loads (the same repository
 * call, slice by slice; loading is not timed here). Ours: lib/decision-table `evaluate` of the compiled baseline and
 * draft over every lead (and decideRoute, evaluate + the guards, for reference). The peer: the same two tables
 * translated into json-rules-engine rules — FIRST hit policy as strictly descending priorities with engine.stop() on
 * the first success — run lead by lead (`await engine.run(facts)`, as its API is meant to be used). When replaying
 * every lead through the peer would take longer than the time budget, an evenly spread sample (every k-th lead) is
 * run and the time extrapolated linearly. Every lead the peer evaluates is checked against ours: same rule, same
 * route.
 */
import type { Kysely } from "kysely";
import type { Database } from "@/db/types";
import { compile, evaluate, firstOutputs, type CompiledTable, type DecisionTable } from "@/lib/decision-table";
import type { Engine } from "json-rules-engine";
import { jsonRulesEngine } from "../lib/json-rules-engine";
import { decideRoute, type DecideInput } from "@/lib/routing/decide";
import { copyHistoryLead, historyFactKeys, readHistory } from "@/server/repositories/simulation.repository";
import { routingContext } from "@/server/services/ingest/routing-context";
import type { SimulationSetup } from "./prepare";
import type { Period } from "./run";

// ------------------------------------------------------------------------------------------------ measurement

export interface DecisionStepReport {
  leads: number;
  /** Ours, every lead: evaluate() of each version, and decideRoute (evaluate + guards) of each. */
  oursEvaluateMs: { baseline: number; draft: number };
  oursDecideMs: { baseline: number; draft: number };
  /** Time spent loading the facts for this pass (not part of any figure above). */
  loadMs: number;
  peer: {
    /** Every `stride`-th lead was run through the peer (1 = all). */
    stride: number;
    evaluated: number;
    ms: { baseline: number; draft: number };
    /** Linear extrapolation to every lead (= ms when stride is 1 and nothing stopped early). */
    projectedMs: { baseline: number; draft: number };
    /** Leads where the peer's rule or route differs from ours (must be 0). */
    mismatches: number;
    examples: string[];
    note: string | null;
  };
}

interface Side {
  table: DecisionTable;
  compiled: CompiledTable;
  engine: Engine;
  decide: DecideInput;
}

/** Ours over every lead, the peer over every lead or an even sample (see the header). */
export async function decisionStep(db: Kysely<Database>, setup: SimulationSetup, period: Period, o: { peerBudgetMs: number; peerSample: number; log: (line: string) => void }): Promise<DecisionStepReport> {
  const ctx = await routingContext(db, setup.workspaceId);
  const side = (table: DecisionTable, versionId: string, version: number): Side => {
    const compiled = compile(table);
    return { table, compiled, engine: jsonRulesEngine(table), decide: { table: { versionId, version, definition: table, compiled }, routes: ctx.routes } };
  };
  const sides = { baseline: side(setup.baseline.definition, setup.baseline.id, setup.baseline.version), draft: side(setup.draft.definition, setup.draft.id, setup.draft.version) };
  const factKeys = historyFactKeys(new Set([...setup.baseline.definition.inputs, ...setup.draft.definition.inputs].map((i) => i.field)));
  const report: DecisionStepReport = {
    leads: 0, oursEvaluateMs: { baseline: 0, draft: 0 }, oursDecideMs: { baseline: 0, draft: 0 }, loadMs: 0,
    peer: { stride: 1, evaluated: 0, ms: { baseline: 0, draft: 0 }, projectedMs: { baseline: 0, draft: 0 }, mismatches: 0, examples: [], note: null },
  };
  const total = await db.selectFrom("leads").select((eb) => eb.fn.countAll<number>().as("n"))
    .where("workspace_id", "=", setup.workspaceId).where("received_at", ">=", period.since).where("received_at", "<", period.until)
    .where("status", "not in", ["duplicate", "new"]).executeTakeFirstOrThrow();
  const expected = Number(total.n);
  let sink = 0;
  let calibrated = false;
  let peerStopped = false;
  const peerStart = { t: 0 };
  const history = readHistory(db, setup.workspaceId, { since: period.since.getTime(), until: period.until.getTime(), now: Date.now(), filters: {}, factKeys });
  for (;;) {
    const l0 = performance.now();
    const next = await history.next();
    report.loadMs += performance.now() - l0;
    if (next.done) break;
    const rows = Array.from(next.value, copyHistoryLead);
    const routes = { baseline: new Array<unknown>(rows.length), draft: new Array<unknown>(rows.length) };
    const rules = { baseline: new Array<unknown>(rows.length), draft: new Array<unknown>(rows.length) };
    for (const key of ["baseline", "draft"] as const) {
      const compiled = sides[key].compiled;
      const r = routes[key];
      const ids = rules[key];
      const t0 = performance.now();
      for (let i = 0; i < rows.length; i++) {
        const res = evaluate(compiled, rows[i]!.facts as Record<string, unknown>);
        r[i] = firstOutputs(res)?.route ?? null;
        ids[i] = res.ruleIds[0] ?? null;
      }
      report.oursEvaluateMs[key] += performance.now() - t0;
      const decide = sides[key].decide;
      const t1 = performance.now();
      for (let i = 0; i < rows.length; i++) {
        const lead = rows[i]!;
        if (decideRoute(decide, lead.facts, { junk: lead.junk, doubt: lead.junkDoubt }).routeKey !== null) sink++;
      }
      report.oursDecideMs[key] += performance.now() - t1;
    }
    // The peer: calibrate on the first slice, then every stride-th lead.
    if (!calibrated && rows.length) {
      calibrated = true;
      const probe = Math.min(rows.length, 2000);
      for (let i = 0; i < Math.min(200, probe); i++) await sides.baseline.engine.run(rows[i]!.facts); // warm-up
      const c0 = performance.now();
      for (let i = 0; i < probe; i++) await sides.baseline.engine.run(rows[i]!.facts);
      const perLead = (performance.now() - c0) / probe;
      const projectedAll = perLead * expected * 2;
      if (projectedAll > o.peerBudgetMs) {
        report.peer.stride = Math.max(1, Math.ceil(expected / o.peerSample));
        report.peer.note = `every lead through both versions would take about ${(projectedAll / 1000).toFixed(0)} s (${(perLead * 1000).toFixed(0)} µs a lead, measured on ${probe.toLocaleString("en-US")} leads), over the ${(o.peerBudgetMs / 1000).toFixed(0)} s budget: every ${report.peer.stride}th lead was run and the time extrapolated linearly`;
      }
      o.log(`  json-rules-engine: ${(perLead * 1000).toFixed(0)} µs a lead → ${report.peer.stride === 1 ? "every lead" : `every ${report.peer.stride}th lead`}`);
      peerStart.t = performance.now();
    }
    const stride = report.peer.stride;
    for (let i = (stride - (report.leads % stride)) % stride; i < rows.length && !peerStopped; i += stride) {
      const facts = rows[i]!.facts;
      for (const key of ["baseline", "draft"] as const) {
        const t0 = performance.now();
        const { events } = await sides[key].engine.run(facts);
        report.peer.ms[key] += performance.now() - t0;
        const ev = events[0];
        const route = (ev?.params as Record<string, unknown> | undefined)?.route ?? null;
        const rule = ev?.type ?? null;
        if (route !== routes[key][i] || rule !== rules[key][i]) {
          report.peer.mismatches++;
          if (report.peer.examples.length < 5) report.peer.examples.push(`${key} lead ${rows[i]!.id}: json-rules-engine ${String(rule)}/${String(route)}, ours ${String(rules[key][i])}/${String(routes[key][i])}; facts ${JSON.stringify(facts)}`);
        }
      }
      report.peer.evaluated++;
      if (performance.now() - peerStart.t > o.peerBudgetMs * 1.5) {
        peerStopped = true;
        report.peer.note = `${report.peer.note ? `${report.peer.note}; ` : ""}stopped after ${report.peer.evaluated.toLocaleString("en-US")} leads (time budget), extrapolated from those`;
      }
    }
    report.leads += rows.length;
  }
  if (sink < 0) throw new Error("unreachable");
  const scale = report.peer.evaluated > 0 ? report.leads / report.peer.evaluated : 0;
  report.peer.projectedMs = { baseline: report.peer.ms.baseline * scale, draft: report.peer.ms.draft * scale };
  if (report.leads !== expected) throw new Error(`the decision-step pass read ${report.leads} leads, the period holds ${expected}`);
  return report;
}
