import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { compileDateFormat, detectDateFormat, parseAutoDate, parseDateCell } from "@/lib/import/dates";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe("compileDateFormat (fast path)", () => {
  it.each([
    ["yyyy-MM-dd", "2018-02-01", "UTC", "2018-02-01T00:00:00.000Z"],
    ["yyyy-MM-dd HH:mm:ss", "2018-02-26 19:58:54", "UTC", "2018-02-26T19:58:54.000Z"],
    ["yyyy-MM-dd HH:mm:ss", "2018-02-26T19:58:54", "UTC", "2018-02-26T19:58:54.000Z"],
    ["yyyy-MM-dd HH:mm:ss", "2018-02-26 19:58", "UTC", "2018-02-26T19:58:00.000Z"],
    ["yyyy-MM-dd HH:mm:ss", "2018-02-26", "UTC", "2018-02-26T00:00:00.000Z"],
    ["yyyy-MM-dd HH:mm:ss.SSS", "2018-02-26 19:58:54.5", "UTC", "2018-02-26T19:58:54.500Z"],
    ["yyyy-MM-dd HH:mm:ss", "2018-02-26 19:58:54Z", "America/New_York", "2018-02-26T19:58:54.000Z"],
    ["yyyy-MM-dd HH:mm:ss", "2018-02-26 19:58:54+02:00", "UTC", "2018-02-26T17:58:54.000Z"],
    ["yyyy-MM-dd HH:mm:ss", "2018-02-26 19:58:54-0500", "UTC", "2018-02-27T00:58:54.000Z"],
    ["dd/MM/yyyy", "26/02/2018", "UTC", "2018-02-26T00:00:00.000Z"],
    ["MM/dd/yyyy", "02/26/2018", "UTC", "2018-02-26T00:00:00.000Z"],
    ["M/d/yyyy", "2/6/2018", "UTC", "2018-02-06T00:00:00.000Z"],
    ["dd.MM.yyyy HH:mm", "26.02.2018 07:05", "UTC", "2018-02-26T07:05:00.000Z"],
    ["MM/dd/yyyy h:mm a", "02/26/2018 7:58 PM", "UTC", "2018-02-26T19:58:00.000Z"],
    ["MM/dd/yyyy h:mm a", "02/26/2018 12:10 am", "UTC", "2018-02-26T00:10:00.000Z"],
    ["MM/dd/yyyy h:mm a", "02/26/2018 12:10 PM", "UTC", "2018-02-26T12:10:00.000Z"],
    ["yyyy'T'MM", "2018T02", "UTC", "2018-02-01T00:00:00.000Z"],
  ])("%s reads %s", (format, text, zone, expected) => {
    expect(iso(compileDateFormat(format).parse(text, zone))).toBe(expected);
  });

  it.each([
    ["yyyy-MM-dd", "2018-02-30"],
    ["yyyy-MM-dd", "2019-02-29"],
    ["yyyy-MM-dd", "2018-13-01"],
    ["yyyy-MM-dd HH:mm", "2018-02-01 24:00"],
    ["yyyy-MM-dd HH:mm", "2018-02-01 10:60"],
    ["dd/MM/yyyy", "2018-02-01"],
    ["dd/MM/yyyy", "not a date"],
    ["MM/dd/yyyy h:mm a", "02/26/2018 13:10 PM"],
  ])("%s refuses %s", (format, text) => {
    expect(compileDateFormat(format).parse(text, "UTC")).toBeNull();
  });

  it("accepts leap days", () => {
    expect(iso(compileDateFormat("yyyy-MM-dd").parse("2020-02-29", "UTC"))).toBe("2020-02-29T00:00:00.000Z");
    expect(iso(compileDateFormat("yyyy-MM-dd").parse("2000-02-29", "UTC"))).toBe("2000-02-29T00:00:00.000Z");
    expect(compileDateFormat("yyyy-MM-dd").parse("1900-02-29", "UTC")).toBeNull();
  });

  it("reads naive values as wall-clock time in the given zone, across DST", () => {
    const f = compileDateFormat("yyyy-MM-dd HH:mm:ss");
    expect(iso(f.parse("2026-01-15 09:00:00", "America/New_York"))).toBe("2026-01-15T14:00:00.000Z");
    expect(iso(f.parse("2026-07-15 09:00:00", "America/New_York"))).toBe("2026-07-15T13:00:00.000Z");
    expect(iso(f.parse("2018-02-01", "America/Sao_Paulo"))).toBe("2018-02-01T02:00:00.000Z");
    // 02:30 does not exist on 2026-03-08 in New York: moved forward, as luxon does.
    expect(iso(f.parse("2026-03-08 02:30:00", "America/New_York"))).toBe("2026-03-08T07:30:00.000Z");
  });

  it("falls back to luxon for tokens the fast path does not know", () => {
    const f = compileDateFormat("d MMM yyyy");
    expect(iso(f.parse("5 Mar 2026", "UTC"))).toBe("2026-03-05T00:00:00.000Z");
    expect(f.parse("5 Foo 2026", "UTC")).toBeNull();
    expect(compileDateFormat("dd/MM/yy").parse("05/03/26", "UTC")).not.toBeNull();
  });

  it("reads ISO 8601 with 'iso'", () => {
    const f = compileDateFormat("iso");
    expect(iso(f.parse("2026-03-05T10:00:00+01:00", "UTC"))).toBe("2026-03-05T09:00:00.000Z");
    expect(iso(f.parse("2026-03-05T10:00:00", "Europe/Berlin"))).toBe("2026-03-05T09:00:00.000Z");
    expect(f.parse("yesterday", "UTC")).toBeNull();
    expect(f.hasTime).toBe(true);
  });

  it("caches compiled formats and refuses an empty one", () => {
    expect(compileDateFormat("yyyy-MM-dd")).toBe(compileDateFormat("yyyy-MM-dd"));
    expect(() => compileDateFormat(" ")).toThrow(/empty/);
    expect(compileDateFormat("yyyy-MM-dd").hasTime).toBe(false);
    expect(compileDateFormat("yyyy-MM-dd HH:mm").hasTime).toBe(true);
  });

  it("round-trips any instant through its own format (property)", () => {
    const formats = ["yyyy-MM-dd HH:mm:ss", "dd/MM/yyyy HH:mm:ss", "MM/dd/yyyy HH:mm:ss", "dd.MM.yyyy HH:mm:ss", "yyyy/MM/dd HH:mm:ss"];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }),
        fc.constantFrom(...formats),
        fc.constantFrom("UTC", "Europe/Berlin", "Asia/Kolkata", "America/Los_Angeles"),
        (seconds, format, zone) => {
          const dt = DateTime.fromSeconds(seconds, { zone });
          const text = dt.toFormat(format);
          const parsed = compileDateFormat(format).parse(text, zone);
          // Ambiguous local times (the repeated DST hour) read as either instant; the wall clock is the same.
          expect(DateTime.fromMillis(parsed!, { zone }).toFormat(format)).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("parseAutoDate / parseDateCell", () => {
  it.each([
    ["2018-02-01", "2018-02-01T00:00:00.000Z"],
    ["2018-2-1", "2018-02-01T00:00:00.000Z"],
    ["2018-02-01 10:30", "2018-02-01T10:30:00.000Z"],
    ["2018-02-01T10:30:15.250Z", "2018-02-01T10:30:15.250Z"],
    ["2018-02-01 10:30:15+0100", "2018-02-01T09:30:15.000Z"],
    ["  2018-02-01  ", "2018-02-01T00:00:00.000Z"],
  ])("reads %s", (text, expected) => {
    expect(iso(parseAutoDate(text, "UTC"))).toBe(expected);
  });

  it.each(["01/02/2018", "2018-02-31", "Feb 1 2018", ""])("refuses %s", (text) => {
    expect(parseAutoDate(text, "UTC")).toBeNull();
  });

  it("uses the format when given, auto otherwise", () => {
    expect(iso(parseDateCell("01/02/2018", "dd/MM/yyyy", "UTC"))).toBe("2018-02-01T00:00:00.000Z");
    expect(iso(parseDateCell("2018-02-01", undefined, "UTC"))).toBe("2018-02-01T00:00:00.000Z");
    expect(iso(parseDateCell("2018-02-01", "auto", "UTC"))).toBe("2018-02-01T00:00:00.000Z");
  });
});

describe("detectDateFormat", () => {
  it.each([
    [["2018-02-01", "2017-10-20", "2018-03-22"], "yyyy-MM-dd", false],
    [["2018-02-26 19:58:54", "2018-05-08 20:17:59"], "yyyy-MM-dd HH:mm:ss", true],
    [["2018-02-26 19:58", "2018-05-08 20:17"], "yyyy-MM-dd HH:mm", true],
    [["2018-02-26 19:58:54.123", "2018-05-08 20:17:59.5"], "yyyy-MM-dd HH:mm:ss.SSS", true],
    [["2018-02-26T19:58:54Z", "2018-05-08T20:17:59+02:00"], "iso", true],
    [["2018/02/26", "2018/05/08"], "yyyy/MM/dd", false],
    [["26/02/2018", "05/03/2018", "13/12/2019"], "dd/MM/yyyy", false],
    [["02/26/2018", "03/05/2018", "12/13/2019"], "MM/dd/yyyy", false],
    [["26.02.2018 10:00", "05.03.2018 11:30"], "dd.MM.yyyy HH:mm", true],
    [["26-02-2018", "05-03-2018"], "dd-MM-yyyy", false],
    [["02/26/2018 7:58 PM", "03/05/2018 10:02 AM"], "MM/dd/yyyy h:mm a", true],
    [["26/02/2018 19:58:54", "05/03/2018 10:02:00"], "dd/MM/yyyy HH:mm:ss", true],
  ])("detects %j as %s", (values, format, hasTime) => {
    const d = detectDateFormat(values);
    expect(d?.format).toBe(format);
    expect(d?.hasTime).toBe(hasTime);
    expect(d?.ambiguous).toBe(false);
  });

  it("flags day/month order it cannot tell from the sample and offers the other reading", () => {
    const d = detectDateFormat(["01/02/2018", "03/04/2018", "12/11/2019"]);
    expect(d).toMatchObject({ format: "dd/MM/yyyy", ambiguous: true, alternative: "MM/dd/yyyy" });
  });

  it("is not fooled by values that fit neither order, or by non-dates", () => {
    expect(detectDateFormat(["13/14/2018", "01/02/2018"])).toBeNull();
    expect(detectDateFormat(["hello", "world"])).toBeNull();
    expect(detectDateFormat(["", "  "])).toBeNull();
    expect(detectDateFormat(["12", "13"])).toBeNull();
  });

  it("tolerates one bad value in a sample of ten or more", () => {
    const values = [...Array.from({ length: 10 }, () => "2018-02-01 10:00:00"), "06/04/2025"];
    expect(detectDateFormat(values)).toMatchObject({ format: "yyyy-MM-dd HH:mm:ss", matchRate: 10 / 11 });
    expect(detectDateFormat(["2018-02-01", "2018-02-02", "junk"])).toBeNull();
  });

  it("needs 95% of values to parse", () => {
    const mostly = [...Array.from({ length: 19 }, () => "2018-02-01"), "garbage"];
    expect(detectDateFormat(mostly)?.format).toBe("yyyy-MM-dd");
    const half = [...Array.from({ length: 10 }, () => "2018-02-01"), ...Array.from({ length: 10 }, () => "garbage")];
    expect(detectDateFormat(half)).toBeNull();
  });
});
