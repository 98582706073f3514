/**
 * What-if replay (lib/simulate/simulate.ts): flow matrix, volumes, triage, per-rep load with capacity and releases,
 * and the SLA / outcome projections from history's own rates — every number below is derived by hand.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Destination, RepProfile } from "@/lib/assignment";
import { compile, parseDecisionTable, type DecisionTable } from "@/lib/decision-table";
import type { DecideInput, RouteConfig, RouteKind, TableVersionRef } from "@/lib/routing/decide";
import type { LeadFacts } from "@/lib/routing/facts";
import type { PlaceContext } from "@/lib/routing/place";
import { MIN_SEGMENT_SAMPLE, MIN_SPEED_SAMPLE, SideReplay, Simulation, simulate, uuidAt, type Estimate, type HistoryLead, type SimulationInput, type SimulationResult } from "@/lib/simulate";
import { DEMO_TABLE, ROUTE_PATHS } from "@/db/seed/workspace-config";
import { destinationFor } from "@/db/seed/routing-model";

const Z = 1.959964;
const T0 = Date.UTC(2026, 2, 2, 8, 0); // Monday 2026-03-02 08:00 UTC
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// ------------------------------------------------------------------------------------------------ builders

function rep(id: string, teamId: string, extra: Partial<RepProfile> = {}): RepProfile {
  return {
    id, teamId, name: id.toUpperCase(), active: true, weight: 1, timeZone: "UTC", workingHours: null,
    territories: [], products: [], segments: [], maxOpenLeads: null, maxLeadsPerDay: null, outOfOffice: [], ...extra,
  };
}

const pool = (poolKey: string, repIds: string[]): Destination => ({ strategies: [{ kind: "round_robin", poolKey, repIds }], fallback: { kind: "queue", queue: "review" } });
const queue = (q: string): Destination => ({ strategies: [{ kind: "queue", queue: q }], fallback: { kind: "queue", queue: "review" } });

function route(key: string, kind: RouteKind, destination: Destination, o: { threshold?: number | null; sla?: number | null } = {}): RouteConfig {
  return { key, name: key.toUpperCase(), kind, confidenceThreshold: o.threshold ?? null, slaMinutes: o.sla ?? null, destination, fallbackRouteKey: null };
}

function place(routes: RouteConfig[], reps: RepProfile[]): PlaceContext {
  return { routes: new Map(routes.map((r) => [r.key, r])), reps, repsById: new Map(reps.map((r) => [r.id, r])), teamCalendars: new Map() };
}

function version(definition: DecisionTable, id: string): TableVersionRef {
  return { versionId: id, version: 1, definition, compiled: compile(definition) };
}

/** FIRST: spam → junk; sales with ≥ `aeFloor` employees → ae; sales with ≥ 100 → sdr (when `withSdr`); else nurture. */
function salesTable(aeFloor: number, withSdr = true): DecisionTable {
  return parseDecisionTable({
    name: "Sim",
    hitPolicy: "FIRST",
    inputs: [{ field: "category", type: "string" }, { field: "employees", type: "number" }],
    outputs: [{ name: "route", type: "string" }],
    rules: [
      { id: "R1", when: { category: "'spam'" }, then: { route: "junk" } },
      { id: "R2", when: { category: "'sales'", employees: `>= ${aeFloor}` }, then: { route: "ae" } },
      ...(withSdr ? [{ id: "R3", when: { category: "'sales'", employees: ">= 100" }, then: { route: "sdr" } }] : []),
      { id: "R4", when: {}, then: { route: "nurture" } },
    ],
  });
}

function lead(id: string, receivedAt: number, facts: LeadFacts, extra: Partial<HistoryLead> = {}): HistoryLead {
  return {
    id, receivedAt, facts, junk: false, junkDoubt: false, accountOwnerRepId: null, actualRoute: null, actualReview: false, segment: "P2",
    releaseAt: null, firstRepId: null, firstTeamId: null, humanBusinessMinutes: null, untouchedPastDue: false, routedToSales: false,
    decision: null, meeting: false, pipeline: 0, ...extra,
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const ZERO_LOAD = { assigned: 0, peakDay: 0, daysAtCap: 0, peakOpen: 0, capacitySkips: 0 };

/** value ± Z·sqrt(variance), the low end clamped at 0. */
function expectEstimate(e: Estimate | null | undefined, value: number, variance: number, sample?: number): void {
  expect(e).not.toBeNull();
  const half = Z * Math.sqrt(variance);
  expect(e!.value).toBeCloseTo(value, 9);
  expect(e!.low).toBeCloseTo(Math.max(0, value - half), 9);
  expect(e!.high).toBeCloseTo(value + half, 9);
  if (sample !== undefined) expect(e!.sample).toBe(sample);
}

/** Variance of n Bernoulli(p) draws with p estimated from m observations. */
const bernVar = (n: number, p: number, m: number) => n * p * (1 - p) + (n * n * p * (1 - p)) / m;

// ------------------------------------------------------------------------------------------------ the 10-lead history

const REPS = [rep("a1", "t-ae"), rep("a2", "t-ae"), rep("s1", "t-sdr", { maxLeadsPerDay: 3 })];
const ROUTES = [
  route("ae", "sales", pool("ae", ["a1", "a2"]), { threshold: 0.6, sla: 30 }),
  route("sdr", "sales", pool("sdr", ["s1"]), { threshold: 0.6, sla: 60 }),
  route("nurture", "nurture", queue("nurture")),
  route("review", "review", queue("review")),
  route("junk", "junk", queue("junk")),
];
const PLACE = place(ROUTES, REPS);
const routesMap = PLACE.routes;
const BASELINE: DecideInput = { table: version(salesTable(1000), "v1"), routes: routesMap };
const DRAFT: DecideInput = { table: version(salesTable(500), "v2"), routes: routesMap };

const ai = (category: string, employees: number | null, confidence: number, ai_fields: string[] = ["category"]): LeadFacts => ({ category, employees, confidence, ai_fields });
const at = (i: number) => T0 + i * HOUR;

/**
 *        facts                              baseline (≥1000 → ae)        draft (≥500 → ae)
 * L1  sales 2000 conf .9                   ae   R2                      ae   R2
 * L2  sales  700 conf .9                   sdr  R3                      ae   R2          changed
 * L3  sales  600 conf .5 (AI category)     review (low conf, R3)        review (low conf, R2)   rule changed only
 * L4  spam       conf .95                  junk R1                      junk R1
 * L5  other                                nurture R4                   nurture R4
 * L6  sales  150 conf .9                   sdr  R3                      sdr  R3
 * L7  sales 5000 conf .9                   ae   R2                      ae   R2
 * L8  junk flag                            junk (no rule)               junk (no rule)
 * L9  sales  800 conf .55, no AI fields    sdr  R3 (guard n/a)          ae   R2          changed
 * L10 sales 3000 conf .9, junk doubt       review (junk_doubt, R2)      review (junk_doubt, R2)
 */
const HISTORY: HistoryLead[] = [
  lead("L1", at(0), ai("sales", 2000, 0.9), { actualRoute: "ae" }),
  lead("L2", at(1), ai("sales", 700, 0.9), { actualRoute: "sdr" }),
  lead("L3", at(2), ai("sales", 600, 0.5), { actualRoute: "review", actualReview: true }),
  lead("L4", at(3), ai("spam", null, 0.95), { actualRoute: "junk" }),
  lead("L5", at(4), ai("other", null, 0.3), { actualRoute: "legacy" }),
  lead("L6", at(5), ai("sales", 150, 0.9), { actualRoute: "sdr" }),
  lead("L7", at(6), ai("sales", 5000, 0.9), { actualRoute: "ae" }),
  lead("L8", at(7), ai("sales", 5000, 0.9), { junk: true, actualRoute: null }),
  lead("L9", at(8), ai("sales", 800, 0.55, []), { actualRoute: "sdr" }),
  lead("L10", at(9), ai("sales", 3000, 0.9), { junkDoubt: true, actualRoute: "review", actualReview: true }),
];

describe("simulate: a hand-built 10-lead history where one rule changes", () => {
  const r = simulate({ baseline: BASELINE, draft: DRAFT, place: PLACE }, HISTORY);

  it("counts leads, route changes and rule changes", () => {
    expect(r.leads).toBe(10);
    expect(r.changed).toBe(2); // L2, L9
    expect(r.ruleChanged).toBe(3); // L2, L3, L9
  });

  it("builds the flow matrix in route order with the leads of each cell", () => {
    expect(r.flow).toEqual([
      { from: "ae", to: "ae", count: 2, leadIds: ["L1", "L7"] },
      { from: "sdr", to: "ae", count: 2, leadIds: ["L2", "L9"] },
      { from: "sdr", to: "sdr", count: 1, leadIds: ["L6"] },
      { from: "nurture", to: "nurture", count: 1, leadIds: ["L5"] },
      { from: "review", to: "review", count: 2, leadIds: ["L3", "L10"] },
      { from: "junk", to: "junk", count: 2, leadIds: ["L4", "L8"] },
    ]);
  });

  it("gives volumes per route: actual, baseline, draft (unknown routes, then none, last)", () => {
    expect(r.volumes).toEqual([
      { route: "ae", actual: 2, baseline: 2, draft: 4 },
      { route: "sdr", actual: 3, baseline: 3, draft: 1 },
      { route: "nurture", actual: 0, baseline: 1, draft: 1 },
      { route: "review", actual: 2, baseline: 2, draft: 2 },
      { route: "junk", actual: 1, baseline: 2, draft: 2 },
      { route: "legacy", actual: 1, baseline: 0, draft: 0 },
      { route: null, actual: 1, baseline: 0, draft: 0 },
    ]);
  });

  it("counts triage and review reasons: the confidence guard sends L3 to review, junk doubt L10", () => {
    expect(r.triage).toEqual({ actual: 2, baseline: 2, draft: 2 });
    expect(r.reviewReasons).toEqual({ baseline: { low_confidence: 1, junk_doubt: 1 }, draft: { low_confidence: 1, junk_doubt: 1 } });
  });

  it("replays round robin over the two AEs on each side, and the SDR's daily cap", () => {
    expect(r.load.reps).toEqual([
      // baseline ae: L1 → a1, L7 → a2; draft ae: L1 → a1, L2 → a2, L7 → a1, L9 → a2.
      { repId: "a1", teamId: "t-ae", maxLeadsPerDay: null, maxOpenLeads: null, baseline: { ...ZERO_LOAD, assigned: 1, peakDay: 1, peakOpen: 1 }, draft: { ...ZERO_LOAD, assigned: 2, peakDay: 2, peakOpen: 2 } },
      { repId: "a2", teamId: "t-ae", maxLeadsPerDay: null, maxOpenLeads: null, baseline: { ...ZERO_LOAD, assigned: 1, peakDay: 1, peakOpen: 1 }, draft: { ...ZERO_LOAD, assigned: 2, peakDay: 2, peakOpen: 2 } },
      // baseline sdr: L2, L6, L9 on one day = the cap of 3 (a day at cap); draft sdr: L6 only.
      { repId: "s1", teamId: "t-sdr", maxLeadsPerDay: 3, maxOpenLeads: null, baseline: { ...ZERO_LOAD, assigned: 3, peakDay: 3, daysAtCap: 1, peakOpen: 3 }, draft: { ...ZERO_LOAD, assigned: 1, peakDay: 1, peakOpen: 1 } },
    ]);
    expect(r.load.teams).toEqual([{ teamId: "t-ae", baseline: 2, draft: 4 }, { teamId: "t-sdr", baseline: 3, draft: 1 }]);
    expect(r.load.unassigned).toEqual({ baseline: 0, draft: 0 });
  });

  it("projects SLA with no speed history as zero (assigned counts still reported), outcomes as null", () => {
    const none = { value: 0, low: 0, high: 0, sample: 0 };
    expect(r.sla).toEqual([
      { route: "ae", slaMinutes: 30, baseline: none, draft: none, baselineAssigned: 2, draftAssigned: 4 },
      { route: "sdr", slaMinutes: 60, baseline: none, draft: none, baselineAssigned: 3, draftAssigned: 1 },
    ]);
    const nothing = { accepted: null, meetings: null, pipeline: null };
    expect(r.outcomes).toEqual([
      { route: "ae", baseline: { leads: 2, ...nothing }, draft: { leads: 4, ...nothing } },
      { route: "sdr", baseline: { leads: 3, ...nothing }, draft: { leads: 1, ...nothing } },
    ]);
  });

  it("keeps at most samplePerCell lead ids per cell, counting all", () => {
    const s = simulate({ baseline: BASELINE, draft: DRAFT, place: PLACE, samplePerCell: 1 }, HISTORY);
    expect(s.flow.map((c) => [c.count, c.leadIds])).toEqual([[2, ["L1"]], [2, ["L2"]], [1, ["L6"]], [1, ["L5"]], [2, ["L3"]], [2, ["L4"]]]);
    expect(simulate({ baseline: BASELINE, draft: DRAFT, place: PLACE, samplePerCell: 0 }, HISTORY).flow.every((c) => c.leadIds.length === 0)).toBe(true);
  });

  it("replaying the baseline against itself (same input object) changes nothing", () => {
    const same = simulate({ baseline: BASELINE, draft: BASELINE, place: PLACE }, HISTORY);
    expect(same.changed).toBe(0);
    expect(same.ruleChanged).toBe(0);
    expect(same.flow.every((c) => c.from === c.to)).toBe(true);
    expect(same.volumes.map((v) => v.draft)).toEqual(same.volumes.map((v) => v.baseline));
    expect(same.volumes.map((v) => v.baseline)).toEqual(r.volumes.map((v) => v.baseline));
    for (const l of same.load.reps) expect(l.draft).toEqual(l.baseline);
    expect(same.triage).toEqual({ actual: 2, baseline: 2, draft: 2 });
  });

  it("with no published baseline, every baseline lead goes to review", () => {
    const s = simulate({ baseline: { table: null, routes: routesMap, problems: ["no published version"] }, draft: DRAFT, place: PLACE }, HISTORY);
    // L8 is junk on both sides (junk is decided before the table).
    expect(s.reviewReasons.baseline).toEqual({ no_published_table: 9 });
    expect(s.triage.baseline).toBe(9);
    expect(s.volumes.find((v) => v.route === "review")).toEqual({ route: "review", actual: 2, baseline: 9, draft: 2 });
    expect(s.changed).toBe(7); // all but L3, L10 (review on both) and L8 (junk on both)
    expect(s.ruleChanged).toBe(9); // every lead the draft decided by a rule: all but L8
  });
});

describe("Simulation: feeding", () => {
  it("feeds in chunks with the same result as one pass, and counts processed leads", () => {
    const whole = simulate({ baseline: BASELINE, draft: DRAFT, place: PLACE }, HISTORY);
    for (const cut of [1, 4, 9]) {
      const sim = new Simulation({ baseline: BASELINE, draft: DRAFT, place: PLACE });
      sim.feed(HISTORY.slice(0, cut));
      expect(sim.processed).toBe(cut);
      sim.feed([]);
      sim.feed(HISTORY.slice(cut));
      expect(sim.processed).toBe(10);
      expect(sim.result()).toEqual(whole);
    }
  });

  it("throws on history out of arrival order, across chunks too; equal times are fine", () => {
    const sim = new Simulation({ baseline: BASELINE, draft: DRAFT, place: PLACE });
    sim.feed([lead("x", T0 + 10, {}), lead("y", T0 + 10, {})]);
    expect(() => sim.feed([lead("z", T0 + 9, {})])).toThrow("history out of order at lead z");
    expect(() => simulate({ baseline: BASELINE, draft: DRAFT, place: PLACE }, [lead("a", T0, {}), lead("b", T0 - 1, {})])).toThrow("history out of order at lead b");
  });

  it("counts a lead with no route (no rule matched, no review route) under null, after unknown routes sorted by name", () => {
    const routes = [route("ae", "sales", pool("ae", ["a1"]), { sla: 30 }), route("nurture", "nurture", queue("nurture"))];
    const p = place(routes, [rep("a1", "t-ae")]);
    const noCatchAll = parseDecisionTable({ ...salesTable(1000, false), rules: salesTable(1000, false).rules.filter((r) => r.id !== "R4") });
    const side: DecideInput = { table: version(noCatchAll, "x"), routes: p.routes };
    const r = simulate({ baseline: side, draft: side, place: p }, [
      lead("n1", T0, { category: "other" }, { actualRoute: "zeta" }),
      lead("n2", T0 + 1, { category: "sales", employees: 5000 }, { actualRoute: "alpha" }),
      lead("n3", T0 + 2, { category: "other" }, { actualRoute: "ae" }),
    ]);
    expect(r.flow).toEqual([{ from: "ae", to: "ae", count: 1, leadIds: ["n2"] }, { from: null, to: null, count: 2, leadIds: ["n1", "n3"] }]);
    expect(r.volumes).toEqual([
      { route: "ae", actual: 1, baseline: 1, draft: 1 },
      { route: "alpha", actual: 1, baseline: 0, draft: 0 },
      { route: "zeta", actual: 1, baseline: 0, draft: 0 },
      { route: null, actual: 0, baseline: 2, draft: 2 },
    ]);
    expect(r.triage).toEqual({ actual: 0, baseline: 2, draft: 2 });
    expect(r.reviewReasons.draft).toEqual({ no_rule_matched: 2 });
  });

  it("decides the draft in full when a version's compiled table is not its definition", () => {
    // The draft ref carries the published definition but a compiled table in which R02 sends support to nurture:
    // evaluation follows the compiled table, so the draft must not reuse the baseline's decisions.
    const published = parseDecisionTable(DEMO_TABLE);
    const edited = parseDecisionTable({ ...DEMO_TABLE, rules: DEMO_TABLE.rules.map((r) => (r.id === "R02" ? { ...r, then: { route: "nurture" } } : r)) });
    const ruleOrder = parseDecisionTable({ ...DEMO_TABLE, hitPolicy: "RULE ORDER" });
    const routes = new Map([["support", route("support", "support", queue("support"))], ["nurture", route("nurture", "nurture", queue("nurture"))], ["review", route("review", "review", queue("review"))]]);
    const p: PlaceContext = { routes, reps: [], repsById: new Map(), teamCalendars: new Map() };
    const base: DecideInput = { table: { versionId: "b", version: 1, definition: published, compiled: compile(published) }, routes };
    const history = [lead("s", T0, { category: "support_request" }), lead("j", T0 + 1, { category: "job_application" })];
    for (const compiled of [compile(edited), compile(ruleOrder)]) {
      const draft: DecideInput = { table: { versionId: "d", version: 2, definition: published, compiled }, routes };
      const fast = simulate({ baseline: base, draft, place: p }, history);
      expect(fast).toEqual(simulate({ baseline: base, draft: { ...draft, routes: new Map(routes) }, place: p }, history));
      expect(fast.changed).toBe(compiled.table === edited ? 1 : 0);
    }
  });

  /** The draft replayed by a SideReplay (its outcome structured-cloned, as a worker thread posts it), then merged. */
  function split(input: SimulationInput, history: readonly HistoryLead[], cuts: number[] = []): SimulationResult {
    const sim = new Simulation({ ...input, draftElsewhere: true });
    const side = new SideReplay(input.draft, input.place);
    let from = 0;
    for (const cut of [...cuts, history.length]) {
      sim.feed(history.slice(from, cut));
      side.feed(history.slice(from, cut));
      from = cut;
    }
    return sim.result(structuredClone(side.finish()));
  }

  it("with the draft replayed elsewhere (SideReplay) gives the same result as replaying both sides here", () => {
    const input = { baseline: BASELINE, draft: DRAFT, place: PLACE };
    expect(split(input, HISTORY, [3, 7])).toEqual(simulate(input, HISTORY));
    expect(split({ ...input, samplePerCell: 1 }, HISTORY)).toEqual(simulate({ ...input, samplePerCell: 1 }, HISTORY));
    expect(split(input, [])).toEqual(simulate(input, []));
  });

  it("with the draft elsewhere: equal to one thread for any history, caps and releases; ids read from id columns", () => {
    const reps = [rep("a1", "t-ae", { maxOpenLeads: 2 }), rep("a2", "t-ae", { maxLeadsPerDay: 3 }), rep("s1", "t-sdr", { maxLeadsPerDay: 2 })];
    const p = place(ROUTES, reps);
    const input: SimulationInput = { baseline: { table: version(salesTable(1000), "v1"), routes: p.routes }, draft: { table: version(salesTable(300, false), "v2"), routes: p.routes }, place: p, samplePerCell: 3 };
    const arb = fc.array(fc.record({
      gap: fc.integer({ min: 0, max: 6 * HOUR }),
      category: fc.constantFrom("sales", "spam", "other"),
      employees: fc.option(fc.integer({ min: 1, max: 3000 })),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      junk: fc.boolean(),
      doubt: fc.boolean(),
      release: fc.option(fc.integer({ min: -HOUR, max: 3 * DAY })),
      stored: fc.boolean(),
    }), { maxLength: 80 });
    fc.assert(fc.property(arb, fc.array(fc.nat(80), { maxLength: 3 }), (rows, cuts) => {
      // Stored leads carry their id in a day's id column (16 bytes each), as HistoryDayLeads hands them out.
      const column = new Uint8Array(16 * rows.length);
      for (let i = 0; i < column.length; i++) column[i] = (i * 37 + 11) % 256;
      let t = T0;
      const history = rows.map((r, i) => {
        t += r.gap;
        const facts = ai(r.category, r.employees, r.confidence);
        const extra: Partial<HistoryLead> = { junk: r.junk && r.doubt, junkDoubt: !r.junk && r.doubt, releaseAt: r.release === null ? null : t + r.release };
        if (r.stored) return { ...lead(uuidAt(column, i), t, facts, extra), idColumn: column, idIndex: i };
        return lead(`L${i}`, t, facts, extra);
      });
      const sortedCuts = [...new Set(cuts.filter((c) => c <= history.length))].sort((a, b) => a - b);
      expect(split(input, history, sortedCuts)).toEqual(simulate(input, history));
    }), { numRuns: 150 });
  });

  it("with the draft elsewhere: the result needs the draft's outcome, of as many leads, and only one", () => {
    const input = { baseline: BASELINE, draft: DRAFT, place: PLACE };
    const sim = new Simulation({ ...input, draftElsewhere: true });
    sim.feed(HISTORY);
    expect(() => sim.result()).toThrow("pass the draft's outcome");
    const short = new SideReplay(DRAFT, PLACE);
    short.feed(HISTORY.slice(0, 9));
    expect(() => sim.result(short.finish())).toThrow("the draft replayed 9 leads, the baseline 10");
    const side = new SideReplay(DRAFT, PLACE);
    side.feed(HISTORY);
    const outcome = side.finish();
    const r = sim.result(outcome);
    expect(sim.result(outcome)).toEqual(r);
    expect(() => sim.result(structuredClone(outcome))).toThrow("already completed");
    expect(() => new SideReplay(DRAFT, PLACE).feed([lead("a", T0, {}), lead("b", T0 - 1, {})])).toThrow("history out of order at lead b");
  });

  it("an empty history gives an empty result", () => {
    expect(simulate({ baseline: BASELINE, draft: DRAFT, place: PLACE }, [])).toEqual({
      leads: 0, changed: 0, ruleChanged: 0, flow: [], volumes: [], triage: { actual: 0, baseline: 0, draft: 0 },
      reviewReasons: { baseline: {}, draft: {} }, load: { reps: [], teams: [], unassigned: { baseline: 0, draft: 0 } }, sla: [], outcomes: [],
    });
  });
});

// ------------------------------------------------------------------------------------------------ capacity and releases

describe("simulate: capacity, releases and load", () => {
  const sales = (id: string, t: number, releaseAt: number | null = null) => lead(id, t, { category: "sales", employees: 5000 }, { releaseAt });
  const setup = (reps: RepProfile[]): SimulationInput => {
    const routes = [route("ae", "sales", pool("ae", reps.map((x) => x.id)), { sla: 30 }), route("nurture", "nurture", queue("nurture")), route("review", "review", queue("review"))];
    const p = place(routes, reps);
    const input: DecideInput = { table: version(salesTable(1000, false), "v"), routes: p.routes };
    return { baseline: input, draft: input, place: p };
  };

  it("a rep with maxOpenLeads 1 takes a new lead only once the open one is released", () => {
    const input = setup([rep("x", "t", { maxOpenLeads: 1 })]);
    const r = simulate(input, [
      sales("L1", T0, T0 + 100 * MIN), // → x, open until +100
      sales("L2", T0 + 50 * MIN), // x at cap → review
      sales("L3", T0 + 100 * MIN), // released at +100 (inclusive) → x, never released
      sales("L4", T0 + 200 * MIN), // x at cap → review
    ]);
    expect(r.load.reps).toEqual([
      // L2 and L4 found x at capacity: two capacity skips on each side.
      { repId: "x", teamId: "t", maxLeadsPerDay: null, maxOpenLeads: 1, baseline: { ...ZERO_LOAD, assigned: 2, peakDay: 2, peakOpen: 1, capacitySkips: 2 }, draft: { ...ZERO_LOAD, assigned: 2, peakDay: 2, peakOpen: 1, capacitySkips: 2 } },
    ]);
    expect(r.load.unassigned).toEqual({ baseline: 2, draft: 2 });
    expect(r.triage).toEqual({ actual: 0, baseline: 2, draft: 2 });
    expect(r.reviewReasons.draft).toEqual({ no_eligible_owner: 2 });
    // The leads still count under the route they were decided for.
    expect(r.volumes.find((v) => v.route === "ae")).toMatchObject({ baseline: 4, draft: 4 });
    expect(r.sla[0]).toMatchObject({ route: "ae", baselineAssigned: 2, draftAssigned: 2 });
  });

  it("a release dated before arrival frees the slot from arrival on", () => {
    const r = simulate(setup([rep("x", "t", { maxOpenLeads: 1 })]), [sales("L1", T0, T0 - HOUR), sales("L2", T0), sales("L3", T0 + MIN)]);
    // L1 frees at T0 (its arrival), so L2 at T0 gets x; L2 stays open, so L3 goes to review.
    expect(r.load.reps[0]?.draft).toEqual({ ...ZERO_LOAD, assigned: 2, peakDay: 2, peakOpen: 1, capacitySkips: 1 });
    expect(r.load.unassigned.draft).toBe(1);
  });

  it("releases many open leads in time order (heap), tracking peak open", () => {
    // No cap: the rep takes everything; open = leads assigned and not yet released at each arrival.
    const releases = [5, 2, 9, 1, null, 3, 8, 7];
    const history = releases.map((rel, i) => sales(`L${i}`, T0 + i * HOUR, rel === null ? null : T0 + (i + rel) * HOUR - MIN));
    // L_j is open at arrival i when j ≤ i < j + rel_j (it is released a minute before hour j + rel_j).
    //   i:     0  1  2  3  4  5  6  7
    //   open:  1  2  3  3  3  3  4  5   (L1 closes at 3, L3 at 4, L0 at 5, L5 at 8, L2 at 11, L6 at 14, L7 at 14; L4 never)
    const openAt = (i: number) => releases.slice(0, i + 1).filter((rel, j) => rel === null || i < j + rel).length;
    expect(releases.map((_, i) => openAt(i))).toEqual([1, 2, 3, 3, 3, 3, 4, 5]);
    const r = simulate(setup([rep("x", "t")]), history);
    expect(r.load.reps[0]?.draft).toMatchObject({ assigned: 8, peakOpen: 5 });
  });

  it("counts capacity skips for the rep passed over", () => {
    const r = simulate(setup([rep("x", "t", { maxOpenLeads: 1 }), rep("y", "t")]), [sales("L1", T0), sales("L2", T0 + MIN), sales("L3", T0 + 2 * MIN)]);
    // L1 → x (tie, lower id); L2 and L3: x is at its open cap and skipped → y.
    expect(r.load.reps.map((l) => [l.repId, l.draft.assigned, l.draft.capacitySkips])).toEqual([["y", 2, 0], ["x", 1, 2]]);
    expect(r.load.unassigned.draft).toBe(0);
  });

  it("counts capacity skips also when every rep is at capacity and the lead goes to review", () => {
    // Same as the maxOpenLeads-1 case above: x is skipped at its open-lead cap for L2 and L4, which go to review; the
    // skips count even though no rep took those leads ("Skipped at capacity" in the load table).
    const r = simulate(setup([rep("x", "t", { maxOpenLeads: 1 })]), [sales("L1", T0, T0 + 100 * MIN), sales("L2", T0 + 50 * MIN), sales("L3", T0 + 100 * MIN), sales("L4", T0 + 200 * MIN)]);
    expect(r.load.reps[0]?.draft.capacitySkips).toBe(2);
  });

  it("tracks peak day and days at the daily cap per UTC day", () => {
    const r = simulate(setup([rep("s", "t", { maxLeadsPerDay: 2 }), rep("t", "t")]), [
      sales("L1", T0), // s (tie)
      sales("L2", T0 + HOUR), // t
      sales("L3", T0 + 2 * HOUR), // s (tie again) — s is now at 2/2 today
      sales("L4", T0 + 3 * HOUR), // s skipped (daily cap) → t
      sales("L5", T0 + DAY), // next day: s rejoins level with t, wins the tie
    ]);
    const s = r.load.reps.find((l) => l.repId === "s")!;
    const t = r.load.reps.find((l) => l.repId === "t")!;
    expect(s.draft).toEqual({ assigned: 3, peakDay: 2, daysAtCap: 1, peakOpen: 3, capacitySkips: 1 });
    expect(t.draft).toEqual({ assigned: 2, peakDay: 2, daysAtCap: 0, peakOpen: 2, capacitySkips: 0 });
    expect(r.load.reps.map((l) => l.repId)).toEqual(["s", "t"]);
  });

  it("open-slot releases match a brute-force model for any arrivals, releases and cap", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 30 }), hold: fc.option(fc.integer({ min: -5, max: 90 }), { nil: null }) }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        (spec, cap) => {
          let t = T0;
          const history = spec.map((s, i) => {
            t += s.gap * MIN;
            return sales(`L${i}`, t, s.hold === null ? null : t + s.hold * MIN);
          });
          // Model: a lead is open from its arrival until max(release, arrival); a release at time t frees before a lead at t.
          const open: number[] = [];
          let assigned = 0;
          let peak = 0;
          let skipped = 0;
          for (const l of history) {
            for (let k = open.length - 1; k >= 0; k--) if (open[k]! <= l.receivedAt) open.splice(k, 1);
            if (open.length < cap) {
              assigned++;
              open.push(l.releaseAt === null ? Infinity : Math.max(l.releaseAt, l.receivedAt));
              peak = Math.max(peak, open.length);
            } else skipped++;
          }
          const r = simulate(setup([rep("x", "t", { maxOpenLeads: cap })]), history);
          const x = r.load.reps[0]?.draft ?? ZERO_LOAD;
          expect(x.assigned).toBe(assigned);
          expect(x.peakOpen).toBe(peak);
          expect(r.load.unassigned.draft).toBe(skipped);
          expect(r.reviewReasons.draft.no_eligible_owner ?? 0).toBe(skipped);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ------------------------------------------------------------------------------------------------ SLA projection

describe("simulate: SLA projection from reps' historical speed", () => {
  /** A lead that only teaches speed: routed to nurture on replay, first owned by `repId` in history. */
  const timed = (id: string, t: number, repId: string, teamId: string, minutes: number | null, pastDue = false) =>
    lead(id, t, { category: "other" }, { firstRepId: repId, firstTeamId: teamId, humanBusinessMinutes: minutes, untouchedPastDue: pastDue });
  const sales = (id: string, t: number, employees: number) => lead(id, t, { category: "sales", employees });

  function setup(reps: RepProfile[], routes: RouteConfig[]): SimulationInput {
    const p = place([...routes, route("nurture", "nurture", queue("nurture")), route("review", "review", queue("review"))], reps);
    return {
      baseline: { table: version(salesTable(1000, false), "b"), routes: p.routes },
      draft: { table: version(salesTable(500, false), "d"), routes: p.routes },
      place: p,
    };
  }

  it("uses the constants the hand computations assume", () => {
    expect(MIN_SPEED_SAMPLE).toBe(10);
    expect(MIN_SEGMENT_SAMPLE).toBe(20);
  });

  /** Rep a: 10 timed assignments, 3 slower than 30 minutes (45, 90, and untouched past due; exactly 30 is not slower). */
  const A_HISTORY = [5, 10, 15, 20, 25, 30, 30, 45, 90, null].map((m, i) => timed(`a${i}`, T0 + i * MIN, "a", "T1", m, m === null));

  it("rep A: p = 3/10; n assignments → 0.3·n ± 1.96·sqrt(n·p(1−p) + n²·p(1−p)/m)", () => {
    const input = setup([rep("a", "T1")], [route("ae", "sales", pool("ae", ["a"]), { sla: 30 })]);
    // Baseline (≥ 1000) sends 1 lead to ae, the draft (≥ 500) 4.
    const history = [...A_HISTORY, sales("s1", T0 + HOUR, 2000), sales("s2", T0 + HOUR, 600), sales("s3", T0 + HOUR, 700), sales("s4", T0 + HOUR, 800)];
    // An untouched lead still within its SLA tells nothing about speed.
    history.splice(3, 0, timed("open", T0 + 3 * MIN, "a", "T1", null, false));
    const [sla] = simulate(input, history).sla;
    expect(sla).toMatchObject({ route: "ae", slaMinutes: 30, baselineAssigned: 1, draftAssigned: 4 });
    // n = 1: 0.3, variance 0.21 + 0.021 = 0.231 (low end clamped at 0).
    expectEstimate(sla?.baseline, 0.3, 0.231, 10);
    expect(sla?.baseline.low).toBe(0);
    // n = 4: 1.2, variance 4·0.21 + 16·0.21/10 = 0.84 + 0.336 = 1.176 → high = 1.2 + 1.959964·1.084435 = 3.32546.
    expectEstimate(sla?.draft, 1.2, 1.176, 10);
    expect(sla?.draft.high).toBeCloseTo(3.32546, 4);
  });

  it("a larger history narrows the interval above zero", () => {
    // 100 timed assignments, 30 slower than 30 min; 10 draft assignments: 3 ± 1.959964·sqrt(2.1 + 100·0.21/100 = 2.31).
    const learn = Array.from({ length: 100 }, (_, i) => timed(`h${i}`, T0 + i, "a", "T1", i < 30 ? 31 : 29));
    const input = setup([rep("a", "T1")], [route("ae", "sales", pool("ae", ["a"]), { sla: 30 })]);
    const history = [...learn, ...Array.from({ length: 10 }, (_, i) => sales(`s${i}`, T0 + HOUR + i, 600))];
    const [sla] = simulate(input, history).sla;
    expectEstimate(sla?.draft, 3, 2.31, 100);
    expect(sla?.draft.low).toBeCloseTo(3 - 1.959964 * Math.sqrt(2.31), 9);
    expect(sla?.draft.low).toBeGreaterThan(0);
    expect(sla?.baseline).toEqual({ value: 0, low: 0, high: 0, sample: 0 });
    expect(sla?.baselineAssigned).toBe(0);
  });

  // Rep b (T1): 4 timed, 2 slower (31, 60) → borrows team T1 = a + b: 14 timed, 5 slower.
  // Rep c (T2): 2 timed, 1 slower (100) → team T2 has 2 < 10 → everyone: 16 timed, 6 slower.
  // Rep d (T1): no history at all → team T1 via the rep profile.
  const B_C_HISTORY = [
    ...[10, 31, 20, 60].map((m, i) => timed(`b${i}`, T0 + (20 + i) * MIN, "b", "T1", m)),
    timed("b-open", T0 + 25 * MIN, "b", "T1", null),
    ...[100, 5].map((m, i) => timed(`c${i}`, T0 + (30 + i) * MIN, "c", "T2", m)),
  ];

  it("falls back rep → team → everyone below MIN_SPEED_SAMPLE", () => {
    const reps = [rep("a", "T1"), rep("b", "T1"), rep("c", "T2"), rep("d", "T1")];
    const input = setup(reps, [route("ae", "sales", pool("ae", ["a", "b", "c"]), { sla: 30 }), route("ent", "sales", pool("ent", ["d"]), { sla: 30 })]);
    // Route the draft's 500–999 leads through ae, and everything ≥ 1000 through ent (d alone).
    const tableFor = (aeFloor: number) =>
      parseDecisionTable({
        name: "Sim", hitPolicy: "FIRST", inputs: [{ field: "category", type: "string" }, { field: "employees", type: "number" }], outputs: [{ name: "route", type: "string" }],
        rules: [
          { id: "E", when: { category: "'sales'", employees: ">= 5000" }, then: { route: "ent" } },
          { id: "A", when: { category: "'sales'", employees: `>= ${aeFloor}` }, then: { route: "ae" } },
          { id: "N", when: {}, then: { route: "nurture" } },
        ],
      });
    input.baseline = { table: version(tableFor(1000), "b"), routes: input.place.routes };
    input.draft = { table: version(tableFor(500), "d"), routes: input.place.routes };
    const history = [
      ...A_HISTORY, ...B_C_HISTORY,
      // ae: baseline gets the three ≥ 1000 (a, b, c); the draft gets all six (a, b, c, a, b, c).
      ...[1000, 600, 2000, 700, 3000, 800].map((e, i) => sales(`s${i}`, T0 + HOUR + i * MIN, e)),
      ...[6000, 7000, 8000].map((e, i) => sales(`e${i}`, T0 + 2 * HOUR + i * MIN, e)),
    ];
    const r = simulate(input, history);
    const ae = r.sla.find((s) => s.route === "ae")!;
    const ent = r.sla.find((s) => s.route === "ent")!;
    expect(r.load.reps.filter((l) => l.repId !== "d").map((l) => [l.repId, l.baseline.assigned, l.draft.assigned])).toEqual([["a", 1, 2], ["b", 1, 2], ["c", 1, 2]]);
    const pA = 3 / 10, pT1 = 5 / 14, pAll = 6 / 16;
    expect(ae).toMatchObject({ baselineAssigned: 3, draftAssigned: 6 });
    // Baseline: one each → 0.3 + 5/14 + 0.375 = 1.0321428…
    expectEstimate(ae.baseline, pA + pT1 + pAll, bernVar(1, pA, 10) + bernVar(1, pT1, 14) + bernVar(1, pAll, 16));
    expect(ae.baseline.value).toBeCloseTo(1.0321428571, 9);
    // Draft: two each → 0.6 + 10/14 + 0.75 = 2.0642857…; variance 0.504 + 0.5247813 + 0.5273438 = 1.5561251.
    expectEstimate(ae.draft, 2 * (pA + pT1 + pAll), bernVar(2, pA, 10) + bernVar(2, pT1, 14) + bernVar(2, pAll, 16));
    expect(ae.draft.high - ae.draft.value).toBeCloseTo(1.959964 * Math.sqrt(1.5561251), 6);
    // d has no history of its own: T1's rate via its profile. 3 leads on both sides.
    expect(ent).toMatchObject({ slaMinutes: 30, baselineAssigned: 3, draftAssigned: 3 });
    expectEstimate(ent.draft, 3 * pT1, bernVar(3, pT1, 14), 14);
    expect(ent.baseline).toEqual(ent.draft);
  });

  it("everyone's rate backs a rep whose team has too little history", () => {
    const input = setup([rep("c", "T2")], [route("ae", "sales", pool("ae", ["c"]), { sla: 30 })]);
    const r = simulate(input, [...A_HISTORY, ...B_C_HISTORY, sales("s", T0 + HOUR, 700)]);
    expectEstimate(r.sla[0]?.draft, 6 / 16, bernVar(1, 6 / 16, 16), 16);
  });

  it("counts speed at every SLA in use (a route with a longer SLA sees fewer breaches)", () => {
    const input = setup([rep("a", "T1")], [route("ae", "sales", pool("ae", ["a"]), { sla: 30 }), route("slow", "support", pool("slow", ["a"]), { sla: 60 })]);
    const table = parseDecisionTable({
      name: "S", hitPolicy: "FIRST", inputs: [{ field: "category", type: "string" }], outputs: [{ name: "route", type: "string" }],
      rules: [{ id: "S", when: { category: "'help'" }, then: { route: "slow" } }, { id: "N", when: {}, then: { route: "nurture" } }],
    });
    input.baseline = input.draft = { table: version(table, "s"), routes: input.place.routes };
    const r = simulate(input, [...A_HISTORY, lead("h", T0 + HOUR, { category: "help" })]);
    // At 60 minutes only 90 and the untouched lead are slower: p = 2/10.
    expect(r.sla).toHaveLength(1);
    expect(r.sla[0]).toMatchObject({ route: "slow", slaMinutes: 60, draftAssigned: 1 });
    expectEstimate(r.sla[0]?.draft, 0.2, bernVar(1, 0.2, 10), 10);
  });

  it("reps sharing one borrowed rate share its error in the SLA interval", () => {
    // b and d both borrow team T1's rate p̂ = 5/14 (m = 14). The breaches are n_b·p̂ + n_d·p̂ = (n_b + n_d)·p̂, whose
    // estimation variance is (n_b + n_d)²·p(1−p)/m, not n_b²·p(1−p)/m + n_d²·p(1−p)/m (as if each rep's rate were
    // estimated apart). Here n_b = n_d = 2: variance 1.1808 (the per-rep sum would say 1.0496).
    const input = setup([rep("a", "T1"), rep("b", "T1"), rep("d", "T1")], [route("ae", "sales", pool("ae", ["b", "d"]), { sla: 30 })]);
    const r = simulate(input, [...A_HISTORY, ...B_C_HISTORY.filter((l) => l.firstRepId === "b"), ...[600, 700, 800, 900].map((e, i) => sales(`s${i}`, T0 + HOUR + i, e))]);
    const p = 5 / 14;
    expectEstimate(r.sla[0]?.draft, 4 * p, 4 * p * (1 - p) + (16 * p * (1 - p)) / 14);
  });

  it("a rep whose history has no team id borrows the team of their profile", () => {
    // b's 4 timed leads have firstTeamId null, so b's speed record has no team: b's profile team T1 (a: 10 timed,
    // 3 slower → 0.3) is used, not everyone's rate (14 timed, 5 slower → 5/14).
    const input = setup([rep("a", "T1"), rep("b", "T1")], [route("ae", "sales", pool("ae", ["b"]), { sla: 30 })]);
    const bNoTeam = B_C_HISTORY.filter((l) => l.firstRepId === "b").map((l) => ({ ...l, firstTeamId: null }));
    const r = simulate(input, [...A_HISTORY, ...bNoTeam, sales("s0", T0 + HOUR, 600)]);
    expectEstimate(r.sla[0]?.draft, 0.3, bernVar(1, 0.3, 10), 10);
  });

  it("the SLA sample counts a rep's history once when the team rate it backs is also used", () => {
    // a (rep:a, 10 timed) and b (team:T1 = a's 10 + b's 4) — 14 distinct historical assignments are behind the rates
    // (not 24: the team's rate already holds a's own).
    const input = setup([rep("a", "T1"), rep("b", "T1")], [route("ae", "sales", pool("ae", ["a", "b"]), { sla: 30 })]);
    const r = simulate(input, [...A_HISTORY, ...B_C_HISTORY.filter((l) => l.firstRepId === "b"), sales("s0", T0 + HOUR, 600), sales("s1", T0 + HOUR, 700)]);
    expect(r.sla[0]?.draft.sample).toBe(14);
  });
});

// ------------------------------------------------------------------------------------------------ outcome projection

describe("simulate: outcome projections by segment × route", () => {
  /** A lead that only teaches outcomes: routed to nurture on replay, routed to ae's owners in history. */
  const outcome = (id: string, segment: string, o: { decision?: "accepted" | "rejected" | null; meeting?: boolean; pipeline?: number }) =>
    lead(id, T0, { category: "other" }, { actualRoute: "ae", routedToSales: true, segment, decision: o.decision ?? null, meeting: o.meeting ?? false, pipeline: o.pipeline ?? 0 });
  const sales = (id: string, t: number, employees: number, segment: string) => lead(id, t, { category: "sales", employees }, { segment });

  // P1: 20 leads, all decided, 15 accepted, 8 meetings, pipeline 1000 × 10 and 0 × 10.
  const P1 = Array.from({ length: 20 }, (_, i) => outcome(`p1-${i}`, "P1", { decision: i < 15 ? "accepted" : "rejected", meeting: i < 8, pipeline: i % 2 === 0 ? 1000 : 0 }));
  // P2: 5 leads (< MIN_SEGMENT_SAMPLE), 4 decided, 1 accepted, 1 meeting, pipeline 2000 once.
  const P2 = [
    outcome("p2-0", "P2", { decision: "accepted", meeting: true, pipeline: 2000 }),
    outcome("p2-1", "P2", { decision: "rejected" }),
    outcome("p2-2", "P2", { decision: "rejected" }),
    outcome("p2-3", "P2", { decision: "rejected" }),
    outcome("p2-4", "P2", {}),
  ];
  // Not outcome history: not routed to sales owners, or no route.
  const NOISE = [
    lead("n1", T0, { category: "other" }, { actualRoute: "ae", routedToSales: false, segment: "P1", decision: "rejected", pipeline: 99_999 }),
    lead("n2", T0, { category: "other" }, { actualRoute: null, routedToSales: true, segment: "P1", decision: "rejected", pipeline: 99_999 }),
  ];
  // Route ae totals: 25 leads, 24 decided, 16 accepted, 9 meetings, pipeline Σ 12000, Σ² 1.4e7 → mean 480, variance 329600.

  function setup(): SimulationInput {
    const routes = [
      route("ae", "sales", pool("ae", ["a"]), { sla: 30 }),
      route("sdr", "sales", pool("sdr", ["a"]), { sla: 60 }),
      route("nurture", "nurture", queue("nurture")),
      route("review", "review", queue("review")),
      route("junk", "junk", queue("junk")),
    ];
    const p = place(routes, [rep("a", "T1")]);
    return { baseline: { table: version(salesTable(1000), "b"), routes: p.routes }, draft: { table: version(salesTable(500), "d"), routes: p.routes }, place: p };
  }

  const REPLAY = [
    sales("x1", T0 + HOUR, 2000, "P1"), // ae on both sides
    sales("x2", T0 + HOUR, 600, "P1"), // draft ae, baseline sdr
    sales("x3", T0 + HOUR, 700, "P1"),
    sales("x4", T0 + HOUR, 800, "P2"),
    sales("x5", T0 + HOUR, 900, "P2"),
    sales("x6", T0 + HOUR, 950, "P3"), // no P3 history at all
  ];

  it("projects accepted, meetings and pipeline with the back-off to the route total", () => {
    const r = simulate(setup(), [...P1, ...P2, ...NOISE, ...REPLAY]);
    expect(r.outcomes.map((o) => o.route)).toEqual(["ae", "sdr"]);
    const ae = r.outcomes[0]!;
    expect(ae.baseline.leads).toBe(1);
    expect(ae.draft.leads).toBe(6);
    // Draft: P1 × 3 (own rates), P2 × 2 and P3 × 1 (route totals).
    // accepted: P1 p = 15/20 (m 20); P2/P3 decided 4 < 20 → total 16/24 (m 24), shared by their 3 leads (one error).
    // 2.25 + 3·(2/3) = 4.25.
    expectEstimate(ae.draft.accepted, 4.25, bernVar(3, 0.75, 20) + bernVar(3, 2 / 3, 24));
    expect(ae.draft.accepted!.value - ae.draft.accepted!.low).toBeCloseTo(1.959964 * Math.sqrt(0.646875 + 3 * (2 / 9) + (9 * (2 / 9)) / 24), 6);
    // meetings: P1 8/20; total 9/25 shared by 3 leads. 1.2 + 3·0.36 = 2.28.
    expectEstimate(ae.draft.meetings, 2.28, bernVar(3, 0.4, 20) + bernVar(3, 0.36, 25));
    // pipeline: P1 mean 500, variance 250000 (m 20); total mean 480, variance 329600 (m 25) for 3 leads. 1500 + 1440 = 2940.
    const pipeVar = (3 * 250000 + (9 * 250000) / 20) + (3 * 329600 + (9 * 329600) / 25);
    expect(pipeVar).toBe(1969956);
    expectEstimate(ae.draft.pipeline, 2940, pipeVar);
    // Baseline: one P1 lead, P1's own rates only → sample = P1's 20 leads.
    expectEstimate(ae.baseline.accepted, 0.75, bernVar(1, 0.75, 20), 20);
    expectEstimate(ae.baseline.meetings, 0.4, bernVar(1, 0.4, 20), 20);
    expectEstimate(ae.baseline.pipeline, 500, 250000 + 250000 / 20, 20);
    // sdr has no history: nothing to project from; baseline sdr got x2..x6.
    expect(r.outcomes[1]).toEqual({ route: "sdr", baseline: { leads: 5, accepted: null, meetings: null, pipeline: null }, draft: { leads: 0, accepted: null, meetings: null, pipeline: null } });
  });

  it("a segment's own rate is used once it has MIN_SEGMENT_SAMPLE leads (decided leads, for acceptance)", () => {
    // P2 grows to 20 leads: 15 more, all decided, 4 of them accepted → P2: 20 leads, 19 decided (p2-4 is not), 5 accepted.
    // Route totals: 40 leads, 39 decided, 20 accepted, 9 meetings.
    const more = Array.from({ length: 15 }, (_, i) => outcome(`p2+${i}`, "P2", { decision: i < 4 ? "accepted" : "rejected" }));
    const r = simulate(setup(), [...P1, ...P2, ...more, sales("y", T0 + HOUR, 600, "P2")]);
    // Acceptance: P2 has 19 < 20 decided → the route's 20/39. Meetings: P2 has 20 leads → its own 1/20.
    expectEstimate(r.outcomes[0]?.draft.accepted, 20 / 39, bernVar(1, 20 / 39, 39));
    expectEstimate(r.outcomes[0]?.draft.meetings, 1 / 20, bernVar(1, 1 / 20, 20));
    // Pipeline from P2's own 20 leads: one of 2000 → mean 100, variance 2000²/20 − 100² = 190000.
    expectEstimate(r.outcomes[0]?.draft.pipeline, 100, 190000 + 190000 / 20);
  });

  it("counts every lead decided for the route, but projects only those placed with an owner", () => {
    // a holds one open lead at a time: x1 takes it, x2 (also ae on the draft) finds nobody and goes to review.
    const input = setup();
    const capped = place([...input.place.routes.values()], [rep("a", "T1", { maxOpenLeads: 1 })]);
    input.place = capped;
    const r = simulate(input, [...P1, ...P2, REPLAY[0]!, REPLAY[1]!]);
    expect(r.outcomes[0]?.draft.leads).toBe(2);
    expect(r.load.unassigned.draft).toBe(1);
    expectEstimate(r.outcomes[0]?.draft.accepted, 0.75, bernVar(1, 0.75, 20), 20);
    expectEstimate(r.outcomes[0]?.draft.meetings, 0.4, bernVar(1, 0.4, 20), 20);
  });

  it("acceptance is null (not a certain 0) when meetings have history but acceptance has not", () => {
    // 20 leads routed to ae in history, only 5 decided (< MIN_SEGMENT_SAMPLE): no acceptance rate exists, so
    // accepted is null like the other rates without history (not a certain { value 0, low 0, high 0 }).
    const hist = Array.from({ length: 20 }, (_, i) => outcome(`q${i}`, "P1", { decision: i < 5 ? "accepted" : null, meeting: i < 2 }));
    const r = simulate(setup(), [...hist, sales("z", T0 + HOUR, 2000, "P1")]);
    expectEstimate(r.outcomes[0]?.draft.meetings, 0.1, bernVar(1, 0.1, 20), 20);
    expect(r.outcomes[0]?.draft.accepted).toBeNull();
  });

  it("the outcome sample counts a segment's leads once when another segment backs off to the route total", () => {
    // The draft uses P1's cell (20 leads) and the ae total (25 leads, P1's 20 included): 25 historical leads are
    // behind the rates (not 45: the total already holds P1's).
    const r = simulate(setup(), [...P1, ...P2, ...REPLAY]);
    expect(r.outcomes[0]?.draft.accepted?.sample).toBe(25);
  });
});

// ------------------------------------------------------------------------------------------------ properties

describe("simulate: properties over random histories (demo table and route paths)", () => {
  const REP_SEEDS = [
    { id: "ae-us", team: "ae-na", role: "ae", territories: ["US"], cap: { maxOpenLeads: 3, maxLeadsPerDay: null } },
    { id: "ae-de", team: "ae-emea", role: "ae", territories: ["DE", "FR"], cap: { maxOpenLeads: null, maxLeadsPerDay: 2 } },
    { id: "ae-ap", team: "apac", role: "ae", territories: ["APAC"], cap: { maxOpenLeads: null, maxLeadsPerDay: null } },
    { id: "sdr-us", team: "sdr-amer", role: "sdr", territories: ["US"], cap: { maxOpenLeads: 2, maxLeadsPerDay: null } },
    { id: "sdr-eu", team: "sdr-emea", role: "sdr", territories: ["EMEA"], cap: { maxOpenLeads: null, maxLeadsPerDay: null } },
    { id: "pm", team: "partners", role: "partner_manager", territories: [], cap: { maxOpenLeads: 1, maxLeadsPerDay: null } },
    { id: "sup", team: "support", role: "support", territories: [], cap: { maxOpenLeads: null, maxLeadsPerDay: 1 } },
    { id: "sup2", team: "support", role: "support", territories: [], cap: { maxOpenLeads: null, maxLeadsPerDay: null } },
  ];
  const reps = REP_SEEDS.map((s) => rep(s.id, s.team, { territories: s.territories, ...s.cap }));
  const routes: RouteConfig[] = ROUTE_PATHS.map((rp) => ({
    key: rp.key, name: rp.name, kind: rp.kind, confidenceThreshold: rp.confidenceThreshold, slaMinutes: rp.slaMinutes,
    destination: destinationFor(rp, REP_SEEDS), fallbackRouteKey: rp.fallbackRouteKey,
  }));
  const PL = place(routes, reps);
  const published = parseDecisionTable(DEMO_TABLE);
  const BASE: DecideInput = { table: version(published, "pub"), routes: PL.routes };
  // A separately parsed and compiled copy of the same table: a different object, the same rules.
  const COPY: DecideInput = { table: version(parseDecisionTable(structuredClone(DEMO_TABLE)), "draft"), routes: PL.routes };
  // A draft that really differs: R09 raises the SDR floor from 10 to 50 employees.
  const CHANGED: DecideInput = {
    table: version(parseDecisionTable({ ...DEMO_TABLE, rules: DEMO_TABLE.rules.map((r) => (r.id === "R09" ? { ...r, when: { ...r.when, employees: ">= 50" } } : r)) }), "changed"),
    routes: PL.routes,
  };

  const categories = ["sales_enterprise", "pricing_demo", "support_request", "job_application", "partner_request", "vendor_solicitation", "low_fit", "spam", "other"];
  const leadArb = fc.record({
    gap: fc.integer({ min: 0, max: 240 }),
    category: fc.option(fc.constantFrom(...categories), { nil: null }),
    employees: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }),
    is_existing_customer: fc.option(fc.boolean(), { nil: null }),
    priority_tier: fc.option(fc.constantFrom("P1", "P2", "P3", "P4"), { nil: null }),
    confidence: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    aiCategory: fc.boolean(),
    country: fc.option(fc.constantFrom("US", "DE", "FR", "SG", "BR"), { nil: null }),
    region: fc.option(fc.constantFrom("NA", "EMEA", "APAC", "LATAM"), { nil: null }),
    junk: fc.integer({ min: 0, max: 9 }),
    hold: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
    actualRoute: fc.option(fc.constantFrom("ae-direct", "ae-direct", "ae-direct", "sdr-queue", "review", "nurture", "legacy"), { nil: null }),
    firstRepId: fc.option(fc.constantFrom(...REP_SEEDS.map((s) => s.id)), { nil: null }),
    minutes: fc.option(fc.integer({ min: 0, max: 600 }), { nil: null }),
    decision: fc.constantFrom("accepted" as const, "rejected" as const, null),
    meeting: fc.boolean(),
    pipeline: fc.constantFrom(0, 0, 5000, 20000),
  });
  const historyArb = fc.array(leadArb, { maxLength: 80, size: "max" }).map((specs) => {
    let t = T0;
    return specs.map((s, i): HistoryLead => {
      t += s.gap * MIN;
      return lead(`h${i}`, t, {
        category: s.category, employees: s.employees, is_existing_customer: s.is_existing_customer, priority_tier: s.priority_tier,
        confidence: s.confidence, country: s.country, region: s.region, ai_fields: s.aiCategory ? ["category", "confidence"] : [],
      }, {
        junk: s.junk === 0, junkDoubt: s.junk === 1, releaseAt: s.hold === null ? null : t + s.hold * MIN, actualRoute: s.actualRoute,
        actualReview: s.actualRoute === "review", segment: s.priority_tier ?? "P4", routedToSales: s.actualRoute === "ae-direct" || s.actualRoute === "sdr-queue",
        firstRepId: s.firstRepId, firstTeamId: REP_SEEDS.find((x) => x.id === s.firstRepId)?.team ?? null, humanBusinessMinutes: s.minutes,
        untouchedPastDue: s.minutes === null && s.junk === 2, decision: s.decision, meeting: s.meeting, pipeline: s.pipeline,
      });
    });
  });

  function conserves(r: SimulationResult, n: number): void {
    expect(r.leads).toBe(n);
    expect(sum(r.flow.map((c) => c.count))).toBe(n);
    expect(sum(r.volumes.map((v) => v.actual))).toBe(n);
    expect(sum(r.volumes.map((v) => v.baseline))).toBe(n);
    expect(sum(r.volumes.map((v) => v.draft))).toBe(n);
    expect(r.changed).toBe(sum(r.flow.filter((c) => c.from !== c.to).map((c) => c.count)));
    for (const side of ["baseline", "draft"] as const) {
      expect(sum(r.load.teams.map((t) => t[side]))).toBe(sum(r.load.reps.map((l) => l[side].assigned)));
      expect(sum(Object.values(r.reviewReasons[side]))).toBe(r.triage[side]);
      for (const s of r.sla) expect(s[`${side}Assigned`]).toBeLessThanOrEqual(sum(r.load.reps.map((l) => l[side].assigned)));
      for (const e of [...r.sla.map((s) => s[side]), ...r.outcomes.flatMap((o) => [o[side].accepted, o[side].meetings, o[side].pipeline])]) {
        if (!e) continue;
        expect(e.low).toBeLessThanOrEqual(e.value + 1e-9);
        expect(e.value).toBeLessThanOrEqual(e.high + 1e-9);
        expect(e.low).toBeGreaterThanOrEqual(0);
      }
    }
    for (const l of r.load.reps) {
      for (const side of [l.baseline, l.draft]) {
        expect(side.peakDay).toBeLessThanOrEqual(side.assigned);
        expect(side.peakOpen).toBeLessThanOrEqual(side.assigned);
        if (l.maxOpenLeads !== null) expect(side.peakOpen).toBeLessThanOrEqual(l.maxOpenLeads);
        if (l.maxLeadsPerDay !== null) expect(side.peakDay).toBeLessThanOrEqual(l.maxLeadsPerDay);
      }
    }
  }

  it("the random histories exercise assignment, capacity, guards and a changing draft (the properties are not vacuous)", () => {
    const totals = { assigned: 0, noOwner: 0, lowConfidence: 0, junkDoubt: 0, changed: 0, capacitySkips: 0, sla: 0, outcomes: 0 };
    for (const history of fc.sample(historyArb, { numRuns: 40, seed: 7 })) {
      const r = simulate({ baseline: BASE, draft: CHANGED, place: PL }, history);
      totals.assigned += sum(r.load.reps.map((l) => l.draft.assigned));
      totals.noOwner += r.reviewReasons.draft.no_eligible_owner ?? 0;
      totals.lowConfidence += r.reviewReasons.draft.low_confidence ?? 0;
      totals.junkDoubt += r.reviewReasons.draft.junk_doubt ?? 0;
      totals.changed += r.changed;
      totals.capacitySkips += sum(r.load.reps.map((l) => l.draft.capacitySkips));
      totals.sla += r.sla.filter((s) => s.draft.value > 0).length;
      totals.outcomes += r.outcomes.filter((o) => o.draft.meetings !== null).length;
    }
    for (const [k, v] of Object.entries(totals)) expect([k, v > 0]).toEqual([k, true]);
  });

  it("conserves leads and gives identical sides for an unchanged draft (separately compiled copy)", () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const copy = simulate({ baseline: BASE, draft: COPY, place: PL }, history);
        conserves(copy, history.length);
        expect(copy.changed).toBe(0);
        expect(copy.ruleChanged).toBe(0);
        expect(copy.flow.every((c) => c.from === c.to)).toBe(true);
        for (const v of copy.volumes) expect(v.draft).toBe(v.baseline);
        for (const l of copy.load.reps) expect(l.draft).toEqual(l.baseline);
        for (const t of copy.load.teams) expect(t.draft).toBe(t.baseline);
        expect(copy.load.unassigned.draft).toBe(copy.load.unassigned.baseline);
        expect(copy.triage.draft).toBe(copy.triage.baseline);
        expect(copy.reviewReasons.draft).toEqual(copy.reviewReasons.baseline);
        for (const s of copy.sla) expect(s.draft).toEqual(s.baseline);
        for (const o of copy.outcomes) expect(o.draft).toEqual(o.baseline);
        // The same object on both sides (the shortcut that decides once) gives the very same result.
        expect(simulate({ baseline: BASE, draft: BASE, place: PL }, history)).toEqual(copy);
      }),
      { numRuns: 150 },
    );
  });

  it("whatever the draft changes, its side equals deciding every lead in full", () => {
    type Rule = (typeof DEMO_TABLE.rules)[number];
    const edit = (over: Record<string, unknown>, rules?: (rs: Rule[]) => unknown[]) => ({ ...structuredClone(DEMO_TABLE), ...over, ...(rules ? { rules: rules(structuredClone(DEMO_TABLE.rules)) } : {}) });
    const set = (id: string, f: (r: Rule) => Rule) => (rs: Rule[]) => rs.map((r) => (r.id === id ? f(r) : r));
    const variants: Record<string, unknown> = {
      "later rule's cell": edit({}, set("R09", (r) => ({ ...r, when: { ...r.when, employees: ">= 50" } }))),
      "early rule's output": edit({}, set("R02", (r) => ({ ...r, then: { route: "nurture" } }))),
      "first rule's cell": edit({}, set("R01", (r) => ({ ...r, when: { ...r.when, category: "'spam','low_fit'" } }))),
      "annotation only": edit({}, set("R03", (r) => ({ ...r, annotation: "Partners (renamed)" }))),
      "two rules swapped": edit({}, (rs) => [...rs.slice(0, 4), rs[5], rs[4], ...rs.slice(6)]),
      "rule inserted on top": edit({}, (rs) => [{ id: "R00", annotation: "x", when: { ...rs[0]!.when, category: "'low_fit'" }, then: { route: "nurture" } }, ...rs]),
      "rule removed": edit({}, (rs) => rs.filter((r) => r.id !== "R03")),
      "catch-all to junk": edit({}, set("R11", (r) => ({ ...r, then: { route: "junk" } }))),
      "output domain widened, catch-all to review": edit(
        { outputs: [{ ...DEMO_TABLE.outputs[0]!, allowedValues: [...DEMO_TABLE.outputs[0]!.allowedValues, "review"] }] },
        set("R11", (r) => ({ ...r, then: { route: "review" } })),
      ),
      "new input column": edit({ inputs: [...DEMO_TABLE.inputs, { field: "country", type: "string" }] }),
      "unique hit policy": edit({ hitPolicy: "UNIQUE" }),
      "rule order hit policy": edit({ hitPolicy: "RULE ORDER" }),
    };
    const drafts = Object.entries(variants).map(([name, json]) => [name, { table: version(parseDecisionTable(json), name), routes: PL.routes }] as const);
    fc.assert(
      fc.property(historyArb, fc.constantFrom(...drafts), (history, [, draft]) => {
        const fast = simulate({ baseline: BASE, draft, place: PL }, history);
        const full = simulate({ baseline: BASE, draft: { ...draft, routes: new Map(PL.routes) }, place: PL }, history);
        expect(fast).toEqual(full);
        conserves(fast, history.length);
      }),
      { numRuns: 200 },
    );
  });

  it("conserves leads for a changed draft, and its baseline side matches the unchanged run", () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 1, max: 7 }), (history, chunk) => {
        const changed = simulate({ baseline: BASE, draft: CHANGED, place: PL }, history);
        conserves(changed, history.length);
        const same = simulate({ baseline: BASE, draft: BASE, place: PL }, history);
        expect(changed.volumes.map((v) => [v.route, v.baseline]).filter(([, n]) => n)).toEqual(same.volumes.map((v) => [v.route, v.baseline]).filter(([, n]) => n));
        expect(changed.triage.baseline).toBe(same.triage.baseline);
        // Deciding every lead on both sides (the draft given an equal but distinct routes map, which rules out any
        // shortcut that reuses the baseline's decision) gives the very same result.
        expect(simulate({ baseline: BASE, draft: { ...CHANGED, routes: new Map(PL.routes) }, place: PL }, history)).toEqual(changed);
        // Feeding in chunks changes nothing.
        const sim = new Simulation({ baseline: BASE, draft: CHANGED, place: PL });
        for (let i = 0; i < history.length; i += chunk) sim.feed(history.slice(i, i + chunk));
        expect(sim.result()).toEqual(changed);
      }),
      { numRuns: 100 },
    );
  });
});
