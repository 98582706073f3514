import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeHistoryDay, encodeHistoryDay, FLAG, uuidAt, type HistoryRecord } from "@/server/repositories/history-codec";

const uuid = (n: number) => `${n.toString(16).padStart(8, "0")}-0000-4000-8000-${(n * 7919).toString(16).padStart(12, "0")}`;

function record(i: number, over: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    id: uuid(i), receivedAt: 1_767_225_600_000 + i * 1000, junk: false, junkDoubt: false, accountId: null, route: "sdr-queue", review: false,
    releaseAt: null, firstRepId: null, humanBusinessMinutes: null, touched: false, slaDueAt: null, routedToSales: false, decision: null,
    meeting: false, pipeline: 0, sourceId: null, facts: {}, ...over,
  };
}

/** What decoding gives back for record i, in the record's own terms. */
function readBack(data: Uint8Array, i: number) {
  const d = decodeHistoryDay(data);
  const str = (c: keyof typeof d.strings) => {
    const k = d.strings[c].column[i]!;
    return k === 0 ? null : d.strings[c].dict[k - 1]!;
  };
  const nan = (x: number) => (Number.isNaN(x) ? null : x);
  const flags = d.flags[i]!;
  const facts: Record<string, unknown> = {};
  for (const [key, f] of d.facts) {
    const k = f.column[i]!;
    if (k !== 0) facts[key] = JSON.parse(f.values[k - 1]!);
  }
  return {
    id: uuidAt(d.ids, i), receivedAt: d.receivedAt[i]!, junk: (flags & FLAG.junk) !== 0, junkDoubt: (flags & FLAG.junkDoubt) !== 0,
    accountId: str("account"), route: str("route"), review: (flags & FLAG.review) !== 0, releaseAt: nan(d.releaseAt[i]!), firstRepId: str("rep"),
    humanBusinessMinutes: nan(d.humanBusinessMinutes[i]!), touched: (flags & FLAG.touched) !== 0, slaDueAt: nan(d.slaDueAt[i]!),
    routedToSales: (flags & FLAG.routedToSales) !== 0, decision: d.decision[i] === 1 ? "accepted" : d.decision[i] === 2 ? "rejected" : null,
    meeting: (flags & FLAG.meeting) !== 0, pipeline: d.pipeline[i]!, sourceId: str("source"), facts,
  };
}

describe("history codec", () => {
  it("round-trips every field, null numbers and fact values of every JSON type", () => {
    const records = [
      record(1, {
        junk: true, junkDoubt: true, accountId: uuid(99), review: true, releaseAt: 1_767_300_000_123.5, firstRepId: uuid(7), humanBusinessMinutes: 12.25,
        touched: true, slaDueAt: 1_767_229_200_000, routedToSales: true, decision: "accepted", meeting: true, pipeline: 12_345.67, sourceId: uuid(3),
        facts: { category: "sales_enterprise", employees: 120, confidence: 0.81, ai_fields: ["urgency", "category"], is_existing_customer: false, nested: { a: [1, "x"] } },
      }),
      record(2, { route: null, decision: "rejected", facts: { category: "support", employees: "120", note: "naïve 🚀 \u2028 \"quoted\"" } }),
      record(3, { facts: { employees: 120, empty: null } }),
    ];
    const data = encodeHistoryDay(records);
    for (let i = 0; i < records.length; i++) {
      const expected = { ...records[i]!, facts: Object.fromEntries(Object.entries(records[i]!.facts).filter(([, v]) => v !== null)) };
      expect(readBack(data, i)).toEqual(expected);
    }
    // 120 and "120" stay apart; equal values share one dictionary entry.
    const employees = decodeHistoryDay(data).facts.get("employees")!;
    expect(employees.values).toEqual(["120", '"120"']);
    expect([...employees.column]).toEqual([1, 2, 1]);
  });

  it("widens index columns past 255 and 65,535 distinct values and reads them at any byte offset", () => {
    const n = 70_000;
    const records = Array.from({ length: n }, (_, i) => record(i, { facts: { wide: i, narrow: i % 3, mid: i % 1000 } }));
    const data = encodeHistoryDay(records);
    const d = decodeHistoryDay(data);
    expect(d.facts.get("wide")!.column).toBeInstanceOf(Uint32Array);
    expect(d.facts.get("mid")!.column).toBeInstanceOf(Uint16Array);
    expect(d.facts.get("narrow")!.column).toBeInstanceOf(Uint8Array);
    // As a driver may hand it over: inside a larger buffer at an odd offset.
    const shifted = new Uint8Array(data.length + 3);
    shifted.set(data, 3);
    for (const i of [0, 254, 255, 65_534, 65_535, n - 1]) expect(readBack(shifted.subarray(3), i)).toEqual(readBack(data, i));
    expect(readBack(data, 65_535).facts).toEqual({ wide: 65_535, narrow: 65_535 % 3, mid: 535 });
  });

  it("an empty day decodes to no leads", () => {
    expect(decodeHistoryDay(encodeHistoryDay([])).n).toBe(0);
  });

  it("any record survives the round trip (property)", () => {
    // Facts come from jsonb, which has no -0 (nor NaN or infinities).
    const number = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0));
    const value = fc.oneof(fc.string(), fc.integer(), number, fc.boolean(), fc.array(fc.string(), { maxLength: 3 }));
    const nullableTime = fc.option(fc.double({ min: 0, max: 4e12, noNaN: true }), { nil: null });
    const arb = fc.record({
      junk: fc.boolean(), review: fc.boolean(), meeting: fc.boolean(), touched: fc.boolean(),
      route: fc.option(fc.constantFrom("ae-direct", "sdr-queue", "nurture"), { nil: null }),
      decision: fc.constantFrom("accepted" as const, "rejected" as const, null),
      releaseAt: nullableTime, slaDueAt: nullableTime, humanBusinessMinutes: nullableTime,
      pipeline: fc.double({ min: 0, max: 1e7, noNaN: true }),
      facts: fc.dictionary(fc.constantFrom("a", "b", "category", "employees"), value),
    });
    fc.assert(fc.property(fc.array(arb, { maxLength: 20 }), (parts) => {
      const records = parts.map((p, i) => record(i, p));
      const data = encodeHistoryDay(records);
      records.forEach((r, i) => expect(readBack(data, i)).toEqual({ ...r, facts: { ...r.facts } }));
    }), { numRuns: 200 });
  });
});
