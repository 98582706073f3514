"use client";

import { useQuery } from "@tanstack/react-query";
import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { formatCount } from "@/lib/format";
import { useTRPC } from "../../../_trpc/client";
import { formatDateTime } from "../../../_components/dates";
import { EmptyState, ErrorState, TableSkeleton } from "../../../_components/states";
import { JobStatus, KIND_LABELS, type JobSummary } from "./shared";

const features = tableFeatures({});
const helper = createColumnHelper<typeof features, JobSummary>();
const columns = helper.columns([
  helper.accessor("filename", {
    id: "file",
    header: "File",
    cell: ({ row }) => (
      <div>
        <Link className="row-link" href={`/settings/import?job=${row.original.id}`}>{row.original.filename}</Link>
        <div className="muted small">{KIND_LABELS[row.original.kind]}{row.original.createdByName ? ` · ${row.original.createdByName}` : ""}</div>
      </div>
    ),
  }),
  helper.accessor("status", { id: "status", header: "Status", cell: ({ row }) => <JobStatus status={row.original.status} interrupted={row.original.interrupted} /> }),
  helper.display({
    id: "rows",
    header: "Rows",
    cell: ({ row }) => `${formatCount(row.original.processedRows)} / ${formatCount(row.original.totalRows)}`,
  }),
  helper.display({ id: "imported", header: "Imported", cell: ({ row }) => formatCount(row.original.stats.inserted + row.original.stats.updated) }),
  helper.accessor("errorCount", { id: "errors", header: "Errors", cell: (info) => (info.getValue() ? <span style={{ color: "var(--bad)" }}>{formatCount(info.getValue())}</span> : "0") }),
  helper.accessor("createdAt", { id: "created", header: "Uploaded", cell: (info) => <span className="muted">{formatDateTime(info.getValue())}</span> }),
]);

/** The workspace's imports, newest first (refreshed every 2 s while one runs). */
export function PastImports() {
  const trpc = useTRPC();
  const list = useQuery({
    ...trpc.import.list.queryOptions(),
    refetchInterval: (q) => (q.state.data?.some((j) => j.status === "running" && !j.interrupted) ? 2000 : false),
  });
  const table = useTable({ features, columns, data: list.data ?? [] });
  return (
    <section className="card" aria-labelledby="past-title">
      <div className="card-head"><div><h2 id="past-title">Past imports</h2><p>Open one to see its progress and errors, to resume it, or to finish its mapping.</p></div></div>
      {list.isPending ? <TableSkeleton rows={3} /> : list.isError ? (
        <div className="card-body"><ErrorState title="Imports could not be loaded" error={list.error} onRetry={() => list.refetch()} /></div>
      ) : list.data.length === 0 ? (
        <EmptyState title="No imports yet"><p>Upload a CSV above: leads with their outcomes, accounts, or reps.</p></EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>{group.headers.map((h) => <th key={h.id} scope="col"><table.FlexRender header={h} /></th>)}</tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.map((row) => (
                <tr key={row.original.id}>{row.getAllCells().map((cell) => <td key={cell.id}><table.FlexRender cell={cell} /></td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
