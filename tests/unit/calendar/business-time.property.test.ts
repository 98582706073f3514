/**
 * Property tests for the SLA math on generated calendars (zones with DST, half-hour and 45-minute offsets,
 * 30-minute DST shifts and midnight transitions; intervals on a 15-minute grid, including night hours that cross
 * transitions) and instants concentrated on the 2026 DST weekends.
 *
 * The oracle is deliberately naive and independent of lib/calendar: it asks luxon for the wall-clock reading of
 * every real minute and checks it against the weekly hours — the definition of "open" that lib/calendar computes
 * span by span.
 */
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, it } from "vitest";
import { addBusinessMinutes, type BusinessCalendar, businessMinutesBetween, isOpenAt, nextOpening, type WeeklyHours } from "@/lib/calendar";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const MINUTE = 60_000;

const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Lord_Howe", // 30-minute DST shift
  "America/Santiago", // transitions at local midnight
  "America/Havana", // transitions at local midnight / 01:00
  "Pacific/Chatham", // +12:45 / +13:45
  "America/St_Johns", // -03:30 / -02:30
  "Asia/Kathmandu", // +05:45, no DST
  "Europe/London",
  "UTC",
];

/** Days around the 2026 transitions of the zones above (and an ordinary day). */
const ANCHORS = ["2026-03-08", "2026-03-29", "2026-04-05", "2026-09-06", "2026-09-27", "2026-10-04", "2026-10-25", "2026-11-01", "2026-06-15"].map((d) =>
  Date.parse(`${d}T00:00:00Z`),
);

const hhmm = (quarter: number): string => `${String(Math.floor(quarter / 4)).padStart(2, "0")}:${String((quarter % 4) * 15).padStart(2, "0")}`;

const dayHours = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 })
  .map((qs) => {
    const sorted = [...qs].sort((a, b) => a - b);
    const out: Array<[string, string]> = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) out.push([hhmm(sorted[i]!), hhmm(sorted[i + 1]!)]);
    return out;
  });

/** The 2026 offset transitions of a zone (to the minute), found with luxon by scanning hour by hour. */
function transitions2026(zone: string): number[] {
  const out: number[] = [];
  const offset = (t: number) => DateTime.fromMillis(t, { zone }).offset;
  for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000) {
    if (offset(t) === offset(t + 3_600_000)) continue;
    let lo = t;
    let hi = t + 3_600_000;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (offset(mid) === offset(t)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}
const TRANSITIONS = new Map(ZONES.map((z) => [z, transitions2026(z)]));

/** A calendar in one of ZONES with random weekly hours and holidays. */
const calendarIn = (timeZone: string): fc.Arbitrary<BusinessCalendar> =>
  fc
    .record({
      hours: fc.tuple(dayHours, dayHours, dayHours, dayHours, dayHours, dayHours, dayHours),
      holidays: fc.uniqueArray(fc.integer({ min: 0, max: 364 }), { maxLength: 5 }),
    })
    .filter((r) => r.hours.some((h) => h.length > 0))
    .map((r) => ({
      timeZone,
      weeklyHours: Object.fromEntries(DAYS.map((d, i) => [d, r.hours[i]!])) as WeeklyHours,
      holidays: r.holidays.map((n) => ({ date: new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10), name: `h${n}` })),
    }));

/** Minute-aligned instants: mostly within a day of one of the zone's own transitions (or a 2026 DST weekend). */
const minuteInstantIn = (zone: string): fc.Arbitrary<number> => {
  const anchors = [...(TRANSITIONS.get(zone) ?? []), ...ANCHORS];
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...anchors), fc.integer({ min: -30 * 60, max: 30 * 60 })).map(([a, m]) => Math.floor(a / MINUTE) * MINUTE + m * MINUTE) },
    { weight: 1, arbitrary: fc.integer({ min: Date.UTC(2026, 0, 1) / MINUTE, max: Date.UTC(2027, 0, 1) / MINUTE }).map((m) => m * MINUTE) },
  );
};
/** A calendar and a minute-aligned instant near one of its zone's transitions (or a 2026 DST weekend). */
const calendarAndInstant = fc.constantFrom(...ZONES).chain((zone) => fc.tuple(calendarIn(zone), minuteInstantIn(zone)));
/** A calendar and three instants (any millisecond) near its zone's transitions. */
const scenario = fc.constantFrom(...ZONES).chain((zone) => {
  const t = fc.tuple(minuteInstantIn(zone), fc.integer({ min: 0, max: MINUTE - 1 })).map(([m, ms]) => m + ms);
  return fc.tuple(calendarIn(zone), t, t, t);
});

const minutesArb = fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 20_000 }), fc.double({ min: 0, max: 2000, noNaN: true }));

function toMinutes(s: string): number {
  const [h, m] = s.split(":").map(Number);
  return h! * 60 + m!;
}

/** The oracle: open iff luxon's wall-clock reading at `t` lies in an interval of that local weekday, not a holiday. */
function oracleOpen(cal: BusinessCalendar, t: number): boolean {
  const dt = DateTime.fromMillis(t, { zone: cal.timeZone });
  const date = dt.toISODate();
  if (cal.holidays.some((h) => h.date === date)) return false;
  const wall = dt.hour * 60 + dt.minute + dt.second / 60;
  return cal.weeklyHours[DAYS[dt.weekday - 1]!].some(([s, e]) => toMinutes(s) <= wall && wall < toMinutes(e));
}

describe("lib/calendar agrees with a minute-by-minute luxon oracle", () => {
  it("isOpenAt and businessMinutesBetween over windows of up to 36 hours", () => {
    fc.assert(
      fc.property(calendarAndInstant, fc.integer({ min: 0, max: 36 * 60 }), ([cal, a], span) => {
        let open = 0;
        for (let t = a; t < a + span * MINUTE; t += MINUTE) {
          const o = oracleOpen(cal, t);
          if (o) open++;
          if (isOpenAt(cal, new Date(t)) !== o) return false;
        }
        return businessMinutesBetween(cal, new Date(a), new Date(a + span * MINUTE)) === open;
      }),
      { numRuns: 60 },
    );
  });
});

describe("addBusinessMinutes properties", () => {
  it("due ≥ start; the due time is the earliest instant with m business minutes (open just before it)", () => {
    fc.assert(
      fc.property(scenario, minutesArb, ([cal, s], m) => {
        const due = addBusinessMinutes(cal, new Date(s), m).getTime();
        if (due < s) return false;
        if (Math.round(m * MINUTE) === 0) return isOpenAt(cal, new Date(due));
        return isOpenAt(cal, new Date(due - 1));
      }),
      { numRuns: 300 },
    );
  });

  it("businessMinutesBetween(start, addBusinessMinutes(start, m)) === m (to the millisecond)", () => {
    fc.assert(
      fc.property(scenario, minutesArb, ([cal, s], m) => {
        const due = addBusinessMinutes(cal, new Date(s), m);
        const back = businessMinutesBetween(cal, new Date(s), due);
        return Math.abs(back - Math.round(m * MINUTE) / MINUTE) < 1e-9;
      }),
      { numRuns: 300 },
    );
  });

  it("is monotone in minutes", () => {
    fc.assert(
      fc.property(scenario, minutesArb, minutesArb, ([cal, s], m1, m2) => {
        const [lo, hi] = m1 <= m2 ? [m1, m2] : [m2, m1];
        return addBusinessMinutes(cal, new Date(s), lo).getTime() <= addBusinessMinutes(cal, new Date(s), hi).getTime();
      }),
      { numRuns: 300 },
    );
  });

  it("is monotone in the start instant", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 3000 }), ([cal, s1, s2], m) => {
        const [lo, hi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        return addBusinessMinutes(cal, new Date(lo), m).getTime() <= addBusinessMinutes(cal, new Date(hi), m).getTime();
      }),
      { numRuns: 200 },
    );
  });

  it("is additive: add(add(s, a), b) = add(s, a + b) for whole minutes, b > 0", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 5000 }), ([cal, s], a, b) => {
        const stepwise = addBusinessMinutes(cal, addBusinessMinutes(cal, new Date(s), a), b).getTime();
        return stepwise === addBusinessMinutes(cal, new Date(s), a + b).getTime();
      }),
      { numRuns: 300 },
    );
  });

  it("b = 0 is the one exception: a due time at a closing instant moves to the next opening", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 5000 }), ([cal, s], a) => {
        const due = addBusinessMinutes(cal, new Date(s), a);
        const again = addBusinessMinutes(cal, due, 0);
        return isOpenAt(cal, due) ? again.getTime() === due.getTime() : again.getTime() === nextOpening(cal, due).getTime();
      }),
      { numRuns: 200 },
    );
  });
});

describe("businessMinutesBetween properties", () => {
  it("splits additively at any midpoint and never exceeds wall-clock minutes", () => {
    fc.assert(
      fc.property(scenario, ([cal, x, y, z]) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        const ab = businessMinutesBetween(cal, new Date(a), new Date(b));
        const bc = businessMinutesBetween(cal, new Date(b), new Date(c));
        const ac = businessMinutesBetween(cal, new Date(a), new Date(c));
        return Math.abs(ab + bc - ac) < 1e-6 && ac <= (c - a) / MINUTE + 1e-9 && ab >= 0;
      }),
      { numRuns: 200 },
    );
  });

  it("nextOpening(at) is open, ≥ at, with no business time between at and it", () => {
    fc.assert(
      fc.property(scenario, ([cal, t]) => {
        const next = nextOpening(cal, new Date(t));
        return next.getTime() >= t && isOpenAt(cal, next) && businessMinutesBetween(cal, new Date(t), next) === 0;
      }),
      { numRuns: 200 },
    );
  });
});
