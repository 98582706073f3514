import disposableList from "disposable-email-domains";
import { describe, expect, it } from "vitest";
import { DISPOSABLE_DOMAIN_COUNT, isDisposableDomain } from "@/lib/lead/disposable";
import { FREE_MAIL_DOMAINS, FREE_MAIL_FAMILIES, isFreeMailDomain } from "@/lib/lead/free-mail-domains";
import { emailTypeOfDomain } from "@/lib/lead/normalize-lead";

describe("free-mail domains", () => {
  it("is a curated list of about 150+ real providers plus brand families", () => {
    expect(FREE_MAIL_DOMAINS.size).toBeGreaterThanOrEqual(150);
    expect(FREE_MAIL_FAMILIES.size).toBeGreaterThan(0);
    for (const d of FREE_MAIL_DOMAINS) expect(d).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
  });

  it.each([
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "yahoo.com", "proton.me", "protonmail.com",
    "qq.com", "163.com", "126.com", "gmx.net", "gmx.de", "web.de", "mail.ru", "yandex.ru", "icloud.com",
    "naver.com", "seznam.cz", "wp.pl", "libero.it", "orange.fr", "uol.com.br", "rediffmail.com", "comcast.net",
    // families
    "yahoo.co.uk", "yahoo.co.jp", "yahoo.com.br", "hotmail.fr", "hotmail.co.uk", "outlook.de", "live.co.uk",
    "gmx.at", "gmx.ch", "yandex.com", "yandex.com.tr", "aol.de",
    // case, trailing dot, subdomain
    "GMAIL.COM", "gmail.com.", "mail.yahoo.co.jp", "i.softbank.jp",
  ])("%s is free mail", (domain) => {
    expect(isFreeMailDomain(domain)).toBe(true);
  });

  it.each(["acme.com", "yahoo-inc.com", "gmx-consulting.de", "mail.acme.com", "outlook.office365.com", "softbank.jp", "not a domain", ""])(
    "%s is not free mail",
    (domain) => {
      expect(isFreeMailDomain(domain)).toBe(false);
    },
  );
});

describe("disposable domains", () => {
  it("loads the whole package list", () => {
    expect((disposableList as string[]).length).toBeGreaterThan(100_000);
    expect(DISPOSABLE_DOMAIN_COUNT).toBeGreaterThan(100_000);
  });

  it.each(["mailinator.com", "guerrillamail.com", "10minutemail.com", "yopmail.com", "trashmail.com", "MAILINATOR.COM", "foo.mailinator.com", "a.b.c.mailinator.com", "anything.33mail.com", "alias.anonaddy.me"])(
    "%s is disposable",
    (domain) => {
      expect(isDisposableDomain(domain)).toBe(true);
    },
  );

  it.each(["gmail.com", "acme.com", "com", "mailinator", "", "not a host", "21cn.com"])("%s is not disposable", (domain) => {
    expect(isDisposableDomain(domain)).toBe(false);
  });

  it("lets the curated free-mail list win over the bulk list", () => {
    expect((disposableList as string[]).includes("21cn.com")).toBe(true);
    expect(isFreeMailDomain("21cn.com")).toBe(true);
    expect(emailTypeOfDomain("21cn.com")).toBe("free");
  });

  it("no curated free-mail domain is reported as disposable", () => {
    for (const d of FREE_MAIL_DOMAINS) expect(isDisposableDomain(d), d).toBe(false);
  });

  it("classifies email domains", () => {
    expect(emailTypeOfDomain("acme.com")).toBe("business");
    expect(emailTypeOfDomain("gmail.com")).toBe("free");
    expect(emailTypeOfDomain("mailinator.com")).toBe("disposable");
  });
});
