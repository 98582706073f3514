/**
 * Disposable (throw-away) mailbox domains, from the `disposable-email-domains` package (ivolo, MIT, ~121k
 * domains plus a short wildcard list whose every subdomain is disposable). Both Sets are built once at module
 * load (~10 ms, a few MB); lookups are O(labels).
 *
 * The curated free-mail list wins over this bulk list: a domain in FREE_MAIL_DOMAINS (e.g. 21cn.com, a
 * long-standing Chinese webmail that the bulk list includes) is reported as free mail, not disposable.
 */

import disposableDomains from "disposable-email-domains";
import wildcardDomains from "disposable-email-domains/wildcard.json";
import { isValidHostname, mapHost } from "./domain";
import { FREE_MAIL_DOMAINS } from "./free-mail-domains";

const DISPOSABLE: ReadonlySet<string> = new Set(
  (disposableDomains as readonly string[]).filter((d) => !FREE_MAIL_DOMAINS.has(d)),
);
const DISPOSABLE_WILDCARD: ReadonlySet<string> = new Set(wildcardDomains as readonly string[]);

/** Number of domains loaded from the package (exact list plus wildcard list). */
export const DISPOSABLE_DOMAIN_COUNT = DISPOSABLE.size + DISPOSABLE_WILDCARD.size;

/**
 * True when the domain, or any parent domain of it, is a known disposable mailbox domain
 * (`x.y.mailinator.com` → checks `x.y.mailinator.com`, `y.mailinator.com`, `mailinator.com`).
 * Bare TLDs are never checked. Accepts unmapped input; invalid hosts give false. Never throws.
 */
export function isDisposableDomain(domain: string): boolean {
  const host = mapHost(domain);
  if (!isValidHostname(host)) return false;
  if (FREE_MAIL_DOMAINS.has(host)) return false;
  let candidate = host;
  while (candidate.includes(".")) {
    // A wildcard entry covers its subdomains (and the entry itself).
    if (DISPOSABLE.has(candidate) || DISPOSABLE_WILDCARD.has(candidate)) return true;
    candidate = candidate.slice(candidate.indexOf(".") + 1);
  }
  return false;
}
