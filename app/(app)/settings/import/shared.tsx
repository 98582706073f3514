"use client";

/** Types and small pieces shared by the import screens. */
import type { RouterOutputs } from "../../../_trpc/types";
import styles from "./import.module.css";

export type Analysis = RouterOutputs["import"]["analyze"];
export type JobView = RouterOutputs["import"]["get"];
export type JobSummary = RouterOutputs["import"]["list"][number];
export type PreviewResult = RouterOutputs["import"]["preview"];
export type Column = Analysis["columns"][number];
export type Target = Analysis["targets"][number];

export const KIND_LABELS: Record<string, string> = { leads: "Leads", accounts: "Accounts", reps: "Reps" };

export const TYPE_LABELS: Record<string, string> = {
  empty: "empty", boolean: "yes/no", date: "date", datetime: "date & time", email: "email", url: "URL / domain", phone: "phone",
  country: "country", number: "number", money: "money", id: "id", categorical: "categories", text: "text",
};

const STEPS = ["Upload", "Map columns", "Preview", "Import"] as const;

/** The four steps, with the current one marked for screen readers (aria-current="step"). */
export function Stepper({ current }: { current: 0 | 1 | 2 | 3 }) {
  return (
    <ol className={styles.steps} aria-label="Import steps">
      {STEPS.map((label, i) => (
        <li key={label} aria-current={i === current ? "step" : undefined} data-done={i < current}>
          <span className={styles.stepNo} aria-hidden>{i < current ? "✓" : i + 1}</span>
          {label}
        </li>
      ))}
    </ol>
  );
}

/** A labelled progress bar (role=progressbar); `value` null shows an indeterminate 0. */
export function ProgressBar({ value, max, label, tone }: { value: number; max: number | null; label: string; tone?: "good" | "warn" | "bad" }) {
  const pct = max && max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <div
      className={styles.progress}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max ?? undefined}
      aria-valuenow={max ? value : undefined}
      aria-valuetext={max ? `${Math.round(pct)}%` : `${value} rows`}
    >
      <div className={styles.progressBar} data-tone={tone} style={{ width: `${pct}%` }} />
    </div>
  );
}

/** Status badge of a job, with "interrupted" for a running job whose process is gone. */
export function JobStatus({ status, interrupted }: { status: string; interrupted?: boolean }) {
  if (interrupted) return <span className="badge badge-warn">Interrupted</span>;
  const tone = status === "done" ? "badge-good" : status === "failed" ? "badge-bad" : status === "running" ? "badge-brand" : status === "paused" ? "badge-warn" : "";
  const label = status === "pending" ? "Waiting for mapping" : status === "done" ? "Finished" : status.charAt(0).toUpperCase() + status.slice(1);
  return <span className={`badge ${tone}`}>{label}</span>;
}

/** The message of a tRPC or fetch error, with field messages when the server sent them. */
export function errorLines(error: unknown): string[] {
  const e = error as { message?: string; data?: { fieldErrors?: Record<string, string[]> } } | null;
  const fields = e?.data?.fieldErrors ? Object.entries(e.data.fieldErrors).flatMap(([k, v]) => v.map((m) => (k ? `${k}: ${m}` : m))) : [];
  return fields.length ? fields : [e?.message ?? "Something went wrong."];
}
