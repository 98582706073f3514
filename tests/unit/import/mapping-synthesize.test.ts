import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkMapping, DEFAULT_NULL_VALUES, ImportMapping } from "@/lib/import/mapping.schema";
import { synthesizeReceivedAt } from "@/lib/import/synthesize";

describe("ImportMapping", () => {
  it("fills defaults", () => {
    const m = ImportMapping.parse({ kind: "leads", fields: {} });
    expect(m).toEqual({
      version: 1, kind: "leads", fields: {},
      options: { mode: "insert", nullValues: [...DEFAULT_NULL_VALUES], decideRoute: true, unknownOwner: "error" },
    });
    const s = ImportMapping.parse({ kind: "leads", fields: {}, options: { synthesizeReceivedAt: { from: "2026-01-01", to: "2026-01-02" } } });
    expect(s.options.synthesizeReceivedAt).toEqual({ from: "2026-01-01", to: "2026-01-02", onlyWhenMissing: false, newestFirst: false });
  });

  it("refuses unknown keys, bad kinds, bad dates and bad currencies", () => {
    expect(ImportMapping.safeParse({ kind: "deals", fields: {} }).success).toBe(false);
    expect(ImportMapping.safeParse({ kind: "leads", fields: { email: { column: "e", colour: "red" } } }).success).toBe(false);
    expect(ImportMapping.safeParse({ kind: "leads", fields: {}, options: { synthesizeReceivedAt: { from: "01/01/2026", to: "2026-01-02" } } }).success).toBe(false);
    expect(ImportMapping.safeParse({ kind: "leads", fields: {}, options: { currency: "usd" } }).success).toBe(false);
    expect(ImportMapping.safeParse({ kind: "leads", fields: { email: { column: "e", emailDomain: "nodot" } } }).success).toBe(false);
  });
});

describe("checkMapping", () => {
  const check = (input: unknown, headers?: string[]) =>
    checkMapping(ImportMapping.parse(input), { headers, isValidTimeZone: (z) => z === "Europe/Berlin" }).map((i) => i.path);

  it("accepts a complete mapping", () => {
    expect(check({ kind: "leads", fields: { received_at: { column: "d" } } }, ["d"])).toEqual([]);
    expect(check({ kind: "reps", fields: { email: { column: "e" }, name: { column: "n" } } }, ["e", "n"])).toEqual([]);
  });

  it("reports every problem with its path", () => {
    expect(check({
      kind: "leads",
      fields: {
        nope: { column: "x" }, email: {}, phone: { column: "p", constant: "1" }, company: { column: "missing" },
        title: { column: "t", emailDomain: "a.io" }, message: { column: "t", ifUnknown: "create" },
      },
      options: { timeZone: "Mars/Olympus" },
    }, ["p", "t"])).toEqual([
      "fields.nope", "fields.email", "fields.phone", "fields.company.column", "fields.title.emailDomain", "fields.message.ifUnknown",
      "fields.received_at", "options.timeZone",
    ]);
  });

  it("lets synthesized times replace received_at, but not when only filling gaps", () => {
    expect(check({ kind: "leads", fields: {}, options: { synthesizeReceivedAt: { from: "2026-01-01", to: "2026-01-31" } } })).toEqual([]);
    expect(check({ kind: "leads", fields: {}, options: { synthesizeReceivedAt: { from: "2026-01-31", to: "2026-01-01", onlyWhenMissing: true } } }))
      .toEqual(["options.synthesizeReceivedAt.to", "options.synthesizeReceivedAt.onlyWhenMissing", "fields.received_at"]);
  });

  it("needs only the external id in update mode, which is for leads", () => {
    expect(check({ kind: "leads", fields: {}, options: { mode: "update" } })).toEqual(["fields.external_id"]);
    expect(check({ kind: "leads", fields: { external_id: { column: "id" } }, options: { mode: "update" } }, ["id"])).toEqual([]);
    expect(check({ kind: "accounts", fields: { name: { column: "n" } }, options: { mode: "update", synthesizeReceivedAt: { from: "2026-01-01", to: "2026-01-02" } } }, ["n"]))
      .toEqual(["options.mode", "options.synthesizeReceivedAt", "fields.external_id"]);
  });
});

describe("synthesizeReceivedAt", () => {
  const range = { from: "2026-01-01", to: "2026-03-31" };
  const start = Date.parse("2026-01-01T05:00:00Z");
  const end = Date.parse("2026-04-01T04:00:00Z");

  it("keeps file order, stays in the range, and is deterministic (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 50_000 }), fc.string(), fc.string(), (total, k1, k2) => {
      const row = Math.max(1, Math.floor(total / 3));
      const a = synthesizeReceivedAt({ row, totalRows: total, key: k1, range, zone: "America/New_York" }).getTime();
      const b = synthesizeReceivedAt({ row: row + 1, totalRows: total, key: k2, range, zone: "America/New_York" }).getTime();
      expect(a).toBeGreaterThanOrEqual(start);
      expect(b).toBeLessThan(end);
      expect(a).toBeLessThanOrEqual(b);
      expect(synthesizeReceivedAt({ row, totalRows: total, key: k1, range, zone: "America/New_York" }).getTime()).toBe(a);
      expect(a % 1000).toBe(0);
    }));
  });

  it("reverses for newest-first files, and spreads by hash without a row count", () => {
    const first = synthesizeReceivedAt({ row: 1, totalRows: 100, key: "a", range: { ...range, newestFirst: true }, zone: "UTC" });
    const last = synthesizeReceivedAt({ row: 100, totalRows: 100, key: "b", range: { ...range, newestFirst: true }, zone: "UTC" });
    expect(first > last).toBe(true);
    const noCount = synthesizeReceivedAt({ row: 7, totalRows: null, key: "x", range, zone: "UTC" });
    expect(noCount.getTime()).toBeGreaterThanOrEqual(Date.parse("2026-01-01T00:00:00Z"));
    expect(noCount.getTime()).toBeLessThan(Date.parse("2026-04-01T00:00:00Z"));
    const beyond = synthesizeReceivedAt({ row: 500, totalRows: 100, key: "z", range, zone: "UTC" });
    expect(beyond.getTime()).toBeLessThan(Date.parse("2026-04-01T00:00:00Z"));
  });
});
