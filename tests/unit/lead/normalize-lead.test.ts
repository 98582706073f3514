import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NormalizedLead, type RawLeadFields, normalizeLead } from "@/lib/lead";

const codes = (lead: NormalizedLead): string[] => lead.issues.map((i) => i.code);

describe("normalizeLead", () => {
  it("normalises a complete business lead", () => {
    const lead = normalizeLead({
      email: " Jane.Smith+news@Acme.CO.UK\u200B ",
      firstName: "Jane",
      lastName: "Smith",
      company: "ACME Ltd.",
      website: "https://www.acme.co.uk/about",
      phone: "020 7946 0958",
      country: "United Kingdom",
      region: "London",
      title: "VP Marketing",
      employees: "51-200",
      productInterest: "Data Platform",
      message: "We need a demo this week.\r\nThanks",
      useCase: "Routing inbound leads",
      utmSource: "Google",
      utmMedium: "CPC",
      utmCampaign: "Spring-Launch",
      utmTerm: "lead routing",
      utmContent: "ad-1",
    });
    expect(lead).toEqual({
      email: "jane.smith+news@acme.co.uk",
      emailOriginal: "Jane.Smith+news@acme.co.uk",
      emailDomain: "acme.co.uk",
      emailType: "business",
      firstName: "Jane",
      lastName: "Smith",
      fullName: "Jane Smith",
      company: "ACME Ltd.",
      companyNormalized: "acme",
      companyDomain: "acme.co.uk",
      websiteDomain: "acme.co.uk",
      phoneRaw: "020 7946 0958",
      phone: { e164: "+442079460958", country: "GB", extension: null, valid: true, type: "FIXED_LINE" },
      country: "GB",
      routingRegion: "EMEA",
      region: "London",
      title: "VP Marketing",
      seniority: "vp",
      employees: 125,
      employeeBand: "50-199",
      productInterest: "Data Platform",
      message: "We need a demo this week.\nThanks",
      useCase: "Routing inbound leads",
      utm: { source: "google", medium: "cpc", campaign: "Spring-Launch", term: "lead routing", content: "ad-1" },
      junk: { isJunk: false, level: "clean", score: 0, reasons: [] },
      dedupe: {
        personKey: "email:jane.smith@acme.co.uk",
        personKeyKind: "email",
        inquiryKey: "email:jane.smith@acme.co.uk#data platform",
      },
      issues: [],
    });
    expect(NormalizedLead.parse(lead)).toEqual(lead);
  });

  it("reads snake_case keys and a single name field", () => {
    const lead = normalizeLead({ first_name: "Ana", last_name: "Silva", utm_source: "LinkedIn", email: "ana@acme.com.br" });
    expect(lead.firstName).toBe("Ana");
    expect(lead.lastName).toBe("Silva");
    expect(lead.utm.source).toBe("linkedin");
    const split = normalizeLead({ name: "Mary  Ann Smith", email: "mas@acme.com" });
    expect([split.firstName, split.lastName, split.fullName]).toEqual(["Mary", "Ann Smith", "Mary Ann Smith"]);
    expect(codes(split)).toContain("name_split");
  });

  it("keeps an unspaced CJK name whole and infers the country from an international phone", () => {
    const lead = normalizeLead({ name: "王伟", email: "wangwei@qq.com", phone: "+86 139 0100 2233", company: "阿里巴巴集团控股有限公司", employees: "10,001+" });
    expect([lead.firstName, lead.lastName, lead.fullName]).toEqual([null, null, "王伟"]);
    expect(lead.emailType).toBe("free");
    expect(lead.companyDomain).toBeNull();
    expect(lead.companyNormalized).toBe("阿里巴巴集团控股");
    expect(lead.country).toBe("CN");
    expect(lead.routingRegion).toBe("APAC");
    expect(lead.phone?.type).toBe("MOBILE");
    expect(lead.employees).toBe(10001);
    expect(lead.junk.isJunk).toBe(false);
    expect(codes(lead)).toEqual(["email_free", "country_from_phone"]);
    NormalizedLead.parse(lead);
  });

  it("does not take the country from a national-format phone parsed with the default country", () => {
    const lead = normalizeLead({ email: "a@acme.com", phone: "(415) 555-2671" }, { defaultCountry: "US" });
    expect(lead.phone?.e164).toBe("+14155552671");
    expect(lead.country).toBeNull();
    expect(codes(lead)).toEqual(["name_missing", "company_missing"]);
  });

  it("uses the lead's country, not the default, to parse its phone", () => {
    const lead = normalizeLead({ email: "a@acme.de", phone: "030 901820", country: "Deutschland" }, { defaultCountry: "US" });
    expect(lead.phone?.e164).toBe("+4930901820");
  });

  it("reports field issues", () => {
    const lead = normalizeLead({
      email: "jane@@acme",
      phone: "call me",
      country: "Narnia",
      website: "not a url",
      employees: "Enterprise",
      firstName: "  ",
    });
    expect(lead.email).toBeNull();
    expect(lead.emailOriginal).toBe("jane@@acme");
    expect(codes(lead)).toEqual([
      "email_invalid",
      "name_missing",
      "website_invalid",
      "company_missing",
      "country_unknown",
      "phone_invalid",
      "employees_unparseable",
      "no_contact",
    ]);
    expect(lead.issues.find((i) => i.code === "no_contact")?.severity).toBe("error");
    NormalizedLead.parse(lead);
  });

  it.each([
    [{ email: "jane@gmial.com" }, "email_domain_typo"],
    [{ email: "x@mailinator.com" }, "email_disposable"],
    [{ email: "Jane Doe <jane@acme.com>" }, "email_cleaned"],
    [{ email: "a@acme.com", phone: "415 555 2671" }, "phone_needs_country"],
    [{ email: "a@acme.com", phone: "+1 123 456 7890" }, "phone_invalid"],
    [{ email: "a@acme.com", country: "Philipines" }, "country_guessed"],
  ])("%j reports %s", (input, code) => {
    expect(codes(normalizeLead(input))).toContain(code);
  });

  it("routes on a region typed into the region or the country field", () => {
    expect(normalizeLead({ email: "a@acme.com", region: "EMEA" }).routingRegion).toBe("EMEA");
    const lead = normalizeLead({ email: "a@acme.com", country: "Asia/Pacific Region" });
    expect(lead.country).toBeNull();
    expect(lead.routingRegion).toBe("APAC");
    expect(codes(lead)).not.toContain("country_unknown");
  });

  it("accepts a valid phone as the only contact and keys the person by it", () => {
    const lead = normalizeLead({ phone: "+44 20 7946 0958", name: "Sam Patel" });
    expect(lead.dedupe).toEqual({ personKey: "phone:+442079460958", personKeyKind: "phone", inquiryKey: "phone:+442079460958#*" });
    expect(codes(lead)).not.toContain("no_contact");
  });

  it("handles unicode debris in every field", () => {
    const lead = normalizeLead({
      firstName: "\u200FZoe\u0308\u200E",
      lastName: "Ngu\u200Byen",
      email: "\uFEFFzoe@ＡＣＭＥ．ｃｏｍ",
      company: "ＡＣＭＥ\u00A0Inc",
      country: "\u200BDeutschland",
      message: "Hallo 👋\u200D\r\n\r\n\r\n\r\nDemo bitte 🙏🏽",
    });
    expect(lead.firstName).toBe("Zoë");
    expect(lead.lastName).toBe("Nguyen");
    expect(lead.email).toBe("zoe@acme.com");
    expect(lead.company).toBe("ＡＣＭＥ Inc");
    expect(lead.companyNormalized).toBe("acme");
    expect(lead.country).toBe("DE");
    expect(lead.message).toBe("Hallo 👋\n\nDemo bitte 🙏🏽");
    expect(lead.junk.isJunk).toBe(false);
  });

  it("flags junk leads but still normalises them", () => {
    const lead = normalizeLead({ firstName: "asdf", lastName: "asdf", email: "asdf@mailinator.com", phone: "1234567890" }, { defaultCountry: "US" });
    expect(lead.junk.isJunk).toBe(true);
    expect(lead.emailType).toBe("disposable");
    expect(lead.email).toBe("asdf@mailinator.com");
  });

  it("accepts numbers and booleans from loose senders", () => {
    const lead = normalizeLead({ email: "a@acme.com", employees: 250, phone: 4155552671, company: 3 } as RawLeadFields, { defaultCountry: "US" });
    expect(lead.employees).toBe(250);
    expect(lead.phone?.e164).toBe("+14155552671");
    expect(lead.company).toBe("3");
  });

  it("never throws and always satisfies its schema (fuzzed)", () => {
    const value = fc.oneof(fc.string({ unit: "binary" }), fc.integer(), fc.constant(null), fc.constant(undefined), fc.boolean());
    fc.assert(
      fc.property(
        fc.record(
          { email: value, firstName: value, lastName: value, name: value, company: value, website: value, phone: value, country: value, region: value, title: value, employees: value, productInterest: value, message: value, useCase: value, utmSource: value },
          { requiredKeys: [] },
        ),
        (raw) => {
          NormalizedLead.parse(normalizeLead(raw));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is idempotent: normalised values fed back in normalise to themselves", () => {
    const word = fc.constantFrom("Jane", "O'Brien", "王伟", "Σωκράτης", "Jean-Luc", "  José\u200B ", "Zoë", "Li", "asdf");
    const raw = fc.record({
      email: fc.oneof(fc.emailAddress(), fc.constantFrom(" Jane.Doe+x@Acme.COM ", "ｊａｎｅ＠ａｃｍｅ．ｃｏｍ", "bad@@x")),
      firstName: word,
      lastName: word,
      company: fc.constantFrom("ACME, Inc.", "Société Générale S.A.", "株式会社トヨタ", "N/A", ""),
      website: fc.constantFrom("https://www.Acme.co.uk/about", "acme.com.", "not a url", ""),
      phone: fc.constantFrom("+44 20 7946 0958", "(415) 555-2671", "+86 139 0100 2233", "call me", ""),
      country: fc.constantFrom("USA", "Deutschland", "Türkiye", "Ivory Coast", "Narnia", "", "gb"),
      title: fc.constantFrom("VP Sales", "C.E.O.", "Engineer", ""),
      employees: fc.constantFrom("1-10", "1,000+", "5000", "Enterprise", ""),
      productInterest: fc.constantFrom("Data Platform", " API ", ""),
      message: fc.string({ unit: "grapheme" }),
    });
    fc.assert(
      fc.property(raw, (input) => {
        const once = normalizeLead(input, { defaultCountry: "US" });
        const again = normalizeLead(
          {
            email: once.email ?? once.emailOriginal,
            firstName: once.firstName,
            lastName: once.lastName,
            company: once.company,
            website: once.websiteDomain ?? undefined,
            phone: once.phone?.e164 ?? once.phoneRaw,
            country: once.country ?? undefined,
            title: once.title,
            employees: once.employees,
            productInterest: once.productInterest,
            message: once.message,
          },
          { defaultCountry: "US" },
        );
        for (const key of ["email", "emailDomain", "emailType", "firstName", "lastName", "fullName", "company", "companyNormalized", "companyDomain", "title", "seniority", "employees", "employeeBand", "productInterest", "message", "dedupe"] as const) {
          expect(again[key], key).toEqual(once[key]);
        }
        expect(again.phone?.e164).toEqual(once.phone?.e164);
        if (once.country !== null) expect(again.country).toBe(once.country);
        if (once.websiteDomain !== null) expect(again.websiteDomain).toBe(once.websiteDomain);
      }),
      { numRuns: 300 },
    );
  });
});
