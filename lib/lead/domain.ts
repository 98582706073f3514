/**
 * Host names, registrable domains and website URLs.
 *
 * Registrable-domain detection uses a deliberately small public-suffix subset instead of the full Public Suffix
 * List (~10k rules, no isomorphic zero-dependency package installed here): the common ICANN second-level
 * suffixes of country TLDs (`co.uk`, `com.au`, `co.jp`, `com.br`, ... derived by rule below plus an explicit
 * list) and the private hosting suffixes that company websites actually sit on (`myshopify.com`, `github.io`,
 * `wixsite.com`, ...). A host under an unlisted multi-label suffix is treated as `label.tld`; the error mode is
 * "too short" (e.g. `acme.gov.xx` → `gov.xx`) and only matters for exotic suffixes.
 *
 * Internationalised names are handled without punycode: each label must consist of Unicode letters, marks,
 * digits or hyphens (UTS 46 mapping is approximated by NFKC + lowercase + ideographic full stops as dots).
 */

import { cleanLine } from "./text";

/** Second-level labels that, under a two-letter country TLD, form a public suffix (co.uk, com.au, ac.jp...). */
const GENERIC_SECOND_LEVEL = new Set([
  "ac", "co", "com", "edu", "gob", "gov", "go", "govt", "mil", "ne", "net", "or", "org", "ltd", "plc", "sch",
]);

/** Explicit multi-label public suffixes that the rule above does not produce (private registries, 3-label). */
const EXPLICIT_SUFFIXES = new Set([
  // ICANN extras
  "me.uk", "nhs.uk", "police.uk", "gen.in", "firm.in", "ind.in", "in.th", "co.th", "gv.at", "or.at", "kiev.ua", "com.de", "gr.com", "us.com", "uk.com", "eu.com",
  "co.com", "uk.net", "jpn.com", "cn.com", "de.com", "br.com", "sa.com", "za.com", "qc.ca", "on.ca", "bc.ca",
  "ab.ca", "nsw.gov.au", "vic.gov.au", "qld.gov.au", "lg.jp", "ed.jp", "ad.jp", "gr.jp",
  // Private suffixes where each customer owns a subdomain
  "myshopify.com", "github.io", "gitlab.io", "herokuapp.com", "vercel.app", "netlify.app", "pages.dev",
  "workers.dev", "web.app", "firebaseapp.com", "appspot.com", "azurewebsites.net", "cloudfront.net",
  "blogspot.com", "wordpress.com", "wixsite.com", "squarespace.com", "webflow.io", "framer.website",
  "carrd.co", "notion.site", "substack.com", "tumblr.com", "weebly.com", "godaddysites.com", "hubspotpagebuilder.com",
  "glitch.me", "onrender.com", "fly.dev", "repl.co", "ngrok.io", "ngrok-free.app", "s3.amazonaws.com",
  "sharepoint.com", "atlassian.net", "zendesk.com", "freshdesk.com", "my.salesforce.com", "force.com",
]);

/** Longest explicit suffix in labels; 3 labels are enough for the list above. */
const MAX_SUFFIX_LABELS = 3;

const LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?$/u;
const TLD = /^(?:\p{L}[\p{L}\p{M}]{1,62}|xn--[a-z0-9-]{1,59})$/u;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const ASCII_MAPPED = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;
const ASCII_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Maps a host the way a browser would before lookup (approximation of UTS 46): NFKC, ideographic full stops
 * to ".", lowercase, trailing dot(s) removed.
 */
export function mapHost(host: string): string {
  // Fast path: already-mapped ASCII hosts (the common case, and every re-check of a mapped host).
  if (ASCII_MAPPED.test(host)) return host;
  return cleanLine(host)
    .normalize("NFKC")
    .replace(/[\u3002\uFF0E\uFF61]/gu, ".")
    .toLowerCase()
    .replace(/\.+$/u, "");
}

/**
 * True for a syntactically valid DNS host name with at least two labels: labels of Unicode letters, marks,
 * digits or inner hyphens, 1–63 characters each, a letter-only (or `xn--`) TLD, 253 characters at most.
 * IP addresses and single-label hosts (`localhost`) are rejected. Expects a mapped host (see {@link mapHost}).
 */
export function isValidHostname(host: string): boolean {
  if (host.length === 0 || host.length > 253 || IPV4.test(host)) return false;
  const labels = host.split(".");
  if (labels.length < 2) return false;
  const tld = labels[labels.length - 1] ?? "";
  if (!TLD.test(tld)) return false;
  return labels.every((label) => ASCII_LABEL.test(label) || LABEL.test(label));
}

/** Number of trailing labels of `labels` that form the public suffix (at least 1: the TLD). */
function publicSuffixLength(labels: readonly string[]): number {
  const n = labels.length;
  for (let k = Math.min(MAX_SUFFIX_LABELS, n - 1); k >= 2; k--) {
    if (EXPLICIT_SUFFIXES.has(labels.slice(n - k).join("."))) return k;
  }
  const tld = labels[n - 1] ?? "";
  const second = labels[n - 2];
  if (n >= 2 && second !== undefined && tld.length === 2 && GENERIC_SECOND_LEVEL.has(second)) return 2;
  return 1;
}

/**
 * The registrable domain ("eTLD+1") of a host: `www.shop.acme.co.uk` → `acme.co.uk`, `acme.myshopify.com`
 * stays itself. Returns null for invalid hosts and for hosts that are themselves a public suffix (`co.uk`).
 * Accepts unmapped input (case, trailing dot, full-width characters). Never throws.
 */
export function registrableDomain(host: string): string | null {
  const mapped = mapHost(host);
  if (!isValidHostname(mapped)) return null;
  const labels = mapped.split(".");
  const suffix = publicSuffixLength(labels);
  if (labels.length <= suffix) return null;
  return labels.slice(labels.length - suffix - 1).join(".");
}

/**
 * Extracts the mapped host name from a URL-ish string: with or without scheme, `//host`, userinfo, port, path,
 * query or fragment. "https://www.Acme.co.uk:8443/about?x#y" → "www.acme.co.uk". Returns null when no valid
 * host name is present (IP literals, `localhost`, garbage). Never throws.
 */
export function hostFromUrl(raw: string): string | null {
  let s = cleanLine(raw);
  if (s === "") return null;
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//iu, "").replace(/^\/\//u, "");
  // A bare scheme without slashes ("http:acme.com") or a mailto: is not a website, but a host may still follow.
  s = s.replace(/^(?:https?|mailto):/iu, "");
  const end = s.search(/[/?#\s\\]/u);
  let authority = end === -1 ? s : s.slice(0, end);
  const at = authority.lastIndexOf("@");
  if (at !== -1) authority = authority.slice(at + 1);
  if (authority.startsWith("[")) return null; // IPv6 literal
  authority = authority.replace(/:\d*$/u, "");
  const host = mapHost(authority);
  return isValidHostname(host) ? host : null;
}

/**
 * The registrable domain of a website URL: "https://www.Acme.co.uk/about" → "acme.co.uk",
 * "acme.com." → "acme.com". Null when there is no usable host. Never throws.
 */
export function domainFromUrl(raw: string): string | null {
  const host = hostFromUrl(raw);
  return host === null ? null : registrableDomain(host);
}
