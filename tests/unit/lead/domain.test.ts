import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  companyDomain,
  companyDomainFromEmail,
  companyDomainFromWebsite,
  isCompanyDomain,
} from "@/lib/lead/company-domain";
import { domainFromUrl, hostFromUrl, isValidHostname, mapHost, registrableDomain } from "@/lib/lead/domain";

describe("isValidHostname / mapHost", () => {
  it.each([
    ["acme.com", true],
    ["a.b.c.acme.co.uk", true],
    ["bücher.de", true],
    ["xn--bcher-kva.de", true],
    ["例子.广告", true],
    ["acme", false],
    ["localhost", false],
    ["127.0.0.1", false],
    ["-acme.com", false],
    ["acme-.com", false],
    ["ac_me.com", false],
    ["acme.c", false],
    ["acme.c0m", false],
    [`${"a".repeat(64)}.com`, false],
    [`${"a".repeat(63)}.com`, true],
    ["", false],
  ])("%j → %s", (host, valid) => {
    expect(isValidHostname(host)).toBe(valid);
  });

  it("maps case, full-width characters, ideographic dots and trailing dots", () => {
    expect(mapHost(" ＡＣＭＥ。Com. ")).toBe("acme.com");
    expect(mapHost("Acme.COM..")).toBe("acme.com");
  });
});

describe("registrableDomain", () => {
  it.each([
    ["acme.com", "acme.com"],
    ["www.acme.com", "acme.com"],
    ["a.b.c.acme.com", "acme.com"],
    ["www.Acme.co.uk", "acme.co.uk"],
    ["shop.acme.com.au", "acme.com.au"],
    ["acme.co.jp", "acme.co.jp"],
    ["www.acme.com.br", "acme.com.br"],
    ["acme.co.nz", "acme.co.nz"],
    ["acme.co.in", "acme.co.in"],
    ["acme.gen.in", "acme.gen.in"],
    ["council.nsw.gov.au", "council.nsw.gov.au"],
    ["acme.myshopify.com", "acme.myshopify.com"],
    ["www.acme.myshopify.com", "acme.myshopify.com"],
    ["acme.github.io", "acme.github.io"],
    ["web.de", "web.de"],
    ["mail.yahoo.co.jp", "yahoo.co.jp"],
    ["acme.de.", "acme.de"],
    ["co.uk", null],
    ["myshopify.com", "myshopify.com"],
    ["com", null],
    ["not a host", null],
  ])("%j → %j", (host, expected) => {
    expect(registrableDomain(host)).toBe(expected);
  });
});

describe("hostFromUrl / domainFromUrl", () => {
  it.each([
    ["https://www.Acme.co.uk/about", "www.acme.co.uk", "acme.co.uk"],
    ["acme.com", "acme.com", "acme.com"],
    ["www.acme.com/", "www.acme.com", "acme.com"],
    ["acme.com:8080/path?q=1#top", "acme.com", "acme.com"],
    ["HTTP://user:pw@Shop.Acme.com.au:443/x?y#z", "shop.acme.com.au", "acme.com.au"],
    ["//cdn.acme.io/x", "cdn.acme.io", "acme.io"],
    ["ftp://files.acme.org", "files.acme.org", "acme.org"],
    ["http:acme.com", "acme.com", "acme.com"],
    ["www2.acme.com", "www2.acme.com", "acme.com"],
    ["acme.com.", "acme.com", "acme.com"],
    ["https://bücher.de/", "bücher.de", "bücher.de"],
    ["ＡＣＭＥ．ｃｏｍ", "acme.com", "acme.com"],
    ["\u200Bhttps://acme.com\u200B", "acme.com", "acme.com"],
    ["https://acme.com\\admin", "acme.com", "acme.com"],
    ["localhost:3000", null, null],
    ["http://192.168.1.1/", null, null],
    ["http://[::1]:80/", null, null],
    ["not a url", null, null],
    ["", null, null],
    ["https://co.uk", "co.uk", null],
  ])("%j → host %j, domain %j", (url, host, domain) => {
    expect(hostFromUrl(url)).toBe(host);
    expect(domainFromUrl(url)).toBe(domain);
  });

  it("never throws and is idempotent on its output", () => {
    const urlish = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.domain(),
      fc.string({ unit: "binary" }),
      fc.tuple(fc.constantFrom("http://", "https://", "//", ""), fc.string(), fc.constantFrom(":80", "/x", "", ".")).map((p) => p.join("")),
    );
    fc.assert(
      fc.property(urlish, (url) => {
        const d = domainFromUrl(url);
        if (d !== null) {
          expect(isValidHostname(d)).toBe(true);
          expect(domainFromUrl(d)).toBe(d);
          expect(registrableDomain(d)).toBe(d);
        }
      }),
    );
  });
});

describe("company domain", () => {
  it.each([
    [{ email: "jane@mail.acme.co.uk" }, "acme.co.uk"],
    [{ email: "jane@gmail.com", website: "https://www.acme.com/about" }, "acme.com"],
    [{ email: "jane@yahoo.co.uk" }, null],
    [{ email: "jane@mailinator.com", website: "acme.io" }, "acme.io"],
    [{ email: "jane@acme.com", website: "https://other.com" }, "acme.com"],
    [{ website: "https://www.linkedin.com/company/acme" }, null],
    [{ website: "https://acme.myshopify.com/products" }, "acme.myshopify.com"],
    [{ email: "not-an-email", website: "not a url" }, null],
    [{}, null],
  ])("%j → %j", (input, expected) => {
    expect(companyDomain(input)).toBe(expected);
  });

  it("classifies domains", () => {
    expect(isCompanyDomain("acme.com")).toBe(true);
    expect(isCompanyDomain("gmail.com")).toBe(false);
    expect(isCompanyDomain("mailinator.com")).toBe(false);
    expect(isCompanyDomain("github.com")).toBe(false);
    expect(companyDomainFromEmail("x@localhost")).toBeNull();
    expect(companyDomainFromWebsite("https://bit.ly/abc")).toBeNull();
  });
});
