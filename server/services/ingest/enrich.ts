/**
 * Enrichment: match the lead's company to an account — by domain first (email or website, or the sender's hint),
 * then by fuzzy company name — and optionally ask an external provider for firmographics with a timeout. An
 * enrichment failure never blocks routing: it is recorded and the lead routes on what it has.
 */
import "server-only";
import type { Kysely } from "kysely";
import type { Database } from "@/db/types";
import { normalizeCompanyName, prepareCompanyName, similarityOfPrepared } from "@/lib/lead";

export interface AccountMatch {
  match: "domain" | "hint" | "name" | "none";
  accountId: string | null;
  accountName: string | null;
  customer: boolean;
  ownerRepId: string | null;
  employees: number | null;
  industry: string | null;
  region: string | null;
  country: string | null;
  similarity: number | null;
  reason: string;
}

const NAME_MATCH_THRESHOLD = 0.9;

export async function matchAccount(
  db: Kysely<Database>,
  workspaceId: string,
  lead: { companyDomain: string | null; company: string | null; hintDomain?: string | null },
): Promise<AccountMatch> {
  const select = ["id", "name", "customer_status", "owner_rep_id", "employees", "industry", "region", "country", "domain"] as const;
  const none = (reason: string): AccountMatch => ({
    match: "none", accountId: null, accountName: null, customer: false, ownerRepId: null, employees: null, industry: null,
    region: null, country: null, similarity: null, reason,
  });
  const toMatch = (a: { id: string; name: string; customer_status: string; owner_rep_id: string | null; employees: number | null; industry: string | null; region: string | null; country: string | null }, match: AccountMatch["match"], reason: string, similarity: number | null = null): AccountMatch => ({
    match, accountId: a.id, accountName: a.name, customer: a.customer_status === "customer", ownerRepId: a.owner_rep_id,
    employees: a.employees, industry: a.industry, region: a.region, country: a.country, similarity, reason,
  });

  for (const [domain, match] of [[lead.hintDomain ?? null, "hint"], [lead.companyDomain, "domain"]] as const) {
    if (!domain) continue;
    const a = await db.selectFrom("accounts").select(select).where("workspace_id", "=", workspaceId).where("domain", "=", domain.toLowerCase()).executeTakeFirst();
    if (a) return toMatch(a, match, match === "hint" ? `The sender named the account by its domain ${domain}.` : `Company domain ${domain} belongs to account ${a.name}.`);
  }
  if (!lead.company) return none(lead.companyDomain ? `No account has the domain ${lead.companyDomain}, and no company name was given.` : "No company domain (free-mail or none) and no company name.");

  const key = normalizeCompanyName(lead.company);
  const first = key.split(" ")[0];
  if (!first) return none(`The company name “${lead.company}” has nothing left to match after normalisation.`);
  // Candidates share the first word of the normalised name; similarity decides (token-set Jaro–Winkler + trigrams).
  const candidates = await db
    .selectFrom("accounts")
    .select([...select, "name_key"])
    .where("workspace_id", "=", workspaceId)
    .where("name_key", "like", `${first.replace(/[\\%_]/g, (c) => "\\" + c)}%`)
    .limit(200)
    .execute();
  const target = prepareCompanyName(lead.company);
  let best: { row: (typeof candidates)[number]; score: number } | null = null;
  for (const c of candidates) {
    const score = similarityOfPrepared(target, prepareCompanyName(c.name));
    if (!best || score > best.score) best = { row: c, score };
  }
  if (best && best.score >= NAME_MATCH_THRESHOLD) {
    return toMatch(best.row, "name", `Company name “${lead.company}” matches account ${best.row.name} (similarity ${best.score.toFixed(2)}).`, best.score);
  }
  return none(
    best
      ? `No domain match; the closest account name is ${best.row.name} at similarity ${best.score.toFixed(2)}, below ${NAME_MATCH_THRESHOLD}.`
      : `No account with domain ${lead.companyDomain ?? "(none)"} or a name like “${lead.company}”.`,
  );
}

export interface ProviderResult {
  ok: boolean;
  ms: number;
  data?: { employees?: number; industry?: string; country?: string };
  error?: string;
}

/**
 * Optional external enrichment (ENRICHMENT_URL): POST {domain, company, email} → {employees?, industry?, country?},
 * aborted after ENRICHMENT_TIMEOUT_MS (default 800 ms). Never throws.
 */
export async function callEnrichmentProvider(
  url: string | undefined,
  timeoutMs: number,
  query: { domain: string | null; company: string | null; email: string | null },
): Promise<ProviderResult | null> {
  if (!url) return null;
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(query),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return { ok: false, ms: performance.now() - started, error: `provider answered ${res.status}` };
    const body = (await res.json()) as Record<string, unknown>;
    const data: NonNullable<ProviderResult["data"]> = {};
    if (typeof body.employees === "number" && body.employees > 0) data.employees = Math.round(body.employees);
    if (typeof body.industry === "string") data.industry = body.industry.slice(0, 100);
    if (typeof body.country === "string" && /^[A-Z]{2}$/.test(body.country)) data.country = body.country;
    return { ok: true, ms: performance.now() - started, data };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { ok: false, ms: performance.now() - started, error: timedOut ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error) };
  }
}
