/**
 * normalizeLead: raw form/CSV fields → normalised lead facts plus field-level issues, for the ingestion
 * pipeline's validate step. Pure, never throws, ~30–50 µs per lead (phone parsing ~20 µs, junk check ~14 µs).
 */

import { companyDomainFromEmail, companyDomainFromWebsite } from "./company-domain";
import { normalizeCompanyName } from "./company";
import { countryRegion, parseRoutingRegion, toCountryCode } from "./country";
import { inquiryKey, personKey } from "./dedupe";
import { isDisposableDomain } from "./disposable";
import { domainFromUrl } from "./domain";
import { parseEmail, suggestEmailDomain } from "./email";
import { parseEmployees } from "./employees";
import { isFreeMailDomain } from "./free-mail-domains";
import { type JunkOptions, assessJunk } from "./junk";
import { type EmailType, type LeadIssue, type NormalizedLead, type RawLeadFields } from "./lead.schema";
import { parsePhone } from "./phone";
import { seniorityFromTitle } from "./seniority";
import { cleanLine, toFreeText, toText } from "./text";

export interface NormalizeLeadOptions {
  /**
   * ISO alpha-2 country assumed for phone numbers without a "+" prefix when the lead has no country
   * (typically the workspace's home country). Never copied into the lead's country.
   */
  defaultCountry?: string | null;
  /** Junk thresholds (see assessJunk). */
  junk?: JunkOptions;
}

/** Reads a field by its camelCase name or its snake_case spelling. */
function read(raw: Readonly<Record<string, unknown>>, camel: string): unknown {
  const value = raw[camel];
  if (value !== undefined && value !== null && value !== "") return value;
  return raw[camel.replace(/[A-Z]/gu, (c) => `_${c.toLowerCase()}`)];
}

/** The type of a mailbox domain: free mail, disposable, or business (anything else). */
export function emailTypeOfDomain(domain: string): EmailType {
  if (isFreeMailDomain(domain)) return "free";
  if (isDisposableDomain(domain)) return "disposable";
  return "business";
}

/**
 * Normalises a raw lead (see RawLeadFields; camelCase or snake_case keys) into NormalizedLead: cleaned text,
 * validated email with type, E.164 phone, ISO country and routing region, seniority, head count and band,
 * company domain and matching name, junk assessment, dedupe keys, and the issues found on the way. Output
 * values are idempotent: feeding the normalised values back in gives the same normalised values.
 */
export function normalizeLead(raw: RawLeadFields | Readonly<Record<string, unknown>>, options: NormalizeLeadOptions = {}): NormalizedLead {
  const input = raw as Readonly<Record<string, unknown>>;
  const issues: LeadIssue[] = [];
  const issue = (field: string, code: string, message: string, severity: LeadIssue["severity"]): void => {
    issues.push({ field, code, message, severity });
  };

  // Email
  const emailInput = toText(read(input, "email"));
  let email: string | null = null;
  let emailOriginal: string | null = null;
  let emailDomainValue: string | null = null;
  let emailType: EmailType | null = null;
  if (emailInput !== null) {
    const parsed = parseEmail(emailInput);
    if (parsed.ok) {
      email = parsed.email.address;
      emailOriginal = parsed.email.original;
      emailDomainValue = parsed.email.domain;
      emailType = emailTypeOfDomain(parsed.email.domain);
      if (parsed.email.original !== emailInput && parsed.email.original.toLowerCase() !== emailInput.toLowerCase()) {
        issue("email", "email_cleaned", `Email was cleaned from "${emailInput}" to "${parsed.email.original}".`, "info");
      }
      const suggestion = suggestEmailDomain(parsed.email.domain);
      if (suggestion !== null) {
        issue("email", "email_domain_typo", `Email domain ${parsed.email.domain} looks like a typo of ${suggestion}.`, "warning");
      }
      if (emailType === "disposable") issue("email", "email_disposable", "Email is on a disposable mailbox domain.", "warning");
      if (emailType === "free") issue("email", "email_free", "Email is a free-mail (personal) address.", "info");
    } else {
      emailOriginal = parsed.original === "" ? emailInput : parsed.original;
      issue("email", "email_invalid", parsed.message, "error");
    }
  }

  // Names
  const nameInput = toText(read(input, "name"));
  let firstName = toText(read(input, "firstName"));
  let lastName = toText(read(input, "lastName"));
  if (firstName === null && lastName === null && nameInput !== null) {
    const parts = nameInput.split(" ");
    if (parts.length >= 2) {
      firstName = parts[0] ?? null;
      lastName = parts.slice(1).join(" ");
      issue("name", "name_split", `Name "${nameInput}" was split into first and last name at the first space.`, "info");
    }
  }
  const fullName = nameInput ?? ([firstName, lastName].filter((p) => p !== null).join(" ") || null);
  if (fullName === null) issue("name", "name_missing", "No name was given.", "warning");

  // Company and domains
  const company = toText(read(input, "company"));
  const companyNormalized = company === null ? null : normalizeCompanyName(company) || null;
  const website = toText(read(input, "website"));
  const websiteDomain = website === null ? null : domainFromUrl(website);
  if (website !== null && websiteDomain === null) {
    issue("website", "website_invalid", `Website "${website}" has no usable domain.`, "warning");
  }
  const companyDomainValue =
    (email === null ? null : companyDomainFromEmail(email)) ?? (website === null ? null : companyDomainFromWebsite(website));
  if (company === null) issue("company", "company_missing", "No company was given.", "info");

  // Country and region
  const countryInput = toText(read(input, "country"));
  let country = countryInput === null ? null : toCountryCode(countryInput);
  if (countryInput !== null && country === null) {
    country = toCountryCode(countryInput, { fuzzy: true });
    if (country !== null) {
      issue("country", "country_guessed", `Country "${countryInput}" was read as ${country} (closest spelling).`, "warning");
    } else if (parseRoutingRegion(countryInput) === null) {
      issue("country", "country_unknown", `Country "${countryInput}" is not a known country name or code.`, "warning");
    }
  }
  const region = toText(read(input, "region"));

  // Phone
  const phoneRaw = toText(read(input, "phone"));
  let phone: NormalizedLead["phone"] = null;
  if (phoneRaw !== null) {
    const parsed = parsePhone(phoneRaw, country ?? options.defaultCountry ?? null);
    if (parsed.ok) {
      const p = parsed.phone;
      phone = { e164: p.e164, country: p.country, extension: p.extension, valid: p.valid, type: p.type ?? null };
      if (!p.valid) issue("phone", "phone_invalid", `Phone ${p.e164} is not a valid number for its country.`, "warning");
      const international = /^\s*(?:\+|00)/u.test(phoneRaw);
      if (country === null && p.country !== null && international) {
        country = p.country;
        issue("country", "country_from_phone", `Country ${p.country} was taken from the phone number.`, "info");
      }
    } else {
      issue("phone", parsed.problem === "needs_country" ? "phone_needs_country" : "phone_invalid", parsed.message, "warning");
    }
  }
  // A region typed into the country field ("Asia/Pacific Region") still routes.
  const routingRegion = countryRegion(country) ?? parseRoutingRegion(region) ?? parseRoutingRegion(countryInput);

  // Title, size, interest, text
  const title = toText(read(input, "title"));
  const employeesInput = read(input, "employees");
  const employees = parseEmployees(typeof employeesInput === "string" ? cleanLine(employeesInput) : employeesInput);
  if (employeesInput !== undefined && employeesInput !== null && employeesInput !== "" && employees === null) {
    issue("employees", "employees_unparseable", `Company size "${String(employeesInput)}" is not a head count or range.`, "warning");
  }
  const productInterest = toText(read(input, "productInterest"));
  const message = toFreeText(read(input, "message"));
  const useCase = toFreeText(read(input, "useCase"));
  const lower = (v: string | null): string | null => (v === null ? null : v.toLowerCase());
  const utm = {
    source: lower(toText(read(input, "utmSource"))),
    medium: lower(toText(read(input, "utmMedium"))),
    campaign: toText(read(input, "utmCampaign")),
    term: toText(read(input, "utmTerm")),
    content: toText(read(input, "utmContent")),
  };

  if (email === null && (phone === null || !phone.valid)) {
    issue("email", "no_contact", "Neither a valid email nor a valid phone number was given.", "error");
  }

  const junk = assessJunk(
    { firstName, lastName, name: firstName === null && lastName === null ? nameInput : null, email: emailOriginal,
      company, phone: phoneRaw, website, message, useCase },
    options.junk,
  );
  const person = personKey({ email, phoneE164: phone?.valid ? phone.e164 : null, name: fullName, company });

  return {
    email,
    emailOriginal,
    emailDomain: emailDomainValue,
    emailType,
    firstName,
    lastName,
    fullName,
    company,
    companyNormalized,
    companyDomain: companyDomainValue,
    websiteDomain,
    phoneRaw,
    phone,
    country,
    routingRegion,
    region,
    title,
    seniority: seniorityFromTitle(title),
    employees: employees?.count ?? null,
    employeeBand: employees?.band ?? null,
    productInterest,
    message,
    useCase,
    utm,
    junk,
    dedupe: { personKey: person?.key ?? null, personKeyKind: person?.kind ?? null, inquiryKey: inquiryKey(person, productInterest) },
    issues,
  };
}
