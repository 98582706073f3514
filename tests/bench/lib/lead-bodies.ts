/**
 * Deterministic, varied lead bodies for the ingestion benchmark and the crash test: request `index` of run `runId`
 * always gets the same body and the same Idempotency-Key, so a resend after a crash is byte-for-byte the original.
 *
 * Bodies are built from the demo seed's vocabulary (names, countries, "Prefix Suffix" companies — the same pools the
 * demo's 300 accounts are drawn from, so roughly one in five matches an existing account) and its message composer,
 * so the pipeline takes its usual mix of paths (account owner, territory round robin, SDR queue, review, nurture…).
 * Every email address is unique per request, so no request is merged into another as a duplicate.
 */
import { COMPANY_PREFIXES, COMPANY_SUFFIXES, COUNTRIES, PRODUCTS, TITLES, CHANNELS, FIRST_NAMES, LAST_NAMES, type Category } from "@/db/seed/catalog";
import { composeMessage } from "@/db/seed/messages";
import { createRandom } from "@/lib/random";

/** Intents a benchmark lead is drawn from (weights): mostly sales enquiries, some support and partner asks. */
const CATEGORY_WEIGHTS: ReadonlyArray<readonly [Category, number]> = [
  ["sales_enterprise", 35],
  ["pricing_demo", 40],
  ["support_request", 10],
  ["partner_request", 8],
  ["low_fit", 7],
];

const EMPLOYEE_BANDS = ["11-50", "51-200", "201-500", "501-1,000", "1,000-5,000", "5,000+", 35, 120, 2400] as const;

/** ASCII slug of a name for an email local part or a domain ("Müller" → "muller", "O'Brien" → "obrien"). */
function slug(text: string): string {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/gu, "").toLowerCase().replace(/[^a-z0-9]+/gu, "");
}

/** The Idempotency-Key of request `index` in `phase` of run `runId` (≤ 200 characters, as the API requires). */
export function benchKey(runId: string, phase: string, index: number): string {
  return `bench-${runId}-${phase}-${index}`;
}

/** The key prefix shared by every request of a phase (`like` pattern for counting its leads: `api:<prefix>%`). */
export function benchKeyPrefix(runId: string, phase: string): string {
  return `bench-${runId}-${phase}-`;
}

/** A valid, realistic POST /api/v1/leads body for request `index` of `runId`/`phase`; deterministic. */
export function benchLeadBody(runId: string, phase: string, index: number): Record<string, unknown> {
  const r = createRandom(`${runId}:${phase}:${index}`);
  const first = r.pick(FIRST_NAMES);
  const last = r.pick(LAST_NAMES);
  const country = r.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
  const company = `${r.pick(COMPANY_PREFIXES)} ${r.pick(COMPANY_SUFFIXES)}`;
  const domain = `${slug(company)}.${country.tld}`;
  const product = r.pick(PRODUCTS);
  const category = r.weighted(CATEGORY_WEIGHTS);
  const seniority = r.weighted([["exec", 15], ["director", 30], ["manager", 35], ["ic", 20]] as const);
  const message = composeMessage(r, category, product, country.name);
  return {
    contact: {
      // Digits only after the name: unique per request without looking like a keyboard mash to the junk check.
      email: `${slug(first)}.${slug(last)}.${runId}${String(index).padStart(6, "0")}@${domain}`,
      firstName: first,
      lastName: last,
      title: r.pick(TITLES[seniority]),
    },
    company: { name: company, employees: r.pick(EMPLOYEE_BANDS), ...(r.chance(0.5) ? { website: `https://www.${domain}` } : {}) },
    country: country.name,
    productInterest: product,
    message: message.text,
    source: r.pick(CHANNELS),
    utm: { source: "bench", medium: "load", campaign: phase },
    consent: { marketing: r.chance(0.6), processing: true },
  };
}
