/**
 * A business calendar compiled for fast queries: the open time of each "block" of real time (one UTC day shifted
 * by the zone's reference offset, so a block is about one local day) as sorted, disjoint `[start, end)` instant
 * pairs, computed once and cached. The SLA functions walk blocks and spans — never minutes — so a query costs a
 * few map look-ups once the blocks it touches are cached (simulation touches the same few hundred days for
 * millions of leads).
 *
 * Semantics (the DST choice): a real instant is OPEN when the local wall-clock reading at that instant, in the
 * calendar's zone, lies inside one of the open intervals of that local date's weekday and that date is not a
 * holiday. Business time is the REAL elapsed time of open instants. Hence:
 * - spring forward: wall times in the gap never occur. An interval starting at a nonexistent 02:30 opens when the
 *   clock jumps to 03:00; ["01:00","04:00"] on the EU spring-forward night lasts 2 real hours.
 * - fall back: the repeated hour is open twice when it lies inside an interval (the clock really reads those
 *   times twice). ["01:00","04:00"] on the EU fall-back night lasts 4 real hours; an SLA clock keeps ticking in
 *   real time, because the customer really waits. An interval whose end falls in the repeated hour closes at its
 *   first reading and reopens for the second pass up to the same reading.
 * Typical office hours (09:00–18:00) never meet a transition, so DST only moves where they sit in UTC.
 *
 * Compiled calendars are cached per calendar object (WeakMap): treat calendars as immutable values.
 */

import { type BusinessCalendar, CalendarError, WEEKDAYS } from "./calendar.schema";
import { calendarIssues, parseLocalTime } from "./validate-calendar";
import { DAY_MS, getZone, isoDateToDayNumber, MINUTE_MS, offsetRuns, weekdayIndex, type Zone } from "./zone";

/** At most this many blocks are cached per calendar (~55 years); the cache is dropped and refilled beyond it. */
const BLOCK_CACHE_LIMIT = 20_000;
/** The instant whose offset anchors block boundaries (2026-01-01T00:00Z); any instant would be correct. */
const REFERENCE_INSTANT = Date.UTC(2026, 0, 1);
const NO_SPANS: readonly number[] = Object.freeze([]);

export class CompiledCalendar {
  private readonly blocks = new Map<number, readonly number[]>();
  private readonly referenceOffset: number;

  constructor(
    readonly zone: Zone,
    /** Per weekday (0 = Monday): flat sorted disjoint [startMinute, endMinute, ...] pairs. */
    private readonly weekly: ReadonlyArray<readonly number[]>,
    private readonly holidays: ReadonlySet<number>,
    /** False when no weekday has an open interval: add/nextOpening would search forever. */
    readonly hasOpenHours: boolean,
  ) {
    this.referenceOffset = zone.offsetMs(REFERENCE_INSTANT);
  }

  /** The block holding the instant `t`. Blocks are consecutive integers in time order. */
  blockOf(t: number): number {
    return Math.floor((t + this.referenceOffset) / DAY_MS);
  }

  /** First instant of block `k`. */
  blockStart(k: number): number {
    return k * DAY_MS - this.referenceOffset;
  }

  /** Open spans of block `k`: flat [start, end, start, end, ...] instants, sorted, disjoint, within the block. */
  spans(k: number): readonly number[] {
    let spans = this.blocks.get(k);
    if (spans === undefined) {
      spans = this.computeSpans(k);
      if (this.blocks.size >= BLOCK_CACHE_LIMIT) this.blocks.clear();
      this.blocks.set(k, spans);
    }
    return spans;
  }

  private computeSpans(k: number): readonly number[] {
    if (!this.hasOpenHours) return NO_SPANS;
    const from = this.blockStart(k);
    const out: number[] = [];
    // Within a run of constant offset, wall = instant + offset is linear, so the open instants are the open wall
    // intervals shifted back by the offset and clipped to the run. Runs are disjoint and ordered, and so are the
    // spans within each, so the result is already sorted.
    for (const [runStart, runEnd, offset] of offsetRuns(this.zone, from, from + DAY_MS)) {
      const wallFrom = runStart + offset;
      const wallTo = runEnd + offset;
      for (let day = Math.floor(wallFrom / DAY_MS); day * DAY_MS < wallTo; day++) {
        if (this.holidays.has(day)) continue;
        const intervals = this.weekly[weekdayIndex(day)]!;
        const midnight = day * DAY_MS;
        for (let i = 0; i < intervals.length; i += 2) {
          const a = Math.max(midnight + intervals[i]! * MINUTE_MS, wallFrom);
          const b = Math.min(midnight + intervals[i + 1]! * MINUTE_MS, wallTo);
          if (b > a) {
            const start = a - offset;
            const end = b - offset;
            // Merge with the previous span when they touch (a "24:00" end and a "00:00" start, or a DST seam).
            if (out.length > 0 && out[out.length - 1]! >= start) out[out.length - 1] = Math.max(out[out.length - 1]!, end);
            else out.push(start, end);
          }
        }
      }
    }
    return out.length === 0 ? NO_SPANS : out;
  }
}

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();

/**
 * The compiled form of `cal` (cached per object). Throws CalendarError("invalid_calendar") when the zone is
 * unknown, a time is malformed, or an interval is empty or inverted. Overlapping intervals are merged and duplicate
 * holidays ignored (validation reports both; neither makes the math ambiguous). A calendar with no open hours
 * compiles: `isOpenAt` is then always false and `addBusinessMinutes` throws "no_open_hours".
 */
export function compileCalendar(cal: BusinessCalendar): CompiledCalendar {
  const hit = compiled.get(cal);
  if (hit) return hit;
  const blocking = calendarIssues(cal).filter(
    (i) => i.code !== "overlapping_intervals" && i.code !== "duplicate_holiday" && i.code !== "no_open_hours",
  );
  if (blocking.length > 0) {
    throw new CalendarError("invalid_calendar", `Invalid business calendar: ${blocking.map((i) => `${i.path}: ${i.message}`).join("; ")}`, blocking);
  }
  const weekly = WEEKDAYS.map((day) => mergeIntervals(cal.weeklyHours[day]));
  const holidays = new Set<number>();
  for (const h of cal.holidays) holidays.add(isoDateToDayNumber(h.date)!);
  const result = new CompiledCalendar(getZone(cal.timeZone), weekly, holidays, weekly.some((d) => d.length > 0));
  compiled.set(cal, result);
  return result;
}

/** Intervals as sorted, merged [start, end] minute pairs (inputs already validated). */
function mergeIntervals(intervals: ReadonlyArray<readonly [string, string]>): number[] {
  const pairs = intervals
    .map(([s, e]) => [parseLocalTime(s)!, parseLocalTime(e)!] as const)
    .sort((a, b) => a[0] - b[0]);
  const flat: number[] = [];
  for (const [s, e] of pairs) {
    if (flat.length > 0 && flat[flat.length - 1]! >= s) flat[flat.length - 1] = Math.max(flat[flat.length - 1]!, e);
    else flat.push(s, e);
  }
  return flat;
}
