import { describe, expect, it } from "vitest";
import {
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  CalendarError,
  isOpenAt,
  localDate,
  nextOpening,
  openSpansBetween,
  type WeeklyHours,
} from "@/lib/calendar";

type Day = keyof WeeklyHours;
const DAYS: Day[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

function hours(spec: Partial<Record<Day | "weekdays" | "all", Array<[string, string]>>>): WeeklyHours {
  const out = {} as WeeklyHours;
  for (const d of DAYS) {
    const weekday = d !== "sat" && d !== "sun";
    out[d] = spec[d] ?? (weekday ? spec.weekdays : undefined) ?? spec.all ?? [];
  }
  return out;
}

const cal = (timeZone: string, weeklyHours: WeeklyHours, holidays: BusinessCalendar["holidays"] = []): BusinessCalendar => ({
  timeZone,
  weeklyHours,
  holidays,
});

const BERLIN = cal("Europe/Berlin", hours({ weekdays: [["09:00", "17:00"]] }));
const NEW_YORK = cal("America/New_York", hours({ weekdays: [["08:30", "17:30"]] }));
const BERLIN_SPLIT = cal("Europe/Berlin", hours({ weekdays: [["09:00", "12:30"], ["13:30", "17:00"]] }));
const BERLIN_EASTER = cal("Europe/Berlin", hours({ weekdays: [["09:00", "17:00"]] }), [
  { date: "2026-04-03", name: "Karfreitag" },
  { date: "2026-04-06", name: "Ostermontag" },
]);
const KOLKATA = cal("Asia/Kolkata", hours({ weekdays: [["09:30", "18:30"]] }));
/** Open through the DST-transition hours on Sundays (night shift). */
const BERLIN_NIGHT = cal("Europe/Berlin", hours({ sun: [["01:00", "04:00"]] }));
const NY_ALWAYS = cal("America/New_York", hours({ all: [["00:00", "24:00"]] }));
const SUPPORT_WEEKEND = cal("Europe/Dublin", hours({ sat: [["20:00", "24:00"]], sun: [["00:00", "02:00"]] }));

const d = (iso: string) => new Date(iso);

describe("addBusinessMinutes — known cases", () => {
  it.each<[string, BusinessCalendar, string, number, string]>([
    // Plain days.
    ["within one day", BERLIN, "2026-03-10T09:00:00Z", 60, "2026-03-10T10:00:00Z"],
    ["lead before opening starts the clock at 09:00", BERLIN, "2026-03-10T05:00:00Z", 15, "2026-03-10T08:15:00Z"],
    ["due exactly at closing time stays that evening", BERLIN, "2026-03-10T15:00:00Z", 60, "2026-03-10T16:00:00Z"],
    ["rolls over to the next morning", BERLIN, "2026-03-10T15:30:00Z", 60, "2026-03-11T08:30:00Z"],
    ["Friday-evening lead is due Monday", BERLIN, "2026-03-20T18:00:00Z", 30, "2026-03-23T08:30:00Z"],
    ["multi-day SLA: 3 business days from Tue 09:00 end at Thu 17:00", BERLIN, "2026-03-10T08:00:00Z", 3 * 480, "2026-03-12T16:00:00Z"],
    // Europe/Berlin DST weekends (29 Mar and 25 Oct 2026).
    ["Fri 16:30 CET + 60 over spring-forward → Mon 09:30 CEST", BERLIN, "2026-03-27T15:30:00Z", 60, "2026-03-30T07:30:00Z"],
    ["Fri 16:00 CEST + 120 over fall-back → Mon 10:00 CET", BERLIN, "2026-10-23T14:00:00Z", 120, "2026-10-26T09:00:00Z"],
    // America/New_York DST weekends (8 Mar and 1 Nov 2026).
    ["Fri 17:00 EST + 60 over spring-forward → Mon 09:00 EDT", NEW_YORK, "2026-03-06T22:00:00Z", 60, "2026-03-09T13:00:00Z"],
    ["Fri 17:00 EDT + 60 over fall-back → Mon 09:00 EST", NEW_YORK, "2026-10-30T21:00:00Z", 60, "2026-11-02T14:00:00Z"],
    ["24/7 calendar: 3 real hours across the US spring-forward night", NY_ALWAYS, "2026-03-08T05:00:00Z", 180, "2026-03-08T08:00:00Z"],
    // Holidays.
    ["Easter: Thu 16:30 + 60 skips Good Friday, the weekend and Easter Monday", BERLIN_EASTER, "2026-04-02T14:30:00Z", 60, "2026-04-07T07:30:00Z"],
    ["a lead on the holiday Monday itself waits for Tuesday", BERLIN_EASTER, "2026-04-06T08:00:00Z", 10, "2026-04-07T07:10:00Z"],
    // Half-hour offset.
    ["Asia/Kolkata 18:15 IST + 30 → next day 09:45 IST", KOLKATA, "2026-03-10T12:45:00Z", 30, "2026-03-11T04:15:00Z"],
    ["Asia/Kolkata opens at 04:00Z (09:30 IST)", KOLKATA, "2026-03-10T00:00:00Z", 0, "2026-03-10T04:00:00Z"],
    // Split days.
    ["split day: 12:00 + 60 → 30 before lunch, 30 after → 14:00", BERLIN_SPLIT, "2026-03-10T11:00:00Z", 60, "2026-03-10T13:00:00Z"],
    ["split day: a lead over lunch starts at 13:30", BERLIN_SPLIT, "2026-03-10T11:45:00Z", 5, "2026-03-10T12:35:00Z"],
    ["split day: exactly at the lunch close → due at 12:30", BERLIN_SPLIT, "2026-03-10T10:30:00Z", 60, "2026-03-10T11:30:00Z"],
    // "24:00" ends: Saturday 20:00–24:00 and Sunday 00:00–02:00 are one stretch.
    ["24:00 end runs on into Sunday 00:00", SUPPORT_WEEKEND, "2026-03-07T22:00:00Z", 180, "2026-03-08T01:00:00Z"],
    // Spring-forward night shift: ["01:00","04:00"] on 29 Mar 2026 is 01:00 CET (00:00Z) .. 04:00 CEST (02:00Z).
    ["night shift on spring-forward Sunday has 120 real minutes", BERLIN_NIGHT, "2026-03-29T00:00:00Z", 120, "2026-03-29T02:00:00Z"],
    ["spring-forward: minute 121 is the next Sunday 01:01 CEST", BERLIN_NIGHT, "2026-03-29T00:00:00Z", 121, "2026-04-04T23:01:00Z"],
    // Fall-back night shift: 01:00 CEST (23:00Z Sat) .. 04:00 CET (03:00Z): 240 real minutes, repeated hour counted twice.
    ["night shift on fall-back Sunday has 240 real minutes", BERLIN_NIGHT, "2026-10-24T23:00:00Z", 240, "2026-10-25T03:00:00Z"],
    ["minutes = 0 inside hours returns start", BERLIN, "2026-03-10T09:17:23.456Z", 0, "2026-03-10T09:17:23.456Z"],
    ["minutes = 0 outside hours returns the next opening", BERLIN, "2026-03-14T10:00:00Z", 0, "2026-03-16T08:00:00Z"],
    ["minutes = 0 at the closing instant is closed → next opening", BERLIN, "2026-03-10T16:00:00Z", 0, "2026-03-11T08:00:00Z"],
    ["fractional minutes round to whole milliseconds", BERLIN, "2026-03-10T09:00:00Z", 1.5, "2026-03-10T09:01:30Z"],
  ])("%s", (_label, calendar, start, minutes, due) => {
    expect(addBusinessMinutes(calendar, d(start), minutes).toISOString()).toBe(new Date(due).toISOString());
  });
});

describe("DST intervals that start or end at times that do not exist or repeat", () => {
  it.each<[string, Array<[string, string]>, string, string, number]>([
    // 29 Mar 2026, Berlin: 02:00 CET → 03:00 CEST at 01:00Z. Local 02:30 never happens.
    ["start at nonexistent 02:30 opens when the clock jumps to 03:00", [["02:30", "05:00"]], "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z", 120],
    ["end at nonexistent 02:30 closes at the jump", [["00:00", "02:30"]], "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z", 120],
    ["interval entirely inside the gap is empty that day", [["02:10", "02:50"]], "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z", 0],
    // 25 Oct 2026, Berlin: 03:00 CEST → 02:00 CET at 01:00Z. Local 02:00–03:00 happens twice.
    ["end inside the repeated hour: open until the first 02:30 and again 02:00–02:30", [["00:00", "02:30"]], "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", 180],
    ["start inside the repeated hour: 02:30–03:00 (first pass) and 02:30–05:00 (second)", [["02:30", "05:00"]], "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", 180],
    ["interval covering the repeated hour counts it twice", [["01:00", "04:00"]], "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", 240],
  ])("%s", (_label, sunday, from, to, minutes) => {
    const c = cal("Europe/Berlin", hours({ sun: sunday }));
    expect(businessMinutesBetween(c, d(from), d(to))).toBe(minutes);
  });

  it("lists the fall-back spans of an interval ending in the repeated hour", () => {
    const c = cal("Europe/Berlin", hours({ sun: [["00:00", "02:30"]] }));
    expect(openSpansBetween(c, d("2026-10-24T12:00:00Z"), d("2026-10-25T12:00:00Z")).map((s) => [s.start.toISOString(), s.end.toISOString()])).toEqual([
      ["2026-10-24T22:00:00.000Z", "2026-10-25T00:30:00.000Z"],
      ["2026-10-25T01:00:00.000Z", "2026-10-25T01:30:00.000Z"],
    ]);
  });

  it("America/New_York 24/7: the weekends of 8 Mar and 1 Nov 2026 have 47 and 49 real hours", () => {
    expect(businessMinutesBetween(NY_ALWAYS, d("2026-03-07T05:00:00Z"), d("2026-03-09T04:00:00Z"))).toBe(47 * 60);
    expect(businessMinutesBetween(NY_ALWAYS, d("2026-10-31T04:00:00Z"), d("2026-11-02T05:00:00Z"))).toBe(49 * 60);
  });
});

describe("businessMinutesBetween", () => {
  it.each<[string, BusinessCalendar, string, string, number]>([
    ["same day", BERLIN, "2026-03-10T09:00:00Z", "2026-03-10T10:30:00Z", 90],
    ["Friday evening to Monday 09:30 is 30 business minutes", BERLIN, "2026-03-20T18:00:00Z", "2026-03-23T08:30:00Z", 30],
    ["over the spring-forward weekend", BERLIN, "2026-03-27T15:30:00Z", "2026-03-30T07:30:00Z", 60],
    ["a full week", BERLIN, "2026-03-09T00:00:00Z", "2026-03-16T00:00:00Z", 5 * 480],
    ["a week with Good Friday and Easter Monday", BERLIN_EASTER, "2026-03-30T00:00:00Z", "2026-04-13T00:00:00Z", 8 * 480],
    ["split day counts both halves", BERLIN_SPLIT, "2026-03-10T07:00:00Z", "2026-03-10T17:00:00Z", 420],
    ["fractional: 90 seconds", BERLIN, "2026-03-10T09:00:00Z", "2026-03-10T09:01:30Z", 1.5],
    ["b before a is 0", BERLIN, "2026-03-10T12:00:00Z", "2026-03-10T10:00:00Z", 0],
    ["b equal to a is 0", BERLIN, "2026-03-10T12:00:00Z", "2026-03-10T12:00:00Z", 0],
    ["entirely outside hours is 0", BERLIN, "2026-03-14T00:00:00Z", "2026-03-15T23:00:00Z", 0],
    ["Kolkata half-hour offset", KOLKATA, "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z", 540],
  ])("%s", (_label, calendar, a, b, minutes) => {
    expect(businessMinutesBetween(calendar, d(a), d(b))).toBe(minutes);
  });
});

describe("isOpenAt / nextOpening / openSpansBetween", () => {
  it.each<[string, BusinessCalendar, string, boolean]>([
    ["at opening", BERLIN, "2026-03-10T08:00:00Z", true],
    ["a millisecond before opening", BERLIN, "2026-03-10T07:59:59.999Z", false],
    ["at closing (half-open)", BERLIN, "2026-03-10T16:00:00Z", false],
    ["a millisecond before closing", BERLIN, "2026-03-10T15:59:59.999Z", true],
    ["Saturday", BERLIN, "2026-03-14T10:00:00Z", false],
    ["holiday", BERLIN_EASTER, "2026-04-06T10:00:00Z", false],
    ["over lunch", BERLIN_SPLIT, "2026-03-10T12:00:00Z", false],
    ["Saturday 23:59 on a 24:00 end", SUPPORT_WEEKEND, "2026-03-07T23:59:00Z", true],
    ["Sunday 00:00 after a 24:00 end", SUPPORT_WEEKEND, "2026-03-08T00:00:00Z", true],
    ["Kolkata 09:29 IST", KOLKATA, "2026-03-10T03:59:00Z", false],
    ["Kolkata 09:30 IST", KOLKATA, "2026-03-10T04:00:00Z", true],
  ])("%s → %s", (_label, calendar, at, open) => {
    expect(isOpenAt(calendar, d(at))).toBe(open);
  });

  it("nextOpening returns `at` itself when open, else the next opening", () => {
    expect(nextOpening(BERLIN, d("2026-03-10T10:00:00Z")).toISOString()).toBe("2026-03-10T10:00:00.000Z");
    expect(nextOpening(BERLIN, d("2026-03-13T16:00:00Z")).toISOString()).toBe("2026-03-16T08:00:00.000Z");
    expect(nextOpening(BERLIN_EASTER, d("2026-04-02T16:00:00Z")).toISOString()).toBe("2026-04-07T07:00:00.000Z");
  });

  it("openSpansBetween lists open stretches clipped to the range and joins a 24:00/00:00 seam", () => {
    expect(openSpansBetween(BERLIN_SPLIT, d("2026-03-10T09:00:00Z"), d("2026-03-11T09:00:00Z")).map((s) => [s.start.toISOString(), s.end.toISOString()])).toEqual([
      ["2026-03-10T09:00:00.000Z", "2026-03-10T11:30:00.000Z"],
      ["2026-03-10T12:30:00.000Z", "2026-03-10T16:00:00.000Z"],
      ["2026-03-11T08:00:00.000Z", "2026-03-11T09:00:00.000Z"],
    ]);
    expect(openSpansBetween(SUPPORT_WEEKEND, d("2026-03-07T00:00:00Z"), d("2026-03-09T00:00:00Z")).map((s) => [s.start.toISOString(), s.end.toISOString()])).toEqual([
      ["2026-03-07T20:00:00.000Z", "2026-03-08T02:00:00.000Z"],
    ]);
    expect(openSpansBetween(BERLIN, d("2026-03-10T12:00:00Z"), d("2026-03-10T11:00:00Z"))).toEqual([]);
  });

  it("an equal calendar in a new object gives the same answers (compilation is per object, results are not)", () => {
    const copy = structuredClone(BERLIN_EASTER);
    const start = d("2026-04-02T14:30:00Z");
    expect(addBusinessMinutes(copy, start, 60)).toEqual(addBusinessMinutes(BERLIN_EASTER, start, 60));
  });

  it("merges overlapping intervals instead of double counting them", () => {
    const overlapping = cal("Europe/Berlin", hours({ weekdays: [["09:00", "13:00"], ["12:00", "17:00"], ["16:00", "16:30"]] }));
    expect(businessMinutesBetween(overlapping, d("2026-03-10T00:00:00Z"), d("2026-03-11T00:00:00Z"))).toBe(480);
  });
});

describe("errors are typed, and searches are capped", () => {
  const code = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(CalendarError);
      return (e as CalendarError).code;
    }
    throw new Error("expected a CalendarError");
  };
  const closed = cal("Europe/Berlin", hours({}));

  it.each<[string, () => unknown, string]>([
    ["a calendar with no open hours cannot give a due time", () => addBusinessMinutes(closed, d("2026-03-10T00:00:00Z"), 10), "no_open_hours"],
    ["…nor a next opening", () => nextOpening(closed, d("2026-03-10T00:00:00Z")), "no_open_hours"],
    [
      "open only on Mondays that are all holidays for two years: gives up after the closed-day cap",
      () => {
        const mondays = Array.from({ length: 110 }, (_, i) => ({ date: new Date(Date.UTC(2026, 2, 9 + 7 * i)).toISOString().slice(0, 10), name: "closed" }));
        return addBusinessMinutes(cal("UTC", hours({ mon: [["09:00", "10:00"]] }), mondays), d("2026-03-08T00:00:00Z"), 10);
      },
      "no_open_hours",
    ],
    ["negative minutes", () => addBusinessMinutes(BERLIN, d("2026-03-10T00:00:00Z"), -1), "invalid_argument"],
    ["NaN minutes", () => addBusinessMinutes(BERLIN, d("2026-03-10T00:00:00Z"), Number.NaN), "invalid_argument"],
    ["an invalid Date", () => addBusinessMinutes(BERLIN, new Date(Number.NaN), 10), "invalid_argument"],
    ["an invalid Date in between", () => businessMinutesBetween(BERLIN, d("2026-03-10T00:00:00Z"), new Date("nope")), "invalid_argument"],
    ["an unknown time zone", () => isOpenAt(cal("Mars/Olympus_Mons", hours({ weekdays: [["09:00", "17:00"]] })), d("2026-03-10T00:00:00Z")), "invalid_calendar"],
    ["an inverted interval", () => isOpenAt(cal("UTC", hours({ mon: [["17:00", "09:00"]] })), d("2026-03-10T00:00:00Z")), "invalid_calendar"],
    ["a horizon beyond a century of business time", () => addBusinessMinutes(BERLIN, d("2026-03-10T00:00:00Z"), 1e9), "horizon_exceeded"],
    // Calendars read from the database without parsing still get checked before any math.
    ["an unparsed calendar with a malformed time", () => isOpenAt(cal("UTC", hours({ mon: [["9:00", "17:00"]] })), d("2026-03-10T00:00:00Z")), "invalid_calendar"],
    ["an unparsed calendar with an impossible holiday", () => isOpenAt(cal("UTC", hours({ mon: [["09:00", "17:00"]] }), [{ date: "2026-02-30", name: "x" }]), d("2026-03-10T00:00:00Z")), "invalid_calendar"],
    ["a start that is not a Date", () => addBusinessMinutes(BERLIN, "2026-03-10T00:00:00Z" as unknown as Date, 10), "invalid_argument"],
    ["localDate in an unknown zone", () => localDate("Nope/Nowhere", d("2026-03-10T00:00:00Z")), "invalid_calendar"],
  ])("%s", (_label, fn, expected) => {
    expect(code(fn)).toBe(expected);
  });

  it("a calendar with no open hours is simply closed for isOpenAt and businessMinutesBetween", () => {
    expect(isOpenAt(closed, d("2026-03-10T10:00:00Z"))).toBe(false);
    expect(businessMinutesBetween(closed, d("2026-03-10T00:00:00Z"), d("2026-03-20T00:00:00Z"))).toBe(0);
  });
});
