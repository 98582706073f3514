/**
 * Picks the owner of a lead once its route path is decided: the destination's strategies in order, then its
 * fallback. Deterministic: the same destination, lead, reps, state and `now` give the same result (no clock, no
 * randomness, no hidden globals — only caches of derived data keyed by the immutable inputs).
 *
 * Two steps, so simulation can replay millions of leads without copying state:
 *   decideAssignment (pure: reads the state)  →  applyAssignment (writes the state in place, O(pool size)).
 * `assign` does both.
 */

import { localDate } from "../calendar";
import {
  type AssignContext,
  AssignmentError,
  type AssignmentLead,
  type AssignmentReason,
  type AssignmentResult,
  type AssignmentState,
  type AssignmentTicket,
  type Destination,
  type RepProfile,
  type RoundRobinStrategy,
  SKIP_REASONS,
  type SkippedRep,
  type StrategyStep,
} from "./assignment.schema";
import { isOutOfOffice } from "./eligibility";
import { evaluatePool, pickFromPool, type PoolEvaluation, type PoolPick } from "./round-robin";
import { poolOf, poolRepOf, repLoadOf } from "./state";

/** What applying a decision writes. */
interface Effects {
  repId: string;
  day: string;
  value: number;
  pool: { key: string; seq: number; available: readonly string[]; deficits: ReadonlyArray<[string, number]>; shares: Array<[string, number]> } | null;
}

/** A decision computed against one state revision; apply it with {@link applyAssignment} before any other change. */
export interface AssignmentDecision {
  readonly result: AssignmentResult;
  /** The state revision the decision was computed from. */
  readonly revision: number;
  /** @internal the state changes `applyAssignment` makes (null for queue/fallback results). */
  readonly effects: Effects | null;
}

const indexCache = new WeakMap<readonly RepProfile[], Map<string, RepProfile>>();

function repIndex(reps: readonly RepProfile[]): Map<string, RepProfile> {
  let index = indexCache.get(reps);
  if (!index) {
    index = new Map(reps.map((r) => [r.id, r]));
    indexCache.set(reps, index);
  }
  return index;
}

/** The lead's weight in a pool: its value in value-weighted pools (absent or ≤ 0 → 1), else 1. */
function leadValue(lead: AssignmentLead, valueWeighted: boolean | undefined): number {
  if (!valueWeighted) return 1;
  const v = lead.value;
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 1;
}

const f2 = (x: number) => x.toFixed(2);

const REASON_INDEX = new Map<string, number>(SKIP_REASONS.map((r, i) => [r, i]));

/** "out_of_office 2, territory 1" for skipped[from..], in the order of SKIP_REASONS. */
function skipSummary(skipped: readonly SkippedRep[], from: number): string {
  if (skipped.length <= from) return "";
  const counts = new Array<number>(SKIP_REASONS.length).fill(0);
  for (let i = from; i < skipped.length; i++) counts[REASON_INDEX.get(skipped[i]!.reason)!]! += 1;
  let out = "";
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) out += `${out ? ", " : ""}${SKIP_REASONS[i]} ${counts[i]}`;
  return out;
}

/**
 * Decides where the lead goes without changing `state`. Strategies are tried in order; a named rep or account
 * owner who is away/inactive falls through (unless configured to be kept), a round robin with nobody eligible
 * falls through, a queue always succeeds; after the last strategy the destination's fallback is the result.
 * Throws AssignmentError("missing_team_calendar") when working hours are respected and a rep without own hours
 * has no team calendar in `context`.
 */
export function decideAssignment(
  destination: Destination,
  lead: AssignmentLead,
  reps: readonly RepProfile[],
  state: AssignmentState,
  now: Date,
  context?: AssignContext,
): AssignmentDecision {
  const t = now.getTime();
  const explain = context?.explain !== false;
  const skipped: SkippedRep[] = [];
  const steps: StrategyStep[] = [];
  const strategies = destination.strategies;

  for (let index = 0; index < strategies.length; index++) {
    const strategy = strategies[index]!;
    switch (strategy.kind) {
      case "queue": {
        const text = `queue: ${strategy.queue}`;
        steps.push({ index, strategy: "queue", outcome: "queued", text });
        return noEffects(state, { kind: "queue", queue: strategy.queue, reason: { kind: "queue", text: withPrior(steps, text), candidates: [], skipped, steps } });
      }
      case "account_owner":
      case "rep": {
        const label = strategy.kind === "account_owner" ? "account owner" : "rep";
        const repId = strategy.kind === "account_owner" ? lead.accountOwnerRepId : strategy.repId;
        if (!repId) {
          const text = strategy.kind === "account_owner" ? "account owner: the lead has no matched account owner" : "rep: no rep configured";
          steps.push({ index, strategy: strategy.kind, outcome: "fell_through", text });
          continue;
        }
        const rep = repIndex(reps).get(repId);
        if (!rep) {
          skipped.push({ repId, reason: "not_found", strategy: strategy.kind });
          steps.push({ index, strategy: strategy.kind, outcome: "fell_through", text: `${label}: ${repId} is not a known rep` });
          continue;
        }
        if (lead.excludeRepIds?.includes(rep.id)) {
          skipped.push({ repId, reason: "excluded", strategy: strategy.kind });
          steps.push({ index, strategy: strategy.kind, outcome: "fell_through", text: `${label}: ${rep.name} already turned this lead down` });
          continue;
        }
        const problem = !rep.active ? "inactive" : isOutOfOffice(rep, t) ? "out_of_office" : null;
        if (problem && (strategy.fallThrough ?? true)) {
          skipped.push({ repId, reason: problem, strategy: strategy.kind });
          steps.push({ index, strategy: strategy.kind, outcome: "fell_through", text: `${label}: ${rep.name} is ${problem === "inactive" ? "inactive" : "out of office"}` });
          continue;
        }
        const what = strategy.kind === "account_owner" ? `${rep.name} owns the matched account` : `${rep.name} is this route's rep`;
        const text = `${label}: ${what}${problem ? ` (${problem === "inactive" ? "inactive" : "out of office"}; kept by configuration)` : ""}`;
        steps.push({ index, strategy: strategy.kind, outcome: "assigned", text });
        const counted = strategy.kind === "account_owner" ? countOwnerInPool(destination, rep, lead, reps, state, now, context) : null;
        return withEffects(state, rep, now, strategy.kind, counted, {
          kind: strategy.kind,
          text: withPrior(steps, text),
          candidates: [],
          skipped,
          steps,
        });
      }
      case "round_robin": {
        const from = skipped.length;
        const ev = evaluatePool(strategy, reps, lead, state, now, context, skipped);
        if (ev.eligible.length === 0) {
          if (explain) {
            const why = skipSummary(skipped, from);
            steps.push({
              index,
              strategy: "round_robin",
              outcome: "fell_through",
              text: `round robin: no eligible rep among ${ev.members.length}${why ? ` (${why})` : ""}`,
            });
          }
          continue;
        }
        const value = leadValue(lead, strategy.valueWeighted);
        const pick = pickFromPool(ev, value);
        const chosen = ev.eligible[pick.chosenIndex]!;
        let text = "";
        if (explain) {
          const c = pick.candidates[pick.chosenIndex]!;
          const why = skipSummary(skipped, from);
          const unit = strategy.valueWeighted ? "lead value" : "leads";
          text =
            ev.eligible.length === 1
              ? `round robin: ${chosen.name}, the only eligible rep of ${ev.members.length}${why ? ` (skipped: ${why})` : ""}`
              : `round robin: ${chosen.name}, furthest behind weighted share ${f2(c.share)} vs target ${f2(c.target)} of ${unit} while eligible` +
                ` (${ev.eligible.length} of ${ev.members.length} eligible${why ? `; skipped: ${why}` : ""})`;
          steps.push({ index, strategy: "round_robin", outcome: "assigned", text });
          text = withPrior(steps, text);
        }
        return withEffects(state, chosen, now, "round_robin", { ev, pick, value }, { kind: "round_robin", text, candidates: pick.candidates, skipped, steps });
      }
    }
  }

  const fb = destination.fallback;
  let text = "";
  if (explain) {
    const target = fb.kind === "queue" ? `fallback queue ${fb.queue}` : `fallback route ${fb.routePathKey}`;
    const tried = steps.map((s) => s.text).join("; ");
    text = `no eligible owner → ${target}${tried ? ` (${tried})` : ""}`;
  }
  const reason: AssignmentReason = { kind: "fallback", text, candidates: [], skipped, steps };
  return noEffects(state, fb.kind === "queue" ? { kind: "queue", queue: fb.queue, reason } : { kind: "route", routePathKey: fb.routePathKey, reason });
}

/** The final step's sentence, prefixed with why earlier strategies fell through. */
function withPrior(steps: readonly StrategyStep[], text: string): string {
  if (steps.length <= 1) return text;
  return `${text} — after ${steps
    .slice(0, -1)
    .map((s) => s.text)
    .join("; ")}`;
}

function noEffects(state: AssignmentState, result: AssignmentResult): AssignmentDecision {
  return { result, revision: state.revision, effects: null };
}

function withEffects(
  state: AssignmentState,
  rep: RepProfile,
  now: Date,
  strategy: "account_owner" | "rep" | "round_robin",
  counted: { ev: PoolEvaluation; pick: PoolPick; value: number } | null,
  reason: AssignmentReason,
): AssignmentDecision {
  const day = localDate(rep.timeZone, now);
  const value = counted?.value ?? 1;
  const pool = counted
    ? { key: counted.ev.key, seq: (counted.ev.pool?.seq ?? 0) + 1, available: counted.ev.available, deficits: counted.pick.deficits, shares: counted.pick.shares }
    : null;
  const ticket: AssignmentTicket = { repId: rep.id, strategy, poolKey: pool?.key ?? null, seq: pool?.seq ?? 0, value, shares: pool?.shares ?? [], day };
  return {
    result: { kind: "rep", repId: rep.id, strategy, reason, ticket },
    revision: state.revision,
    effects: { repId: rep.id, day, value, pool },
  };
}

/**
 * An account-owner assignment counts toward the first round-robin pool of the same destination that asks for it
 * (`countAccountOwnerAssignments`) and has the owner as a member: eligible reps are entitled as for any lead and
 * the owner is charged, so the owner gets correspondingly fewer round-robin leads.
 */
function countOwnerInPool(
  destination: Destination,
  owner: RepProfile,
  lead: AssignmentLead,
  reps: readonly RepProfile[],
  state: AssignmentState,
  now: Date,
  context: AssignContext | undefined,
): { ev: PoolEvaluation; pick: PoolPick; value: number } | null {
  for (const s of destination.strategies) {
    if (s.kind !== "round_robin" || !s.countAccountOwnerAssignments) continue;
    const rr: RoundRobinStrategy = s;
    const ev = evaluatePool(rr, reps, lead, state, now, context, null);
    if (!ev.members.includes(owner)) continue;
    const value = leadValue(lead, rr.valueWeighted);
    return { ev, pick: pickFromPool(ev, value, owner.id), value };
  }
  return null;
}

/**
 * Writes a decision into `state` (in place): the rep's open and per-day counts and, for a counted assignment, the
 * pool ledger. Throws AssignmentError("stale_decision") when the state changed since the decision was made.
 */
export function applyAssignment(state: AssignmentState, decision: AssignmentDecision): void {
  if (decision.revision !== state.revision) {
    throw new AssignmentError("stale_decision", `The decision was made at state revision ${decision.revision}; the state is at ${state.revision}.`);
  }
  const e = decision.effects;
  if (!e) return;
  state.revision++;
  const load = repLoadOf(state, e.repId);
  if (load.day !== e.day) {
    load.day = e.day;
    load.today = 0;
  }
  load.today++;
  load.open++;
  if (!e.pool) {
    load.lastPool = null;
    load.lastValue = 0;
    return;
  }
  const pool = poolOf(state, e.pool.key);
  const seq = (pool.seq = e.pool.seq);
  for (const id of e.pool.available) poolRepOf(pool, id).lastAvailableSeq = seq;
  for (const [id, deficit] of e.pool.deficits) poolRepOf(pool, id).deficit = deficit;
  for (const [id, share] of e.pool.shares) {
    const rec = poolRepOf(pool, id);
    rec.entitled += share;
    rec.exposure += e.value;
  }
  pool.last = { seq, repId: e.repId, value: e.value, shares: e.pool.shares };
  const chosen = poolRepOf(pool, e.repId);
  chosen.deficit -= e.value;
  chosen.received += e.value;
  chosen.assigned++;
  load.lastPool = e.pool.key;
  load.lastValue = e.value;
}

/**
 * Assigns a lead: {@link decideAssignment} then {@link applyAssignment}. `state` is updated IN PLACE and returned
 * as `state` for convenience (clone first with `serializeState` for a dry run, or call decideAssignment alone).
 */
export function assign(
  destination: Destination,
  lead: AssignmentLead,
  reps: readonly RepProfile[],
  state: AssignmentState,
  now: Date,
  context?: AssignContext,
): { result: AssignmentResult; state: AssignmentState } {
  const decision = decideAssignment(destination, lead, reps, state, now, context);
  applyAssignment(state, decision);
  return { result: decision.result, state };
}
