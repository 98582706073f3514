import { describe, expect, it } from "vitest";
import {
  assign,
  AssignmentError,
  type AssignmentResult,
  type AssignmentTicket,
  createAssignmentState,
  deserializeState,
  onClosed,
  onReassigned,
  onRejected,
  poolStandings,
  recordOutcome,
  serializeState,
  tallySkips,
} from "@/lib/assignment";
import { at, dest, rep, rr, who } from "./fixtures";

const NOW = at("2026-03-10T10:00:00Z");
const reps = [rep("a"), rep("b"), rep("c")];
const d = dest([rr()]);

function ticketOf(result: AssignmentResult): AssignmentTicket {
  if (result.kind !== "rep") throw new Error(`expected a rep, got ${result.kind}`);
  return result.ticket;
}

/** The share ledger only (availability markers and sequence numbers move on by design). */
function ledger(state: ReturnType<typeof createAssignmentState>) {
  return poolStandings(state, "rr:all").map((s) => ({ ...s, deficit: Math.round(s.deficit * 1e9) / 1e9, entitled: Math.round(s.entitled * 1e9) / 1e9 }));
}

describe("rejections refund the share: the rep keeps their turn", () => {
  it("with the ticket: the ledger is exactly as before the lead, and the same rep is next again", () => {
    const state = createAssignmentState();
    for (let i = 0; i < 4; i++) assign(d, {}, reps, state, NOW);
    const before = ledger(state);
    const { result } = assign(d, {}, reps, state, NOW);
    const rejectedBy = who(result);
    onRejected(state, ticketOf(result));
    expect(ledger(state)).toEqual(before);
    const again = assign(d, { excludeRepIds: [] }, reps, state, NOW).result;
    expect(who(again)).toBe(rejectedBy);
  });

  it("the re-routed lead (excluding the rejecting rep) goes elsewhere and is counted once", () => {
    const state = createAssignmentState();
    const first = assign(d, {}, reps, state, NOW).result;
    onRejected(state, ticketOf(first));
    const rerouted = assign(d, { excludeRepIds: [who(first)] }, reps, state, NOW).result;
    expect(who(rerouted)).not.toBe(who(first));
    const standings = poolStandings(state, "rr:all");
    expect(standings.reduce((s, r) => s + r.received, 0)).toBe(1);
    expect(standings.reduce((s, r) => s + r.entitled, 0)).toBeCloseTo(1, 12);
  });

  it("frees the open slot and the day's slot", () => {
    const x = rep("x", { maxOpenLeads: 1, maxLeadsPerDay: 1 });
    const state = createAssignmentState();
    const first = assign(d, {}, [x], state, NOW).result;
    expect(who(assign(d, {}, [x], state, NOW).result)).toBe("queue:review");
    onRejected(state, ticketOf(first));
    expect(state.reps.x).toMatchObject({ open: 0, today: 0 });
    expect(who(assign(d, {}, [x], state, NOW).result)).toBe("x");
  });

  it("with only the rep id: refunds the rep's latest counted lead, once", () => {
    const state = createAssignmentState();
    const { result } = assign(d, {}, reps, state, NOW);
    onRejected(state, who(result));
    expect(poolStandings(state, "rr:all").find((s) => s.repId === who(result))).toMatchObject({ received: 0, assigned: 0 });
    onRejected(state, who(result)); // a second refund by id finds nothing to refund
    expect(poolStandings(state, "rr:all").find((s) => s.repId === who(result))).toMatchObject({ received: 0, assigned: 0 });
    expect(state.reps[who(result)]?.open).toBe(0);
  });

  it("uncounted (account-owner) assignments refund nothing but the slots", () => {
    const state = createAssignmentState();
    const { result } = assign(dest([{ kind: "account_owner" }]), { accountOwnerRepId: "a" }, reps, state, NOW);
    expect(ticketOf(result).poolKey).toBeNull();
    onRejected(state, ticketOf(result));
    expect(state.reps.a).toMatchObject({ open: 0, today: 0 });
    expect(state.pools).toEqual({});
    onRejected(state, "a");
    expect(state.reps.a?.open).toBe(0);
  });

  it("a refund for a pool the state does not know (another row) is ignored", () => {
    const state = createAssignmentState();
    onRejected(state, { repId: "a", strategy: "round_robin", poolKey: "elsewhere", seq: 1, value: 1, shares: [["a", 0.5], ["z", 0.5]], day: "2026-03-10" });
    expect(state.pools).toEqual({});
  });
});

describe("refunds by rep id for an older lead (approximate) keep the ledger balanced", () => {
  it("takes back an average lead's entitlement from the reps present, so deficits still sum to zero", () => {
    const state = createAssignmentState();
    const first = assign(d, {}, reps, state, NOW).result;
    for (let i = 0; i < 4; i++) assign(d, {}, reps, state, NOW);
    const rejecter = who(first);
    const before = poolStandings(state, "rr:all").find((s) => s.repId === rejecter)!;
    // The rep's latest lead in the pool is not the pool's latest assignment any more: approximate path.
    expect(state.pools["rr:all"]?.last?.repId).not.toBe(rejecter);
    onRejected(state, rejecter);
    const after = poolStandings(state, "rr:all");
    expect(after.find((s) => s.repId === rejecter)!.received).toBe(before.received - 1);
    expect(after.reduce((sum, s) => sum + s.deficit, 0)).toBeCloseTo(0, 12);
    expect(after.reduce((sum, s) => sum + s.entitled, 0)).toBeCloseTo(after.reduce((sum, s) => sum + s.received, 0), 12);
  });

  it("with nobody else present, the rep's own entitlement is taken back", () => {
    const state = deserializeState({
      version: 1,
      revision: 3,
      pools: { "rr:all": { seq: 3, last: null, reps: { a: { deficit: 0, received: 2, entitled: 2, exposure: 2, assigned: 2, lastAvailableSeq: 1 } } } },
      reps: { a: { open: 2, day: "2026-03-10", today: 2, lastPool: "rr:all", lastValue: 1 } },
    });
    onRejected(state, "a");
    expect(poolStandings(state, "rr:all")[0]).toMatchObject({ received: 1, entitled: 1, deficit: 0, exposure: 1 });
  });
});

describe("rejoining after an absence: level with the pack (the clamp)", () => {
  /** A pool where a and b stayed available through assignment 10 and x was last available at assignment 3. */
  const stateWith = (xDeficit: number) =>
    deserializeState({
      version: 1,
      revision: 10,
      pools: {
        "rr:all": {
          seq: 10,
          last: null,
          reps: {
            a: { deficit: 0.3, received: 4, entitled: 4.3, exposure: 10, assigned: 4, lastAvailableSeq: 10 },
            b: { deficit: -0.3, received: 4, entitled: 3.7, exposure: 10, assigned: 4, lastAvailableSeq: 10 },
            x: { deficit: xDeficit, received: 2, entitled: 2, exposure: 3, assigned: 2, lastAvailableSeq: 3 },
          },
        },
      },
      reps: {},
    });
  const pool = [rep("a"), rep("b"), rep("x")];
  const nextTen = (state: ReturnType<typeof createAssignmentState>) => Array.from({ length: 10 }, () => who(assign(d, {}, pool, state, NOW).result));

  it("far behind when they left: no flood of catch-up leads", () => {
    const got = nextTen(stateWith(50)).filter((r) => r === "x").length;
    expect(got).toBeGreaterThanOrEqual(3);
    expect(got).toBeLessThanOrEqual(5);
  });

  it("far ahead when they left: not starved either", () => {
    const got = nextTen(stateWith(-50)).filter((r) => r === "x").length;
    expect(got).toBeGreaterThanOrEqual(3);
    expect(got).toBeLessThanOrEqual(5);
  });

  it("a rep who stayed available keeps their deficit (no clamp)", () => {
    const state = stateWith(0);
    state.pools["rr:all"]!.reps.x!.lastAvailableSeq = 10;
    state.pools["rr:all"]!.reps.x!.deficit = 5;
    expect(nextTen(state).slice(0, 4)).toEqual(["x", "x", "x", "x"]);
  });
});

describe("other outcomes", () => {
  it("onReassigned frees the slot; refunds only when asked", () => {
    const state = createAssignmentState();
    const r1 = assign(d, {}, reps, state, NOW).result;
    onReassigned(state, ticketOf(r1));
    expect(state.reps[who(r1)]?.open).toBe(0);
    expect(poolStandings(state, "rr:all").find((s) => s.repId === who(r1))?.received).toBe(1);
    const r2 = assign(d, {}, reps, state, NOW).result;
    onReassigned(state, ticketOf(r2), { refund: true });
    expect(poolStandings(state, "rr:all").find((s) => s.repId === who(r2))?.received).toBe(0);
  });

  it("onClosed frees the slot and keeps the share; open never goes negative", () => {
    const state = createAssignmentState();
    const r = assign(d, {}, reps, state, NOW).result;
    onClosed(state, ticketOf(r));
    onClosed(state, ticketOf(r));
    onClosed(state, "never-assigned");
    expect(state.reps[who(r)]?.open).toBe(0);
    expect(poolStandings(state, "rr:all").find((s) => s.repId === who(r))?.received).toBe(1);
  });

  it.each<[string, number, number]>([
    ["assigned", 1, 1],
    ["accepted", 1, 1],
    ["working", 1, 1],
    ["won", 0, 1],
    ["lost", 0, 1],
    ["disqualified", 0, 1],
    ["junk", 0, 1],
    ["duplicate", 0, 1],
    ["reassigned", 0, 1],
    ["rejected", 0, 0],
  ])("recordOutcome(%s) → open %d, received %d", (status, open, received) => {
    const state = createAssignmentState();
    const r = assign(d, {}, reps, state, NOW).result;
    recordOutcome(state, who(r), status);
    expect(state.reps[who(r)]?.open).toBe(open);
    expect(poolStandings(state, "rr:all").find((s) => s.repId === who(r))?.received).toBe(received);
  });
});

describe("state persistence", () => {
  it("round-trips through JSON (jsonb) and replays identically", () => {
    const live = createAssignmentState();
    let stored: unknown = null;
    for (let i = 0; i < 30; i++) {
      const lead = { country: i % 3 ? "DE" : "FR", value: (i % 7) + 1 };
      const reps2 = [rep("a", { weight: 2, maxLeadsPerDay: 8 }), rep("b", { territories: ["DE"] }), rep("c")];
      const dd = dest([rr({ matchTerritory: true, valueWeighted: true })]);
      const a = assign(dd, lead, reps2, live, NOW).result;
      const restored = deserializeState(stored);
      const b = assign(dd, lead, reps2, restored, NOW).result;
      stored = JSON.parse(JSON.stringify(serializeState(restored)));
      expect(who(b)).toBe(who(a));
      if (i % 5 === 4 && a.kind === "rep") {
        onRejected(live, a.ticket);
        const r = deserializeState(stored);
        onRejected(r, JSON.parse(JSON.stringify(ticketOf(b))));
        stored = serializeState(r);
      }
    }
    expect(deserializeState(JSON.stringify(stored))).toEqual(deserializeState(serializeState(live)));
  });

  it("serializeState is a deep copy", () => {
    const state = createAssignmentState();
    assign(d, {}, reps, state, NOW);
    const copy = serializeState(state);
    copy.pools["rr:all"]!.reps.a!.received = 99;
    copy.reps.a!.open = 99;
    expect(state.pools["rr:all"]!.reps.a!.received).toBe(1);
    expect(state.reps.a!.open).toBe(1);
  });

  it("null or undefined (no row yet) gives a fresh state", () => {
    expect(deserializeState(null)).toEqual(createAssignmentState());
    expect(deserializeState(undefined)).toEqual(createAssignmentState());
  });

  it.each<[string, unknown]>([
    ["wrong version", { version: 2, revision: 0, pools: {}, reps: {} }],
    ["negative open count", { version: 1, revision: 0, pools: {}, reps: { a: { open: -1, day: null, today: 0, lastPool: null, lastValue: 0 } } }],
    ["not JSON", "{oops"],
    ["a number", 42],
  ])("rejects a malformed state: %s", (_label, json) => {
    expect(() => deserializeState(json)).toThrow(AssignmentError);
  });

  it("rep ids that look like object keys are safe", () => {
    const state = createAssignmentState();
    const odd = [rep("__proto__"), rep("constructor")];
    assign(d, {}, odd, state, NOW);
    assign(d, {}, odd, state, NOW);
    const back = deserializeState(JSON.parse(JSON.stringify(serializeState(state))));
    expect(poolStandings(back, "rr:all").map((s) => s.repId)).toEqual(["__proto__", "constructor"]);
  });
});

describe("fairness report helpers", () => {
  it("tallySkips counts skips by reason", () => {
    const reasons = [
      { skipped: [{ repId: "a", reason: "out_of_office" as const, strategy: "round_robin" as const }] },
      { skipped: [{ repId: "a", reason: "out_of_office" as const, strategy: "account_owner" as const }, { repId: "b", reason: "territory" as const, strategy: "round_robin" as const }] },
    ];
    const tally = tallySkips(reasons);
    expect(tally.out_of_office).toBe(2);
    expect(tally.territory).toBe(1);
    expect(tally.capacity_open).toBe(0);
  });

  it("poolStandings of an unknown pool is empty", () => {
    expect(poolStandings(createAssignmentState(), "nope")).toEqual([]);
  });
});
