/** Display formatting shared by the UI, exports and the review packet. Pure; locale fixed to en-US for now. */

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** 1234 → "1,234". Null → "—". */
export function formatCount(n: number | null | undefined): string {
  return n == null ? "—" : int.format(n);
}

/** 0.4123 → "41.2%". Null → "—". */
export function formatPercent(rate: number | null | undefined, digits = 1): string {
  if (rate == null || !Number.isFinite(rate)) return "—";
  return `${(rate * 100).toFixed(digits)}%`;
}

/** Minutes as "42 min", "3.5 h", "2.1 d". Null → "—". */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes == null || !Number.isFinite(minutes)) return "—";
  const m = Math.abs(minutes);
  const sign = minutes < 0 ? "-" : "";
  if (m < 1) return `${sign}${Math.round(m * 60)} s`;
  if (m < 120) return `${sign}${oneDecimal.format(m)} min`;
  if (m < 48 * 60) return `${sign}${oneDecimal.format(m / 60)} h`;
  return `${sign}${oneDecimal.format(m / 1440)} d`;
}

/** Money in the workspace currency, compact above 10k: 12345 → "$12.3K". */
export function formatMoney(amount: number | null | undefined, currency = "USD", compact = true): string {
  if (amount == null || !Number.isFinite(amount)) return "—";
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    notation: compact && Math.abs(amount) >= 10_000 ? "compact" : "standard",
    maximumFractionDigits: compact && Math.abs(amount) >= 10_000 ? 1 : 0,
  }).format(amount);
}

/** Relative change between two values as a signed fraction, or null when the base is 0 or missing. */
export function relativeChange(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (current == null || previous == null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/** Human label for a snake_case code: "wrong_territory" → "Wrong territory". */
export function humanize(code: string | null | undefined): string {
  if (!code) return "—";
  const s = code.replace(/[_-]+/g, " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A lead's display name: "First Last", else the email, else "Unnamed lead". */
export function leadDisplayName(lead: { first_name?: string | null; last_name?: string | null; email?: string | null }): string {
  return [lead.first_name, lead.last_name].filter(Boolean).join(" ") || lead.email || "Unnamed lead";
}

/** Who produced a lead's category, for people: "offline" → "Offline model", "llm:gpt-4o-mini" → "LLM (gpt-4o-mini)". */
export function classifierLabel(name: string | null | undefined): string {
  if (!name) return "—";
  if (name.startsWith("llm:")) return `LLM (${name.slice(4)})`;
  const known: Record<string, string> = { offline: "Offline model", keywords: "Keyword rules", form: "Form answer", human: "Corrected by ops", import: "Imported" };
  return known[name] ?? humanize(name);
}
