/**
 * A stored day of what-if history (history-codec.ts) read as the simulation replays it: one lead object filled anew
 * per step. Free of "server-only" and of the database: the simulation's draft thread
 * (server/services/routing/simulation.worker.ts) loads it too.
 */
import type { LeadFacts } from "@/lib/routing/facts";
import type { HistoryLead } from "@/lib/simulate";
import { decodeHistoryDay, FLAG, uuidAt, type HistoryDay, type IndexColumn } from "./history-codec";
import type { HistoryFilters } from "./simulation.repository";

/** What a day's leads are read against: account owners and rep teams as they are now. */
export interface HistoryLookups {
  accountOwners: Map<string, string>;
  repTeams: Map<string, string>;
}

export interface HistoryView {
  since: number;
  until: number;
  /** Untouched leads past their SLA due time at this instant count as slow. */
  now: number;
  filters: HistoryFilters;
  factKeys: readonly string[];
  lookups: HistoryLookups;
}

/**
 * A stored lead as the simulation replays it. Its id is spelled out only when asked: a run keeps a few hundred ids
 * of a million leads (the flow cells' samples).
 */
class StoredLead implements HistoryLead {
  receivedAt = 0;
  facts: LeadFacts = {} as LeadFacts;
  junk = false;
  junkDoubt = false;
  accountOwnerRepId: string | null = null;
  actualRoute: string | null = null;
  actualReview = false;
  releaseAt: number | null = null;
  firstRepId: string | null = null;
  firstTeamId: string | null = null;
  humanBusinessMinutes: number | null = null;
  untouchedPastDue = false;
  routedToSales = false;
  decision: "accepted" | "rejected" | null = null;
  meeting = false;
  pipeline = 0;
  segment = "none";
  idColumn: Uint8Array = new Uint8Array(0);
  idIndex = 0;
  get id(): string {
    return uuidAt(this.idColumn, this.idIndex);
  }
}

/**
 * A stored day's leads inside the view's period and filters, in arrival order, as the simulation replays them.
 *
 * Iterating it hands out ONE lead object (and one facts object) filled anew at every step — a year of history is a
 * million leads, and allocating an object per lead and per facts was most of the decoding and of the garbage
 * collection. Whoever iterates must not keep the lead (Simulation.feed keeps nothing but sampled ids); copy it with
 * {@link copyHistoryLead} to keep it. Facts a lead lacks read as undefined, as absent keys do.
 */
export class HistoryDayLeads implements Iterable<HistoryLead> {
  private readonly day: HistoryDay;
  private readonly facts: Array<{ key: string; column: IndexColumn; values: unknown[] }> = [];
  private readonly keepRoute: Set<string> | null;
  private readonly keepSource: Set<string> | null;

  constructor(
    /** The stored day's bytes (the simulation's draft thread decodes its own copy). */
    readonly data: Uint8Array,
    readonly view: HistoryView,
  ) {
    this.day = decodeHistoryDay(data);
    this.keepRoute = view.filters.routes?.length ? new Set(view.filters.routes) : null;
    this.keepSource = view.filters.sourceIds?.length ? new Set(view.filters.sourceIds) : null;
    for (const key of view.factKeys) {
      const f = this.day.facts.get(key);
      // One parse per column and day (the values are JSON texts): a day holds thousands of distinct employee counts.
      if (f) this.facts.push({ key, column: f.column, values: JSON.parse(`[${f.values.join(",")}]`) as unknown[] });
    }
  }

  [Symbol.iterator](): Iterator<HistoryLead> {
    const { day, view, facts, keepRoute, keepSource } = this;
    const { strings } = day;
    const routes = strings.route;
    const { accountOwners, repTeams } = view.lookups;
    const lead = new StoredLead();
    lead.idColumn = day.ids;
    // Every key the leads of this day may have, present from the start: one shape for every lead.
    const leadFacts: Record<string, unknown> = {};
    for (const f of facts) leadFacts[f.key] = undefined;
    lead.facts = leadFacts as LeadFacts;
    const step: IteratorResult<HistoryLead> = { done: false, value: lead };
    let i = -1;
    const next = (): IteratorResult<HistoryLead> => {
      for (i++; i < day.n; i++) {
        const receivedAt = day.receivedAt[i]!;
        if (receivedAt < view.since || receivedAt >= view.until) continue;
        const r = routes.column[i]!;
        const route = r === 0 ? null : routes.dict[r - 1]!;
        if (keepRoute && (route === null || !keepRoute.has(route))) continue;
        if (keepSource) {
          const s = strings.source.column[i]!;
          if (s === 0 || !keepSource.has(strings.source.dict[s - 1]!)) continue;
        }
        for (let k = 0; k < facts.length; k++) {
          const f = facts[k]!;
          const v = f.column[i]!;
          leadFacts[f.key] = v === 0 ? undefined : f.values[v - 1];
        }
        const flags = day.flags[i]!;
        const a = strings.account.column[i]!;
        const rep = strings.rep.column[i]!;
        const firstRepId = rep === 0 ? null : strings.rep.dict[rep - 1]!;
        const release = day.releaseAt[i]!;
        const minutes = day.humanBusinessMinutes[i]!;
        const decision = day.decision[i]!;
        const tier = leadFacts.priority_tier;
        lead.idIndex = i;
        lead.receivedAt = receivedAt;
        lead.junk = (flags & FLAG.junk) !== 0;
        lead.junkDoubt = (flags & FLAG.junkDoubt) !== 0;
        lead.accountOwnerRepId = a === 0 ? null : accountOwners.get(strings.account.dict[a - 1]!) ?? null;
        lead.actualRoute = route;
        lead.actualReview = (flags & FLAG.review) !== 0;
        lead.releaseAt = Number.isNaN(release) ? null : release;
        lead.firstRepId = firstRepId;
        lead.firstTeamId = firstRepId === null ? null : repTeams.get(firstRepId) ?? null;
        lead.humanBusinessMinutes = Number.isNaN(minutes) ? null : minutes;
        lead.untouchedPastDue = (flags & FLAG.touched) === 0 && day.slaDueAt[i]! < view.now;
        lead.routedToSales = (flags & FLAG.routedToSales) !== 0;
        lead.decision = decision === 1 ? "accepted" : decision === 2 ? "rejected" : null;
        lead.meeting = (flags & FLAG.meeting) !== 0;
        lead.pipeline = day.pipeline[i]!;
        lead.segment = typeof tier === "string" ? tier : "none";
        return step;
      }
      return { done: true, value: undefined };
    };
    return { next };
  }
}

/** A lead handed out by {@link HistoryDayLeads} as an object of its own (facts without the undefined keys). */
export function copyHistoryLead(lead: HistoryLead): HistoryLead {
  const facts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(lead.facts)) if (v !== undefined) facts[k] = v;
  return { ...lead, id: lead.id, facts: facts as LeadFacts };
}

