/** Builders shared by the assignment tests. */
import type { BusinessCalendar, WeeklyHours } from "@/lib/calendar";
import type { AssignmentResult, Destination, RepProfile, RoundRobinStrategy } from "@/lib/assignment";

export function rep(id: string, extra: Partial<RepProfile> = {}): RepProfile {
  return {
    id,
    teamId: "team-a",
    name: id.charAt(0).toUpperCase() + id.slice(1),
    active: true,
    weight: 1,
    timeZone: "Europe/Berlin",
    workingHours: null,
    territories: [],
    products: [],
    segments: [],
    maxOpenLeads: null,
    maxLeadsPerDay: null,
    outOfOffice: [],
    ...extra,
  };
}

export function weekdays(open: string, close: string): WeeklyHours {
  const day: Array<[string, string]> = [[open, close]];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };
}

export const TEAM_CALENDAR: BusinessCalendar = { timeZone: "Europe/Berlin", weeklyHours: weekdays("09:00", "17:00"), holidays: [{ date: "2026-04-06", name: "Ostermontag" }] };

export function rr(extra: Partial<RoundRobinStrategy> = {}): RoundRobinStrategy {
  return { kind: "round_robin", ...extra };
}

export function dest(strategies: Destination["strategies"], fallback: Destination["fallback"] = { kind: "queue", queue: "review" }): Destination {
  return { strategies, fallback };
}

/** The rep id of a result, or "queue:<name>" / "route:<key>". */
export function who(result: AssignmentResult): string {
  if (result.kind === "rep") return result.repId;
  if (result.kind === "queue") return `queue:${result.queue}`;
  return `route:${result.routePathKey}`;
}

export const at = (iso: string) => new Date(iso);
