import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  companyNameSimilarity,
  jaroWinkler,
  normalizeCompanyName,
  prepareCompanyName,
  similarityOfPrepared,
} from "@/lib/lead/company";

describe("normalizeCompanyName", () => {
  it.each([
    ["ACME, Inc.", "acme"],
    ["Acme LLC", "acme"],
    ["Acme Corp.", "acme"],
    ["The Coca-Cola Company", "coca cola"],
    ["Siemens AG", "siemens"],
    ["Société Générale S.A.", "societe generale"],
    ["Booking.com B.V.", "booking"],
    ["Amazon.com, Inc.", "amazon"],
    ["Acme Holdings Co., Ltd.", "acme holdings"],
    ["J.P. Morgan Chase & Co.", "jp morgan chase"],
    ["Atlassian Pty Ltd", "atlassian"],
    ["Tata Consultancy Services Private Limited", "tata consultancy services"],
    ["Bosch GmbH & Co. KG", "bosch"],
    ["Volkswagen Aktiengesellschaft", "volkswagen"],
    ["Grupo Bimbo, S.A.B. de C.V.", "grupo bimbo"],
    ["Tesco PLC", "tesco"],
    ["Škoda Auto a.s.", "skoda auto"],
    ["Nestlé S.A.", "nestle"],
    ["McDonald's Corporation", "mcdonalds"],
    ["AT&T Inc.", "at and t"],
    ["Procter & Gamble", "procter and gamble"],
    ["Smith & Co", "smith"],
    // An "and" before a legal form that itself ends the name (found by the idempotence property).
    ["The 0 Dd& Inc.", "0"],
    ["Nordwind d.d. & Inc.", "nordwind"],
    ["PT Telkom Indonesia Tbk", "telkom indonesia"],
    ["ООО Яндекс", "яндекс"],
    ["トヨタ自動車株式会社", "トヨタ自動車"],
    ["株式会社トヨタ", "トヨタ"],
    ["(株)トヨタ", "トヨタ"],
    ["阿里巴巴集团控股有限公司", "阿里巴巴集团控股"],
    ["삼성전자 주식회사", "삼성전자"],
    ["St.Gallen Kantonalbank", "st gallen kantonalbank"],
    ["ＡＣＭＥ\u200B Inc", "acme"],
    ["AG", "ag"],
    ["Inc.", "inc"],
    ["—", ""],
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(normalizeCompanyName(input)).toBe(expected);
  });

  it("is idempotent", () => {
    const names = fc.oneof(
      fc.string({ unit: "grapheme" }),
      fc
        .tuple(fc.constantFrom("The ", "", "PT ", "株式会社"), fc.string(), fc.constantFrom(" Inc.", " GmbH & Co. KG", " S.A.", "有限公司", " Ltd", ""))
        .map((p) => p.join("")),
    );
    fc.assert(
      fc.property(names, (name) => {
        const once = normalizeCompanyName(name);
        expect(normalizeCompanyName(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("companyNameSimilarity", () => {
  it.each([
    ["Acme Corp", "ACME, Inc.", 1, 1],
    ["Microsoft Corporation", "Microsoft", 1, 1],
    ["Bank of America", "America Bank", 1, 1],
    ["Salesforce", "Salesforce.com, inc.", 1, 1],
    ["Nestle", "Nestlé S.A.", 1, 1],
    ["Microsoft", "Microsft", 0.8, 0.95],
    ["Hewlett Packard Enterprise", "Hewlett-Packard", 0.65, 0.8],
    ["Acme", "Acme Robotics", 0.6, 0.8],
    ["Oracle", "Orange", 0, 0.75],
    ["Apple", "Applied Materials", 0, 0.75],
    ["Shopify", "Spotify", 0, 0.75],
    ["General Electric", "General Motors", 0, 0.6],
    ["Google", "Alphabet", 0, 0.4],
    ["Acme", "", 0, 0],
    ["", "", 0, 0],
  ])("%j ~ %j in [%f, %f]", (a, b, lo, hi) => {
    const s = companyNameSimilarity(a, b);
    expect(s).toBeGreaterThanOrEqual(lo);
    expect(s).toBeLessThanOrEqual(hi);
  });

  it("is symmetric, bounded, and 1 on itself", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const ab = companyNameSimilarity(a, b);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
        expect(Math.abs(ab - companyNameSimilarity(b, a))).toBeLessThan(1e-12);
        if (normalizeCompanyName(a) !== "") expect(companyNameSimilarity(a, a)).toBe(1);
      }),
    );
  });

  it("prepared comparison equals the one-shot comparison", () => {
    const accounts = ["Globex Corporation", "Initech", "Umbrella Corporation", "Massive Dynamic"].map(prepareCompanyName);
    const lead = prepareCompanyName("Globex Corp.");
    const scores = accounts.map((account) => similarityOfPrepared(lead, account));
    expect(scores[0]).toBe(1);
    expect(Math.max(...scores.slice(1))).toBeLessThan(0.75);
    expect(similarityOfPrepared(lead, accounts[1]!)).toBe(companyNameSimilarity("Globex Corp.", "Initech"));
  });
});

describe("jaroWinkler", () => {
  it.each([
    ["martha", "marhta", 0.961],
    ["dwayne", "duane", 0.84],
    ["dixon", "dicksonx", 0.813],
    ["abc", "abc", 1],
    ["abc", "xyz", 0],
    ["", "", 0],
    ["a", "", 0],
  ])("%j ~ %j ≈ %f", (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
  });
});
