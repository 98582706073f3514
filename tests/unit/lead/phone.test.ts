import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPhoneCountry, parsePhone, toE164 } from "@/lib/lead/phone";

describe("parsePhone", () => {
  it.each([
    ["(415) 555-2671", "US", "+14155552671", "US", true, "FIXED_LINE_OR_MOBILE"],
    ["415.555.2671", "us", "+14155552671", "US", true, "FIXED_LINE_OR_MOBILE"],
    ["+1 415 555 2671", null, "+14155552671", "US", true, "FIXED_LINE_OR_MOBILE"],
    ["+44 20 7946 0958", null, "+442079460958", "GB", true, "FIXED_LINE"],
    ["020 7946 0958", "GB", "+442079460958", "GB", true, "FIXED_LINE"],
    ["0049 30 901820", "DE", "+4930901820", "DE", true, "FIXED_LINE"],
    ["0171 9876543", "DE", "+491719876543", "DE", true, "MOBILE"],
    ["+33 6 12 34 56 78", null, "+33612345678", "FR", true, "MOBILE"],
    ["+91 98765 43210", null, "+919876543210", "IN", true, "MOBILE"],
    ["+86 139 0100 2233", null, "+8613901002233", "CN", true, "MOBILE"],
    ["0800 123 4567", "GB", "+448001234567", "GB", true, "TOLL_FREE"],
    ["+1 800 555 0199", null, "+18005550199", "US", true, "TOLL_FREE"],
    ["+１ ４１５ ５５５ ２６７１", null, "+14155552671", "US", true, "FIXED_LINE_OR_MOBILE"],
    ["\u200E+44 20 7946 0958\u200F", null, "+442079460958", "GB", true, "FIXED_LINE"],
    [4155552671, "US", "+14155552671", "US", true, "FIXED_LINE_OR_MOBILE"],
    ["1234567890", "US", "+11234567890", "US", false, null],
  ])("%j (default %s) → %s", (raw, country, e164, numberCountry, valid, type) => {
    const result = parsePhone(raw, country);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.phone.e164).toBe(e164);
    expect(result.phone.country).toBe(numberCountry);
    expect(result.phone.valid).toBe(valid);
    expect(result.phone.possible).toBe(true);
    expect(result.phone.type).toBe(type);
    expect(toE164(raw, country)).toBe(e164);
  });

  it("keeps extensions apart from E.164", () => {
    const result = parsePhone("+1 415 555 2671 ext. 12");
    expect(result.ok && result.phone.e164).toBe("+14155552671");
    expect(result.ok && result.phone.extension).toBe("12");
  });

  it.each([
    ["", "US", "empty"],
    ["  \u200B ", "US", "empty"],
    ["call me", "US", "not_a_number"],
    ["415 555 2671", null, "needs_country"],
    ["415 555 2671", "ZZ", "needs_country"],
    ["12", "US", "invalid_length"],
    ["555-0123", "US", "invalid_length"],
    ["99999999999999999999", "US", "too_long"],
  ])("%j (default %s) fails with %s", (raw, country, problem) => {
    const result = parsePhone(raw, country);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toBe(problem);
    expect(toE164(raw, country)).toBeNull();
  });

  it("validates country codes", () => {
    expect(isPhoneCountry("DE")).toBe(true);
    expect(isPhoneCountry("de")).toBe(false);
    expect(isPhoneCountry("ZZ")).toBe(false);
    expect(isPhoneCountry(null)).toBe(false);
  });

  it("never throws, and E.164 output re-parses to itself", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.stringMatching(/^\+?[0-9 ()-]{0,20}$/)), fc.constantFrom("US", "GB", "DE", null), (raw, country) => {
        const e164 = toE164(raw, country);
        if (e164 !== null) expect(toE164(e164)).toBe(e164);
      }),
    );
  });
});
