"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { formatCount } from "@/lib/format";
import { useTRPC } from "../../../_trpc/client";
import { formatFullDateTime } from "../../../_components/dates";
import { EmptyState } from "../../../_components/states";
import { errorLines, JobStatus, KIND_LABELS, ProgressBar, type JobView } from "./shared";
import styles from "./import.module.css";

type RowError = JobView["errors"][number];

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, RowError>();
const columns = helper.columns([
  helper.accessor("row", { id: "row", header: "Row", cell: (info) => info.getValue() }),
  helper.accessor("column", { id: "column", header: "Column", cell: (info) => info.getValue() ?? <span className="muted">whole row</span> }),
  helper.accessor("message", { id: "message", header: "Problem", cell: (info) => info.getValue() }),
]);

/** A job's progress (polled every second while it runs), counts, errors, and Pause / Resume. */
export function JobProgress({ job }: { job: JobView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = (data: JobView) => {
    queryClient.setQueryData(trpc.import.get.queryKey({ id: job.id }), data);
    void queryClient.invalidateQueries({ queryKey: trpc.import.list.queryKey() });
  };
  const pause = useMutation(trpc.import.pause.mutationOptions({ onSuccess: refresh }));
  const resume = useMutation(trpc.import.resume.mutationOptions({ onSuccess: refresh }));
  const table = useTable({ features, columns, data: job.errors });

  const running = job.status === "running" && !job.interrupted;
  const canResume = job.status === "paused" || job.status === "failed" || job.interrupted;
  const imported = job.stats.inserted + job.stats.updated;
  const tone = job.status === "done" ? (job.errorCount ? "warn" : "good") : job.status === "failed" ? "bad" : job.status === "paused" || job.interrupted ? "warn" : undefined;
  const pct = job.totalRows ? Math.min(100, Math.round((job.processedRows / job.totalRows) * 100)) : null;
  const mutationError = pause.error ?? resume.error;

  return (
    <div className="stack">
      <section className="card" aria-labelledby="job-title">
        <div className="card-head">
          <div>
            <h2 id="job-title">{job.filename}</h2>
            <p>
              {KIND_LABELS[job.kind]}{job.mapping?.options.mode === "update" ? " · outcomes update" : ""} · started {formatFullDateTime(job.createdAt)}
              {job.createdByName ? ` by ${job.createdByName}` : ""}{job.finishedAt ? ` · finished ${formatFullDateTime(job.finishedAt)}` : ""}
            </p>
          </div>
          <JobStatus status={job.status} interrupted={job.interrupted} />
        </div>
        <div className="card-body">
          <div aria-live="polite">
            <ProgressBar value={job.processedRows} max={job.totalRows} label="Import progress" tone={tone} />
            <div className="row" style={{ justifyContent: "space-between", marginTop: 6 }}>
              <span className="small muted">
                {formatCount(job.processedRows)} of {formatCount(job.totalRows)} rows{pct !== null ? ` (${pct}%)` : ""}
                {running ? " · updating every second" : ""}
              </span>
              {job.interrupted ? <span className="small" style={{ color: "var(--warn)" }}>The process running this import stopped. Resume continues after row {formatCount(job.processedRows)}.</span> : null}
            </div>
          </div>
          <dl className={styles.stats}>
            <div className={styles.stat}><dt>Rows processed</dt><dd>{formatCount(job.processedRows)}</dd></div>
            <div className={styles.stat}><dt>Imported</dt><dd>{formatCount(imported)}</dd></div>
            <div className={styles.stat}><dt>{job.kind === "leads" ? "New leads" : "New"} / updated</dt><dd>{formatCount(job.stats.inserted)} / {formatCount(job.stats.updated)}</dd></div>
            <div className={styles.stat}><dt>Skipped (already imported)</dt><dd>{formatCount(job.stats.skipped)}</dd></div>
            <div className={styles.stat}><dt>Rows with errors</dt><dd style={{ color: job.errorCount ? "var(--bad)" : undefined }}>{formatCount(job.errorCount)}</dd></div>
          </dl>
          {job.failure ? <div className="error-box" role="alert" style={{ marginTop: 14 }}><strong>The import stopped:</strong> {job.failure}</div> : null}
          {mutationError ? <div className="error-box" role="alert" style={{ marginTop: 14 }}>{errorLines(mutationError).join(" ")}</div> : null}
        </div>
        <div className={styles.actions}>
          <Link className="btn" href="/settings/import">All imports</Link>
          {job.status === "done" && job.kind === "leads" ? <Link className="btn" href="/leads">See leads</Link> : null}
          {running ? <button className="btn" type="button" disabled={pause.isPending} onClick={() => pause.mutate({ id: job.id })}>{pause.isPending ? "Pausing…" : "Pause"}</button> : null}
          {canResume ? <button className="btn btn-primary" type="button" disabled={resume.isPending} onClick={() => resume.mutate({ id: job.id })}>{resume.isPending ? "Resuming…" : "Resume"}</button> : null}
        </div>
      </section>

      <section className="card" aria-labelledby="errors-title">
        <div className="card-head">
          <div>
            <h2 id="errors-title">Rows with errors</h2>
            <p>{job.errorCount > job.errors.length ? `The first ${job.errors.length} problems of ${formatCount(job.errorCount)} rows.` : "Each problem with its row (1 = the first row after the header) and column."}</p>
          </div>
          {job.errorCount ? <span className="badge badge-bad">{formatCount(job.errorCount)}</span> : null}
        </div>
        {job.errors.length === 0 ? (
          <EmptyState title={job.status === "done" ? "No errors" : "No errors so far"}>
            <p>{job.status === "done" ? "Every row was imported (or had been before)." : "Rows that cannot be imported will be listed here."}</p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => <th key={header.id} scope="col" className={header.id === "row" ? "num" : undefined}><table.FlexRender header={header} /></th>)}
                  </tr>
                ))}
              </thead>
              <tbody>
                {table.getRowModel().rows.map((row) => (
                  <tr key={row.id}>
                    {row.getAllCells().map((cell) => <td key={cell.id} className={cell.column.id === "row" ? "num" : cell.column.id === "column" ? "mono small" : undefined}><table.FlexRender cell={cell} /></td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
