/**
 * Who may take a lead: rep availability (active, weight, out of office, working hours, capacity) and lead fit
 * (excluded, territory, product, segment). Derived per-rep data (upper/lower-cased sets, absence instants, the
 * rep's calendar) is computed once per RepProfile object and cached: treat profiles as immutable values.
 */

import { type BusinessCalendar, isOpenAt, localDate } from "../calendar";
import { AssignmentError, type AssignContext, type AssignmentLead, type AssignmentState, type RepProfile, type SkipReason } from "./assignment.schema";

interface PreparedRep {
  /** Upper-cased territories, or null = any. */
  territories: ReadonlySet<string> | null;
  /** Lower-cased products, or null = any. */
  products: ReadonlySet<string> | null;
  /** Lower-cased segments, or null = any. */
  segments: ReadonlySet<string> | null;
  /** Absences as flat [start, end) epoch-ms pairs. */
  absences: readonly number[];
  /** The rep's calendar, built for a given team calendar (or none). */
  calendar: { team: BusinessCalendar | undefined; cal: BusinessCalendar } | null;
}

const prepared = new WeakMap<RepProfile, PreparedRep>();

function setOrNull(values: readonly string[], norm: (s: string) => string): ReadonlySet<string> | null {
  return values.length === 0 ? null : new Set(values.map((v) => norm(v.trim())));
}

const upper = (s: string) => s.toUpperCase();
const lower = (s: string) => s.toLowerCase();

function prepare(rep: RepProfile): PreparedRep {
  let p = prepared.get(rep);
  if (!p) {
    const absences: number[] = [];
    for (const o of rep.outOfOffice) absences.push(o.startsAt.getTime(), o.endsAt.getTime());
    p = {
      territories: setOrNull(rep.territories, upper),
      products: setOrNull(rep.products, lower),
      segments: setOrNull(rep.segments, lower),
      absences,
      calendar: null,
    };
    prepared.set(rep, p);
  }
  return p;
}

function lookup<T>(source: ReadonlyMap<string, T> | Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  if (!source) return undefined;
  if (source instanceof Map) return source.get(key);
  return Object.prototype.hasOwnProperty.call(source, key) ? (source as Readonly<Record<string, T>>)[key] : undefined;
}

/** True when the rep is out of office at `t` (epoch ms). */
export function isOutOfOffice(rep: RepProfile, t: number): boolean {
  const a = prepare(rep).absences;
  for (let i = 0; i < a.length; i += 2) if (t >= a[i]! && t < a[i + 1]!) return true;
  return false;
}

/**
 * The calendar a rep works: their own weekly hours (else the team's), in the rep's time zone, with their own
 * holidays (else the team's). Throws AssignmentError("missing_team_calendar") when the rep has no own hours and
 * no team calendar was supplied.
 */
export function repCalendar(rep: RepProfile, context: AssignContext | undefined): BusinessCalendar {
  const p = prepare(rep);
  const team = lookup(context?.teamCalendars, rep.teamId);
  if (p.calendar && p.calendar.team === team) return p.calendar.cal;
  if (!rep.workingHours && !team) {
    throw new AssignmentError("missing_team_calendar", `Rep ${rep.name} (${rep.id}) has no working hours and no calendar was given for team ${rep.teamId}.`);
  }
  // The common case — the team's hours, holidays and zone — shares the team calendar object, and with it the
  // compiled calendar and its cache of open spans.
  const cal: BusinessCalendar =
    team && !rep.workingHours && !rep.holidays && team.timeZone === rep.timeZone
      ? team
      : { timeZone: rep.timeZone, weeklyHours: rep.workingHours ?? team!.weeklyHours, holidays: rep.holidays ?? team?.holidays ?? [] };
  p.calendar = { team, cal };
  return cal;
}

/** Open-lead and today's counts of a rep (live loads from the context override the state's counters). */
export function repLoad(rep: RepProfile, state: AssignmentState, context: AssignContext | undefined, now: Date): { open: number; today: number } {
  const live = lookup(context?.loads, rep.id);
  const kept = state.reps[rep.id];
  const open = live?.openLeads ?? kept?.open ?? 0;
  let today = live?.leadsToday;
  if (today === undefined) today = kept && kept.today > 0 && kept.day === localDate(rep.timeZone, now) ? kept.today : 0;
  return { open, today };
}

export interface AvailabilityOptions {
  respectWorkingHours: boolean;
  respectCapacity: boolean;
}

/** Why the rep cannot take any lead now, or null when available. Cheapest checks first. */
export function unavailability(
  rep: RepProfile,
  options: AvailabilityOptions,
  state: AssignmentState,
  now: Date,
  t: number,
  context: AssignContext | undefined,
): SkipReason | null {
  if (!rep.active) return "inactive";
  if (!(rep.weight > 0)) return "zero_weight";
  if (isOutOfOffice(rep, t)) return "out_of_office";
  if (options.respectWorkingHours && !isOpenAt(repCalendar(rep, context), now)) return "outside_hours";
  if (options.respectCapacity && (rep.maxOpenLeads !== null || rep.maxLeadsPerDay !== null)) {
    const load = repLoad(rep, state, context, now);
    if (rep.maxOpenLeads !== null && load.open >= rep.maxOpenLeads) return "capacity_open";
    if (rep.maxLeadsPerDay !== null && load.today >= rep.maxLeadsPerDay) return "capacity_daily";
  }
  return null;
}

export interface FitOptions {
  matchTerritory: boolean;
  matchProduct: boolean;
  matchSegment: boolean;
}

/** Why the rep does not fit this lead, or null when they do. Unknown lead facts never exclude. */
export function misfit(rep: RepProfile, lead: AssignmentLead, options: FitOptions): SkipReason | null {
  if (lead.excludeRepIds && lead.excludeRepIds.includes(rep.id)) return "excluded";
  const p = prepare(rep);
  if (options.matchTerritory && p.territories) {
    const country = lead.country ? lead.country.trim().toUpperCase() : "";
    const region = lead.region ? lead.region.trim().toUpperCase() : "";
    if ((country || region) && !(country && p.territories.has(country)) && !(region && p.territories.has(region))) return "territory";
  }
  if (options.matchProduct && p.products && lead.product && !p.products.has(lead.product.trim().toLowerCase())) return "product";
  if (options.matchSegment && p.segments && lead.segment && !p.segments.has(lead.segment.trim().toLowerCase())) return "segment";
  return null;
}
