/**
 * Time-zone primitives on epoch milliseconds, backed by luxon's IANA zone data (Intl). No offset tables of our own:
 * every offset comes from `IANAZone.offset`. Because one offset look-up costs a few microseconds (Intl formatting),
 * callers cache what they derive from it (see compiled-calendar.ts); the helpers here only memoise per zone.
 *
 * "Wall" values are local wall-clock times encoded as if they were UTC epoch milliseconds
 * (wall = instant + offset), so a local date is `Math.floor(wall / DAY_MS)`: its "local day number".
 */

import { IANAZone } from "luxon";
import { CalendarError } from "./calendar.schema";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A resolved IANA zone with a memo of the last local day asked for (see {@link localDayNumber}). */
export interface Zone {
  readonly name: string;
  /** The zone's offset from UTC in milliseconds at the instant `t` (positive east of Greenwich). */
  offsetMs(t: number): number;
  /** @internal memo for localDayNumber/localDate: instants [lo, hi) are local day `day` ("YYYY-MM-DD" `iso`, or ""). */
  memo: { lo: number; hi: number; day: number; iso: string };
}

const zones = new Map<string, Zone>();

/** True when `name` is an IANA zone the runtime knows (e.g. "America/New_York"; not "+05:00"). */
export function isValidTimeZone(name: string): boolean {
  return typeof name === "string" && name.length > 0 && IANAZone.isValidZone(name);
}

/** The zone named `name`; throws CalendarError("invalid_calendar") for an unknown zone. Cached per name. */
export function getZone(name: string): Zone {
  const cached = zones.get(name);
  if (cached) return cached;
  if (!isValidTimeZone(name)) {
    throw new CalendarError("invalid_calendar", `Unknown time zone "${name}".`, [
      { path: "timeZone", code: "invalid_time_zone", message: `"${name}" is not an IANA time zone.` },
    ]);
  }
  const iana = IANAZone.create(name);
  const zone: Zone = {
    name,
    // Whole milliseconds: historical local-mean-time offsets have seconds, never sub-millisecond parts.
    offsetMs: (t) => Math.round(iana.offset(t) * MINUTE_MS),
    memo: { lo: 0, hi: 0, day: 0, iso: "" },
  };
  zones.set(name, zone);
  return zone;
}

/**
 * The first instant in `(lo, hi]` at which the zone's offset differs from its offset at `lo`, to the second
 * (tz transitions fall on whole seconds). The caller guarantees the offset at `hi` differs.
 */
export function findTransition(zone: Zone, lo: number, hi: number): number {
  const before = zone.offsetMs(lo);
  let a = Math.floor(lo / 1000);
  let b = Math.ceil(hi / 1000);
  while (b - a > 1) {
    const mid = a + Math.floor((b - a) / 2);
    if (zone.offsetMs(mid * 1000) === before) a = mid;
    else b = mid;
  }
  return Math.max(b * 1000, lo + 1);
}

/**
 * Splits the instants `[from, to)` into runs of constant offset: `[start, end, offsetMs]` triples in order.
 * Assumes the offset is constant between two look-ups that agree, i.e. no pair of transitions cancelling out
 * within the span (about a day here); the tz database has none in practice — transitions are months apart.
 */
export function offsetRuns(zone: Zone, from: number, to: number): Array<[number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  let start = from;
  let offset = zone.offsetMs(from);
  const offsetAtEnd = zone.offsetMs(to);
  // A day holds at most a couple of transitions; the bound only guards against a misbehaving Intl.
  for (let guard = 0; offset !== offsetAtEnd && guard < 8; guard++) {
    const t = findTransition(zone, start, to);
    if (t >= to) break;
    runs.push([start, t, offset]);
    start = t;
    offset = zone.offsetMs(t);
  }
  runs.push([start, to, offset]);
  return runs;
}

/**
 * The local day number (days since 1970-01-01 in the zone's wall clock) of the instant `t`. Memoised per zone on
 * the last day asked for, so a stream of nearby instants costs one offset look-up per local day.
 */
export function localDayNumber(zone: Zone, t: number): number {
  const m = zone.memo;
  if (t >= m.lo && t < m.hi) return m.day;
  const offset = zone.offsetMs(t);
  const day = Math.floor((t + offset) / DAY_MS);
  // Memoise [midnight, next midnight) only when the offset is the same at both ends (not a transition day).
  const lo = day * DAY_MS - offset;
  const hi = lo + DAY_MS;
  if (zone.offsetMs(lo) === offset && zone.offsetMs(hi - 1) === offset) {
    m.lo = lo;
    m.hi = hi;
    m.day = day;
    m.iso = "";
    return day;
  }
  // A day with an offset change (daylight saving): its instants from the offset runs around it (offsets stay
  // within ±15 h), memoised when they form one span — else every instant of that day would look the offset up
  // again (three Intl calls each; a day of leads replayed in simulation asks thousands of times).
  let start = Infinity;
  let end = -Infinity;
  let contiguous = true;
  for (const [s, e, off] of offsetRuns(zone, day * DAY_MS - 15 * HOUR_MS, (day + 1) * DAY_MS + 15 * HOUR_MS)) {
    const a = Math.max(s, day * DAY_MS - off);
    const b = Math.min(e, (day + 1) * DAY_MS - off);
    if (a >= b) continue;
    if (end !== -Infinity && a !== end) contiguous = false;
    start = Math.min(start, a);
    end = Math.max(end, b);
  }
  if (contiguous && t >= start && t < end) {
    m.lo = start;
    m.hi = end;
    m.day = day;
    m.iso = "";
  }
  return day;
}

/** "YYYY-MM-DD" of a local day number. */
export function dayNumberToIsoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The local day number of a "YYYY-MM-DD" string, or null when it is not a real calendar date. */
export function isoDateToDayNumber(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** Weekday index of a local day number: 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/**
 * The local calendar date ("YYYY-MM-DD") of the instant `at` in the IANA zone `timeZone`. Memoised per zone (the
 * per-day cap asks this for every assignment; formatting a Date each time would dominate).
 */
export function localDate(timeZone: string, at: Date): string {
  const zone = getZone(timeZone);
  const t = at.getTime();
  const day = localDayNumber(zone, t);
  const m = zone.memo;
  if (t >= m.lo && t < m.hi && m.day === day) return m.iso || (m.iso = dayNumberToIsoDate(day));
  return dayNumberToIsoDate(day);
}
