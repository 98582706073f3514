/**
 * Weighted round robin by share deficit ("furthest behind their weighted share"), not a naive rotation.
 *
 * The ledger, per pool and rep (amounts in leads, or lead value in value-weighted pools):
 * - every lead entitles each ELIGIBLE rep to `value × weight / (sum of eligible weights)`;
 * - the lead goes to the eligible rep with the largest deficit = entitled − received (ties: higher weight, then
 *   lower rep id), whose received grows by `value`.
 * With a fixed eligible set this is smooth weighted round robin (nginx's SWRR): deficits stay bounded by about one
 * lead per rep, so each rep's share converges to weight / total weight, interleaved rather than in bursts.
 *
 * Shares count only the leads a rep was eligible for. A lead outside a rep's territory, or one that arrives while
 * the rep is out of office, outside working hours or at a cap, neither entitles nor charges them: nobody "falls
 * behind" while unavailable, so nobody is owed a catch-up flood on return.
 *
 * Rejoining: a rep who was unavailable at the pool's previous assignment (back from leave, start of their day,
 * below a cap again, or new to the pool) has their deficit clamped into the range of the reps who stayed
 * available. They rejoin level with the pack — at most tied with the furthest-behind rep, never starved below
 * the furthest-ahead — so a return costs at most about one extra lead, whatever happened while they were away.
 *
 * Rejections: `onRejected` with the assignment's ticket undoes the lead exactly (the rep's received and every
 * eligible rep's entitlement), so the rejected lead does not cost the rep their turn.
 */

import type { AssignContext, AssignmentLead, AssignmentState, PoolState, RepProfile, RoundRobinCandidate, RoundRobinStrategy, SkippedRep } from "./assignment.schema";
import { misfit, unavailability } from "./eligibility";

/** The ledger key of a round-robin strategy: its `poolKey`, else derived from its team and rep ids. */
export function roundRobinPoolKey(strategy: RoundRobinStrategy): string {
  if (strategy.poolKey) return strategy.poolKey;
  const teams = strategy.teamIds ? [...strategy.teamIds].sort().join(",") : "";
  const reps = strategy.repIds ? [...strategy.repIds].sort().join(",") : "";
  return teams || reps ? `rr:teams=${teams};reps=${reps}` : "rr:all";
}

const memberCache = new WeakMap<RoundRobinStrategy, { reps: readonly RepProfile[]; members: readonly RepProfile[]; key: string }>();

/** The reps in the strategy's pool (teams ∪ listed reps; all reps when neither is given), cached per strategy and reps array. */
export function poolMembers(strategy: RoundRobinStrategy, reps: readonly RepProfile[]): { key: string; members: readonly RepProfile[] } {
  const hit = memberCache.get(strategy);
  if (hit && hit.reps === reps) return hit;
  const teams = strategy.teamIds ? new Set(strategy.teamIds) : null;
  const ids = strategy.repIds ? new Set(strategy.repIds) : null;
  const members = !teams && !ids ? reps.slice() : reps.filter((r) => (teams?.has(r.teamId) ?? false) || (ids?.has(r.id) ?? false));
  const entry = { reps, members, key: roundRobinPoolKey(strategy) };
  memberCache.set(strategy, entry);
  return entry;
}

export interface PoolEvaluation {
  key: string;
  pool: PoolState | undefined;
  members: readonly RepProfile[];
  /** Ids of reps available now (active, weighted, present, in hours, under caps), fitting the lead or not. */
  available: string[];
  /** Available reps that also fit the lead. */
  eligible: RepProfile[];
}

/** Splits the pool into available/eligible reps for this lead, appending every passed-over rep to `skipped`. */
export function evaluatePool(
  strategy: RoundRobinStrategy,
  reps: readonly RepProfile[],
  lead: AssignmentLead,
  state: AssignmentState,
  now: Date,
  context: AssignContext | undefined,
  skipped: SkippedRep[] | null,
): PoolEvaluation {
  const { key, members } = poolMembers(strategy, reps);
  const t = now.getTime();
  const availability = { respectWorkingHours: strategy.respectWorkingHours ?? false, respectCapacity: strategy.respectCapacity ?? true };
  const fit = { matchTerritory: strategy.matchTerritory ?? false, matchProduct: strategy.matchProduct ?? false, matchSegment: strategy.matchSegment ?? false };
  const available: string[] = [];
  const eligible: RepProfile[] = [];
  for (const rep of members) {
    const away = unavailability(rep, availability, state, now, t, context);
    if (away) {
      skipped?.push({ repId: rep.id, reason: away, strategy: "round_robin" });
      continue;
    }
    available.push(rep.id);
    const misfitReason = misfit(rep, lead, fit);
    if (misfitReason) {
      skipped?.push({ repId: rep.id, reason: misfitReason, strategy: "round_robin" });
      continue;
    }
    eligible.push(rep);
  }
  return { key, pool: state.pools[key], members, available, eligible };
}

export interface PoolPick {
  /** The rep the lead goes to (the furthest behind, or the forced rep). */
  repId: string;
  /** Deficits of the eligible reps after the rejoin clamp and this lead's entitlement (before the chosen rep's debit). */
  deficits: Array<[string, number]>;
  /** This lead's entitlement per eligible rep. */
  shares: Array<[string, number]>;
  candidates: RoundRobinCandidate[];
  /** Index of the chosen rep in `candidates` (−1 when forced onto a rep outside the eligible set). */
  chosenIndex: number;
}

const TIE_EPSILON = 1e-9;

/**
 * The round-robin decision for one lead of `value` over `ev.eligible` (non-empty unless `forcedRepId` is given):
 * pure, reads the ledger without changing it. `forcedRepId` charges that rep instead of picking (an account-owner
 * assignment counted toward the pool).
 */
export function pickFromPool(ev: PoolEvaluation, value: number, forcedRepId?: string): PoolPick {
  const { pool, eligible } = ev;
  const seq = pool?.seq ?? 0;
  const n = eligible.length;
  const base = new Array<number>(n);
  const present = new Array<boolean>(n);
  let lo = Infinity;
  let hi = -Infinity;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    const rep = eligible[i]!;
    const rec = pool?.reps[rep.id];
    totalWeight += rep.weight;
    base[i] = rec ? rec.deficit : 0;
    present[i] = rec !== undefined && seq > 0 && rec.lastAvailableSeq === seq;
    if (present[i]) {
      if (base[i]! < lo) lo = base[i]!;
      if (base[i]! > hi) hi = base[i]!;
    }
  }
  const deficits: Array<[string, number]> = new Array(n);
  const shares: Array<[string, number]> = new Array(n);
  const candidates: RoundRobinCandidate[] = new Array(n);
  let best = -1;
  for (let i = 0; i < n; i++) {
    const rep = eligible[i]!;
    let d = base[i]!;
    // Rejoin clamp: a rep who was away at the previous assignment re-enters within the range of those who stayed.
    if (!present[i] && lo <= hi) d = d < lo ? lo : d > hi ? hi : d;
    const targetShare = rep.weight / totalWeight;
    const share = value * targetShare;
    d += share;
    deficits[i] = [rep.id, d];
    shares[i] = [rep.id, share];
    const rec = pool?.reps[rep.id];
    const exposure = rec?.exposure ?? 0;
    candidates[i] = {
      repId: rep.id,
      name: rep.name,
      weight: rep.weight,
      targetShare,
      share: exposure > 0 ? rec!.received / exposure : 0,
      target: exposure > 0 ? rec!.entitled / exposure : targetShare,
      deficit: d,
    };
    if (forcedRepId === undefined && (best < 0 || better(rep, d, eligible[best]!, deficits[best]![1], value))) best = i;
  }
  if (forcedRepId !== undefined) {
    return { repId: forcedRepId, deficits, shares, candidates, chosenIndex: eligible.findIndex((r) => r.id === forcedRepId) };
  }
  return { repId: eligible[best]!.id, deficits, shares, candidates, chosenIndex: best };
}

/** Larger deficit wins; within float noise, higher weight, then the lower id (stable whatever the input order). */
function better(a: RepProfile, da: number, b: RepProfile, db: number, value: number): boolean {
  const eps = TIE_EPSILON * Math.max(1, value);
  if (da > db + eps) return true;
  if (da < db - eps) return false;
  if (a.weight !== b.weight) return a.weight > b.weight;
  return a.id < b.id;
}
