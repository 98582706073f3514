/**
 * Real, public datasets from ../shared/datasets (see each SOURCE.md). Skipped cleanly when ../shared is absent.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  assessJunk,
  countryRegion,
  normalizeCompanyName,
  normalizeLead,
  parseEmployees,
  parseRoutingRegion,
  prepareCompanyName,
  similarityOfPrepared,
  toCountryCode,
} from "@/lib/lead";

const datasets = fileURLToPath(new URL("../../../../shared/datasets/", import.meta.url));
const maven = `${datasets}maven-crm-sales-opportunities/`;
const xEducation = `${datasets}x-education-leads/Leads.csv`;

/** Minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF). */
function readCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, "utf8");
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  const [header, ...body] = rows;
  return body.filter((r) => r.length > 1).map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
}

describe.skipIf(!existsSync(`${maven}accounts.csv`))("Maven CRM sample (85 accounts, 35 agents)", () => {
  const accounts = existsSync(`${maven}accounts.csv`) ? readCsv(`${maven}accounts.csv`) : [];
  const teams = existsSync(`${maven}sales_teams.csv`) ? readCsv(`${maven}sales_teams.csv`) : [];

  it("resolves every office location to a country (with the dataset's 'Philipines' typo in fuzzy mode)", () => {
    const unresolved = accounts.map((a) => a.office_location!).filter((c) => toCountryCode(c) === null);
    expect([...new Set(unresolved)]).toEqual(["Philipines"]);
    for (const a of accounts) {
      const code = toCountryCode(a.office_location!, { fuzzy: true });
      expect(code, a.office_location).not.toBeNull();
      expect(countryRegion(code)).not.toBeNull();
    }
  });

  it("parses every head count", () => {
    for (const a of accounts) expect(parseEmployees(a.employees!)?.count, a.account).toBe(Number(a.employees));
  });

  it("matches each account name, with a typo and a legal suffix, back to itself", () => {
    const prepared = accounts.map((a) => ({ name: a.account!, p: prepareCompanyName(a.account!) }));
    // Deterministic noise: drop the 3rd character, swap case, append a legal form.
    const noisy = (s: string): string => `${(s.slice(0, 2) + s.slice(3)).toUpperCase()} Inc.`;
    let correct = 0;
    for (const a of accounts) {
      const name = a.account!;
      if (normalizeCompanyName(name).length < 6) continue;
      const lead = prepareCompanyName(noisy(name));
      const best = prepared.reduce((top, cur) => (similarityOfPrepared(lead, cur.p) > similarityOfPrepared(lead, top.p) ? cur : top));
      if (best.name === name) correct++;
    }
    const eligible = accounts.filter((a) => normalizeCompanyName(a.account!).length >= 6).length;
    expect(correct / eligible).toBeGreaterThanOrEqual(0.95);
  });

  it("flags none of the sales agents' and managers' names as junk", () => {
    const people = [...new Set(teams.flatMap((t) => [t.sales_agent!, t.manager!]))];
    expect(people.length).toBeGreaterThan(30);
    for (const person of people) {
      const [firstName, ...rest] = person.split(" ");
      const result = assessJunk({ firstName, lastName: rest.join(" ") });
      expect(result.reasons, person).toEqual([]);
    }
  });
});

describe.skipIf(!existsSync(xEducation))("X Education leads (9,240 real inbound leads)", () => {
  const leads = existsSync(xEducation) ? readCsv(xEducation) : [];

  it("resolves every real country value except the form's 'unknown' and a region name", () => {
    expect(leads.length).toBe(9240);
    const values = new Set(leads.map((l) => l.Country!).filter((c) => c !== ""));
    const unresolved = [...values].filter((c) => toCountryCode(c) === null).sort();
    expect(unresolved).toEqual(["Asia/Pacific Region", "unknown"]);
    expect(parseRoutingRegion("Asia/Pacific Region")).toBe("APAC");
  });

  it("normalises every row without throwing and unifies the Google/google source", () => {
    const sources = new Set<string>();
    for (const l of leads) {
      const n = normalizeLead({ country: l.Country, utmSource: l["Lead Source"], region: l.City === "Select" ? "" : l.City });
      if (n.utm.source !== null) sources.add(n.utm.source);
      if (l.Country === "India") expect(n.routingRegion).toBe("APAC");
    }
    expect(sources.has("google")).toBe(true);
    expect(sources.has("Google")).toBe(false);
  });
});
