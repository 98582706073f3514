/**
 * What-if replay: historical leads, each with the facts it had when it arrived, through the published version
 * (baseline) and a draft, with owner assignment replayed against its own state for each side. Single pass in
 * arrival order, fed in chunks (the caller streams history from the database, reports progress and can stop
 * between chunks); projections of SLA and outcomes are applied at the end from historical rates.
 *
 * Pure: no I/O, no clock. The same decide and placement code live routing runs (lib/routing).
 */
import { createAssignmentState, onClosed, type AssignmentState, type AssignmentTicket } from "../assignment";
import { decideRoute, type DecideInput, type Decision, type RouteConfig } from "../routing/decide";
import type { LeadFacts } from "../routing/facts";
import { placeOnRoute, routeNeedsState, type PlaceContext } from "../routing/place";

/** One historical lead as the simulation replays it. */
export interface HistoryLead {
  id: string;
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
}

interface RepTally {
  assigned: number;
  days: Map<number, number>;
  open: number;
  peakOpen: number;
  capacitySkips: number;
}

class Side {
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
    this.releases.drain(t, (ticket) => {
      onClosed(this.state, ticket);
      const tally = this.reps.get(ticket.repId);
      if (tally && tally.open > 0) tally.open--;
    });
  }

  record(lead: HistoryLead, decision: Decision): void {
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
    const { placement } = placeOnRoute(this.ctx, route, {
      accountOwnerRepId: lead.accountOwnerRepId,
      region: lead.facts.region ?? null,
      country: lead.facts.country ?? null,
      product: lead.facts.product_interest ?? null,
      value: lead.facts.score ?? null,
    }, this.state, new Date(lead.receivedAt));
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
    const skipped = placement.result?.reason.skipped;
    if (skipped) for (const s of skipped) if (s.reason === "capacity_open" || s.reason === "capacity_daily") this.tally(s.repId).capacitySkips++;
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

/** A running simulation: feed history in arrival order, then read the result. */
export class Simulation {
  private readonly baseline: Side;
  private readonly draft: Side;
  private readonly flow = new Map<string, { from: string | null; to: string | null; count: number; leadIds: string[] }>();
  private readonly actual = new Map<string | null, number>();
  private readonly samplePerCell: number;
  private leads = 0;
  private changed = 0;
  private ruleChanged = 0;
  private actualTriage = 0;
  private lastAt = -Infinity;
  private readonly cells = new Map<string, OutcomeCell>();
  private readonly speeds = new Map<string, RepSpeed>();
  private readonly slaKeys: number[];

  constructor(private readonly input: SimulationInput) {
    this.baseline = new Side(input.place);
    this.draft = new Side(input.place);
    this.samplePerCell = input.samplePerCell ?? 200;
    this.slaKeys = [...new Set([...input.place.routes.values()].map((r) => r.slaMinutes).filter((m): m is number => m !== null))];
  }

  /** History's own outcomes by route path × segment, and each first owner's speed at every SLA in use. */
  private learn(lead: HistoryLead): void {
    if (lead.actualRoute !== null && lead.routedToSales) {
      const key = `${lead.actualRoute}\u0000${lead.segment}`;
      let c = this.cells.get(key);
      if (!c) this.cells.set(key, (c = { route: lead.actualRoute, segment: lead.segment, leads: 0, decided: 0, accepted: 0, meetings: 0, pipelineSum: 0, pipelineSumSq: 0 }));
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

  get processed(): number {
    return this.leads;
  }

  feed(chunk: readonly HistoryLead[]): void {
    const { baseline: bIn, draft: dIn } = this.input;
    for (const lead of chunk) {
      if (lead.receivedAt < this.lastAt) throw new Error(`history out of order at lead ${lead.id}`);
      this.lastAt = lead.receivedAt;
      this.leads++;
      this.actual.set(lead.actualRoute, (this.actual.get(lead.actualRoute) ?? 0) + 1);
      if (lead.actualReview) this.actualTriage++;
      this.learn(lead);
      const flags = { junk: lead.junk, doubt: lead.junkDoubt };
      const b = decideRoute(bIn, lead.facts, flags);
      const d = bIn.table === dIn.table ? b : decideRoute(dIn, lead.facts, flags);
      if (b.routeKey !== d.routeKey) this.changed++;
      if (b.ruleId !== d.ruleId) this.ruleChanged++;
      const cellKey = `${b.routeKey ?? ""}\u0000${d.routeKey ?? ""}`;
      let cell = this.flow.get(cellKey);
      if (!cell) {
        cell = { from: b.routeKey, to: d.routeKey, count: 0, leadIds: [] };
        this.flow.set(cellKey, cell);
      }
      cell.count++;
      if (cell.leadIds.length < this.samplePerCell) cell.leadIds.push(lead.id);
      this.baseline.advance(lead.receivedAt);
      this.draft.advance(lead.receivedAt);
      this.baseline.record(lead, b);
      this.draft.record(lead, d);
    }
  }

  result(): SimulationResult {
    const routes = new Set<string | null>([...this.actual.keys(), ...this.baseline.volumes.keys(), ...this.draft.volumes.keys()]);
    const order = [...this.input.place.routes.keys()];
    const rank = (k: string | null) => (k === null ? 1e9 : order.indexOf(k) === -1 ? 1e8 : order.indexOf(k));
    const sortedRoutes = [...routes].sort((a, b) => rank(a) - rank(b) || String(a).localeCompare(String(b)));
    const volumes = sortedRoutes.map((route) => ({
      route,
      actual: this.actual.get(route) ?? 0,
      baseline: this.baseline.volumes.get(route) ?? 0,
      draft: this.draft.volumes.get(route) ?? 0,
    }));
    const flow = [...this.flow.values()].sort((a, b) => rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to));

    const repsById = this.input.place.repsById;
    const repIds = new Set([...this.baseline.reps.keys(), ...this.draft.reps.keys()]);
    const sideLoad = (side: Side, repId: string, cap: number | null): SideLoad => {
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
        baseline: sideLoad(this.baseline, repId, cap), draft: sideLoad(this.draft, repId, cap),
      };
    }).sort((a, b) => b.draft.assigned - a.draft.assigned || a.repId.localeCompare(b.repId));
    const teamIds = new Set([...this.baseline.teams.keys(), ...this.draft.teams.keys()]);
    const teams = [...teamIds].map((teamId) => ({ teamId, baseline: this.baseline.teams.get(teamId) ?? 0, draft: this.draft.teams.get(teamId) ?? 0 }));

    return {
      leads: this.leads,
      changed: this.changed,
      ruleChanged: this.ruleChanged,
      flow,
      volumes,
      triage: { actual: this.actualTriage, baseline: this.baseline.triage, draft: this.draft.triage },
      reviewReasons: { baseline: this.baseline.reviewReasons, draft: this.draft.reviewReasons },
      load: { reps, teams, unassigned: { baseline: this.baseline.unassigned, draft: this.draft.unassigned } },
      sla: projectSla(this.input, [...this.speeds.values()], this.baseline, this.draft),
      outcomes: projectOutcomes(this.input, [...this.cells.values()], this.baseline, this.draft),
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

/** Σ of independent Bernoulli(p) counts plus the uncertainty of each p estimated from `m` observations. */
class CountEstimate {
  value = 0;
  variance = 0;
  sample = 0;
  add(n: number, p: number, m: number): void {
    this.value += n * p;
    this.variance += n * p * (1 - p) + (m > 0 ? (n * n * p * (1 - p)) / m : 0);
  }
  done(): Estimate {
    const half = Z95 * Math.sqrt(this.variance);
    return { value: this.value, low: Math.max(0, this.value - half), high: this.value + half, sample: this.sample };
  }
}

function projectSla(input: SimulationInput, speeds: readonly RepSpeed[], baseline: Side, draft: Side): SimulationResult["sla"] {
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
  const rateOf = (repId: string, sla: number): { p: number; m: number; source: string } | null => {
    const key = String(sla);
    const rep = byRep.get(repId);
    if (rep && rep.n >= MIN_SPEED_SAMPLE && rep.over[key] !== undefined) return { p: rep.over[key]! / rep.n, m: rep.n, source: `rep:${repId}` };
    const teamId = rep?.teamId ?? input.place.repsById.get(repId)?.teamId;
    const team = teamId ? byTeam.get(teamId) : undefined;
    if (team && team.n >= MIN_SPEED_SAMPLE && team.over[key] !== undefined) return { p: team.over[key]! / team.n, m: team.n, source: `team:${teamId}` };
    if (all.n > 0 && all.over[key] !== undefined) return { p: all.over[key]! / all.n, m: all.n, source: "all" };
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
      const sources = new Map<string, number>();
      for (const [repId, n] of m ?? []) {
        assigned += n;
        const r = rateOf(repId, route.slaMinutes!);
        if (!r) continue;
        est.add(n, r.p, r.m);
        sources.set(r.source, r.m);
      }
      est.sample = [...sources.values()].reduce((a, b) => a + b, 0);
      return { est: est.done(), assigned };
    };
    const bs = side(b);
    const ds = side(d);
    out.push({ route: route.key, slaMinutes: route.slaMinutes, baseline: bs.est, draft: ds.est, baselineAssigned: bs.assigned, draftAssigned: ds.assigned });
  }
  return out;
}

function projectOutcomes(input: SimulationInput, history: readonly OutcomeCell[], baseline: Side, draft: Side): SimulationResult["outcomes"] {
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
  const side = (s: Side, route: string) => {
    const routed = s.routedSegments.get(route);
    const all = s.segments.get(route);
    const leads = [...(all?.values() ?? [])].reduce((a, b) => a + b, 0);
    const accepted = new CountEstimate();
    const meetings = new CountEstimate();
    let pipeValue = 0;
    let pipeVar = 0;
    let any = false;
    const used = new Set<OutcomeCell>();
    for (const [segment, n] of routed ?? []) {
      const a = cellFor(route, segment, (c) => c.decided >= MIN_SEGMENT_SAMPLE);
      if (a) {
        accepted.add(n, a.accepted / a.decided, a.decided);
        used.add(a);
      }
      const m = cellFor(route, segment, (c) => c.leads >= MIN_SEGMENT_SAMPLE);
      if (m) {
        any = true;
        used.add(m);
        meetings.add(n, m.meetings / m.leads, m.leads);
        const mean = m.pipelineSum / m.leads;
        const variance = Math.max(0, m.pipelineSumSq / m.leads - mean * mean);
        pipeValue += n * mean;
        pipeVar += n * variance + (n * n * variance) / m.leads;
      }
    }
    const sample = [...used].reduce((acc, c) => acc + c.leads, 0);
    const finish = (e: CountEstimate): Estimate | null => (e.value === 0 && e.variance === 0 && !any ? null : { ...e.done(), sample });
    const half = Z95 * Math.sqrt(pipeVar);
    return {
      leads,
      accepted: finish(accepted),
      meetings: finish(meetings),
      pipeline: any ? { value: pipeValue, low: Math.max(0, pipeValue - half), high: pipeValue + half, sample } : null,
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
