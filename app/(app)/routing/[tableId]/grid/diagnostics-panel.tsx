"use client";

import type { Diagnostic, Severity } from "@/lib/decision-table";
import { countBySeverity, SEVERITIES, severitySummary } from "./cells";

const GROUP_TITLES: Record<Severity, string> = { error: "Errors", warning: "Warnings", info: "Info" };
const MAX_PER_GROUP = 100;

function exampleText(example: Record<string, unknown>): string {
  return Object.entries(example)
    .map(([k, v]) => `${k}=${typeof v === "string" ? `'${v}'` : v === undefined ? "missing" : JSON.stringify(v)}`)
    .join(", ");
}

/**
 * Every diagnostic of the table, grouped by severity with counts. Entries that point at a rule, a cell or a column
 * are buttons that move focus there (`locate` gives their place, or null for table-level ones).
 */
export function DiagnosticsPanel({ diagnostics, locate, onJump }: {
  diagnostics: readonly Diagnostic[];
  locate(d: Diagnostic): string | null;
  onJump(d: Diagnostic): void;
}) {
  const counts = countBySeverity(diagnostics);
  return (
    <section className="dt-diags" data-testid="grid-diagnostics" aria-label="Table checks">
      <div className="dt-diags-head">
        <h3>Checks</h3>
        <span className={`dt-diags-summary ${counts.error ? "dt-text-error" : counts.warning ? "dt-text-warning" : counts.info ? "dt-text-info" : "dt-text-good"}`}>{severitySummary(counts)}</span>
      </div>
      {SEVERITIES.map((severity) => {
        const list = diagnostics.filter((d) => d.severity === severity);
        if (list.length === 0) return null;
        return (
          <details key={severity} className={`dt-diag-group dt-diag-group-${severity}`} open={severity !== "info" || list.length <= 5}>
            <summary>
              <span className={`dt-sev-icon dt-sev-${severity}`} aria-hidden>{severity === "error" ? "!" : severity === "warning" ? "!" : "i"}</span>
              {GROUP_TITLES[severity]} <span className="muted">({list.length})</span>
            </summary>
            <ul>
              {list.slice(0, MAX_PER_GROUP).map((d, i) => {
                const where = locate(d);
                return (
                  <li key={`${d.code}-${d.ruleId ?? ""}-${d.column ?? ""}-${i}`} data-code={d.code}>
                    {where ? (
                      <button type="button" className="dt-diag-loc" onClick={() => onJump(d)} title="Go to the cell">{where}</button>
                    ) : (
                      <span className="dt-diag-loc dt-diag-table">Table</span>
                    )}
                    <span className="dt-diag-msg">{d.message}</span>
                    <span className="dt-diag-code mono">{d.code}</span>
                    {d.example && Object.keys(d.example).length > 0 ? (
                      <span className="dt-diag-example mono">e.g. {exampleText(d.example)}</span>
                    ) : null}
                  </li>
                );
              })}
              {list.length > MAX_PER_GROUP ? <li className="muted">… and {list.length - MAX_PER_GROUP} more</li> : null}
            </ul>
          </details>
        );
      })}
    </section>
  );
}
