/**
 * Dedupe keys.
 *
 * person key — who the lead is, strongest identifier first:
 *   1. `email:<canonical email>` (see {@link canonicalEmail}: lowercased, +tag removed, Gmail dots removed);
 *   2. `phone:<E.164>` of a valid phone number;
 *   3. `name:<folded sorted name tokens>|<normalised company>` when both a name and a company are known
 *      (tokens are sorted so "Li Na" and "Na Li" — family name first or last — meet);
 *   otherwise null: the lead cannot be deduplicated and is never merged.
 * inquiry key — the same person asking about the same thing: `<person key>#<product key>`, where the product
 * key is the folded product interest or `*` when none was given. The dedupe window (how long an inquiry stays
 * open) is the caller's business; these keys carry no time.
 *
 * Keys are readable strings, not hashes: they are compared and indexed, never shown, and lib/ has no crypto.
 */

import { normalizeCompanyName } from "./company";
import { canonicalEmail } from "./email";
import { foldKey } from "./text";

export type PersonKeyKind = "email" | "phone" | "name_company";

export interface PersonKey {
  key: string;
  kind: PersonKeyKind;
}

/** Inputs for the person key; all optional. `phoneE164` must be a valid number's E.164 form. */
export interface PersonKeyInput {
  email?: string | null;
  phoneE164?: string | null;
  name?: string | null;
  company?: string | null;
}

/** Folded, punctuation-free, sorted name tokens: "Jean-Luc  O'Brien" → "jean luc obrien". */
export function nameKey(name: string): string {
  return foldKey(name)
    .replace(/['’`]/gu, "")
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter((t) => t !== "")
    .sort()
    .join(" ");
}

/** The person dedupe key (see module doc) or null when there is nothing to identify the person by. */
export function personKey(input: PersonKeyInput): PersonKey | null {
  const email = input.email ? canonicalEmail(input.email) : null;
  if (email !== null) return { key: `email:${email}`, kind: "email" };
  if (input.phoneE164 && /^\+\d{6,15}$/u.test(input.phoneE164)) return { key: `phone:${input.phoneE164}`, kind: "phone" };
  const name = input.name ? nameKey(input.name) : "";
  const company = input.company ? normalizeCompanyName(input.company) : "";
  if (name !== "" && company !== "") return { key: `name:${name}|${company}`, kind: "name_company" };
  return null;
}

/** Folded product-interest key ("Data Platform " → "data platform"), or "*" for none. */
export function productKey(productInterest: string | null | undefined): string {
  if (!productInterest) return "*";
  const k = foldKey(productInterest).replace(/[^\p{L}\p{M}\p{N}]+/gu, " ").trim();
  return k === "" ? "*" : k;
}

/** The inquiry dedupe key: person key + "#" + product key; null when there is no person key. */
export function inquiryKey(person: PersonKey | null, productInterest: string | null | undefined): string | null {
  return person === null ? null : `${person.key}#${productKey(productInterest)}`;
}
