/**
 * The company's web domain, from a business email address or a website URL.
 */

import { isDisposableDomain } from "./disposable";
import { domainFromUrl, registrableDomain } from "./domain";
import { emailDomain } from "./email";
import { isFreeMailDomain } from "./free-mail-domains";

/**
 * Hosts that appear in "website" fields but belong to a platform, not to the lead's company
 * (a LinkedIn page, a link shortener, a calendar link...).
 */
const PLATFORM_DOMAINS: ReadonlySet<string> = new Set([
  "linkedin.com", "lnkd.in", "facebook.com", "fb.com", "instagram.com", "twitter.com", "x.com", "youtube.com",
  "youtu.be", "tiktok.com", "github.com", "gitlab.com", "bitbucket.org", "medium.com", "linktr.ee", "google.com",
  "goo.gl", "bit.ly", "tinyurl.com", "wa.me", "whatsapp.com", "t.me", "about.me", "angel.co", "wellfound.com",
  "crunchbase.com", "yelp.com", "pinterest.com", "reddit.com", "discord.gg", "calendly.com", "xing.com",
  "vk.com", "weibo.com", "wechat.com", "behance.net", "dribbble.com", "upwork.com", "fiverr.com",
]);

/** True when a registrable domain can stand for a company: not free mail, not disposable, not a platform. */
export function isCompanyDomain(domain: string): boolean {
  return !isFreeMailDomain(domain) && !isDisposableDomain(domain) && !PLATFORM_DOMAINS.has(domain);
}

/** The registrable domain of a business email ("jane@mail.acme.co.uk" → "acme.co.uk"); null for free/disposable. */
export function companyDomainFromEmail(email: string): string | null {
  const domain = emailDomain(email);
  const registrable = domain === null ? null : registrableDomain(domain);
  return registrable !== null && isCompanyDomain(registrable) ? registrable : null;
}

/** The registrable domain of a company website ("https://www.Acme.co.uk/about" → "acme.co.uk"); null for platforms. */
export function companyDomainFromWebsite(website: string): string | null {
  const domain = domainFromUrl(website);
  return domain !== null && isCompanyDomain(domain) ? domain : null;
}

/**
 * The company domain of a lead: the business email's domain first (it is where the person actually works;
 * website fields are often a LinkedIn page or a client's site), then the website's. Free-mail, disposable and
 * platform domains are skipped. Null when neither gives one. Never throws.
 */
export function companyDomain(input: { email?: string | null; website?: string | null }): string | null {
  return (
    (input.email ? companyDomainFromEmail(input.email) : null) ??
    (input.website ? companyDomainFromWebsite(input.website) : null)
  );
}
