import { describe, expect, it } from "vitest";
import {
  BusinessCalendar,
  CheckedBusinessCalendar,
  dayNumberToIsoDate,
  isoDateToDayNumber,
  isValidTimeZone,
  localDate,
  parseLocalTime,
  validateBusinessCalendar,
  weekdayIndex,
} from "@/lib/calendar";

const base = {
  timeZone: "Europe/Berlin",
  weeklyHours: { mon: [["09:00", "17:00"]], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  holidays: [],
};

function withHours(mon: unknown[]): unknown {
  return { ...base, weeklyHours: { ...base.weeklyHours, mon } };
}

describe("validateBusinessCalendar", () => {
  it("accepts a valid calendar and fills in missing weekdays and holidays", () => {
    const result = validateBusinessCalendar({ timeZone: "Asia/Kolkata", weeklyHours: { mon: [["09:30", "18:30"]] } });
    expect(result.ok).toBe(true);
    expect(result.calendar).toEqual({
      timeZone: "Asia/Kolkata",
      weeklyHours: { mon: [["09:30", "18:30"]], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      holidays: [],
    });
  });

  it.each<[string, unknown, Array<[string, string]>]>([
    ["unknown zone", { ...base, timeZone: "Europe/Atlantis" }, [["timeZone", "invalid_time_zone"]]],
    ["offset instead of a zone", { ...base, timeZone: "+02:00" }, [["timeZone", "invalid_time_zone"]]],
    ["empty zone", { ...base, timeZone: "" }, [["timeZone", "invalid_time_zone"]]],
    ["malformed time", withHours([["9:00", "17:00"]]), [["weeklyHours.mon.0.0", "invalid_time"]]],
    ["hour 25", withHours([["09:00", "25:00"]]), [["weeklyHours.mon.0.1", "invalid_time"]]],
    ["inverted interval", withHours([["17:00", "09:00"]]), [["weeklyHours.mon.0", "inverted_interval"], ["weeklyHours", "no_open_hours"]]],
    ["empty interval", withHours([["09:00", "09:00"]]), [["weeklyHours.mon.0", "empty_interval"], ["weeklyHours", "no_open_hours"]]],
    ["starts at 24:00", withHours([["24:00", "24:00"]]), [["weeklyHours.mon.0", "start_at_24"], ["weeklyHours", "no_open_hours"]]],
    ["overlapping intervals", withHours([["09:00", "12:30"], ["12:00", "17:00"]]), [["weeklyHours.mon.1", "overlapping_intervals"]]],
    ["overlap reported on the later interval whatever the order", withHours([["12:00", "17:00"], ["09:00", "12:30"]]), [["weeklyHours.mon.0", "overlapping_intervals"]]],
    ["never open", { ...base, weeklyHours: {} }, [["weeklyHours", "no_open_hours"]]],
    ["holiday that is not a date", { ...base, holidays: [{ date: "2026-02-30", name: "x" }] }, [["holidays.0.date", "invalid_date"]]],
    ["holiday in the wrong format", { ...base, holidays: [{ date: "30.02.2026", name: "x" }] }, [["holidays.0.date", "invalid_date"]]],
    ["duplicate holiday", { ...base, holidays: [{ date: "2026-12-25", name: "a" }, { date: "2026-12-25", name: "b" }] }, [["holidays.1.date", "duplicate_holiday"]]],
    ["not an object at all", "09:00-17:00", [["", "invalid_shape"]]],
    ["interval that is not a pair", withHours([["09:00"]]), [["weeklyHours.mon.0", "invalid_shape"]]],
  ])("%s", (_label, input, expected) => {
    const result = validateBusinessCalendar(input);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => [i.path, i.code])).toEqual(expected);
    for (const issue of result.issues) expect(issue.message.length).toBeGreaterThan(0);
  });

  it("adjacent intervals (end = next start) are not overlapping, and 24:00 is a valid end", () => {
    expect(validateBusinessCalendar(withHours([["00:00", "12:00"], ["12:00", "24:00"]])).ok).toBe(true);
  });

  it("CheckedBusinessCalendar reports the same issues with zod paths", () => {
    const parsed = CheckedBusinessCalendar.safeParse(withHours([["09:00", "12:30"], ["12:00", "17:00"]]));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path)).toEqual([["weeklyHours", "mon", 1]]);
    expect(CheckedBusinessCalendar.safeParse(base).success).toBe(true);
  });

  it("BusinessCalendar (shape only) accepts what the database stores", () => {
    expect(BusinessCalendar.parse(base)).toEqual(base);
  });
});

describe("time and date helpers", () => {
  it.each<[string, number | null]>([
    ["00:00", 0],
    ["09:30", 570],
    ["23:59", 1439],
    ["24:00", 1440],
    ["24:01", null],
    ["12:60", null],
    ["9:30", null],
  ])("parseLocalTime(%s) = %s", (text, minutes) => {
    expect(parseLocalTime(text)).toBe(minutes);
  });

  it("isoDateToDayNumber round-trips real dates and rejects impossible ones", () => {
    expect(isoDateToDayNumber("1970-01-01")).toBe(0);
    expect(dayNumberToIsoDate(isoDateToDayNumber("2028-02-29")!)).toBe("2028-02-29");
    expect(isoDateToDayNumber("2026-02-29")).toBeNull();
    expect(isoDateToDayNumber("2026-13-01")).toBeNull();
    expect(isoDateToDayNumber("yesterday")).toBeNull();
  });

  it("weekdayIndex: 0 = Monday", () => {
    expect(weekdayIndex(isoDateToDayNumber("2026-03-09")!)).toBe(0);
    expect(weekdayIndex(isoDateToDayNumber("2026-03-15")!)).toBe(6);
    expect(weekdayIndex(isoDateToDayNumber("1969-12-31")!)).toBe(2);
  });

  it.each<[string, string, string]>([
    ["Europe/Berlin", "2026-03-28T23:30:00Z", "2026-03-29"],
    ["Europe/Berlin", "2026-03-29T21:59:00Z", "2026-03-29"],
    ["Europe/Berlin", "2026-03-29T22:00:00Z", "2026-03-30"],
    ["America/New_York", "2026-11-01T04:30:00Z", "2026-11-01"],
    ["America/New_York", "2026-11-02T04:59:00Z", "2026-11-01"],
    ["America/New_York", "2026-11-02T05:00:00Z", "2026-11-02"],
    ["Asia/Kolkata", "2026-03-10T18:29:00Z", "2026-03-10"],
    ["Asia/Kolkata", "2026-03-10T18:30:00Z", "2026-03-11"],
    ["Pacific/Kiritimati", "2026-03-10T10:00:00Z", "2026-03-11"],
  ])("localDate(%s, %s) = %s", (zone, at, date) => {
    expect(localDate(zone, new Date(at))).toBe(date);
  });

  it("localDate is stable for a stream of instants through DST days (memo refreshes)", () => {
    const start = Date.UTC(2026, 9, 23);
    for (let t = start; t < start + 4 * 86_400_000; t += 17 * 60_000) {
      const expected = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" }).format(t);
      expect(localDate("Europe/Berlin", new Date(t))).toBe(expected);
    }
  });

  it("isValidTimeZone", () => {
    expect(isValidTimeZone("America/Los_Angeles")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Not/AZone")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});
