/**
 * What-if replay: historical leads, each with the facts it had when it arrived, through the published version
 * (baseline) and a draft, with owner assignment replayed against its own state for each side. Single pass in
 * arrival order, fed in chunks (the caller streams history from the database, reports progress and can stop
 * between chunks); projections of SLA and outcomes are applied at the end from historical rates.
 *
 * Pure: no I/O, no clock. The same decide and placement code live routing runs (lib/routing).
 */
import { createAssignmentState, onClosed, type AssignmentLead, type AssignmentState, type AssignmentTicket } from "../assignment";
import { decideRoute, type DecideInput, type Decision, type JunkFlags, type RouteConfig } from "../routing/decide";
import type { LeadFacts } from "../routing/facts";
import { placeOnRoute, routeNeedsState, type PlaceContext } from "../routing/place";
import { uuidAt } from "./lead-id";

/** One historical lead as the simulation replays it. */
export interface HistoryLead {
  id: string;
  /**
   * Optional: the lead's id as 16 bytes at `idIndex` of `idColumn` (a stored day's id column). A replay whose draft
   * runs elsewhere keeps these references instead of spelling out a million ids it may never show.
   */
  idColumn?: Uint8Array;
  idIndex?: number;
  /** Arrival, epoch ms. History is fed in arrival order. */
  receivedAt: number;
  facts: LeadFacts;
  junk: boolean;
  junkDoubt: boolean;
  accountOwnerRepId: string | null;
  /** The route path the lead counts under in history (as routed at the time). */
  actualRoute: string | null;
  /** Whether history put the lead in the review queue (manual triage). */
  actualReview: boolean;
  /** Outcome segment (priority tier) for projections. */
  segment: string;
  /** When the lead stopped occupying its owner (closed or rejected), epoch ms; null while open. */
  releaseAt: number | null;
  // What became of it in history (the base rates of the projections):
  /** The first owner it was assigned to, and their team. */
  firstRepId: string | null;
  firstTeamId: string | null;
  /** Business minutes from assignment to first touch; null when untouched. */
  humanBusinessMinutes: number | null;
  /** Untouched and past its SLA due time. */
  untouchedPastDue: boolean;
  routedToSales: boolean;
  decision: "accepted" | "rejected" | null;
  meeting: boolean;
  pipeline: number;
}

/** Historical outcomes by route path × segment: the base rates projections use. */
export interface OutcomeCell {
  route: string;
  segment: string;
  /** Leads routed to sales owners on this path and segment (the meeting and pipeline denominator). */
  leads: number;
  /** Leads an owner accepted or rejected. */
  decided: number;
  accepted: number;
  meetings: number;
  pipelineSum: number;
  pipelineSumSq: number;
}

/** A rep's historical speed: of `n` assignments with a known first-touch outcome, how many took longer than S business minutes. */
export interface RepSpeed {
  repId: string;
  teamId: string;
  n: number;
  /** SLA minutes → assignments slower than that (untouched past due count as slower). */
  over: Record<string, number>;
}

export interface SimulationInput {
  baseline: DecideInput;
  draft: DecideInput;
  place: PlaceContext;
  /** Lead ids kept per flow cell for the "list the leads" drill-down. */
  samplePerCell?: number;
  /**
   * The draft side is replayed elsewhere (a {@link SideReplay} over the same history, e.g. on another thread): this
   * simulation decides and places the baseline only, and {@link Simulation.result} takes the draft's outcome.
   */
  draftElsewhere?: boolean;
}

/** A projected count or amount: the point estimate, a 95% interval, and the history it rests on. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
  /** Historical leads behind the rates used. */
  sample: number;
}

export interface SideLoad {
  assigned: number;
  peakDay: number;
  daysAtCap: number;
  peakOpen: number;
  capacitySkips: number;
}

export interface SimulationResult {
  leads: number;
  changed: number;
  ruleChanged: number;
  flow: Array<{ from: string | null; to: string | null; count: number; leadIds: string[] }>;
  volumes: Array<{ route: string | null; actual: number; baseline: number; draft: number }>;
  triage: { actual: number; baseline: number; draft: number };
  reviewReasons: { baseline: Record<string, number>; draft: Record<string, number> };
  load: {
    reps: Array<{ repId: string; teamId: string; maxLeadsPerDay: number | null; maxOpenLeads: number | null; baseline: SideLoad; draft: SideLoad }>;
    teams: Array<{ teamId: string; baseline: number; draft: number }>;
    unassigned: { baseline: number; draft: number };
  };
  sla: Array<{ route: string; slaMinutes: number; baseline: Estimate; draft: Estimate; baselineAssigned: number; draftAssigned: number }>;
  outcomes: Array<{
    route: string;
    baseline: { leads: number; accepted: Estimate | null; meetings: Estimate | null; pipeline: Estimate | null };
    draft: { leads: number; accepted: Estimate | null; meetings: Estimate | null; pipeline: Estimate | null };
  }>;
}

const DAY = 86_400_000;
const Z95 = 1.959964;
/** Segments with fewer historical leads than this borrow the route path's overall rate. */
export const MIN_SEGMENT_SAMPLE = 20;
/** Reps with fewer timed assignments than this borrow their team's speed (then everyone's). */
export const MIN_SPEED_SAMPLE = 10;

/** A min-heap of (time, ticket) releases. */
class ReleaseHeap {
  private times: number[] = [];
  private tickets: AssignmentTicket[] = [];
  push(t: number, ticket: AssignmentTicket): void {
    const times = this.times;
    const tickets = this.tickets;
    let i = times.length;
    times.push(t);
    tickets.push(ticket);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (times[p]! <= t) break;
      times[i] = times[p]!;
      tickets[i] = tickets[p]!;
      i = p;
    }
    times[i] = t;
    tickets[i] = ticket;
  }
  /** Pops every release at or before `t`. */
  drain(t: number, each: (ticket: AssignmentTicket) => void): void {
    const times = this.times;
    const tickets = this.tickets;
    while (times.length && times[0]! <= t) {
      each(tickets[0]!);
      const lastT = times.pop()!;
      const lastK = tickets.pop()!;
      if (!times.length) break;
      let i = 0;
      const n = times.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && times[r]! < times[l]! ? r : l;
        if (times[c]! >= lastT) break;
        times[i] = times[c]!;
        tickets[i] = tickets[c]!;
        i = c;
      }
      times[i] = lastT;
      tickets[i] = lastK;
    }
  }
  get size(): number {
    return this.times.length;
  }
  /** The earliest release time (Infinity when none). */
  get next(): number {
    return this.times.length ? this.times[0]! : Infinity;
  }
}

interface RepTally {
  assigned: number;
  days: Map<number, number>;
  open: number;
  peakOpen: number;
  capacitySkips: number;
}

/** What a replayed side adds up to: plain data and Maps (structured-cloneable, so another thread can send it). */
export interface SideTotals {
  volumes: Map<string | null, number>;
  reps: Map<string, RepTally>;
  teams: Map<string, number>;
  routedSegments: Map<string, Map<string, number>>;
  segments: Map<string, Map<string, number>>;
  repAssignments: Map<string, Map<string, number>>;
  reviewReasons: Record<string, number>;
  triage: number;
  unassigned: number;
}

class Side implements SideTotals {
  readonly state: AssignmentState = createAssignmentState();
  readonly releases = new ReleaseHeap();
  readonly volumes = new Map<string | null, number>();
  readonly reps = new Map<string, RepTally>();
  readonly teams = new Map<string, number>();
  /** route → segment → leads placed with an owner on a sales path. */
  readonly routedSegments = new Map<string, Map<string, number>>();
  /** route → decided leads by segment (every lead counted under the path, for the acceptance base). */
  readonly segments = new Map<string, Map<string, number>>();
  /** route → rep → assignments (for the SLA projection). */
  readonly repAssignments = new Map<string, Map<string, number>>();
  readonly reviewReasons: Record<string, number> = {};
  triage = 0;
  unassigned = 0;

  /** Frees a released assignment's slot (one function for every release, not a closure per lead). */
  private readonly release = (ticket: AssignmentTicket): void => {
    onClosed(this.state, ticket);
    const tally = this.reps.get(ticket.repId);
    if (tally && tally.open > 0) tally.open--;
  };

  constructor(private readonly ctx: PlaceContext) {}

  private tally(repId: string): RepTally {
    let t = this.reps.get(repId);
    if (!t) {
      t = { assigned: 0, days: new Map(), open: 0, peakOpen: 0, capacitySkips: 0 };
      this.reps.set(repId, t);
    }
    return t;
  }

  advance(t: number): void {
    if (this.releases.next <= t) this.releases.drain(t, this.release);
  }

  totals(): SideTotals {
    const { volumes, reps, teams, routedSegments, segments, repAssignments, reviewReasons, triage, unassigned } = this;
    return { volumes, reps, teams, routedSegments, segments, repAssignments, reviewReasons, triage, unassigned };
  }

  /** `place` gives the lead as placement sees it and its arrival as a Date (built once per lead for both sides). */
  record(lead: HistoryLead, decision: Decision, place: () => { lead: AssignmentLead; at: Date }): void {
    const key = decision.routeKey;
    this.volumes.set(key, (this.volumes.get(key) ?? 0) + 1);
    if (key !== null) bump2(this.segments, key, lead.segment, 1);
    if (decision.review) {
      this.triage++;
      this.reviewReasons[decision.review.code] = (this.reviewReasons[decision.review.code] ?? 0) + 1;
      return;
    }
    const route = decision.route as RouteConfig;
    if (!routeNeedsState(route)) return;
    const p = place();
    const { placement, skipped } = placeOnRoute(this.ctx, route, p.lead, this.state, p.at, { explain: false });
    for (const sk of skipped) if (sk.reason === "capacity_open" || sk.reason === "capacity_daily") this.tally(sk.repId).capacitySkips++;
    if (placement.kind !== "rep") {
      if (placement.status === "in_review") {
        this.triage++;
        this.reviewReasons.no_eligible_owner = (this.reviewReasons.no_eligible_owner ?? 0) + 1;
        this.unassigned++;
      }
      return;
    }
    const tally = this.tally(placement.repId);
    tally.assigned++;
    const day = Math.floor(lead.receivedAt / DAY);
    tally.days.set(day, (tally.days.get(day) ?? 0) + 1);
    tally.open++;
    if (tally.open > tally.peakOpen) tally.peakOpen = tally.open;
    this.teams.set(placement.teamId, (this.teams.get(placement.teamId) ?? 0) + 1);
    bump2(this.repAssignments, route.key, placement.repId, 1);
    if (route.kind === "sales") bump2(this.routedSegments, route.key, lead.segment, 1);
    const ticket = placement.result?.ticket;
    if (ticket) {
      if (lead.releaseAt !== null) this.releases.push(Math.max(lead.releaseAt, lead.receivedAt), ticket);
    }
  }
}

function bump2<K1, K2>(m: Map<K1, Map<K2, number>>, a: K1, b: K2, by: number): void {
  let inner = m.get(a);
  if (!inner) {
    inner = new Map();
    m.set(a, inner);
  }
  inner.set(b, (inner.get(b) ?? 0) + by);
}

/** The junk flags of a lead, one shared object per combination: [junk][doubt]. */
const FLAGS: readonly JunkFlags[] = [
  { junk: false, doubt: false }, { junk: false, doubt: true }, { junk: true, doubt: false }, { junk: true, doubt: true },
].map((f) => Object.freeze(f));

/**
 * The baseline rules (id → position) whose decision the draft repeats: both tables FIRST-hit with the same input and
 * output columns, and the longest common prefix of their evaluated rules (same id, same cells, same outputs). A
 * lead whose first matching baseline rule lies in that prefix fails the same earlier rules in the draft and
 * matches the same rule there. Empty when anything else differs.
 */
function sharedRules(baseline: DecideInput, draft: DecideInput): Map<string, number> {
  const out = new Map<string, number>();
  const b = baseline.table;
  const d = draft.table;
  if (!b || !d || b.compiled === d.compiled) return out;
  const bt = b.definition;
  const dt = d.definition;
  if (bt.hitPolicy !== "FIRST" || dt.hitPolicy !== "FIRST") return out;
  if (b.compiled.table.hitPolicy !== "FIRST" || d.compiled.table.hitPolicy !== "FIRST") return out;
  if (JSON.stringify([bt.inputs, bt.outputs, bt.aggregation ?? null]) !== JSON.stringify([dt.inputs, dt.outputs, dt.aggregation ?? null])) return out;
  // The compiled tables must be the definitions' (decide reads guards from the definition, evaluation from compiled).
  if (JSON.stringify(b.compiled.table) !== JSON.stringify(bt) || JSON.stringify(d.compiled.table) !== JSON.stringify(dt)) return out;
  const bRules = b.compiled.rules;
  const dRules = d.compiled.rules;
  const ruleOf = (t: typeof bt, id: string) => {
    const found = t.rules.filter((r) => r.id === id);
    return found.length === 1 ? JSON.stringify(found[0]) : null;
  };
  for (let i = 0; i < bRules.length && i < dRules.length; i++) {
    const id = bRules[i]!.id;
    if (dRules[i]!.id !== id) break;
    const a = ruleOf(bt, id);
    if (a === null || a !== ruleOf(dt, id)) break;
    out.set(id, i);
  }
  return out;
}

/** What placement sees of the lead being replayed: built once per lead for every side that places it, and only then. */
class LeadPlacement {
  private lead: HistoryLead | null = null;
  private built: { lead: AssignmentLead; at: Date } | null = null;
  set(lead: HistoryLead): void {
    this.lead = lead;
    this.built = null;
  }
  readonly get = (): { lead: AssignmentLead; at: Date } => {
    if (this.built) return this.built;
    const lead = this.lead!;
    return (this.built = {
      lead: {
        accountOwnerRepId: lead.accountOwnerRepId,
        region: lead.facts.region ?? null,
        country: lead.facts.country ?? null,
        product: lead.facts.product_interest ?? null,
        value: lead.facts.score ?? null,
      },
      at: new Date(lead.receivedAt),
    });
  };
}

/** Every replayed lead's decision as one number (route path and rule, each an index into its own dictionary). */
class DecisionCodes {
  readonly codes: number[] = [];
  readonly routeKeys: Array<string | null> = [null];
  readonly ruleIds: Array<string | null> = [null];
  private readonly routeIndex = new Map<string, number>();
  private readonly ruleIndex = new Map<string, number>();
  push(d: Decision): void {
    this.codes.push(DecisionCodes.index(this.routeIndex, this.routeKeys, d.routeKey) * 65_536 + DecisionCodes.index(this.ruleIndex, this.ruleIds, d.ruleId));
  }
  private static index(index: Map<string, number>, list: Array<string | null>, key: string | null): number {
    if (key === null) return 0;
    let i = index.get(key);
    if (i === undefined) {
      i = list.length;
      if (i >= 65_536) throw new Error("more than 65,535 distinct route paths or rules");
      list.push(key);
      index.set(key, i);
    }
    return i;
  }
}

/** A side replayed on its own (the draft, on another thread): its totals and every lead's decision, in arrival order. */
export interface SideOutcome {
  leads: number;
  totals: SideTotals;
  /** Per lead: route index × 65,536 + rule index, into routeKeys and ruleIds (index 0 is null). */
  codes: Uint32Array;
  routeKeys: Array<string | null>;
  ruleIds: Array<string | null>;
}

/**
 * One side of a simulation replayed alone: decide each lead with `decide`, place it against this side's own
 * assignment state. Fed the same history in the same order as the {@link Simulation} it completes
 * (`draftElsewhere`), it yields exactly what that simulation's own draft side would have.
 */
export class SideReplay {
  private readonly side: Side;
  private readonly codes = new DecisionCodes();
  private readonly placement = new LeadPlacement();
  private lastAt = -Infinity;

  constructor(private readonly decide: DecideInput, place: PlaceContext) {
    this.side = new Side(place);
  }

  feed(chunk: Iterable<HistoryLead>): void {
    for (const lead of chunk) {
      if (lead.receivedAt < this.lastAt) throw new Error(`history out of order at lead ${lead.id}`);
      this.lastAt = lead.receivedAt;
      const d = decideRoute(this.decide, lead.facts, FLAGS[(lead.junk ? 2 : 0) + (lead.junkDoubt ? 1 : 0)]!);
      this.codes.push(d);
      this.side.advance(lead.receivedAt);
      this.placement.set(lead);
      this.side.record(lead, d, this.placement.get);
    }
  }

  finish(): SideOutcome {
    const { codes, routeKeys, ruleIds } = this.codes;
    return { leads: codes.length, totals: this.side.totals(), codes: Uint32Array.from(codes), routeKeys, ruleIds };
  }
}

/** A running simulation: feed history in arrival order, then read the result. */
export class Simulation {
  private readonly baseline: Side;
  /** Null when the draft is replayed elsewhere (`draftElsewhere`): its outcome comes to {@link result}. */
  private readonly draft: Side | null;
  /** Flow cells in creation order, and by from → to route key (null as ""). */
  private readonly flow: Array<{ from: string | null; to: string | null; count: number; leadIds: string[] }> = [];
  private readonly flowIndex = new Map<string, Map<string, Simulation["flow"][number]>>();
  private readonly actual = new Map<string | null, number>();
  private readonly samplePerCell: number;
  private readonly placement = new LeadPlacement();
  private leads = 0;
  private changed = 0;
  private ruleChanged = 0;
  private actualTriage = 0;
  private lastAt = -Infinity;
  /** Outcome cells in creation order, and by route → segment. */
  private readonly cells: OutcomeCell[] = [];
  private readonly cellIndex = new Map<string, Map<string, OutcomeCell>>();
  private readonly speeds = new Map<string, RepSpeed>();
  private readonly slaKeys: number[];
  /** Baseline rule id → position, for the rules whose decision the draft is known to repeat (see sharedRules). */
  private readonly shared: ReadonlyMap<string, number>;
  // With the draft elsewhere: the baseline's decisions and where each lead's id can be read, until the merge.
  private readonly baselineCodes = new DecisionCodes();
  /** Runs of consecutive leads whose ids sit in one id column (null: in idStrings). */
  private readonly idRuns: Array<{ start: number; column: Uint8Array | null }> = [];
  /** Per lead: its position in its run's id column, or in idStrings. */
  private readonly idIndexes: number[] = [];
  private readonly idStrings: string[] = [];
  private mergedWith: SideOutcome | null = null;

  constructor(private readonly input: SimulationInput) {
    this.baseline = new Side(input.place);
    this.draft = input.draftElsewhere ? null : new Side(input.place);
    this.samplePerCell = input.samplePerCell ?? 200;
    this.slaKeys = [...new Set([...input.place.routes.values()].map((r) => r.slaMinutes).filter((m): m is number => m !== null))];
    this.shared = sharedRules(input.baseline, input.draft);
  }

  /**
   * True when the draft's decision for this lead is the baseline's, so deciding again is redundant: the same table;
   * or a junk-flagged lead (decided by the route paths alone); or a FIRST-hit baseline rule that comes before the
   * first rule the draft changed — every rule up to it is the same in both, so the draft fires it too with the same
   * outputs and the same guards.
   */
  private sameDecision(b: Decision, flags: JunkFlags): boolean {
    const { baseline: bIn, draft: dIn } = this.input;
    if (bIn.table === dIn.table) return true;
    if (bIn.routes !== dIn.routes) return false;
    if (flags.junk) return true;
    return b.ruleId !== null && b.review?.code !== "table_error" && this.shared.has(b.ruleId);
  }

  /** History's own outcomes by route path × segment, and each first owner's speed at every SLA in use. */
  private learn(lead: HistoryLead): void {
    if (lead.actualRoute !== null && lead.routedToSales) {
      let bySegment = this.cellIndex.get(lead.actualRoute);
      if (!bySegment) this.cellIndex.set(lead.actualRoute, (bySegment = new Map()));
      let c = bySegment.get(lead.segment);
      if (!c) {
        c = { route: lead.actualRoute, segment: lead.segment, leads: 0, decided: 0, accepted: 0, meetings: 0, pipelineSum: 0, pipelineSumSq: 0 };
        bySegment.set(lead.segment, c);
        this.cells.push(c);
      }
      c.leads++;
      if (lead.decision) c.decided++;
      if (lead.decision === "accepted") c.accepted++;
      if (lead.meeting) c.meetings++;
      c.pipelineSum += lead.pipeline;
      c.pipelineSumSq += lead.pipeline * lead.pipeline;
    }
    if (lead.firstRepId && (lead.humanBusinessMinutes !== null || lead.untouchedPastDue)) {
      let s = this.speeds.get(lead.firstRepId);
      if (!s) {
        s = { repId: lead.firstRepId, teamId: lead.firstTeamId ?? "", n: 0, over: {} };
        for (const k of this.slaKeys) s.over[k] = 0;
        this.speeds.set(lead.firstRepId, s);
      }
      s.n++;
      const m = lead.humanBusinessMinutes ?? Infinity;
      for (const k of this.slaKeys) if (m > k) s.over[k]!++;
    }
  }

  /** The flow cell from → to, created on first use. */
  private flowCell(from: string | null, to: string | null): Simulation["flow"][number] {
    const f = from ?? "";
    const t = to ?? "";
    let row = this.flowIndex.get(f);
    if (!row) this.flowIndex.set(f, (row = new Map()));
    let cell = row.get(t);
    if (!cell) {
      cell = { from, to, count: 0, leadIds: [] };
      row.set(t, cell);
      this.flow.push(cell);
    }
    return cell;
  }

  /** Remembers where the lead's id can be read at the merge (the draft elsewhere). */
  private keepId(lead: HistoryLead): void {
    const column = lead.idColumn ?? null;
    const run = this.idRuns[this.idRuns.length - 1];
    if (!run || run.column !== column) this.idRuns.push({ start: this.leads - 1, column });
    if (column) this.idIndexes.push(lead.idIndex!);
    else {
      this.idIndexes.push(this.idStrings.length);
      this.idStrings.push(lead.id);
    }
  }

  get processed(): number {
    return this.leads;
  }

  /**
   * Replays the next leads of history (in arrival order). The iterable may hand out one lead object filled anew at
   * every step: nothing of a lead is kept past its step but its id (or where to read it).
   */
  feed(chunk: Iterable<HistoryLead>): void {
    const { baseline: bIn, draft: dIn } = this.input;
    const draftSide = this.draft;
    for (const lead of chunk) {
      if (lead.receivedAt < this.lastAt) throw new Error(`history out of order at lead ${lead.id}`);
      this.lastAt = lead.receivedAt;
      this.leads++;
      this.actual.set(lead.actualRoute, (this.actual.get(lead.actualRoute) ?? 0) + 1);
      if (lead.actualReview) this.actualTriage++;
      this.learn(lead);
      const flags = FLAGS[(lead.junk ? 2 : 0) + (lead.junkDoubt ? 1 : 0)]!;
      const b = decideRoute(bIn, lead.facts, flags);
      this.placement.set(lead);
      this.baseline.advance(lead.receivedAt);
      if (!draftSide) {
        this.baselineCodes.push(b);
        this.keepId(lead);
        this.baseline.record(lead, b, this.placement.get);
        continue;
      }
      const d = this.sameDecision(b, flags) ? b : decideRoute(dIn, lead.facts, flags);
      if (b.routeKey !== d.routeKey) this.changed++;
      if (b.ruleId !== d.ruleId) this.ruleChanged++;
      const cell = this.flowCell(b.routeKey, d.routeKey);
      cell.count++;
      if (cell.leadIds.length < this.samplePerCell) cell.leadIds.push(lead.id);
      draftSide.advance(lead.receivedAt);
      this.baseline.record(lead, b, this.placement.get);
      draftSide.record(lead, d, this.placement.get);
    }
  }

  /** Pairs the baseline's decisions with the draft's (replayed elsewhere over the same leads): changes and the flow. */
  private merge(draft: SideOutcome): void {
    const { codes, routeKeys, ruleIds } = this.baselineCodes;
    if (draft.leads !== this.leads || draft.codes.length !== codes.length) throw new Error(`the draft replayed ${draft.leads} leads, the baseline ${this.leads}`);
    const byCodes = new Map<number, Simulation["flow"][number]>();
    const runs = this.idRuns;
    let run = -1;
    let runEnd = 0;
    let column: Uint8Array | null = null;
    for (let k = 0; k < codes.length; k++) {
      while (k >= runEnd) {
        run++;
        column = runs[run]!.column;
        runEnd = runs[run + 1]?.start ?? Infinity;
      }
      const b = codes[k]!;
      const d = draft.codes[k]!;
      const bRoute = Math.floor(b / 65_536);
      const dRoute = Math.floor(d / 65_536);
      const from = routeKeys[bRoute]!;
      const to = draft.routeKeys[dRoute]!;
      if (from !== to) this.changed++;
      if (ruleIds[b % 65_536] !== draft.ruleIds[d % 65_536]) this.ruleChanged++;
      const key = bRoute * 65_536 + dRoute;
      let cell = byCodes.get(key);
      if (!cell) byCodes.set(key, (cell = this.flowCell(from, to)));
      cell.count++;
      if (cell.leadIds.length < this.samplePerCell) {
        const i = this.idIndexes[k]!;
        cell.leadIds.push(column ? uuidAt(column, i) : this.idStrings[i]!);
      }
    }
  }

  /** The result; with the draft replayed elsewhere, pass its outcome (a {@link SideReplay} fed the same history). */
  result(draftOutcome?: SideOutcome): SimulationResult {
    let draft: SideTotals;
    if (this.draft) draft = this.draft;
    else {
      if (!draftOutcome) throw new Error("this simulation replays the draft elsewhere: pass the draft's outcome");
      if (this.mergedWith !== draftOutcome) {
        if (this.mergedWith) throw new Error("this simulation was already completed by another draft outcome");
        this.merge(draftOutcome);
        this.mergedWith = draftOutcome;
      }
      draft = draftOutcome.totals;
    }
    const routes = new Set<string | null>([...this.actual.keys(), ...this.baseline.volumes.keys(), ...draft.volumes.keys()]);
    const order = [...this.input.place.routes.keys()];
    const rank = (k: string | null) => (k === null ? 1e9 : order.indexOf(k) === -1 ? 1e8 : order.indexOf(k));
    const sortedRoutes = [...routes].sort((a, b) => rank(a) - rank(b) || String(a).localeCompare(String(b)));
    const volumes = sortedRoutes.map((route) => ({
      route,
      actual: this.actual.get(route) ?? 0,
      baseline: this.baseline.volumes.get(route) ?? 0,
      draft: draft.volumes.get(route) ?? 0,
    }));
    const flow = [...this.flow].sort((a, b) => rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to));

    const repsById = this.input.place.repsById;
    const repIds = new Set([...this.baseline.reps.keys(), ...draft.reps.keys()]);
    const sideLoad = (side: SideTotals, repId: string, cap: number | null): SideLoad => {
      const t = side.reps.get(repId);
      if (!t) return { assigned: 0, peakDay: 0, daysAtCap: 0, peakOpen: 0, capacitySkips: 0 };
      let peakDay = 0;
      let daysAtCap = 0;
      for (const n of t.days.values()) {
        if (n > peakDay) peakDay = n;
        if (cap !== null && n >= cap) daysAtCap++;
      }
      return { assigned: t.assigned, peakDay, daysAtCap, peakOpen: t.peakOpen, capacitySkips: t.capacitySkips };
    };
    const reps = [...repIds].map((repId) => {
      const rep = repsById.get(repId);
      const cap = rep?.maxLeadsPerDay ?? null;
      return {
        repId, teamId: rep?.teamId ?? "", maxLeadsPerDay: cap, maxOpenLeads: rep?.maxOpenLeads ?? null,
        baseline: sideLoad(this.baseline, repId, cap), draft: sideLoad(draft, repId, cap),
      };
    }).sort((a, b) => b.draft.assigned - a.draft.assigned || a.repId.localeCompare(b.repId));
    const teamIds = new Set([...this.baseline.teams.keys(), ...draft.teams.keys()]);
    const teams = [...teamIds].map((teamId) => ({ teamId, baseline: this.baseline.teams.get(teamId) ?? 0, draft: draft.teams.get(teamId) ?? 0 }));

    return {
      leads: this.leads,
      changed: this.changed,
      ruleChanged: this.ruleChanged,
      flow,
      volumes,
      triage: { actual: this.actualTriage, baseline: this.baseline.triage, draft: draft.triage },
      reviewReasons: { baseline: this.baseline.reviewReasons, draft: draft.reviewReasons },
      load: { reps, teams, unassigned: { baseline: this.baseline.unassigned, draft: draft.unassigned } },
      sla: projectSla(this.input, [...this.speeds.values()], this.baseline, draft),
      outcomes: projectOutcomes(this.input, [...this.cells], this.baseline, draft),
    };
  }
}

/** Replays a whole history at once (tests, small runs). */
export function simulate(input: SimulationInput, history: readonly HistoryLead[]): SimulationResult {
  const sim = new Simulation(input);
  sim.feed(history);
  return sim.result();
}

// ------------------------------------------------------------------------------------------------ projections

/**
 * A projected count: Σ n·p over groups of leads sharing one historical rate p (estimated from m observations).
 * Variance per rate: N·p(1−p) (the outcomes themselves) + N²·p(1−p)/m (the rate's own uncertainty), where N is every
 * lead using that rate — leads sharing a borrowed rate share its error, so their uncertainty adds up before squaring.
 */
class CountEstimate {
  private readonly rates = new Map<string, { n: number; p: number; m: number }>();
  sample = 0;
  add(n: number, p: number, m: number, rate: string): void {
    const r = this.rates.get(rate);
    if (r) r.n += n;
    else this.rates.set(rate, { n, p, m });
  }
  get empty(): boolean {
    return this.rates.size === 0;
  }
  done(): Estimate {
    let value = 0;
    let variance = 0;
    for (const { n, p, m } of this.rates.values()) {
      value += n * p;
      variance += n * p * (1 - p) + (m > 0 ? (n * n * p * (1 - p)) / m : 0);
    }
    const half = Z95 * Math.sqrt(variance);
    return { value, low: Math.max(0, value - half), high: value + half, sample: this.sample };
  }
}

function projectSla(input: SimulationInput, speeds: readonly RepSpeed[], baseline: SideTotals, draft: SideTotals): SimulationResult["sla"] {
  const byRep = new Map(speeds.map((s) => [s.repId, s]));
  const byTeam = new Map<string, { n: number; over: Record<string, number> }>();
  const all = { n: 0, over: {} as Record<string, number> };
  for (const s of speeds) {
    let t = byTeam.get(s.teamId);
    if (!t) byTeam.set(s.teamId, (t = { n: 0, over: {} }));
    t.n += s.n;
    all.n += s.n;
    for (const [k, v] of Object.entries(s.over)) {
      t.over[k] = (t.over[k] ?? 0) + v;
      all.over[k] = (all.over[k] ?? 0) + v;
    }
  }
  /** The breach rate for a rep at an SLA, from the rep's own history, else the team's, else everyone's. */
  const rateOf = (repId: string, sla: number): { p: number; m: number; source: string; teamId: string | null } | null => {
    const key = String(sla);
    const rep = byRep.get(repId);
    // History's team for the rep, else the team of the rep's profile.
    const teamId = rep?.teamId || input.place.repsById.get(repId)?.teamId || null;
    if (rep && rep.n >= MIN_SPEED_SAMPLE && rep.over[key] !== undefined) return { p: rep.over[key]! / rep.n, m: rep.n, source: `rep:${repId}`, teamId };
    const team = teamId ? byTeam.get(teamId) : undefined;
    if (team && team.n >= MIN_SPEED_SAMPLE && team.over[key] !== undefined) return { p: team.over[key]! / team.n, m: team.n, source: `team:${teamId}`, teamId };
    if (all.n > 0 && all.over[key] !== undefined) return { p: all.over[key]! / all.n, m: all.n, source: "all", teamId };
    return null;
  };
  const out: SimulationResult["sla"] = [];
  for (const route of input.place.routes.values()) {
    if (route.slaMinutes === null) continue;
    const b = baseline.repAssignments.get(route.key);
    const d = draft.repAssignments.get(route.key);
    if (!b && !d) continue;
    const side = (m: Map<string, number> | undefined) => {
      const est = new CountEstimate();
      let assigned = 0;
      const used = new Map<string, { m: number; teamId: string | null }>();
      for (const [repId, n] of m ?? []) {
        assigned += n;
        const r = rateOf(repId, route.slaMinutes!);
        if (!r) continue;
        est.add(n, r.p, r.m, r.source);
        used.set(r.source, { m: r.m, teamId: r.teamId });
      }
      // The distinct historical assignments behind the rates: a team's rate already holds its reps' own.
      if (used.has("all")) est.sample = used.get("all")!.m;
      else {
        for (const [source, u] of used) {
          if (source.startsWith("team:") || !(u.teamId && used.has(`team:${u.teamId}`))) est.sample += u.m;
        }
      }
      return { est: est.done(), assigned };
    };
    const bs = side(b);
    const ds = side(d);
    out.push({ route: route.key, slaMinutes: route.slaMinutes, baseline: bs.est, draft: ds.est, baselineAssigned: bs.assigned, draftAssigned: ds.assigned });
  }
  return out;
}

function projectOutcomes(input: SimulationInput, history: readonly OutcomeCell[], baseline: SideTotals, draft: SideTotals): SimulationResult["outcomes"] {
  const cells = new Map<string, Map<string, OutcomeCell>>();
  const totals = new Map<string, OutcomeCell>();
  for (const c of history) {
    let m = cells.get(c.route);
    if (!m) cells.set(c.route, (m = new Map()));
    m.set(c.segment, c);
    const t = totals.get(c.route) ?? { route: c.route, segment: "*", leads: 0, decided: 0, accepted: 0, meetings: 0, pipelineSum: 0, pipelineSumSq: 0 };
    t.leads += c.leads;
    t.decided += c.decided;
    t.accepted += c.accepted;
    t.meetings += c.meetings;
    t.pipelineSum += c.pipelineSum;
    t.pipelineSumSq += c.pipelineSumSq;
    totals.set(c.route, t);
  }
  const cellFor = (route: string, segment: string, enough: (c: OutcomeCell) => boolean): OutcomeCell | null => {
    const c = cells.get(route)?.get(segment);
    if (c && enough(c)) return c;
    const t = totals.get(route);
    return t && enough(t) ? t : null;
  };
  const side = (s: SideTotals, route: string) => {
    const routed = s.routedSegments.get(route);
    const all = s.segments.get(route);
    const leads = [...(all?.values() ?? [])].reduce((a, b) => a + b, 0);
    const accepted = new CountEstimate();
    const meetings = new CountEstimate();
    let pipeValue = 0;
    let pipeVar = 0;
    const pipeRates = new Map<OutcomeCell, number>();
    const used = new Set<OutcomeCell>();
    const rateKey = (c: OutcomeCell) => `${c.route}\u0000${c.segment}`;
    for (const [segment, n] of routed ?? []) {
      const a = cellFor(route, segment, (c) => c.decided >= MIN_SEGMENT_SAMPLE);
      if (a) {
        accepted.add(n, a.accepted / a.decided, a.decided, rateKey(a));
        used.add(a);
      }
      const m = cellFor(route, segment, (c) => c.leads >= MIN_SEGMENT_SAMPLE);
      if (m) {
        used.add(m);
        meetings.add(n, m.meetings / m.leads, m.leads, rateKey(m));
        pipeRates.set(m, (pipeRates.get(m) ?? 0) + n);
      }
    }
    // Pipeline: Σ N·mean, variance N·σ² + N²·σ²/m per rate (leads sharing a rate share its error).
    for (const [m, n] of pipeRates) {
      const mean = m.pipelineSum / m.leads;
      const variance = Math.max(0, m.pipelineSumSq / m.leads - mean * mean);
      pipeValue += n * mean;
      pipeVar += n * variance + (n * n * variance) / m.leads;
    }
    // Distinct historical leads behind the rates: a route total already holds its segments.
    const total = [...used].find((c) => c.segment === "*");
    const sample = total ? total.leads : [...used].reduce((acc, c) => acc + c.leads, 0);
    const finish = (e: CountEstimate): Estimate | null => (e.empty ? null : { ...e.done(), sample });
    const half = Z95 * Math.sqrt(pipeVar);
    return {
      leads,
      accepted: finish(accepted),
      meetings: finish(meetings),
      pipeline: pipeRates.size ? { value: pipeValue, low: Math.max(0, pipeValue - half), high: pipeValue + half, sample } : null,
    };
  };
  const out: SimulationResult["outcomes"] = [];
  for (const route of input.place.routes.values()) {
    if (route.kind !== "sales") continue;
    if (!baseline.segments.has(route.key) && !draft.segments.has(route.key)) continue;
    out.push({ route: route.key, baseline: side(baseline, route.key), draft: side(draft, route.key) });
  }
  return out;
}
