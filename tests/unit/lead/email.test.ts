import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalEmail,
  emailDomain,
  isValidEmail,
  normalizeEmail,
  parseEmail,
  suggestEmailDomain,
} from "@/lib/lead/email";

describe("parseEmail — accepted addresses", () => {
  it.each([
    ["jane@acme.com", "jane@acme.com"],
    ["  Jane.Doe+Tag@Acme.COM  ", "jane.doe+tag@acme.com"],
    ["o'brien@obrien.ie", "o'brien@obrien.ie"],
    ["first_last-x@sub.domain.co.uk", "first_last-x@sub.domain.co.uk"],
    ["a@b.co", "a@b.co"],
    ["!#$%&'*+/=?^_`{|}~-@acme.com", "!#$%&'*+/=?^_`{|}~-@acme.com"],
    ["user@xn--bcher-kva.de", "user@xn--bcher-kva.de"],
    ["josé@españa.es", "josé@españa.es"],
    ["用户@例子.广告", "用户@例子.广告"],
    ["Σωκράτης@παράδειγμα.ελ", "σωκράτης@παράδειγμα.ελ"],
    ["ｊａｎｅ＠ａｃｍｅ．ｃｏｍ", "jane@acme.com"],
    ["jane@acme。com", "jane@acme.com"],
    ["Jane Doe <Jane@Acme.com>", "jane@acme.com"],
    ["mailto:jane@acme.com?subject=hi", "jane@acme.com"],
    ["jane@acme.com.", "jane@acme.com"],
    ["ja\u200Bne@acme.com", "jane@acme.com"],
    ["\u200Fjane@acme.com\u200E", "jane@acme.com"],
    ["\uFEFFjane@acme.com", "jane@acme.com"],
    ["jose\u0301@acme.com", "josé@acme.com"],
  ])("%j → %j", (input, expected) => {
    const parsed = parseEmail(input);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.email.address).toBe(expected);
    expect(normalizeEmail(input)).toBe(expected);
    expect(isValidEmail(input)).toBe(true);
  });

  it("keeps the original local-part casing and exposes parts", () => {
    const parsed = parseEmail("  John.Smith@ACME.co.uk ");
    expect(parsed).toEqual({
      ok: true,
      email: {
        address: "john.smith@acme.co.uk",
        original: "John.Smith@acme.co.uk",
        localOriginal: "John.Smith",
        local: "john.smith",
        domain: "acme.co.uk",
      },
    });
  });
});

describe("parseEmail — rejected addresses", () => {
  it.each([
    ["", "empty"],
    ["\u200B", "empty"],
    ["plainaddress", "no_at"],
    ["jane doe@acme.com", "contains_space"],
    ["jane@@acme.com", "multiple_at"],
    ['"jane@doe"@acme.com', "multiple_at"],
    ["@acme.com", "local_empty"],
    ["jane@", "domain_invalid"],
    ["jane@acme", "domain_invalid"],
    ["jane@acme..com", "domain_invalid"],
    ["jane@-acme.com", "domain_invalid"],
    ["jane@acme-.com", "domain_invalid"],
    ["jane@acme_corp.com", "domain_invalid"],
    ["jane@acme.c", "domain_invalid"],
    ["jane@acme.123", "domain_invalid"],
    ["jane@[1.2.3.4]", "domain_invalid"],
    ["jane@192.168.0.1", "domain_invalid"],
    ["jane@😀.com", "domain_invalid"],
    [".jane@acme.com", "local_invalid"],
    ["jane.@acme.com", "local_invalid"],
    ["ja..ne@acme.com", "local_invalid"],
    ['"jane"@acme.com', "local_invalid"],
    ["😀@acme.com", "local_invalid"],
    ["jane(comment)@acme.com", "local_invalid"],
    [`${"a".repeat(65)}@acme.com`, "local_too_long"],
    [`${"é".repeat(33)}@acme.com`, "local_too_long"],
    [`${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.com`, "too_long"],
  ])("%j → %s", (input, problem) => {
    const parsed = parseEmail(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem).toBe(problem);
      expect(parsed.message.length).toBeGreaterThan(0);
    }
    expect(normalizeEmail(input)).toBeNull();
    expect(isValidEmail(input)).toBe(false);
  });
});

describe("emailDomain", () => {
  it.each([
    ["jane@Acme.COM", "acme.com"],
    ["@mailinator.com", "mailinator.com"],
    ["x@y@Example.org.", "example.org"],
    ["no-at-sign", null],
    ["jane@localhost", null],
    ["", null],
  ])("%j → %j", (input, expected) => {
    expect(emailDomain(input)).toBe(expected);
  });
});

describe("canonicalEmail (dedupe only)", () => {
  it.each([
    ["J.a.n.e+news@GoogleMail.com", "jane@gmail.com"],
    ["jane.doe@gmail.com", "janedoe@gmail.com"],
    ["Jane.Doe+crm@Acme.com", "jane.doe@acme.com"],
    ["jane.doe@outlook.com", "jane.doe@outlook.com"],
    ["+tag@acme.com", "+tag@acme.com"],
    ["not an email", null],
  ])("%j → %j", (input, expected) => {
    expect(canonicalEmail(input)).toBe(expected);
  });

  it("does not change the stored form", () => {
    expect(normalizeEmail("Jane.Doe+x@gmail.com")).toBe("jane.doe+x@gmail.com");
  });
});

describe("suggestEmailDomain", () => {
  it.each([
    ["gmial.com", "gmail.com"],
    ["GMAIL.CON", "gmail.com"],
    ["hotmial.com", "hotmail.com"],
    ["acme.com", null],
  ])("%j → %j", (input, expected) => {
    expect(suggestEmailDomain(input)).toBe(expected);
  });
});

describe("properties", () => {
  const arbitraryEmail = fc.oneof(
    fc.emailAddress(),
    fc.tuple(fc.string(), fc.constantFrom("@", "＠", "@@", ""), fc.domain(), fc.string()).map((p) => p.join("")),
    fc.string({ unit: "binary" }),
  );

  it("normalisation is idempotent and never throws", () => {
    fc.assert(
      fc.property(arbitraryEmail, (raw) => {
        const once = normalizeEmail(raw);
        if (once !== null) expect(normalizeEmail(once)).toBe(once);
      }),
    );
  });

  it("accepts fast-check's RFC-style addresses unless they use quoted/odd forms, and lowercases them", () => {
    fc.assert(
      fc.property(fc.emailAddress(), (raw) => {
        const parsed = parseEmail(raw);
        if (parsed.ok) expect(parsed.email.address).toBe(parsed.email.address.toLowerCase());
      }),
    );
  });

  it("domain extraction never throws and returns a lowercase host or null", () => {
    fc.assert(
      fc.property(arbitraryEmail, (raw) => {
        const d = emailDomain(raw);
        if (d !== null) {
          expect(d).toBe(d.toLowerCase());
          expect(d.includes(".")).toBe(true);
        }
      }),
    );
  });

  it("canonical form is idempotent", () => {
    fc.assert(
      fc.property(fc.emailAddress(), (raw) => {
        const c = canonicalEmail(raw);
        if (c !== null) expect(canonicalEmail(c)).toBe(c);
      }),
    );
  });
});
