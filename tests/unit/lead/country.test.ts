import fc from "fast-check";
import { getCountries } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import {
  COUNTRY_CODES,
  ROUTING_REGIONS,
  countryName,
  countryRegion,
  parseRoutingRegion,
  toCountryCode,
} from "@/lib/lead/country";

describe("toCountryCode", () => {
  it.each([
    // codes
    ["US", "US"], ["us", "US"], ["de", "DE"], [" gb ", "GB"], ["UK", "GB"], ["XK", "XK"], ["AQ", "AQ"],
    ["USA", "US"], ["DEU", "DE"], ["gbr", "GB"], ["KOR", "KR"], ["CHE", "CH"],
    // English names
    ["United States", "US"], ["United States of America", "US"], ["Germany", "DE"], ["united kingdom", "GB"],
    ["South Korea", "KR"], ["North Korea", "KP"], ["Czechia", "CZ"], ["Czech Republic", "CZ"], ["Türkiye", "TR"],
    ["Turkey", "TR"], ["Ivory Coast", "CI"], ["Côte d'Ivoire", "CI"], ["Cote d’Ivoire", "CI"], ["Viet Nam", "VN"],
    ["Russian Federation", "RU"], ["Hong Kong", "HK"], ["Hong Kong SAR China", "HK"], ["Macau", "MO"],
    ["Myanmar", "MM"], ["Burma", "MM"], ["DR Congo", "CD"], ["Republic of the Congo", "CG"], ["Eswatini", "SZ"],
    ["Swaziland", "SZ"], ["Bosnia & Herzegovina", "BA"], ["Bosnia and Herzegovina", "BA"], ["St. Kitts & Nevis", "KN"],
    ["Saint Kitts and Nevis", "KN"], ["Korea, Republic of", "KR"], ["Iran, Islamic Republic of", "IR"],
    ["Taiwan", "TW"], ["Palestine", "PS"], ["Vatican City", "VA"], ["Cape Verde", "CV"], ["Timor-Leste", "TL"],
    // aliases
    ["U.S.", "US"], ["U.S.A.", "US"], ["America", "US"], ["Great Britain", "GB"], ["England", "GB"],
    ["Scotland", "GB"], ["Holland", "NL"], ["The Netherlands", "NL"], ["UAE", "AE"],
    // native and other languages
    ["Deutschland", "DE"], ["Brasil", "BR"], ["España", "ES"], ["Espana", "ES"], ["Österreich", "AT"],
    ["Schweiz", "CH"], ["Suisse", "CH"], ["Svizzera", "CH"], ["México", "MX"], ["Perú", "PE"], ["Sverige", "SE"],
    ["Polska", "PL"], ["Nederland", "NL"], ["België", "BE"], ["Belgique", "BE"], ["Allemagne", "DE"],
    ["Estados Unidos", "US"], ["Royaume-Uni", "GB"], ["日本", "JP"], ["中国", "CN"], ["대한민국", "KR"],
    ["Россия", "RU"], ["Ελλάδα", "GR"], ["ישראל", "IL"], ["الإمارات العربية المتحدة", "AE"], ["भारत", "IN"],
    // ambiguity rules
    ["CA", "CA"], ["Georgia", "GE"], ["Niger", "NE"], ["Nigeria", "NG"], ["Dominica", "DM"],
    ["Dominican Republic", "DO"], ["Guinea", "GN"], ["Equatorial Guinea", "GQ"], ["Sudan", "SD"], ["South Sudan", "SS"],
    // unicode debris
    ["\u200BGermany\u200B", "DE"], ["ＪＰ", "JP"], ["Deutschland.", "DE"],
  ])("%j → %s", (input, expected) => {
    expect(toCountryCode(input)).toBe(expected);
  });

  it.each(["", "  ", "ZZ", "XYZ", "Narnia", "unknown", "Asia/Pacific Region", "Select", null, undefined])("%j → null", (input) => {
    expect(toCountryCode(input)).toBeNull();
  });

  it("resolves the English display name of every code back to the code", () => {
    for (const code of COUNTRY_CODES) {
      const name = countryName(code);
      expect(name, code).not.toBeNull();
      expect(toCountryCode(name), `${code} ${name}`).toBe(code);
    }
  });

  it("covers every libphonenumber country plus the ISO codes without a phone plan", () => {
    for (const code of getCountries()) expect(COUNTRY_CODES).toContain(code);
    for (const code of ["AQ", "BV", "GS", "HM", "PN", "TF", "UM"]) expect(COUNTRY_CODES).toContain(code);
    expect(countryName("zz")).toBeNull();
    expect(countryName("de")).toBe("Germany");
  });

  it.each([
    ["Philipines", "PH"], ["Phillipines", "PH"], ["Austrailia", "AU"], ["Argentinia", "AR"], ["Germnay", "DE"],
    ["Untied States", "US"], ["Swizerland", "CH"], ["Nethelands", "NL"], ["Bangaldesh", "BD"], ["Pakistna", "PK"],
  ])("fuzzy mode reads the misspelling %j as %s (and exact mode does not)", (input, expected) => {
    expect(toCountryCode(input)).toBeNull();
    expect(toCountryCode(input, { fuzzy: true })).toBe(expected);
  });

  it.each(["Narnia", "Atlantis", "Chad1", "Mars", "Nowhereland"])("fuzzy mode still rejects %j", (input) => {
    expect(toCountryCode(input, { fuzzy: true })).toBeNull();
  });

  it("is idempotent on its output and never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...COUNTRY_CODES), fc.string({ unit: "binary" })), (s) => {
        const code = toCountryCode(s);
        if (code !== null) expect(toCountryCode(code)).toBe(code);
      }),
    );
  });
});

describe("countryRegion", () => {
  it("maps every country to exactly one routing region", () => {
    const seen = new Map<string, string>();
    for (const code of COUNTRY_CODES) {
      const region = countryRegion(code);
      expect(region, code).not.toBeNull();
      expect(ROUTING_REGIONS).toContain(region);
      seen.set(code, region ?? "");
    }
    expect(seen.size).toBe(COUNTRY_CODES.length);
  });

  it.each([
    ["US", "NA"], ["ca", "NA"], ["PR", "NA"], ["GU", "NA"], ["MX", "LATAM"], ["BR", "LATAM"], ["JM", "LATAM"],
    ["GB", "EMEA"], ["DE", "EMEA"], ["AE", "EMEA"], ["ZA", "EMEA"], ["RU", "EMEA"], ["KZ", "EMEA"], ["TR", "EMEA"],
    ["IN", "APAC"], ["PK", "APAC"], ["JP", "APAC"], ["AU", "APAC"], ["NZ", "APAC"], ["SG", "APAC"], ["AQ", "APAC"],
  ])("%s → %s", (code, region) => {
    expect(countryRegion(code)).toBe(region);
  });

  it("returns null for unknown input", () => {
    expect(countryRegion("ZZ")).toBeNull();
    expect(countryRegion(null)).toBeNull();
    expect(countryRegion(undefined)).toBeNull();
  });
});

describe("parseRoutingRegion", () => {
  it.each([
    ["EMEA", "EMEA"], ["emea", "EMEA"], ["Europe", "EMEA"], ["Asia Pacific", "APAC"], ["Asia/Pacific Region", "APAC"],
    ["APAC", "APAC"], ["LatAm", "LATAM"], ["Latin America", "LATAM"], ["North America", "NA"], ["Americas", "NA"],
  ])("%j → %s", (input, expected) => {
    expect(parseRoutingRegion(input)).toBe(expected);
  });

  it.each(["California", "Bavaria", "", null, undefined])("%j → null", (input) => {
    expect(parseRoutingRegion(input)).toBeNull();
  });
});
