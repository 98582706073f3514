/**
 * State transitions for what happens to an assignment afterwards. Each takes the assignment's ticket (exact) or
 * just the rep id, meaning the rep's most recent counted assignment. A refund by rep id is exact while that lead is
 * still its pool's latest assignment (a replay that records each outcome before the next lead, like the demo
 * seed); later it is a balanced approximation (see refundShare). Live routing should keep the ticket.
 *
 * "Open" follows the database's definition (workspace.repository: status assigned/accepted/working): accepting a
 * lead keeps it open; closing, rejecting or reassigning it away frees the slot.
 */

import type { AssignmentState, AssignmentTicket, PoolState } from "./assignment.schema";
import { poolRepOf } from "./state";

type Target = AssignmentTicket | string;

function releaseOpen(state: AssignmentState, repId: string): void {
  const load = state.reps[repId];
  if (load && load.open > 0) load.open--;
}

/**
 * Undoes the lead's share accounting: the rep's received and every eligible rep's entitlement, exactly, from the
 * ticket or — given only the rep id — from the pool's record of its latest assignment when that was this rep's.
 * Otherwise (a bare id for an older lead) the undo is approximate: the entitlement of an average lead is taken
 * back from the reps present at the pool's latest assignment, by their average target share, so the ledger still
 * sums to zero and nobody drifts ahead.
 */
function refundShare(state: AssignmentState, target: Target): void {
  const repId = typeof target === "string" ? target : target.repId;
  const load = state.reps[repId];
  const poolKey = typeof target === "string" ? (load?.lastPool ?? null) : target.poolKey;
  if (!poolKey) return;
  const pool = state.pools[poolKey];
  if (!pool) return;
  const last = pool.last;
  let value: number;
  let shares: ReadonlyArray<readonly [string, number]> | null;
  if (typeof target !== "string") {
    value = target.value;
    shares = target.shares;
    if (last && last.seq === target.seq && last.repId === repId) {
      pool.last = null;
      if (load && load.lastPool === poolKey) load.lastPool = null;
    }
  } else {
    if (last && last.repId === repId) {
      value = last.value;
      shares = last.shares;
      pool.last = null;
    } else {
      value = load!.lastValue;
      shares = null;
    }
    load!.lastPool = null; // never refund the same lead twice by rep id
  }
  const rec = poolRepOf(pool, repId);
  rec.deficit += value;
  rec.received -= value;
  if (rec.assigned > 0) rec.assigned--;
  for (const [id, share] of shares ?? approximateShares(pool, repId, value)) {
    const other = pool.reps[id];
    if (!other) continue;
    other.deficit -= share;
    other.entitled -= share;
    other.exposure -= value;
  }
}

/** An average lead's entitlement over the reps present at the pool's latest assignment (see refundShare). */
function approximateShares(pool: PoolState, repId: string, value: number): Array<[string, number]> {
  const ids: string[] = [];
  const targets: number[] = [];
  let total = 0;
  for (const id of Object.keys(pool.reps)) {
    const r = pool.reps[id]!;
    if (r.lastAvailableSeq !== pool.seq && id !== repId) continue;
    const target = r.exposure > 0 ? r.entitled / r.exposure : 0;
    ids.push(id);
    targets.push(target);
    total += target;
  }
  if (!(total > 0)) return [[repId, value]];
  return ids.map((id, i) => [id, (value * targets[i]!) / total]);
}

/**
 * The rep rejected the lead: the open slot is freed, the share credit refunded (so the rejection does not cost the
 * rep their turn), and with a ticket the per-day slot too when it is still that rep-local day.
 */
export function onRejected(state: AssignmentState, target: Target): void {
  const repId = typeof target === "string" ? target : target.repId;
  refundShare(state, target);
  releaseOpen(state, repId);
  if (typeof target !== "string") {
    const load = state.reps[repId];
    if (load && load.day === target.day && load.today > 0) load.today--;
  }
  state.revision++;
}

/**
 * The lead was moved to someone else: the open slot is freed. `refund: true` also refunds the share — use it when
 * the move was not the rep's doing (wrong territory/product/segment, account owned by someone else); leave it
 * false for SLA-breach or manual moves, where the rep had their turn.
 */
export function onReassigned(state: AssignmentState, target: Target, options: { refund?: boolean } = {}): void {
  if (options.refund) refundShare(state, target);
  releaseOpen(state, typeof target === "string" ? target : target.repId);
  state.revision++;
}

/** The lead was closed (won, lost, disqualified, junk, duplicate): the open slot is freed; shares are kept. */
export function onClosed(state: AssignmentState, target: Target): void {
  releaseOpen(state, typeof target === "string" ? target : target.repId);
  state.revision++;
}

const CLOSED = new Set(["won", "lost", "disqualified", "junk", "duplicate", "closed", "closed_won", "closed_lost"]);

/**
 * Records a lead status for the rep's assignment: "rejected" → onRejected; "reassigned" → onReassigned (no
 * refund); won/lost/disqualified/junk/duplicate/closed → onClosed. Statuses that keep the lead open (assigned,
 * accepted, working, …) change nothing.
 */
export function recordOutcome(state: AssignmentState, target: Target, status: string): void {
  if (status === "rejected") onRejected(state, target);
  else if (status === "reassigned") onReassigned(state, target);
  else if (CLOSED.has(status)) onClosed(state, target);
}
