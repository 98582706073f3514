"use client";

import { formatCount, formatPercent, humanize } from "@/lib/format";
import type { RouterOutputs } from "../../_trpc/types";

type Row = RouterOutputs["dashboard"]["fairness"][number];

const SKIP_LABELS: Record<string, string> = {
  out_of_office: "Out of office", capacity_open: "At open-lead cap", capacity_daily: "At daily cap", outside_hours: "Outside hours",
  inactive: "Inactive", zero_weight: "Weight 0", excluded: "Turned it down before",
};

/** Assigned share against the weighted target share, per team; skips by reason; rejections made. */
export function FairnessTable({ rows }: { rows: Row[] }) {
  if (rows.length === 0) return <p className="muted card-body">No reps match these filters.</p>;
  const skipReasons = [...new Set(rows.flatMap((r) => Object.keys(r.skips)))].sort();
  let lastTeam = "";
  return (
    <div className="table-wrap">
      <table className="data" data-testid="fairness-table">
        <thead>
          <tr>
            <th scope="col">Rep</th>
            <th scope="col" className="num">Weight</th>
            <th scope="col" className="num">First assignments</th>
            <th scope="col" className="num">Share of team</th>
            <th scope="col" className="num">Target share</th>
            <th scope="col" className="num">Gap</th>
            <th scope="col" className="num" title="Turns the rep missed while eligible for the lead">Skipped while eligible{skipReasons.length ? "" : " (none recorded)"}</th>
            <th scope="col" className="num">Rejected (wrong owner)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const teamHead = r.teamName !== lastTeam;
            lastTeam = r.teamName;
            const gap = r.share !== null && r.targetShare !== null ? r.share - r.targetShare : null;
            const skips = Object.entries(r.skips).sort((a, b) => b[1] - a[1]);
            return [
              teamHead ? (
                <tr key={`team-${r.teamId}`} className="group-row"><th scope="rowgroup" colSpan={8}>{r.teamName}</th></tr>
              ) : null,
              <tr key={r.repId}>
                <td>{r.name}{r.active ? null : <span className="badge" style={{ marginLeft: 6 }}>inactive</span>}</td>
                <td className="num">{r.weight}</td>
                <td className="num">{formatCount(r.assigned)}</td>
                <td className="num">{formatPercent(r.share)}</td>
                <td className="num">{formatPercent(r.targetShare)}</td>
                <td className={`num ${gap === null ? "" : Math.abs(gap) >= 0.05 ? "delta-bad" : "delta-flat"}`} title="Share of team minus target share, in percentage points">
                  {gap === null ? "—" : `${gap > 0 ? "+" : ""}${(gap * 100).toFixed(1)} pts`}
                </td>
                <td className="num small">{skips.length ? skips.map(([k, n]) => `${SKIP_LABELS[k] ?? humanize(k)} ${formatCount(n)}`).join(" · ") : "—"}</td>
                <td className="num">{formatCount(r.rejections)} ({formatCount(r.wrongOwnerRejections)})</td>
              </tr>,
            ];
          })}
        </tbody>
      </table>
    </div>
  );
}
