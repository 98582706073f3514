/**
 * Business-hours SLA math on a team calendar: due times, elapsed business minutes, open/closed checks.
 *
 * All functions are pure; instants are JS Dates (epoch milliseconds) and `now` is always an argument. Business time
 * is REAL elapsed time while the calendar is open (see compiled-calendar.ts for the exact DST semantics: a repeated
 * fall-back hour inside an interval is counted twice, a skipped spring-forward hour does not exist).
 *
 * Open intervals are half-open `[open, close)`: the closing instant itself is closed. Results are exact to the
 * millisecond: `minutes` are converted to whole milliseconds (rounded) before walking, so
 * `businessMinutesBetween(cal, s, addBusinessMinutes(cal, s, m))` equals `Math.round(m * 60000) / 60000`.
 *
 * Walks go span by span, block (≈ local day) by block, never minute by minute, and are capped: a calendar that
 * never opens throws CalendarError("no_open_hours") instead of looping.
 */

import { type BusinessCalendar, CalendarError } from "./calendar.schema";
import { compileCalendar, type CompiledCalendar } from "./compiled-calendar";
import { MINUTE_MS } from "./zone";

/** Consecutive closed days (holidays, closed weekdays) after which a search gives up: "never opens". */
export const MAX_CLOSED_DAYS = 400;
/** Days a single walk may cover before it gives up (≈ 100 years; bounds absurd minute counts). */
export const MAX_WALK_DAYS = 36_600;

function instant(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new CalendarError("invalid_argument", `${what} is not a valid Date.`);
  return t;
}

/** Core walk: the instant `ms` milliseconds of open time after `start` (ms = 0 → first open instant ≥ start). */
function walk(c: CompiledCalendar, start: number, ms: number): number {
  if (!c.hasOpenHours) throw new CalendarError("no_open_hours", "The calendar has no open hours on any weekday.");
  let remaining = ms;
  let cursor = start;
  let closedRun = 0;
  const first = c.blockOf(start);
  for (let k = first; k - first <= MAX_WALK_DAYS; k++) {
    const spans = c.spans(k);
    let progressed = false;
    for (let i = 0; i < spans.length; i += 2) {
      const end = spans[i + 1]!;
      if (end <= cursor) continue;
      const from = spans[i]! > cursor ? spans[i]! : cursor;
      const available = end - from;
      if (remaining <= available) return from + remaining;
      remaining -= available;
      cursor = end;
      progressed = true;
    }
    if (progressed) closedRun = 0;
    else if (++closedRun > MAX_CLOSED_DAYS) {
      throw new CalendarError("no_open_hours", `The calendar is closed for more than ${MAX_CLOSED_DAYS} consecutive days after ${new Date(cursor).toISOString()}.`);
    }
  }
  throw new CalendarError("horizon_exceeded", `More than ${MAX_WALK_DAYS} days of calendar would be needed.`);
}

/**
 * The SLA due time: the instant at which `minutes` business minutes have elapsed after `start`. A start outside
 * business hours starts the clock at the next opening. `minutes = 0` returns `start` when the calendar is open at
 * `start`, else the next opening. Fractional minutes are allowed (rounded to whole milliseconds). A due time that
 * lands exactly on a closing time is that closing instant (not the next morning).
 *
 * Throws CalendarError: "invalid_argument" for negative/non-finite minutes or an invalid Date, "invalid_calendar"
 * for a malformed calendar, "no_open_hours" when the calendar never opens (within {@link MAX_CLOSED_DAYS}).
 */
export function addBusinessMinutes(cal: BusinessCalendar, start: Date, minutes: number): Date {
  if (typeof minutes !== "number" || !Number.isFinite(minutes) || minutes < 0) {
    throw new CalendarError("invalid_argument", `Business minutes must be a finite number ≥ 0 (got ${String(minutes)}).`);
  }
  const s = instant(start, "start");
  return new Date(walk(compileCalendar(cal), s, Math.round(minutes * MINUTE_MS)));
}

/**
 * Business minutes elapsed from `a` to `b`: the real time within open hours, in minutes. Not rounded: exact to the
 * millisecond (a multiple of 1/60000 minute), so callers round for display. 0 when `b <= a`.
 * Used for speed-to-lead and SLA reporting in the owner team's calendar.
 */
export function businessMinutesBetween(cal: BusinessCalendar, a: Date, b: Date): number {
  const from = instant(a, "a");
  const to = instant(b, "b");
  if (to <= from) return 0;
  const c = compileCalendar(cal);
  let total = 0;
  const last = c.blockOf(to - 1);
  for (let k = c.blockOf(from); k <= last; k++) {
    const spans = c.spans(k);
    for (let i = 0; i < spans.length; i += 2) {
      const s = spans[i]! > from ? spans[i]! : from;
      const e = spans[i + 1]! < to ? spans[i + 1]! : to;
      if (e > s) total += e - s;
    }
  }
  return total / MINUTE_MS;
}

/** True when the calendar is open at the instant `at` (holidays closed; intervals half-open [open, close)). */
export function isOpenAt(cal: BusinessCalendar, at: Date): boolean {
  const t = instant(at, "at");
  const c = compileCalendar(cal);
  const spans = c.spans(c.blockOf(t));
  for (let i = 0; i < spans.length; i += 2) {
    if (t < spans[i]!) return false;
    if (t < spans[i + 1]!) return true;
  }
  return false;
}

/**
 * The earliest instant ≥ `at` at which the calendar is open: `at` itself when open, else the next opening.
 * Throws CalendarError("no_open_hours") for a calendar that never opens.
 */
export function nextOpening(cal: BusinessCalendar, at: Date): Date {
  return new Date(walk(compileCalendar(cal), instant(at, "at"), 0));
}

/**
 * The open spans of the calendar that intersect `[from, to)`, clipped to it, in order: for timelines and traces
 * ("open 09:00–12:30, 13:30–17:00"). Walks at most {@link MAX_WALK_DAYS} days.
 */
export function openSpansBetween(cal: BusinessCalendar, from: Date, to: Date): Array<{ start: Date; end: Date }> {
  const a = instant(from, "from");
  const b = instant(to, "to");
  const out: Array<{ start: Date; end: Date }> = [];
  if (b <= a) return out;
  const c = compileCalendar(cal);
  const first = c.blockOf(a);
  const last = Math.min(c.blockOf(b - 1), first + MAX_WALK_DAYS);
  for (let k = first; k <= last; k++) {
    const spans = c.spans(k);
    for (let i = 0; i < spans.length; i += 2) {
      const s = Math.max(spans[i]!, a);
      const e = Math.min(spans[i + 1]!, b);
      if (e > s) {
        const prev = out[out.length - 1];
        // Spans that touch across a block boundary (open through midnight) are reported as one.
        if (prev && prev.end.getTime() === s) prev.end = new Date(e);
        else out.push({ start: new Date(s), end: new Date(e) });
      }
    }
  }
  return out;
}
