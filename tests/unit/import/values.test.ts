import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emailFromName, hashFraction, isBooleanText, parseBoolean, parseList, parseMoney, parseNumber, toCode } from "@/lib/import/values";

describe("parseNumber", () => {
  it.each([
    ["42", ".", 42],
    ["-3.5", ".", -3.5],
    ["+7", ".", 7],
    ["1,234", ".", 1234],
    ["1,234,567.89", ".", 1234567.89],
    ["1 234 567", ".", 1234567],
    ["1'234.5", ".", 1234.5],
    ["5.0E7", ".", 50_000_000],
    [".5", ".", 0.5],
    ["(1,200)", ".", -1200],
    ["1.234,56", ",", 1234.56],
    ["1234,5", ",", 1234.5],
    ["1.234.567", ",", 1234567],
    ["  12  ", ".", 12],
  ] as const)("%s with %s decimal → %d", (text, decimal, expected) => {
    expect(parseNumber(text, decimal)).toBe(expected);
  });

  it.each([["", "."], ["abc", "."], ["1,23", "."], ["12a", "."], ["1.2.3", "."], ["--1", "."], ["1e999", "."]] as const)(
    "refuses %s (%s decimal)",
    (text, decimal) => {
      expect(parseNumber(text, decimal)).toBeNull();
    },
  );

  it("reads back any number it prints (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), (n) => {
        expect(parseNumber(String(n))).toBe(n === 0 ? 0 : n);
      }),
    );
  });
});

describe("parseMoney", () => {
  it.each([
    ["$1,234.50", ".", { amount: 1234.5, currency: null }],
    ["1.234,50 €", ",", { amount: 1234.5, currency: "EUR" }],
    ["EUR 99", ".", { amount: 99, currency: "EUR" }],
    ["99 USD", ".", { amount: 99, currency: "USD" }],
    ["R$ 1.500,00", ",", { amount: 1500, currency: "BRL" }],
    ["£20", ".", { amount: 20, currency: "GBP" }],
    ["₹ 5,00,000", ".", null],
    ["4514", ".", { amount: 4514, currency: null }],
    ["- 30", ".", { amount: -30, currency: null }],
    ["", ".", null],
    ["free", ".", null],
  ] as const)("%s", (text, decimal, expected) => {
    expect(parseMoney(text, decimal)).toEqual(expected);
  });
});

describe("parseBoolean", () => {
  it.each([
    ["Yes", true], ["no", false], ["Y", true], ["n", false], ["TRUE", true], ["false", false], ["1", true], ["0", false],
    ["on", true], ["off", false], ["True", true], ["ja", true], ["nein", false],
  ] as const)("%s → %s", (text, expected) => {
    expect(parseBoolean(text)).toBe(expected);
    expect(isBooleanText(text)).toBe(true);
  });
  it.each(["maybe", "2", "", "yess"])("refuses %s", (text) => {
    expect(parseBoolean(text)).toBeNull();
    expect(isBooleanText(text)).toBe(false);
  });
});

describe("parseList, toCode, emailFromName, hashFraction", () => {
  it("splits lists on ; | , or a given separator", () => {
    expect(parseList("US; CA |MX, ,BR")).toEqual(["US", "CA", "MX", "BR"]);
    expect(parseList("a/b", "/")).toEqual(["a", "b"]);
    expect(parseList("  ")).toEqual([]);
  });

  it.each([
    ["Direct Traffic", "direct_traffic"],
    ["  Organic   Search ", "organic_search"],
    ["Press_Release", "press_release"],
    ["Café & Co.", "cafe_co"],
    ["---", ""],
  ])("toCode(%s) = %s", (text, code) => {
    expect(toCode(text)).toBe(code);
  });

  it("builds emails from names", () => {
    expect(emailFromName("Anna Snelling", "Maven-CRM.example")).toBe("anna.snelling@maven-crm.example");
    expect(emailFromName("  José  O'Brien ", "x.test")).toBe("jose.o.brien@x.test");
    expect(emailFromName("!!!", "x.test")).toBeNull();
  });

  it("hashes to a stable fraction in [0, 1)", () => {
    expect(hashFraction("abc")).toBe(hashFraction("abc"));
    expect(hashFraction("abc")).not.toBe(hashFraction("abd"));
    fc.assert(fc.property(fc.string(), (s) => {
      const h = hashFraction(s);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(1);
    }));
  });
});
