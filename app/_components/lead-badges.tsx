import { humanize } from "@/lib/format";

const STATUS_TONE: Record<string, string> = {
  new: "badge-brand",
  assigned: "badge-brand",
  queued: "",
  in_review: "badge-warn",
  accepted: "badge-good",
  working: "badge-good",
  rejected: "badge-bad",
  junk: "badge-bad",
  duplicate: "",
  won: "badge-good",
  lost: "",
  disqualified: "",
  closed: "",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${STATUS_TONE[status] ?? ""}`}>{humanize(status)}</span>;
}

export function RouteBadge({ name, color }: { name: string | null; color: string | null }) {
  if (!name) return <span className="muted">—</span>;
  return (
    <span className="badge">
      <span className="dot" style={{ background: color ?? "#94a3b8" }} aria-hidden />
      {name}
    </span>
  );
}

export function TierBadge({ tier }: { tier: string | null }) {
  if (!tier) return <span className="muted">—</span>;
  const tone = tier === "P1" ? "badge-bad" : tier === "P2" ? "badge-warn" : "";
  return <span className={`badge ${tone}`}>{tier}</span>;
}
