/**
 * Business calendars: the shapes the database stores as JSON (teams.weekly_hours, teams.holidays, reps.working_hours)
 * and the typed error the SLA math throws.
 *
 * The schemas check *shape and syntax* (weekday keys, "HH:mm" times, YYYY-MM-DD dates). Semantic checks (a real
 * IANA zone, intervals not inverted or overlapping, at least one open hour) live in `validateBusinessCalendar`,
 * which reports field-level issues, and in `CheckedBusinessCalendar`, the schema with those checks attached for
 * edges that accept a calendar from a user (settings form, API).
 */

import { z } from "zod";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

/** "HH:mm" on a 24-hour clock, 00:00–23:59, plus "24:00" (only meaningful as an interval end: midnight after). */
export const LocalTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'Expected a local time "HH:mm" (00:00–23:59, or 24:00 as an end).' });
export type LocalTime = z.infer<typeof LocalTime>;

/** One open interval of a day, local wall-clock times `[start, end)`, e.g. `["09:00", "12:30"]`. */
export const OpenInterval = z.tuple([LocalTime, LocalTime]);
export type OpenInterval = z.infer<typeof OpenInterval>;

const DayHours = z.array(OpenInterval).default([]);

/**
 * Open intervals per weekday, in the calendar's zone. `[]` (or a missing day) = closed. Intervals do not cross
 * midnight; end a day with "24:00" and start the next with "00:00" for round-the-clock cover.
 */
export const WeeklyHours = z.object({
  mon: DayHours,
  tue: DayHours,
  wed: DayHours,
  thu: DayHours,
  fri: DayHours,
  sat: DayHours,
  sun: DayHours,
});
export type WeeklyHours = z.infer<typeof WeeklyHours>;

/** A closed day: `date` is the local calendar date (YYYY-MM-DD) in the calendar's zone. */
export const Holiday = z.object({
  date: z.iso.date({ error: "Expected a date YYYY-MM-DD." }),
  name: z.string(),
});
export type Holiday = z.infer<typeof Holiday>;

/** A team's (or a rep's) business calendar. `timeZone` is an IANA zone name such as "Europe/Berlin". */
export const BusinessCalendar = z.object({
  timeZone: z.string().min(1, { error: "Time zone is required." }),
  weeklyHours: WeeklyHours,
  holidays: z.array(Holiday).default([]),
});
export type BusinessCalendar = z.infer<typeof BusinessCalendar>;
export type BusinessCalendarInput = z.input<typeof BusinessCalendar>;

/** A field-level finding about a calendar; `path` is dotted, e.g. "weeklyHours.mon.1" or "holidays.3.date". */
export const CalendarIssue = z.object({
  path: z.string(),
  code: z.enum([
    "invalid_shape",
    "invalid_time_zone",
    "invalid_time",
    "invalid_date",
    "empty_interval",
    "inverted_interval",
    "start_at_24",
    "overlapping_intervals",
    "duplicate_holiday",
    "no_open_hours",
  ]),
  message: z.string(),
});
export type CalendarIssue = z.infer<typeof CalendarIssue>;

export type CalendarErrorCode = "invalid_calendar" | "no_open_hours" | "horizon_exceeded" | "invalid_argument";

/**
 * Thrown by the SLA math when it cannot answer: the calendar is invalid, it never opens (within the search
 * horizon), or an argument is out of range (negative minutes, an invalid Date). Carries the calendar issues when
 * the calendar itself is at fault.
 */
export class CalendarError extends Error {
  override readonly name = "CalendarError";
  constructor(
    readonly code: CalendarErrorCode,
    message: string,
    readonly issues: readonly CalendarIssue[] = [],
  ) {
    super(message);
  }
}
