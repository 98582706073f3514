/**
 * Field-level validation of a business calendar, for the settings form and the API: every problem is reported
 * with a dotted path ("weeklyHours.tue.1", "holidays.0.date") so the UI can show it beside the field.
 */

import type { z } from "zod";
import { BusinessCalendar, type CalendarIssue, WEEKDAYS } from "./calendar.schema";
import { isValidTimeZone, isoDateToDayNumber } from "./zone";

/** Minutes after local midnight of an "HH:mm" string (0–1440), or null when it is not a valid local time. */
export function parseLocalTime(value: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return 1440;
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/** The semantic checks on a calendar that already has the right shape. Returns [] when it is usable for SLAs. */
export function calendarIssues(cal: BusinessCalendar): CalendarIssue[] {
  const issues: CalendarIssue[] = [];
  if (!isValidTimeZone(cal.timeZone)) {
    issues.push({ path: "timeZone", code: "invalid_time_zone", message: `"${cal.timeZone}" is not an IANA time zone (e.g. "Europe/Berlin").` });
  }
  let open = false;
  for (const day of WEEKDAYS) {
    const intervals = cal.weeklyHours[day];
    const parsed: Array<{ i: number; start: number; end: number }> = [];
    intervals.forEach(([startText, endText], i) => {
      const path = `weeklyHours.${day}.${i}`;
      const start = parseLocalTime(startText);
      const end = parseLocalTime(endText);
      if (start === null || end === null) {
        issues.push({ path, code: "invalid_time", message: `"${start === null ? startText : endText}" is not a time "HH:mm".` });
        return;
      }
      if (start === 1440) {
        issues.push({ path, code: "start_at_24", message: "An interval cannot start at 24:00." });
        return;
      }
      if (end === start) {
        issues.push({ path, code: "empty_interval", message: `${startText}–${endText} is empty.` });
        return;
      }
      if (end < start) {
        issues.push({ path, code: "inverted_interval", message: `${startText}–${endText} ends before it starts (intervals may not cross midnight; end at 24:00).` });
        return;
      }
      parsed.push({ i, start, end });
    });
    const sorted = [...parsed].sort((a, b) => a.start - b.start || a.end - b.end);
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!;
      const cur = sorted[k]!;
      if (cur.start < prev.end) {
        issues.push({
          path: `weeklyHours.${day}.${cur.i}`,
          code: "overlapping_intervals",
          message: `Overlaps ${intervals[prev.i]![0]}–${intervals[prev.i]![1]} on ${day}.`,
        });
      }
    }
    if (parsed.length > 0) open = true;
  }
  if (!open) issues.push({ path: "weeklyHours", code: "no_open_hours", message: "The calendar is never open: add at least one interval." });
  const seen = new Map<string, number>();
  cal.holidays.forEach((h, i) => {
    if (isoDateToDayNumber(h.date) === null) {
      issues.push({ path: `holidays.${i}.date`, code: "invalid_date", message: `"${h.date}" is not a calendar date.` });
      return;
    }
    const first = seen.get(h.date);
    if (first !== undefined) {
      issues.push({ path: `holidays.${i}.date`, code: "duplicate_holiday", message: `${h.date} is already listed (holidays.${first}).` });
    } else {
      seen.set(h.date, i);
    }
  });
  return issues;
}

export type CalendarValidation =
  | { ok: true; calendar: BusinessCalendar; issues: [] }
  | { ok: false; calendar: null; issues: CalendarIssue[] };

/**
 * Parses and checks an untrusted calendar (shape, then zone, times, intervals, holidays). On success returns the
 * parsed calendar (missing weekdays and holidays defaulted to []); otherwise every issue found, with its path.
 */
export function validateBusinessCalendar(input: unknown): CalendarValidation {
  const shape = BusinessCalendar.safeParse(input);
  if (!shape.success) {
    return {
      ok: false,
      calendar: null,
      issues: shape.error.issues.map((issue) => ({
        path: issue.path.map(String).join("."),
        code: issue.path.includes("timeZone")
          ? "invalid_time_zone"
          : issue.path.includes("date")
            ? "invalid_date"
            : issue.path[0] === "weeklyHours" && issue.path.length === 4
              ? "invalid_time"
              : "invalid_shape",
        message: issue.message,
      })),
    };
  }
  const issues = calendarIssues(shape.data);
  return issues.length === 0 ? { ok: true, calendar: shape.data, issues: [] } : { ok: false, calendar: null, issues };
}

/**
 * `BusinessCalendar` with the semantic checks of {@link calendarIssues} attached, for tRPC inputs and forms: the
 * zod error's issues carry the same paths.
 */
export const CheckedBusinessCalendar = BusinessCalendar.check((ctx) => {
  for (const issue of calendarIssues(ctx.value)) {
    ctx.issues.push({ code: "custom", message: issue.message, input: ctx.value, path: issue.path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)) });
  }
});
export type CheckedBusinessCalendar = z.infer<typeof CheckedBusinessCalendar>;
