/**
 * The assignment state: a mutable, JSON-shaped ledger (see `AssignmentState` in assignment.schema.ts).
 *
 * Hot paths mutate it in place (no per-call copies): `assign` = `decideAssignment` (reads) + `applyAssignment`
 * (writes O(pool size)). Work per lead is O(reps in the pool); nothing grows with history. Dictionaries are
 * prototype-less objects so any rep id is a safe key.
 */

import {
  AssignmentError,
  AssignmentState,
  type PoolRepState,
  type PoolState,
  type RepLoadState,
  type SkippedRep,
  SKIP_REASONS,
  type SkipReason,
} from "./assignment.schema";

function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A fresh, empty state. */
export function createAssignmentState(): AssignmentState {
  return { version: 1, revision: 0, pools: dict<PoolState>(), reps: dict<RepLoadState>() };
}

/** @internal The pool's ledger, created on first use. */
export function poolOf(state: AssignmentState, key: string): PoolState {
  let pool = state.pools[key];
  if (!pool) state.pools[key] = pool = { seq: 0, reps: dict<PoolRepState>(), last: null };
  return pool;
}

/** @internal A rep's standing in a pool, created on first use (a newcomer starts level: deficit 0). */
export function poolRepOf(pool: PoolState, repId: string): PoolRepState {
  let rec = pool.reps[repId];
  if (!rec) pool.reps[repId] = rec = { deficit: 0, received: 0, entitled: 0, exposure: 0, assigned: 0, lastAvailableSeq: -1 };
  return rec;
}

/** @internal A rep's load record, created on first use. */
export function repLoadOf(state: AssignmentState, repId: string): RepLoadState {
  let load = state.reps[repId];
  if (!load) state.reps[repId] = load = { open: 0, day: null, today: 0, lastPool: null, lastValue: 0 };
  return load;
}

/**
 * A deep, plain-JSON copy of the state for storage (PostgreSQL jsonb): `{ version, revision, pools, reps }` with
 * only numbers, strings and null inside, keys sorted (canonical). Also the way to clone a state.
 */
export function serializeState(state: AssignmentState): AssignmentState {
  return copyState(state);
}

/**
 * Deep copy into prototype-less dictionaries (a plain `{}` would turn a "__proto__" key into a prototype), keys
 * sorted so equal states serialise to identical JSON whatever order reps were first seen in.
 */
function copyState(source: AssignmentState): AssignmentState {
  const state = createAssignmentState();
  state.revision = source.revision;
  for (const key of Object.keys(source.pools).sort()) {
    const pool = source.pools[key]!;
    const reps = dict<PoolRepState>();
    for (const id of Object.keys(pool.reps).sort()) {
      const r = pool.reps[id]!;
      reps[id] = { deficit: r.deficit, received: r.received, entitled: r.entitled, exposure: r.exposure, assigned: r.assigned, lastAvailableSeq: r.lastAvailableSeq };
    }
    const last = pool.last ? { seq: pool.last.seq, repId: pool.last.repId, value: pool.last.value, shares: pool.last.shares.map(([id, x]): [string, number] => [id, x]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) } : null;
    state.pools[key] = { seq: pool.seq, reps, last };
  }
  for (const id of Object.keys(source.reps).sort()) {
    const l = source.reps[id]!;
    state.reps[id] = { open: l.open, day: l.day, today: l.today, lastPool: l.lastPool, lastValue: l.lastValue };
  }
  return state;
}

/**
 * A working state from stored JSON (validated; throws AssignmentError("invalid_state") when malformed).
 * `null`/`undefined` — no row stored yet — gives a fresh state.
 */
export function deserializeState(json: unknown): AssignmentState {
  if (json === null || json === undefined) return createAssignmentState();
  const raw = typeof json === "string" ? safeJson(json) : json;
  const parsed = AssignmentState.safeParse(raw);
  if (!parsed.success) {
    throw new AssignmentError("invalid_state", `Invalid assignment state: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  // Every entry was validated; copy from the input itself, whose own keys survive even when one is "__proto__".
  return copyState(raw as AssignmentState);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** One rep's standing in a pool, for dashboards and the fairness report. */
export interface PoolStanding {
  repId: string;
  assigned: number;
  received: number;
  entitled: number;
  exposure: number;
  /** received / exposure (0 without exposure). */
  share: number;
  /** entitled / exposure (0 without exposure). */
  target: number;
  deficit: number;
}

/** Every rep's standing in the pool `poolKey` (empty for an unknown pool), sorted by rep id. */
export function poolStandings(state: AssignmentState, poolKey: string): PoolStanding[] {
  const pool = state.pools[poolKey];
  if (!pool) return [];
  return Object.keys(pool.reps)
    .sort()
    .map((repId) => {
      const r = pool.reps[repId]!;
      return {
        repId,
        assigned: r.assigned,
        received: r.received,
        entitled: r.entitled,
        exposure: r.exposure,
        share: r.exposure > 0 ? r.received / r.exposure : 0,
        target: r.exposure > 0 ? r.entitled / r.exposure : 0,
        deficit: r.deficit,
      };
    });
}

/** Skips by reason over many assignment reasons: the fairness report's "who was passed over, and why". */
export function tallySkips(reasons: Iterable<{ skipped: readonly SkippedRep[] }>): Record<SkipReason, number> {
  const out = Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>;
  for (const reason of reasons) for (const s of reason.skipped) out[s.reason] += 1;
  return out;
}
