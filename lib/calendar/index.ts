/**
 * Business calendars and business-hours SLA math (due times, elapsed business minutes), DST-correct via luxon.
 *
 * Decisions (details in compiled-calendar.ts and business-time.ts):
 * - Business minutes are REAL elapsed minutes while the local wall clock is inside an open interval: a skipped
 *   spring-forward hour does not exist; a repeated fall-back hour inside an interval counts twice.
 * - Intervals are half-open [open, close): a due time can be a closing instant; 0 minutes at a closing instant
 *   moves to the next opening. Minutes are rounded to whole milliseconds; elapsed minutes are exact (not rounded).
 * - Calendars compile once per object (WeakMap) into cached per-day open spans; walks go span by span and give up
 *   with CalendarError("no_open_hours") after 400 closed days rather than loop.
 */

export * from "./business-time";
export * from "./calendar.schema";
export { compileCalendar, type CompiledCalendar } from "./compiled-calendar";
export * from "./validate-calendar";
export { dayNumberToIsoDate, isoDateToDayNumber, isValidTimeZone, localDate, weekdayIndex } from "./zone";
export { describeWeeklyHours } from "./describe";
